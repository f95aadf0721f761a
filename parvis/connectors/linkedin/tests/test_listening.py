"""Comments under the organization's posts (Comments API) and answers to them."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from parvis.connectors.base import Credentials
from parvis.connectors.errors import Rejected, Unsupported
from parvis.connectors.linkedin.connector import LinkedInConnector
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
POST = "urn:li:share:7401122334455667700"
ACT = "urn:li:activity:7401122334455667788"
QUESTION = f"urn:li:comment:({ACT},7401128765432109876)"
ANSWER = f"urn:li:comment:({ACT},7401130098765432101)"


def linkedin(router: Router) -> LinkedInConnector:
    credentials = Credentials(access_token="jeton-linkedin", account_id="10002687")
    return LinkedInConnector(credentials, router.client())


def comments_router() -> Router:
    return (
        Router()
        .add(
            "GET",
            r"/socialActions/urn:li:share:\d+/comments$",
            fixture_handler(FIXTURES, "socialActions_comments__success"),
        )
        .add(
            "GET",
            r"/socialActions/urn:li:comment:.*/comments$",
            fixture_handler(FIXTURES, "socialActions_comments__replies"),
        )
    )


def test_comments_and_their_replies_without_the_organizations_own():
    router = comments_router()
    comments = linkedin(router).comments(POST)

    assert [c.remote_id for c in comments] == [
        f"urn:li:comment:({ACT},7401125612398765432)",
        QUESTION,
    ]  # the organization's answer (a reply) is left out
    question = comments[1]
    assert question.author_id == "urn:li:person:q8WZ3kTx1B"
    assert question.author_name == ""  # LinkedIn names no member to an organization
    assert question.in_reply_to_id == POST and question.thread_key == POST
    assert question.created_at == dt.datetime(2025, 11, 30, 8, 0, tzinfo=dt.UTC)
    assert question.url.startswith(f"https://www.linkedin.com/feed/update/{POST}/")
    first, replies = router.seen
    assert first.url.raw_path.startswith(
        f"/rest/socialActions/{quote(POST, safe='')}/comments".encode()
    )
    assert first.url.params["count"] == "100"
    assert first.headers["LinkedIn-Version"]
    assert quote(QUESTION, safe="").encode() in replies.url.raw_path


def test_comments_since_a_time_are_the_newer_ones():
    since = dt.datetime(2025, 11, 30, 7, 30, tzinfo=dt.UTC)
    comments = linkedin(comments_router()).comments(POST, since=since)
    assert [c.remote_id for c in comments] == [QUESTION]


def test_reading_comments_without_the_permission_is_a_refusal():
    router = Router().add(
        "GET",
        r"/comments$",
        fixture_handler(FIXTURES, "socialActions_comments__access_denied"),
    )
    with pytest.raises(Rejected) as caught:
        linkedin(router).comments(POST)
    assert caught.value.network_code == "ACCESS_DENIED"


def test_an_answer_is_a_nested_comment_of_the_organization():
    router = Router().add(
        "POST",
        r"/comments$",
        fixture_handler(FIXTURES, "socialActions_comments_create__success"),
    )
    text = "Bonjour, oui : la ligne 5 desservira la zone dès le 5 janvier."
    part = linkedin(router).reply(QUESTION, text, idempotency_key="r-6")

    assert part.remote_id == f"urn:li:comment:({ACT},7401141122334455660)"
    sent = router.seen[0]
    assert quote(QUESTION, safe="").encode() in sent.url.raw_path
    assert json.loads(sent.content) == {
        "actor": "urn:li:organization:10002687",
        "object": ACT,
        "message": {"text": text},
        "parentComment": QUESTION,
    }


def test_an_answer_under_the_post_itself_has_no_parent_comment():
    router = Router().add(
        "POST",
        r"/comments$",
        fixture_handler(FIXTURES, "socialActions_comments_create__success"),
    )
    linkedin(router).reply(POST, "Merci à tous !", idempotency_key="r-7")
    body = json.loads(router.seen[0].content)
    assert body["object"] == POST and "parentComment" not in body


def test_comments_cannot_be_hidden_on_linkedin():
    with pytest.raises(Unsupported):
        linkedin(Router()).hide_comment(QUESTION)
