"""Audience profiles as the studio sees them: how to open, how to ask, what to stress.

Built from an Audience of the authority (its register, tone and interests) or, without
an authority (CLI, benchmark), from the default set seeded for every authority."""

from dataclasses import dataclass, field
from typing import Any

from parvis.territory.defaults import DEFAULT_AUDIENCES


@dataclass(frozen=True)
class AudienceProfile:
    slug: str
    name: str
    register: str = "vous"  # vous | tu
    tone: str = "institutionnel"
    interests: tuple[str, ...] = ()
    reading_level: int = 60
    # What this audience looks for first; see ANGLES.
    angle: str = "general"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_audience(cls, audience: Any) -> "AudienceProfile":
        return cls(
            slug=audience.slug,
            name=audience.name,
            register=audience.register,
            tone=audience.tone,
            interests=tuple(audience.interests or ()),
            reading_level=audience.reading_level,
            angle=ANGLE_BY_SLUG.get(audience.slug, "general"),
        )


ANGLE_BY_SLUG = {
    "familles": "familles",
    "jeunes": "jeunes",
    "seniors": "seniors",
    "entreprises": "entreprises",
    "touristes": "touristes",
    "nouveaux-arrivants": "nouveaux",
}

# Openings (before the hook) and calls to action, per angle and register. `{what}` is
# the short name of the thing (the title's head). Emoji: at most one, never alone.
OPENINGS = {
    "general": {"vous": "", "tu": ""},
    "familles": {"vous": "Pour les familles", "tu": "Pour les familles"},
    "jeunes": {"vous": "Jeunes, c'est pour vous", "tu": "À ne pas rater"},
    "seniors": {"vous": "Bon à savoir", "tu": "Bon à savoir"},
    "entreprises": {
        "vous": "Entreprises et commerces",
        "tu": "Entreprises et commerces",
    },
    "touristes": {"vous": "À découvrir", "tu": "À découvrir"},
    "nouveaux": {"vous": "Nouveaux habitants", "tu": "Nouveaux habitants"},
}

CALLS = {
    "register": {
        "vous": "Inscrivez-vous : {how}",
        "tu": "Inscris-toi : {how}",
    },
    "info": {
        "vous": "Toutes les informations : {how}",
        "tu": "Toutes les infos : {how}",
    },
    "contact": {
        "vous": "Une question ? Contactez le {how}",
        "tu": "Une question ? Appelle le {how}",
    },
}

# What each angle wants to see first among the facts.
FACT_PRIORITY = {
    "general": ("date", "place", "amount", "registration", "url", "phone", "email"),
    "familles": ("date", "place", "amount", "registration", "url", "phone", "email"),
    "jeunes": ("date", "place", "amount", "registration", "url", "email", "phone"),
    "seniors": ("date", "place", "phone", "amount", "registration", "url", "email"),
    "entreprises": ("date", "amount", "place", "registration", "url", "email", "phone"),
    "touristes": ("place", "date", "amount", "url", "phone", "email"),
    "nouveaux": ("date", "place", "registration", "url", "phone", "email"),
}

# A sentence mentioning these lemmas interests the angle more (on top of its topics).
ANGLE_LEMMAS = {
    "familles": frozenset(
        [
            "enfant",
            "famille",
            "parent",
            "école",
            "crèche",
            "cantine",
            "périscolaire",
            "jeune",
            "bébé",
            "gratuit",
            "atelier",
            "goûter",
            "vacances",
        ]
    ),
    "jeunes": frozenset(
        [
            "jeune",
            "étudiant",
            "lycéen",
            "emploi",
            "stage",
            "concert",
            "sport",
            "festival",
            "gratuit",
            "soirée",
            "association",
            "bénévole",
        ]
    ),
    "seniors": frozenset(
        [
            "senior",
            "âgé",
            "retraité",
            "santé",
            "accompagnement",
            "transport",
            "navette",
            "canicule",
            "aide",
            "domicile",
            "isolement",
        ]
    ),
    "entreprises": frozenset(
        [
            "entreprise",
            "commerce",
            "commerçant",
            "artisan",
            "emploi",
            "économique",
            "investissement",
            "marché",
            "chantier",
            "appel",
            "offre",
            "activité",
            "zone",
            "subvention",
        ]
    ),
    "touristes": frozenset(
        [
            "visite",
            "patrimoine",
            "plage",
            "festival",
            "spectacle",
            "exposition",
            "musée",
            "promenade",
            "découvrir",
            "marché",
            "gastronomie",
        ]
    ),
    "nouveaux": frozenset(
        [
            "démarche",
            "inscription",
            "accueil",
            "service",
            "carte",
            "déchet",
            "collecte",
            "école",
            "stationnement",
        ]
    ),
}


def default_profiles() -> dict[str, AudienceProfile]:
    return {
        str(values["slug"]): AudienceProfile(
            slug=str(values["slug"]),
            name=str(values["name"]),
            register=str(values["register"]),
            tone=str(values["tone"]),
            interests=tuple(values["interests"]),  # type: ignore[arg-type]
            reading_level=int(values["reading_level"]),  # type: ignore[call-overload]
            angle=ANGLE_BY_SLUG.get(str(values["slug"]), "general"),
        )
        for values in DEFAULT_AUDIENCES
    }
