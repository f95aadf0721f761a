"""Planning: the approval circuit of an authority and the history of each post in it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.accounts.roles import Role

DEFAULT_FIRST_LEVEL_ROLES = [Role.VALIDATOR.value]
DEFAULT_SECOND_LEVEL_ROLES = [Role.ELECTED.value]


def default_first_level_roles() -> list[str]:
    return list(DEFAULT_FIRST_LEVEL_ROLES)


def default_second_level_roles() -> list[str]:
    return list(DEFAULT_SECOND_LEVEL_ROLES)


class ApprovalPolicy(models.Model):
    """Who approves the posts of an authority: one level (the validators, by default)
    or two (then, by default, an elected member second). Administrators can always
    approve; an authority without a saved policy uses the defaults."""

    class Levels(models.IntegerChoices):
        ONE = 1, _("Un niveau de validation")
        TWO = 2, _("Deux niveaux de validation")

    authority = models.OneToOneField(
        "territory.Authority", on_delete=models.CASCADE, related_name="approval_policy"
    )
    levels = models.PositiveSmallIntegerField(
        _("niveaux de validation"), choices=Levels.choices, default=Levels.ONE
    )
    first_level_roles = models.JSONField(
        _("rôles du premier niveau"), default=default_first_level_roles
    )
    second_level_roles = models.JSONField(
        _("rôles du second niveau"), default=default_second_level_roles
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("circuit de validation")

    def __str__(self) -> str:
        return f"{self.authority} ({self.levels})"

    def roles_for_level(self, level: int) -> frozenset[str]:
        """Roles that approve `level` (1 or 2); administrators are added by the
        services, not stored."""
        roles = self.first_level_roles if level == 1 else self.second_level_roles
        return frozenset(roles)


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Soumise à validation")
    APPROVE = "approve", _("Approuvée")
    REJECT = "reject", _("Refusée")
    BACK_TO_DRAFT = "back_to_draft", _("Remise en brouillon")
    REOPEN = "reopen", _("Modifiée après validation : à revalider")
    URGENT = "urgent", _("Approuvée et publiée en urgence")
    SCHEDULE = "schedule", _("Programmée")
    UNSCHEDULE = "unschedule", _("Déprogrammée")


class ReviewEvent(models.Model):
    """One step of a post in the approval circuit (append-only): who, when, the
    comment, the text of every variant at that moment, and the unified diff of that
    text since the last approval."""

    post = models.ForeignKey(
        "studio.Post", on_delete=models.CASCADE, related_name="review_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    # The approval level this step passed (approve) or concerned (reject); 0 otherwise.
    level = models.PositiveSmallIntegerField(default=0)
    state_before = models.CharField(max_length=20)
    state_after = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    # {variant id: {"label": "X — Habitants", "parts": [...]}}
    snapshot = models.JSONField(default=dict)
    diff = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape de validation")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"{self.post_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Objective(models.TextChoices):
    """Why a campaign communicates (shared/DESIGN.md); the insights measure each one
    by its own indicators (planning/kpis.py)."""

    NOTORIETE = "notoriete", _("Notoriété")
    IMAGE = "image", _("Image")
    ATTRACTIVITE = "attractivite", _("Attractivité")
    LIEN_SOCIAL = "lien_social", _("Lien social")
    INFORMATION_SERVICE = "information_service", _("Information de service")
    CRISE = "crise", _("Crise")


class Campaign(models.Model):
    """A set of posts with one objective, dates, audiences and channels, and an
    optional sponsoring budget. A post belongs to at most one campaign."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("nom"), max_length=200)
    # utm_campaign of the links of its posts.
    slug = models.SlugField(_("identifiant des liens"), max_length=80)
    objective = models.CharField(
        _("objectif"), max_length=30, choices=Objective.choices
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    audiences = models.ManyToManyField(
        "territory.Audience",
        blank=True,
        related_name="campaigns",
        verbose_name=_("publics"),
    )
    channels = models.ManyToManyField(
        "channels.Channel",
        blank=True,
        related_name="campaigns",
        verbose_name=_("canaux"),
    )
    budget = models.DecimalField(
        _("budget de sponsorisation (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    kpis = models.JSONField(_("indicateurs suivis"), default=list, blank=True)
    # Promotion of the authority's achievements or management: blocked in a
    # pre-election window without a justification (election_guard).
    promotes_achievements = models.BooleanField(
        _("valorise les réalisations ou la gestion de la collectivité"), default=False
    )
    # Posts per week the campaign expects; a week below it is shown as a gap.
    posts_per_week = models.PositiveSmallIntegerField(
        _("publications attendues par semaine"), default=1
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campagne")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "slug"], name="planning_campaign_slug_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="planning_campaign_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarRules(models.Model):
    """What the editorial calendar flags for an authority: two posts on one channel
    closer than `min_gap_minutes`, more than `max_posts_per_day` on one day."""

    authority = models.OneToOneField(
        "territory.Authority", on_delete=models.CASCADE, related_name="calendar_rules"
    )
    min_gap_minutes = models.PositiveIntegerField(
        _("écart minimal entre deux publications d'un canal (minutes)"), default=120
    )
    max_posts_per_day = models.PositiveSmallIntegerField(
        _("publications au plus par jour"), default=4
    )

    class Meta:
        verbose_name = _("règles du calendrier")

    def __str__(self) -> str:
        return (
            f"{self.authority}: {self.min_gap_minutes} min, {self.max_posts_per_day}/j"
        )


class CalendarFeed(models.Model):
    """A secret ICS address of the authority's calendar (for the elected members'
    agendas). Only a hash of the token is kept; revoking it closes the address."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    label = models.CharField(_("pour qui"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement au calendrier")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label


class Crisis(models.Model):
    """Crisis mode: while it lasts (ended_at empty) every scheduled publication of
    the authority that is not part of the crisis is paused, and a banner shows."""

    class Resume(models.TextChoices):
        KEEP_TIMES = (
            "keep",
            _("Reprendre aux heures prévues (les heures passées : maintenant)"),
        )
        SHIFT = "shift", _("Décaler chaque publication de la durée de la crise")
        HOLD = "hold", _("Laisser suspendues pour les reprogrammer une à une")

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="crises"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    message = models.TextField(_("message d'alerte"))
    alert_post = models.ForeignKey(
        "studio.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField()
    paused_count = models.PositiveIntegerField(default=0)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    resume_mode = models.CharField(max_length=10, choices=Resume.choices, blank=True)

    class Meta:
        verbose_name = _("crise")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority"],
                condition=models.Q(ended_at__isnull=True),
                name="planning_one_active_crisis",
            )
        ]

    def __str__(self) -> str:
        return self.title
