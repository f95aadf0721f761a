"""Writes of the calendar slot of a post and of its hand-over to publishing.

- `post_plan` puts a post on a slot of the editorial calendar (any state before it is
  published); a scheduled post moves with its waiting publications.
- `post_schedule` hands an approved post to publishing: one Publication per variant and
  channel of its network, at the post's slot. During crisis mode they are created
  paused (crisis.py resumes them).
- `post_unschedule` takes it back (waiting publications cancelled, post approved).
- `post_follow_publications` keeps a handed-over post's state in step with its
  publications: scheduled while one waits, failed when one failed, published when all
  went out. The publishing engine calls it after every outcome.

The pre-election guard is checked at the slot, not only at approval: moving an approved
post onto the eve of a vote is refused like approving it there.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.planning import rules
from parvis.planning.models import ReviewAction
from parvis.planning.selectors import (
    channels_for_variant,
    last_approved_event,
    role_of,
)
from parvis.planning.services.approval import (
    WRITERS,
    NotAllowed,
    _move,
    _record,
    check_election_rules,
)
from parvis.studio.models import Post, PostState, Variant
from parvis.system.services import audit_record

State = PostState
# A slot may be this far in the past when scheduling (the form was opened a moment
# ago): it then goes out at once.
PAST_TOLERANCE = dt.timedelta(minutes=5)


@transaction.atomic
def post_plan(*, post: Post, actor: Any, planned_at: dt.datetime | None) -> Post:
    """Put the post on a slot of the calendar (an aware instant, not in the past),
    or take it off (None, not for a scheduled post). A scheduled post moves with its
    waiting publications; one already sent or being sent cannot move."""
    from parvis.publishing.models import PublicationState
    from parvis.publishing.services import publication_schedule

    if not rules.may_submit(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Votre rôle ne permet pas de planifier une publication."))
    if planned_at is not None and timezone.is_naive(planned_at):
        raise ValueError("planned_at must be aware")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.state in {State.PUBLISHED, State.FAILED}:
        raise ValidationError(
            _("Cette publication est déjà partie : elle ne se déplace plus.")
        )
    before = post.planned_at
    if planned_at is not None and planned_at < timezone.now() - PAST_TOLERANCE:
        raise ValidationError(_("Cette date est passée : choisissez-en une autre."))
    if post.state == State.SCHEDULED:
        if planned_at is None:
            raise ValidationError(
                _("Déprogrammez la publication avant de lui retirer sa date.")
            )
        _check_guard_at(post, planned_at)
        # Publications cancelled earlier (unscheduled, or a channel left out when
        # scheduled again) stay cancelled: they neither block the move nor come back.
        publications = list(
            _handed_over(post)
            .exclude(state=PublicationState.CANCELLED)
            .select_related("variant", "channel")
        )
        waiting = {PublicationState.PENDING, PublicationState.PAUSED}
        if any(p.state not in waiting for p in publications):
            raise ValidationError(
                _(
                    "Une partie de cette publication est déjà partie ou en cours "
                    "d'envoi : elle ne peut plus être déplacée."
                )
            )
        for publication in publications:
            publication_schedule(
                variant=publication.variant,
                channel=publication.channel,
                scheduled_at=planned_at,
                actor=actor,
            )
    elif planned_at is not None and post.state == State.APPROVED:
        _check_guard_at(post, planned_at)
    post.planned_at = planned_at
    post.save(update_fields=["planned_at", "updated_at"])
    audit_record(
        actor=actor,
        authority=post.authority,
        action="planning.post_plan",
        summary=_("Date de publication de « %(title)s » modifiée.")
        % {"title": post.title},
        target=post,
        changes={
            "planned_at": [
                before.isoformat() if before else None,
                planned_at.isoformat() if planned_at else None,
            ]
        },
    )
    return post


def post_schedule(
    *,
    post: Post,
    actor: Any,
    channels: Mapping[int, Iterable[Any]] | None = None,
    planned_at: dt.datetime | None = None,
) -> list[Any]:
    """Hand an approved post to publishing at its slot (or `planned_at`): each
    variant on the channels given for it (`channels`: variant id -> channels), by
    default on every usable channel of its network (those of the post's campaign
    when it names some). Nothing is created if one variant has no channel."""
    from parvis.publishing.services import publication_schedule

    if not rules.may_submit(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Votre rôle ne permet pas de programmer une publication."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.state != State.APPROVED:
            raise ValidationError(
                _(
                    "Seule une publication approuvée peut être programmée (état : "
                    "%(state)s)."
                )
                % {"state": post.get_state_display().lower()}
            )
        when = planned_at or post.planned_at
        if when is None:
            raise ValidationError(_("Choisissez d'abord la date de publication."))
        if timezone.is_naive(when):
            raise ValueError("planned_at must be aware")
        if when < timezone.now() - PAST_TOLERANCE:
            raise ValidationError(
                _("La date prévue est passée : choisissez une nouvelle date.")
            )
        _check_guard_at(post, when)
        variants = list(post.variants.select_related("post", "post__authority"))
        plan = _channels_plan(post, variants, channels)
        post.planned_at = when
        post.save(update_fields=["planned_at", "updated_at"])
        _move(
            post, {State.APPROVED}, State.SCHEDULED, approval_level=post.approval_level
        )
        publications = [
            publication_schedule(
                variant=variant, channel=channel, scheduled_at=when, actor=actor
            )
            for variant, targets in plan
            for channel in targets
        ]
        names = ", ".join(sorted({str(p.channel) for p in publications}))
        _record(
            post,
            actor,
            ReviewAction.SCHEDULE,
            before=State.APPROVED,
            comment=_("Sur %(channels)s.") % {"channels": names},
            notify_roles=[],
            message="",
        )
    return publications


@transaction.atomic
def post_unschedule(*, post: Post, actor: Any, comment: str = "") -> Post:
    """Take a scheduled post back: its waiting publications are cancelled and it is
    approved again (keeping its slot). Refused once one of them has left."""
    from parvis.publishing.models import Publication, PublicationState

    if not rules.may_submit(role_of(user=actor, authority=post.authority)):
        raise NotAllowed(_("Votre rôle ne permet pas de déprogrammer."))
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.state != State.SCHEDULED:
        raise ValidationError(_("Cette publication n'est pas programmée."))
    waiting = [PublicationState.PENDING, PublicationState.PAUSED]
    # Those cancelled before (an earlier unscheduling) are not "already sent".
    publications = _handed_over(post).exclude(state=PublicationState.CANCELLED)
    if publications.exclude(state__in=waiting).exists():
        raise ValidationError(
            _("Trop tard : une partie de cette publication est déjà partie.")
        )
    Publication.objects.filter(pk__in=publications.values("pk")).update(
        state=PublicationState.CANCELLED, state_changed_at=timezone.now()
    )
    _move(post, {State.SCHEDULED}, State.APPROVED, approval_level=post.approval_level)
    _record(
        post,
        actor,
        ReviewAction.UNSCHEDULE,
        before=State.SCHEDULED,
        comment=comment,
        notify_roles=[],
        message="",
    )
    return post


def post_follow_publications(*, post_id: int) -> str | None:
    """Bring a handed-over post's state in step with its publications (in the
    caller's transaction); returns the new state when it changed. Cancelled and
    withdrawn publications do not count; a post whose publications were all
    cancelled one by one goes back to approved."""
    from parvis.publishing.models import PublicationState as P

    post = Post.objects.filter(pk=post_id).only("state").first()
    if post is None or post.state not in {
        State.SCHEDULED,
        State.PUBLISHED,
        State.FAILED,
    }:
        return None
    states = set(
        _handed_over(post).exclude(state=P.CANCELLED).values_list("state", flat=True)
    )
    waiting = {P.PENDING, P.QUEUED, P.PUBLISHING, P.UNKNOWN, P.PAUSED}
    if states & waiting:
        target = State.SCHEDULED
    elif P.FAILED in states:
        target = State.FAILED
    elif states & {P.PUBLISHED, P.DELETED}:
        target = State.PUBLISHED
    else:
        target = State.APPROVED
    if target == post.state:
        return None
    moved = Post.objects.filter(pk=post_id, state=post.state).update(
        state=target, updated_at=timezone.now()
    )
    return target if moved else None


# -- internals ---------------------------------------------------------------------------
def _handed_over(post: Post) -> Any:
    from parvis.publishing.models import Publication

    return Publication.objects.filter(variant__post=post)


def _check_guard_at(post: Post, when: dt.datetime) -> None:
    """The election rules at the slot, with the justification recorded at the last
    approval (its comment)."""
    approval = last_approved_event(post=post)
    check_election_rules(
        post=post, justification=approval.comment if approval else "", when=when
    )


def _channels_plan(
    post: Post,
    variants: list[Variant],
    channels: Mapping[int, Iterable[Any]] | None,
) -> list[tuple[Variant, list[Any]]]:
    if not variants:
        raise ValidationError(_("Cette publication n'a aucune variante."))
    plan = []
    missing = []
    for variant in variants:
        if channels is not None and variant.pk in channels:
            targets = list(channels[variant.pk])
        else:
            targets = channels_for_variant(variant=variant)
        for channel in targets:
            if channel.authority_id != post.authority_id:
                raise ValidationError(
                    _("Ce canal n'appartient pas à cette collectivité.")
                )
        if not targets:
            missing.append(variant.get_network_display())
        plan.append((variant, targets))
    if missing:
        raise ValidationError(
            _("Aucun canal connecté pour : %s.") % ", ".join(sorted(set(missing)))
        )
    return plan


__all__ = [
    "WRITERS",
    "post_follow_publications",
    "post_plan",
    "post_schedule",
    "post_unschedule",
]
