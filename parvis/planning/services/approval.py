"""Writes of the approval circuit: a post goes draft -> in review -> approved (after one
or two levels, per the authority's ApprovalPolicy) -> scheduled; a rejection (with a
comment) or a withdrawal puts it back to draft; an edit of an approved post sends it
back to review. Who may do what is in planning/rules.py.

Each transition is a conditional UPDATE on the state it starts from (a repeated or
concurrent request finds the post already moved and changes nothing), and records, in
the same transaction, a ReviewEvent (the variants' text at that step and its unified
diff since the last approval), an audit event, and notifications to the next people.

Self-approval: a person does not approve a post they created or submitted, nor the
second level of a post whose first level they approved, unless no other active member
holds a role of that level (administrators do not count: they are a fallback, not the
circuit). The urgent path is an explicit exception, recorded as such.
"""

import difflib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.roles import Role
from parvis.planning import rules
from parvis.planning.models import ApprovalPolicy, ReviewAction, ReviewEvent
from parvis.planning.selectors import (
    approval_policy_of,
    approvers,
    last_approved_event,
    review_events_of,
    role_of,
)
from parvis.studio.models import Post, PostState, Variant
from parvis.system.services import audit_record, notify

State = PostState
WRITERS: list[str] = [Role.EDITOR, Role.VALIDATOR, Role.ADMIN]


class NotAllowed(ValidationError):
    """The actor's role does not allow this step (a ValidationError, so that views
    show its French message like any other refusal)."""


