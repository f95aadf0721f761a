"""Pinning a post (crisis mode's alert): the profile record's `pinnedPost` strong
reference, written with putRecord and swapRecord, on recorded XRPC payloads (the real
PDS is in test_real_pds.py)."""

import json
from pathlib import Path

import httpx
import pytest

from parvis.connectors.base import Capability, Credentials
from parvis.connectors.bluesky.connector import BlueskyConnector
from parvis.connectors.errors import Rejected
from parvis.connectors.testing import Router, fixture_handler, fixture_response

FIXTURES = Path(__file__).parent / "fixtures"
PDS = "https://amanita.us-east.host.bsky.network"
DID = "did:plc:3kbxn7wqzfrlv6e5uhlbvq2m"
GET = r"/xrpc/com\.atproto\.repo\.getRecord$"
PUT = r"/xrpc/com\.atproto\.repo\.putRecord$"
POST_URI = f"at://{DID}/app.bsky.feed.post/2vgc7hcwlp5wn"
POST_CID = "bafyreiqzli7f33pqrd6hlqxwh66xxofmkhf2sx5alvizbrifisharyee64"
PROFILE_CID = "bafyreibgpj5smqvzoolmvq6vxws7n4xvmuli2r4igndhbxb3gcbwdtci77"


def make_connector(router: Router) -> BlueskyConnector:
    credentials = Credentials(access_token="jeton-acces", account_id=DID, base_url=PDS)
    return BlueskyConnector(credentials, http=router.client())


def records(*, profile: str | None = "getRecord__profile"):
    """getRecord: the post, and the profile as recorded (or not found)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["collection"] == "app.bsky.feed.post":
            return fixture_response(FIXTURES, "getRecord__success")
        return fixture_response(FIXTURES, profile or "getRecord__not_found")

    return handler


def sent(request: httpx.Request) -> dict:
    return json.loads(request.content)


def test_bluesky_declares_pinning():
    assert BlueskyConnector.capabilities >= {Capability.PIN}


def test_pin_puts_the_profile_back_with_the_post_as_pinned_and_swaps_on_its_cid():
    router = (
        Router()
        .add("GET", GET, records())
        .add("POST", PUT, fixture_handler(FIXTURES, "putRecord__success"))
    )
    make_connector(router).pin(POST_URI)

    [put] = router.requests_to(PUT)
    assert put.headers["Authorization"] == "Bearer jeton-acces"
    assert sent(put) == {
        "repo": DID,
        "collection": "app.bsky.actor.profile",
        "rkey": "self",
        "record": {
            "$type": "app.bsky.actor.profile",
            "displayName": "Ville de Saint-Malo",
            "description": (
                "Compte officiel de la Ville de Saint-Malo : actualités, travaux, "
                "événements."
            ),
            "createdAt": "2024-11-14T09:12:31.000Z",
            "pinnedPost": {"uri": POST_URI, "cid": POST_CID},
        },
        "swapRecord": PROFILE_CID,
    }


def test_an_account_without_a_profile_record_gets_one_that_must_not_exist_yet():
    router = (
        Router()
        .add("GET", GET, records(profile=None))
        .add("POST", PUT, fixture_handler(FIXTURES, "putRecord__success"))
    )
    make_connector(router).pin(POST_URI)

    body = sent(router.requests_to(PUT)[0])
    assert body["record"] == {
        "$type": "app.bsky.actor.profile",
        "pinnedPost": {"uri": POST_URI, "cid": POST_CID},
    }
    assert body["swapRecord"] is None


def test_a_profile_edited_meanwhile_is_read_again_once_then_the_refusal_stands():
    answers = iter(["putRecord__invalid_swap", "putRecord__success"])
    router = (
        Router()
        .add("GET", GET, records())
        .add("POST", PUT, lambda r: fixture_response(FIXTURES, next(answers)))
    )
    make_connector(router).pin(POST_URI)
    assert len(router.requests_to(PUT)) == 2

    always = Router().add("GET", GET, records())
    always.add("POST", PUT, fixture_handler(FIXTURES, "putRecord__invalid_swap"))
    with pytest.raises(Rejected) as caught:
        make_connector(always).pin(POST_URI)
    assert caught.value.network_code == "InvalidSwap"
    assert len(always.requests_to(PUT)) == 2


def test_a_post_that_is_gone_cannot_be_pinned():
    router = Router().add("GET", GET, fixture_handler(FIXTURES, "getRecord__not_found"))
    with pytest.raises(Rejected, match="introuvable"):
        make_connector(router).pin(POST_URI)
    assert router.requests_to(PUT) == []


def test_unpin_removes_the_pinned_post_and_keeps_the_rest_of_the_profile():
    router = (
        Router()
        .add("GET", GET, records(profile="getRecord__profile_pinned"))
        .add("POST", PUT, fixture_handler(FIXTURES, "putRecord__success"))
    )
    make_connector(router).unpin(POST_URI)

    body = sent(router.requests_to(PUT)[0])
    assert "pinnedPost" not in body["record"]
    assert body["record"]["displayName"] == "Ville de Saint-Malo"
    assert (
        body["swapRecord"]
        == "bafyreihbkmmrw5lqlfnoanh5fm5kuqgu5mhn5sxbq5nsdfh6lzjvfbmrca"
    )


def test_unpin_leaves_another_pinned_post_alone():
    router = Router().add("GET", GET, records(profile="getRecord__profile_pinned"))
    make_connector(router).unpin(f"at://{DID}/app.bsky.feed.post/3lautrepost22")
    assert router.requests_to(PUT) == []
