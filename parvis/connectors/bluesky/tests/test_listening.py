"""Replies, mentions and quotes from the notifications; answers as thread replies;
hidden replies in the thread's threadgate. (The same against a real PDS:
test_real_pds.py.)"""

import json
from pathlib import Path

import pytest

from parvis.connectors.base import Credentials
from parvis.connectors.bluesky import parse
from parvis.connectors.bluesky.connector import BlueskyConnector
from parvis.connectors.errors import Rejected, Unsupported
from parvis.connectors.testing import Router, fixture_handler, fixture_response

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://pds.saint-malo.fr"
DID = "did:plc:3kbxn7wqzfrlv6e5uhlbvq2m"
ROOT = f"at://{DID}/app.bsky.feed.post/2vgc7hcwlp5wn"
ROOT_CID = "bafyreiqzli7f33pqrd6hlqxwh66xxofmkhf2sx5alvizbrifisharyee64"
REPLY = "at://did:plc:wq4vd7k3ntj2ojxbyqhs6czr/app.bsky.feed.post/3mabc2dxq2k2y"
NOTIFICATIONS = r"/xrpc/app.bsky.notification.listNotifications$"


def bluesky(router: Router) -> BlueskyConnector:
    credentials = Credentials(access_token="jwt", account_id=DID, base_url=BASE)
    return BlueskyConnector(credentials, http=router.client())


def pages(request):
    name = "older" if "cursor" in request.url.params else "success"
    return fixture_response(FIXTURES, f"listNotifications__{name}")


def test_notifications_are_read_back_to_the_cursor_oldest_first():
    router = Router().add("GET", NOTIFICATIONS, pages)
    batch = bluesky(router).mentions(cursor="2026-05-04T08:00:00.000Z")

    assert [item.text[:20] for item in batch.items] == [
        "Bonne nouvelle pour ",
        "@saint-malo.bsky.soc",
        "Et le marché du mard",
    ]  # the like is no message; the mention of 3 May is older than the cursor
    assert batch.cursor == "2026-05-04T09:41:19.237Z"
    first, second = router.seen
    assert first.url.params.get_list("reasons") == ["mention", "reply", "quote"]
    assert second.url.params["cursor"] == "2026-05-04T09:12:44.310Z"


def test_a_reply_is_a_comment_in_the_thread_of_its_root():
    router = Router().add("GET", NOTIFICATIONS, pages)
    quote, mention, reply = bluesky(router).mentions(cursor="2026-05-04").items
    assert reply.kind == "comment"
    assert (reply.in_reply_to_id, reply.thread_key) == (ROOT, ROOT)
    assert reply.author_handle == "@soizic-l.bsky.social"
    assert reply.author_name == "Soizic L."
    assert reply.url == (
        "https://bsky.app/profile/did:plc:wq4vd7k3ntj2ojxbyqhs6czr/post/3mabc2dxq2k2y"
    )
    assert mention.kind == quote.kind == "mention"


def test_a_first_read_takes_the_latest_page_only():
    router = Router().add("GET", NOTIFICATIONS, pages)
    batch = bluesky(router).mentions()
    assert len(router.seen) == 1 and len(batch.items) == 2


def test_an_answer_replies_to_the_post_within_its_thread_under_a_fixed_key():
    router = (
        Router()
        .add(
            "GET",
            r"/xrpc/com.atproto.repo.getRecord$",
            fixture_handler(FIXTURES, "getRecord__reply"),
        )
        .add(
            "POST",
            r"/xrpc/com.atproto.repo.createRecord$",
            fixture_handler(FIXTURES, "createRecord__success"),
        )
    )
    text = "Bonjour, oui : le marché du mardi est maintenu, côté place."
    bluesky(router).reply(REPLY, text, idempotency_key="9b0c3c1e-reply")

    created = json.loads(router.requests_to(r"createRecord$")[0].content)
    assert created["rkey"] == parse.record_key("9b0c3c1e-reply", 0)
    assert created["record"]["text"] == text
    assert created["record"]["reply"] == {
        "root": {"cid": ROOT_CID, "uri": ROOT},
        "parent": {
            "uri": REPLY,
            "cid": "bafyreibt3dqfahxjqdh4nlo7s4y2k5vwuuqwbuvq6nkjzq6e5mh4pwm2ra",
        },
    }


def test_an_answer_to_a_post_gone_is_refused():
    router = Router().add(
        "GET",
        r"/xrpc/com.atproto.repo.getRecord$",
        fixture_handler(FIXTURES, "getRecord__not_found"),
    )
    with pytest.raises(Rejected, match="introuvable"):
        bluesky(router).reply(REPLY, "Bonjour", idempotency_key="k")


def test_hiding_a_reply_lists_it_in_the_threadgate_of_the_root():
    def get_record(request):
        if request.url.params["collection"] == "app.bsky.feed.threadgate":
            return fixture_response(FIXTURES, "getRecord__not_found")
        return fixture_response(FIXTURES, "getRecord__reply")

    router = (
        Router()
        .add("GET", r"/xrpc/com.atproto.repo.getRecord$", get_record)
        .add(
            "POST",
            r"/xrpc/com.atproto.repo.putRecord$",
            fixture_handler(FIXTURES, "putRecord__success"),
        )
    )
    bluesky(router).hide_comment(REPLY)

    put = json.loads(router.requests_to(r"putRecord$")[0].content)
    assert (put["collection"], put["rkey"]) == (
        "app.bsky.feed.threadgate",
        "2vgc7hcwlp5wn",
    )
    assert put["swapRecord"] is None
    assert put["record"]["post"] == ROOT
    assert put["record"]["hiddenReplies"] == [REPLY]
    assert "allow" not in put["record"]  # replies stay open to everyone


def test_direct_messages_and_comment_listings_are_not_read():
    connector = bluesky(Router())
    with pytest.raises(Unsupported):
        connector.direct_messages()
    with pytest.raises(Unsupported):
        connector.comments(ROOT)
