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
