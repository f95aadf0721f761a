"""Ingestion: what citizens write to the authority's own accounts, read through the
connectors into the inbox. Listening stops at the authority's channels: comments
under its publications, posts naming its accounts, messages sent to them.

One IngestCursor per channel and stream says where the last read stopped:

- `comments`: the time the last complete sweep started; the next sweep reads the
  comments of every publication of the last INBOX_COMMENTS_DAYS days created since
  then (with a margin, for comments the network shows late);
- `mentions`, `direct`: the connector's own cursor (a notification id, a post id, a
  time), returned with each batch.

Nothing is lost, nothing is stored twice: every item goes through `message_receive`
(one message per channel and network id) *before* the cursor moves, and the cursor
moves only from the value this run read (a conditional update). A crash between the
two reads the same items again; two runs at once both store each item once, and the
second one finds its claim on the stream taken and leaves it.

A network that says "slow down" (RateLimited) ends the run quietly: the cursor stays,
the wait is reported, the next poll tries again. The account's own messages (its
answers) are never stored. Errors are logged in English; the cursor keeps a French
sentence for the team.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus
from parvis.channels.services import channel_connector, channel_mark_reconnect
from parvis.connectors.base import Capability, Connector, RemoteComment
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unsupported,
)
from parvis.connectors.safety import safe_http_url
from parvis.inbox.models import IngestCursor
from parvis.inbox.services.receive import message_receive

logger = logging.getLogger(__name__)

COMMENTS, MENTIONS, DIRECT = "comments", "mentions", "direct"
STREAMS = (
    (COMMENTS, Capability.READ_COMMENTS),
    (MENTIONS, Capability.READ_MENTIONS),
    (DIRECT, Capability.READ_DIRECT_MESSAGES),
)
READ_CAPABILITIES = frozenset(capability for _, capability in STREAMS)
# Comments a network shows a little after they were written are still read.
COMMENTS_OVERLAP = dt.timedelta(minutes=10)
# A message without text (a sticker, a photo alone) is kept, and says so.
NO_TEXT = "[Message sans texte : image, autocollant ou réaction]"


@dataclass
class IngestReport:
    """What one run did: messages stored per stream, streams skipped (claimed by
    another run), and when to come back after a "slow down"."""

    stored: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    retry_at: dt.datetime | None = None

    def summary(self) -> str:
        parts = [f"{stream}: {count}" for stream, count in self.stored.items()]
        if self.retry_at:
            parts.append(f"rate limited until {self.retry_at.isoformat()}")
        parts += [f"{stream} failed" for stream in self.errors]
        return ", ".join(parts) or "nothing to read"


def connector_for(channel: Channel) -> Connector:
    """The channel's connector (a seam for tests)."""
    return channel_connector(channel)


def listening_channels() -> Any:
    """Channels whose account can be read: connected, of a network that reads."""
    return Channel.objects.filter(
        status__in=[ChannelStatus.OK, ChannelStatus.EXPIRING]
    ).select_related("authority")


def channels_ingest_enqueue() -> int:
    """Enqueue a read of every channel whose network can be read (the scheduler's
    job, once per slot). Two reads of one channel at once are harmless: each stream
    is claimed by one of them."""
    from parvis.connectors.registry import connector_class
    from parvis.inbox.tasks import ingest_channel

    enqueued = 0
    for channel_id, network in listening_channels().values_list("pk", "network"):
        if not READ_CAPABILITIES & connector_class(network).capabilities:
            continue
        transaction.on_commit(partial(ingest_channel.enqueue, channel_id))
        enqueued += 1
    return enqueued


def channel_ingest(*, channel_id: int, now: dt.datetime | None = None) -> IngestReport:
    """Read every stream the channel's network offers into the inbox."""
    now = now or timezone.now()
    report = IngestReport()
    channel = listening_channels().filter(pk=channel_id).first()
    if channel is None:  # disconnected, or gone, since it was enqueued
        return report
    with connector_for(channel) as connector:
        for stream, capability in STREAMS:
            if not connector.supports(capability):
                continue
            if not _read(channel, connector, stream, report, now=now):
                break
    return report


