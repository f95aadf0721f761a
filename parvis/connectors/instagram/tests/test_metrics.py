"""Counters of a media and followers of the account, from recorded answers.

Docs: https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
(like_count, comments_count), https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
(views, reach, likes, comments, shares; empty data set rather than 0; "(#10) Not
enough viewers"), https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
(followers_count), https://developers.facebook.com/docs/graph-api/guides/error-handling.
"""

from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.instagram.connector import InstagramConnector
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
IG = "17841400553012345"
MEDIA = "17912834561043287"
COUNTS = rf"^/v\d+\.\d+/{MEDIA}$"
INSIGHTS = rf"^/v\d+\.\d+/{MEDIA}/insights$"


def instagram(router: Router) -> InstagramConnector:
    credentials = Credentials(access_token="EAAJzQ1pageQmp4", account_id=IG)
    return InstagramConnector(credentials, http=router.client())


def media_answering(counts: str, insights: str = "media_insights__success") -> Router:
    return (
        Router()
        .add("GET", INSIGHTS, fixture_handler(FIXTURES, insights))
        .add("GET", COUNTS, fixture_handler(FIXTURES, counts))
    )


def test_instagram_declares_metrics():
    assert Capability.METRICS in InstagramConnector.capabilities


def test_a_media_gives_its_views_reach_likes_comments_and_shares():
    router = media_answering("media_counts__success")
    metrics = instagram(router).post_metrics(MEDIA)

    assert metrics == PostMetrics(
        remote_id=MEDIA,
        impressions=4630,  # `views`, which replaced impressions
        reach=2980,
        reactions=221,
        comments=18,
        shares=35,
        clicks=None,  # links in captions do not click
        video_views=None,
    )
    counts, insights = router.seen
    assert counts.url.params["fields"] == "like_count,comments_count"
    assert insights.url.params["metric"] == "views,reach,likes,comments,shares"


def test_an_empty_insights_answer_leaves_them_unknown_not_zero():
    router = media_answering("media_counts__success", "media_insights__empty")
    metrics = instagram(router).post_metrics(MEDIA)

    assert (metrics.impressions, metrics.reach, metrics.shares) == (None, None, None)
    assert (metrics.reactions, metrics.comments) == (214, 17)  # the media's fields


def test_not_enough_viewers_is_no_reason_to_reconnect():
    router = media_answering(
        "media_counts__success", "media_insights__not_enough_viewers"
    )
    metrics = instagram(router).post_metrics(MEDIA)
    assert metrics.reach is None
    assert metrics.reactions == 214


def test_a_deleted_media_is_rejected():
    router = media_answering("media_counts__not_found")
    with pytest.raises(Rejected):
        instagram(router).post_metrics(MEDIA)


def test_an_expired_token_asks_to_reconnect():
    router = media_answering("media_counts__expired_token")
    with pytest.raises(AuthExpired):
        instagram(router).post_metrics(MEDIA)


def test_an_application_over_its_limit_waits():
    router = media_answering("media_counts__rate_limited")
    with pytest.raises(RateLimited) as caught:
        instagram(router).post_metrics(MEDIA)
    assert caught.value.retry_after == 15 * 60


def test_followers_are_the_accounts_followers_count():
    router = Router().add(
        "GET",
        rf"^/v\d+\.\d+/{IG}$",
        fixture_handler(FIXTURES, "ig_user_followers__success"),
    )
    assert instagram(router).followers() == 3820
    assert router.seen[0].url.params["fields"] == "followers_count"
