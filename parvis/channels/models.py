"""Channels: the authority's connected accounts on the networks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.territory.vocabularies import Network


class ChannelStatus(models.TextChoices):
    OK = "ok", _("Connecté")
    EXPIRING = "expiring", _("Connexion bientôt expirée")
    RECONNECT = "reconnect", _("Reconnexion nécessaire")
    DISCONNECTED = "disconnected", _("Déconnecté")


class Channel(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="channels"
    )
    network = models.CharField(max_length=20, choices=Network.choices)
    account_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    base_url = models.URLField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.OK
    )
    credentials_encrypted = models.TextField()
    token_expires_at = models.DateTimeField(null=True, blank=True)
    max_chars = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    rate_limited_until = models.DateTimeField(null=True, blank=True)
    # The publishing batch of this channel: when it was enqueued, which worker runs it.
    batch_enqueued_at = models.DateTimeField(null=True, blank=True)
    batch_worker = models.CharField(max_length=120, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("canal")
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "network", "account_id"],
                name="channel_authority_network_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    @property
    def can_publish(self) -> bool:
        return self.status in {ChannelStatus.OK, ChannelStatus.EXPIRING}


class FollowerSnapshot(models.Model):
    """How many accounts followed a channel, read once a day (the authority's day).
    A day the network could not be read for has `followers` empty and the reason in
    `error` (English); a day nobody read has no row."""

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="follower_snapshots"
    )
    day = models.DateField()  # in the authority's timezone
    collected_at = models.DateTimeField()
    followers = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["collected_at", "id"]
        indexes = [models.Index(fields=["channel", "collected_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "day"], name="followersnapshot_channel_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.day}: {self.followers}"


class MastodonApp(models.Model):
    """Parvis registered as an application on one Mastodon instance (once per
    instance, shared by every authority connecting an account there)."""

    instance_url = models.URLField(max_length=300, unique=True)
    client_id = models.CharField(max_length=200)
    client_secret_encrypted = models.TextField()
    redirect_uri = models.URLField(max_length=300)
    # The scopes it was registered with: an instance refuses to authorise more, so
    # the application is registered again when the connector needs new ones.
    scopes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.instance_url