def post_comments_ingest(
    *, channel_id: int, post_id: str, now: dt.datetime | None = None
) -> int:
    """Read the comments of one post of the channel (a webhook said one came).
    No cursor: the post is read whole and every comment deduplicated."""
    channel = listening_channels().filter(pk=channel_id).first()
    if channel is None:
        return 0
    with connector_for(channel) as connector:
        if not connector.supports(Capability.READ_COMMENTS):
            return 0
        publication = _publication_of(channel, post_id)
        items = connector.comments(post_id)
        return _store(channel, connector, items, publication=publication)


def webhook_events_enqueue(*, events: Any) -> int:
    """A read of the post named by each comment event of a webhook, for every
    connected channel of that account (an account may be connected by several
    authorities). Events that remove or hide a comment are left: nothing to read.
    The payload is only a hint; the connector reads the comments themselves."""
    from parvis.inbox.tasks import ingest_post_comments

    wanted = {
        (event.network, event.account_id, event.object_id)
        for event in events
        if event.verb not in {"remove", "hide", "unhide"}
    }
    enqueued = 0
    for network, account_id, post_id in sorted(wanted):
        channels = listening_channels().filter(network=network, account_id=account_id)
        for channel_id in channels.values_list("pk", flat=True):
            transaction.on_commit(
                partial(ingest_post_comments.enqueue, channel_id, post_id)
            )
            enqueued += 1
    return enqueued


# -- one stream ----------------------------------------------------------------------
def _read(
    channel: Channel,
    connector: Connector,
    stream: str,
    report: IngestReport,
    *,
    now: dt.datetime,
) -> bool:
    """Read one stream; False when the whole run must stop (token refused, network
    asking to slow down)."""
    cursor = _claim(_cursor(channel, stream), now=now)
    if cursor is None:
        report.skipped.append(stream)
        return True
    try:
        if stream == COMMENTS:
            stored = _read_comments(channel, connector, cursor, now=now)
        else:
            read = (
                connector.mentions if stream == MENTIONS else connector.direct_messages
            )
            batch = read(cursor.cursor)
            stored = _store(channel, connector, batch.items)
            _advance(cursor, batch.cursor)
    except RateLimited as error:
        wait = dt.timedelta(seconds=error.retry_after or 60)
        report.retry_at = now + wait
        _fail(cursor, error, stream, french=_slow_down(channel, now + wait))
        return False
    except AuthExpired as error:
        channel_mark_reconnect(channel=channel, reason=error.message)
        _fail(cursor, error, stream, french=_reconnect(channel))
        report.errors[stream] = error.message
        return False
    except ConnectorError as error:
        _fail(cursor, error, stream, french=_unavailable(channel, error))
        report.errors[stream] = error.message
        return True
    report.stored[stream] = stored
    return True


def _read_comments(
    channel: Channel, connector: Connector, cursor: IngestCursor, *, now: dt.datetime
) -> int:
    """The comments of the channel's recent publications since the last sweep. A
    publication the network refuses to read (deleted meanwhile) is passed over."""
    from parvis.publishing.models import Publication, PublicationState

    since = _parse_time(cursor.cursor)
    since = since - COMMENTS_OVERLAP if since else None
    recent = now - dt.timedelta(days=settings.INBOX_COMMENTS_DAYS)
    publications = Publication.objects.filter(
        channel=channel,
        state=PublicationState.PUBLISHED,
        published_at__gte=recent,
    ).exclude(remote_id="")
    stored = 0
    for publication in publications:
        try:
            items = connector.comments(publication.remote_id, since=since)
        except (Rejected, Unsupported) as error:
            logger.warning(
                "channel %s: comments of %s not readable: %s",
                channel.pk,
                publication.remote_id,
                error.message,
            )
            continue
        stored += _store(channel, connector, items, publication=publication)
    _advance(cursor, now.isoformat())
    return stored


