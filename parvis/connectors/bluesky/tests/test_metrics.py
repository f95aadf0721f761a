"""Counters of a post and followers of the account, from recorded answers.

Docs: https://docs.bsky.app/docs/api/app-bsky-feed-get-posts and the postView of
https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/defs.json
(every count optional); https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
(profileViewDetailed.followersCount); https://docs.bsky.app/docs/advanced-guides/rate-limits.
"""

from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.bluesky.connector import BlueskyConnector
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://pds.saint-malo.fr"
DID = "did:plc:3kbxn7wqzfrlv6e5uhlbvq2m"
POST = f"at://{DID}/app.bsky.feed.post/2vgc7hcwlp5wn"
GET_POSTS = r"^/xrpc/app.bsky.feed.getPosts$"
GET_PROFILE = r"^/xrpc/app.bsky.actor.getProfile$"


def bluesky(router: Router) -> BlueskyConnector:
    credentials = Credentials(access_token="jwt", account_id=DID, base_url=BASE)
    return BlueskyConnector(credentials, http=router.client())


def answering(path: str, fixture: str) -> Router:
    return Router().add("GET", path, fixture_handler(FIXTURES, fixture))


def test_bluesky_declares_metrics():
    assert Capability.METRICS in BlueskyConnector.capabilities


def test_a_post_gives_likes_replies_and_reposts_with_quotes():
    router = answering(GET_POSTS, "getPosts__success")
    metrics = bluesky(router).post_metrics(POST)

    assert metrics == PostMetrics(
        remote_id=POST,
        impressions=None,
        reach=None,
        reactions=63,
        comments=7,
        shares=17,  # 15 reposts and 2 quotes
        clicks=None,
        video_views=None,
    )
    request = router.seen[0]
    assert request.url.params.get_list("uris") == [POST]
    assert request.headers["Authorization"] == "Bearer jwt"


def test_counts_the_app_view_leaves_out_stay_unknown():
    router = answering(GET_POSTS, "getPosts__without_counts")
    metrics = bluesky(router).post_metrics(POST)
    assert metrics.comments is None
    assert metrics.shares == 15  # reposts alone: the quotes are not said
    assert metrics.reactions == 63


def test_a_deleted_post_is_rejected():
    router = answering(GET_POSTS, "getPosts__deleted")
    with pytest.raises(Rejected) as caught:
        bluesky(router).post_metrics(POST)
    assert "not found" in caught.value.message


def test_an_expired_session_asks_to_reconnect():
    router = answering(GET_POSTS, "getPosts__expired_token")
    with pytest.raises(AuthExpired):
        bluesky(router).post_metrics(POST)


def test_a_rate_limited_read_says_how_long_to_wait():
    router = answering(GET_POSTS, "getPosts__rate_limited")
    with pytest.raises(RateLimited) as caught:
        bluesky(router).post_metrics(POST)
    assert caught.value.retry_after == 1287


def test_followers_are_the_profile_followers_count():
    router = answering(GET_PROFILE, "getProfile__success")
    assert bluesky(router).followers() == 2874
    assert router.seen[0].url.params["actor"] == DID


def test_a_profile_without_followers_count_gives_none_not_zero():
    router = answering(GET_PROFILE, "getProfile__without_followers_count")
    assert bluesky(router).followers() is None
