"""Best time to publish: suggested weekly slots per channel (reads only).

`best_slots(channel=...)` ranks the (local weekday, local hour) slots of a channel:

- Own data: the channel's publications PUBLISHED in the last 180 days, each measured
  by its LATEST `MetricSnapshot` read (error snapshots, which hold no counter, left
  out). A publication's result is its engagement rate (reactions, comments, shares
  and clicks over reach, else impressions) when the network gives an audience, else
  its raw engagement; either is divided by the
  channel's median of the same kind, so 1 means "a usual publication of this
  channel", and capped between 1/3 and 3 so that one viral post cannot decide alone.
  Publications are grouped by the weekday and hour of `published_at` in the
  authority's timezone (zoneinfo: a post at 10:00 in July and one at 10:00 in
  January share the 10 h bucket, whatever the UTC offset).
- Defaults: `data/best_time_defaults.csv` (read by `best_time_defaults`, whose
  docstring and the CSV header cite the studies and say what was adapted): slots
  ranked per network from general-audience studies, adapted to a local authority's
  residents (lunchtime, early evening, office hours on LinkedIn, never at night).
  Mastodon and Bluesky have no published hourly study; their chronological timelines
  get the residents' usual moments.

Below `MIN_PUBLICATIONS` measured publications the defaults are used alone. From
there, each slot's own mean (in log scale) is shrunk toward the default of that slot
(empirical Bayes): posterior = (n·own + k·default) / (n + k), where k, the weight of
the default in publications, is the ratio of the noise within slots to the spread
between them, estimated from the channel's own data and kept within
[`K_MIN`, `K_MAX`]. A slot with one lucky post stays near its default; a slot with
many good posts moves far from it. The adjacent hours of the same day take part at
`NEIGHBOUR_WEIGHT` of a publication each, so that an hour never tried does not keep
the studies' promise next to an hour that did poorly (or well) for this channel.

Scores are indices: 100 is a usual publication of the channel (for the defaults, an
unranked slot), 130 means 30 % more engagement. Only day hours (7 h to 21 h) are
shown and suggested. Queries: a fixed number per channel (a count and one query for
the latest snapshots), never one per publication.
"""

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.channels.models import Channel
from parvis.planning.best_time_defaults import Default, Source, defaults
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState
from parvis.publishing.timing import local_to_utc
from parvis.territory.models import Authority

DEFAULT_TIMEZONE = "Europe/Paris"
WINDOW = dt.timedelta(days=180)
MIN_PUBLICATIONS = 20
# Day hours shown and suggested: nobody answers comments at night.
DAY_HOURS = range(7, 22)
# A publication counts between a third and three times a usual one.
RATIO_FLOOR, RATIO_CAP = 1 / 3, 3.0
# The weight of the default in a slot, in publications (see the module docstring).
K_MIN, K_MAX = 5.0, 30.0
# An adjacent hour of the same day counts for this share of a publication of the slot.
NEIGHBOUR_WEIGHT = 0.3
WEEKDAYS = [
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
]
WEEKDAY_ABBREVIATIONS = [
    _("lun."),
    _("mar."),
    _("mer."),
    _("jeu."),
    _("ven."),
    _("sam."),
    _("dim."),
]

Basis = Literal["own", "default"]


@dataclass(frozen=True)
class Slot:
    """One weekly slot of a channel: `weekday` 0 = Monday, `hour` local."""

    weekday: int
    hour: int
    score: int  # index, 100 = a usual publication of the channel
    basis: Basis
    rank: int | None = None  # of the defaults, 1 = best; None when not cited
    publications: int = 0  # own publications measured in this slot
    median_engagement: float | None = None  # own, per publication, in this slot
    nearby: int = 0  # own publications of the adjacent hours that moved the score
    sources: tuple[Source, ...] = ()  # of the default

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.weekday])

    @property
    def hour_label(self) -> str:
        return f"{self.hour}\u00a0h"

    @property
    def label(self) -> str:
        """« mardi à 12 h »."""
        return f"{self.weekday_name} à {self.hour_label}"

    @property
    def level(self) -> int:
        """0 to 3, for a shade added to the number (never instead of it)."""
        thresholds = (100, 112, 125)
        return sum(self.score >= threshold for threshold in thresholds)


