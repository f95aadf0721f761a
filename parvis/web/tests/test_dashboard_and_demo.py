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


def test_dashboard_lists_posts_to_review_the_weeks_slots_and_failures(
    client_of, editor, commune
):
    from django.utils import timezone

    from parvis.studio.models import Post

    Post.objects.create(
        authority=commune, title="Forum des associations", state="in_review"
    )
    Post.objects.create(
        authority=commune,
        title="Collecte des sapins",
        state="approved",
        planned_at=timezone.now() + dt.timedelta(days=2),
    )
    Post.objects.create(
        authority=commune,
        title="Bilan 2030",
        state="approved",
        planned_at=timezone.now() + dt.timedelta(days=20),
    )
    page = client_of(editor).get(reverse("web:dashboard", args=[commune.slug]))
    assert "1 publication en relecture" in page.text
    assert "Forum des associations" in page.text
    assert "Collecte des sapins" in page.text
    assert "Bilan 2030" not in page.text  # beyond the week
    assert "Aucun échec." in page.text


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
    post = Post.objects.get(authority=commune, campaign_slug="travaux-sillon-2027")
    assert post.variants.count() == 8  # 4 networks x 2 audiences
    assert all(variant.checks for variant in post.variants.all())


@pytest.mark.slow
def test_the_demo_calendar_has_a_campaign_and_posts_in_each_state_of_the_circuit(
    client_of,
):
    from parvis.planning.models import Campaign
    from parvis.studio.models import Post

    commune = demo_load()
    campaign = Campaign.objects.get(authority=commune)
    assert campaign.posts.count() == 2
    planned = Post.objects.filter(authority=commune, planned_at__isnull=False)
    # The past posts of the demo figures are published; the rest is to come.
    assert sorted(
        planned.exclude(state="published").values_list("state", flat=True)
    ) == [
        "approved",
        "draft",
        "in_review",
    ]
    editor = User.objects.get(email="redaction@parvis.demo")
    page = client_of(editor).get(reverse("calendar:list", args=[commune.slug]))
    assert "Marché de Noël intra-muros" in page.text


def test_the_demo_inbox_has_classified_messages_routed_to_services(client_of):
    from parvis.inbox.models import Message

    commune = demo_load()
    messages = Message.objects.filter(authority=commune)
    assert messages.count() >= 10
    assert messages.filter(classified_at__isnull=False).count() == messages.count()
    assert messages.filter(abuse=True).exists()  # the spam comment
    assert messages.exclude(level="commune").exists()  # the collège's heating
    pothole = messages.get(text__contains="nid-de-poule")
    assert pothole.topic == "voirie" and pothole.service is not None
    agent = User.objects.get(email="agent@parvis.demo")
    page = client_of(agent).get(reverse("inbox:list", args=[commune.slug]))
    assert "Rue de Dinan" not in page.text  # a list shows no address
    assert "nid-de-poule" in page.text
    assert commune.report_categories.exists()


def test_the_demo_has_an_open_consultation_with_its_analysis(client):
    from parvis.participation.models import Consultation

    commune = demo_load()
    consultation = Consultation.objects.get(authority=commune, slug="velo")
    assert consultation.is_open() and consultation.analysed_at
    assert consultation.themes.exists()
    assert consultation.analysis["opinions"]["participants"] == 16
    page = client.get(reverse("participation_public:page", args=[commune.slug, "velo"]))
    assert "Saint-Malo à vélo" in page.text


def test_the_demo_measures_the_commune_and_compares_it_with_generated_peers(client):
    from parvis.accounts.models import User
    from parvis.insights.models import ObservatoryImport

    commune = demo_load()
    observatory = ObservatoryImport.objects.get()
    assert observatory.state == ObservatoryImport.State.DONE
    assert "donnees-generees" in observatory.file_name
    assert observatory.authorities.count() >= 300
    client.force_login(User.objects.get(email="redaction@parvis.demo"))
    page = client.get(reverse("insights:barometer", args=[commune.slug])).text
    assert "Saint-Malo parmi ses pairs" in page and 'role="img"' in page
    assert "donnees-generees" in page
    page = client.get(reverse("insights:dashboard", args=[commune.slug])).text
    assert "Chiffres clés" in page and 'role="img"' in page
