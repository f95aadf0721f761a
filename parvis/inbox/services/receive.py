"""Writes of the inbox. Every way a message comes in (network polling, webhooks, the
public form, Open311, e-mail) ends in `message_receive`, which stores it once,
classifies it, routes it and sets its due date.

Nothing accepted is lost: the message is saved even when classification fails (it is
then left unclassified, `classified_at` empty, and `messages_classify_pending` tries
again from the scheduler); a network message seen twice (polling and webhook, two
workers) is stored once, by (channel, remote id), race included.
"""

import functools
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.inbox import routing
from parvis.inbox.models import InboxSettings, Message, TrainedModel
from parvis.inbox.services.workflow import message_notify_urgent_later

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    message: Message
    created: bool


def author_key(*, origin: str, identifier: str) -> str:
    """A keyed hash of who wrote (network account id, or e-mail): one person's
    messages can be found for an access or erasure request without the inbox
    keeping a profile of anyone. Empty when nothing identifies the author."""
    from django.conf import settings

    identifier = identifier.strip().casefold()
    if not identifier:
        return ""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(
        secret, f"{origin}:{identifier}".encode(), hashlib.sha256
    ).hexdigest()


def inbox_settings_of(*, authority: Any) -> InboxSettings:
    found = InboxSettings.objects.filter(authority=authority).first()
    return found or InboxSettings(authority=authority)


def message_receive(
    *,
    authority: Any,
    origin: str,
    kind: str,
    text: str,
    received_at: Any = None,
    channel: Any = None,
    remote_id: str = "",
    remote_url: str = "",
    publication: Any = None,
    in_reply_to_remote_id: str = "",
    thread_key: str = "",
    author_name: str = "",
    author_handle: str = "",
    author_id: str = "",
    author_email: str = "",
    photo: Any = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    category: Any = None,
) -> Received:
    """Store a citizen's message once, classified and routed."""
    # PostgreSQL cannot store NUL characters; a message carrying one is kept
    # without them rather than refused.
    text, author_name, author_handle, address = (
        value.replace("\x00", "")
        for value in (text, author_name, author_handle, address)
    )
    if remote_id and channel is None:
        raise ValueError("a network message needs its channel")
    if remote_id:
        existing = Message.objects.filter(channel=channel, remote_id=remote_id).first()
        if existing is not None:
            return Received(existing, False)
    message = Message(
        authority=authority,
        origin=origin,
        kind=kind,
        channel=channel,
        remote_id=remote_id,
        remote_url=remote_url,
        publication=publication,
        in_reply_to_remote_id=in_reply_to_remote_id,
        thread_key=thread_key,
        author_name=author_name[:200],
        author_handle=author_handle[:200],
        author_key=author_key(origin=origin, identifier=author_id or author_email),
        author_email=author_email,
        text=text,
        address=address[:300],
        latitude=latitude,
        longitude=longitude,
        category=category,
        received_at=received_at or timezone.now(),
    )
    if photo is not None:
        message.photo = photo
    _classify_and_route(message)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Another worker stored the same network message a moment ago.
        if remote_id:
            existing = Message.objects.filter(
                channel=channel, remote_id=remote_id
            ).first()
            if existing is not None:
                return Received(existing, False)
        raise
    message_notify_urgent_later(message=message)
    return Received(message, True)


def messages_classify_pending(*, limit: int = 500) -> int:
    """Classify and route messages left unclassified (a failure at reception).
    Idempotent; safe to run twice at once (each row is updated conditionally)."""
    done = 0
    pending = Message.objects.filter(classified_at__isnull=True).select_related(
        "authority", "authority__territory", "category"
    )[:limit]
    for message in pending:
        _classify_and_route(message)
        if message.classified_at is None:
            continue
        updated = Message.objects.filter(
            pk=message.pk, classified_at__isnull=True
        ).update(
            topic=message.topic,
            intent=message.intent,
            sentiment=message.sentiment,
            urgency=message.urgency,
            level=message.level,
            abuse=message.abuse,
            confidences=message.confidences,
            classified_at=message.classified_at,
            service=message.service,
            due_at=message.due_at,
        )
        done += updated
        if updated:
            message_notify_urgent_later(message=message)
    return done


@functools.lru_cache(maxsize=8)
def _trained(model_id: int) -> Any:
    """One trained model, loaded once per process (a new training is a new id)."""
    from parvis.inbox.classify.model import loads

    payload = TrainedModel.objects.values_list("payload", flat=True).get(pk=model_id)
    return loads(bytes(payload))


def authority_model(*, authority: Any) -> Any:
    """The authority's latest trained model (messages_retrain), or None for the
    shipped one."""
    latest = (
        TrainedModel.objects.filter(authority=authority)
        .order_by("-trained_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return None if latest is None else _trained(latest)


def _classify_and_route(message: Message) -> None:
    """Labels, service and due date, in place, with the authority's own model
    when it has one. A failure leaves the message unclassified (defaults) rather
    than losing it."""
    from parvis.inbox.classify.classifier import classify

    authority = message.authority
    try:
        settings = inbox_settings_of(authority=authority)
        result = classify(
            message.text,
            model=authority_model(authority=authority),
            competences=settings.competences or None,
        )
    except Exception:
        logger.exception("message of authority %s: classification failed", authority.pk)
        return
    message.topic = result.topic
    message.intent = result.intent
    message.sentiment = result.sentiment
    message.urgency = result.urgency
    message.level = result.level
    message.abuse = result.abuse
    message.confidences = dict(result.confidences)
    if message.category is not None:
        # The citizen chose what the report is about: that wins over the model.
        message.topic = message.category.topic
    message.classified_at = timezone.now()
    _route(message)


def _route(message: Message) -> None:
    authority = message.authority
    message.service = routing.service_for(
        authority=authority, topic=message.topic, category=message.category
    )
    message.due_at = (
        None
        if message.abuse
        else routing.due_at(
            authority=authority,
            service=message.service,
            intent=message.intent,
            urgency=message.urgency,
            received_at=message.received_at,
        )
    )
