"""The crisis tests' world: the commune's connected channels and its programme of
publications in every state, times given in Paris local time."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus
from parvis.channels.services import channel_connect
from parvis.connectors.base import AccountInfo, Credentials
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post, PostState, Variant

PARIS = ZoneInfo("Europe/Paris")
ALERT = (
    "Crue de la Rance : la digue de Saint-Servan est fermée jusqu'à nouvel ordre. "
    "Évitez le quai Sébastopol et suivez les consignes des secours."
)


def paris(*args: int) -> dt.datetime:
    """The UTC instant of a Paris wall-clock time: paris(2026, 10, 25, 9, 0)."""
    return dt.datetime(*args, tzinfo=PARIS).astimezone(dt.UTC)


def connect(authority, network: str, handle: str, actor, **extra: str) -> Channel:
    return channel_connect(
        authority=authority,
        network=network,
        credentials=Credentials(
            access_token="jeton",
            account_id=f"{network}-{handle}",
            base_url="https://social.saint-malo.fr" if network == "mastodon" else "",
            extra=extra,
        ),
        account=AccountInfo(account_id=f"{network}-{handle}", handle=handle),
        actor=actor,
    )


def scheduled(
    authority,
    channel: Channel,
    at: dt.datetime,
    *,
    state: str = PublicationState.PENDING,
    title: str = "Marché de Noël",
    is_crisis: bool = False,
) -> Publication:
    """A post handed to publishing at `at`, its publication in `state`."""
    post = Post.objects.create(
        authority=authority,
        title=title,
        state=PostState.SCHEDULED,
        planned_at=at,
        is_crisis=is_crisis,
    )
    variant = Variant.objects.create(
        post=post, network=channel.network, parts=[f"{title} : tout le programme."]
    )
    return Publication.objects.create(
        authority=authority,
        variant=variant,
        channel=channel,
        state=state,
        scheduled_at=at,
        next_attempt_at=at,
        state_changed_at=timezone.now(),
    )


def connected_channels(commune, admin_user) -> dict[str, Channel]:
    """Mastodon and Bluesky take the alert; Instagram (images only) and an X
    account to reconnect do not."""
    mastodon = connect(commune, "mastodon", "@ville@social.saint-malo.fr", admin_user)
    bluesky = connect(commune, "bluesky", "saint-malo.fr", admin_user)
    instagram = connect(commune, "instagram", "villedesaintmalo", admin_user)
    x = connect(commune, "x", "@VilleStMalo", admin_user)
    Channel.objects.filter(pk=x.pk).update(status=ChannelStatus.RECONNECT)
    return {"mastodon": mastodon, "bluesky": bluesky, "instagram": instagram, "x": x}
