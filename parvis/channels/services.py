"""Writes of the channels app: connect, store credentials, track health and limits."""

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.db import transaction
from django.utils import timezone

from parvis.channels.crypto import decrypt_json, encrypt_json
from parvis.channels.models import Channel, ChannelStatus
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Connector,
    Credentials,
    MediaItem,
    RateLimitState,
)
from parvis.connectors.registry import connector_class
from parvis.connectors.safety import safe_http_url, user_address_client
from parvis.system.services import audit_record

logger = logging.getLogger(__name__)

EXPIRING_WITHIN = dt.timedelta(days=7)


def credentials_to_dict(credentials: Credentials) -> dict[str, Any]:
    return {
        "access_token": credentials.access_token,
        "account_id": credentials.account_id,
        "refresh_token": credentials.refresh_token,
        "expires_at": credentials.expires_at.isoformat()
        if credentials.expires_at
        else None,
        "base_url": credentials.base_url,
        "extra": dict(credentials.extra),
    }


def credentials_from_dict(data: dict[str, Any]) -> Credentials:
    expires_at = data.get("expires_at")
    return Credentials(
        access_token=data["access_token"],
        account_id=data.get("account_id", ""),
        refresh_token=data.get("refresh_token", ""),
        expires_at=dt.datetime.fromisoformat(expires_at) if expires_at else None,
        base_url=data.get("base_url", ""),
        extra=data.get("extra") or {},
    )


def channel_credentials(channel: Channel) -> Credentials:
    return credentials_from_dict(decrypt_json(channel.credentials_encrypted))


def channel_connector(channel: Channel, http: httpx.Client | None = None) -> Connector:
    """The connector of a channel. Without a client, one that refuses private
    addresses: instances and PDS addresses come from users or from their servers."""
    from parvis.channels.connect import app_client

    kwargs: dict[str, Any] = {}
    if channel.network == "instagram":
        # Instagram fetches the image itself, from a public address.
        kwargs["media_url_for"] = public_media_url
    if channel.network in {"x", "linkedin"}:
        # Their tokens are refreshed with the installation's registered application.
        kwargs["oauth_client"] = app_client(channel.network)
    return connector_class(channel.network)(
        channel_credentials(channel), http=http or user_address_client(), **kwargs
    )


def public_media_url(item: MediaItem) -> str:
    """Store the image under a name derived from its content and return its public
    address (the network downloads it from there)."""
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        item.mime_type, "bin"
    )
    name = f"public/{hashlib.sha256(item.content).hexdigest()}.{extension}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(item.content))
    return settings.SITE_URL + default_storage.url(name)


