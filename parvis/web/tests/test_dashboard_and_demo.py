import datetime as dt

import pytest
from django.urls import reverse

from parvis.accounts.models import Membership, User
from parvis.territory.models import Authority
from parvis.web.demo import DEMO_USERS, demo_load

pytestmark = pytest.mark.django_db


def test_dashboard_says_what_to_do_next(client_of, admin_user, commune):
    page = client_of(admin_user).get(reverse("web:dashboard", args=[commune.slug]))
    assert "Pour bien démarrer" in page.text
    assert "Inviter l'équipe" in page.text


def test_dashboard_warns_during_a_pre_election_period(
    client_of, admin_user, commune, monkeypatch
):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 26)
    )
    page = client_of(admin_user).get(reverse("web:dashboard", args=[commune.slug]))
    assert "Période préélectorale" in page.text
    assert "1 octobre 2026" in page.text or "1er octobre 2026" in page.text


def test_a_single_authority_member_lands_on_its_dashboard(client_of, editor, commune):
    response = client_of(editor).get(reverse("web:home"))
    assert response["Location"] == reverse("web:dashboard", args=[commune.slug])


@pytest.mark.slow
def test_the_demo_loads_a_real_commune_with_its_agglomeration_once():
    commune = demo_load()
    assert (commune.name, commune.code, commune.is_demo) == (
        "Saint-Malo",
        "35288",
        True,
    )
    assert Authority.objects.filter(
        kind="epci", code=commune.territory.epci_code
    ).exists()
    for email, _, role in DEMO_USERS:
        assert Membership.objects.get(user__email=email, authority=commune).role == role
    assert User.objects.get(email="plateforme@parvis.demo").is_staff
    assert demo_load() is None
    assert Authority.objects.filter(is_demo=True).count() == 2


@pytest.mark.slow
def test_the_demo_has_a_studio_post_with_variants_to_look_at():
    from parvis.studio.models import Post

    commune = demo_load()
    post = Post.objects.get(authority=commune)
    assert post.variants.count() == 8  # 4 networks x 2 audiences
    assert all(variant.checks for variant in post.variants.all())
