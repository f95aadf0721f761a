"""Answers from the inbox: through the network the message came from (a reply on the
network, by the channel's connector) or by e-mail (forms, Open311, e-mail), with
saved replies and, for sensitive answers, a validator's approval.

States of a Reply and who moves them:

    awaiting --approve--> queued --deliver--> sent
        \\--reject--> rejected       \\--> failed --retry--> queued

- Sending is a task (`delivery.reply_deliver`). It claims the reply with a conditional update
  (queued and not yet claimed: `sent_at` empty -> the claim time) before calling the
  network, so two tasks never send the same reply; every later write checks the claim.
- The connector gets the reply's idempotency key: Mastodon and Bluesky refuse a
  second post with it, so a send whose outcome is unknown may go again there; on the
  other networks an unknown outcome fails with a sentence asking to check the network
  before retrying (`delivery.replies_settle`, from the scheduler, handles claims
  left by a worker that died).
- A "slow down" leaves the reply queued and sends it again after the wait.
- On success the message gets its first response time (once) and the status
  "répondu": the response time is `first_response_at - received_at`.

Approval (decided here): a reply waits for a validator when it uses a saved reply
marked "à faire valider", or when an agent of a service answers an abusive message or
one outside the authority's competences (redirections and answers to insults speak
for the authority). Validators and administrators never wait: their reply counts as
approved by them. Editors (the communication team) answer the rest themselves.
"""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parvis.accounts.roles import Role
from parvis.connectors.base import Capability
from parvis.connectors.errors import ConnectorError
from parvis.inbox.models import Kind, Message, Reply, Status
from parvis.inbox.services import delivery
from parvis.inbox.services.delivery import EMAIL
from parvis.system.services import audit_record, notify

logger = logging.getLogger(__name__)

State = Reply.State
EMAIL_ORIGINS = frozenset({"form", "open311", "email"})
APPROVER_ROLES = frozenset({Role.VALIDATOR, Role.ADMIN})


# -- how a message is answered ------------------------------------------------------------
def reply_route(message: Message) -> str:
    """ "email", the network of the message's channel, or "" when Parvis cannot
    answer it (no e-mail given, account disconnected, network without answers)."""
    if message.origin in EMAIL_ORIGINS:
        return EMAIL if message.author_email else ""
    channel = message.channel
    if channel is None or not message.remote_id or not channel.can_publish:
        return ""
    if not network_supports(channel.network, Capability.REPLY):
        return ""
    return channel.network


def network_supports(network: str, capability: Capability) -> bool:
    """Whether the network's connector can do `capability` (no credentials, no HTTP)."""
    from parvis.connectors.registry import connector_class

    return capability in connector_class(network).capabilities


def reply_limit_problems(*, message: Message, text: str) -> list[str]:
    """What keeps `text` from going out as an answer to `message`, in French."""
    if not text.strip():
        return ["La réponse est vide."]
    route = reply_route(message)
    if route in ("", EMAIL):
        return []
    with delivery.connector_for(message.channel) as connector:
        return connector.reply_problems(text)


def role_of(*, user: Any, authority: Any) -> str:
    from parvis.accounts.models import Membership

    membership = Membership.objects.filter(user=user, authority=authority).first()
    return membership.role if membership else ""


def needs_approval(*, message: Message, actor: Any, saved_reply: Any = None) -> bool:
    role = role_of(user=actor, authority=message.authority)
    if role in APPROVER_ROLES:
        return False
    if saved_reply is not None and saved_reply.needs_approval:
        return True
    out_of_competence = message.level != message.authority.kind
    return role == Role.AGENT and (message.abuse or out_of_competence)


