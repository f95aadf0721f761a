"""Reads of the approval circuit: an authority's policy, a post's history, and what
the editor's workflow panel shows to one member."""

from dataclasses import dataclass
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


def workflow_for(*, post: Post, role: str | None) -> Workflow:
    policy = approval_policy_of(authority=post.authority)
    in_review = post.state == PostState.IN_REVIEW
    level = min(post.approval_level + 1, policy.levels) if in_review else 0
    reviewer = in_review and rules.may_approve(role, policy, level)
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
    )


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
