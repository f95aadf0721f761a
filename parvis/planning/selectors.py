"""Reads of the approval circuit: an authority's policy, a post's history, and what
the editor's workflow panel shows to one member."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from parvis.accounts.models import Membership
from parvis.planning import rules
from parvis.planning.models import ApprovalPolicy, ReviewAction, ReviewEvent
from parvis.studio.models import Post, PostState

# A state is said in words and by a symbol, never by its colour alone.
STATE_ICONS = {
    PostState.DRAFT: "✎",
    PostState.IN_REVIEW: "⏳",
    PostState.APPROVED: "✓",
    PostState.SCHEDULED: "🕑",
    PostState.PUBLISHED: "✔",
    PostState.FAILED: "⚠",
}


def approval_policy_of(*, authority: Any) -> ApprovalPolicy:
    """The authority's saved policy, or the defaults (unsaved) when it has none."""
    policy = ApprovalPolicy.objects.filter(authority=authority).first()
    return policy or ApprovalPolicy(authority=authority)


def role_of(*, user: Any, authority: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, authority=authority)
        .values_list("role", flat=True)
        .first()
    )


def approvers(*, authority: Any, roles: frozenset[str]) -> list[int]:
    """Ids of the active members holding one of `roles`."""
    return list(
        Membership.objects.filter(
            authority=authority, role__in=list(roles), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def review_events_of(*, post: Post) -> QuerySet[ReviewEvent]:
    return ReviewEvent.objects.filter(post=post).select_related("actor")


def last_approved_event(*, post: Post) -> ReviewEvent | None:
    return (
        ReviewEvent.objects.filter(
            post=post, action__in=[ReviewAction.APPROVE, ReviewAction.URGENT]
        )
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class Workflow:
    """What the workflow panel of the editor shows to one member."""

    state: str
    state_label: str
    icon: str
    level: int  # the level under review (1 or 2), 0 outside review
    levels: int
    events: list[ReviewEvent]
    can_submit: bool
    can_approve: bool
    can_reject: bool
    can_back_to_draft: bool
    can_publish_urgently: bool
    # The calendar slot (planning/views_schedule.py): hand an approved post over to
    # publishing, take a scheduled one back, move a post not yet sent.
    can_schedule: bool = False
    can_unschedule: bool = False
    can_move: bool = False
    schedule_targets: list["ScheduleTarget"] = field(default_factory=list)
    # For each channel checked by default: its best slots and the next ones.
    best_times: list["ChannelBestTime"] = field(default_factory=list)
    # Scheduled, but held by crisis mode until it is lifted.
    paused: bool = False


def workflow_for(*, post: Post, role: str | None) -> Workflow:
    policy = approval_policy_of(authority=post.authority)
    in_review = post.state == PostState.IN_REVIEW
    level = min(post.approval_level + 1, policy.levels) if in_review else 0
    reviewer = in_review and rules.may_approve(role, policy, level)
    can_schedule = post.state == PostState.APPROVED and rules.may_submit(role)
    targets = schedule_targets_for(post=post) if can_schedule else []
    return Workflow(
        state=post.state,
        state_label=str(PostState(post.state).label),
        icon=STATE_ICONS.get(PostState(post.state), ""),
        level=level,
        levels=policy.levels,
        events=list(review_events_of(post=post)),
        can_submit=post.state == PostState.DRAFT and rules.may_submit(role),
        can_approve=reviewer,
        can_reject=reviewer,
        can_back_to_draft=post.state in {PostState.IN_REVIEW, PostState.APPROVED}
        and rules.may_back_to_draft(role),
        can_publish_urgently=post.state
        in {PostState.DRAFT, PostState.IN_REVIEW, PostState.APPROVED}
        and rules.may_publish_urgently(role),
        can_schedule=can_schedule,
        can_unschedule=post.state == PostState.SCHEDULED and rules.may_submit(role),
        can_move=post.state not in {PostState.PUBLISHED, PostState.FAILED}
        and rules.may_submit(role),
        schedule_targets=targets,
        best_times=best_times_for(targets) if can_schedule else [],
        paused=post.state == PostState.SCHEDULED and _has_paused_publications(post),
    )


def _has_paused_publications(post: Post) -> bool:
    from parvis.publishing.models import Publication, PublicationState

    return Publication.objects.filter(
        variant__post=post, state=PublicationState.PAUSED
    ).exists()


def channels_for_variant(*, variant: Any) -> list[Any]:
    """Where a variant goes by default: the usable channels of its network, those of
    the post's campaign when the campaign names channels of that network."""
    from parvis.channels.models import Channel

    channels = [
        channel
        for channel in Channel.objects.filter(
            authority_id=variant.post.authority_id, network=variant.network
        ).order_by("pk")
        if channel.can_publish
    ]
    campaign = variant.post.campaign
    if campaign is not None:
        chosen = {c.pk for c in campaign.channels.all() if c.network == variant.network}
        if chosen:
            channels = [channel for channel in channels if channel.pk in chosen]
    return channels


@dataclass(frozen=True)
class ScheduleTarget:
    """Where one variant of a post may go: the channels of its network, those
    checked by default (`channels_for_variant`)."""

    variant: Any
    label: str
    channels: list[Any]
    default_ids: frozenset[int]


def schedule_targets_for(*, post: Post) -> list[ScheduleTarget]:
    """Every variant of the post with the authority's usable channels of its
    network."""
    from parvis.channels.models import Channel

    variants = list(
        post.variants.select_related("audience", "post__campaign").order_by(
            "network", "audience_id", "pk"
        )
    )
    channels = list(Channel.objects.filter(authority_id=post.authority_id))
    targets = []
    for variant in variants:
        defaults = frozenset(c.pk for c in channels_for_variant(variant=variant))
        mine = [
            channel
            for channel in channels
            if channel.network == variant.network and channel.can_publish
        ]
        audience = variant.audience.name if variant.audience else ""
        label = variant.get_network_display() + (f" — {audience}" if audience else "")
        targets.append(ScheduleTarget(variant, label, mine, defaults))
    return targets


@dataclass(frozen=True)
class ChannelBestTime:
    channel: Any
    best: Any  # planning.best_time.BestTime
    next_datetimes: list[Any]


def best_times_for(targets: list[ScheduleTarget]) -> list[ChannelBestTime]:
    """The suggested slots of every channel checked by default in `targets`."""
    from django.utils import timezone

    from parvis.planning.best_time import best_slots, next_datetimes

    now = timezone.now()
    seen: dict[int, Any] = {}
    for target in targets:
        for channel in target.channels:
            if channel.pk in target.default_ids:
                seen.setdefault(channel.pk, channel)
    result = []
    for channel in seen.values():
        best = best_slots(channel=channel, now=now, count=3)
        upcoming = next_datetimes(
            best.suggestions, timezone_name=best.timezone_name, after=now, count=3
        )
        result.append(ChannelBestTime(channel, best, upcoming))
    return result


@dataclass(frozen=True)
class Agenda:
    """What the dashboard shows of the editorial work: posts waiting for approval,
    the next ones planned, and publications that failed lately."""

    in_review: list[Post]
    in_review_count: int
    upcoming: list[Post]
    failed_count: int


def agenda_of(*, authority: Any, days: int = 7, limit: int = 5) -> Agenda:
    import datetime as dt

    from django.utils import timezone

    from parvis.publishing.models import Publication, PublicationState

    now = timezone.now()
    posts = Post.objects.filter(authority=authority).only(
        "pk", "title", "state", "planned_at", "approval_level", "authority_id"
    )
    in_review = posts.filter(state=PostState.IN_REVIEW).order_by("planned_at", "pk")
    upcoming = posts.filter(
        state__in=[PostState.APPROVED, PostState.SCHEDULED],
        planned_at__gte=now,
        planned_at__lt=now + dt.timedelta(days=days),
    ).order_by("planned_at", "pk")
    failed = Publication.objects.filter(
        authority=authority,
        state=PublicationState.FAILED,
        state_changed_at__gte=now - dt.timedelta(days=30),
    )
    return Agenda(
        in_review=list(in_review[:limit]),
        in_review_count=in_review.count(),
        upcoming=list(upcoming[:limit]),
        failed_count=failed.count(),
    )
