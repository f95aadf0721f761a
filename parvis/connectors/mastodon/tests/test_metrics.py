"""Counters of a status and followers of the account, from recorded answers.

Docs: https://docs.joinmastodon.org/methods/statuses/#get (Status, 401, 404),
https://docs.joinmastodon.org/entities/Status/ (replies_count since 2.5.0),
https://docs.joinmastodon.org/methods/accounts/#verify_credentials (followers_count),
https://docs.joinmastodon.org/api/rate-limits/ (429 and X-RateLimit-* headers).
"""

from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials, PostMetrics
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected
from parvis.connectors.mastodon.connector import MastodonConnector
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://social.saint-malo.fr"
STATUS_ID = "114086213457812345"
STATUS = rf"^/api/v1/statuses/{STATUS_ID}$"
VERIFY = r"^/api/v1/accounts/verify_credentials$"


def mastodon(router: Router) -> MastodonConnector:
    credentials = Credentials(
        access_token="jeton-saint-malo", account_id="110254386145370827", base_url=BASE
    )
    return MastodonConnector(credentials, http=router.client())


def answering(path: str, fixture: str) -> Router:
    return Router().add("GET", path, fixture_handler(FIXTURES, fixture))


def test_mastodon_declares_metrics():
    assert MastodonConnector.capabilities >= {Capability.METRICS}


def test_a_status_gives_favourites_replies_and_boosts_and_nothing_else():
    router = answering(STATUS, "statuses_get__success")
    metrics = mastodon(router).post_metrics(STATUS_ID)

    assert metrics == PostMetrics(
        remote_id=STATUS_ID,
        impressions=None,
        reach=None,
        reactions=41,
        comments=3,
        shares=12,
        clicks=None,
        video_views=None,
    )
    assert router.seen[0].headers["Authorization"] == "Bearer jeton-saint-malo"


def test_an_instance_older_than_2_5_gives_no_reply_count_which_stays_unknown():
    router = answering(STATUS, "statuses_get__without_replies_count")
    metrics = mastodon(router).post_metrics(STATUS_ID)
    assert metrics.comments is None
    assert (metrics.reactions, metrics.shares) == (41, 12)


def test_a_deleted_status_is_rejected():
    router = answering(STATUS, "statuses_get__not_found")
    with pytest.raises(Rejected) as caught:
        mastodon(router).post_metrics(STATUS_ID)
    assert caught.value.status == 404
    assert caught.value.message == "Record not found"


def test_a_revoked_token_asks_to_reconnect():
    router = answering(STATUS, "statuses_get__expired_token")
    with pytest.raises(AuthExpired):
        mastodon(router).post_metrics(STATUS_ID)


def test_a_rate_limited_read_waits_until_the_reset():
    router = answering(STATUS, "statuses_get__rate_limited")
    with pytest.raises(RateLimited) as caught:
        mastodon(router).post_metrics(STATUS_ID)
    # X-RateLimit-Reset is 3 min 48 s after the answer's Date.
    assert caught.value.retry_after == pytest.approx(228, abs=1)


def test_followers_are_the_account_followers_count():
    router = answering(VERIFY, "accounts_verify_credentials__success")
    assert mastodon(router).followers() == 4213


def test_followers_with_a_revoked_token_ask_to_reconnect():
    router = answering(VERIFY, "accounts_verify_credentials__expired_token")
    with pytest.raises(AuthExpired):
        mastodon(router).followers()
