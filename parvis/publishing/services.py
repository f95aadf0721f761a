"""Writes of the publishing app that people trigger: schedule, cancel, retry, delete."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.roles import Role
from parvis.channels.models import Channel
from parvis.connectors.errors import ConnectorError
from parvis.publishing.archive import archive_mark_withdrawn
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post, PostState, Variant
from parvis.system.services import audit_record, notify

State = PublicationState
# A post is handed to publishing once approved (planning moves it to scheduled in the
# same transaction); a crisis alert is created scheduled.
READY_STATES = frozenset({PostState.APPROVED, PostState.SCHEDULED})


@transaction.atomic
def publication_schedule(
    *, variant: Variant, channel: Channel, scheduled_at: dt.datetime, actor: Any
) -> Publication:
    """Plan one variant on one channel at an aware instant. One publication per
    (variant, channel): scheduling again moves a pending one, never duplicates it. A
    variant rewritten by a language model must be saved by a person first."""
    if channel.authority_id != variant.post.authority_id:
        raise ValidationError(_("Ce canal n'appartient pas à cette collectivité."))
    if channel.network != variant.network:
        raise ValidationError(_("Cette variante n'est pas écrite pour ce réseau."))
    if variant.rewritten_by_model:
        # A language model's text is published only once a person has saved it.
        raise ValidationError(
            _("Relisez et enregistrez la proposition de l'IA avant de la programmer.")
        )
    # Read again: the caller may have just moved the post (urgent path, schedule).
    post_state = Post.objects.filter(pk=variant.post_id).values_list("state", flat=True)
    if post_state.first() not in READY_STATES:
        raise ValidationError(
            _("Cette publication doit être approuvée avant d'être programmée.")
        )
    if timezone.is_naive(scheduled_at):
        raise ValueError("scheduled_at must be aware")
    publication = (
        Publication.objects.select_for_update()
        .filter(variant=variant, channel=channel)
        .first()
    )
    now = timezone.now()
    # During crisis mode only the crisis' own messages go out; the rest waits, paused.
    state = State.PAUSED if _paused_by_crisis(variant) else State.PENDING
    if publication is None:
        publication = Publication.objects.create(
            state=state,
            authority_id=channel.authority_id,
            variant=variant,
            channel=channel,
            scheduled_at=scheduled_at,
            next_attempt_at=scheduled_at,
            state_changed_at=now,
            created_by=actor,
        )
    elif publication.state in {State.PENDING, State.CANCELLED, State.PAUSED}:
        publication.scheduled_at = scheduled_at
        publication.next_attempt_at = scheduled_at
        publication.state = state
        publication.state_changed_at = now
        publication.save(
            update_fields=[
                "scheduled_at",
                "next_attempt_at",
                "state",
                "state_changed_at",
            ]
        )
    else:
        raise ValidationError(
            _("Cette publication est déjà %(state)s : elle ne peut plus être déplacée.")
            % {"state": publication.get_state_display().lower()}
        )
    audit_record(
        actor=actor,
        authority=channel.authority,
        action="publication.schedule",
        summary=f"Publication programmée sur {channel} le {scheduled_at:%d/%m/%Y %H:%M} UTC",
        target=publication,
    )
    return publication


@transaction.atomic
def publication_cancel(*, publication: Publication, actor: Any) -> None:
    moved = Publication.objects.filter(
        pk=publication.pk, state__in=[State.PENDING, State.QUEUED, State.PAUSED]
    ).update(state=State.CANCELLED, state_changed_at=timezone.now())
    if moved:
        follow_post(publication)
    if not moved:
        raise ValidationError(
            _("Trop tard : la publication est déjà partie ou en cours d'envoi.")
        )
    audit_record(
        actor=actor,
        authority=publication.authority,
        action="publication.cancel",
        summary=f"Publication sur {publication.channel} annulée",
        target=publication,
    )


@transaction.atomic
def publication_retry(*, publication: Publication, actor: Any) -> None:
    """A failed publication that nothing reached the network for, tried again now."""
    if publication.state != State.FAILED or publication.published_parts:
        raise ValidationError(
            _(
                "Seule une publication en échec, dont rien n'a été publié, peut être relancée."
            )
        )
    # During crisis mode a retried post waits with the others, paused.
    paused = _paused_by_crisis(publication.variant)
    Publication.objects.filter(pk=publication.pk, state=State.FAILED).update(
        state=State.PAUSED if paused else State.PENDING,
        state_changed_at=timezone.now(),
        next_attempt_at=timezone.now(),
        attempts=0,
    )
    follow_post(publication)
    audit_record(
        actor=actor,
        authority=publication.authority,
        action="publication.retry",
        summary=f"Publication sur {publication.channel} relancée",
        target=publication,
    )


def publication_unpublish(*, publication: Publication, actor: Any) -> None:
    """Delete the post from the network (every part of a thread), where it allows."""
    from parvis.publishing.engine import connector_for

    if publication.state != State.PUBLISHED:
        raise ValidationError(_("Seule une publication parue peut être retirée."))
    parts = publication.published_parts or [{"remote_id": publication.remote_id}]
    try:
        with connector_for(publication.channel) as connector:
            for part in reversed(parts):
                connector.delete(part["remote_id"])
    except ConnectorError as error:
        from parvis.publishing.messages import french_explanation

        raise ValidationError(
            french_explanation(error, channel=publication.channel)
        ) from error
    with transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(
            state=State.DELETED, state_changed_at=timezone.now()
        )
        archive_mark_withdrawn(publication=publication)
        audit_record(
            actor=actor,
            authority=publication.authority,
            action="publication.unpublish",
            summary=f"Publication retirée de {publication.channel}",
            target=publication,
        )


def notify_failure(*, publication: Publication, message: str) -> None:
    channel = publication.channel
    notify(
        authority=channel.authority,
        roles=[Role.EDITOR, Role.VALIDATOR, Role.ADMIN],
        message=f"Échec de publication sur {channel} : {message}",
        url=reverse("publishing:detail", args=[channel.authority.slug, publication.pk]),
    )


def _paused_by_crisis(variant: Variant) -> bool:
    from parvis.planning.models import Crisis

    if variant.post.is_crisis:
        return False
    return Crisis.objects.filter(
        authority_id=variant.post.authority_id, ended_at__isnull=True
    ).exists()


def follow_post(publication: Publication) -> None:
    """The post's state follows its publications (planning decides how)."""
    from parvis.planning.services import post_follow_publications

    post_follow_publications(post_id=publication.variant.post_id)


def notify_warning(*, publication: Publication, message: str) -> None:
    """Published, but something around it went wrong (a first comment...)."""
    channel = publication.channel
    notify(
        authority=channel.authority,
        roles=[Role.EDITOR, Role.VALIDATOR, Role.ADMIN],
        message=f"Publiée sur {channel}, avec un problème : {message}",
        url=reverse("publishing:detail", args=[channel.authority.slug, publication.pk]),
    )
