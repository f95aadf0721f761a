"""Writes of participation: consultations, participants, contributions (from the public
page and collected from the comments under the linked publications), moderation,
statements and votes. Callers pass an authority they already checked access to.

Nothing accepted is lost and nothing is counted twice: a collected comment becomes a
contribution once (one-to-one with its inbox message); a participant's vote on a
statement is one row, changed when they change their mind.
"""

import hashlib
import hmac
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.participation.models import (
    Consultation,
    Contribution,
    Participant,
    Statement,
    Vote,
)
from parvis.system.services import audit_record

MIN_LENGTH = 10
MAX_LENGTH = 2_000
PSEUDONYM_MAX = 60
EMAIL_SALT = "parvis.participation.email"
EMAIL_LINK_MAX_AGE = 7 * 24 * 3600
NETWORK_ORIGINS = {choice.value for choice in Contribution.Origin} - {"site", "paper"}


def consultation_save(
    *,
    authority: Any,
    actor: Any,
    values: dict[str, Any],
    consultation: Consultation | None = None,
) -> Consultation:
    """Create or change a consultation; `values` are its fields (publications by
    their ids under "publications")."""
    with transaction.atomic():
        return _consultation_save(
            authority=authority, actor=actor, values=values, consultation=consultation
        )


def _consultation_save(
    *,
    authority: Any,
    actor: Any,
    values: dict[str, Any],
    consultation: Consultation | None,
) -> Consultation:
    publications = values.pop("publications", None)
    creating = consultation is None
    consultation = consultation or Consultation(authority=authority, created_by=actor)
    for name, value in values.items():
        setattr(consultation, name, value)
    if consultation.ends_at <= consultation.starts_at:
        raise ValidationError(_("La clôture doit suivre l'ouverture."))
    consultation.save()
    if publications is not None:
        consultation.publications.set(
            authority.publications.filter(pk__in=list(publications))
        )
    audit_record(
        actor=actor,
        action="participation.consultation_created"
        if creating
        else "participation.consultation_changed",
        summary=_("Consultation « %(title)s » %(what)s")
        % {
            "title": consultation.title,
            "what": _("créée") if creating else _("modifiée"),
        },
        authority=authority,
        target=consultation,
    )
    return consultation


def token_hash(token: str) -> str:
    """The keyed hash of a participant's cookie token (the token is never stored)."""
    from django.conf import settings

    return hmac.new(
        settings.SECRET_KEY.encode(), f"participant:{token}".encode(), hashlib.sha256
    ).hexdigest()


def participant_for(
    *, consultation: Consultation, token: str, pseudonym: str = ""
) -> Participant:
    """The participant of this browser token, created on first use; a pseudonym
    given later is kept."""
    pseudonym = " ".join(pseudonym.split())[:PSEUDONYM_MAX]
    digest = token_hash(token)
    try:
        with transaction.atomic():
            participant, created = Participant.objects.get_or_create(
                consultation=consultation,
                token_hash=digest,
                defaults={"pseudonym": pseudonym},
            )
    except IntegrityError:  # the same browser, twice at once
        participant = Participant.objects.get(
            consultation=consultation, token_hash=digest
        )
        created = False
    if not created and pseudonym and participant.pseudonym != pseudonym:
        participant.pseudonym = pseudonym
        participant.save(update_fields=["pseudonym"])
    return participant


def _is_abusive(text: str) -> bool:
    from parvis.inbox.classify.classifier import classify

    return classify(text).abuse


def _first_status(consultation: Consultation, abuse: bool) -> str:
    if abuse or consultation.moderation == Consultation.Moderation.BEFORE:
        return Contribution.Status.PENDING
    return Contribution.Status.ACCEPTED


