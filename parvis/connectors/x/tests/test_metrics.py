"""Counters of a post and followers of the account, from recorded answers.

Docs: https://docs.x.com/x-api/fundamentals/metrics (public_metrics; non_public_metrics
for owned posts of the last 30 days), https://docs.x.com/x-api/posts/lookup/introduction,
https://docs.x.com/x-api/fundamentals/response-codes-and-errors (401, partial errors),
https://docs.x.com/x-api/fundamentals/rate-limits (429, x-rate-limit-reset),
https://docs.x.com/fundamentals/x-ids (Snowflake ids carry their time),
https://docs.x.com/x-api/users/lookup/quickstart/authenticated-lookup (users/me).
"""

import datetime as dt
from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.testing import Router, fixture_handler
from parvis.connectors.x import parse
from parvis.connectors.x.connector import XConnector

FIXTURES = Path(__file__).parent / "fixtures"
OWN = "1512345678901234567"
NOW = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
YOUNG = "2125514828805219779"  # posted 2026-11-25 09:00 UTC
OLD = "2112468865643619779"  # posted 2026-10-20 09:00 UTC, 37 days before NOW


def x(router: Router) -> XConnector:
    credentials = Credentials(access_token="jeton-x", account_id=OWN)
    return XConnector(credentials, router.client(), now=lambda: NOW)


def answering(post_id: str, fixture: str) -> Router:
    return Router().add(
        "GET", rf"^/2/tweets/{post_id}$", fixture_handler(FIXTURES, fixture)
    )


def test_x_declares_metrics():
    assert Capability.METRICS in XConnector.capabilities


def test_an_id_tells_when_its_post_was_created():
    assert parse.created_at_from_id(YOUNG) == dt.datetime(
        2026, 11, 25, 9, 0, tzinfo=dt.UTC
    )
    assert parse.created_at_from_id("not-a-snowflake") is None


def test_a_recent_post_gives_public_counts_impressions_and_link_clicks():
    router = answering(YOUNG, "tweets_lookup__young")
    metrics = x(router).post_metrics(YOUNG)

    assert metrics == PostMetrics(
        remote_id=YOUNG,
        impressions=8650,
        reach=None,  # X gives no reach
        reactions=142,
        comments=11,
        shares=27,  # 23 reposts and 4 quotes
        clicks=131,
        video_views=None,
    )
    request = router.seen[0]
    assert request.url.params["tweet.fields"] == "public_metrics,non_public_metrics"
    assert request.headers["Authorization"] == "Bearer jeton-x"


def test_a_post_older_than_30_days_is_read_with_its_public_counts_only():
    router = answering(OLD, "tweets_lookup__old")
    metrics = x(router).post_metrics(OLD)

    assert router.seen[0].url.params["tweet.fields"] == "public_metrics"
    assert (metrics.reactions, metrics.comments, metrics.shares) == (39, 3, 8)
    assert metrics.clicks is None
    assert metrics.impressions is None  # not in this public_metrics


def test_a_post_without_link_has_no_link_clicks_rather_than_zero():
    metrics = x(answering(YOUNG, "tweets_lookup__without_link")).post_metrics(YOUNG)
    assert metrics.clicks is None
    assert metrics.impressions == 2210


def test_a_deleted_post_answered_with_errors_only_is_rejected():
    router = answering(YOUNG, "tweets_lookup__deleted")
    with pytest.raises(Rejected) as caught:
        x(router).post_metrics(YOUNG)
    assert caught.value.network_code == "resource-not-found"
    assert "Could not find tweet" in caught.value.message


def test_a_revoked_token_asks_to_reconnect():
    with pytest.raises(AuthExpired):
        x(answering(YOUNG, "tweets_lookup__expired_token")).post_metrics(YOUNG)


def test_a_rate_limited_read_waits_for_the_window_reset():
    with pytest.raises(RateLimited) as caught:
        x(answering(YOUNG, "tweets_lookup__rate_limited")).post_metrics(YOUNG)
    assert caught.value.retry_after == 1795702500 - NOW.timestamp()


def test_followers_are_the_accounts_public_followers_count():
    router = Router().add(
        "GET", r"^/2/users/me$", fixture_handler(FIXTURES, "users_me_metrics__success")
    )
    assert x(router).followers() == 12840
    assert router.seen[0].url.params["user.fields"] == "public_metrics"


def test_a_user_answer_without_public_metrics_gives_no_followers():
    router = Router().add(
        "GET", r"^/2/users/me$", fixture_handler(FIXTURES, "users_me__success")
    )
    assert x(router).followers() is None
