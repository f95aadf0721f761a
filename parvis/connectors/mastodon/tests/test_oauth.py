"""Connecting an account: the instance named by the user, app registration, OAuth 2
with PKCE S256."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from parvis.connectors.base import Credentials
from parvis.connectors.errors import Rejected, Unsupported
from parvis.connectors.mastodon.oauth import (
    SCOPES,
    MastodonOAuth,
    instance_base_url,
    register_app,
)
from parvis.connectors.oauth import OAuthClient, code_challenge
from parvis.connectors.testing import Router, fixture_response

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://social.saint-malo.fr"
CLIENT = OAuthClient(
    client_id="TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
    client_secret="ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    redirect_uri="https://parvis.example/canaux/mastodon/retour/",
)
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def respond(name: str):
    return lambda request: fixture_response(FIXTURES, name)


@pytest.mark.parametrize(
    "typed",
    [
        "social.saint-malo.fr",
        "https://social.saint-malo.fr/",
        "  Social.Saint-Malo.fr ",
        "@villedesaintmalo@social.saint-malo.fr",
    ],
)
def test_the_instance_named_by_the_user_becomes_an_https_base_url(typed):
    assert instance_base_url(typed) == BASE


@pytest.mark.parametrize(
    "typed",
    [
        "localhost",
        "127.0.0.1",
        "http://social.saint-malo.fr",
        "https://social.saint-malo.fr:8443",
        "https://social.saint-malo.fr/admin",
        "https://user@social.saint-malo.fr",
        "[::1]",
        "",
    ],
)
def test_addresses_that_are_not_a_public_https_host_are_refused(typed):
    with pytest.raises(Rejected):
        instance_base_url(typed)


def test_parvis_registers_itself_on_the_instance_with_its_scopes():
    router = Router().add("POST", r"^/api/v1/apps$", respond("apps_create__success"))
    client = register_app(
        router.client(),
        base_url=BASE,
        client_name="Parvis",
        redirect_uri=CLIENT.redirect_uri,
        website="https://parvis.example",
    )
    assert client == CLIENT
    request = router.seen[0]
    assert str(request.url) == f"{BASE}/api/v1/apps"
    assert json.loads(request.content) == {
        "client_name": "Parvis",
        "redirect_uris": [CLIENT.redirect_uri],
        "scopes": "read:accounts read:statuses read:notifications write:statuses "
        "write:media write:accounts",
        "website": "https://parvis.example",
    }


def test_a_refused_registration_carries_the_instance_message():
    router = Router().add("POST", r"^/api/v1/apps$", respond("apps_create__rejected"))
    with pytest.raises(Rejected) as caught:
        register_app(
            router.client(), base_url=BASE, client_name="Parvis", redirect_uri="retour"
        )
    assert (
        caught.value.message
        == "Validation failed: Redirect URI must be an absolute URI."
    )


def test_the_authorization_url_carries_state_and_an_s256_challenge():
    flow = MastodonOAuth(base_url=BASE, client=CLIENT, http=Router().client())
    url = flow.authorization_url(
        state="etat-123", code_challenge=code_challenge(VERIFIER)
    )

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/oauth/authorize"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {
        "response_type": "code",
        "client_id": CLIENT.client_id,
        "redirect_uri": CLIENT.redirect_uri,
        "scope": " ".join(SCOPES),
        "state": "etat-123",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "lang": "fr",
    }


def test_the_code_exchange_sends_the_verifier_and_gives_lasting_credentials():
    router = Router().add("POST", r"^/oauth/token$", respond("oauth_token__success"))
    flow = MastodonOAuth(base_url=BASE, client=CLIENT, http=router.client())
    credentials = flow.exchange_code(code="qDFUEaYrRK5c", code_verifier=VERIFIER)

    assert credentials == Credentials(
        access_token="ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
        base_url=BASE,
        expires_at=None,
        extra={"scope": " ".join(SCOPES)},
    )
    body = parse_qs(router.seen[0].content.decode())
    assert body == {
        "grant_type": ["authorization_code"],
        "code": ["qDFUEaYrRK5c"],
        "client_id": [CLIENT.client_id],
        "client_secret": [CLIENT.client_secret],
        "redirect_uri": [CLIENT.redirect_uri],
        "code_verifier": [VERIFIER],
    }


def test_a_refused_code_is_rejected_with_the_oauth_description():
    router = Router().add(
        "POST", r"^/oauth/token$", respond("oauth_token__invalid_grant")
    )
    flow = MastodonOAuth(base_url=BASE, client=CLIENT, http=router.client())
    with pytest.raises(Rejected) as caught:
        flow.exchange_code(code="deja-utilise", code_verifier=VERIFIER)
    assert caught.value.network_code == "invalid_grant"
    assert caught.value.message.startswith(
        "The provided authorization grant is invalid"
    )


def test_refreshing_is_unsupported_because_mastodon_tokens_do_not_expire():
    flow = MastodonOAuth(base_url=BASE, client=CLIENT, http=Router().client())
    with pytest.raises(Unsupported):
        flow.refresh(Credentials(access_token="x", base_url=BASE))
