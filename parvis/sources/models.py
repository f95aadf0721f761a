"""Sources: the authority's website feeds, sitemaps and pages, and the articles read
from them.

An article that changes on the website becomes a new `Article` row (version + 1,
`previous` pointing to the row it replaces); exactly one row per canonical address is
`is_current`. The same content is never stored twice for one address.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("Flux RSS ou Atom")
    SITEMAP = "sitemap", _("Plan du site (sitemap XML)")
    PAGE = "page", _("Page unique")


class Source(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="sources"
    )
    kind = models.CharField(_("type"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("adresse"), max_length=1000)
    name = models.CharField(_("nom"), max_length=200, blank=True)
    is_active = models.BooleanField(_("suivie"), default=True)
    # Validators of the last answer, sent back for a conditional GET.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # French, for the team: what went wrong at the last check ("" when all went well),
    # and what the last check found.
    last_error = models.TextField(blank=True)
    last_result = models.TextField(blank=True)
    # Set when a check is enqueued, cleared when it ends: the scheduler does not
    # enqueue a source twice (see services.sources_enqueue_due).
    poll_enqueued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        ordering = ["name", "url"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "url"], name="source_authority_url"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.url

    @property
    def status(self) -> str:
        """paused | pending | failed | partial | ok (CSS state classes of the UI)."""
        if not self.is_active:
            return "paused"
        if self.last_checked_at is None:
            return "pending"
        if self.last_success_at != self.last_checked_at:
            return "failed"
        return "partial" if self.last_error else "ok"

    @property
    def status_label(self) -> str:
        return str(SOURCE_STATUS_LABELS[self.status])


SOURCE_STATUS_LABELS = {
    "paused": _("Suivi suspendu"),
    "pending": _("Première vérification en attente"),
    "failed": _("Échec de la dernière vérification"),
    "partial": _("Vérifiée, certaines pages illisibles"),
    "ok": _("À jour"),
}


class Article(models.Model):
    """One version of a page of the authority's website, as extracted."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="articles"
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    canonical_url = models.URLField(max_length=1000)
    url = models.URLField(max_length=1000)
    title = models.CharField(_("titre"), max_length=500)
    lead = models.TextField(_("chapô"), blank=True)
    text = models.TextField(_("texte"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    author = models.CharField(_("auteur"), max_length=300, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    image_alt = models.TextField(blank=True)
    image_caption = models.TextField(blank=True)
    language = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    is_current = models.BooleanField(default=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # The date the feed or sitemap gave for this page when it was read: a later date
    # there means the page may have changed and is read again.
    listed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        ordering = ["-published_at", "-fetched_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "canonical_url", "content_hash"],
                name="article_authority_canonical_hash",
            ),
            models.UniqueConstraint(
                fields=["authority", "canonical_url"],
                condition=models.Q(is_current=True),
                name="article_one_current_version",
            ),
        ]
        indexes = [
            models.Index(
                fields=["authority", "is_current", "-fetched_at"],
                name="article_current_recent",
            ),
            models.Index(fields=["authority", "url"], name="article_authority_url"),
        ]

    def __str__(self) -> str:
        return self.title
