"""The specific-mode indicator over time: month by month (in the authority's
timezone), per network, the share of published posts written for the network
rather than republished from the website (the studio's specificity check, see
`dashboard`). The headline figure of the problem Parvis solves."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models.fields.json import KeyTextTransform, KeyTransform

from parvis.publishing.models import Publication, PublicationState

MONTHS = 12


@dataclass(frozen=True)
class MonthShare:
    month: dt.date  # first day of the month
    written: int
    republished: int

    @property
    def total(self) -> int:
        return self.written + self.republished

    @property
    def share(self) -> float | None:
        return self.written / self.total if self.total else None


def month_starts(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    first = today.replace(day=1)
    result = []
    for _ in range(months):
        result.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return result[::-1]


def specific_mode_by_month(
    authority: Any, *, today: dt.date, months: int = MONTHS
) -> dict[str, list[MonthShare]]:
    """network -> one MonthShare per month of the last `months` (oldest first); the
    key "" holds every network together."""
    zone = ZoneInfo(authority.timezone)
    starts = month_starts(today, months)
    since = dt.datetime.combine(starts[0], dt.time(), zone).astimezone(dt.UTC)
    rows = Publication.objects.filter(
        authority=authority,
        state=PublicationState.PUBLISHED,
        published_at__gte=since,
    ).values_list(
        "channel__network",
        "published_at",
        KeyTextTransform("ok", KeyTransform("specificity", "variant__checks")),
    )
    counts: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for network, published_at, ok in rows:
        month = published_at.astimezone(zone).date().replace(day=1)
        republished = ok in (False, 0, "0", "false", "False")
        for key in (network, ""):
            counts[(key, month)][1 if republished else 0] += 1
    networks = sorted({network for network, _ in counts if network})
    return {
        network: [
            MonthShare(month, *counts.get((network, month), [0, 0])) for month in starts
        ]
        for network in ["", *networks]
    }
