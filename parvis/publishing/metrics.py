"""Counters of publications, read through the connectors at milestones after they
went out: about 1 h, 24 h, 7 days and 30 days after `published_at`.

A milestone is due from its time until its deadline, its time plus a quarter of its
delay (1 h 15, 30 h, 8 d 18 h, 37 d 12 h). Each milestone is taken once: a unique
constraint on (publication, milestone) keeps one snapshot whatever the number of
collectors running at once (a second insert is dropped), and what is taken is read
again just before the network is asked, so two runs rarely ask twice.

- Read: a snapshot with the counters the network gives, None where it gives none.
- "Slow down" or unreachable (RateLimited, Unavailable), or an account that cannot be
  read now (to reconnect, waiting after a "slow down"): nothing is stored and the
  next run tries again; at the last run before the deadline an error snapshot is
  stored instead. The channel is not asked again in the same run.
- Refused (AuthExpired, Rejected, Unsupported): an error snapshot at once. A refused
  token also marks the channel to reconnect, as the inbox does.
- Nobody ran before the deadline: an error snapshot says so.

An error snapshot has every counter empty and the reason in `error` (English), so
gaps and errors show in the figures instead of passing for zeros.

The scheduler's job, `publications_metrics_enqueue`, enqueues one read per channel
with something due; `channel_metrics_collect` does that read.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus
from parvis.channels.services import (
    channel_connector,
    channel_mark_reconnect,
    channel_note_rate_limit,
)
from parvis.connectors.base import Capability, Connector, PostMetrics
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Unavailable,
    Unsupported,
)
from parvis.publishing.models import (
    MetricSnapshot,
    Milestone,
    Publication,
    PublicationState,
)

logger = logging.getLogger(__name__)

MILESTONES: tuple[tuple[str, dt.timedelta], ...] = (
    (Milestone.HOUR, dt.timedelta(hours=1)),
    (Milestone.DAY, dt.timedelta(hours=24)),
    (Milestone.WEEK, dt.timedelta(days=7)),
    (Milestone.MONTH, dt.timedelta(days=30)),
)
# The scheduler's interval for `publishing.collect_metrics`: a transient error less
# than this before the deadline is the last try.
COLLECT_INTERVAL = dt.timedelta(minutes=15)
COUNTERS = (
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "clicks",
    "video_views",
)


def milestone_deadline(delay: dt.timedelta) -> dt.timedelta:
    """How long after publishing a milestone of `delay` may still be read."""
    return delay + delay / 4


FIRST_DELAY = MILESTONES[0][1]
LAST_DEADLINE = milestone_deadline(MILESTONES[-1][1])


@dataclass(frozen=True)
class DueMilestone:
    milestone: str
    due_at: dt.datetime
    deadline: dt.datetime


@dataclass
class MetricsReport:
    """What one run did for one channel."""

    read: int = 0
    errors: int = 0
    waiting: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.read} read",
            f"{self.errors} errors",
            f"{self.waiting} waiting",
        ]
        return ", ".join(parts + self.notes)


def connector_for(channel: Channel) -> Connector:
    """The channel's connector (a seam for tests)."""
    return channel_connector(channel)


def milestones_due(
    *, published_at: dt.datetime, taken: set[str], now: dt.datetime
) -> list[DueMilestone]:
    """The milestones of a publication that are due (their time has come) and not
    taken yet, past their deadline or not."""
    return [
        DueMilestone(
            milestone=milestone,
            due_at=published_at + delay,
            deadline=published_at + milestone_deadline(delay),
        )
        for milestone, delay in MILESTONES
        if milestone not in taken and published_at + delay <= now
    ]


def measured_publications(now: dt.datetime) -> QuerySet[Publication]:
    """Published publications young enough to have a milestone left, and with one
    not yet taken (one query, with the channel and its authority)."""
    return (
        Publication.objects.filter(
            state=PublicationState.PUBLISHED,
            published_at__lte=now - FIRST_DELAY,
            published_at__gte=now - LAST_DEADLINE,
        )
        .exclude(remote_id="")
        .annotate(
            taken_count=Count(
                "metrics", filter=~Q(metrics__milestone=""), distinct=True
            )
        )
        .filter(taken_count__lt=len(MILESTONES))
        .select_related("channel__authority")
        .order_by("published_at", "pk")
    )


def taken_milestones(publication_ids: list[int]) -> dict[int, set[str]]:
    """{publication id: its milestones already stored} in one query."""
    taken: dict[int, set[str]] = {pk: set() for pk in publication_ids}
    rows = (
        MetricSnapshot.objects.filter(publication_id__in=publication_ids)
        .exclude(milestone="")
        .values_list("publication_id", "milestone")
    )
    for publication_id, milestone in rows:
        taken[publication_id].add(milestone)
    return taken


def publications_metrics_enqueue(*, now: dt.datetime | None = None) -> int:
    """Enqueue a read of every channel with a milestone due (the scheduler's job,
    once per slot). Returns the number of channels enqueued."""
    from parvis.publishing.tasks import collect_channel_metrics

    now = now or timezone.now()
    publications = list(
        measured_publications(now).values_list("pk", "channel_id", "published_at")
    )
    taken = taken_milestones([pk for pk, _, _ in publications])
    channel_ids = sorted(
        {
            channel_id
            for pk, channel_id, published_at in publications
            if published_at is not None
            and milestones_due(published_at=published_at, taken=taken[pk], now=now)
        }
    )
    for channel_id in channel_ids:
        transaction.on_commit(partial(collect_channel_metrics.enqueue, channel_id))
    return len(channel_ids)


