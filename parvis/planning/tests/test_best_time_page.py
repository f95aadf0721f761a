"""The best-time page: every member sees it, outsiders get 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parvis.channels.models import ChannelStatus
from parvis.planning.best_time import MIN_PUBLICATIONS
from parvis.planning.tests.test_best_time import history, make_channel, weeks_back

pytestmark = pytest.mark.django_db


def recently() -> str:
    """Two days ago (the page reads the last 180 days before now)."""
    return (timezone.localdate() - dt.timedelta(days=2)).isoformat()


def page_url(authority):
    return reverse("best_time:page", args=[authority.slug])


def test_members_see_the_suggested_slots_of_each_usable_channel(
    client_of, editor, agent, commune
):
    make_channel(commune, network="facebook")
    make_channel(commune, network="mastodon", account_id="42")
    broken = make_channel(commune, network="linkedin", account_id="li")
    broken.status = ChannelStatus.RECONNECT
    broken.save(update_fields=["status"])

    for member in (editor, agent):
        page = client_of(member).get(page_url(commune))

        assert page.status_code == 200
        text = page.text
        assert "Facebook — Ville de Saint-Malo" in text
        assert "Mastodon — Ville de Saint-Malo" in text
        assert "LinkedIn" not in text.split("Comment c'est calculé")[0]
        assert "mardi à 12\u00a0h" in text
        assert "repère par défaut (Sprout Social 2023, Agorapulse 2023)" in text
        assert "Repères par défaut, tirés d'études générales" in text
        assert "<caption" in text and 'scope="row"' in text and 'scope="col"' in text
        assert "créneau conseillé" in text
        assert "https://www.socialmediatoday.com/" in text
        assert "Prochains créneaux conseillés" in text


def test_the_page_says_when_the_channel_s_own_results_are_used(
    client_of, editor, commune
):
    channel = make_channel(commune)
    history(channel, weeks_back(recently(), 17, MIN_PUBLICATIONS, engagement=40))

    page = client_of(editor).get(page_url(commune))

    assert "D'après vos 20 publications mesurées des 180 derniers jours" in page.text


def test_an_authority_without_a_usable_channel_is_sent_to_the_channels(
    client_of, editor, commune
):
    page = client_of(editor).get(page_url(commune))

    assert "Aucun canal ne peut publier pour l'instant." in page.text
    assert reverse("channels:list", args=[commune.slug]) in page.text


def test_the_page_makes_a_fixed_number_of_queries_per_channel(
    client_of, editor, commune
):
    channel = make_channel(commune)
    client = client_of(editor)
    history(channel, weeks_back(recently(), 17, 3, engagement=10))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(commune))
    history(channel, weeks_back(recently(), 12, 24, engagement=10))
    with CaptureQueriesContext(connection) as many:
        client.get(page_url(commune))

    assert len(few) == len(many)


def test_outsiders_get_404(client_of, outsider, commune):
    make_channel(commune)

    assert client_of(outsider).get(page_url(commune)).status_code == 404


def test_visitors_are_asked_to_sign_in(client, commune):
    response = client.get(page_url(commune))

    assert response.status_code == 302
    assert "connexion" in response["Location"]
