"""The inbox: every message a citizen sent (network comment, mention, direct message,
web form, Open311 request, e-mail), its labels, its routing and its answers.

A message is stored once: networks by (channel, remote id), forms and Open311 by their
own public id. Personal data is kept only where the answer needs it (a form's e-mail
for follow-up) and is anonymised by the retention policy (inbox/privacy.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.territory.vocabularies import Intent, Level, Sentiment, Topic, Urgency


class Origin(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FORM = "form", _("Formulaire du site")
    OPEN311 = "open311", _("Application de signalement (Open311)")
    EMAIL = "email", _("Courriel")


class Kind(models.TextChoices):
    COMMENT = "comment", _("Commentaire")
    MENTION = "mention", _("Mention")
    DIRECT = "direct", _("Message privé")
    REPORT = "report", _("Signalement")
    CONTACT = "contact", _("Demande de contact")


class Status(models.TextChoices):
    NEW = "nouveau", _("Nouveau")
    IN_PROGRESS = "en_cours", _("En cours")
    WAITING = "attente_citoyen", _("En attente du citoyen")
    ANSWERED = "repondu", _("Répondu")
    CLOSED = "clos", _("Clos")


class ReportCategory(models.Model):
    """A kind of problem citizens can report (the services of the Open311 API and
    the choices of the public form), handled by one topic and, optionally, service."""

    authority = models.ForeignKey(
        "territory.Authority",
        on_delete=models.CASCADE,
        related_name="report_categories",
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("groupe"), max_length=100, blank=True)
    topic = models.CharField(_("domaine"), max_length=20, choices=Topic.choices)
    service = models.ForeignKey(
        "territory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_categories",
        verbose_name=_("service"),
    )
    active = models.BooleanField(_("proposée au public"), default=True)

    class Meta:
        verbose_name = _("catégorie de signalement")
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "code"], name="inbox_category_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="messages"
    )
    origin = models.CharField(_("origine"), max_length=12, choices=Origin.choices)
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    channel = models.ForeignKey(
        "channels.Channel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    # The network's id of the message; empty for forms, Open311 and e-mail.
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    # What it answers: one of our publications, or another message of the thread.
    publication = models.ForeignKey(
        "publishing.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    in_reply_to_remote_id = models.CharField(max_length=300, blank=True)
    thread_key = models.CharField(max_length=300, blank=True)
    # Public id for the citizen (Open311 service_request_id, form receipt).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Pseudonymous author: the name shown by the network, never enriched.
    author_name = models.CharField(_("auteur"), max_length=200, blank=True)
    author_handle = models.CharField(max_length=200, blank=True)
    # A keyed hash of the author's network id or e-mail: counts and erasure requests
    # find one person's messages without storing who they are.
    author_key = models.CharField(max_length=64, blank=True, db_index=True)
    author_email = models.EmailField(_("courriel"), blank=True)
    text = models.TextField(_("texte"))
    photo = models.ImageField(_("photo"), upload_to="inbox/", blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    category = models.ForeignKey(
        ReportCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("catégorie"),
    )
    received_at = models.DateTimeField(_("reçu le"))
    ingested_at = models.DateTimeField(auto_now_add=True)

    # Labels (inbox/classify) and who set them.
    topic = models.CharField(
        _("domaine"), max_length=20, choices=Topic.choices, default=Topic.AUTRE
    )
    intent = models.CharField(
        _("intention"), max_length=20, choices=Intent.choices, default=Intent.AUTRE
    )
    sentiment = models.CharField(
        _("tonalité"), max_length=10, choices=Sentiment.choices, default="neutre"
    )
    urgency = models.CharField(
        _("urgence"), max_length=10, choices=Urgency.choices, default="normal"
    )
    level = models.CharField(
        _("échelon compétent"), max_length=15, choices=Level.choices, default="commune"
    )
    classified_at = models.DateTimeField(null=True, blank=True)
    abuse = models.BooleanField(_("abus"), default=False)
    confidences = models.JSONField(default=dict, blank=True)
    # Labels a person corrected: {"topic": "voirie", ...}; training data of the
    # authority's own model.
    corrected = models.JSONField(default=dict, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    # Routing and follow-up.
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    service = models.ForeignKey(
        "territory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("service"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_messages",
        verbose_name=_("attribué à"),
    )
    due_at = models.DateTimeField(_("à traiter avant"), null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    hidden_on_network = models.BooleanField(_("masqué sur le réseau"), default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "remote_id"],
                condition=~models.Q(remote_id=""),
                name="inbox_message_once_per_network_id",
            )
        ]
        indexes = [
            models.Index(fields=["authority", "-received_at", "-id"]),
            models.Index(fields=["authority", "status", "-received_at"]),
            models.Index(fields=["authority", "topic", "-received_at"]),
            models.Index(fields=["authority", "service", "status"]),
            models.Index(fields=["authority", "service", "-received_at", "-id"]),
            models.Index(fields=["authority", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_origin_display()} {self.received_at:%Y-%m-%d %H:%M}"


class Reply(models.Model):
    """An answer to a message, sent through the network or by e-mail. A sensitive
    reply waits for a validator's approval before it leaves."""

    class State(models.TextChoices):
        AWAITING_APPROVAL = "awaiting", _("En attente de validation")
        QUEUED = "queued", _("En cours d'envoi")
        SENT = "sent", _("Envoyée")
        FAILED = "failed", _("Échec de l'envoi")
        REJECTED = "rejected", _("Refusée par la validation")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("réponse"))
    via = models.CharField(max_length=12)  # the network, or "email"
    state = models.CharField(max_length=10, choices=State.choices)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    error_message = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.state}"


