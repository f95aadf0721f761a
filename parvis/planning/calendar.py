"""Reads of the editorial calendar: the posts of one or several authorities over a
period of local days, with their local time, state, campaign, networks and channels,
and what the calendar flags.

- A *conflict*: two posts on one channel closer than the authority's
  `CalendarRules.min_gap_minutes` (a post not handed to publishing yet counts on the
  channels it would go to by default, or on its network when there are none).
- An *overloaded day*: more posts than `max_posts_per_day` on one local day.
- A *gap*: an ISO week of a campaign with fewer posts than its `posts_per_week`
  (pro rata of the days of that week inside the campaign's dates).

Days are the authority's local days (`Authority.timezone`): a day's bounds are its
local midnights converted with zoneinfo, so the spring change day lasts 23 hours and
the autumn one 25. Everything is read in a fixed number of queries whatever the number
of posts: plain values, no model instance per post. The filters only choose what is
shown; conflicts, loads and gaps are always counted on every post of the period.
"""

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from functools import cache
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from parvis.planning.calendar_entries import (
    Calendar,
    Entry,
    Filters,
    Gap,
    Overload,
)
from parvis.planning.calendar_references import (
    CalendarAuthority,
    ChannelRef,
    References,
    calendar_authorities,
    calendar_references,
)
from parvis.studio.models import Post, Variant
from parvis.territory.vocabularies import Network


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def day_start_utc(day: dt.date, timezone_name: str) -> dt.datetime:
    """The UTC instant of local midnight starting `day`."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=zone(timezone_name))
    return local.astimezone(dt.UTC)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def calendar_read(
    *, references: References, first: dt.date, last: dt.date, filters: Filters
) -> Calendar:
    """The posts planned on the local days `first`..`last` (inclusive) of each
    authority: three queries (posts, variants, publications)."""
    # Whole ISO weeks (for the gaps), widened by the gap rule (for the conflicts).
    margin = max(references.min_gap.values(), default=dt.timedelta())
    window = Q(pk__in=[])
    for authority in references.authorities:
        start = day_start_utc(week_start(first), authority.timezone)
        end = day_start_utc(week_start(last) + dt.timedelta(days=7), authority.timezone)
        window |= Q(
            authority_id=authority.pk,
            planned_at__gte=start - margin,
            planned_at__lt=end + margin,
        )
    posts = Post.objects.filter(window)
    entries = _entries(posts, references)
    networks = _networks_and_audiences(entries, posts.values("pk"))
    _handed_over_channels(entries, posts.values("pk"))
    _describe_targets(entries, networks, references)

    conflicted = _flag_conflicts(list(entries.values()), references)
    shown = [entry for entry in entries.values() if first <= entry.day <= last]
    overloads = _overloads(shown, references)
    gaps = _gaps(list(entries.values()), references, first, last, filters)
    visible = [entry for entry in shown if _matches(entry, filters)]
    by_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for entry in visible:
        by_day[entry.day].append(entry)
    return Calendar(
        first=first,
        last=last,
        entries=visible,
        by_day=dict(by_day),
        overloads=overloads,
        gaps=gaps,
        conflict_count=sum(1 for e in shown if e.post_id in conflicted),
    )


def _entries(posts: Any, refs: References) -> dict[int, Entry]:
    """An entry per post, in time order."""
    authorities = {authority.pk: authority for authority in refs.authorities}
    zones = {pk: zone(authority.timezone) for pk, authority in authorities.items()}
    labels = {pk: channel.label for pk, channel in refs.channels.items()}
    campaigns = refs.campaigns
    entries: dict[int, Entry] = {}
    rows = posts.order_by("planned_at", "pk").values_list(
        "pk", "authority_id", "title", "state", "planned_at", "campaign_id", "is_crisis"
    )
    for pk, authority_id, title, state, planned_at, campaign_id, crisis in rows:
        local = planned_at.astimezone(zones[authority_id])
        entries[pk] = Entry(
            pk,
            authorities[authority_id],
            title,
            state,
            planned_at,
            int(planned_at.timestamp()),
            local,
            local.date(),
            campaigns.get(campaign_id) if campaign_id else None,
            crisis,
            (),
            (),
            (),
            (),
            labels,
        )
    return entries


# Both read grouped by post in SQL: no container per post outlives its group (they
# would all reach the oldest generation of the garbage collector, request after
# request).
def _networks_and_audiences(
    entries: dict[int, Entry], in_window: Any
) -> dict[int, frozenset[str]]:
    networks: dict[int, frozenset[str]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}
    variants = (
        Variant.objects.filter(post__in=in_window)
        .order_by("post_id")
        .values_list("post_id", "network", "audience_id")
    )
    for post_id, group in itertools.groupby(variants, key=itemgetter(0)):
        rows = list(group)
        mine = frozenset(row[1] for row in rows)
        networks[post_id] = shared.setdefault(mine, mine)
        audiences = tuple(sorted({row[2] for row in rows if row[2]}))
        if audiences:
            entries[post_id].audience_ids = audiences
    return networks


def _handed_over_channels(entries: dict[int, Entry], in_window: Any) -> None:
    from parvis.publishing.models import Publication, PublicationState

    publications = (
        Publication.objects.filter(variant__post__in=in_window)
        .exclude(state=PublicationState.CANCELLED)
        .order_by("variant__post_id")
        .values_list("variant__post_id", "channel_id")
    )
    for post_id, group in itertools.groupby(publications, key=itemgetter(0)):
        entries[post_id].channel_ids = tuple(sorted({row[1] for row in group}))


def _describe_targets(
    entries: dict[int, Entry], networks: dict[int, frozenset[str]], refs: References
) -> None:
    """The networks of each post, and where it goes: its publications' channels once
    handed over, otherwise the usable channels of its networks (those of its
    campaign when it names some, as `channels_for_variant` chooses)."""
    usable: dict[tuple[int, str], list[ChannelRef]] = defaultdict(list)
    for channel in refs.channels.values():
        if channel.can_publish:
            usable[(channel.authority_id, channel.network)].append(channel)
    # Posts share a few combinations: each is worked out once.
    label_cache: dict[frozenset[str], tuple[str, ...]] = {}
    target_cache: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for post_id, entry in entries.items():
        mine = networks.get(post_id, frozenset())
        if mine not in label_cache:
            label_cache[mine] = tuple(str(Network(n).label) for n in sorted(mine))
        entry.networks = label_cache[mine]
        if entry.channel_ids:
            continue
        campaign = entry.campaign
        key = (entry.authority.pk, mine, campaign.pk if campaign else None)
        if key not in target_cache:
            targets: set[int] = set()
            for network in mine:
                found = usable.get((entry.authority.pk, network), [])
                if campaign and campaign.channel_ids:
                    chosen = [c for c in found if c.pk in campaign.channel_ids]
                    found = chosen or found
                targets.update(channel.pk for channel in found)
            target_cache[key] = tuple(sorted(targets))
        entry.channel_ids = target_cache[key]


def _flag_conflicts(entries: list[Entry], refs: References) -> set[int]:
    """Neighbours on one channel (or network, without channel) closer than the
    authority's gap; `entries` come in time order, so every lane does too. Counted
    in whole seconds: a month of an agency can hold tens of thousands of pairs."""
    lanes: dict[tuple[Any, ...], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.channel_ids:
            for pk in entry.channel_ids:
                lanes[("channel", pk)].append(entry)
        else:
            for label in entry.networks:
                lanes[("network", entry.authority.pk, label)].append(entry)
    gaps = {pk: int(gap.total_seconds()) for pk, gap in refs.min_gap.items()}
    conflicted: set[int] = set()
    for key, lane in lanes.items():
        where = refs.channels[key[1]].label if key[0] == "channel" else key[2]
        gap = gaps[lane[0].authority.pk]  # a lane is one authority's
        for before, after in itertools.pairwise(lane):
            apart = after.stamp - before.stamp
            if apart < gap:
                minutes = apart // 60
                before.too_close += ((after.title, after.local, where, minutes),)
                after.too_close += ((before.title, before.local, where, minutes),)
                conflicted.add(before.post_id)
                conflicted.add(after.post_id)
    return conflicted


def _overloads(entries: list[Entry], refs: References) -> dict[dt.date, list[Overload]]:
    counts = Counter((entry.authority, entry.day) for entry in entries)
    overloads: dict[dt.date, list[Overload]] = defaultdict(list)
    for (authority, day), count in sorted(counts.items(), key=lambda i: i[0][1]):
        maximum = refs.max_per_day[authority.pk]
        if count > maximum:
            overloads[day].append(Overload(authority, day, count, maximum))
    return dict(overloads)


def _gaps(
    entries: list[Entry],
    refs: References,
    first: dt.date,
    last: dt.date,
    filters: Filters,
) -> list[Gap]:
    mondays: dict[dt.date, dt.date] = {}
    counts: Counter[tuple[int, dt.date]] = Counter()
    for entry in entries:
        if entry.campaign:
            if entry.day not in mondays:
                mondays[entry.day] = week_start(entry.day)
            counts[(entry.campaign.pk, mondays[entry.day])] += 1
    authorities = {authority.pk: authority for authority in refs.authorities}
    gaps = []
    for campaign in sorted(refs.campaigns.values(), key=lambda c: (c.starts_on, c.pk)):
        if filters.campaign_id and campaign.pk != filters.campaign_id:
            continue
        start, end = max(campaign.starts_on, first), min(campaign.ends_on, last)
        if not campaign.posts_per_week or start > end:
            continue
        monday = week_start(start)
        while monday <= end:
            sunday = monday + dt.timedelta(days=6)
            covered = (
                min(sunday, campaign.ends_on) - max(monday, campaign.starts_on)
            ).days + 1
            expected = math.ceil(campaign.posts_per_week * covered / 7)
            count = counts[(campaign.pk, monday)]
            if count < expected:
                authority = authorities[campaign.authority_id]
                gaps.append(Gap(authority, campaign, monday, count, expected))
            monday += dt.timedelta(days=7)
    return gaps


def _matches(entry: Entry, filters: Filters) -> bool:
    if filters.state and entry.state != filters.state:
        return False
    if filters.campaign_id and (
        entry.campaign is None or entry.campaign.pk != filters.campaign_id
    ):
        return False
    if filters.audience_id and filters.audience_id not in entry.audience_ids:
        return False
    return not filters.channel_id or filters.channel_id in entry.channel_ids


__all__ = [
    "Calendar",
    "CalendarAuthority",
    "Entry",
    "Filters",
    "calendar_authorities",
    "calendar_read",
    "calendar_references",
    "day_start_utc",
    "week_start",
]
