"""Sending one reply (the `send_reply` task) and the scheduler's sweep of replies
left behind. See replies.py for the states and the rules: a reply is claimed before
the network is called and never sent twice."""

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from parvis.connectors.base import Connector
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Unavailable,
)
from parvis.inbox.models import Kind, Message, Reply, Status
from parvis.inbox.services.intake import receipt_number

logger = logging.getLogger(__name__)

State = Reply.State
EMAIL = "email"
# A claim older than this belongs to a worker that died mid-send.
CLAIM_STALE_AFTER = dt.timedelta(minutes=15)
# A queued reply nobody claimed for this long lost its task: it is enqueued again.
QUEUED_LOST_AFTER = dt.timedelta(minutes=10)


def connector_for(channel: Any) -> Connector:
    """The channel's connector (a seam for tests)."""
    from parvis.channels.services import channel_connector

    return channel_connector(channel)


def reply_deliver(*, reply_id: int, now: dt.datetime | None = None) -> str:
    """Send one queued reply, once. Returns what happened (for the task log)."""
    claimed_at = now or timezone.now()
    claimed = Reply.objects.filter(
        pk=reply_id, state=State.QUEUED, sent_at__isnull=True
    ).update(sent_at=claimed_at)
    if not claimed:
        return "skipped"  # sent, being sent, or no longer queued
    reply = Reply.objects.select_related(
        "message", "message__authority", "message__channel", "message__service"
    ).get(pk=reply_id)
    mine = Reply.objects.filter(pk=reply_id, state=State.QUEUED, sent_at=claimed_at)
    try:
        remote_id, remote_url = _send(reply)
    except RateLimited as error:
        wait = error.retry_after or 60.0
        mine.update(sent_at=None)
        transaction.on_commit(partial(_enqueue_later, reply_id, wait))
        return "deferred"
    except ConnectorError as error:
        if isinstance(error, AuthExpired) and reply.message.channel is not None:
            from parvis.channels.services import channel_mark_reconnect

            channel_mark_reconnect(channel=reply.message.channel, reason=error.message)
        mine.update(state=State.FAILED, error_message=_explain(reply, error))
        return "failed"
    except Exception as error:  # the mail server refused, or the network library
        logger.exception("reply %s: sending failed", reply_id)
        mine.update(state=State.FAILED, error_message=_explain_other(reply, error))
        return "failed"
    sent_at = timezone.now()
    if not mine.update(
        state=State.SENT,
        remote_id=remote_id[:300],
        remote_url=remote_url[:500],
        sent_at=sent_at,
    ):
        return "superseded"
    message = reply.message
    Message.objects.filter(pk=message.pk, first_response_at__isnull=True).update(
        first_response_at=sent_at
    )
    Message.objects.filter(pk=message.pk).exclude(status=Status.CLOSED).update(
        status=Status.ANSWERED
    )
    return "sent"