def contribution_submit(
    *, consultation: Consultation, participant: Participant, text: str
) -> Contribution:
    """A contribution from the public page: published at once unless the
    consultation moderates first or abuse is detected (then it waits)."""
    text = text.strip()
    if not consultation.is_open():
        raise ValidationError(_("Cette consultation n'accepte pas de contribution."))
    if len(text) < MIN_LENGTH:
        raise ValidationError(
            _("Votre contribution est trop courte (%(min)s caractères au moins).")
            % {"min": MIN_LENGTH}
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Votre contribution dépasse %(max)s caractères.") % {"max": MAX_LENGTH}
        )
    if not participant.pseudonym:
        raise ValidationError(_("Choisissez un pseudonyme pour contribuer."))
    abuse = _is_abusive(text)
    return Contribution.objects.create(
        consultation=consultation,
        origin=Contribution.Origin.SITE,
        participant=participant,
        pseudonym=participant.pseudonym,
        text=text,
        abuse=abuse,
        status=_first_status(consultation, abuse),
    )


def contributions_collect(*, consultation: Consultation) -> int:
    """The comments under the consultation's publications, already in the inbox,
    become contributions (once each). Returns how many were added."""
    from parvis.inbox.models import Kind, Message

    comments = (
        Message.objects.filter(
            authority=consultation.authority,
            publication__in=consultation.publications.all(),
            kind=Kind.COMMENT,
            contribution__isnull=True,
            anonymised_at__isnull=True,
            received_at__gte=consultation.starts_at,
            received_at__lt=consultation.ends_at,
        )
        .exclude(text="")
        .order_by("received_at", "id")
    )
    added = 0
    for message in comments:
        origin = message.origin if message.origin in NETWORK_ORIGINS else "site"
        try:
            with transaction.atomic():
                Contribution.objects.create(
                    consultation=consultation,
                    origin=origin,
                    message=message,
                    pseudonym=message.author_name[:PSEUDONYM_MAX],
                    text=message.text,
                    abuse=message.abuse,
                    status=_first_status(consultation, message.abuse),
                    created_at=message.received_at,
                )
        except IntegrityError:  # collected by another worker meanwhile
            continue
        added += 1
    return added


def contributions_collect_all() -> int:
    """The scheduler's job: every consultation open now (or closed within a day,
    for comments read late) collects its comments."""
    import datetime as dt

    now = timezone.now()
    total = 0
    for consultation in Consultation.objects.filter(
        published=True,
        starts_at__lte=now,
        ends_at__gte=now - dt.timedelta(days=1),
        publications__isnull=False,
    ).distinct():
        total += contributions_collect(consultation=consultation)
    return total


def contribution_moderate(
    *, contribution: Contribution, actor: Any, accept: bool, reason: str = ""
) -> None:
    """Publish or hide a contribution; hiding needs a reason, shown publicly in its
    place."""
    reason = " ".join(reason.split())
    if not accept and not reason:
        raise ValidationError(
            _("Indiquez le motif du masquage : il est affiché publiquement.")
        )
    contribution.status = (
        Contribution.Status.ACCEPTED if accept else Contribution.Status.HIDDEN
    )
    contribution.hidden_reason = "" if accept else reason[:300]
    contribution.moderated_by = actor
    contribution.moderated_at = timezone.now()
    with transaction.atomic():
        contribution.save(
            update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"]
        )
        _audit_moderation(contribution, actor, accept, reason)


def _audit_moderation(
    contribution: Contribution, actor: Any, accept: bool, reason: str
) -> None:
    audit_record(
        actor=actor,
        action="participation.contribution_accepted"
        if accept
        else "participation.contribution_hidden",
        summary=(
            _("Contribution publiée")
            if accept
            else _("Contribution masquée : %(reason)s") % {"reason": reason}
        ),
        authority=contribution.consultation.authority,
        target=contribution,
    )


