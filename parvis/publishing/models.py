"""Publishing: one Publication per (variant, channel), published exactly once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    PENDING = "pending", _("Programmée")
    QUEUED = "queued", _("En file d'attente")
    PUBLISHING = "publishing", _("Publication en cours")
    PUBLISHED = "published", _("Publiée")
    FAILED = "failed", _("Échec")
    UNKNOWN = "unknown", _("Résultat incertain, vérification en cours")
    CANCELLED = "cancelled", _("Annulée")
    PAUSED = "paused", _("Suspendue (mode crise)")
    DELETED = "deleted", _("Retirée du réseau")


class Publication(models.Model):
    """State is written before every remote call; see publishing/engine.py."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="publications"
    )
    variant = models.ForeignKey(
        "studio.Variant", on_delete=models.PROTECT, related_name="publications"
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="publications"
    )
    state = models.CharField(
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.PENDING,
    )
    scheduled_at = models.DateTimeField()
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=120, blank=True)  # worker process
    sent_at = models.DateTimeField(null=True, blank=True)  # last claim, before sending
    next_attempt_at = models.DateTimeField()
    state_changed_at = models.DateTimeField()
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_parts = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)  # French, for people
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publication")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "channel"], name="publication_variant_channel"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["authority", "scheduled_at"]),
            models.Index(fields=["channel", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.channel} ({self.state})"


class Attempt(models.Model):
    """One try at the network (publish or reconcile), for the publication's history."""

    class Outcome(models.TextChoices):
        PUBLISHED = "published", _("Publiée")
        RETRY = "retry", _("Nouvel essai prévu")
        FAILED = "failed", _("Échec définitif")
        UNKNOWN = "unknown", _("Résultat incertain")
        FOUND = "found", _("Retrouvée sur le réseau")
        NOT_FOUND = "not_found", _("Absente du réseau")
        DEFERRED = "deferred", _("Reportée (limite du réseau)")

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attempt_log"
    )
    kind = models.CharField(max_length=12, default="publish")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    error_class = models.CharField(max_length=60, blank=True)
    message = models.TextField(blank=True)  # French
    detail = models.TextField(blank=True)  # the network's own words, for the logs

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind} {self.outcome}"


class Milestone(models.TextChoices):
    """When a publication's counters are read, after it went out."""

    HOUR = "1h", _("1 heure")
    DAY = "24h", _("24 heures")
    WEEK = "7d", _("7 jours")
    MONTH = "30d", _("30 jours")
    EXTRA = "", _("Lecture ponctuelle")


class MetricSnapshot(models.Model):
    """The counters of one publication as the network gave them at one time: empty
    (None) where it does not give them, never 0. One snapshot per milestone; a
    milestone the network could not be read for is a snapshot with every counter
    empty and the reason in `error` (English), so gaps and errors show."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="metrics"
    )
    collected_at = models.DateTimeField()
    milestone = models.CharField(
        max_length=3, choices=Milestone.choices, blank=True, default=""
    )
    impressions = models.PositiveIntegerField(null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)
    clicks = models.PositiveIntegerField(null=True, blank=True)
    video_views = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)  # English, why the counters are missing

    class Meta:
        ordering = ["collected_at", "id"]
        indexes = [
            models.Index(fields=["publication", "collected_at"]),
            # The failed readings of a period, shown on the dashboard: few rows.
            models.Index(
                fields=["collected_at"],
                condition=~models.Q(error=""),
                name="metricsnapshot_failed",
            ),
        ]
        constraints = [
            # A milestone is taken once, whoever reads it (two collectors at once).
            models.UniqueConstraint(
                fields=["publication", "milestone"],
                condition=~models.Q(milestone=""),
                name="metricsnapshot_publication_milestone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.collected_at:%Y-%m-%d %H:%M}"

    @property
    def engagement(self) -> int:
        """Reactions, comments, shares and clicks together."""
        return sum(
            value or 0
            for value in (self.reactions, self.comments, self.shares, self.clicks)
        )


class ArchiveEntry(models.Model):
    """Our own copy of what was published (public archive): kept as it went out,
    even if the post, the variant or the channel changes or goes away later."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="archive"
    )
    publication = models.OneToOneField(
        Publication, on_delete=models.SET_NULL, null=True, related_name="archive_entry"
    )
    network = models.CharField(max_length=20)
    channel_name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    parts = models.JSONField(default=list)
    link = models.URLField(max_length=1000, blank=True)
    image = models.ImageField(upload_to="archive/", blank=True)
    image_alt = models.TextField(blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    campaign_name = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("archive publique")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["authority", "published_at"])]

    def __str__(self) -> str:
        return f"{self.channel_name} {self.published_at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)
