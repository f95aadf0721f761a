"""Reads for answering: a reply or a saved reply within a member's reach, the saved
replies offered for a message, and what the reply panel of a message shows."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from parvis.accounts.roles import Role
from parvis.connectors.base import Capability
from parvis.inbox.models import Kind, Message, Reply, SavedReply
from parvis.inbox.selectors import Viewer, access_message
from parvis.inbox.services import delivery
from parvis.inbox.services.replies import (
    EMAIL,
    needs_approval,
    network_supports,
    reply_route,
)

# Who approves sensitive replies, who hides comments and keeps the saved replies.
APPROVE_ROLES = frozenset({Role.VALIDATOR, Role.ADMIN})
MODERATE_ROLES = frozenset({Role.EDITOR, Role.VALIDATOR, Role.ADMIN})


def access_reply(*, viewer: Viewer, reply_id: Any) -> Reply:
    """A reply to a message the viewer may see, or 404."""
    try:
        reply = Reply.objects.select_related("author").get(
            pk=int(reply_id), message__authority=viewer.authority
        )
    except (Reply.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such reply") from exc
    reply.message = access_message(viewer=viewer, message_id=reply.message_id)
    return reply


def access_saved_reply(*, authority: Any, saved_reply_id: Any) -> SavedReply:
    try:
        return SavedReply.objects.get(pk=int(saved_reply_id), authority=authority)
    except (SavedReply.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such saved reply") from exc


def saved_replies_for(*, authority: Any, message: Message | None = None) -> QuerySet:
    """The authority's saved replies; for a message, those of its topic and intent
    first."""
    replies = SavedReply.objects.filter(authority=authority)
    if message is None:
        return replies.order_by("title")
    fits = Case(
        When(Q(topic=message.topic) & Q(intent=message.intent), then=Value(0)),
        When(Q(topic=message.topic) | Q(intent=message.intent), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return replies.annotate(fit=fits).order_by("fit", "title")


@dataclass(frozen=True)
class ReplyPanel:
    """What the reply form of one message offers to one member."""

    route: str  # "email", a network, or "" (Parvis cannot answer it)
    route_label: str
    max_chars: int | None  # the network's limit for an answer; None by e-mail
    can_reply: bool
    can_hide: bool
    waits_for_approval: bool


def reply_panel(
    *, viewer: Viewer, message: Message, saved_reply: SavedReply | None = None
) -> ReplyPanel:
    route = reply_route(message)
    max_chars = None
    if route and route != EMAIL and message.channel is not None:
        with delivery.connector_for(message.channel) as connector:
            max_chars = connector.reply_max_chars()
    channel = message.channel
    can_hide = (
        viewer.role in MODERATE_ROLES
        and channel is not None
        and bool(message.remote_id)
        and message.kind != Kind.DIRECT
        and not message.hidden_on_network
        and network_supports(channel.network, Capability.HIDE_COMMENT)
    )
    return ReplyPanel(
        route=route,
        route_label=_route_label(route, message),
        max_chars=max_chars,
        can_reply=viewer.can_handle and bool(route),
        can_hide=can_hide,
        waits_for_approval=bool(route)
        and needs_approval(message=message, actor=viewer.user, saved_reply=saved_reply),
    )


def reply_count(*, message: Message, text: str) -> tuple[int, int | None]:
    """The length of `text` as the message's network counts it, and its limit."""
    route = reply_route(message)
    if route in ("", EMAIL) or message.channel is None:
        return len(text), None
    with delivery.connector_for(message.channel) as connector:
        return connector.count(text), connector.reply_max_chars()


def _route_label(route: str, message: Message) -> str:
    if route == EMAIL:
        return f"par courriel à {message.author_email}"
    if route and message.channel is not None:
        channel = message.channel
        return f"sur {channel.get_network_display()}, au nom de {channel.handle}"
    return ""
