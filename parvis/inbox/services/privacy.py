"""Personal data in the inbox (RGPD): the retention policy, and one person's right
of access and erasure.

- Retention: the personal data of a message that is done with (answered or closed,
  or detected as abuse) is anonymised `retention_months` after it was last handled
  (12 by default, per authority). What is kept is what statistics need: dates,
  origin, labels, service, status, response times.
- Anonymising a message empties its text, author, e-mail, address, coordinates,
  photo, network link, the internal notes and the replies' text (an answer quotes
  or names the person). It cannot be undone; it is recorded (counts, never content).
- A person is found by the e-mail they wrote from (form, Open311, e-mail) or by
  their account name on a network (the @handle): Parvis keeps no profile, so an
  access request is answered from the messages themselves.
"""

import calendar
import datetime as dt
import functools
import json
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.inbox.models import InboxSettings, Message, Note, Origin, Reply, Status
from parvis.inbox.services.receive import author_key
from parvis.system.services import audit_record

DEFAULT_RETENTION_MONTHS = 12
DONE = (Status.ANSWERED, Status.CLOSED)
EMAIL_ORIGINS = (Origin.FORM, Origin.OPEN311, Origin.EMAIL)
BATCH = 500
ERASED_REASON = "Données personnelles effacées"


def messages_anonymise(*, messages: QuerySet[Message], now: dt.datetime) -> int:
    """Anonymise every message of `messages` not anonymised yet. Returns how many."""
    total = 0
    ids = list(messages.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        photos = [
            name
            for name in Message.objects.filter(pk__in=batch)
            .exclude(photo="")
            .values_list("photo", flat=True)
        ]
        with transaction.atomic():
            total += Message.objects.filter(
                pk__in=batch, anonymised_at__isnull=True
            ).update(
                text="",
                author_name="",
                author_handle="",
                author_key="",
                author_email="",
                address="",
                latitude=None,
                longitude=None,
                photo="",
                remote_url="",
                anonymised_at=now,
            )
            Note.objects.filter(message_id__in=batch).update(text="")
            Reply.objects.filter(message_id__in=batch).update(text="")
            _contributions_erase(message_ids=batch)
            transaction.on_commit(functools.partial(_delete_files, photos))
    return total


def _contributions_erase(*, message_ids: list[int]) -> None:
    """A comment collected as a consultation contribution loses its text and
    signature with the message (participation keeps a copy). Imported here: the
    inbox does not otherwise depend on participation."""
    from parvis.participation.models import Contribution

    Contribution.objects.filter(message_id__in=message_ids).update(
        text="",
        pseudonym="",
        status=Contribution.Status.HIDDEN,
        hidden_reason=ERASED_REASON,
    )


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the
    last day of a shorter month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def expired_messages(
    *, authority: Any, now: dt.datetime, months: int
) -> QuerySet[Message]:
    """The authority's messages whose personal data has been kept long enough."""
    cutoff = months_before(now, months)
    return (
        Message.objects.filter(authority=authority, anonymised_at__isnull=True)
        .filter(Q(status__in=DONE) | Q(abuse=True))
        .annotate(last=Coalesce("closed_at", "first_response_at", "received_at"))
        .filter(last__lt=cutoff)
    )


def messages_purge_expired(*, now: dt.datetime | None = None) -> int:
    """The scheduler's retention job, for every authority with messages."""
    from parvis.territory.models import Authority

    now = now or timezone.now()
    months = dict(InboxSettings.objects.values_list("authority_id", "retention_months"))
    total = 0
    authority_ids = (
        Message.objects.filter(anonymised_at__isnull=True)
        .values_list("authority", flat=True)
        .distinct()
    )
    for authority in Authority.objects.filter(pk__in=list(authority_ids)):
        count = messages_anonymise(
            messages=expired_messages(
                authority=authority,
                now=now,
                months=months.get(authority.pk, DEFAULT_RETENTION_MONTHS),
            ),
            now=now,
        )
        if count:
            audit_record(
                actor=None,
                action="inbox.retention",
                summary=_(
                    "Durée de conservation atteinte : %(count)s messages anonymisés"
                )
                % {"count": count},
                authority=authority,
            )
        total += count
    return total


def person_messages(*, authority: Any, identifier: str) -> QuerySet[Message]:
    """The messages of one person: an e-mail address, or an account name on a
    network (with or without its leading @)."""
    identifier = identifier.strip()
    if not identifier:
        return Message.objects.none()
    mine = Message.objects.filter(authority=authority, anonymised_at__isnull=True)
    handle = identifier.removeprefix("@")
    found = Q(author_handle__iexact=handle) | Q(author_handle__iexact=f"@{handle}")
    if "@" in handle:  # an e-mail address (or a Mastodon account: both are tried)
        keys = [
            author_key(origin=origin, identifier=handle) for origin in EMAIL_ORIGINS
        ]
        found |= Q(author_key__in=keys) | Q(author_email__iexact=handle)
    return mine.filter(found).order_by("received_at", "id")


def person_export(*, authority: Any, actor: Any, identifier: str) -> str:
    """Everything the inbox holds about one person, as JSON (the right of access),
    recorded in the audit log."""
    messages = person_messages(authority=authority, identifier=identifier)
    data = {
        "collectivite": authority.name,
        "exporte_le": timezone.now().isoformat(),
        "messages": [
            {
                "recu_le": message.received_at.isoformat(),
                "origine": message.get_origin_display(),
                "auteur": message.author_name,
                "compte": message.author_handle,
                "courriel": message.author_email,
                "texte": message.text,
                "adresse": message.address,
                "latitude": str(message.latitude) if message.latitude else None,
                "longitude": str(message.longitude) if message.longitude else None,
                "photo": bool(message.photo),
                "lien": message.remote_url,
                "domaine": message.get_topic_display(),
                "statut": message.get_status_display(),
                "reponses": [
                    {
                        "envoyee_le": (reply.sent_at or reply.created_at).isoformat(),
                        "texte": reply.text,
                    }
                    for reply in message.sent_replies  # type: ignore[attr-defined]
                ],
            }
            for message in messages.prefetch_related(
                Prefetch(
                    "replies",
                    queryset=Reply.objects.filter(state=Reply.State.SENT),
                    to_attr="sent_replies",
                )
            )
        ],
    }
    data["participations"] = _participations(authority=authority, identifier=identifier)
    audit_record(
        actor=actor,
        action="inbox.person_export",
        summary=_("Export des données d'une personne : %(count)s messages")
        % {"count": len(data["messages"]) + len(data["participations"])},
        authority=authority,
    )
    return json.dumps(data, ensure_ascii=False, indent=2)


def _participants(*, authority: Any, identifier: str) -> Any:
    from parvis.participation.models import Participant

    email = identifier.strip().lower()
    if "@" not in email[1:]:
        return Participant.objects.none()
    return Participant.objects.filter(consultation__authority=authority, email=email)


def _participations(*, authority: Any, identifier: str) -> list[dict[str, Any]]:
    """What consultations hold of a person who gave their e-mail there."""
    return [
        {
            "consultation": participant.consultation.title,
            "pseudonyme": participant.pseudonym,
            "courriel": participant.email,
            "contributions": [
                {"deposee_le": c.created_at.isoformat(), "texte": c.text}
                for c in participant.contributions.all()
            ],
            "votes": [
                {"proposition": vote.statement.text, "vote": vote.get_value_display()}
                for vote in participant.votes.select_related("statement")
            ],
        }
        for participant in _participants(
            authority=authority, identifier=identifier
        ).select_related("consultation")
    ]


def person_erase(*, authority: Any, actor: Any, identifier: str) -> int:
    """Anonymise every message of one person now (the right to erasure), and what
    consultations hold under their verified e-mail (votes stay, anonymous)."""
    from parvis.participation.models import Contribution

    count = messages_anonymise(
        messages=person_messages(authority=authority, identifier=identifier),
        now=timezone.now(),
    )
    participants = _participants(authority=authority, identifier=identifier)
    with transaction.atomic():
        count += Contribution.objects.filter(participant__in=participants).update(
            text="",
            pseudonym="",
            status=Contribution.Status.HIDDEN,
            hidden_reason=ERASED_REASON,
        )
        participants.update(email="", pseudonym="", email_verified_at=None)
    audit_record(
        actor=actor,
        action="inbox.person_erase",
        summary=_("Effacement des données d'une personne : %(count)s messages")
        % {"count": count},
        authority=authority,
    )
    return count
