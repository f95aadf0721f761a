"""Operational records: heartbeats, the scheduler's claims, the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Last sign of life of a process kind ("worker", "scheduler")."""

    name = models.CharField(max_length=120, primary_key=True)
    beat_at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """One slot of a periodic job, claimed once: the unique constraint is the lock that
    keeps two schedulers from enqueueing the same slot twice."""

    job = models.CharField(max_length=80)
    slot = models.BigIntegerField(help_text="Seconds since the epoch / job interval.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    scheduler = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot"], name="scheduledrun_job_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} #{self.slot}"


class AuditEvent(models.Model):
    """Who did what, when, in which authority (append-only)."""

    authority = models.ForeignKey(
        "territory.Authority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("événement du journal")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "-created_at"])]

    def __str__(self) -> str:
        return self.summary


class Notification(models.Model):
    """An in-app notice for one person (also e-mailed when it matters)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    authority = models.ForeignKey(
        "territory.Authority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
