"""Visits of the authority's website brought by its links, as its web analytics
(Matomo, Google Analytics…) counted them, imported from a CSV export: the
attractivité campaigns are measured by the visits their `utm_campaign` brought."""

from django.db import models


class WebVisits(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="web_visits"
    )
    day = models.DateField()
    utm_campaign = models.CharField(max_length=200)
    utm_source = models.CharField(max_length=100, blank=True)
    visits = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "day", "utm_campaign", "utm_source"],
                name="web_visits_once_a_day",
            )
        ]
        indexes = [models.Index(fields=["authority", "utm_campaign", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.utm_campaign}/{self.utm_source}: {self.visits}"