def replies_settle(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The scheduler's sweep: queued replies whose task was lost are enqueued again;
    a claim left by a worker that died is released where the network refuses a
    second post with the same key (Mastodon, Bluesky), else failed with a sentence
    asking the team to check the network first. Safe to run twice at once."""
    now = now or timezone.now()
    counts = {"requeued": 0, "released": 0, "failed": 0}
    lost = Reply.objects.filter(
        state=State.QUEUED,
        sent_at__isnull=True,
        created_at__lt=now - QUEUED_LOST_AFTER,
    ).values_list("pk", flat=True)
    for reply_id in lost:
        reply_enqueue(reply_id)
        counts["requeued"] += 1
    stale = Reply.objects.filter(
        state=State.QUEUED, sent_at__lt=now - CLAIM_STALE_AFTER
    ).select_related("message__channel")
    for reply in stale:
        claim = Reply.objects.filter(
            pk=reply.pk, state=State.QUEUED, sent_at=reply.sent_at
        )
        if _retry_is_harmless(reply):
            if claim.update(sent_at=None):
                reply_enqueue(reply.pk)
                counts["released"] += 1
        elif claim.update(state=State.FAILED, error_message=_unknown_outcome(reply)):
            counts["failed"] += 1
    return counts


# -- helpers ---------------------------------------------------------------------------
# -- helpers -------------------------------------------------------------------------------
def _send(reply: Reply) -> tuple[str, str]:
    message = reply.message
    if reply.via == EMAIL:
        _send_email(reply)
        return "", ""
    channel = message.channel
    if channel is None:
        raise ConnectorError("the message's channel is gone")
    with connector_for(channel) as connector:
        part = connector.reply(
            _target(message, connector),
            reply.text,
            idempotency_key=str(reply.idempotency_key),
            mention=message.author_handle,
            direct=message.kind == Kind.DIRECT,
        )
    return part.remote_id, part.url


def _target(message: Message, connector: Connector) -> str:
    """Where the answer goes: the message itself, or, where comments nest one level,
    the top-level comment a reply belongs to."""
    parent = message.in_reply_to_remote_id
    if connector.replies_nest_once and parent and parent != message.thread_key:
        return parent
    return message.remote_id


def _send_email(reply: Reply) -> None:
    message = reply.message
    authority = message.authority
    number = receipt_number(message.public_id)
    body = (
        f"{reply.text}\n\n"
        f"—\n{authority.name}\n"
        f"Votre message du {timezone.localtime(message.received_at, _zone(authority)):%d/%m/%Y} "
        f"porte le numéro de suivi {number}.\n"
        "Merci de rappeler ce numéro si vous nous écrivez à ce sujet."
    )
    service_email = message.service.email if message.service else ""
    EmailMessage(
        subject=f"Réponse à votre message n° {number} — {authority.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.author_email],
        reply_to=[service_email] if service_email else None,
    ).send()


def reply_enqueue(reply_id: int) -> None:
    """Enqueue the sending of a reply once the transaction commits."""
    from parvis.inbox.tasks import send_reply

    transaction.on_commit(partial(send_reply.enqueue, reply_id))


def _enqueue_later(reply_id: int, seconds: float) -> None:
    from parvis.inbox.tasks import send_reply

    run_after = timezone.now() + dt.timedelta(seconds=seconds)
    send_reply.using(run_after=run_after).enqueue(reply_id)


def _retry_is_harmless(reply: Reply) -> bool:
    if reply.via == EMAIL or reply.message.channel is None:
        return False
    from parvis.connectors.registry import connector_class

    cls = connector_class(reply.message.channel.network)
    window = cls.idempotency_window
    within = window is None or (
        reply.sent_at is not None and timezone.now() - reply.sent_at < window
    )
    return cls.honours_idempotency_key and within


def _explain(reply: Reply, error: ConnectorError) -> str:
    network = (
        reply.message.channel.get_network_display() if reply.message.channel else ""
    )
    if isinstance(error, AuthExpired):
        return (
            f"La connexion au compte {network} a expiré ou a été révoquée : "
            "reconnectez-le dans « Canaux », puis renvoyez la réponse."
        )
    if isinstance(error, Unavailable) and error.maybe_sent:
        return _unknown_outcome(reply)
    if isinstance(error, Unavailable):
        return (
            f"{network} ne répond pas pour le moment : renvoyez la réponse plus tard."
        )
    return f"{network} a refusé la réponse : « {error.message or 'aucune précision'} »."


def _explain_other(reply: Reply, error: Exception) -> str:
    if reply.via == EMAIL:
        return (
            "Le courriel n'a pas pu partir (serveur de messagerie indisponible ou "
            "adresse refusée) : renvoyez-le plus tard."
        )
    return f"Envoi impossible ({type(error).__name__}) : renvoyez la réponse plus tard."


def _unknown_outcome(reply: Reply) -> str:
    if reply.via == EMAIL:
        return (
            "L'envoi du courriel a été interrompu : il est peut-être parti. Vérifiez "
            "avec la personne avant de le renvoyer."
        )
    network = (
        reply.message.channel.get_network_display() if reply.message.channel else ""
    )
    return (
        f"{network} n'a pas confirmé l'envoi : vérifiez sur le réseau si la réponse "
        "a été publiée avant de la renvoyer."
    )


def _zone(authority: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(authority.timezone or "Europe/Paris")
