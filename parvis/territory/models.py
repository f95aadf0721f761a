"""Territory: the official reference data, and the authorities that use Parvis."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.territory.vocabularies import (
    ElectionKind,
    Kind,
    Network,
    Register,
    Tone,
    Topic,
)


class Territory(models.Model):
    """One entry of the official administrative reference (INSEE COG, DGCL EPCI list).

    Loaded by `parvis territory import` from the versioned extract; never typed by hand.
    `code` is the INSEE code (commune, département, région) or the SIREN (EPCI).
    """

    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, db_index=True)
    siren = models.CharField(max_length=9, blank=True)
    population = models.PositiveIntegerField(default=0)
    epci_code = models.CharField(max_length=12, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    detail = models.CharField(max_length=80, blank=True)
    dataset_version = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("territoire (référentiel officiel)")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_kind_code")
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()} {self.code})"


class Authority(models.Model):
    """A collectivité using Parvis, created from one Territory entry."""

    territory = models.OneToOneField(
        Territory, on_delete=models.PROTECT, related_name="authority"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    population = models.PositiveIntegerField(default=0)
    timezone = models.CharField(max_length=40, default="Europe/Paris")
    logo = models.ImageField(upload_to="logos/", blank=True)
    logo_alt = models.CharField(max_length=200, blank=True)
    primary_color = models.CharField(max_length=7, default="#1f4e79")
    on_primary_color = models.CharField(max_length=7, default="#ffffff")
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collectivité")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    """A profile of people the authority addresses, with how to speak to them."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="audiences"
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    register = models.CharField(
        max_length=4, choices=Register.choices, default=Register.VOUS
    )
    tone = models.CharField(
        max_length=20, choices=Tone.choices, default=Tone.INSTITUTIONNEL
    )
    interests = models.JSONField(default=list, blank=True)
    preferred_networks = models.JSONField(default=list, blank=True)
    reading_level = models.PositiveSmallIntegerField(
        default=60,
        help_text=_("Score de lisibilité visé (Kandel-Moles, 0 à 100)."),
    )
    targeting_hints = models.TextField(blank=True)

    class Meta:
        verbose_name = _("public")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "slug"], name="audience_authority_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def interest_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(topic, topic)) for topic in self.interests]

    def network_labels(self) -> list[str]:
        labels = dict(Network.choices)
        return [str(labels.get(net, net)) for net in self.preferred_networks]


class Service(models.Model):
    """A department of the authority, with the topics it handles and its delays."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=150)
    topics = models.JSONField(default=list, blank=True)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(
        "accounts.User", blank=True, related_name="services"
    )
    sla_hours_urgent = models.PositiveIntegerField(default=2)
    sla_days_signalement = models.PositiveIntegerField(default=2)
    sla_days_question = models.PositiveIntegerField(default=5)

    class Meta:
        verbose_name = _("service")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name"], name="service_authority_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


class Election(models.Model):
    """An election that restricts the authority's communication (Code électoral L52-1)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="elections"
    )
    kind = models.CharField(max_length=20, choices=ElectionKind.choices)
    first_round = models.DateField()
    second_round = models.DateField(null=True, blank=True)
    is_estimated = models.BooleanField(
        default=False,
        help_text=_("Date prévisionnelle, à confirmer par le décret de convocation."),
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("élection")
        ordering = ["first_round"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_round:%Y}"
