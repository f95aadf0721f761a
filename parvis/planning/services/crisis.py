"""Crisis mode: one action of a validator (or an administrator) stops the authority's
ordinary communication and puts out one alert everywhere; lifting it resumes.

`crisis_start`, in one transaction:
- the Crisis (one active per authority; the database refuses a second);
- every publication of the authority waiting to go out (pending, or queued and not yet
  claimed by a worker) of a post that is not a crisis message is paused by one
  conditional UPDATE: a worker's claim (queued -> publishing) and the pause never
  both win. What is already being sent, or out, stays as it is. Publications
  scheduled while the crisis lasts are created paused (publishing.services);
- the alert post (`is_crisis`), approved at every level in one step recorded as
  urgent in its history, with one variant per network of the chosen channels: the
  message as it is, or cut into a numbered thread where it is too long and the
  network has threads; a network where it cannot fit refuses the whole start (the
  French message names the network and its limit);
- its publications, due now; once committed the dispatcher is enqueued at once
  rather than at its next tick. The election guard does not apply: an alert informs
  the public of a danger, it promotes nothing (Code électoral L52-1).
Each alert publication, once published, is pinned on its account where the network
allows (`crisis_alert_pin`, a task enqueued by the publishing engine); a refusal is
recorded and shown on the crisis page, it never fails the publication.

`crisis_lift` ends it and treats the publications the crisis paused (those paused at
its start or scheduled during it; older held ones stay held) in the mode chosen:
- KEEP_TIMES: back to pending at their times; those whose time passed go now;
- SHIFT: every one (and its post's slot) moved later by the crisis' duration, counted
  on the authority's wall clock: a post at 9:00 stays at 9:00 across a change of
  daylight saving time (the crisis lasted two days, not 49 hours);
- HOLD: they stay paused, listed on the crisis page to be rescheduled one by one;
  `publication_schedule` then resumes them (pending once no crisis is active).
The alert stays online but is unpinned (it no longer is the news of the moment).
Every step is in the audit log; writers and elected members are notified.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parvis.accounts.roles import Role
from parvis.planning import rules
from parvis.planning.models import Crisis, ReviewAction
from parvis.planning.selectors import approval_policy_of, role_of
from parvis.planning.selectors_crisis import (
    AlertText,
    alert_channels,
    alert_texts,
    last_pin_action,
)
from parvis.planning.services.approval import WRITERS, NotAllowed, _move, _record
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post, PostState, Variant
from parvis.system.services import audit_record, notify

logger = logging.getLogger(__name__)

P = PublicationState
TOLD: list[str] = [*WRITERS, Role.ELECTED]
ALREADY_ACTIVE = gettext_lazy(
    "Un mode crise est déjà en cours : levez-le avant d'en déclencher un autre."
)


def crisis_start(
    *,
    authority: Any,
    actor: Any,
    title: str,
    message: str,
    channels: Iterable[Any] | None = None,
) -> Crisis:
    """Start crisis mode (see the module's docstring). `channels`: where the alert
    goes, by default every channel that can take it; an empty list pauses and shows
    the banner without publishing an alert."""
    from parvis.publishing.services import publication_schedule

    if not rules.may_publish_urgently(role_of(user=actor, authority=authority)):
        raise NotAllowed(
            _("Seules la validation et l'administration déclenchent le mode crise.")
        )
    title, message = title.strip(), message.replace("\r\n", "\n").strip()
    if not title or not message:
        raise ValidationError(_("L'intitulé et le message d'alerte sont obligatoires."))
    chosen = _chosen_channels(authority, channels)
    texts = alert_texts(message=message, channels=chosen)
    refused = [text.problem for text in texts if text.problem]
    if refused:
        raise ValidationError(refused)
    now = timezone.now()
    with transaction.atomic():
        if Crisis.objects.filter(authority=authority, ended_at__isnull=True).exists():
            raise ValidationError(ALREADY_ACTIVE)
        try:
            with transaction.atomic():
                crisis = Crisis.objects.create(
                    authority=authority,
                    title=title,
                    message=message,
                    started_by=actor,
                    started_at=now,
                )
        except IntegrityError as error:  # started at the same moment elsewhere
            raise ValidationError(ALREADY_ACTIVE) from error
        paused_ids = _pause_waiting(authority, now)
        if texts:
            post = _alert_post(crisis, actor, texts)
            variants = {variant.network: variant for variant in post.variants.all()}
            for channel in chosen:
                publication_schedule(
                    variant=variants[channel.network],
                    channel=channel,
                    scheduled_at=now,
                    actor=actor,
                )
            crisis.alert_post = post
        crisis.paused_count = len(paused_ids)
        crisis.save(update_fields=["alert_post", "paused_count"])
        audit_record(
            actor=actor,
            authority=authority,
            action="crisis.start",
            summary=_("Mode crise déclenché : « %(title)s ».") % {"title": title},
            target=crisis,
            changes={
                "paused_publications": [None, paused_ids],
                "alert_channels": [None, [str(channel) for channel in chosen]],
            },
        )
        notify(
            authority=authority,
            roles=TOLD,
            message=ngettext(
                "Mode crise déclenché : « %(title)s ». %(count)d publication "
                "programmée est suspendue.",
                "Mode crise déclenché : « %(title)s ». %(count)d publications "
                "programmées sont suspendues.",
                len(paused_ids),
            )
            % {"title": title, "count": len(paused_ids)},
            url=_crisis_url(authority),
        )
        if texts:
            _dispatch_on_commit()
    return crisis


@transaction.atomic
def crisis_lift(*, crisis: Crisis, actor: Any, resume_mode: str) -> Crisis:
    """End crisis mode and resume what it paused in `resume_mode` (Crisis.Resume)."""
    authority = crisis.authority
    if not rules.may_publish_urgently(role_of(user=actor, authority=authority)):
        raise NotAllowed(
            _("Seules la validation et l'administration lèvent le mode crise.")
        )
    if resume_mode not in Crisis.Resume.values:
        raise ValidationError(_("Choisissez comment reprendre les publications."))
    now = timezone.now()
    if not Crisis.objects.filter(pk=crisis.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor, resume_mode=resume_mode
    ):
        raise ValidationError(_("Ce mode crise est déjà levé."))
    crisis.refresh_from_db()
    paused = Publication.objects.filter(
        authority=authority, state=P.PAUSED, state_changed_at__gte=crisis.started_at
    )
    ids = list(paused.values_list("pk", flat=True))
    if resume_mode == Crisis.Resume.KEEP_TIMES:
        resumed = _resume_at_their_times(ids, now)
    elif resume_mode == Crisis.Resume.SHIFT:
        resumed = _resume_shifted(ids, crisis, now)
    else:
        resumed = []
    audit_record(
        actor=actor,
        authority=authority,
        action="crisis.lift",
        summary=_("Mode crise levé : « %(title)s » (%(mode)s).")
        % {"title": crisis.title, "mode": Crisis.Resume(resume_mode).label},
        target=crisis,
        changes={
            "resume_mode": [None, resume_mode],
            "resumed_publications": [None, resumed],
            "held_publications": [None, sorted(set(ids) - set(resumed))],
        },
    )
    if resume_mode == Crisis.Resume.HOLD:
        told = _(
            "Mode crise levé : « %(title)s ». %(count)d publication(s) restent "
            "suspendues, à reprogrammer une à une."
        ) % {"title": crisis.title, "count": len(ids)}
    else:
        told = _(
            "Mode crise levé : « %(title)s ». %(count)d publication(s) reprennent."
        ) % {"title": crisis.title, "count": len(resumed)}
    notify(authority=authority, roles=TOLD, message=told, url=_crisis_url(authority))
    if resumed:
        _dispatch_on_commit()
    _unpin_on_commit(crisis)
    return crisis


# -- pinning (tasks) --------------------------------------------------------------
def crisis_alert_published(publication: Publication) -> None:
    """Called by the publishing engine when a publication is published: an alert of
    crisis mode is pinned once that is committed (where its network allows)."""
    from parvis.planning.selectors_crisis import pins_supported
    from parvis.planning.tasks import pin_crisis_alert

    alert = Post.objects.filter(variants=publication.variant_id, is_crisis=True)
    if not alert.exists() or not pins_supported(publication.channel.network):
        return
    transaction.on_commit(partial(pin_crisis_alert.enqueue, publication.pk))


def crisis_alert_pin(*, publication_id: int) -> str:
    """Pin a published alert while its crisis lasts; once pinned, nothing more."""
    publication = _alert_publication(publication_id)
    if publication is None or last_pin_action(publication=publication) == "crisis.pin":
        return "skipped"
    active = Crisis.objects.filter(
        alert_post_id=publication.variant.post_id, ended_at__isnull=True
    )
    if not active.exists():
        return "skipped"  # lifted before the alert went out: nothing to feature
    outcome = _pin_call(publication, "pin")
    if outcome == "pinned" and not active.exists():
        # Lifted while the pin was on its way: its unpin found nothing to undo.
        _pin_call(publication, "unpin")
    return outcome


def crisis_alert_unpin(*, publication_id: int) -> str:
    """Unpin an alert that was pinned (the crisis is over)."""
    publication = _alert_publication(publication_id)
    if publication is None or last_pin_action(publication=publication) not in {
        "crisis.pin",
        "crisis.unpin_failed",
    }:
        return "skipped"
    return _pin_call(publication, "unpin")


def crisis_alert_pin_again(*, crisis: Crisis, actor: Any) -> int:
    """The team asks to try the failed pins of the active crisis' alert again."""
    from parvis.planning.selectors_crisis import alert_publications
    from parvis.planning.tasks import pin_crisis_alert

    if not rules.may_publish_urgently(role_of(user=actor, authority=crisis.authority)):
        raise NotAllowed(
            _("Seules la validation et l'administration peuvent épingler.")
        )
    if crisis.ended_at is not None:
        raise ValidationError(
            _("Ce mode crise est levé : l'alerte n'est plus épinglée.")
        )
    again = [
        row.publication.pk
        for row in alert_publications(crisis=crisis)
        if row.pin_failed and row.publication.state == P.PUBLISHED
    ]
    for publication_id in again:
        transaction.on_commit(partial(pin_crisis_alert.enqueue, publication_id))
    return len(again)


# -- internals ----------------------------------------------------------------------
def _chosen_channels(authority: Any, channels: Iterable[Any] | None) -> list[Any]:
    usable = alert_channels(authority=authority)
    if channels is None:
        return usable
    usable_ids = {channel.pk for channel in usable}
    chosen = []
    for channel in channels:
        if channel.authority_id != authority.pk:
            raise ValidationError(_("Ce canal n'appartient pas à cette collectivité."))
        if channel.pk not in usable_ids:
            raise ValidationError(
                _(
                    "%(channel)s ne peut pas publier l'alerte (texte seul, compte connecté)."
                )
                % {"channel": channel}
            )
        chosen.append(channel)
    return chosen


def _pause_waiting(authority: Any, now: dt.datetime) -> list[int]:
    """Pause what waits to go out, not the crisis' own messages; the ids paused."""
    waiting = Publication.objects.filter(
        authority=authority, state__in=[P.PENDING, P.QUEUED]
    ).exclude(variant__post__is_crisis=True)
    ids = list(waiting.values_list("pk", flat=True))
    Publication.objects.filter(pk__in=ids, state__in=[P.PENDING, P.QUEUED]).update(
        state=P.PAUSED, state_changed_at=now
    )
    return list(
        Publication.objects.filter(
            pk__in=ids, state=P.PAUSED, state_changed_at=now
        ).values_list("pk", flat=True)
    )


def _alert_post(crisis: Crisis, actor: Any, texts: list[AlertText]) -> Post:
    """The alert as a post of the studio, scheduled at once: created as a draft, then
    approved at every level in one step recorded as urgent (what the urgent path
    does), so that its history reads like any other post's."""
    post = Post.objects.create(
        authority=crisis.authority,
        title=crisis.title,
        source_title=crisis.title,
        source_text=crisis.message,
        planned_at=crisis.started_at,
        is_crisis=True,
        created_by=actor,
    )
    Variant.objects.bulk_create(
        [Variant(post=post, network=text.network, parts=text.parts) for text in texts]
    )
    policy = approval_policy_of(authority=crisis.authority)
    _move(post, {PostState.DRAFT}, PostState.SCHEDULED, approval_level=policy.levels)
    _record(
        post,
        actor,
        ReviewAction.URGENT,
        before=PostState.DRAFT,
        comment=_("Alerte du mode crise « %(title)s ».") % {"title": crisis.title},
        level=policy.levels,
        notify_roles=[],  # the crisis' own notification says it
        message="",
    )
    return post


def _resume_at_their_times(ids: list[int], now: dt.datetime) -> list[int]:
    rows = Publication.objects.filter(pk__in=ids, state=P.PAUSED)
    rows.filter(next_attempt_at__lt=now).update(
        state=P.PENDING, next_attempt_at=now, state_changed_at=now
    )
    rows.update(state=P.PENDING, state_changed_at=now)
    return _now_pending(ids, now)


def _resume_shifted(ids: list[int], crisis: Crisis, now: dt.datetime) -> list[int]:
    assert crisis.ended_at is not None
    zone = ZoneInfo(crisis.authority.timezone or "Europe/Paris")
    shift = partial(
        wall_clock_shift, start=crisis.started_at, end=crisis.ended_at, zone=zone
    )
    post_ids = set()
    rows = Publication.objects.filter(pk__in=ids, state=P.PAUSED).values_list(
        "pk", "scheduled_at", "next_attempt_at", "variant__post_id"
    )
    for pk, scheduled_at, next_attempt_at, post_id in rows:
        Publication.objects.filter(pk=pk, state=P.PAUSED).update(
            state=P.PENDING,
            scheduled_at=shift(scheduled_at),
            next_attempt_at=shift(next_attempt_at),
            state_changed_at=now,
        )
        post_ids.add(post_id)
    slots = Post.objects.filter(pk__in=post_ids, planned_at__isnull=False)
    for post_id, planned_at in slots.values_list("pk", "planned_at"):
        if planned_at is not None:
            Post.objects.filter(pk=post_id).update(planned_at=shift(planned_at))
    return _now_pending(ids, now)


def wall_clock_shift(
    moment: dt.datetime, *, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> dt.datetime:
    """`moment` moved later by end - start as read on the clocks of `zone` (a time
    that does not exist that day, in the spring gap, comes out an hour later)."""
    wall = end.astimezone(zone).replace(tzinfo=None) - start.astimezone(zone).replace(
        tzinfo=None
    )
    local = moment.astimezone(zone).replace(tzinfo=None) + wall
    return local.replace(tzinfo=zone).astimezone(dt.UTC)


def _now_pending(ids: list[int], now: dt.datetime) -> list[int]:
    return list(
        Publication.objects.filter(
            pk__in=ids, state=P.PENDING, state_changed_at=now
        ).values_list("pk", flat=True)
    )


def _alert_publication(publication_id: int) -> Publication | None:
    return (
        Publication.objects.select_related("channel", "channel__authority", "variant")
        .filter(pk=publication_id, state=P.PUBLISHED, variant__post__is_crisis=True)
        .first()
    )


def _pin_call(publication: Publication, operation: str) -> str:
    """Call the network; the outcome (or its refusal) goes to the audit log, which
    the crisis page reads. Never raises: a pin is a bonus, not the alert."""
    from parvis.connectors.errors import ConnectorError
    from parvis.publishing import engine

    channel = publication.channel
    connector = engine.connector_for(channel)
    try:
        with connector:
            getattr(connector, operation)(publication.remote_id)
    except ConnectorError as error:
        logger.warning(
            "crisis alert %s: %s on %s refused: %s %s",
            publication.pk,
            operation,
            channel.pk,
            type(error).__name__,
            error.message,
        )
        verb = _("Épinglage") if operation == "pin" else _("Désépinglage")
        audit_record(
            actor=None,
            authority=channel.authority,
            action=f"crisis.{operation}_failed",
            summary=_("%(verb)s impossible sur %(channel)s : %(error)s")
            % {"verb": verb, "channel": channel, "error": error.message},
            target=publication,
            changes={"error": [None, error.summary]},
        )
        return "failed"
    summary = (
        _("Alerte épinglée sur %(channel)s.")
        if operation == "pin"
        else _("Alerte désépinglée sur %(channel)s.")
    )
    audit_record(
        actor=None,
        authority=channel.authority,
        action=f"crisis.{operation}",
        summary=summary % {"channel": channel},
        target=publication,
    )
    return "pinned" if operation == "pin" else "unpinned"


def _unpin_on_commit(crisis: Crisis) -> None:
    from parvis.planning.tasks import unpin_crisis_alert

    if crisis.alert_post_id is None:
        return
    published = Publication.objects.filter(
        variant__post_id=crisis.alert_post_id, state=P.PUBLISHED
    ).values_list("pk", flat=True)
    for publication_id in published:
        transaction.on_commit(partial(unpin_crisis_alert.enqueue, publication_id))


def _dispatch_on_commit() -> None:
    """The dispatcher now rather than at its next tick (it is safe to run twice)."""
    from parvis.publishing.tasks import dispatch_publications

    transaction.on_commit(dispatch_publications.enqueue)


def _crisis_url(authority: Any) -> str:
    return reverse("crisis:page", args=[authority.slug])


__all__ = [
    "crisis_alert_pin",
    "crisis_alert_pin_again",
    "crisis_alert_published",
    "crisis_alert_unpin",
    "crisis_lift",
    "crisis_start",
    "wall_clock_shift",
]
