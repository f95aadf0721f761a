"""Organic and paid reach of each publication (reads).

- Reach: the `reach` of the publication's latest snapshot that has one (the same
  reading as the barometer's).
- Followers: the channel's count from the latest `FollowerSnapshot` taken at or
  before that snapshot, read by `followers_at` / `followers_before` only (the one
  place that knows how followers are stored).
- Organic reach rate: reach / followers, for a publication without a boost; a
  publication with a boost is "sponsored": its rate is not computed (the network's
  reach then mixes paid and unpaid people), its boosts' paid reach is shown beside.
  A missing figure stays None ("Non fourni"), never 0.

A fixed number of queries, whatever the number of publications.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.expressions import BaseExpression
from django.utils import timezone

from parvis.channels.models import FollowerSnapshot
from parvis.insights.models import Boost
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState

WINDOW = dt.timedelta(days=90)


def followers_before(channel: Any, at: Any) -> BaseExpression:
    """A subquery: the followers of `channel` (a column or an id) counted last at or
    before `at` (a column or an instant); None when never counted by then."""
    counted = FollowerSnapshot.objects.filter(
        channel=channel, collected_at__lte=at, followers__isnull=False
    ).order_by("-collected_at", "-id")
    return Subquery(counted.values("followers")[:1])


def followers_at(*, channel: Any, at: dt.datetime) -> int | None:
    """The followers of `channel` counted last at or before `at`."""
    return (
        FollowerSnapshot.objects.filter(
            channel=channel, collected_at__lte=at, followers__isnull=False
        )
        .order_by("-collected_at", "-id")
        .values_list("followers", flat=True)
        .first()
    )


@dataclass(frozen=True)
class PostReach:
    publication: Publication
    reach: int | None  # latest reach the network gave
    measured_at: dt.datetime | None  # when that reach was read
    followers: int | None  # of the channel at that time
    sponsored: bool
    boosts: int
    paid_reach: int | None  # sum of the boosts' reported reach

    @property
    def organic_rate(self) -> float | None:
        if self.sponsored or self.reach is None or not self.followers:
            return None
        return self.reach / self.followers


def post_reach(*, authority: Any, now: dt.datetime | None = None) -> list[PostReach]:
    """The authority's publications published in the last 90 days, newest first."""
    now = now or timezone.now()
    latest = MetricSnapshot.objects.filter(
        publication=OuterRef("pk"), reach__isnull=False
    ).order_by("-collected_at", "-id")
    boosts = Boost.objects.filter(publication=OuterRef("pk"))
    paid = (
        boosts.order_by()
        .values("publication")
        .annotate(total=Sum("reach"))
        .values("total")
    )
    counted = (
        boosts.order_by()
        .values("publication")
        .annotate(total=Count("pk"))
        .values("total")
    )
    publications = (
        Publication.objects.filter(
            authority=authority,
            state=PublicationState.PUBLISHED,
            published_at__gte=now - WINDOW,
            published_at__lte=now,
        )
        .select_related("channel", "variant__post")
        .annotate(
            latest_reach=Subquery(latest.values("reach")[:1]),
            measured_at=Subquery(latest.values("collected_at")[:1]),
            sponsored=Exists(boosts),
            boost_count=Subquery(counted[:1]),
            paid_reach=Subquery(paid[:1]),
        )
        .annotate(
            followers=followers_before(OuterRef("channel"), OuterRef("measured_at"))
        )
        .order_by("-published_at", "-id")
    )
    return [
        PostReach(
            publication=publication,
            reach=publication.latest_reach,  # type: ignore[attr-defined]
            measured_at=publication.measured_at,  # type: ignore[attr-defined]
            followers=publication.followers,  # type: ignore[attr-defined]
            sponsored=publication.sponsored,  # type: ignore[attr-defined]
            boosts=publication.boost_count or 0,  # type: ignore[attr-defined]
            paid_reach=publication.paid_reach,  # type: ignore[attr-defined]
        )
        for publication in publications
    ]
