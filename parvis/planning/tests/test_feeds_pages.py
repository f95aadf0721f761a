import pytest
from django.urls import reverse

from parvis.planning import services
from parvis.planning.models import CalendarFeed
from parvis.planning.selectors_feeds import hash_token

pytestmark = pytest.mark.django_db


def list_url(authority):
    return reverse("feeds:list", args=[authority.slug])


def revoke_url(feed):
    return reverse("feeds:revoke", args=[feed.authority.slug, feed.pk])


def test_a_validator_creates_a_feed_and_sees_its_address_once(
    client_of, commune, validator
):
    client = client_of(validator)
    response = client.post(list_url(commune), {"label": "Agenda du maire"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert feed.label == "Agenda du maire" and feed.created_by == validator

    page = client.get(list_url(commune))
    assert page["Cache-Control"] == "no-store"
    prefix = "http://127.0.0.1:8000/calendrier/ics/"
    start = page.text.index(prefix) + len(prefix)
    token = page.text[start : page.text.index(".ics", start)]
    assert hash_token(token) == feed.token_hash
    assert "webcal://127.0.0.1:8000/calendrier/ics/" in page.text
    assert "Parvis ne garde pas cette adresse" in page.text
    assert "Google Agenda" in page.text and "Outlook" in page.text

    again = client.get(list_url(commune))
    assert token not in again.text
    assert "Agenda du maire" in again.text


def test_an_empty_label_is_refused_in_french(client_of, commune, validator):
    response = client_of(validator).post(list_url(commune), {"label": " "})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.text
    assert not CalendarFeed.objects.exists()


def test_the_address_of_one_authority_is_not_shown_on_another(
    client_of, commune, other_authority, agency, admin_user
):
    from parvis.accounts.roles import Role
    from parvis.accounts.services import membership_set

    for authority in (commune, other_authority):
        membership_set(authority=authority, user=agency, role=Role.ADMIN, actor=None)
    client = client_of(agency)
    client.post(list_url(commune), {"label": "Maire"})
    other_page = client.get(list_url(other_authority))
    assert "/calendrier/ics/" not in other_page.text
    assert "/calendrier/ics/" in client.get(list_url(commune)).text


def test_revoking_asks_for_confirmation_then_closes_the_address(
    client, client_of, commune, validator
):
    feed, token = services.calendar_feed_create(
        authority=commune, actor=validator, label="Cabinet"
    )
    signed_in = client_of(validator)
    confirm = signed_in.get(revoke_url(feed))
    assert confirm.status_code == 200
    assert "Révoquer l'abonnement « Cabinet »" in confirm.text
    feed.refresh_from_db()
    assert feed.revoked_at is None

    response = signed_in.post(revoke_url(feed), follow=True)
    assert "est révoqué" in response.text
    assert "Révoqué le" in response.text
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    signed_in.logout()
    assert client.get(reverse("feeds:ics", args=[token])).status_code == 404


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_editors_and_outsiders_cannot_manage_feeds(
    request, client_of, commune, validator, who
):
    feed, _ = services.calendar_feed_create(
        authority=commune, actor=validator, label="Cabinet"
    )
    client = client_of(request.getfixturevalue(who))
    assert client.get(list_url(commune)).status_code == 404
    assert client.post(list_url(commune), {"label": "X"}).status_code == 404
    assert client.post(revoke_url(feed)).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert CalendarFeed.objects.count() == 1


def test_an_administrator_cannot_revoke_a_feed_of_another_authority(
    client_of, commune, other_authority, validator, outsider
):
    feed, _ = services.calendar_feed_create(
        authority=commune, actor=validator, label="Cabinet"
    )
    url = reverse("feeds:revoke", args=[other_authority.slug, feed.pk])
    assert client_of(outsider).post(url).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, commune):
    response = client.get(list_url(commune))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
