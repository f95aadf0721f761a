"""The figures of an authority's dashboard over a period (reads only).

Publications are those PUBLISHED in the period (optionally on one channel, of one
campaign, for one audience), each measured by its latest snapshot that holds counters
(error snapshots left out). A counter the network does not give stays None, and a sum
over publications is None when no publication has it: "non fourni", never 0.

Engagement rate, the same for every network: (reactions + comments + shares + link
clicks, those the network gives) / reach; where the network gives no reach,
/ impressions; where it gives neither, no rate. Over several publications it is the
sum of engagements over the sum of the same denominators (a big post weighs more).

Specific mode: a publication is written for the network when the studio's
specificity check of its variant passed (less than half the opening and less than
70 % of the whole page copied word for word); it is a republication when the check
failed. Publications without a check (written without a source page) count as
written for the network.

Queries: a fixed number whatever the number of publications (one for the
publications, one for their latest snapshots, one per channel for followers, a few
for the inbox and campaigns).
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform

from parvis.publishing.metrics import COUNTERS
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState

ENGAGEMENTS = ("reactions", "comments", "shares", "clicks")


@dataclass
class PublicationFigures:
    id: int
    channel_id: int
    network: str
    published_at: dt.datetime
    campaign_id: int | None
    post_id: int
    title: str
    url: str
    specific: bool
    counters: dict[str, int | None] = field(default_factory=dict)

    # Cached: read many times per page; the counters are set once, before any read.
    @cached_property
    def engagement(self) -> int | None:
        known = [self.counters.get(name) for name in ENGAGEMENTS]
        values = [value for value in known if value is not None]
        return sum(values) if values else None

    @cached_property
    def audience_base(self) -> int | None:
        """What engagement is divided by: reach, else impressions."""
        reach = self.counters.get("reach")
        return reach if reach else self.counters.get("impressions") or None

    @cached_property
    def engagement_rate(self) -> float | None:
        engagement, base = self.engagement, self.audience_base
        if engagement is None or not base:
            return None
        return engagement / base


def _truthy(value: Any) -> bool | None:
    if value is None:
        return None
    return value in (True, 1, "1", "true", "True")


def publication_figures(
    authority: Any,
    *,
    start: dt.datetime,
    end: dt.datetime,
    channel_id: int | None = None,
    campaign_id: int | None = None,
    audience_id: int | None = None,
    campaign_ids: Sequence[int] | None = None,
) -> list[PublicationFigures]:
    """The publications of the period with their latest counters, oldest first."""
    publications = Publication.objects.filter(
        authority=authority,
        state=PublicationState.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
    )
    if channel_id:
        publications = publications.filter(channel_id=channel_id)
    if campaign_id:
        publications = publications.filter(variant__post__campaign_id=campaign_id)
    if campaign_ids is not None:
        publications = publications.filter(variant__post__campaign_id__in=campaign_ids)
    if audience_id:
        publications = publications.filter(variant__audience_id=audience_id)
    rows = publications.order_by("published_at", "id").values_list(
        "id",
        "channel_id",
        "channel__network",
        "published_at",
        "variant__post__campaign_id",
        "variant__post_id",
        "variant__post__title",
        "remote_url",
        KeyTextTransform("ok", KeyTransform("specificity", "variant__checks")),
    )
    figures = {
        row[0]: PublicationFigures(
            id=row[0],
            channel_id=row[1],
            network=row[2],
            published_at=row[3],
            campaign_id=row[4],
            post_id=row[5],
            title=row[6],
            url=row[7],
            specific=_truthy(row[8]) is not False,
        )
        for row in rows
    }
    if not figures:
        return []
    # Each publication's latest snapshot holding counters: one index seek per
    # publication on (publication, collected_at), then the rows by id.
    newest = MetricSnapshot.objects.filter(
        publication=OuterRef("pk"), error=""
    ).order_by("-collected_at", "-id")
    latest = MetricSnapshot.objects.filter(
        id__in=publications.annotate(latest=Subquery(newest.values("id")[:1]))
        .filter(latest__isnull=False)
        .values("latest")
    ).values_list("publication_id", *COUNTERS)
    for publication_id, *values in latest:
        item = figures.get(publication_id)
        if item is not None:
            item.counters = dict(zip(COUNTERS, values, strict=True))
    return list(figures.values())


def total(items: Iterable[PublicationFigures], counter: str) -> int | None:
    values = [item.counters.get(counter) for item in items]
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def engagement_rate(items: Iterable[PublicationFigures]) -> float | None:
    engagement = base = 0
    for item in items:
        if item.engagement is not None and item.audience_base:
            engagement += item.engagement
            base += item.audience_base
    return engagement / base if base else None


@dataclass
class Summary:
    publications: int
    counters: dict[str, int | None]
    engagement: int | None
    engagement_rate: float | None
    specific_share: float | None
    measured: int  # publications with counters


def summary_of(items: Sequence[PublicationFigures]) -> Summary:
    """Every figure of the summary in one pass over the publications (a page sums
    tens of thousands of them several times)."""
    sums: dict[str, int] = {}
    engagement_sum = rate_engagement = rate_base = specific = measured = 0
    engaged = False
    for item in items:
        specific += item.specific
        if not item.counters:
            continue
        measured += 1
        for counter, value in item.counters.items():
            if value is not None:
                sums[counter] = sums.get(counter, 0) + value
        engagement = item.engagement
        if engagement is not None:
            engaged = True
            engagement_sum += engagement
            base = item.audience_base
            if base:
                rate_engagement += engagement
                rate_base += base
    return Summary(
        publications=len(items),
        counters={counter: sums.get(counter) for counter in COUNTERS},
        engagement=engagement_sum if engaged else None,
        engagement_rate=rate_engagement / rate_base if rate_base else None,
        specific_share=specific / len(items) if items else None,
        measured=measured,
    )


def by_channel(
    items: Sequence[PublicationFigures],
) -> dict[int, list[PublicationFigures]]:
    grouped: dict[int, list[PublicationFigures]] = defaultdict(list)
    for item in items:
        grouped[item.channel_id].append(item)
    return grouped


@dataclass(frozen=True)
class FollowerFigures:
    at_start: int | None
    at_end: int | None
    days_read: int
    days_failed: int

    @property
    def growth(self) -> int | None:
        if self.at_start is None or self.at_end is None:
            return None
        return self.at_end - self.at_start


# How far before a period a follower count may be taken as its start.
FOLLOWERS_LOOKBACK = dt.timedelta(days=31)

FollowerHistory = dict[int, list[tuple[dt.date, int | None]]]


def follower_history(
    channel_ids: Iterable[int], *, start_day: dt.date, end_day: dt.date
) -> FollowerHistory:
    """channel -> its daily counts (day, followers or None for a failed read), oldest
    first, from a month before `start_day` to `end_day`: one query for all."""
    from parvis.channels.models import FollowerSnapshot

    history: FollowerHistory = {channel_id: [] for channel_id in channel_ids}
    rows = (
        FollowerSnapshot.objects.filter(
            channel_id__in=list(history),
            day__gte=start_day - FOLLOWERS_LOOKBACK,
            day__lte=end_day,
        )
        .order_by("day")
        .values_list("channel_id", "day", "followers")
    )
    for channel_id, day, followers in rows:
        history[channel_id].append((day, followers))
    return history


def followers_between(
    history: FollowerHistory, *, start_day: dt.date, end_day: dt.date
) -> dict[int, FollowerFigures]:
    """Followers of each channel on the last day read at or before `start_day` and
    `end_day`, and how many days after `start_day` up to `end_day` were read or
    failed."""
    result = {}
    for channel_id, days in history.items():
        before = [f for day, f in days if day <= start_day and f is not None]
        until_end = [f for day, f in days if day <= end_day and f is not None]
        within = [f for day, f in days if start_day < day <= end_day]
        result[channel_id] = FollowerFigures(
            at_start=before[-1] if before else None,
            at_end=until_end[-1] if until_end else None,
            days_read=sum(1 for f in within if f is not None),
            days_failed=sum(1 for f in within if f is None),
        )
    return result


def follower_figures(
    channel_ids: Iterable[int], *, start_day: dt.date, end_day: dt.date
) -> dict[int, FollowerFigures]:
    history = follower_history(channel_ids, start_day=start_day, end_day=end_day)
    return followers_between(history, start_day=start_day, end_day=end_day)


@dataclass(frozen=True)
class InboxFigures:
    received: int
    answered: int
    median_response_hours: float | None
    sentiments: dict[str, int]

    @property
    def reply_rate(self) -> float | None:
        return self.answered / self.received if self.received else None

    @property
    def positive_share(self) -> float | None:
        classified = sum(self.sentiments.values())
        return self.sentiments.get("positif", 0) / classified if classified else None


# (received_at, first_response_at, sentiment, publication_id) of one message.
InboxRow = tuple[dt.datetime, dt.datetime | None, str, int | None]


def inbox_rows(
    authority: Any, *, start: dt.datetime, end: dt.datetime
) -> list[InboxRow]:
    """The citizens' messages received in the period, abuse left out (one query)."""
    from parvis.inbox.models import Message

    return list(
        Message.objects.filter(
            authority=authority,
            received_at__gte=start,
            received_at__lt=end,
            abuse=False,
        ).values_list("received_at", "first_response_at", "sentiment", "publication_id")
    )