class Note(models.Model):
    """An internal note on a message (never shown to the citizen)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note interne"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} note"


class SavedReply(models.Model):
    """A ready answer with variables ({prenom}, {service}, {delai}, {numero}...)."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="saved_replies"
    )
    title = models.CharField(_("titre"), max_length=150)
    text = models.TextField(_("texte"))
    topic = models.CharField(
        _("domaine"), max_length=20, choices=Topic.choices, blank=True
    )
    intent = models.CharField(
        _("intention"), max_length=20, choices=Intent.choices, blank=True
    )
    # Sensitive answers (a refusal, a legal point...) wait for a validator.
    needs_approval = models.BooleanField(_("à faire valider"), default=False)

    class Meta:
        verbose_name = _("réponse type")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class IngestCursor(models.Model):
    """Where polling of one stream of one channel stopped (comments of recent
    publications, mentions, direct messages)."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="ingest_cursors"
    )
    stream = models.CharField(max_length=20)
    cursor = models.CharField(max_length=300, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "stream"], name="inbox_cursor_per_stream"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.stream}"


class InboxSettings(models.Model):
    """Per authority: retention of personal data, competences, alert sensitivity."""

    authority = models.OneToOneField(
        "territory.Authority", on_delete=models.CASCADE, related_name="inbox_settings"
    )
    retention_months = models.PositiveSmallIntegerField(
        _("anonymiser les messages clos après (mois)"), default=12
    )
    # Topic -> level of government competent, overriding the defaults of the kind
    # of authority (e.g. a commune whose EPCI collects the waste).
    competences = models.JSONField(_("compétences"), default=dict, blank=True)
    alert_threshold = models.FloatField(_("seuil d'alerte (écarts-types)"), default=3.0)

    class Meta:
        verbose_name = _("réglages de la messagerie")

    def __str__(self) -> str:
        return f"{self.authority}"


class TrainedModel(models.Model):
    """The authority's own classifier, learned from its corrections."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="trained_models"
    )
    trained_at = models.DateTimeField()
    examples = models.PositiveIntegerField()
    payload = models.BinaryField()
    scores = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.trained_at:%Y-%m-%d}"


class Alert(models.Model):
    """A volume spike or a surge of negative messages on a topic, against the
    authority's own baseline; recorded once per topic and window."""

    class Kind(models.TextChoices):
        VOLUME = "volume", _("Afflux de messages")
        NEGATIVE = "negative", _("Montée des messages négatifs")

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="inbox_alerts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-window_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "kind", "topic", "window_start"],
                name="inbox_alert_once_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.topic} {self.window_start:%Y-%m-%d %H:%M}"


class Open311Key(models.Model):
    """An API key an Open311 application uses to submit requests to the authority.
    Only its SHA-256 is kept: the key itself is shown once, when created."""

    authority = models.ForeignKey(
        "territory.Authority", on_delete=models.CASCADE, related_name="open311_keys"
    )
    label = models.CharField(_("application"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label
