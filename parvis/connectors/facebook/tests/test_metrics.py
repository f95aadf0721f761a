"""Counters of a Page post and followers of the Page, from recorded answers.

Docs: https://developers.facebook.com/docs/graph-api/reference/page-post/ (shares),
https://developers.facebook.com/docs/graph-api/reference/object/reactions and
/object/comments (summary total_count), https://developers.facebook.com/docs/graph-api/reference/insights/
and https://developers.facebook.com/docs/graph-api/changelog/version25.0 (current
post metrics: post_media_view, post_total_media_view_unique, post_clicks_by_type),
https://developers.facebook.com/docs/graph-api/reference/insights-result/ (shape),
https://developers.facebook.com/docs/graph-api/reference/page/ (followers_count),
https://developers.facebook.com/docs/graph-api/guides/error-handling (errors).
"""

import datetime as dt
from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.facebook.connector import FacebookConnector
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
PAGE = "104508592408917"
POST = f"{PAGE}_122183947562018734"
COUNTS = rf"^/v\d+\.\d+/{POST}$"
INSIGHTS = rf"^/v\d+\.\d+/{POST}/insights$"


def facebook(router: Router) -> FacebookConnector:
    credentials = Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE)
    return FacebookConnector(credentials, http=router.client(), clock=lambda: NOW)


def post_answering(counts: str, insights: str = "post_insights__success") -> Router:
    return (
        Router()
        .add("GET", INSIGHTS, fixture_handler(FIXTURES, insights))
        .add("GET", COUNTS, fixture_handler(FIXTURES, counts))
    )


def test_facebook_declares_metrics():
    assert Capability.METRICS in FacebookConnector.capabilities


def test_a_page_post_gives_its_counts_and_its_current_insights():
    router = post_answering("post_counts__success")
    metrics = facebook(router).post_metrics(POST)

    assert metrics == PostMetrics(
        remote_id=POST,
        impressions=5120,
        reach=3410,
        reactions=48,
        comments=9,
        shares=6,
        clicks=87,  # link clicks only, not clicks on the photo
        video_views=None,
    )
    counts, insights = router.seen
    assert "reactions.summary(total_count)" in counts.url.params["fields"]
    assert insights.url.params["metric"] == (
        "post_media_view,post_total_media_view_unique,post_clicks_by_type"
    )
    # The deprecated impressions metrics are never asked for.
    assert "post_impressions" not in insights.url.params["metric"]


def test_fields_and_metrics_graph_leaves_out_stay_unknown():
    router = post_answering("post_counts__never_shared", "post_insights__partial")
    metrics = facebook(router).post_metrics(POST)

    assert metrics.shares is None
    assert metrics.reach is None
    assert metrics.clicks is None  # clicks of other kinds only: no link clicks said
    assert (metrics.impressions, metrics.reactions, metrics.comments) == (212, 3, 0)


def test_insights_refused_for_want_of_permission_keep_the_public_counts():
    router = post_answering("post_counts__success", "post_insights__missing_permission")
    metrics = facebook(router).post_metrics(POST)

    assert (metrics.reactions, metrics.comments, metrics.shares) == (48, 9, 6)
    assert (metrics.impressions, metrics.reach, metrics.clicks) == (None, None, None)


def test_a_deleted_post_is_rejected():
    router = post_answering("post_counts__not_found")
    with pytest.raises(Rejected) as caught:
        facebook(router).post_metrics(POST)
    assert caught.value.network_code == "100/33"


def test_an_expired_page_token_asks_to_reconnect():
    router = post_answering("post_counts__expired_token")
    with pytest.raises(AuthExpired):
        facebook(router).post_metrics(POST)


def test_a_throttled_page_says_when_to_come_back():
    router = post_answering("post_counts__rate_limited")
    with pytest.raises(RateLimited) as caught:
        facebook(router).post_metrics(POST)
    assert caught.value.retry_after == 7 * 60  # estimated_time_to_regain_access


def test_an_expired_token_on_the_insights_is_not_taken_for_a_refusal():
    router = post_answering("post_counts__success", "post_counts__expired_token")
    with pytest.raises(AuthExpired):
        facebook(router).post_metrics(POST)


def test_followers_are_the_pages_followers_count():
    router = Router().add(
        "GET",
        rf"^/v\d+\.\d+/{PAGE}$",
        fixture_handler(FIXTURES, "page_followers__success"),
    )
    assert facebook(router).followers() == 5210
    assert router.seen[0].url.params["fields"] == "followers_count"
