import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from parvis.channels.models import ChannelStatus
from parvis.channels.services import (
    channel_connect,
    channel_credentials,
    channels_check_expiry,
)
from parvis.connectors.base import AccountInfo, Credentials
from parvis.connectors.errors import Unsupported
from parvis.publishing.services import publication_schedule
from parvis.studio.models import Post, Variant
from parvis.system.models import Notification

pytestmark = pytest.mark.django_db


def connect(commune, *, expires_in):
    return channel_connect(
        authority=commune,
        network="x",
        credentials=Credentials(
            access_token="old",
            refresh_token="r",
            expires_at=timezone.now() + expires_in,
        ),
        account=AccountInfo(account_id="1", handle="@VilleSaintMalo"),
        actor=None,
    )


class Refreshing:
    def __init__(self, result):
        self.result = result

    def refresh(self):
        if isinstance(self.result, Exception):
            raise self.result
        return self.result

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass


def test_a_token_about_to_expire_is_refreshed_when_the_network_allows(
    commune, monkeypatch
):
    channel = connect(commune, expires_in=dt.timedelta(hours=1))
    fresh = dataclasses.replace(
        channel_credentials(channel),
        access_token="new",
        expires_at=timezone.now() + dt.timedelta(days=60),
    )
    monkeypatch.setattr(
        "parvis.channels.services.channel_connector", lambda c: Refreshing(fresh)
    )
    assert channels_check_expiry()["refreshed"] == 1
    channel.refresh_from_db()
    assert channel_credentials(channel).access_token == "new"
    assert channel.status == ChannelStatus.OK


def test_without_refresh_the_team_is_told_before_scheduled_posts_would_fail(
    commune, editor, monkeypatch
):
    channel = connect(commune, expires_in=dt.timedelta(days=10))
    assert channel.status == ChannelStatus.OK
    in_eight_days = timezone.now() + dt.timedelta(days=8)
    monkeypatch.setattr(
        "parvis.channels.services.channel_connector",
        lambda c: Refreshing(Unsupported("no refresh")),
    )
    post = Post.objects.create(
        authority=commune, title="Fête du nautisme", state="approved"
    )
    variant = Variant.objects.create(post=post, network="x", parts=["Fête"])
    publication_schedule(
        variant=variant,
        channel=channel,
        scheduled_at=timezone.now() + dt.timedelta(days=12),
        actor=editor,
    )
    assert channels_check_expiry(now=in_eight_days)["expiring"] == 1
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.EXPIRING
    notice = Notification.objects.get(user=editor)
    assert "expire le" in notice.message
    assert (
        "1 publication(s) programmée(s) après cette date échoueraient" in notice.message
    )
    assert channels_check_expiry(now=in_eight_days)["expiring"] == 0  # told once


def test_a_refused_token_tells_the_team_once_how_many_publications_wait_on_it(
    commune, editor
):
    from parvis.channels.services import channel_mark_reconnect

    channel = connect(commune, expires_in=dt.timedelta(days=60))
    post = Post.objects.create(authority=commune, title="Marché", state="approved")
    variant = Variant.objects.create(post=post, network="x", parts=["Marché"])
    publication_schedule(
        variant=variant,
        channel=channel,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        actor=editor,
    )
    channel_mark_reconnect(channel=channel, reason="invalid_token")
    channel_mark_reconnect(channel=channel, reason="invalid_token")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RECONNECT
    notice = Notification.objects.get(user=editor)
    assert "doit être reconnecté" in notice.message
    assert "1 publication(s) programmée(s) sur ce compte échoueront" in notice.message
