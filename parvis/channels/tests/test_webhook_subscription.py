"""A connected Facebook Page is subscribed to the installation's webhook once the
connection is saved; a refusal is recorded and changes nothing else (the inbox still
reads the Page at each poll)."""

from pathlib import Path

import pytest

from parvis.channels.models import ChannelStatus
from parvis.channels.services import channel_connect, channel_subscribe_webhooks
from parvis.connectors.base import AccountInfo, Credentials
from parvis.connectors.testing import Router, fixture_handler
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "connectors" / "facebook" / "tests" / "fixtures"
PAGE = "104508592408917"


def connect(authority, network="facebook"):
    return channel_connect(
        authority=authority,
        network=network,
        credentials=Credentials(access_token="EAAJzQ1pageQmp4", account_id=PAGE),
        account=AccountInfo(account_id=PAGE, handle="Ville de Saint-Malo"),
        actor=None,
    )


@pytest.fixture
def router(monkeypatch):
    router = Router()
    monkeypatch.setattr("parvis.channels.services.user_address_client", router.client)
    return router


def enqueued(callbacks):
    return [c for c in callbacks if "subscribe_channel_webhooks" in repr(c)]


def test_connecting_a_page_enqueues_its_subscription_once_committed(
    commune, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        connect(commune)
    assert len(enqueued(callbacks)) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        connect(commune, network="mastodon")  # no webhook to subscribe to
    assert enqueued(callbacks) == []


def test_the_page_is_subscribed_and_the_team_can_see_it(commune, router):
    router.add(
        "POST",
        rf"/{PAGE}/subscribed_apps$",
        fixture_handler(FIXTURES, "subscribed_apps__success"),
    )
    channel = connect(commune)
    assert channel_subscribe_webhooks(channel_id=channel.pk) == "subscribed"
    assert AuditEvent.objects.filter(action="channel.webhooks_subscribed").exists()


def test_a_refused_subscription_is_recorded_and_the_channel_keeps_working(
    commune, router
):
    router.add(
        "POST",
        rf"/{PAGE}/subscribed_apps$",
        fixture_handler(FIXTURES, "subscribed_apps__missing_permission"),
    )
    channel = connect(commune)
    assert channel_subscribe_webhooks(channel_id=channel.pk) == "refused"
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.OK
    event = AuditEvent.objects.get(action="channel.webhooks_refused")
    assert "à chaque relève" in event.summary
