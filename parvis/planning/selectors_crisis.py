"""Reads of crisis mode: the authority's active crisis and its history, the channels
an alert can go to and how its message fits each network, the alert's publications
with their pin status, and the publications paused or held."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils.translation import gettext as _

from parvis.connectors import text as textlib
from parvis.connectors.base import Capability, Connector, Draft
from parvis.connectors.registry import connector_class
from parvis.planning.models import Crisis
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post

# Audit actions recording the pin status of an alert publication (the last one wins).
PIN_ACTIONS = ("crisis.pin", "crisis.pin_failed", "crisis.unpin", "crisis.unpin_failed")


def active_crisis(*, authority: Any) -> Crisis | None:
    if authority is None:
        return None
    return (
        Crisis.objects.filter(authority=authority, ended_at__isnull=True)
        .select_related("started_by", "alert_post")
        .first()
    )


def past_crises(*, authority: Any) -> QuerySet[Crisis]:
    return Crisis.objects.filter(
        authority=authority, ended_at__isnull=False
    ).select_related("started_by", "ended_by")


def channel_takes_alert(channel: Any) -> bool:
    """An alert is text only: the channel must be usable and its network publish text
    (not Instagram, whose posts are images)."""
    capabilities = connector_class(channel.network).capabilities
    return channel.can_publish and Capability.PUBLISH_TEXT in capabilities


def alert_channels(*, authority: Any) -> list[Any]:
    from parvis.channels.models import Channel

    return [
        channel
        for channel in Channel.objects.filter(authority=authority).order_by(
            "network", "pk"
        )
        if channel_takes_alert(channel)
    ]


def channels_without_alert(*, authority: Any) -> list[tuple[Any, str]]:
    """The other channels of the authority, each with why the alert skips it."""
    from parvis.channels.models import Channel

    skipped = []
    for channel in Channel.objects.filter(authority=authority).order_by("network"):
        if channel_takes_alert(channel):
            continue
        if not channel.can_publish:
            reason = _("compte à reconnecter dans « Canaux »")
        else:
            reason = _("ce réseau ne publie pas de texte seul (une image est requise)")
        skipped.append((channel, reason))
    return skipped


def pins_supported(network: str) -> bool:
    return Capability.PIN in connector_class(network).capabilities


@dataclass(frozen=True)
class AlertText:
    """The alert message as it goes out on one network (all its chosen channels)."""

    network: str
    label: str
    parts: list[str]
    count: int  # the whole message, counted the network's way
    max_chars: int
    pins: bool
    problem: str = ""  # French; the alert cannot go out on this network as it is

    @property
    def is_thread(self) -> bool:
        return len(self.parts) > 1


def alert_texts(*, message: str, channels: Iterable[Any]) -> list[AlertText]:
    """The message fitted to each network of `channels`: as it is when it fits, cut
    into a numbered thread when it is too long and the network has threads, else
    with the reason it cannot go (naming the network and its limit). Channels of one
    network share the text: it must fit the strictest of them (Mastodon instances
    set their own limits)."""
    from parvis.channels.services import channel_connector
    from parvis.connectors.safety import user_address_client

    by_network: dict[str, list[Any]] = {}
    for channel in channels:
        by_network.setdefault(channel.network, []).append(channel)
    texts = []
    # The connectors only count here: the client is never used for a request.
    with user_address_client() as http:
        for network, group in by_network.items():
            connectors = [channel_connector(channel, http=http) for channel in group]
            texts.append(_fit(message.strip(), network, connectors))
    return texts


def _fit(message: str, network: str, connectors: Sequence[Connector]) -> AlertText:
    first = connectors[0]
    max_chars = min(connector.max_chars() for connector in connectors)

    def count(text: str) -> int:
        return max(connector.count(text) for connector in connectors)

    def problems(parts: list[str]) -> list[str]:
        draft = Draft(parts=tuple(parts), idempotency_key="alerte")
        found: list[str] = []
        for connector in connectors:
            found.extend(p for p in connector.problems(draft) if p not in found)
        return found

    parts = [message]
    threads = all(c.supports(Capability.THREADS) for c in connectors)
    if message and count(message) > max_chars and threads:
        try:
            parts = textlib.split_thread(message, max_chars=max_chars, count=count)
        except ValueError:
            parts = [message]
    remaining = problems(parts)
    problem = ""
    if remaining:
        problem = _(
            "%(network)s : %(problems)s Raccourcissez le message ou décochez ce canal."
        ) % {"network": first.label, "problems": " ".join(remaining)}
    return AlertText(
        network=network,
        label=first.label,
        parts=parts,
        count=count(message),
        max_chars=max_chars,
        pins=Capability.PIN in first.capabilities,
        problem=problem,
    )


@dataclass(frozen=True)
class AlertPublication:
    publication: Publication
    pins: bool  # the network lets Parvis pin it
    pin_action: str  # the last of PIN_ACTIONS recorded, "" when none
    pin_detail: str  # what was recorded, in French

    @property
    def pin_failed(self) -> bool:
        return self.pin_action.endswith("_failed")


def alert_publications(*, crisis: Crisis) -> list[AlertPublication]:
    """The alert's publications with their pin status (two queries)."""
    from parvis.system.models import AuditEvent

    if crisis.alert_post_id is None:
        return []
    publications = list(
        Publication.objects.filter(variant__post_id=crisis.alert_post_id)
        .select_related("channel")
        .order_by("channel__network", "pk")
    )
    last: dict[str, AuditEvent] = {}
    for event in AuditEvent.objects.filter(
        target_type="publishing.publication",
        target_id__in=[str(p.pk) for p in publications],
        action__in=PIN_ACTIONS,
    ).order_by("created_at", "pk"):
        last[event.target_id] = event
    rows = []
    for publication in publications:
        found = last.get(str(publication.pk))
        rows.append(
            AlertPublication(
                publication=publication,
                pins=pins_supported(publication.channel.network),
                pin_action=found.action if found else "",
                pin_detail=found.summary if found else "",
            )
        )
    return rows


def last_pin_action(*, publication: Publication) -> str:
    from parvis.system.models import AuditEvent

    event = (
        AuditEvent.objects.filter(
            target_type="publishing.publication",
            target_id=str(publication.pk),
            action__in=PIN_ACTIONS,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.action if event else ""


def paused_count(*, authority: Any) -> int:
    return Publication.objects.filter(
        authority=authority, state=PublicationState.PAUSED
    ).count()


def held_posts(*, authority: Any) -> QuerySet[Post]:
    """Posts with publications still paused (a crisis lifted with "hold"), to be
    rescheduled one by one: their earliest planned time and how many are paused."""
    return (
        Post.objects.filter(
            authority=authority,
            variants__publications__state=PublicationState.PAUSED,
        )
        .annotate(
            paused=Count("variants__publications"),
            first_at=Min("variants__publications__scheduled_at"),
        )
        .order_by("first_at", "pk")
    )
