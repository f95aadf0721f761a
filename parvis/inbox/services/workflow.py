"""Writes of the team's handling of a message: labels corrected by a person (which
re-route it and teach the authority's model), assignment, status, internal notes,
the reading of a message unmasked, the urgent alert at reception, the authority's
own model retrained from its corrections, and the inbox settings.

Statuses and their transitions (`TRANSITIONS`)::

    nouveau ──> en cours ──> en attente du citoyen ──> répondu ──> clos
       │            ^  └────────────> répondu / clos      │          │
       └── any ─────┴──────── re-opened (en cours) <──────┴──────────┘

A closed message has `closed_at`; re-opening it clears it. "Répondu" set by hand
(an answer by telephone, at the desk) sets `first_response_at` when it is empty.
"""

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.inbox import routing
from parvis.inbox.models import InboxSettings, Message, Note, Status, TrainedModel
from parvis.inbox.selectors import is_assignable
from parvis.system.services import audit_record, notify
from parvis.territory.vocabularies import Intent, Level, Sentiment, Topic, Urgency

LABEL_CHOICES: dict[str, frozenset[str]] = {
    "topic": frozenset(Topic.values),
    "intent": frozenset(Intent.values),
    "sentiment": frozenset(Sentiment.values),
    "urgency": frozenset(Urgency.values),
    "level": frozenset(Level.values),
}
LABELS = (*LABEL_CHOICES, "abuse")
# The labels whose change moves the service or the due date.
ROUTING_LABELS = frozenset({"topic", "intent", "urgency", "abuse"})

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED, Status.CLOSED}
    ),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.ANSWERED, Status.CLOSED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED}),
    Status.ANSWERED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

NOTE_MAX_LENGTH = 5_000
# Fewer corrections than this teach the model too little to replace the default.
RETRAIN_MIN_CORRECTIONS = 30
TRAINED_MODELS_KEPT = 3
# After the first training, a new one once this many more corrections were made.
RETRAIN_NEW_CORRECTIONS = 10


def _message_url(message: Message) -> str:
    return reverse("inbox:detail", args=[message.authority.slug, message.pk])


def message_correct_labels(
    *, message: Message, actor: Any, **labels: Any
) -> dict[str, list[Any]]:
    """Set labels a person chose (topic, intent, sentiment, urgency, level, abuse),
    remember them in `corrected` (the authority's training data; a label confirmed
    as it was counts too), and, when the topic changes, send the message to the
    service of its new topic; the due date follows the topic, intent, urgency and
    abuse. Returns the changes, {label: [before, after]}."""
    unknown = set(labels) - set(LABELS)
    if unknown:
        raise ValueError(f"Unknown labels: {sorted(unknown)}")
    for name, value in labels.items():
        if name == "abuse":
            labels[name] = bool(value)
        elif value not in LABEL_CHOICES[name]:
            raise ValidationError(_("Valeur inconnue : %(value)s.") % {"value": value})
    changes = {
        name: [getattr(message, name), value]
        for name, value in labels.items()
        if getattr(message, name) != value
    }
    corrected = {**message.corrected, **labels}
    if not changes and corrected == message.corrected:
        return {}
    for name, value in labels.items():
        setattr(message, name, value)
    message.corrected = corrected
    message.corrected_by = actor
    message.corrected_at = timezone.now()
    fields = [*labels, "corrected", "corrected_by", "corrected_at"]
    audited = {name: [str(a), str(b)] for name, (a, b) in changes.items()}
    if "topic" in changes:
        # The citizen's category named the old topic: a person knows better.
        before = message.service
        message.service = routing.service_for(
            authority=message.authority, topic=message.topic
        )
        fields.append("service")
        if message.service != before:
            audited["service"] = [str(before or ""), str(message.service or "")]
    if ROUTING_LABELS & set(changes):
        message.due_at = _due_at(message)
        fields.append("due_at")
    message.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="inbox.labels_corrected",
        summary=_("Étiquettes du message n° %(id)s corrigées") % {"id": message.pk},
        authority=message.authority,
        target=message,
        changes=audited,
    )
    return changes