def inbox_between(
    rows: Iterable[InboxRow],
    *,
    start: dt.datetime,
    end: dt.datetime,
    publication_ids: Iterable[int] | None = None,
) -> InboxFigures:
    """How many messages received in [start, end) were answered, the median delay
    of the first answer, and the tone of the replies to the publications
    (`publication_ids`: only those)."""
    chosen = None if publication_ids is None else set(publication_ids)
    received = 0
    delays = []
    sentiments: dict[str, int] = defaultdict(int)
    for received_at, answered_at, sentiment, publication_id in rows:
        if not start <= received_at < end:
            continue
        received += 1
        if answered_at is not None:
            delays.append((answered_at - received_at).total_seconds() / 3600)
        if (
            sentiment
            and publication_id is not None
            and (chosen is None or publication_id in chosen)
        ):
            sentiments[sentiment] += 1
    return InboxFigures(
        received=received,
        answered=len(delays),
        median_response_hours=statistics.median(delays) if delays else None,
        sentiments=dict(sentiments),
    )


def inbox_figures(
    authority: Any,
    *,
    start: dt.datetime,
    end: dt.datetime,
    publication_ids: Iterable[int] | None = None,
) -> InboxFigures:
    """Citizens' messages received in the period (abuse left out): see
    `inbox_between`."""
    return inbox_between(
        inbox_rows(authority, start=start, end=end),
        start=start,
        end=end,
        publication_ids=publication_ids,
    )


def collection_problems(
    authority: Any, *, start: dt.datetime, end: dt.datetime, limit: int = 10
) -> tuple[int, list[MetricSnapshot]]:
    """Milestones the networks could not be read for in the period: how many, and
    the latest few (with their publication and channel)."""
    failed = MetricSnapshot.objects.filter(
        ~Q(error=""),
        publication__authority=authority,
        collected_at__gte=start,
        collected_at__lt=end,
    )
    latest = list(
        failed.select_related("publication__channel").order_by("-collected_at")[:limit]
    )
    return failed.count(), latest
