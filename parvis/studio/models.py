"""Studio: editorial posts and their variants (one per channel and audience)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.studio.handles import handle_error
from parvis.territory.vocabularies import Network


class PostState(models.TextChoices):
    """The approval circuit (parvis/planning/services.py moves a post along it)."""

    DRAFT = "draft", _("Brouillon")
    IN_REVIEW = "in_review", _("En relecture")
    APPROVED = "approved", _("Approuvée")
    SCHEDULED = "scheduled", _("Programmée")
    PUBLISHED = "published", _("Publiée")
    FAILED = "failed", _("Échec de publication")


class Post(models.Model):
    """One editorial message. The source fields are a snapshot of what it was written
    from (an article, or a text typed in the studio): the checks compare the variants
    with it, even after the article changes on the website."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(_("titre interne"), max_length=200)
    state = models.CharField(
        _("état"), max_length=20, choices=PostState.choices, default=PostState.DRAFT
    )
    # Levels of the approval circuit passed in the current review (0 until the first
    # approval; back to 0 on submission, rejection or an edit).
    approval_level = models.PositiveSmallIntegerField(_("niveaux approuvés"), default=0)
    article = models.ForeignKey(
        "sources.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    source_title = models.CharField(_("titre de la source"), max_length=500, blank=True)
    source_lead = models.TextField(_("chapô de la source"), blank=True)
    source_text = models.TextField(_("texte de la source"), blank=True)
    source_url = models.URLField(_("adresse de la source"), max_length=1000, blank=True)
    source_image_url = models.URLField(max_length=1000, blank=True)
    source_image_alt = models.TextField(blank=True)
    # utm_campaign of the links; kept so that a variant regenerates with the same links.
    campaign_slug = models.SlugField(max_length=80, blank=True)
    campaign = models.ForeignKey(
        "planning.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("campagne"),
    )
    # The slot of the editorial calendar (aware, UTC); its publications go out then.
    planned_at = models.DateTimeField(_("date de publication"), null=True, blank=True)
    # An alert of crisis mode: never paused by it.
    is_crisis = models.BooleanField(_("message de crise"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication éditoriale")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "planned_at"])]

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
    # What the engine proposed, to tell the team's edits apart from it.
    generated_parts = models.JSONField(default=list, blank=True)
    # The last results of studio.checks.check_variant, as CheckResult.as_dict().
    checks = models.JSONField(default=dict, blank=True)
    # The text is a language model's proposal (studio/rewrite.py) that no one has saved
    # yet: it cannot be scheduled until a person reviews and saves it.
    rewritten_by_model = models.BooleanField(
        _("proposition de l'IA à relire"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variante")

    def __str__(self) -> str:
        return f"{self.post} — {self.get_network_display()}"

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)

    @property
    def is_edited(self) -> bool:
        return bool(self.generated_parts) and self.parts != self.generated_parts


class PartnerAccount(models.Model):
    """A partner of the authority (tourist office, association, neighbouring
    authority) and its account on one network: the engine names it by this account
    when the partner's name appears in a post."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="partner_accounts"
    )
    name = models.CharField(
        _("nom du partenaire"),
        max_length=200,
        help_text=_(
            "Tel qu'il est écrit dans les articles, par exemple « Office de tourisme "
            "de Saint-Malo »."
        ),
    )
    network = models.CharField(_("réseau"), max_length=20, choices=Network.choices)
    handle = models.CharField(_("compte"), max_length=120)

    class Meta:
        verbose_name = _("compte partenaire")
        ordering = ["name", "network"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "network", "name"],
                name="studio_partner_one_account_per_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"

    def clean(self) -> None:
        error = handle_error(self.network, self.handle)
        if error:
            raise ValidationError({"handle": error})