def _due_at(message: Message) -> Any:
    if message.abuse:
        return None
    return routing.due_at(
        authority=message.authority,
        service=message.service,
        intent=message.intent,
        urgency=message.urgency,
        received_at=message.received_at,
    )


def message_assign(*, message: Message, actor: Any, assignee: Any) -> None:
    """Give the message to a member who handles messages (None: to nobody). The
    assignee is told, unless they took it themselves."""
    if assignee is not None and not is_assignable(
        authority=message.authority, user=assignee
    ):
        raise ValidationError(
            _(
                "Seul un membre de la collectivité qui traite les messages peut le recevoir."
            )
        )
    if message.assignee_id == (assignee.pk if assignee else None):
        return
    before = message.assignee
    message.assignee = assignee
    message.save(update_fields=["assignee"])
    audit_record(
        actor=actor,
        action="inbox.assigned",
        summary=_("Message n° %(id)s attribué à %(name)s")
        % {"id": message.pk, "name": assignee.display_name if assignee else "personne"},
        authority=message.authority,
        target=message,
        changes={"assignee": [str(before or ""), str(assignee or "")]},
    )
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        notify(
            authority=message.authority,
            users=[assignee],
            message=_("%(name)s vous a attribué un message (n° %(id)s).")
            % {"name": getattr(actor, "display_name", "Parvis"), "id": message.pk},
            url=_message_url(message),
        )


def message_set_status(*, message: Message, actor: Any, status: str) -> None:
    """Move the message to `status` if `TRANSITIONS` allows it (ValidationError
    otherwise); the same status again changes nothing."""
    if status == message.status:
        return
    if status not in TRANSITIONS.get(message.status, frozenset()):
        raise ValidationError(
            _("Un message « %(before)s » ne peut pas passer à « %(after)s ».")
            % {
                "before": message.get_status_display(),
                "after": dict(Status.choices).get(status, status),
            }
        )
    before = message.status
    now = timezone.now()
    message.status = status
    fields = ["status"]
    if status == Status.CLOSED:
        message.closed_at = now
        fields.append("closed_at")
    elif before == Status.CLOSED:
        message.closed_at = None
        fields.append("closed_at")
    if status == Status.ANSWERED and message.first_response_at is None:
        message.first_response_at = now
        fields.append("first_response_at")
    message.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="inbox.status",
        summary=_("Message n° %(id)s : %(status)s")
        % {"id": message.pk, "status": message.get_status_display()},
        authority=message.authority,
        target=message,
        changes={"status": [before, status]},
    )


def note_add(*, message: Message, actor: Any, text: str) -> Note:
    """An internal note (never shown to the citizen)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("La note est vide."))
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Une note compte au plus %(max)s caractères.") % {"max": NOTE_MAX_LENGTH}
        )
    note = Note.objects.create(message=message, author=actor, text=text)
    audit_record(
        actor=actor,
        action="inbox.note",
        summary=_("Note ajoutée au message n° %(id)s") % {"id": message.pk},
        authority=message.authority,
        target=message,
    )
    return note


def message_reveal(*, message: Message, actor: Any) -> None:
    """Record that a member read the text unmasked (telephone, e-mail, IBAN)."""
    audit_record(
        actor=actor,
        action="inbox.revealed",
        summary=_("Texte complet du message n° %(id)s affiché") % {"id": message.pk},
        authority=message.authority,
        target=message,
    )


def message_notify_urgent(*, message: Message) -> int:
    """Tell the members of the message's service that an urgent message came in (the
    editors and administrators when no service handles its topic). The notification
    names the topic and the deadline, never the citizen's words."""
    from parvis.accounts.roles import Role

    if message.urgency != "urgent" or message.abuse:
        return 0
    service = message.service
    text = _("Message urgent reçu (%(topic)s)") % {"topic": message.get_topic_display()}
    if message.due_at is not None:
        local = message.due_at.astimezone(ZoneInfo(message.authority.timezone))
        text += _(", à traiter avant %(time)s") % {"time": f"{local:%d/%m %H:%M}"}
    text += "."
    if service is not None and service.members.exists():
        return notify(
            authority=message.authority,
            users=list(service.members.all()),
            message=text,
            url=_message_url(message),
        )
    return notify(
        authority=message.authority,
        roles=[Role.EDITOR, Role.ADMIN],
        message=text,
        url=_message_url(message),
    )


