"""Connecting accounts from the UI, with the networks answered by recorded payloads."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from parvis.channels.crypto import decrypt_json
from parvis.channels.models import Channel, MastodonApp
from parvis.connectors.testing import Router, fixture_response

pytestmark = pytest.mark.django_db
CONNECTORS = Path(__file__).resolve().parents[2] / "connectors"
MASTODON = CONNECTORS / "mastodon" / "tests" / "fixtures"
BLUESKY = CONNECTORS / "bluesky" / "tests" / "fixtures"
FACEBOOK = CONNECTORS / "facebook" / "tests" / "fixtures"


@pytest.fixture
def router(monkeypatch):
    router = Router()
    monkeypatch.setattr("parvis.channels.connect.user_address_client", router.client)
    return router


def connect_url(authority, network):
    return reverse("channels:connect", args=[authority.slug, network])


def test_mastodon_registers_parvis_once_then_completes_the_oauth_round_trip(
    client_of, editor, commune, router
):
    router.reply(
        "POST", "/api/v1/apps$", fixture_response(MASTODON, "apps_create__success")
    )
    router.reply(
        "POST", "/oauth/token$", fixture_response(MASTODON, "oauth_token__success")
    )
    router.reply(
        "GET",
        "/api/v1/accounts/verify_credentials$",
        fixture_response(MASTODON, "accounts_verify_credentials__success"),
    )
    router.reply(
        "GET", "/api/v2/instance$", fixture_response(MASTODON, "instance__success")
    )
    client = client_of(editor)

    response = client.post(
        connect_url(commune, "mastodon"), {"instance": "@ville@Social.Example.fr"}
    )
    assert response.status_code == 302
    authorize = urlsplit(response["Location"])
    assert authorize.netloc == "social.example.fr"
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["state"]
    assert MastodonApp.objects.get().instance_url == "https://social.example.fr"

    callback = reverse("channels:callback", args=["mastodon"])
    response = client.get(callback, {"code": "abc", "state": query["state"][0]})
    assert response["Location"] == reverse("channels:list", args=[commune.slug])
    channel = Channel.objects.get(authority=commune)
    assert channel.network == "mastodon" and channel.handle
    assert "ZA-Yj3aBD8U8Cm7lKUp" not in channel.credentials_encrypted
    token_request = router.requests_to("/oauth/token$")[0]
    assert b"code_verifier=" in token_request.content
    # The same state cannot be used twice.
    again = client.get(callback, {"code": "abc", "state": query["state"][0]})
    assert again.status_code == 400


def test_an_application_registered_with_fewer_scopes_is_registered_again(
    client_of, editor, commune, router
):
    from parvis.channels.crypto import encrypt_json
    from parvis.connectors.mastodon.oauth import SCOPES

    MastodonApp.objects.create(
        instance_url="https://social.example.fr",
        client_id="old-client",
        client_secret_encrypted=encrypt_json({"secret": "old"}),
        redirect_uri="https://parvis.example/canaux/retour/mastodon/",
        scopes="read:accounts read:statuses write:statuses write:media",
    )
    router.reply(
        "POST", "/api/v1/apps$", fixture_response(MASTODON, "apps_create__success")
    )
    response = client_of(editor).post(
        connect_url(commune, "mastodon"), {"instance": "social.example.fr"}
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    app = MastodonApp.objects.get()
    assert app.client_id != "old-client" and app.scopes == " ".join(SCOPES)
    assert query["client_id"] == [app.client_id]
    assert "write:accounts" in query["scope"][0]
    # Registered with the current scopes: used as is next time.
    client_of(editor).post(
        connect_url(commune, "mastodon"), {"instance": "social.example.fr"}
    )
    assert len(router.requests_to("/api/v1/apps$")) == 1


def test_a_private_or_malformed_instance_is_refused_in_french(
    client_of, editor, commune, router
):
    page = client_of(editor).post(
        connect_url(commune, "mastodon"), {"instance": "127.0.0.1"}
    )
    assert "Adresse d&#x27;instance Mastodon invalide" in page.text
    assert router.seen == []


def test_bluesky_connects_with_an_app_password(client_of, editor, commune, router):
    router.reply(
        "POST",
        "com.atproto.server.createSession$",
        fixture_response(BLUESKY, "createSession__success"),
    )
    router.reply(
        "GET",
        "com.atproto.server.getSession$",
        fixture_response(BLUESKY, "getSession__success"),
    )
    router.reply(
        "GET",
        "com.atproto.repo.getRecord$",
        fixture_response(BLUESKY, "getRecord__profile"),
    )
    response = client_of(editor).post(
        connect_url(commune, "bluesky"),
        {
            "identifier": "ville-saint-malo.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(authority=commune, network="bluesky")
    assert channel.account_id.startswith("did:plc:")
    assert "abcd-efgh" not in str(decrypt_json(channel.credentials_encrypted))


def test_a_network_without_a_registered_application_says_what_to_configure(
    client_of, editor, commune, settings
):
    settings.X_CLIENT_ID = ""
    page = client_of(editor).get(connect_url(commune, "x"))
    assert "Pas encore disponible sur cette installation" in page.text
    assert "/canaux/retour/x/" in page.text


def test_facebook_lets_the_editor_choose_the_page(
    client_of, editor, commune, router, settings
):
    settings.META_APP_ID, settings.META_APP_SECRET = "123", "secret"
    router.reply(
        "GET",
        "/oauth/access_token$",
        fixture_response(FACEBOOK, "oauth_access_token__code"),
    )
    router.reply(
        "GET", "/me/accounts$", fixture_response(FACEBOOK, "accounts__success")
    )
    router.reply("GET", r"/\d+$", fixture_response(FACEBOOK, "page__success"))
    client = client_of(editor)
    start = client.post(connect_url(commune, "facebook"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    callback = client.get(
        reverse("channels:callback", args=["facebook"]), {"code": "c", "state": state}
    )
    assert "/canaux/choisir/" in callback["Location"]
    choice = client.get(callback["Location"])
    assert "Quel compte Facebook connecter" in choice.text


def test_a_callback_for_another_authority_member_is_404(
    client_of, editor, commune, outsider, router
):
    router.reply(
        "POST", "/api/v1/apps$", fixture_response(MASTODON, "apps_create__success")
    )
    client = client_of(editor)
    start = client.post(
        connect_url(commune, "mastodon"), {"instance": "social.example.fr"}
    )
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    client.force_login(outsider)  # the session changes hands: the state is gone
    response = client.get(
        reverse("channels:callback", args=["mastodon"]), {"code": "c", "state": state}
    )
    assert response.status_code == 400
    assert not Channel.objects.exists()