def _store(
    channel: Channel,
    connector: Connector,
    items: Any,
    *,
    publication: Any = None,
) -> int:
    created = 0
    for item in items:
        if _is_own(channel, connector, item):
            continue
        received = message_receive(
            authority=channel.authority,
            origin=channel.network,
            kind=str(item.kind),
            text=item.text.strip() or NO_TEXT,
            received_at=item.created_at,
            channel=channel,
            remote_id=item.remote_id,
            remote_url=safe_http_url(item.url)[:500],
            publication=publication or _publication_of(channel, item.in_reply_to_id),
            in_reply_to_remote_id=item.in_reply_to_id[:300],
            thread_key=item.thread_key[:300],
            author_name=item.author_name,
            author_handle=item.author_handle,
            author_id=item.author_id,
        )
        created += received.created
    return created


def _is_own(channel: Channel, connector: Connector, item: RemoteComment) -> bool:
    """The account's own answers: by id, or by handle where ids differ (Instagram)."""
    if connector.is_own(item):
        return True
    handle = channel.handle.lstrip("@").casefold()
    return bool(handle) and item.author_handle.lstrip("@").casefold() == handle


def _publication_of(channel: Channel, remote_id: str) -> Any:
    if not remote_id:
        return None
    from parvis.publishing.models import Publication

    return Publication.objects.filter(channel=channel, remote_id=remote_id).first()


# -- cursors -------------------------------------------------------------------------
def _cursor(channel: Channel, stream: str) -> IngestCursor:
    cursor, _ = IngestCursor.objects.get_or_create(channel=channel, stream=stream)
    return cursor


def _claim(cursor: IngestCursor, *, now: dt.datetime) -> IngestCursor | None:
    """`cursor` as read, claimed for this run by moving `last_run_at` from the value
    read: None when another run moved it (or the cursor) since."""
    if cursor.last_run_at is None:
        previous = Q(last_run_at__isnull=True)
    else:
        previous = Q(last_run_at=cursor.last_run_at)
    claimed = (
        IngestCursor.objects.filter(previous, pk=cursor.pk)
        .filter(cursor=cursor.cursor)
        .update(last_run_at=now)
    )
    if not claimed:
        return None
    cursor.last_run_at = now
    return cursor


def _advance(cursor: IngestCursor, value: str) -> None:
    """Move the cursor on, only from what this run read (a later run may have moved
    it already: then it stays where that run put it)."""
    IngestCursor.objects.filter(pk=cursor.pk, cursor=cursor.cursor).update(
        cursor=value[:300], last_error=""
    )


def _fail(
    cursor: IngestCursor, error: ConnectorError, stream: str, *, french: str
) -> None:
    logger.warning(
        "channel %s, stream %s: %s (%s)",
        cursor.channel_id,
        stream,
        type(error).__name__,
        error.message,
    )
    IngestCursor.objects.filter(pk=cursor.pk).update(last_error=french)


def _parse_time(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# -- the team's words ----------------------------------------------------------------
def _slow_down(channel: Channel, until: dt.datetime) -> str:
    local = timezone.localtime(until, timezone=_zone(channel))
    return (
        f"{channel.get_network_display()} demande de ralentir la lecture du compte "
        f"{channel.handle} : reprise automatique après {local:%H:%M}."
    )


def _reconnect(channel: Channel) -> str:
    return (
        f"{channel.get_network_display()} refuse l'accès au compte {channel.handle} : "
        "reconnectez-le dans « Canaux » pour recevoir à nouveau ses messages."
    )


def _unavailable(channel: Channel, error: ConnectorError) -> str:
    return (
        f"Lecture du compte {channel.handle} sur {channel.get_network_display()} "
        f"impossible pour le moment ({error.message}) : nouvel essai automatique."
    )


def _zone(channel: Channel) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(channel.authority.timezone or "Europe/Paris")
