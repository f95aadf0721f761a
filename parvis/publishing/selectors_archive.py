"""Reads of the public archive: an authority by its public slug, its entries
filtered by month (in its own time zone) and network, and the choices of the
filters (only months and networks that have entries)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.formats import date_format

from parvis.publishing.models import ArchiveEntry
from parvis.territory.models import Authority
from parvis.territory.vocabularies import Network

MONTH = re.compile(r"(\d{4})-(\d{2})")


def archive_authority(*, slug: str) -> Authority:
    """Any authority using Parvis has a public archive; an unknown slug is 404."""
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None:
        raise Http404("No such authority")
    return authority


def parse_month(value: str) -> tuple[int, int] | None:
    """(year, month) from "YYYY-MM", or None when empty or malformed."""
    match = MONTH.fullmatch(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return (year, month) if 1 <= month <= 12 and year >= 1970 else None


def archive_entries(
    *, authority: Authority, month: tuple[int, int] | None = None, network: str = ""
) -> QuerySet[ArchiveEntry]:
    """The authority's entries, newest first; `month` is a local calendar month."""
    entries = ArchiveEntry.objects.filter(authority=authority)
    if month is not None:
        zone = ZoneInfo(authority.timezone)
        year, number = month
        first = dt.datetime(year, number, 1, tzinfo=zone)
        following = (
            dt.datetime(year + 1, 1, 1, tzinfo=zone)
            if number == 12
            else dt.datetime(year, number + 1, 1, tzinfo=zone)
        )
        entries = entries.filter(published_at__gte=first, published_at__lt=following)
    if network:
        entries = entries.filter(network=network)
    return entries.order_by("-published_at", "-id")


def archive_months(*, authority: Authority) -> list[tuple[str, str]]:
    """("2026-03", "mars 2026") for each local month with entries, newest first."""
    zone = ZoneInfo(authority.timezone)
    months = (
        ArchiveEntry.objects.filter(authority=authority)
        .annotate(month=TruncMonth("published_at", tzinfo=zone))
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
    return [(f"{month:%Y-%m}", date_format(month, "F Y")) for month in months]


def archive_networks(*, authority: Authority) -> list[tuple[str, str]]:
    """(network, label) for each network with entries, in the vocabulary's order."""
    present = set(
        ArchiveEntry.objects.filter(authority=authority)
        .order_by()
        .values_list("network", flat=True)
        .distinct()
    )
    return [(value, label) for value, label in Network.choices if value in present]
