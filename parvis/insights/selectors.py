"""Reads of the insights: the barometer's population (this installation's
authorities, plus the latest observatory file for the others)."""

from django.core.cache import cache

from parvis.insights.barometer import AuthorityIndicators
from parvis.insights.barometer_peers import installation_indicators
from parvis.insights.models import ObservatoryImport, ObservedAuthority

CACHE_KEY = "insights:barometer:installation"
CACHE_SECONDS = 3600


def latest_observatory_import() -> ObservatoryImport | None:
    return (
        ObservatoryImport.objects.filter(state=ObservatoryImport.State.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def observatory_imports(limit: int = 5) -> list[ObservatoryImport]:
    return list(ObservatoryImport.objects.order_by("-created_at", "-id")[:limit])


def _observed(observatory_import: ObservatoryImport) -> list[AuthorityIndicators]:
    """The indicators of a read file's authorities; they never change once read,
    so they are kept in the cache by import (a national file holds 35,000)."""
    finished = observatory_import.finished_at
    key = (
        f"insights:observed:{observatory_import.pk}:{finished and finished.timestamp()}"
    )
    cached: list[AuthorityIndicators] | None = cache.get(key)
    if cached is None:
        cached = _observed_rows(observatory_import)
        cache.set(key, cached, 24 * 3600)
    return cached


def _observed_rows(observatory_import: ObservatoryImport) -> list[AuthorityIndicators]:
    return [
        AuthorityIndicators(
            kind=row.kind,
            code=row.code,
            band=row.band,
            present=frozenset(row.present),
            posts=row.posts,
            republished_posts=row.republished_posts,
            sponsors=row.sponsors,
            organic_reach_rate=row.organic_reach_rate,
        )
        for row in ObservedAuthority.objects.filter(
            observatory_import=observatory_import
        ).iterator(chunk_size=5000)
    ]


def barometer_population(*, fresh: bool = False) -> list[AuthorityIndicators]:
    """Every authority the barometer compares: this installation's (measured from
    its data, kept an hour in the cache) and, for the others, those of the latest
    observatory file. An authority in both is measured from the installation."""
    own: list[AuthorityIndicators] | None = None if fresh else cache.get(CACHE_KEY)
    if own is None:
        own = installation_indicators()
        cache.set(CACHE_KEY, own, CACHE_SECONDS)
    latest = latest_observatory_import()
    if latest is None:
        return own
    known = {(item.kind, item.code) for item in own}
    return own + [
        item for item in _observed(latest) if (item.kind, item.code) not in known
    ]


def indicators_of(
    population: list[AuthorityIndicators], *, kind: str, code: str
) -> AuthorityIndicators | None:
    return next(
        (item for item in population if item.kind == kind and item.code == code),
        None,
    )
