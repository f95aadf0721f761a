"""Boost advice read from the database: the authority's channels, their published
publications of the last BASELINE_DAYS days with their latest snapshot that gives an
audience, campaigns and their audiences, boosted publications and the authority's
own costs, in a fixed number of queries; then `boost_advice.advise`."""

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.insights.boost_advice import (
    BASELINE_DAYS,
    BoostAdvice,
    ChannelHistory,
    Measured,
    TargetAudience,
    Territory,
    advise,
    reach_cost,
)
from parvis.insights.boosts import ADVERTISING_NETWORKS, own_costs
from parvis.insights.models import Boost
from parvis.planning.best_time import engagement_rate
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState


def channel_label(channel: Channel) -> str:
    return f"{channel.get_network_display()} — {channel.display_name or channel.handle}"


def _measured(
    publication: Publication, snapshot: MetricSnapshot, boosted: bool
) -> Measured | None:
    post = publication.variant.post
    campaign = post.campaign
    rate = engagement_rate(snapshot)
    if rate is None or publication.published_at is None:
        return None
    return Measured(
        publication_id=publication.pk,
        title=post.title,
        published_at=publication.published_at,
        engagement=snapshot.engagement,
        audience=snapshot.reach or snapshot.impressions or 0,
        boosted=boosted,
        objective=campaign.objective if campaign else "",
        campaign_name=campaign.name if campaign else "",
        is_crisis=post.is_crisis,
        audiences=tuple(
            TargetAudience(audience.name, audience.targeting_hints)
            for audience in (campaign.audiences.all() if campaign else ())
        ),
        url=publication.remote_url,
    )


def boost_advice_for(*, authority: Any, now: dt.datetime | None = None) -> BoostAdvice:
    """The advice for `authority`'s channels at `now` (default: now)."""
    now = now or timezone.now()
    latest = (
        MetricSnapshot.objects.filter(publication=OuterRef("pk"))
        .filter(Q(reach__isnull=False) | Q(impressions__isnull=False))
        .order_by("-collected_at", "-id")
    )
    publications = list(
        Publication.objects.filter(
            authority=authority,
            state=PublicationState.PUBLISHED,
            published_at__gte=now - dt.timedelta(days=BASELINE_DAYS),
            published_at__lte=now,
        )
        .annotate(snapshot_id=Subquery(latest.values("pk")[:1]))
        .filter(snapshot_id__isnull=False)
        .select_related("variant__post__campaign")
        .prefetch_related("variant__post__campaign__audiences")
        .order_by("-published_at", "-id")
    )
    snapshots = MetricSnapshot.objects.in_bulk(
        [publication.snapshot_id for publication in publications]  # type: ignore[attr-defined]
    )
    boosted = set(
        Boost.objects.filter(
            authority=authority, publication__isnull=False
        ).values_list("publication_id", flat=True)
    )
    by_channel: dict[int, list[Measured]] = {}
    for publication in publications:
        item = _measured(
            publication,
            snapshots[publication.snapshot_id],  # type: ignore[attr-defined]
            publication.pk in boosted,
        )
        if item is not None:
            by_channel.setdefault(publication.channel_id, []).append(item)
    channels = Channel.objects.filter(authority=authority).order_by("network", "handle")
    own = own_costs(authority=authority)
    return advise(
        channels=[
            ChannelHistory(
                channel.pk,
                channel.network,
                channel_label(channel),
                tuple(by_channel.get(channel.pk, ())),
            )
            for channel in channels
        ],
        territory=Territory(authority.name, authority.kind, authority.population),
        costs={
            network: reach_cost(network, own.get(network, ()))
            for network in ADVERTISING_NETWORKS
        },
        now=now,
    )
