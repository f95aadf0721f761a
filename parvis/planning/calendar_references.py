"""Who and what the editorial calendar shows (reads): the authorities in view, each
with a colour and initials for the agency view, and their channels, campaigns,
audiences and calendar rules, in five queries whatever their size."""

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from parvis.planning.models import CalendarRules, Campaign
from parvis.territory.vocabularies import Network

# Distinct colours of the authorities in the agency view, each readable (>= 6.4:1)
# under white text; an entry also carries the authority's initials, never colour alone.
PALETTE = [
    "#1f4e79",
    "#8a1c4a",
    "#0f6b4f",
    "#8a4b00",
    "#5a2d91",
    "#00646e",
    "#7a2e0e",
    "#4f4f57",
]
SMALL_WORDS = {"au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}
SMALL_WORDS |= {"sur", "sous", "à"}


# -- who --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarAuthority:
    pk: int
    slug: str
    name: str
    initials: str
    colour: str
    timezone: str
    can_write: bool


def initials_of(name: str) -> str:
    """'Saint-Malo' -> 'SM', 'Lyon' -> 'LY', 'CA du Pays de Saint Malo' -> 'CPS'."""
    words = [w for w in re.split(r"[\s\-'’]+", name) if w]
    words = [w for w in words if w.lower() not in SMALL_WORDS] or words
    if len(words) >= 2:
        return "".join(word[0] for word in words[:3]).upper()
    return (words[0][:2] if words else "?").upper()


def calendar_authorities(
    *, memberships: Iterable[Any], writer_roles: Iterable[str]
) -> list[CalendarAuthority]:
    """The authorities of `memberships` (with `authority` loaded), each with its
    colour (by position, so the same user always sees the same colours) and initials
    made unique among them."""
    writers = set(writer_roles)
    result: list[CalendarAuthority] = []
    seen: Counter[str] = Counter()
    for position, membership in enumerate(memberships):
        authority = membership.authority
        initials = initials_of(authority.name)
        seen[initials] += 1
        if seen[initials] > 1:
            initials = f"{initials}{seen[initials]}"
        result.append(
            CalendarAuthority(
                pk=authority.pk,
                slug=authority.slug,
                name=authority.name,
                initials=initials,
                colour=PALETTE[position % len(PALETTE)],
                timezone=authority.timezone or "Europe/Paris",
                can_write=membership.role in writers,
            )
        )
    return result


# -- what the filters choose from --------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    pk: int
    authority_id: int
    label: str


@dataclass(frozen=True)
class ChannelRef:
    pk: int
    authority_id: int
    network: str
    label: str
    can_publish: bool


@dataclass(frozen=True)
class CampaignRef:
    pk: int
    authority_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    posts_per_week: int
    channel_ids: frozenset[int]


@dataclass(frozen=True)
class References:
    """The channels, campaigns, audiences and calendar rules of the authorities."""

    authorities: list[CalendarAuthority]
    channels: dict[int, ChannelRef]
    campaigns: dict[int, CampaignRef]
    audiences: list[Choice]
    min_gap: dict[int, dt.timedelta]
    max_per_day: dict[int, int]


def calendar_references(*, authorities: list[CalendarAuthority]) -> References:
    """Five queries, whatever the size of the authorities."""
    from parvis.channels.models import Channel, ChannelStatus
    from parvis.territory.models import Audience

    ids = [authority.pk for authority in authorities]
    usable = {ChannelStatus.OK, ChannelStatus.EXPIRING}
    rows = (
        Channel.objects.filter(authority_id__in=ids)
        .order_by("network", "handle")
        .values_list("pk", "authority_id", "network", "handle", "status")
    )
    channels = {
        pk: ChannelRef(
            pk=pk,
            authority_id=authority_id,
            network=network,
            label=f"{Network(network).label} {handle}",
            can_publish=status in usable,
        )
        for pk, authority_id, network, handle, status in rows
    }
    chosen: dict[int, set[int]] = defaultdict(set)
    for campaign_id, channel_id in Campaign.channels.through.objects.filter(
        campaign__authority_id__in=ids
    ).values_list("campaign_id", "channel_id"):
        chosen[campaign_id].add(channel_id)
    campaigns = {
        row[0]: CampaignRef(*row, channel_ids=frozenset(chosen[row[0]]))
        for row in Campaign.objects.filter(authority_id__in=ids)
        .order_by("-starts_on", "name")
        .values_list(
            "pk", "authority_id", "name", "starts_on", "ends_on", "posts_per_week"
        )
    }
    audiences = [
        Choice(*row)
        for row in Audience.objects.filter(authority_id__in=ids)
        .order_by("authority__name", "name")
        .values_list("pk", "authority_id", "name")
    ]
    defaults = CalendarRules()
    rules = {
        authority_id: (gap, per_day)
        for authority_id, gap, per_day in CalendarRules.objects.filter(
            authority_id__in=ids
        ).values_list("authority_id", "min_gap_minutes", "max_posts_per_day")
    }
    fallback = (defaults.min_gap_minutes, defaults.max_posts_per_day)
    return References(
        authorities=authorities,
        channels=channels,
        campaigns=campaigns,
        audiences=audiences,
        min_gap={pk: dt.timedelta(minutes=rules.get(pk, fallback)[0]) for pk in ids},
        max_per_day={pk: rules.get(pk, fallback)[1] for pk in ids},
    )
