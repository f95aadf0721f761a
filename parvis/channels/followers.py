"""Followers of the channels, read once a day (the authority's day, Europe/Paris by
default) through the connectors.

One FollowerSnapshot per channel and day: a unique constraint on (channel, day) keeps
the first whatever the number of collectors running at once. The scheduler's job
runs every hour and reads only the channels without a snapshot for their day, so
the first run of the day reads and the others find it done.

Errors are handled as for the counters of publications: "slow down" or unreachable
(and an account waiting after a "slow down") are tried again at the next run, and
at the day's last run stored as an error snapshot; a refusal is stored at once (a
refused token also marks the channel to reconnect). An error snapshot has no
`followers` and the reason in `error` (English). A day nobody ran has no row.
"""

import datetime as dt
import logging
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus, FollowerSnapshot
from parvis.channels.services import (
    channel_connector,
    channel_mark_reconnect,
    channel_note_rate_limit,
)
from parvis.connectors.base import Capability, Connector
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Unavailable,
    Unsupported,
)
from parvis.connectors.registry import connector_class

logger = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "Europe/Paris"
# The scheduler's interval for `channels.collect_followers`: a transient error at a
# run less than this before the day's end is the day's last try.
COLLECT_INTERVAL = dt.timedelta(hours=1)
READABLE = (ChannelStatus.OK, ChannelStatus.EXPIRING)


def connector_for(channel: Channel) -> Connector:
    """The channel's connector (a seam for tests)."""
    return channel_connector(channel)


def local_day(channel: Channel, now: dt.datetime) -> dt.date:
    """The authority's calendar day at `now`."""
    return timezone.localtime(now, timezone=_zone(channel)).date()


def measured_channels() -> Any:
    """Connected channels of a network that tells its followers."""
    networks = [
        network
        for network in Channel.objects.values_list("network", flat=True).distinct()
        if Capability.METRICS in connector_class(network).capabilities
    ]
    return Channel.objects.filter(status__in=READABLE, network__in=networks)


def channels_followers_enqueue(*, now: dt.datetime | None = None) -> int:
    """Enqueue a read of every measured channel without a snapshot for its day (the
    scheduler's job, hourly). Returns the number of channels enqueued."""
    from parvis.channels.tasks import collect_channel_followers

    now = now or timezone.now()
    channels = list(measured_channels().select_related("authority"))
    days = {channel.pk: local_day(channel, now) for channel in channels}
    done = set(
        FollowerSnapshot.objects.filter(
            channel_id__in=list(days), day__gte=min(days.values(), default=now.date())
        ).values_list("channel_id", "day")
    )
    due = [pk for pk, day in days.items() if (pk, day) not in done]
    for channel_id in due:
        transaction.on_commit(partial(collect_channel_followers.enqueue, channel_id))
    return len(due)


def channel_followers_collect(
    *, channel_id: int, now: dt.datetime | None = None
) -> str:
    """Read the channel's followers once for its day. Returns what happened."""
    now = now or timezone.now()
    channel = Channel.objects.select_related("authority").filter(pk=channel_id).first()
    if channel is None or channel.status not in READABLE:
        return "not connected"
    day = local_day(channel, now)
    if FollowerSnapshot.objects.filter(channel=channel, day=day).exists():
        return "already read"
    if channel.rate_limited_until and channel.rate_limited_until > now:
        reason = (
            "The network asked to wait until "
            f"{channel.rate_limited_until.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC."
        )
        return _wait(channel, day, reason, now)
    try:
        with connector_for(channel) as connector:
            if not connector.supports(Capability.METRICS):
                raise Unsupported(f"{channel.network}: the network gives no followers")
            try:
                followers = connector.followers()
            except RateLimited as error:
                channel_note_rate_limit(
                    channel=channel,
                    state=connector.last_rate_limit,
                    retry_after=error.retry_after,
                )
                raise
    except (RateLimited, Unavailable) as error:
        _log(channel, error)
        return _wait(channel, day, error.summary, now)
    except AuthExpired as error:
        _log(channel, error)
        channel_mark_reconnect(channel=channel, reason=error.message)
        return _store(channel, day, now, None, error.summary)
    except ConnectorError as error:
        _log(channel, error)
        return _store(channel, day, now, None, error.summary)
    return _store(channel, day, now, followers, "")


def follower_snapshot_store(
    *,
    channel: Channel,
    day: dt.date,
    followers: int | None,
    error: str = "",
    now: dt.datetime | None = None,
) -> FollowerSnapshot | None:
    """Store the channel's followers for `day`, or why they are missing. A day
    already stored keeps its first snapshot (None returned)."""
    try:
        with transaction.atomic():
            return FollowerSnapshot.objects.create(
                channel=channel,
                day=day,
                collected_at=now or timezone.now(),
                followers=followers,
                error=error[:2000],
            )
    except IntegrityError:
        return None


def _store(
    channel: Channel,
    day: dt.date,
    now: dt.datetime,
    followers: int | None,
    error: str,
) -> str:
    stored = follower_snapshot_store(
        channel=channel, day=day, followers=followers, error=error, now=now
    )
    if stored is None:
        return "already read"
    return "error" if error else "read"


def _wait(channel: Channel, day: dt.date, reason: str, now: dt.datetime) -> str:
    """Try again at the next run, unless the next run falls on the next day."""
    if local_day(channel, now + COLLECT_INTERVAL) != day:
        return _store(channel, day, now, None, f"{reason} Gave up at the day's end.")
    return "waiting"


def _log(channel: Channel, error: ConnectorError) -> None:
    logger.warning(
        "channel %s: followers not read: %s (%s)",
        channel.pk,
        type(error).__name__,
        error.message,
    )


def _zone(channel: Channel) -> ZoneInfo:
    return ZoneInfo(channel.authority.timezone or DEFAULT_TIMEZONE)