def statement_add(
    *,
    consultation: Consultation,
    actor: Any,
    text: str,
    source: Contribution | None = None,
) -> Statement:
    """A statement to vote on, written by a moderator or promoted from a
    contribution (then shortened by the moderator if needed)."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("La proposition est vide."))
    if len(text) > 400:
        raise ValidationError(_("Une proposition tient en 400 caractères au plus."))
    if source is not None and source.consultation_id != consultation.pk:
        raise ValidationError(
            _("Cette contribution appartient à une autre consultation.")
        )
    statement = Statement.objects.create(
        consultation=consultation, text=text, source=source, created_by=actor
    )
    audit_record(
        actor=actor,
        action="participation.statement_added",
        summary=_("Proposition soumise au vote : %(text)s") % {"text": text[:120]},
        authority=consultation.authority,
        target=statement,
    )
    return statement


def statement_set_active(*, statement: Statement, actor: Any, active: bool) -> None:
    """Withdraw a statement from the vote (its votes are kept) or put it back."""
    if statement.active == active:
        return
    statement.active = active
    statement.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="participation.statement_" + ("restored" if active else "withdrawn"),
        summary=(
            _("Proposition remise au vote : %(text)s")
            if active
            else _("Proposition retirée du vote : %(text)s")
        )
        % {"text": statement.text[:120]},
        authority=statement.consultation.authority,
        target=statement,
    )


def identity_check() -> Any:
    """The installation's stronger identity check, if any: the callable named by
    `settings.PARTICIPATION_IDENTITY_CHECK` (dotted path), taking a participant and
    returning whether they may vote (e.g. FranceConnect, a list of residents)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    path = getattr(settings, "PARTICIPATION_IDENTITY_CHECK", "")
    return import_string(path) if path else None


def voter_of(participant: Participant) -> Participant:
    """Who a vote belongs to when votes need a verified e-mail: the first
    participant who verified that address (another browser of the same person votes
    in their name), so one address has one vote per statement."""
    first = (
        Participant.objects.filter(
            consultation_id=participant.consultation_id,
            email=participant.email,
            email_verified_at__isnull=False,
        )
        .order_by("email_verified_at", "id")
        .first()
    )
    return first or participant


def vote_problem(*, statement: Statement, value: int) -> str:
    """Why a vote on `statement` cannot be taken now, whoever votes ("" if it can)."""
    consultation = statement.consultation
    if not (consultation.votes_open and consultation.is_open() and statement.active):
        return _("Le vote n'est pas ouvert sur cette proposition.")
    if value not in Vote.Value.values:
        return _("Vote inconnu.")
    return ""


def vote_cast(*, statement: Statement, participant: Participant, value: int) -> Vote:
    """One participant, one vote per statement: voting again changes the vote. With
    `votes_need_email`, one verified address; with an identity check configured,
    only participants it accepts."""
    consultation = statement.consultation
    if participant.consultation_id != consultation.pk:
        raise ValidationError(_("Ce vote ne concerne pas cette consultation."))
    if problem := vote_problem(statement=statement, value=value):
        raise ValidationError(problem)
    if consultation.votes_need_email:
        if participant.email_verified_at is None:
            raise ValidationError(
                _(
                    "Confirmez d'abord votre adresse e-mail pour voter : un lien vous est envoyé."
                )
            )
        participant = voter_of(participant)
    check = identity_check()
    if check is not None and not check(participant):
        raise ValidationError(
            _("Une vérification d'identité est demandée avant de voter.")
        )
    vote, _created = Vote.objects.update_or_create(
        statement=statement, participant=participant, defaults={"value": value}
    )
    return vote


def email_link_token(participant: Participant, email: str) -> str:
    """The signed token of the link that verifies `email` for `participant`."""
    return signing.dumps(
        {"p": participant.pk, "e": email.strip().lower()}, salt=EMAIL_SALT
    )


def participant_email_verify(*, token: str) -> Participant:
    """Record the e-mail of a verification link (valid 7 days); ValidationError for
    a wrong or expired link."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Ce lien a expiré : demandez-en un nouveau.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien n'est pas valide.")) from error
    participant = Participant.objects.filter(pk=data.get("p")).first()
    if participant is None:
        raise ValidationError(_("Ce lien n'est pas valide."))
    if participant.email == data["e"] and participant.email_verified_at:
        return participant  # the same link again: the first verification stands
    participant.email = data["e"]
    participant.email_verified_at = timezone.now()
    participant.save(update_fields=["email", "email_verified_at"])
    return participant
