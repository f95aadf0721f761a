"""Reads of campaigns: an authority's list (with post counts, in a fixed number of
queries), one campaign (404 outside the authority), and what its page shows: its
posts by state, the weeks short of the posts it expects, its indicators, and the
pre-election windows it crosses."""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from parvis.planning.election_guard import SELF_PROMOTING_OBJECTIVES, local_date
from parvis.planning.kpis import KPIS, Kpi
from parvis.planning.models import Campaign
from parvis.planning.selectors import STATE_ICONS
from parvis.studio.models import Post, PostState
from parvis.territory.selectors import ElectionWindow, election_windows

UPCOMING, CURRENT, PAST = "upcoming", "current", "past"


def campaigns_of(*, authority: Any) -> QuerySet[Campaign]:
    """The authority's campaigns, latest start first, each with `post_count` and
    `published_count` (one query)."""
    return (
        Campaign.objects.filter(authority=authority)
        .annotate(
            post_count=Count("posts", distinct=True),
            published_count=Count(
                "posts",
                filter=Q(posts__state=PostState.PUBLISHED),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "name")
    )


def campaign_of(*, authority: Any, campaign_id: Any) -> Campaign:
    try:
        return Campaign.objects.select_related("authority").get(
            pk=int(campaign_id), authority=authority
        )
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such campaign") from exc


def campaign_choices(*, authority: Any) -> QuerySet[Campaign]:
    """What the studio offers to put a post in: current and coming campaigns first."""
    return Campaign.objects.filter(authority=authority).order_by("-ends_on", "name")


def campaign_period(campaign: Campaign, today: dt.date) -> str:
    if campaign.starts_on > today:
        return UPCOMING
    if campaign.ends_on < today:
        return PAST
    return CURRENT


@dataclass(frozen=True)
class StateGroup:
    state: str
    label: str
    icon: str
    posts: list[Post]


@dataclass(frozen=True)
class Week:
    """One week of the campaign (Monday to Sunday, cut to the campaign's dates)."""

    starts_on: dt.date
    ends_on: dt.date
    planned: int  # posts whose slot falls in it
    expected: int

    @property
    def missing(self) -> int:
        return max(self.expected - self.planned, 0)


@dataclass(frozen=True)
class CampaignDetail:
    campaign: Campaign
    period: str
    groups: list[StateGroup]
    post_count: int
    unplanned: list[Post]  # posts without a slot: not counted in any week
    weeks: list[Week]
    gaps: list[Week]
    kpis: list[Kpi | str]  # a slug no longer known is shown as it is
    windows: list[ElectionWindow]  # pre-election windows the campaign crosses
    # An image or notoriety campaign: checked with care in those windows.
    self_promoting: bool


def campaign_detail(
    *, campaign: Campaign, today: dt.date | None = None
) -> CampaignDetail:
    authority = campaign.authority
    today = today or timezone.localdate()
    posts = list(
        campaign.posts.select_related("created_by").order_by("planned_at", "created_at")
    )
    groups = [
        StateGroup(
            state.value,
            str(state.label),
            STATE_ICONS.get(state, ""),
            [post for post in posts if post.state == state],
        )
        for state in PostState
    ]
    slots = [
        local_date(post.planned_at, authority=authority)
        for post in posts
        if post.planned_at is not None
    ]
    weeks = weeks_of(campaign, slots)
    windows = [
        window
        for window in election_windows(authority=authority, today=today)
        if window.starts_on <= campaign.ends_on and campaign.starts_on <= window.ends_on
    ]
    return CampaignDetail(
        campaign=campaign,
        period=campaign_period(campaign, today),
        groups=[group for group in groups if group.posts],
        post_count=len(posts),
        unplanned=[post for post in posts if post.planned_at is None],
        weeks=weeks,
        gaps=[week for week in weeks if week.missing],
        kpis=[KPIS.get(slug, slug) for slug in campaign.kpis],
        windows=windows,
        self_promoting=campaign.objective in SELF_PROMOTING_OBJECTIVES,
    )


def weeks_of(campaign: Campaign, slots: list[dt.date]) -> list[Week]:
    """The campaign's weeks with the posts planned in each. A week cut by the
    campaign's start or end expects its share of `posts_per_week`, rounded up."""
    weeks = []
    monday = campaign.starts_on - dt.timedelta(days=campaign.starts_on.weekday())
    while monday <= campaign.ends_on:
        first = max(monday, campaign.starts_on)
        last = min(monday + dt.timedelta(days=6), campaign.ends_on)
        days = (last - first).days + 1
        expected = math.ceil(campaign.posts_per_week * days / 7)
        planned = sum(1 for day in slots if first <= day <= last)
        weeks.append(Week(first, last, planned, expected))
        monday += dt.timedelta(days=7)
    return weeks
