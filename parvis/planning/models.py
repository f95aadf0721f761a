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
