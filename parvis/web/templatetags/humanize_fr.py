from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """12345 -> "12 345" (French thousands separator, a narrow no-break space)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", "\u202f")


@register.filter
def hours_fr(value: float | None) -> str:
    """3.25 -> "3,2 h" (one decimal, a French decimal comma)."""
    if value is None:
        return ""
    return f"{value:.1f} h".replace(".", ",")


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@register.filter
def date_fr(value) -> str:
    """A date as French writes it: "1er octobre 2026", "26 novembre 2026"."""
    if not value:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


FIELD_LABELS = {
    "primary_color": "Couleur principale",
    "on_primary_color": "Couleur du texte",
    "logo": "Logo",
    "logo_alt": "Texte alternatif du logo",
    "role": "Rôle",
    "name": "Nom",
    "description": "Description",
    "register": "Registre",
    "tone": "Ton",
    "interests": "Centres d'intérêt",
    "preferred_networks": "Réseaux privilégiés",
    "reading_level": "Lisibilité visée",
    "targeting_hints": "Indications de ciblage",
    "topics": "Domaines",
    "email": "Adresse e-mail",
    "sla_hours_urgent": "Délai urgent (h)",
    "sla_days_signalement": "Délai signalement (j)",
    "sla_days_question": "Délai question (j)",
    "kind": "Scrutin",
    "first_round": "Premier tour",
    "second_round": "Second tour",
    "is_estimated": "Date prévisionnelle",
    "note": "Remarque",
}


@register.filter
def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))