def channel_metrics_collect(
    *, channel_id: int, now: dt.datetime | None = None
) -> MetricsReport:
    """Read the due milestones of the channel's publications, oldest first."""
    now = now or timezone.now()
    report = MetricsReport()
    channel = Channel.objects.select_related("authority").filter(pk=channel_id).first()
    if channel is None:
        return report
    publications = list(measured_publications(now).filter(channel=channel))
    taken = taken_milestones([publication.pk for publication in publications])
    blocked = _unreadable(channel, now)
    connector: Connector | None = None
    try:
        for publication in publications:
            assert publication.published_at is not None  # filtered by the query
            due = milestones_due(
                published_at=publication.published_at,
                taken=taken[publication.pk],
                now=now,
            )
            late = [item for item in due if item.deadline < now]
            current = [item for item in due if item.deadline >= now]
            for item in late:
                reason = (
                    f"Not read: nothing collected between {_iso(item.due_at)} and "
                    f"the deadline {_iso(item.deadline)}."
                )
                report.errors += _store_error(publication, item, reason, now)
            if not current:
                continue
            if blocked:
                _wait(publication, current, blocked, now, report)
                continue
            if connector is None:
                connector = connector_for(channel)
            blocked = _read(channel, connector, publication, current, now, report)
    finally:
        if connector is not None:
            connector.close()
    return report


# -- one publication ---------------------------------------------------------------
def _read(
    channel: Channel,
    connector: Connector,
    publication: Publication,
    due: list[DueMilestone],
    now: dt.datetime,
    report: MetricsReport,
) -> str:
    """Read the publication's counters for its due milestones. Returns why the
    channel cannot be read again in this run ("" when it can)."""
    still_due = _not_taken(publication, due)
    if not still_due:
        return ""  # another run took them meanwhile
    try:
        if not connector.supports(Capability.METRICS):
            raise Unsupported(f"{channel.network}: the network gives no counters")
        metrics = connector.post_metrics(publication.remote_id)
    except (RateLimited, Unavailable) as error:
        reason = error.summary
        if isinstance(error, RateLimited):
            channel_note_rate_limit(
                channel=channel,
                state=connector.last_rate_limit,
                retry_after=error.retry_after,
            )
        _log(publication, error)
        _wait(publication, still_due, reason, now, report)
        return reason
    except AuthExpired as error:
        _log(publication, error)
        channel_mark_reconnect(channel=channel, reason=error.message)
        for item in still_due:
            report.errors += _store_error(publication, item, error.summary, now)
        return "The account must be reconnected (its token was refused)."
    except ConnectorError as error:
        _log(publication, error)
        for item in still_due:
            report.errors += _store_error(publication, item, error.summary, now)
        return ""
    for item in still_due:
        report.read += _store(publication, item.milestone, metrics, now)
    return ""


def _wait(
    publication: Publication,
    due: list[DueMilestone],
    reason: str,
    now: dt.datetime,
    report: MetricsReport,
) -> None:
    """A transient obstacle: try at the next run, unless this run is the last one
    before the deadline, which then stores the error."""
    for item in due:
        if now + COLLECT_INTERVAL > item.deadline:
            message = f"{reason} Gave up at the deadline {_iso(item.deadline)}."
            report.errors += _store_error(publication, item, message, now)
        else:
            report.waiting += 1


def _unreadable(channel: Channel, now: dt.datetime) -> str:
    """Why the channel cannot be read now ("" when it can)."""
    if channel.status not in {ChannelStatus.OK, ChannelStatus.EXPIRING}:
        return f"The account cannot be read ({channel.status})."
    if channel.rate_limited_until and channel.rate_limited_until > now:
        return (
            "The network asked to wait until "
            f"{_iso(channel.rate_limited_until)} (rate limited)."
        )
    return ""


def _not_taken(publication: Publication, due: list[DueMilestone]) -> list[DueMilestone]:
    """`due` without what another run stored since this one started."""
    taken = set(
        MetricSnapshot.objects.filter(
            publication=publication, milestone__in=[item.milestone for item in due]
        ).values_list("milestone", flat=True)
    )
    return [item for item in due if item.milestone not in taken]


# -- storage -----------------------------------------------------------------------
def metric_snapshot_store(
    *,
    publication: Publication,
    metrics: PostMetrics | None,
    milestone: str = Milestone.EXTRA,
    error: str = "",
    now: dt.datetime | None = None,
) -> MetricSnapshot | None:
    """Store one snapshot of `publication`: the network's counters, or none and
    `error`. A milestone already taken keeps its first snapshot (None returned)."""
    values: dict[str, Any] = {
        name: getattr(metrics, name) if metrics is not None else None
        for name in COUNTERS
    }
    try:
        with transaction.atomic():
            return MetricSnapshot.objects.create(
                publication=publication,
                collected_at=now or timezone.now(),
                milestone=milestone,
                error=error[:2000],
                **values,
            )
    except IntegrityError:
        return None  # taken by another run at the same time


def _store(
    publication: Publication, milestone: str, metrics: PostMetrics, now: dt.datetime
) -> int:
    stored = metric_snapshot_store(
        publication=publication, metrics=metrics, milestone=milestone, now=now
    )
    return 1 if stored is not None else 0


def _store_error(
    publication: Publication, item: DueMilestone, error: str, now: dt.datetime
) -> int:
    stored = metric_snapshot_store(
        publication=publication,
        metrics=None,
        milestone=item.milestone,
        error=error,
        now=now,
    )
    return 1 if stored is not None else 0


def _log(publication: Publication, error: ConnectorError) -> None:
    logger.warning(
        "publication %s: counters not read: %s (%s)",
        publication.pk,
        type(error).__name__,
        error.message,
    )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
