"""Comments under the Page's posts: reading them, answering as the Page, hiding them;
and the comment events of the Page's webhook."""

import datetime as dt
from pathlib import Path

import pytest

from parvis.connectors.base import Credentials, PublishedPart
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected, Unsupported
from parvis.connectors.facebook import parse
from parvis.connectors.facebook.connector import FacebookConnector
from parvis.connectors.testing import (
    Router,
    fixture_handler,
    form_fields,
    load_fixture,
)

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
PAGE = "104508592408917"
POST = f"{PAGE}_122183947562018734"
QUESTION = "122183947562018734_1204863328871024"
FOLLOW_UP = "122183947562018734_1204871093358251"


def facebook(router: Router) -> FacebookConnector:
    credentials = Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE)
    return FacebookConnector(credentials, http=router.client(), clock=lambda: NOW)


def paged_comments(request):
    name = "last_page" if "after" in request.url.params else "first_page"
    return fixture_handler(FIXTURES, f"post_comments__{name}")(request)


def test_comments_follow_the_pages_and_leave_out_the_pages_own_answers():
    router = Router().add("GET", rf"/{POST}/comments$", paged_comments)
    comments = facebook(router).comments(POST)

    assert [c.remote_id for c in comments] == [
        "122183947562018734_1204859017320446",
        QUESTION,
        FOLLOW_UP,
    ]  # oldest first; the Page's own answer is not there
    question, follow_up = comments[1], comments[2]
    assert question.author_name == "Gaëlle Le Floch"
    assert question.author_id == "7348120991284501"
    assert question.in_reply_to_id == POST and question.thread_key == POST
    assert question.created_at == dt.datetime(2026, 11, 10, 8, 12, 55, tzinfo=dt.UTC)
    assert question.kind == "comment"
    assert follow_up.in_reply_to_id == QUESTION
    first, second = router.seen
    assert first.url.params["filter"] == "stream"
    assert first.url.params["order"] == "reverse_chronological"
    assert "from" in first.url.params["fields"].split(",")
    assert second.url.params["after"] == "QVFIUjFCb3VhbG9YbE1ucHdV"


def test_comments_since_a_time_stop_at_the_first_older_one():
    router = Router().add("GET", rf"/{POST}/comments$", paged_comments)
    since = dt.datetime(2026, 11, 10, 8, 30, tzinfo=dt.UTC)
    comments = facebook(router).comments(POST, since=since)
    assert [c.remote_id for c in comments] == [FOLLOW_UP]
    assert len(router.seen) == 2  # the older page is where it stopped


def test_reading_comments_without_the_permission_asks_to_reconnect():
    router = Router().add(
        "GET",
        rf"/{POST}/comments$",
        fixture_handler(FIXTURES, "post_comments__missing_permission"),
    )
    with pytest.raises(AuthExpired) as caught:
        facebook(router).comments(POST)
    assert caught.value.network_code == "10"


def test_a_throttled_page_says_when_to_come_back():
    router = Router().add(
        "GET", rf"/{POST}/comments$", fixture_handler(FIXTURES, "feed__rate_limited")
    )
    with pytest.raises(RateLimited) as caught:
        facebook(router).comments(POST)
    assert caught.value.retry_after == 7 * 60


def test_an_answer_is_a_comment_of_the_page_under_the_comment():
    router = Router().add(
        "POST",
        rf"/{QUESTION}/comments$",
        fixture_handler(FIXTURES, "comment_reply__success"),
    )
    part = facebook(router).reply(
        QUESTION, "Bonjour, le chantier démarre à 8 h.", idempotency_key="r-1"
    )
    assert part == PublishedPart("122183947562018734_1204879955210338")
    assert form_fields(router.seen[0]) == {
        "message": "Bonjour, le chantier démarre à 8 h.",
        "access_token": "EAAJzQ1pageQmp4",
    }


def test_an_empty_answer_is_refused_before_anything_is_sent():
    router = Router()
    with pytest.raises(Rejected):
        facebook(router).reply(QUESTION, "  ", idempotency_key="r-1")
    assert router.seen == []


def test_hiding_a_comment_sets_is_hidden():
    router = Router().add(
        "POST", rf"/{FOLLOW_UP}$", fixture_handler(FIXTURES, "comment_hide__success")
    )
    facebook(router).hide_comment(FOLLOW_UP)
    assert form_fields(router.seen[0])["is_hidden"] == "true"


def test_a_comment_that_cannot_be_hidden_is_a_refusal():
    router = Router().add(
        "POST",
        rf"/{FOLLOW_UP}$",
        fixture_handler(FIXTURES, "comment_hide__not_allowed"),
    )
    with pytest.raises(Rejected) as caught:
        facebook(router).hide_comment(FOLLOW_UP)
    assert caught.value.network_code == "100/33"


def test_mentions_and_private_messages_are_not_read_from_facebook():
    connector = facebook(Router())
    with pytest.raises(Unsupported):
        connector.mentions()
    with pytest.raises(Unsupported):
        connector.direct_messages()


def test_the_feed_webhook_names_the_post_of_a_new_comment_and_nothing_else():
    comment = load_fixture(FIXTURES, "webhook_feed__comment")["body"]
    reaction = load_fixture(FIXTURES, "webhook_feed__reaction")["body"]
    assert parse.webhook_comment_events(comment) == [
        parse.CommentEvent("facebook", PAGE, POST, FOLLOW_UP, "add")
    ]
    assert parse.webhook_comment_events(reaction) == []
    assert parse.webhook_comment_events({"object": "user"}) == []


def test_the_page_is_subscribed_to_its_feed_webhook():
    router = Router().add(
        "POST",
        rf"/{PAGE}/subscribed_apps$",
        fixture_handler(FIXTURES, "subscribed_apps__success"),
    )
    facebook(router).subscribe_webhooks()
    [request] = router.seen
    fields = form_fields(request)
    assert fields["subscribed_fields"] == "feed"
    assert "access_token" not in request.url.params  # in the body, not the URL


def test_a_page_token_without_the_metadata_permission_cannot_subscribe():
    router = Router().add(
        "POST",
        rf"/{PAGE}/subscribed_apps$",
        fixture_handler(FIXTURES, "subscribed_apps__missing_permission"),
    )
    with pytest.raises(AuthExpired) as caught:
        facebook(router).subscribe_webhooks()
    assert caught.value.network_code == "200"
