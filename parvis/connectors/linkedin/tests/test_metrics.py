"""Statistics of an organization's post and its followers, from recorded answers.

Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics
(specific shares and ugcPosts, ShareStatisticsData), https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api
(networkSizes: follower count), https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
and .../rate-limits (401, 429).
"""

import datetime as dt
from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.linkedin.connector import LinkedInConnector
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC)
SHARE = "urn:li:share:7399912345678901234"
UGC = "urn:li:ugcPost:7399100000000000000"
STATISTICS = r"^/rest/organizationalEntityShareStatistics$"


def linkedin(router: Router) -> LinkedInConnector:
    credentials = Credentials(access_token="jeton-linkedin", account_id="10002687")
    return LinkedInConnector(credentials, router.client(), now=lambda: NOW)


def answering(fixture: str, path: str = STATISTICS) -> Router:
    return Router().add("GET", path, fixture_handler(FIXTURES, fixture))


def test_linkedin_declares_metrics():
    assert Capability.METRICS in LinkedInConnector.capabilities


def test_a_share_gives_impressions_reach_likes_comments_shares_and_clicks():
    router = answering("share_statistics__success")
    metrics = linkedin(router).post_metrics(SHARE)

    assert metrics == PostMetrics(
        remote_id=SHARE,
        impressions=2630,
        reach=1840,
        reactions=74,
        comments=5,
        shares=12,
        clicks=96,
        video_views=None,
    )
    request = router.seen[0]
    assert request.url.query.decode() == (
        "q=organizationalEntity"
        "&organizationalEntity=urn%3Ali%3Aorganization%3A10002687"
        "&shares=List(urn%3Ali%3Ashare%3A7399912345678901234)"
    )
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["LinkedIn-Version"]


def test_a_ugc_post_is_asked_for_as_such():
    router = answering("share_statistics__ugc_post")
    metrics = linkedin(router).post_metrics(UGC)
    assert "ugcPosts=List(urn%3Ali%3AugcPost%3A" in router.seen[0].url.query.decode()
    assert (metrics.impressions, metrics.reach, metrics.clicks) == (905, 610, 18)


def test_statistics_left_out_stay_unknown():
    metrics = linkedin(answering("share_statistics__missing_fields")).post_metrics(
        SHARE
    )
    assert (metrics.reach, metrics.clicks) == (None, None)
    assert (metrics.impressions, metrics.shares) == (140, 0)  # a 0 said is a 0


def test_a_post_without_statistics_is_rejected():
    with pytest.raises(Rejected):
        linkedin(answering("share_statistics__empty")).post_metrics(SHARE)


def test_a_urn_that_is_no_post_is_rejected_without_asking():
    router = Router()
    with pytest.raises(Rejected):
        linkedin(router).post_metrics("urn:li:comment:(urn:li:activity:1,2)")
    assert router.seen == []


def test_an_expired_token_asks_to_reconnect():
    with pytest.raises(AuthExpired):
        linkedin(answering("share_statistics__expired_token")).post_metrics(SHARE)


def test_the_daily_quota_waits_at_most_an_hour():
    with pytest.raises(RateLimited) as caught:
        linkedin(answering("share_statistics__rate_limited")).post_metrics(SHARE)
    assert caught.value.retry_after == 3600  # midnight UTC is further away


def test_followers_are_the_organizations_network_size():
    router = answering("network_sizes__success", path=r"^/rest/networkSizes/")
    assert linkedin(router).followers() == 4120
    request = router.seen[0]
    assert request.url.raw_path.decode().startswith(
        "/rest/networkSizes/urn%3Ali%3Aorganization%3A10002687?"
    )
    assert request.url.params["edgeType"] == "COMPANY_FOLLOWED_BY_MEMBER"