@dataclass(frozen=True)
class BestTime:
    channel: Channel
    basis: Basis  # "own" once the channel has MIN_PUBLICATIONS measured
    suggestions: tuple[Slot, ...]
    slots: dict[tuple[int, int], Slot]  # every day slot, by (weekday, hour)
    published: int  # publications published in the window
    measured: int  # of which with at least one snapshot
    timezone_name: str
    shrinkage: float | None = None  # k, when own data is used

    @property
    def min_publications(self) -> int:
        return MIN_PUBLICATIONS

    @property
    def window_days(self) -> int:
        return WINDOW.days

    def rows(self) -> list[tuple[int, list[tuple[Slot, bool]]]]:
        """(hour, [(slot, is suggested) from Monday to Sunday]), for a table."""
        suggested = {(slot.weekday, slot.hour) for slot in self.suggestions}
        return [
            (
                hour,
                [
                    (self.slots[weekday, hour], (weekday, hour) in suggested)
                    for weekday in range(7)
                ],
            )
            for hour in DAY_HOURS
        ]


def _zone(timezone_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone_name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def usable_channels(*, authority: Authority) -> list[Channel]:
    """The authority's channels that can publish, in the channels page's order."""
    channels = Channel.objects.filter(authority=authority).select_related("authority")
    return [
        channel
        for channel in channels.order_by("network", "handle")
        if channel.can_publish
    ]


def _measurements(
    channel: Channel, *, since: dt.datetime, until: dt.datetime
) -> tuple[int, list[MetricSnapshot]]:
    """How many publications of `channel` were published in [since, until], and the
    latest snapshot of each that has one (two queries)."""
    published = Publication.objects.filter(
        channel=channel,
        state=PublicationState.PUBLISHED,
        published_at__gte=since,
        published_at__lte=until,
    )
    # The latest snapshot read: an error snapshot (a milestone the network could
    # not be read for) holds no counter and would count as no engagement.
    latest = (
        MetricSnapshot.objects.filter(publication=OuterRef("publication"), error="")
        .order_by("-collected_at", "-id")
        .values("pk")[:1]
    )
    snapshots = MetricSnapshot.objects.filter(
        publication__in=published, pk=Subquery(latest)
    ).annotate(published_at=F("publication__published_at"))
    return published.count(), list(snapshots)


def _typical(values: Sequence[float]) -> float | None:
    """The median, or the mean when more than half are zero; None if all are."""
    if not values:
        return None
    median = statistics.median(values)
    if median > 0:
        return median
    mean = statistics.fmean(values)
    return mean if mean > 0 else None


def engagement_rate(snapshot: MetricSnapshot) -> float | None:
    """Reactions, comments, shares and clicks over reach, else over impressions;
    None when the network gives neither (the one definition the insights share)."""
    audience = snapshot.reach or snapshot.impressions
    return snapshot.engagement / audience if audience else None


def _log_ratios(snapshots: Sequence[MetricSnapshot]) -> list[float]:
    """Each publication's result against the channel's usual one, in log scale."""
    audiences = [snapshot.reach or snapshot.impressions for snapshot in snapshots]
    rates = [
        rate
        for rate in (engagement_rate(snapshot) for snapshot in snapshots)
        if rate is not None
    ]
    raws = [
        float(snapshot.engagement)
        for snapshot, audience in zip(snapshots, audiences, strict=True)
        if not audience
    ]
    typical_rate, typical_raw = _typical(rates), _typical(raws)
    ratios = []
    for snapshot, audience in zip(snapshots, audiences, strict=True):
        value = snapshot.engagement / audience if audience else snapshot.engagement
        typical = typical_rate if audience else typical_raw
        ratio = value / typical if typical else 1.0
        ratios.append(math.log(min(max(ratio, RATIO_FLOOR), RATIO_CAP)))
    return ratios


def _shrinkage(
    groups: dict[tuple[int, int], list[float]], prior: dict[tuple[int, int], float]
) -> float:
    """k = within-slot variance / between-slot variance (around the defaults)."""
    within = [
        (value - statistics.fmean(values)) ** 2
        for values in groups.values()
        for value in values
    ]
    degrees = sum(len(values) - 1 for values in groups.values())
    if degrees <= 0 or len(groups) < 2:
        return K_MAX
    noise = sum(within) / degrees
    spread = statistics.fmean(
        (statistics.fmean(values) - prior[key]) ** 2 - noise / len(values)
        for key, values in groups.items()
    )
    if spread <= 0:
        return K_MAX
    return min(max(noise / spread, K_MIN), K_MAX)


def _deviation(
    key: tuple[int, int],
    groups: dict[tuple[int, int], list[float]],
    prior: dict[tuple[int, int], float],
    k: float,
) -> tuple[float, int]:
    """How far the channel's own results move the slot `key` from its default (log
    scale, shrunk by `k`), counting the adjacent hours of the same day at
    `NEIGHBOUR_WEIGHT`; and how many publications of those adjacent hours took part."""
    weekday, hour = key
    evidence = weight = 0.0
    nearby = 0
    for other, share in (
        (hour, 1.0),
        (hour - 1, NEIGHBOUR_WEIGHT),
        (hour + 1, NEIGHBOUR_WEIGHT),
    ):
        values = groups.get((weekday, other), [])
        if not values:
            continue
        evidence += share * (sum(values) - len(values) * prior[weekday, other])
        weight += share * len(values)
        if other != hour:
            nearby += len(values)
    return evidence / (weight + k), nearby


def best_slots(
    *, channel: Channel, now: dt.datetime | None = None, count: int = 5
) -> BestTime:
    """The ranked weekly slots of `channel` (see the module docstring)."""
    now = now or timezone.now()
    timezone_name = channel.authority.timezone or DEFAULT_TIMEZONE
    zone = _zone(timezone_name)
    cited: dict[tuple[int, int], Default] = defaults()[1].get(channel.network, {})
    prior = {
        (weekday, hour): math.log(cited[weekday, hour].index)
        if (weekday, hour) in cited
        else 0.0
        for weekday in range(7)
        for hour in range(24)
    }
    published, snapshots = _measurements(channel, since=now - WINDOW, until=now)

    groups: dict[tuple[int, int], list[float]] = defaultdict(list)
    engagements: dict[tuple[int, int], list[int]] = defaultdict(list)
    k: float | None = None
    if len(snapshots) >= MIN_PUBLICATIONS:
        for snapshot, value in zip(snapshots, _log_ratios(snapshots), strict=True):
            local = snapshot.published_at.astimezone(zone)  # type: ignore[attr-defined]
            groups[local.weekday(), local.hour].append(value)
            engagements[local.weekday(), local.hour].append(snapshot.engagement)
        k = _shrinkage(groups, prior)

    slots = {}
    for key in ((weekday, hour) for weekday in range(7) for hour in DAY_HOURS):
        default = cited.get(key)
        values = groups.get(key, [])
        deviation, nearby = (0.0, 0) if k is None else _deviation(key, groups, prior, k)
        slots[key] = Slot(
            *key,
            score=round(100 * math.exp(prior[key] + deviation)),
            basis="own" if values else "default",
            rank=default.rank if default else None,
            publications=len(values),
            median_engagement=statistics.median(engagements[key]) if values else None,
            nearby=nearby,
            sources=default.sources if default and not values else (),
        )
    return BestTime(
        channel=channel,
        basis="default" if k is None else "own",
        suggestions=tuple(_spread(slots.values(), count)),
        slots=slots,
        published=published,
        measured=len(snapshots),
        timezone_name=timezone_name,
        shrinkage=k,
    )


def _spread(slots: Iterable[Slot], count: int) -> list[Slot]:
    """The best `count` slots, never two neighbouring hours of one day, and among
    equal scores a day not chosen yet first: « mardi à 12 h » and « mardi à 13 h »
    do not fill the list together."""
    remaining = list(slots)
    chosen: list[Slot] = []
    while remaining and len(chosen) < count:
        days = {slot.weekday for slot in chosen}
        best = min(
            remaining,
            key=lambda s: (
                -s.score,
                s.rank or 99,
                s.weekday in days,
                s.weekday,
                s.hour,
            ),
        )
        chosen.append(best)
        remaining = [
            slot
            for slot in remaining
            if not (slot.weekday == best.weekday and abs(slot.hour - best.hour) <= 1)
        ]
    return chosen


def next_datetimes(
    slots: Sequence[Slot], *, timezone_name: str, after: dt.datetime, count: int
) -> list[dt.datetime]:
    """The next `count` aware UTC instants, after `after`, that fall on one of the
    weekly `slots` (on the hour, local time). A local time that does not exist (the
    hour skipped by the spring change) is left out; a repeated one (autumn) is its
    first occurrence."""
    if not slots or count <= 0:
        return []
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("next_datetimes needs an aware datetime")
    first_day = after.astimezone(_zone(timezone_name)).date()
    by_hour = sorted(slots, key=lambda slot: slot.hour)
    found: list[dt.datetime] = []
    for offset in range(7 * (count // len(slots) + 2)):
        day = first_day + dt.timedelta(days=offset)
        for slot in by_hour:
            if slot.weekday != day.weekday():
                continue
            try:
                instant = local_to_utc(
                    dt.datetime.combine(day, dt.time(slot.hour)),
                    _zone(timezone_name).key,
                )
            except ValidationError:
                continue
            if instant > after:
                found.append(instant)
                if len(found) == count:
                    return found
    return found


def next_suggested_datetimes(
    *, channel: Channel, after: dt.datetime, count: int
) -> list[dt.datetime]:
    """The next `count` instants (aware, UTC) on the channel's suggested slots."""
    best = best_slots(channel=channel, now=after)
    return next_datetimes(
        best.suggestions,
        timezone_name=best.timezone_name,
        after=after,
        count=count,
    )
