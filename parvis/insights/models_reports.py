"""The monthly measurement report: who receives it, and each month's sending."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReportSettings(models.Model):
    """The addresses an authority's monthly report goes to (none: not sent)."""

    authority = models.OneToOneField(
        "territory.Authority",
        on_delete=models.CASCADE,
        related_name="monthly_report_settings",
    )
    recipients = models.JSONField(_("destinataires"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.authority_id}: {len(self.recipients)}"


class MonthlyReport(models.Model):
    """One month's report of one authority, sent once: the row is claimed before
    the e-mail goes, so two schedulers never send it twice."""

    class State(models.TextChoices):
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec de l'envoi")

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="monthly_reports"
    )
    month = models.DateField()  # its first day
    state = models.CharField(max_length=10, choices=State.choices)
    recipients = models.JSONField(default=list)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "month"], name="monthly_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.month:%Y-%m} {self.state}"