@transaction.atomic
def post_submit_for_review(*, post: Post, actor: Any, comment: str = "") -> Post:
    """A draft goes to the first level of review; its approvers are notified. A post
    with an AI proposal nobody has saved cannot be submitted."""
    if not rules.may_submit(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Votre rôle ne permet pas de soumettre une publication."))
    variants = list(post.variants.all())
    if not variants:
        raise ValidationError(_("Cette publication n'a aucune variante à relire."))
    if any(variant.rewritten_by_model for variant in variants):
        raise ValidationError(
            _("Relisez et enregistrez les propositions de l'IA avant de soumettre.")
        )
    policy = approval_policy_of(authority=post.authority)
    _move(post, {State.DRAFT}, State.IN_REVIEW, approval_level=0)
    _record(
        post,
        actor,
        ReviewAction.SUBMIT,
        before=State.DRAFT,
        comment=comment,
        level=1,
        notify_roles=_level_roles(policy, 1),
        message=_("À valider : « %(title)s ».") % {"title": post.title},
    )
    return post


@transaction.atomic
def post_approve(*, post: Post, actor: Any, comment: str = "") -> Post:
    """Approve the level under review: with two levels, the first approval keeps the
    post in review for the second level's approvers; the last one makes it approved."""
    policy = approval_policy_of(authority=post.authority)
    level = _level_under_review(post, policy)
    role = role_of(user=actor, authority=post.authority)
    _check_may_approve(post, actor, role, policy, level)
    final = level >= policy.levels
    if final:
        # At approval and at the slot the post is planned for, if it has one.
        for when in {timezone.now(), post.planned_at or timezone.now()}:
            check_election_rules(post=post, justification=comment, when=when)
    after = State.APPROVED if final else State.IN_REVIEW
    _move(
        post,
        {State.IN_REVIEW},
        after,
        approval_level=level,
        expected_level=post.approval_level,
    )
    if final:
        roles, message = WRITERS, _("Approuvée, prête à programmer : « %(title)s ».")
    else:
        roles = _level_roles(policy, level + 1)
        message = _("À valider (niveau %(level)s) : « %(title)s ».")
    _record(
        post,
        actor,
        ReviewAction.APPROVE,
        before=State.IN_REVIEW,
        comment=comment,
        level=level,
        notify_roles=roles,
        message=message % {"title": post.title, "level": level + 1},
    )
    return post


@transaction.atomic
def post_reject(*, post: Post, actor: Any, comment: str) -> Post:
    """Send a post under review back to draft; the comment says what to fix."""
    if not comment.strip():
        raise ValidationError(_("Expliquez le refus : le commentaire est obligatoire."))
    policy = approval_policy_of(authority=post.authority)
    level = _level_under_review(post, policy)
    if not rules.may_approve(
        role_of(user=actor, authority=post.authority), policy, level
    ):
        raise NotAllowed(_("Votre rôle ne permet pas de refuser à ce niveau."))
    _move(
        post,
        {State.IN_REVIEW},
        State.DRAFT,
        approval_level=0,
        expected_level=post.approval_level,
    )
    _record(
        post,
        actor,
        ReviewAction.REJECT,
        before=State.IN_REVIEW,
        comment=comment.strip(),
        level=level,
        notify_roles=[Role.EDITOR],
        message=_("Refusée, à reprendre : « %(title)s » — %(comment)s")
        % {"title": post.title, "comment": comment.strip()[:200]},
    )
    return post


@transaction.atomic
def post_back_to_draft(*, post: Post, actor: Any, comment: str = "") -> Post:
    """A writer withdraws a post under review or approved, to change it quietly."""
    if not rules.may_back_to_draft(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Votre rôle ne permet pas de remettre en brouillon."))
    before = post.state
    _move(post, {State.IN_REVIEW, State.APPROVED}, State.DRAFT, approval_level=0)
    _record(
        post,
        actor,
        ReviewAction.BACK_TO_DRAFT,
        before=before,
        comment=comment,
        notify_roles=[],
        message="",
    )
    return post


def post_reopen_after_edit(*, post: Post, actor: Any) -> bool:
    """Called by the studio when a variant's text changes: an approved or scheduled
    post, or one with a level already approved, goes back to the first level of
    review (its approvers are told); a scheduled post's waiting publications are
    cancelled first, so that the new text never leaves unreviewed. True when it
    moved. Runs in the caller's transaction."""
    from parvis.publishing.models import Publication, PublicationState

    post.refresh_from_db(fields=["state", "approval_level"])
    if post.state == State.IN_REVIEW and post.approval_level == 0:
        return False  # still waiting for its first approval: nothing to redo
    if post.state not in {State.APPROVED, State.IN_REVIEW, State.SCHEDULED}:
        return False
    before = post.state
    if before == State.SCHEDULED:
        Publication.objects.filter(
            variant__post=post,
            state__in=[PublicationState.PENDING, PublicationState.PAUSED],
        ).update(state=PublicationState.CANCELLED, state_changed_at=timezone.now())
    policy = approval_policy_of(authority=post.authority)
    _move(
        post,
        {before},
        State.IN_REVIEW,
        approval_level=0,
        expected_level=post.approval_level,
    )
    _record(
        post,
        actor,
        ReviewAction.REOPEN,
        before=before,
        comment="",
        level=1,
        notify_roles=_level_roles(policy, 1),
        message=_("Modifiée après validation, à revalider : « %(title)s ».")
        % {"title": post.title},
    )
    return True


def post_approve_and_publish_now(
    *, post: Post, actor: Any, channels: Iterable[Any], comment: str = ""
) -> list[Any]:
    """The urgent path: a validator (or administrator) approves every level at once,
    recorded as urgent, and every variant is scheduled now on the channel of its
    network (the first of `channels` for that network). Nothing changes if one
    variant cannot be scheduled (no channel, an AI proposal not saved...)."""
    from parvis.publishing.services import publication_schedule

    if not rules.may_publish_urgently(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Seule la validation peut publier en urgence."))
    check_election_rules(post=post, justification=comment, when=timezone.now())
    by_network: dict[str, Any] = {}
    for channel in channels:
        if channel.authority_id != post.authority_id:
            raise ValidationError(_("Ce canal n'appartient pas à cette collectivité."))
        by_network.setdefault(channel.network, channel)
    with transaction.atomic():
        variants = list(post.variants.select_related("post", "post__authority"))
        if not variants:
            raise ValidationError(_("Cette publication n'a aucune variante."))
        missing = sorted(
            {v.get_network_display() for v in variants if v.network not in by_network}
        )
        if missing:
            raise ValidationError(
                _("Aucun canal connecté pour : %s.") % ", ".join(missing)
            )
        policy = approval_policy_of(authority=post.authority)
        before = post.state
        _move(
            post,
            {State.DRAFT, State.IN_REVIEW, State.APPROVED},
            State.SCHEDULED,
            approval_level=policy.levels,
        )
        now = timezone.now()
        publications = [
            publication_schedule(
                variant=variant,
                channel=by_network[variant.network],
                scheduled_at=now,
                actor=actor,
            )
            for variant in variants
        ]
        _record(
            post,
            actor,
            ReviewAction.URGENT,
            before=before,
            comment=comment,
            level=policy.levels,
            notify_roles=WRITERS,
            message=_("Approuvée et publiée en urgence : « %(title)s ».")
            % {"title": post.title},
        )
    return publications


@transaction.atomic
def approval_policy_update(
    *, authority: Any, actor: Any, values: dict[str, Any]
) -> ApprovalPolicy:
    """Save the authority's circuit (levels, roles of each level)."""
    policy = approval_policy_of(authority=authority)
    first = sorted(set(values["first_level_roles"]))
    second = sorted(set(values.get("second_level_roles") or []))
    levels = int(values["levels"])
    if not first or (levels == 2 and not second):
        raise ValidationError(_("Chaque niveau de validation a besoin d'un rôle."))
    changes = {}
    for field, value in (
        ("levels", levels),
        ("first_level_roles", first),
        ("second_level_roles", second),
    ):
        if getattr(policy, field) != value:
            changes[field] = [getattr(policy, field), value]
            setattr(policy, field, value)
    policy.save()
    audit_record(
        actor=actor,
        action="planning.policy_update",
        summary=_("Circuit de validation modifié : %(levels)s niveau(x).")
        % {"levels": levels},
        authority=authority,
        target=policy,
        changes=changes,
    )
    return policy


# -- internals ---------------------------------------------------------------------------
def check_election_rules(*, post: Post, justification: str, when: Any) -> None:
    """Code électoral L52-1 and L49 (see election_guard): in a pre-election window a
    post that reads as promotion of the authority's action is approved only with a
    justification (the approval comment, kept in the history); on the eve and the day
    of a vote, political content is refused whatever the justification."""
    from parvis.planning.election_guard import guard

    text = "\n\n".join(variant.text for variant in post.variants.all())
    campaign = post.campaign
    result = guard(
        text,
        authority=post.authority,
        when=when,
        justification=justification,
        campaign_objective=campaign.objective if campaign else None,
        promotes_achievements=bool(campaign and campaign.promotes_achievements),
    )
    if result.blocked:
        advice = (
            ""
            if result.level == "forbidden"
            else " Pour valider malgré tout, justifiez-le dans le commentaire."
        )
        raise ValidationError(" ".join(result.reasons) + advice)


def _level_roles(policy: ApprovalPolicy, level: int) -> list[str]:
    return sorted(policy.roles_for_level(level))


def _level_under_review(post: Post, policy: ApprovalPolicy) -> int:
    if post.state != State.IN_REVIEW:
        raise ValidationError(
            _("Cette publication n'est pas en relecture (état : %(state)s).")
            % {"state": post.get_state_display().lower()}
        )
    return min(post.approval_level + 1, policy.levels)


def _check_may_approve(
    post: Post, actor: Any, role: str | None, policy: ApprovalPolicy, level: int
) -> None:
    if not rules.may_approve(role, policy, level):
        if level == 1 and role in policy.roles_for_level(2) and policy.levels == 2:
            raise NotAllowed(
                _("Votre rôle valide au second niveau, après le premier niveau.")
            )
        raise NotAllowed(_("Votre rôle ne permet pas de valider à ce niveau."))
    others = set(
        approvers(authority=post.authority, roles=policy.roles_for_level(level))
    )
    others.discard(actor.pk)
    if not others:
        return  # the only approver of this level: self-approval is allowed
    if actor.pk in _authors(post):
        raise NotAllowed(
            _(
                "Vous ne pouvez pas valider votre propre publication : un autre membre "
                "du circuit doit le faire."
            )
        )
    if level == 2 and actor.pk in _first_level_approvers(post):
        raise NotAllowed(
            _(
                "Vous avez validé le premier niveau : le second revient à une autre "
                "personne."
            )
        )


def _authors(post: Post) -> set[int]:
    # The last submission, or the edit that sent an approved post back to review.
    submitters = review_events_of(post=post).filter(
        action__in=[ReviewAction.SUBMIT, ReviewAction.REOPEN]
    )
    last = submitters.order_by("-created_at", "-id").first()
    return {pk for pk in (post.created_by_id, last and last.actor_id) if pk}


def _first_level_approvers(post: Post) -> set[int]:
    """Who approved level 1 in the current review (since the last submission or
    reopening)."""
    events = list(review_events_of(post=post))
    approved: set[int] = set()
    for event in events:
        if event.action in {ReviewAction.SUBMIT, ReviewAction.REOPEN}:
            approved = set()
        elif event.action == ReviewAction.APPROVE and event.level == 1:
            approved.add(event.actor_id or 0)
    return approved


def _move(
    post: Post,
    sources: set[str],
    target: str,
    *,
    approval_level: int,
    expected_level: int | None = None,
) -> None:
    """Conditional update: nothing changes (ValidationError) when the post is no
    longer where this step starts, e.g. a second click on the same button."""
    rows = Post.objects.filter(pk=post.pk, state__in=list(sources))
    if expected_level is not None:
        rows = rows.filter(approval_level=expected_level)
    if not rows.update(
        state=target, approval_level=approval_level, updated_at=timezone.now()
    ):
        raise ValidationError(
            _("Cette publication a déjà changé d'état : rechargez la page.")
        )
    post.state = target
    post.approval_level = approval_level


def _snapshot(post: Post) -> dict[str, dict[str, Any]]:
    variants = Variant.objects.filter(post=post).select_related("audience")
    return {
        str(variant.pk): {
            "label": _variant_label(variant),
            "parts": list(variant.parts),
        }
        for variant in variants.order_by("network", "audience_id", "pk")
    }


def _variant_label(variant: Variant) -> str:
    audience = variant.audience.name if variant.audience else _("Tous publics")
    return f"{variant.get_network_display()} — {audience}"


def text_diff(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Unified diff, variant by variant, of two snapshots ("" when equal)."""
    lines: list[str] = []
    for key in sorted(set(before) | set(after), key=int):
        old, new = before.get(key), after.get(key)
        label = (new or old or {}).get("label", key)
        old_lines = "\n\n".join(old["parts"]).splitlines() if old else []
        new_lines = "\n\n".join(new["parts"]).splitlines() if new else []
        lines.extend(
            difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=f"{label} ({_('version de référence')})",
                tofile=f"{label} ({_('cette version')})",
                lineterm="",
            )
        )
    return "\n".join(lines)


def _record(
    post: Post,
    actor: Any,
    action: str,
    *,
    before: str,
    comment: str,
    notify_roles: Iterable[str],
    message: str,
    level: int = 0,
) -> ReviewEvent:
    """The step in the post's history (text diff since the last approval, or else
    since the previous step), the audit log, and the notifications."""
    snapshot = _snapshot(post)
    reference = last_approved_event(post=post) or review_events_of(post=post).last()
    diff = text_diff(reference.snapshot, snapshot) if reference else ""
    event = ReviewEvent.objects.create(
        post=post,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        level=level,
        state_before=before,
        state_after=post.state,
        comment=comment.strip(),
        snapshot=snapshot,
        diff=diff,
    )
    changes: dict[str, Any] = {"state": [before, post.state]}
    if comment.strip():
        changes["comment"] = [None, comment.strip()]
    if diff:
        changes["text_diff"] = [None, diff]
    audit_record(
        actor=actor,
        action=f"planning.post_{action}",
        summary=f"{ReviewAction(action).label} : « {post.title} »",
        authority=post.authority,
        target=post,
        changes=changes,
    )
    roles = list(notify_roles)
    if roles and message:
        notify(
            authority=post.authority,
            roles=roles,
            message=message,
            url=reverse("studio:post", args=[post.authority.slug, post.pk]),
        )
    return event
