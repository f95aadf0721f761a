"""Studio: editorial posts and their variants (one per channel and audience)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.territory.vocabularies import Network


class Post(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(_("titre interne"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication éditoriale")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Variant(models.Model):
    """The text (one part, or several for a thread) and media of a post for one
    network and, optionally, one audience."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    network = models.CharField(max_length=20, choices=Network.choices)
    audience = models.ForeignKey(
        "territory.Audience",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parts = models.JSONField(default=list)
    link = models.URLField(max_length=1000, blank=True)
    image = models.ImageField(upload_to="variants/", blank=True)
    image_alt = models.TextField(blank=True)
    first_comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variante")

    def __str__(self) -> str:
        return f"{self.post} — {self.get_network_display()}"

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)
