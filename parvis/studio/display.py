"""What the editor shows of a variant: its parts with their counters (counted the
network's way) and its checks with their names and explanations, in French."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from parvis.studio.models import Variant
from parvis.studio.networks import NetworkStyle, style_for

# In the order the editor lists them: what blocks publication first.
CHECKS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "fits": (
        _("Longueur et limites"),
        _(
            "Le message tient dans les limites du réseau : caractères comptés à sa "
            "façon, nombre de mots-dièse et d'images."
        ),
    ),
    "facts": (
        _("Faits vérifiés"),
        _(
            "Chaque date, heure, montant, téléphone et lieu du message figure dans la "
            "source : rien n'est inventé."
        ),
    ),
    "specificity": (
        _("Écrit pour le réseau"),
        _(
            "Part du message reprise mot pour mot de la page : au-delà de la moitié, "
            "c'est une republication, pas un message écrit pour le réseau."
        ),
    ),
    "accessibility": (
        _("Accessibilité"),
        _(
            "Texte alternatif de l'image, mots-dièse en CamelCase, émojis avec "
            "parcimonie et jamais seuls porteurs du sens, pas de mots en capitales, "
            "liens annoncés clairement."
        ),
    ),
    "readability": (
        _("Lisibilité"),
        _(
            "Score de Kandel et Moles (Flesch adapté au français, de 0 à 100 : plus "
            "c'est haut, plus c'est facile) et longueur des phrases, comparés à "
            "l'objectif du public."
        ),
    ),
    "plain_language": (
        _("Langage clair"),
        _("Jargon administratif et sigles non expliqués, avec des mots plus simples."),
    ),
}

COUNTING: dict[str, StrOrPromise] = {
    "x": _("X compte chaque lien pour 23 caractères et les émojis pour 2."),
    "bluesky": _("Bluesky compte les caractères tels qu'on les voit (graphèmes)."),
    "mastodon": _("Mastodon compte chaque lien pour 23 caractères."),
    "facebook": _("Facebook compte les caractères un à un."),
    "instagram": _(
        "Instagram compte les caractères ; les liens n'y sont pas cliquables."
    ),
    "linkedin": _("LinkedIn compte les caractères un à un."),
}


@dataclass(frozen=True)
class PartView:
    index: int  # from 0
    text: str
    count: int
    max_chars: int

    @property
    def over(self) -> int:
        return max(0, self.count - self.max_chars)

    @property
    def left(self) -> int:
        return max(0, self.max_chars - self.count)

    @property
    def rows(self) -> int:
        """Height of the textarea: the text without scrolling, within reason."""
        lines = sum(1 + len(line) // 36 for line in self.text.split("\n"))
        return min(16, max(4, lines + 1))


@dataclass(frozen=True)
class CheckView:
    name: str
    label: StrOrPromise
    explanation: StrOrPromise
    ok: bool
    message: str


@dataclass(frozen=True)
class VariantView:
    variant: Variant
    style: NetworkStyle
    parts: list[PartView]
    checks: list[CheckView]
    image_alt: str

    @property
    def ok_count(self) -> int:
        return sum(check.ok for check in self.checks)

    @property
    def dom_id(self) -> str:
        return f"variante-{self.variant.pk}"


def part_views(network: str, parts: list[str]) -> list[PartView]:
    style = style_for(network)
    return [
        PartView(index, text, style.count(text), style.max_chars)
        for index, text in enumerate(parts)
    ]


def check_views(checks: dict[str, dict[str, Any]]) -> list[CheckView]:
    views = []
    for name, (label, explanation) in CHECKS.items():
        result = checks.get(name)
        if result is None:
            continue
        views.append(
            CheckView(name, label, explanation, bool(result["ok"]), result["message"])
        )
    return views


def variant_view(
    variant: Variant,
    *,
    parts: list[str] | None = None,
    image_alt: str | None = None,
    checks: dict[str, dict[str, Any]] | None = None,
) -> VariantView:
    """The variant as saved, or with the text being typed (`parts`, `image_alt`) and
    the checks computed for it."""
    parts = variant.parts if parts is None else parts
    return VariantView(
        variant=variant,
        style=style_for(variant.network),
        parts=part_views(variant.network, parts),
        checks=check_views(variant.checks if checks is None else checks),
        image_alt=variant.image_alt if image_alt is None else image_alt,
    )
