"""Connecting a Bluesky account with a handle and an app password, keeping its
session alive, and checking it (recorded XRPC payloads)."""

import datetime as dt
import json

import pytest

from parvis.connectors.bluesky import parse
from parvis.connectors.bluesky.oauth import (
    AppPasswordLogin,
    looks_like_app_password,
    normalize_identifier,
    pds_base_url,
)
from parvis.connectors.bluesky.tests.test_contract import (
    DID,
    FIXTURES,
    GET,
    PDS,
    make_connector,
    respond,
)
from parvis.connectors.errors import AuthExpired, Rejected
from parvis.connectors.testing import Router, load_fixture

CREATE_SESSION = r"/xrpc/com\.atproto\.server\.createSession$"
REFRESH_SESSION = r"/xrpc/com\.atproto\.server\.refreshSession$"
ISSUED_AT = 1777881480  # the `iat` of the recorded tokens


def test_login_exchanges_the_app_password_for_a_session_on_the_account_pds():
    router = Router().add("POST", CREATE_SESSION, respond("createSession__success"))
    flow = AppPasswordLogin(router.client())

    credentials = flow.login(
        identifier=" @Ville-Saint-Malo.bsky.social", app_password="abcd-efgh-ijkl-mnop"
    )

    [request] = router.seen
    assert (
        str(request.url) == "https://bsky.social/xrpc/com.atproto.server.createSession"
    )
    assert json.loads(request.content) == {
        "identifier": "ville-saint-malo.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    session = load_fixture(FIXTURES, "createSession__success")["body"]
    assert credentials.access_token == session["accessJwt"]
    assert credentials.refresh_token == session["refreshJwt"]
    assert credentials.account_id == DID
    # The DID document names the PDS that really hosts the account.
    assert credentials.base_url == PDS
    assert credentials.expires_at == dt.datetime.fromtimestamp(ISSUED_AT + 7200, dt.UTC)
    assert credentials.extra == {
        "handle": "ville-saint-malo.bsky.social",
        "refresh_expires_at": dt.datetime.fromtimestamp(
            ISSUED_AT + 90 * 86400, dt.UTC
        ).isoformat(),
    }


def test_a_wrong_password_is_refused_with_the_network_message():
    router = Router().add(
        "POST", CREATE_SESSION, respond("createSession__invalid_password")
    )
    with pytest.raises(Rejected) as caught:
        AppPasswordLogin(router.client(), "https://pds.saint-malo.fr").login(
            identifier="ville-saint-malo.bsky.social", app_password="faux"
        )
    assert caught.value.message == "Invalid identifier or password"
    assert caught.value.network_code == "AuthenticationRequired"
    assert str(router.seen[0].url).startswith("https://pds.saint-malo.fr/xrpc/")


def test_refresh_spends_the_refresh_token_for_a_new_pair():
    router = Router().add("POST", REFRESH_SESSION, respond("refreshSession__success"))
    connector = make_connector(router)

    renewed = AppPasswordLogin(router.client()).refresh(connector.credentials)

    [request] = router.seen
    assert str(request.url) == f"{PDS}/xrpc/com.atproto.server.refreshSession"
    assert request.headers["Authorization"] == "Bearer jeton-renouvellement"
    session = load_fixture(FIXTURES, "refreshSession__success")["body"]
    assert (renewed.access_token, renewed.refresh_token) == (
        session["accessJwt"],
        session["refreshJwt"],
    )
    assert renewed.expires_at == dt.datetime.fromtimestamp(
        ISSUED_AT + 6900 + 7200, dt.UTC
    )


def test_a_spent_refresh_token_means_connecting_again():
    router = Router().add(
        "POST", REFRESH_SESSION, respond("refreshSession__expired_token")
    )
    with pytest.raises(AuthExpired) as caught:
        make_connector(router).refresh()
    assert caught.value.network_code == "ExpiredToken"


def test_identifiers_app_passwords_and_pds_addresses_are_checked():
    assert normalize_identifier("@Mairie.Example.FR ") == "mairie.example.fr"
    assert normalize_identifier("communication@saint-malo.fr") == (
        "communication@saint-malo.fr"
    )
    assert normalize_identifier("did:plc:3kbxn7wqzfrlv6e5uhlbvq2m") == DID
    assert looks_like_app_password("abcd-efgh-ijkl-mnop")
    assert not looks_like_app_password("MonMotDePasse2026!")
    assert pds_base_url("") == "https://bsky.social"
    assert pds_base_url("https://PDS.saint-malo.fr/") == "https://pds.saint-malo.fr"
    for unsafe in ("http://pds.saint-malo.fr", "127.0.0.1", "https://x.fr/chemin"):
        with pytest.raises(Rejected):
            pds_base_url(unsafe)


def test_an_unreadable_token_has_no_known_expiry():
    assert parse.jwt_expiry("pas-un-jwt") is None
    assert parse.jwt_expiry("a.bm90LWpzb24.c") is None


def test_verify_reads_the_session_and_the_profile_record():
    router = Router().add(
        "GET",
        r"/xrpc/com\.atproto\.server\.getSession$",
        respond("getSession__success"),
    )
    router.add("GET", GET, respond("getRecord__profile"))
    info = make_connector(router).verify()

    assert (info.account_id, info.handle) == (DID, "ville-saint-malo.bsky.social")
    assert info.display_name == "Ville de Saint-Malo"
    assert info.url == "https://bsky.app/profile/ville-saint-malo.bsky.social"
    assert info.max_chars == 300
    assert router.seen[1].url.params["collection"] == "app.bsky.actor.profile"
