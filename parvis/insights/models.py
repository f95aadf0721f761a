"""Measurement records: sponsored boosts, and the observatory files the barometer
reads for authorities that do not publish with Parvis."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.system.storage import private_storage


class Boost(models.Model):
    """Money spent to show a post to more people (a sponsored post, an ad built from
    it), with its results as the ad platform reported them: entered by hand or
    imported from the platform's CSV export (`external_id` then dedupes)."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("saisie")
        IMPORT = "import", _("import")

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="boosts"
    )
    publication = models.ForeignKey(
        "publishing.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="boosts",
    )
    network = models.CharField(_("réseau"), max_length=20)
    name = models.CharField(_("nom"), max_length=300, blank=True)
    target = models.TextField(_("cible"), blank=True)
    audience = models.ForeignKey(
        "territory.Audience",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="boosts",
        verbose_name=_("public visé"),
    )
    budget = models.DecimalField(_("budget (€)"), max_digits=10, decimal_places=2)
    spent = models.DecimalField(
        _("dépensé (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    reach = models.PositiveIntegerField(_("portée"), null=True, blank=True)
    impressions = models.PositiveIntegerField(_("impressions"), null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clics"), null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    external_id = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "network", "external_id"],
                condition=~models.Q(external_id=""),
                name="boost_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="boost_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["authority", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.network} {self.starts_on} {self.budget} €"

    @property
    def cost(self) -> Decimal:
        """What it cost: the amount spent when reported, else the budget."""
        return self.spent if self.spent is not None else self.budget


class ObservatoryImport(models.Model):
    """One observatory file given to the barometer, read by the worker."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours de lecture")
        DONE = "done", _("lu")
        FAILED = "failed", _("illisible")

    file = models.FileField(
        upload_to="observatory/", storage=private_storage, blank=True
    )
    file_name = models.CharField(max_length=300)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    rows = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"


class ObservedAuthority(models.Model):
    """The indicators of one authority read from an observatory file."""

    observatory_import = models.ForeignKey(
        ObservatoryImport, on_delete=models.CASCADE, related_name="authorities"
    )
    kind = models.CharField(max_length=12)
    code = models.CharField(max_length=20)
    band = models.CharField(max_length=30, blank=True)
    present = models.JSONField(default=list)
    posts = models.PositiveIntegerField()
    republished_posts = models.PositiveIntegerField()
    sponsors = models.BooleanField()
    organic_reach_rate = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["observatory_import", "kind", "code"],
                name="observed_authority_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


from parvis.insights.models_reports import MonthlyReport, MonthlyReportSettings  # noqa: E402
from parvis.insights.models_web import WebVisits  # noqa: E402

__all__ = [
    "Boost",
    "MonthlyReport",
    "MonthlyReportSettings",
    "ObservatoryImport",
    "ObservedAuthority",
    "WebVisits",
]