def message_notify_urgent_later(*, message: Message) -> None:
    """`message_notify_urgent` once the reception's transaction commits."""
    if message.urgency == "urgent" and not message.abuse:
        transaction.on_commit(lambda: message_notify_urgent(message=message))


def corrections_of(*, authority: Any) -> list[dict[str, str]]:
    """The authority's corrected messages as training examples: the text and the
    labels a person set (anonymised messages have lost their text)."""
    examples = []
    for text, corrected in Message.objects.filter(
        authority=authority, corrected_at__isnull=False, anonymised_at__isnull=True
    ).values_list("text", "corrected"):
        example = {"text": text}
        for name, value in (corrected or {}).items():
            if name == "abuse":
                example["abuse"] = "1" if value else "0"
            elif name != "level":  # the level follows the topic and competences
                example[name] = str(value)
        examples.append(example)
    return examples


def messages_retrain(
    *, authority: Any, minimum: int = RETRAIN_MIN_CORRECTIONS
) -> TrainedModel | None:
    """Train the authority's own classifier from its corrections, on top of the
    project's training messages, when there are at least `minimum` of them; keep
    the last TRAINED_MODELS_KEPT models. None when there are too few. Slow (seconds):
    for a task, not a request."""
    from parvis.inbox.classify.train import train_from_corrections

    examples = corrections_of(authority=authority)
    if len(examples) < minimum:
        return None
    payload = train_from_corrections(examples)
    trained = TrainedModel.objects.create(
        authority=authority,
        trained_at=timezone.now(),
        examples=len(examples),
        payload=payload,
    )
    old = TrainedModel.objects.filter(authority=authority).order_by(
        "-trained_at", "-id"
    )[TRAINED_MODELS_KEPT:]
    TrainedModel.objects.filter(pk__in=[model.pk for model in old]).delete()
    audit_record(
        actor=None,
        action="inbox.retrained",
        summary=_("Modèle de classement réentraîné sur %(count)s corrections")
        % {"count": len(examples)},
        authority=authority,
    )
    return trained


def authorities_to_retrain(
    *,
    minimum: int = RETRAIN_MIN_CORRECTIONS,
    new_corrections: int = RETRAIN_NEW_CORRECTIONS,
) -> list[int]:
    """Ids of the authorities whose model is due: enough corrections, and none
    trained yet or `new_corrections` made since the last training."""
    from django.db.models import Count

    corrected = Message.objects.filter(
        corrected_at__isnull=False, anonymised_at__isnull=True
    )
    due = []
    for row in (
        corrected.values("authority")
        .annotate(total=Count("id"))
        .filter(total__gte=minimum)
        .order_by("authority")
    ):
        last = (
            TrainedModel.objects.filter(authority=row["authority"])
            .order_by("-trained_at")
            .values_list("trained_at", flat=True)
            .first()
        )
        if last is None or (
            corrected.filter(authority=row["authority"], corrected_at__gt=last).count()
            >= new_corrections
        ):
            due.append(row["authority"])
    return due


def inbox_settings_save(
    *,
    authority: Any,
    actor: Any,
    retention_months: int,
    competences: Mapping[str, str],
    alert_threshold: float,
) -> InboxSettings:
    settings, _created = InboxSettings.objects.get_or_create(authority=authority)
    values: dict[str, Any] = {
        "retention_months": retention_months,
        "competences": dict(competences),
        "alert_threshold": alert_threshold,
    }
    changes = {
        name: [str(getattr(settings, name)), str(value)]
        for name, value in values.items()
        if getattr(settings, name) != value
    }
    if "competences" in changes:  # the keys that changed, not two whole mappings
        before = settings.competences or {}
        changes["competences"] = [
            ", ".join(
                f"{key}: {before.get(key, '')} → {level}"
                for key, level in sorted(values["competences"].items())
                if before.get(key) != level
            )[:500],
            "",
        ]
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    audit_record(
        actor=actor,
        action="inbox.settings",
        summary=_("Réglages de la messagerie enregistrés"),
        authority=authority,
        target=settings,
        changes=changes,
    )
    return settings
