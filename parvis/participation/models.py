"""Participation: a consultation asks citizens a question; contributions come from its
public page and from the comments under the publications linked to it; they are
moderated, grouped into themes (participation/clustering.py); moderators promote some
to statements that participants vote on (agree, disagree, pass), and opinion groups
are computed from the votes (participation/opinions.py).

A participant is a pseudonym tied to a signed browser cookie, optionally with an
e-mail verified by a link; no account. What is shown publicly: pseudonyms, accepted
contributions, the reason a contribution was hidden, statements and vote counts."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.territory.vocabularies import Topic


class Consultation(models.Model):
    class Moderation(models.TextChoices):
        # Accepted at once unless abuse is detected (then held for a moderator).
        AFTER = "after", _("A posteriori : publiée aussitôt, sauf abus détecté")
        # Every contribution waits for a moderator.
        BEFORE = "before", _("A priori : chaque contribution attend un modérateur")

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80)
    question = models.TextField(_("question posée"))
    description = models.TextField(_("présentation"), blank=True)
    topic = models.CharField(
        _("domaine"), max_length=20, choices=Topic.choices, default=Topic.DEMOCRATIE
    )
    image = models.ImageField(_("image"), upload_to="consultations/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=250, blank=True
    )
    starts_at = models.DateTimeField(_("ouverture"))
    ends_at = models.DateTimeField(_("clôture"))
    published = models.BooleanField(_("page publique en ligne"), default=False)
    moderation = models.CharField(
        _("modération"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.AFTER,
    )
    votes_open = models.BooleanField(_("votes ouverts"), default=False)
    # Stronger than the signed cookie: a vote counts only from a participant whose
    # e-mail was verified (one address, one participant).
    votes_need_email = models.BooleanField(
        _("votes réservés aux adresses e-mail vérifiées"), default=False
    )
    # The publications whose comments, on every network, are contributions.
    publications = models.ManyToManyField(
        "publishing.Publication", blank=True, related_name="consultations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last analysis (participation/analysis.py): opinion groups (sizes,
    # representative and consensus statements; no member list) and theme figures.
    analysis = models.JSONField(default=dict, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "slug"], name="participation_consultation_slug"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="participation_consultation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.published and self.starts_at <= moment < self.ends_at  # type: ignore[operator]


class Participant(models.Model):
    """One person taking part in one consultation: a pseudonym, the keyed hash of a
    random token kept in a signed cookie, optionally a verified e-mail."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    token_hash = models.CharField(max_length=64)
    pseudonym = models.CharField(_("pseudonyme"), max_length=60, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "token_hash"],
                name="participation_participant_once",
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym or f"participant {self.pk}"


class Theme(models.Model):
    """A theme found among the contributions. `number` is its stable id within the
    consultation: a new analysis assigns new contributions to the existing themes
    and never renumbers them; the team renames, merges and splits."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveIntegerField()
    label = models.CharField(_("nom du thème"), max_length=150)
    lemmas = models.JSONField(default=list, blank=True)
    renamed = models.BooleanField(default=False)  # the team chose the label
    centroid = models.BinaryField(blank=True, null=True)  # float32, encoder space
    # A new contribution joins the theme when at least this similar to its centroid.
    min_similarity = models.FloatField(default=0.0)
    representatives = models.JSONField(default=list, blank=True)  # contribution ids
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="participation_theme_number"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Contribution(models.Model):
    class Origin(models.TextChoices):
        SITE = "site", _("Page de la consultation")
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X"
        LINKEDIN = "linkedin", "LinkedIn"
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        PAPER = "paper", _("Saisie d'une contribution papier")

    class Status(models.TextChoices):
        PENDING = "pending", _("À modérer")
        ACCEPTED = "accepted", _("Publiée")
        HIDDEN = "hidden", _("Masquée")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="contributions"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin = models.CharField(_("origine"), max_length=12, choices=Origin.choices)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    # A comment collected from a network: the inbox message it came from (stored once).
    message = models.OneToOneField(
        "inbox.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution",
    )
    pseudonym = models.CharField(_("signature"), max_length=60, blank=True)
    text = models.TextField(_("contribution"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    abuse = models.BooleanField(_("abus détecté"), default=False)
    # Shown publicly in place of a hidden contribution.
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporters",
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    # Seen by an analysis: without a theme after it, the contribution is "other".
    analysed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["consultation", "status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Statement(models.Model):
    """A short proposition participants vote on, written or promoted by moderators."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("proposition"), max_length=400)
    source = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    active = models.BooleanField(_("soumise au vote"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("D'accord")
        DISAGREE = -1, _("Pas d'accord")
        PASS = 0, _("Je passe")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="participation_one_vote"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.statement_id} {self.value}"
