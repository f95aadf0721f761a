"""The indicators each campaign follows (`Campaign.kpis`, chosen from its objective in
`planning.kpis`), computed over the campaign's dates from its publications, its
channels' followers, the inbox and the consultations linked to its publications.

A value is None when the data is not there (a network that gives no reach, a
campaign not started): shown "non fourni", never 0.
"""

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.insights.dashboard import (
    PublicationFigures,
    engagement_rate,
    follower_history,
    followers_between,
    inbox_between,
    inbox_rows,
    publication_figures,
    total,
)
from parvis.insights.web_visits import campaign_visits
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
    return campaigns_kpis(campaign.authority, [campaign])[campaign.pk]


def campaigns_kpis(
    authority: Any,
    campaigns: Sequence[Any],
    *,
    known: tuple[dt.datetime, dt.datetime, Sequence[PublicationFigures]] | None = None,
) -> dict[int, list[KpiValue]]:
    """The indicators of several campaigns of one authority, from one read of their
    publications, of the inbox and of the followers over all their dates. `known`:
    (start, end, every publication of the authority published in between), already
    read, used instead of a new read when it covers the campaigns' dates."""
    periods = {c.pk: campaign_period(c, authority.timezone) for c in campaigns}
    started = [c for c in campaigns if periods[c.pk][1] > periods[c.pk][0]]
    result = {
        c.pk: [_value(slug, None) for slug in c.kpis if slug in KPIS] for c in campaigns
    }
    if not started:
        return result
    start = min(periods[c.pk][0] for c in started)
    end = max(periods[c.pk][1] for c in started)
    if known is not None and known[0] <= start and end <= known[1]:
        items = list(known[2])
    else:
        items = publication_figures(
            authority, start=start, end=end, campaign_ids=[c.pk for c in started]
        )
    by_campaign: dict[int | None, list[PublicationFigures]] = {}
    for item in items:
        by_campaign.setdefault(item.campaign_id, []).append(item)
    inbox = inbox_rows(authority, start=start, end=end)
    every_channel = list(authority.channels.values_list("id", flat=True))
    # A campaign naming no channel is measured on all the authority's.
    channel_ids = {
        c.pk: [channel.pk for channel in c.channels.all()] or every_channel
        for c in started
    }
    today = timezone.now().astimezone(ZoneInfo(authority.timezone)).date()
    history = follower_history(
        {i for ids in channel_ids.values() for i in ids},
        start_day=min(c.starts_on for c in started) - dt.timedelta(days=1),
        end_day=min(max(c.ends_on for c in started), today),
    )
    for campaign in started:
        begin, finish = periods[campaign.pk]
        own = [
            item
            for item in by_campaign.get(campaign.pk, [])
            if begin <= item.published_at < finish
        ]
        values: dict[str, float | None] = {}
        for slug in campaign.kpis:
            if slug in COUNTER_OF:
                values[slug] = total(own, COUNTER_OF[slug])
            elif slug == "taux_engagement":
                values[slug] = engagement_rate(own)
            elif slug == "abonnes_gagnes":
                figures = followers_between(
                    {i: history[i] for i in channel_ids[campaign.pk]},
                    start_day=campaign.starts_on - dt.timedelta(days=1),
                    end_day=min(campaign.ends_on, today),
                )
                growths = [f.growth for f in figures.values() if f.growth is not None]
                values[slug] = float(sum(growths)) if growths else None
            elif slug == "reactions_positives":
                values[slug] = inbox_between(
                    inbox, start=begin, end=finish, publication_ids=[i.id for i in own]
                ).positive_share
            elif slug == "delai_reponse":
                values[slug] = inbox_between(
                    inbox, start=begin, end=finish
                ).median_response_hours
            elif slug == "contributions":
                values[slug] = _contributions(own, begin, finish)
            elif slug == "delai_publication":
                values[slug] = _publication_delay(own)
            elif slug == "visites_site":
                found = campaign_visits(
                    authority,
                    campaign_slug=campaign.slug,
                    first_day=campaign.starts_on,
                    last_day=min(campaign.ends_on, today),
                )
                values[slug] = None if found is None else float(found)
        result[campaign.pk] = [
            _value(slug, values.get(slug)) for slug in campaign.kpis if slug in KPIS
        ]
    return result


COUNTER_OF = {
    "portee": "reach",
    "impressions": "impressions",
    "partages": "shares",
    "clics": "clicks",
    "commentaires": "comments",
}


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


def _publication_delay(items: Sequence[PublicationFigures]) -> float | None:
    """Median hours between a post's creation and its publication."""
    from parvis.studio.models import Post

    created = dict(
        Post.objects.filter(id__in={item.post_id for item in items}).values_list(
            "id", "created_at"
        )
    )
    delays = [
        max(0.0, (item.published_at - created[item.post_id]).total_seconds() / 3600)
        for item in items
        if created.get(item.post_id) is not None
    ]
    return statistics.median(delays) if delays else None
