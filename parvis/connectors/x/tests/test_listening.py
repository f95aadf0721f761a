"""Mentions and replies from the mentions timeline, answers, hidden replies."""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from parvis.connectors.base import Credentials, PublishedPart
from parvis.connectors.errors import RateLimited, Rejected, Unsupported
from parvis.connectors.testing import Router, fixture_handler
from parvis.connectors.x.connector import XConnector

FIXTURES = Path(__file__).parent / "fixtures"
OWN = "1512345678901234567"
NOW = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)  # 15 min before the reset
MENTIONS = rf"^/2/users/{OWN}/mentions$"
CREDENTIALS = Credentials(
    access_token="jeton-x",
    account_id=OWN,
    extra={"scope": "tweet.read tweet.write users.read tweet.moderate.write"},
)


def x(router: Router, credentials: Credentials = CREDENTIALS) -> XConnector:
    return XConnector(credentials, router.client(), now=lambda: NOW)


def paged(request):
    name = "last_page" if "pagination_token" in request.url.params else "first_page"
    return fixture_handler(FIXTURES, f"users_mentions__{name}")(request)


def test_mentions_since_the_cursor_follow_every_page_oldest_first():
    router = Router().add("GET", MENTIONS, paged)
    batch = x(router).mentions(cursor="1994080000000000000")

    assert [item.remote_id for item in batch.items] == [
        "1994090001112223334",
        "1994098877665544332",
        "1994101122334455667",
    ]  # the account's own answer is left out
    assert batch.cursor == "1994101122334455667"
    first, second = router.seen
    assert first.url.params["since_id"] == "1994080000000000000"
    assert first.url.params["expansions"] == "author_id"
    assert second.url.params["pagination_token"].startswith("7140dibdnow9")


def test_a_reply_to_the_account_is_a_comment_and_a_mention_a_mention():
    batch = x(Router().add("GET", MENTIONS, paged)).mentions(cursor="1")
    reply, mention = batch.items[0], batch.items[1]
    assert reply.kind == "comment"
    assert reply.in_reply_to_id == "1994012345678901234"
    assert reply.thread_key == "1994012345678901234"
    assert reply.author_handle == "@loicbriand35"
    assert reply.author_name == "Loïc Briand"
    assert reply.created_at == dt.datetime(2026, 11, 30, 8, 31, 12, tzinfo=dt.UTC)
    assert mention.kind == "mention" and mention.in_reply_to_id == ""
    assert mention.url == "https://x.com/i/web/status/1994098877665544332"


def test_a_first_read_takes_the_latest_page_only():
    router = Router().add("GET", MENTIONS, paged)
    batch = x(router).mentions()
    assert len(router.seen) == 1 and "since_id" not in router.seen[0].url.params
    assert len(batch.items) == 2


def test_nothing_new_keeps_the_cursor():
    router = Router().add(
        "GET", MENTIONS, fixture_handler(FIXTURES, "users_mentions__empty")
    )
    batch = x(router).mentions(cursor="1994101122334455667")
    assert batch.items == () and batch.cursor == "1994101122334455667"


def test_a_rate_limited_timeline_says_when_the_window_resets():
    router = Router().add(
        "GET", MENTIONS, fixture_handler(FIXTURES, "users_mentions__rate_limited")
    )
    with pytest.raises(RateLimited) as caught:
        x(router).mentions(cursor="1")
    reset = dt.datetime.fromtimestamp(1795702500, dt.UTC)
    assert caught.value.retry_after == (reset - NOW).total_seconds() == 900


def test_an_answer_is_a_post_replying_to_the_mention():
    router = Router().add(
        "POST", r"^/2/tweets$", fixture_handler(FIXTURES, "tweets_reply__success")
    )
    text = "Bonjour, la ligne C4 passe par le boulevard Gambetta jusqu'au 4 décembre."
    part = x(router).reply("1994101122334455667", text, idempotency_key="r-4")
    assert part == PublishedPart(
        "1994104455667788990", "https://x.com/i/web/status/1994104455667788990"
    )
    assert json.loads(router.seen[0].content) == {
        "text": text,
        "reply": {"in_reply_to_tweet_id": "1994101122334455667"},
    }


def test_an_answer_longer_than_280_is_refused_before_sending():
    router = Router()
    with pytest.raises(Rejected):
        x(router).reply("1", "é" * 281, idempotency_key="r-5")
    assert router.seen == []


def test_hiding_a_reply_puts_hidden_true():
    router = Router().add(
        "PUT",
        r"^/2/tweets/1994101122334455667/hidden$",
        fixture_handler(FIXTURES, "tweets_hidden__success"),
    )
    x(router).hide_comment("1994101122334455667")
    assert json.loads(router.seen[0].content) == {"hidden": True}


def test_hiding_outside_the_accounts_conversations_is_refused():
    router = Router().add(
        "PUT",
        r"/hidden$",
        fixture_handler(FIXTURES, "tweets_hidden__not_our_conversation"),
    )
    with pytest.raises(Rejected, match="not permitted to hide"):
        x(router).hide_comment("1994098877665544332")


def test_an_account_connected_without_the_moderation_scope_is_asked_to_reconnect():
    older = dataclasses.replace(
        CREDENTIALS, extra={"scope": "tweet.read tweet.write users.read"}
    )
    router = Router()
    with pytest.raises(Rejected, match="reconnectez"):
        x(router, older).hide_comment("1994101122334455667")
    assert router.seen == []


def test_comments_and_private_messages_are_not_read_from_x():
    connector = x(Router())
    with pytest.raises(Unsupported):
        connector.comments("1994012345678901234")
    with pytest.raises(Unsupported):
        connector.direct_messages()
