"""The indicators each campaign follows (`Campaign.kpis`, chosen from its objective in
`planning.kpis`), computed over the campaign's dates from its publications, its
channels' followers, the inbox and the consultations linked to its publications.

A value is None when the data is not there (a network that gives no reach, a
campaign not started): shown "non fourni", never 0.
"""

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.insights.dashboard import (
    engagement_rate,
    follower_figures,
    inbox_figures,
    publication_figures,
    total,
)
from parvis.planning.kpis import KPIS


@dataclass(frozen=True)
class KpiValue:
    slug: str
    label: str
    definition: str
    value: float | None
    unit: str  # "count", "share", "hours"


def campaign_period(campaign: Any, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The campaign's dates as UTC instants (its last day included), cut at now."""
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(campaign.starts_on, dt.time(), tz).astimezone(dt.UTC)
    end = dt.datetime.combine(
        campaign.ends_on + dt.timedelta(days=1), dt.time(), tz
    ).astimezone(dt.UTC)
    return start, min(end, timezone.now())


def campaign_kpis(campaign: Any) -> list[KpiValue]:
    authority = campaign.authority
    start, end = campaign_period(campaign, authority.timezone)
    if end <= start:
        return [_value(slug, None) for slug in campaign.kpis if slug in KPIS]
    items = publication_figures(
        authority, start=start, end=end, campaign_id=campaign.pk
    )
    values: dict[str, float | None] = {}
    slugs = [slug for slug in campaign.kpis if slug in KPIS]
    for slug in slugs:
        if slug == "portee":
            values[slug] = total(items, "reach")
        elif slug == "impressions":
            values[slug] = total(items, "impressions")
        elif slug == "partages":
            values[slug] = total(items, "shares")
        elif slug == "clics":
            values[slug] = total(items, "clicks")
        elif slug == "commentaires":
            values[slug] = total(items, "comments")
        elif slug == "taux_engagement":
            values[slug] = engagement_rate(items)
        elif slug == "abonnes_gagnes":
            values[slug] = _followers_gained(campaign, start, end)
        elif slug == "reactions_positives":
            values[slug] = inbox_figures(
                authority, start=start, end=end, publication_ids=[i.id for i in items]
            ).positive_share
        elif slug == "delai_reponse":
            values[slug] = inbox_figures(
                authority, start=start, end=end
            ).median_response_hours
        elif slug == "contributions":
            values[slug] = _contributions(items, start, end)
        elif slug == "delai_publication":
            values[slug] = _publication_delay(campaign, start, end)
    return [_value(slug, values.get(slug)) for slug in slugs]


UNITS = {
    "taux_engagement": "share",
    "reactions_positives": "share",
    "delai_reponse": "hours",
    "delai_publication": "hours",
}


def _value(slug: str, value: float | None) -> KpiValue:
    kpi = KPIS[slug]
    return KpiValue(
        slug=slug,
        label=str(kpi.label),
        definition=str(kpi.definition),
        value=value,
        unit=UNITS.get(slug, "count"),
    )


def _followers_gained(
    campaign: Any, start: dt.datetime, end: dt.datetime
) -> float | None:
    channel_ids = list(campaign.channels.values_list("id", flat=True)) or list(
        campaign.authority.channels.values_list("id", flat=True)
    )
    figures = follower_figures(
        channel_ids,
        start_day=campaign.starts_on - dt.timedelta(days=1),
        end_day=min(campaign.ends_on, timezone.localdate()),
    )
    growths = [f.growth for f in figures.values() if f.growth is not None]
    return float(sum(growths)) if growths else None


def _contributions(
    items: list[Any], start: dt.datetime, end: dt.datetime
) -> float | None:
    from parvis.participation.models import Contribution

    if not items:
        return None
    return float(
        Contribution.objects.filter(
            consultation__publications__in=[item.id for item in items],
            created_at__gte=start,
            created_at__lt=end,
        )
        .distinct()
        .count()
    )


def _publication_delay(
    campaign: Any, start: dt.datetime, end: dt.datetime
) -> float | None:
    """Median hours between a post's creation and its first publication."""
    from parvis.publishing.models import Publication, PublicationState

    rows = Publication.objects.filter(
        variant__post__campaign=campaign,
        state=PublicationState.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
    ).values_list("published_at", "variant__post__created_at")
    delays = [
        max(0.0, (published - created).total_seconds() / 3600)
        for published, created in rows
        if published and created
    ]
    return statistics.median(delays) if delays else None
