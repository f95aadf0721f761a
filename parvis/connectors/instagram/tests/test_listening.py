"""Comments under the account's media: reading them with their replies, answering,
hiding; and the `comments` events of the Instagram webhook."""

import datetime as dt
from pathlib import Path

import pytest

from parvis.connectors.base import Credentials, PublishedPart
from parvis.connectors.errors import Rejected, Unsupported
from parvis.connectors.instagram import parse
from parvis.connectors.instagram.connector import InstagramConnector
from parvis.connectors.testing import (
    Router,
    fixture_handler,
    form_fields,
    load_fixture,
)

FIXTURES = Path(__file__).parent / "fixtures"
IG = "17841400553012345"
MEDIA = "17912834561043287"
QUESTION = "17871203395123907"


def instagram(router: Router) -> InstagramConnector:
    credentials = Credentials(access_token="EAAJzQ1pageQmp4", account_id=IG)
    return InstagramConnector(credentials, http=router.client())


def comments_router() -> Router:
    return Router().add(
        "GET",
        rf"/{MEDIA}/comments$",
        fixture_handler(FIXTURES, "media_comments__success"),
    )


def test_comments_and_their_replies_come_oldest_first_without_our_own():
    router = comments_router()
    comments = instagram(router).comments(MEDIA)

    assert [c.remote_id for c in comments] == [
        "17860917244098122",
        QUESTION,
        "17934410782219005",
    ]
    question, thanks = comments[1], comments[2]
    assert question.author_handle == "@soazig.bzh"
    assert question.in_reply_to_id == MEDIA and question.thread_key == MEDIA
    assert thanks.in_reply_to_id == QUESTION
    assert thanks.created_at == dt.datetime(2026, 11, 28, 18, 20, 2, tzinfo=dt.UTC)
    fields = router.seen[0].url.params["fields"]
    assert fields.startswith("id,text,timestamp,username,from,parent_id,replies{")


def test_comments_since_a_time_are_the_newer_ones():
    since = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)
    comments = instagram(comments_router()).comments(MEDIA, since=since)
    assert [c.remote_id for c in comments] == ["17934410782219005"]


def test_an_answer_goes_to_the_replies_of_the_comment():
    router = Router().add(
        "POST",
        rf"/{QUESTION}/replies$",
        fixture_handler(FIXTURES, "comment_replies__success"),
    )
    part = instagram(router).reply(
        QUESTION, "Oui, tous les dimanches de décembre.", idempotency_key="r-2"
    )
    assert part == PublishedPart("17873440459141021")
    assert form_fields(router.seen[0])["message"] == (
        "Oui, tous les dimanches de décembre."
    )


def test_a_hidden_comment_cannot_be_answered():
    router = Router().add(
        "POST",
        rf"/{QUESTION}/replies$",
        fixture_handler(FIXTURES, "comment_replies__hidden_comment"),
    )
    with pytest.raises(Rejected) as caught:
        instagram(router).reply(QUESTION, "Bonjour", idempotency_key="r-3")
    assert caught.value.network_code == "100/2534022"


def test_hiding_a_comment_posts_hide_true():
    router = Router().add(
        "POST", rf"/{QUESTION}$", fixture_handler(FIXTURES, "comment_hide__success")
    )
    instagram(router).hide_comment(QUESTION)
    assert form_fields(router.seen[0])["hide"] == "true"


def test_mentions_are_not_read_from_instagram():
    with pytest.raises(Unsupported):
        instagram(Router()).mentions()


def test_the_comments_webhook_names_the_media():
    body = load_fixture(FIXTURES, "webhook_comments__comment")["body"]
    assert parse.webhook_comment_events(body) == [
        parse.CommentEvent("instagram", IG, MEDIA, "17934410782219005", "add")
    ]