# -- writing, approving, sending ---------------------------------------------------------
def reply_send(
    *, message: Message, actor: Any, text: str, saved_reply: Any = None
) -> Reply:
    """Answer `message` with `text`: queued for sending, or waiting for a validator
    when sensitive (see the module docstring)."""
    text = text.strip()
    route = reply_route(message)
    if not route:
        raise ValidationError(
            "Parvis ne peut pas répondre à ce message : répondez directement sur le "
            "réseau, ou par téléphone si la personne a laissé un numéro."
        )
    if problems := reply_limit_problems(message=message, text=text):
        raise ValidationError(" ".join(problems))
    waits = needs_approval(message=message, actor=actor, saved_reply=saved_reply)
    role = role_of(user=actor, authority=message.authority)
    with transaction.atomic():
        reply = Reply.objects.create(
            message=message,
            text=text,
            via=route,
            state=State.AWAITING_APPROVAL if waits else State.QUEUED,
            author=actor,
            approved_by=actor if role in APPROVER_ROLES else None,
        )
        if message.status == Status.NEW:
            Message.objects.filter(pk=message.pk, status=Status.NEW).update(
                status=Status.IN_PROGRESS
            )
        audit_record(
            actor=actor,
            authority=message.authority,
            action="reply.submit" if waits else "reply.queue",
            summary=("Réponse soumise à validation" if waits else "Réponse envoyée")
            + f" ({_route_label(route)})",
            target=message,
        )
        if waits:
            notify(
                authority=message.authority,
                roles=[Role.VALIDATOR],
                message="Une réponse à un message attend votre validation.",
                url=_message_url(message),
            )
        else:
            delivery.reply_enqueue(reply.pk)
    return reply


def reply_approve(*, reply: Reply, actor: Any) -> None:
    with transaction.atomic():
        moved = Reply.objects.filter(pk=reply.pk, state=State.AWAITING_APPROVAL).update(
            state=State.QUEUED, approved_by=actor
        )
        if not moved:
            raise ValidationError("Cette réponse n'attend plus de validation.")
        audit_record(
            actor=actor,
            authority=reply.message.authority,
            action="reply.approve",
            summary="Réponse validée et envoyée",
            target=reply.message,
        )
        delivery.reply_enqueue(reply.pk)


def reply_reject(*, reply: Reply, actor: Any, reason: str) -> None:
    reason = reason.strip() or "Réponse refusée par la validation."
    with transaction.atomic():
        moved = Reply.objects.filter(pk=reply.pk, state=State.AWAITING_APPROVAL).update(
            state=State.REJECTED, approved_by=actor, error_message=reason
        )
        if not moved:
            raise ValidationError("Cette réponse n'attend plus de validation.")
        audit_record(
            actor=actor,
            authority=reply.message.authority,
            action="reply.reject",
            summary=f"Réponse refusée : {reason}"[:300],
            target=reply.message,
        )
        if reply.author is not None:
            notify(
                authority=reply.message.authority,
                users=[reply.author],
                message=f"Votre réponse a été refusée : {reason}"[:500],
                url=_message_url(reply.message),
            )


def reply_retry(*, reply: Reply, actor: Any) -> None:
    """A failed reply goes again (the team checked the network first when the
    failure said the outcome was unknown)."""
    with transaction.atomic():
        moved = Reply.objects.filter(pk=reply.pk, state=State.FAILED).update(
            state=State.QUEUED, sent_at=None, error_message=""
        )
        if not moved:
            raise ValidationError("Seule une réponse en échec peut être renvoyée.")
        audit_record(
            actor=actor,
            authority=reply.message.authority,
            action="reply.retry",
            summary="Nouvel envoi d'une réponse en échec",
            target=reply.message,
        )
        delivery.reply_enqueue(reply.pk)


def message_hide_on_network(*, message: Message, actor: Any) -> None:
    """Hide the comment on its network (abuse), where the connector can."""
    channel = message.channel
    if (
        channel is None
        or not message.remote_id
        or message.kind == Kind.DIRECT
        or not network_supports(channel.network, Capability.HIDE_COMMENT)
    ):
        raise ValidationError(
            "Ce réseau ne permet pas à Parvis de masquer ce message : masquez-le "
            "directement sur le réseau."
        )
    if message.hidden_on_network:
        return
    try:
        with delivery.connector_for(channel) as connector:
            connector.hide_comment(message.remote_id)
    except ConnectorError as error:
        logger.warning("message %s: hiding failed: %s", message.pk, error.message)
        raise ValidationError(
            f"{channel.get_network_display()} n'a pas masqué le message : "
            f"{error.message}"
        ) from error
    Message.objects.filter(pk=message.pk).update(hidden_on_network=True)
    message.hidden_on_network = True
    audit_record(
        actor=actor,
        authority=message.authority,
        action="message.hide",
        summary=f"Message masqué sur {channel.get_network_display()}",
        target=message,
    )


# -- helpers ---------------------------------------------------------------------------
def _route_label(route: str) -> str:
    return "par courriel" if route == EMAIL else f"sur {route}"


def _message_url(message: Message) -> str:
    from django.urls import reverse

    return reverse("replies:message", args=[message.authority.slug, message.pk])
