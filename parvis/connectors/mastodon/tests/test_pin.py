"""Pinning a status on the profile (crisis mode's alert), on the documented payloads
of methods/statuses#pin and #unpin."""

from pathlib import Path

import pytest

from parvis.connectors.base import Capability, Credentials
from parvis.connectors.errors import AuthExpired, Rejected
from parvis.connectors.mastodon.connector import MastodonConnector
from parvis.connectors.mastodon.oauth import SCOPES
from parvis.connectors.testing import Router, fixture_handler

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://social.saint-malo.fr"
STATUS_ID = "114086213457812345"
PIN = rf"^/api/v1/statuses/{STATUS_ID}/pin$"
UNPIN = rf"^/api/v1/statuses/{STATUS_ID}/unpin$"


def respond(name: str):
    return fixture_handler(FIXTURES, name)


def make_connector(router: Router, scope: str = " ".join(SCOPES)) -> MastodonConnector:
    credentials = Credentials(
        access_token="jeton-saint-malo",
        account_id="110254386145370827",
        base_url=BASE,
        extra={"scope": scope} if scope else {},
    )
    return MastodonConnector(credentials, http=router.client())


def test_mastodon_declares_pinning():
    assert MastodonConnector.capabilities >= {Capability.PIN}
    assert "write:accounts" in SCOPES


def test_pin_posts_to_the_documented_endpoint_with_the_token():
    router = Router().add("POST", PIN, respond("statuses_pin__success"))
    make_connector(router).pin(STATUS_ID)

    [request] = router.seen
    assert str(request.url) == f"{BASE}/api/v1/statuses/{STATUS_ID}/pin"
    assert request.headers["Authorization"] == "Bearer jeton-saint-malo"


def test_unpin_posts_to_the_documented_endpoint():
    router = Router().add("POST", UNPIN, respond("statuses_unpin__success"))
    make_connector(router).unpin(STATUS_ID)
    assert str(router.seen[0].url) == f"{BASE}/api/v1/statuses/{STATUS_ID}/unpin"


def test_unpinning_a_deleted_status_counts_as_done():
    router = Router().add("POST", UNPIN, respond("statuses_pin__not_found"))
    make_connector(router).unpin(STATUS_ID)


def test_the_pinned_limit_of_the_instance_is_a_refusal_with_its_words():
    router = Router().add("POST", PIN, respond("statuses_pin__limit_reached"))
    with pytest.raises(Rejected) as caught:
        make_connector(router).pin(STATUS_ID)
    assert caught.value.status == 422
    assert "maximum number of posts" in caught.value.message


def test_pinning_with_a_revoked_token_asks_for_reconnection():
    router = Router().add("POST", PIN, respond("statuses_pin__expired_token"))
    with pytest.raises(AuthExpired):
        make_connector(router).pin(STATUS_ID)


def test_a_channel_connected_without_the_scope_is_told_to_reconnect_without_a_call():
    router = Router()
    old_scopes = "read:accounts read:statuses write:statuses write:media"
    with pytest.raises(Rejected, match="reconnectez-le"):
        make_connector(router, scope=old_scopes).pin(STATUS_ID)
    assert router.seen == []


def test_a_broad_write_scope_or_an_unknown_scope_lets_the_call_go():
    for scope in ("read write", ""):
        router = Router().add("POST", PIN, respond("statuses_pin__success"))
        make_connector(router, scope=scope).pin(STATUS_ID)
        assert len(router.seen) == 1