def _status_for(expires_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if expires_at is None:
        return ChannelStatus.OK
    if expires_at <= now:
        return ChannelStatus.RECONNECT
    if expires_at - now < EXPIRING_WITHIN:
        return ChannelStatus.EXPIRING
    return ChannelStatus.OK


@transaction.atomic
def channel_connect(
    *,
    authority: Any,
    network: str,
    credentials: Credentials,
    account: AccountInfo,
    actor: Any,
) -> Channel:
    """Create the channel of an account, or update it when it is reconnected. What
    `verify()` learnt (account id, the instance's length limit) is kept with the
    credentials so the connector uses it."""
    extra = dict(credentials.extra)
    if account.max_chars:
        extra["max_characters"] = str(account.max_chars)
    credentials = dataclasses.replace(
        credentials,
        account_id=credentials.account_id or account.account_id,
        extra=extra,
    )
    # Mastodon account ids are only unique on their instance.
    row_account_id = account.account_id
    if network == "mastodon" and credentials.base_url:
        row_account_id = (
            f"{account.account_id}@{urlsplit(credentials.base_url).hostname}"
        )
    channel, created = Channel.objects.select_for_update().get_or_create(
        authority=authority,
        network=network,
        account_id=row_account_id,
        defaults={"credentials_encrypted": ""},
    )
    channel.handle = account.handle
    channel.display_name = account.display_name
    channel.url = safe_http_url(account.url)
    channel.base_url = credentials.base_url
    channel.max_chars = account.max_chars
    channel.credentials_encrypted = encrypt_json(credentials_to_dict(credentials))
    channel.token_expires_at = credentials.expires_at
    channel.status = _status_for(credentials.expires_at)
    channel.last_error = ""
    channel.connected_by = actor
    channel.checked_at = timezone.now()
    channel.save()
    audit_record(
        actor=actor,
        authority=authority,
        action="channel.connect" if created else "channel.reconnect",
        summary=f"Compte {channel} {'connecté' if created else 'reconnecté'}",
        target=channel,
    )
    if Capability.WEBHOOKS in connector_class(network).capabilities:
        from parvis.channels.tasks import subscribe_channel_webhooks

        transaction.on_commit(
            functools.partial(subscribe_channel_webhooks.enqueue, channel.pk)
        )
    return channel


def channel_subscribe_webhooks(*, channel_id: int) -> str:
    """Subscribe the account to the installation's webhook (a Facebook Page's
    feed). A refusal changes nothing else: the inbox still reads the account at
    each poll; it is recorded for the team."""
    from parvis.connectors.errors import ConnectorError

    channel = Channel.objects.select_related("authority").get(pk=channel_id)
    try:
        with channel_connector(channel) as connector:
            connector.subscribe_webhooks()
    except ConnectorError as error:
        logger.warning(
            "Channel %s: webhook subscription refused: %s", channel.pk, error
        )
        audit_record(
            actor=None,
            authority=channel.authority,
            action="channel.webhooks_refused",
            summary=(
                f"Notifications immédiates de {channel} refusées par le réseau : "
                f"les commentaires sont lus à chaque relève. ({error})"
            ),
            target=channel,
        )
        return "refused"
    audit_record(
        actor=None,
        authority=channel.authority,
        action="channel.webhooks_subscribed",
        summary=f"Notifications immédiates de {channel} activées",
        target=channel,
    )
    return "subscribed"


def channel_store_credentials(*, channel: Channel, credentials: Credentials) -> None:
    """After a token refresh."""
    channel.credentials_encrypted = encrypt_json(credentials_to_dict(credentials))
    channel.token_expires_at = credentials.expires_at
    channel.status = _status_for(credentials.expires_at)
    channel.save(update_fields=["credentials_encrypted", "token_expires_at", "status"])


def channel_mark_reconnect(*, channel: Channel, reason: str) -> None:
    """The network refused the account's credentials. The first time, the team is
    told, with the number of publications that wait on this account: they fail at
    their time unless it is reconnected."""
    moved = (
        Channel.objects.filter(pk=channel.pk)
        .exclude(status=ChannelStatus.RECONNECT)
        .update(status=ChannelStatus.RECONNECT, last_error=reason[:2000])
    )
    channel.status = ChannelStatus.RECONNECT
    if not moved:
        return
    from django.urls import reverse

    from parvis.accounts.roles import Role
    from parvis.publishing.models import Publication, PublicationState
    from parvis.system.services import notify

    waiting = Publication.objects.filter(
        channel=channel,
        state__in=[PublicationState.PENDING, PublicationState.PAUSED],
    ).count()
    message = f"Le compte {channel} doit être reconnecté."
    if waiting:
        message += (
            f" {waiting} publication(s) programmée(s) sur ce compte échoueront si "
            "vous ne le reconnectez pas avant leur heure."
        )
    notify(
        authority=channel.authority,
        roles=[Role.EDITOR, Role.VALIDATOR, Role.ADMIN],
        message=message,
        url=reverse("channels:list", args=[channel.authority.slug]),
    )


def channel_note_rate_limit(
    *, channel: Channel, state: RateLimitState | None, retry_after: float | None = None
) -> None:
    """Remember until when the network asked us to wait on this account."""
    until = None
    if retry_after is not None:
        until = timezone.now() + dt.timedelta(seconds=retry_after)
    elif state is not None and state.remaining == 0 and state.reset_at is not None:
        until = state.reset_at
    if until is not None:
        Channel.objects.filter(pk=channel.pk).update(rate_limited_until=until)
        channel.rate_limited_until = until


@transaction.atomic
def channel_disconnect(*, channel: Channel, actor: Any) -> None:
    channel.status = ChannelStatus.DISCONNECTED
    channel.credentials_encrypted = encrypt_json({"access_token": ""})
    channel.save(update_fields=["status", "credentials_encrypted"])
    audit_record(
        actor=actor,
        authority=channel.authority,
        action="channel.disconnect",
        summary=f"Compte {channel} déconnecté",
        target=channel,
    )


REFRESH_WITHIN = dt.timedelta(days=3)


def channels_check_expiry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Refresh tokens about to expire where the network allows it; otherwise mark the
    channel expiring or to reconnect and warn the team when scheduled publications
    would fail. Idempotent: a team is warned once per channel and state."""
    from parvis.accounts.roles import Role
    from parvis.connectors.errors import ConnectorError, Unsupported
    from parvis.system.services import notify

    now = now or timezone.now()
    counts = {"refreshed": 0, "expiring": 0, "reconnect": 0}
    candidates = Channel.objects.filter(
        status__in=[ChannelStatus.OK, ChannelStatus.EXPIRING],
        token_expires_at__isnull=False,
        token_expires_at__lt=now + EXPIRING_WITHIN,
    ).select_related("authority")
    for channel in candidates:
        expires_at = channel.token_expires_at
        assert expires_at is not None  # filtered above
        if expires_at - now < REFRESH_WITHIN:
            try:
                with channel_connector(channel) as connector:
                    credentials = connector.refresh()
            except Unsupported:
                pass
            except ConnectorError as error:
                channel.last_error = error.message[:2000]
                channel.save(update_fields=["last_error"])
            else:
                channel_store_credentials(channel=channel, credentials=credentials)
                counts["refreshed"] += 1
                continue
        new_status = _status_for(channel.token_expires_at, now)
        if new_status == channel.status:
            continue
        Channel.objects.filter(pk=channel.pk).update(status=new_status)
        counts[new_status] = counts.get(new_status, 0) + 1
        pending = channel.publications.filter(
            state__in=["pending", "queued"], scheduled_at__gte=channel.token_expires_at
        ).count()
        expires = timezone.localtime(channel.token_expires_at).strftime("%d/%m/%Y")
        if new_status == ChannelStatus.RECONNECT:
            message = f"La connexion du compte {channel} a expiré : reconnectez-le."
        else:
            message = f"La connexion du compte {channel} expire le {expires} : reconnectez-le."
        if pending:
            message += f" {pending} publication(s) programmée(s) après cette date échoueraient."
        notify(
            authority=channel.authority,
            roles=[Role.EDITOR, Role.VALIDATOR, Role.ADMIN],
            message=message,
            url=f"/c/{channel.authority.slug}/canaux/",
        )
    return counts
