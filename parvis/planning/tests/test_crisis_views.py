"""The crisis page: start with a confirmation step, status, lift, reschedule what a
lift held; the banner of every page; roles and outsiders."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import Crisis
from parvis.planning.tests.crisis_helpers import (
    ALERT,
    PARIS,
    connect,
    connected_channels,
    scheduled,
)
from parvis.publishing.models import Publication, PublicationState

pytestmark = pytest.mark.django_db
P = PublicationState


@pytest.fixture
def channels(commune, admin_user):
    return connected_channels(commune, admin_user)


def url(commune, name, *args):
    return reverse(f"crisis:{name}", args=[commune.slug, *args])


def start_data(channels, **extra):
    data = {
        "title": "Crue de la Rance",
        "message": ALERT,
        "channels": [channels["mastodon"].pk, channels["bluesky"].pk],
    }
    return {**data, **extra}


@pytest.fixture
def crisis(commune, validator, channels):
    return services.crisis_start(
        authority=commune, actor=validator, title="Crue de la Rance", message=ALERT
    )


def test_the_validator_sees_the_start_form_with_the_channels_and_their_limits(
    commune, validator, channels, client_of
):
    page = client_of(validator).get(url(commune, "page"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Déclencher le mode crise" in html
    assert str(channels["mastodon"]) in html and str(channels["bluesky"]) in html
    # Instagram and the X account to reconnect are listed apart, with the reason.
    assert "une image est requise" in html and "à reconnecter" in html
    assert "sur 300 par message" in html  # Bluesky's limit, before typing


def test_the_menu_leads_validators_to_the_crisis_page_not_editors(
    commune, validator, editor, client_of
):
    dashboard = reverse("web:dashboard", args=[commune.slug])
    assert url(commune, "page") in client_of(validator).get(dashboard).content.decode()
    assert url(commune, "page") not in client_of(editor).get(dashboard).content.decode()


def test_starting_goes_through_a_confirmation_page_first(
    commune, validator, channels, client_of
):
    scheduled(commune, channels["mastodon"], timezone.now() + dt.timedelta(hours=3))
    client = client_of(validator)
    message = " ".join([ALERT] * 3)
    confirm = client.post(url(commune, "start"), start_data(channels, message=message))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Confirmer le passage en mode crise" in html
    assert "1 publication programmée sera suspendue" in html
    assert "publié en fil de 2 messages" in html  # Bluesky
    assert not Crisis.objects.exists()

    done = client.post(
        url(commune, "start"), start_data(channels, message=message, confirmed="1")
    )
    assert done.status_code == 302
    crisis = Crisis.objects.get()
    assert crisis.message == message
    assert Publication.objects.filter(state=P.PAUSED).count() == 1


def test_modify_on_the_confirmation_page_comes_back_to_the_form(
    commune, validator, channels, client_of
):
    page = client_of(validator).post(
        url(commune, "start"), start_data(channels, confirmed="1", edit="1")
    )
    assert page.status_code == 200
    assert "Crue de la Rance" in page.content.decode()
    assert 'name="confirmed"' not in page.content.decode()
    assert not Crisis.objects.exists()


def test_a_message_too_long_for_a_network_is_shown_on_the_form(
    commune, validator, channels, admin_user, client_of
):
    linkedin = connect(commune, "linkedin", "ville-de-saint-malo", admin_user)
    page = client_of(validator).post(
        url(commune, "start"),
        {"title": "Crue", "message": "Alerte. " * 400, "channels": [linkedin.pk]},
    )
    assert page.status_code == 200
    assert "LinkedIn" in page.content.decode()
    assert "Confirmer le passage" not in page.content.decode()


def test_the_counts_follow_the_message_as_it_is_typed(
    commune, validator, channels, client_of
):
    response = client_of(validator).post(
        url(commune, "count"),
        {"message": "x" * 320, "channels": [channels["bluesky"].pk]},
    )
    html = response.content.decode()
    assert "Bluesky" in html and "320 caractères sur 300" in html
    assert "publié en fil de 2 messages" in html
    assert "Mastodon" not in html


def test_the_banner_shows_on_every_page_while_the_crisis_lasts(
    commune, editor, crisis, client_of, validator
):
    client = client_of(editor)
    dashboard = client.get(reverse("web:dashboard", args=[commune.slug]))
    html = dashboard.content.decode()
    assert "Mode crise en cours" in html and "Crue de la Rance" in html
    assert url(commune, "page") in html

    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    after = client.get(reverse("web:dashboard", args=[commune.slug]))
    assert "Mode crise en cours" not in after.content.decode()


def test_the_banner_is_only_for_the_authority_in_crisis(
    agency, other_authority, crisis, client_of
):
    page = client_of(agency).get(reverse("web:dashboard", args=[other_authority.slug]))
    assert "Mode crise en cours" not in page.content.decode()


def test_the_page_shows_the_active_crisis_and_the_lift_form(
    commune, validator, crisis, client_of
):
    html = client_of(validator).get(url(commune, "page")).content.decode()
    assert "En cours : Crue de la Rance" in html
    assert "Lever le mode crise" in html
    assert "Après la publication." in html  # alerts not yet out, so not pinned


def test_lifting_from_the_page(commune, validator, crisis, client_of):
    response = client_of(validator).post(
        url(commune, "lift"), {"crisis": crisis.pk, "resume_mode": "shift"}
    )
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.resume_mode == "shift" and crisis.ended_by == validator
    html = client_of(validator).get(url(commune, "page")).content.decode()
    assert "Crises passées" in html and "Décaler chaque publication" in html


def test_lifting_without_a_choice_says_what_is_missing(
    commune, validator, crisis, client_of
):
    page = client_of(validator).post(url(commune, "lift"), {"crisis": crisis.pk})
    assert page.status_code == 200
    assert "Choisissez comment reprendre" in page.content.decode()
    assert Crisis.objects.get(pk=crisis.pk).ended_at is None


def test_a_held_post_is_rescheduled_from_the_page(
    commune, validator, editor, channels, client_of
):
    publication = scheduled(
        commune, channels["mastodon"], timezone.now() + dt.timedelta(hours=1)
    )
    crisis = services.crisis_start(
        authority=commune, actor=validator, title="Crue", message=ALERT, channels=[]
    )
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="hold")
    client = client_of(editor)
    html = client.get(url(commune, "page")).content.decode()
    assert "Publications à reprogrammer" in html and "Marché de Noël" in html

    tomorrow = (timezone.now() + dt.timedelta(days=1)).astimezone(PARIS)
    response = client.post(
        url(commune, "reschedule"),
        {
            "post": publication.variant.post_id,
            "planned_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == P.PENDING
    assert abs(publication.scheduled_at - tomorrow) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("role", ["editor", "elected", "agent"])
def test_other_members_see_the_crisis_but_cannot_start_or_lift_it(
    commune, channels, role, request, client_of, validator
):
    client = client_of(request.getfixturevalue(role))
    page = client.get(url(commune, "page"))
    assert page.status_code == 200
    assert "Vérifier avant de déclencher" not in page.content.decode()
    started = client.post(url(commune, "start"), start_data(channels, confirmed="1"))
    assert started.status_code == 404
    assert not Crisis.objects.exists()

    crisis = services.crisis_start(
        authority=commune, actor=validator, title="Crue", message=ALERT
    )
    lifted = client.post(
        url(commune, "lift"), {"crisis": crisis.pk, "resume_mode": "keep"}
    )
    assert lifted.status_code == 404
    assert Crisis.objects.get(pk=crisis.pk).ended_at is None


def test_outsiders_get_404_everywhere(commune, outsider, crisis, client_of):
    client = client_of(outsider)
    post_id = crisis.alert_post_id
    assert client.get(url(commune, "page")).status_code == 404
    assert client.post(url(commune, "start"), {}).status_code == 404
    assert client.post(url(commune, "count"), {}).status_code == 404
    for name in ("lift", "pin_again"):
        response = client.post(url(commune, name), {"crisis": crisis.pk})
        assert response.status_code == 404
    response = client.post(url(commune, "reschedule"), {"post": post_id})
    assert response.status_code == 404
    assert Crisis.objects.get(pk=crisis.pk).ended_at is None


def test_a_crisis_of_another_authority_cannot_be_lifted_through_this_one(
    agency, other_authority, crisis, client_of, admin_user
):
    from parvis.accounts.roles import Role
    from parvis.accounts.services import membership_set

    membership_set(
        authority=other_authority, user=agency, role=Role.VALIDATOR, actor=admin_user
    )
    response = client_of(agency).post(
        reverse("crisis:lift", args=[other_authority.slug]),
        {"crisis": crisis.pk, "resume_mode": "keep"},
    )
    assert response.status_code == 302
    assert Crisis.objects.get(pk=crisis.pk).ended_at is None


def test_a_stale_lift_form_does_not_lift_the_next_crisis(
    commune, validator, crisis, client_of
):
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    newer = services.crisis_start(
        authority=commune, actor=validator, title="Tempête", message=ALERT
    )
    client = client_of(validator)
    response = client.post(
        url(commune, "lift"), {"crisis": crisis.pk, "resume_mode": "keep"}, follow=True
    )
    assert "déjà levée" in response.content.decode()
    assert Crisis.objects.get(pk=newer.pk).ended_at is None


def test_a_post_of_another_authority_cannot_be_rescheduled_here(
    commune, editor, other_authority, client_of
):
    from parvis.studio.models import Post

    foreign = Post.objects.create(authority=other_authority, title="Lyon")
    response = client_of(editor).post(
        url(commune, "reschedule"),
        {"post": foreign.pk, "planned_at": "2031-01-01T10:00"},
    )
    assert response.status_code == 404


def test_a_second_start_from_a_stale_page_says_one_is_already_under_way(
    commune, validator, channels, crisis, client_of
):
    response = client_of(validator).post(
        url(commune, "start"), start_data(channels, confirmed="1"), follow=True
    )
    assert "déjà en cours" in response.content.decode()
    assert Crisis.objects.count() == 1
