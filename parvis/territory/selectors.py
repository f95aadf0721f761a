"""Reads of the territory app."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from parvis.territory.models import Authority, Election, Territory
from parvis.territory.reference import normalize_name

SEARCH_LIMIT = 20


def territory_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[Territory]:
    """Reference entries matching a name or an official code, best first: exact code,
    exact name, names holding the query as whole words, names starting with it, then
    names containing it; larger populations first within each group."""
    query = query.strip()
    if len(query) < 2:
        return []
    code = query.upper().replace(" ", "")
    by_code = list(Territory.objects.filter(code=code).order_by("kind"))
    normalized = normalize_name(query)
    if not normalized:
        return by_code[:limit]
    by_name = (
        Territory.objects.filter(search_name__contains=normalized)
        .exclude(code=code)
        .annotate(
            rank=Case(
                When(search_name=normalized, then=Value(0)),
                When(search_name__startswith=f"{normalized} ", then=Value(1)),
                When(search_name__endswith=f" {normalized}", then=Value(1)),
                When(search_name__contains=f" {normalized} ", then=Value(1)),
                When(search_name__startswith=normalized, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-population", "name")
    )
    return (by_code + list(by_name[:limit]))[:limit]


def territory_parents(*, territory: Territory) -> list[Territory]:
    """The entries above one in the administrative tree: EPCI, département, région."""
    wanted = [
        ("epci", territory.epci_code),
        ("departement", territory.departement_code),
        ("region", territory.region_code),
    ]
    found = {
        (parent.kind, parent.code): parent
        for parent in Territory.objects.filter(
            code__in=[code for _, code in wanted if code]
        )
    }
    return [found[key] for key in wanted if key in found]


def territories_available(*, ids: list[int]) -> QuerySet[Territory]:
    return Territory.objects.filter(pk__in=ids, authority__isnull=True)


def restricted_period_start(election_day: dt.date) -> dt.date:
    """First day of the sixth month before the election's month (Code électoral,
    art. L52-1): from then on, no promotion of the authority's achievements."""
    month_index = election_day.year * 12 + (election_day.month - 1) - 6
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class ElectionWindow:
    election: Election
    starts_on: dt.date
    ends_on: dt.date

    def is_active(self, today: dt.date) -> bool:
        return self.starts_on <= today <= self.ends_on


def election_windows(*, authority: Authority, today: dt.date) -> list[ElectionWindow]:
    """Restricted windows of the authority's elections still to come or under way."""
    windows = []
    for election in authority.elections.all():
        last_day = election.second_round or election.first_round
        if last_day < today:
            continue
        windows.append(
            ElectionWindow(
                election=election,
                starts_on=restricted_period_start(election.first_round),
                ends_on=last_day,
            )
        )
    return windows
