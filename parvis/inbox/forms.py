"""Forms of the inbox: the list's filters (GET, French parameter names), one form per
label for the one-click correction, assignment, status, notes, and the settings."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.inbox.classify.levels import COMMUNE_COMPETENCES
from parvis.inbox.models import Origin, Status
from parvis.inbox.selectors import InboxFilters
from parvis.inbox.services.workflow import NOTE_MAX_LENGTH, TRANSITIONS
from parvis.territory.vocabularies import Intent, Level, Sentiment, Topic, Urgency

ALL = ("", _("Tous"))


class FilterForm(forms.Form):
    """The list's filters. A value outside the choices filters nothing."""

    q = forms.CharField(
        label=_("Rechercher dans le texte"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    statut = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[ALL, *Status.choices]
    )
    domaine = forms.ChoiceField(
        label=_("Domaine"), required=False, choices=[ALL, *Topic.choices]
    )
    intention = forms.ChoiceField(
        label=_("Intention"), required=False, choices=[ALL, *Intent.choices]
    )
    urgence = forms.ChoiceField(
        label=_("Urgence"), required=False, choices=[ALL, *Urgency.choices]
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    attribution = forms.ChoiceField(
        label=_("Attribution"),
        required=False,
        choices=[
            ALL,
            ("moi", _("À moi")),
            ("personne", _("À personne")),
            ("quelquun", _("À quelqu'un")),
        ],
    )
    origine = forms.ChoiceField(
        label=_("Origine"), required=False, choices=[ALL, *Origin.choices]
    )
    abus = forms.ChoiceField(
        label=_("Abus"),
        required=False,
        choices=[
            ("", _("Masqués")),
            ("inclus", _("Affichés avec les autres")),
            ("seuls", _("Seuls")),
        ],
    )
    retard = forms.BooleanField(label=_("En retard seulement"), required=False)
    hors_competence = forms.BooleanField(
        label=_("Hors de nos compétences seulement"), required=False
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service"]
        field.choices = [
            ALL,
            *[(str(service.pk), service.name) for service in services],
            ("aucun", _("Sans service")),
        ]

    def filters(self) -> InboxFilters:
        """The valid filters; a field with an unknown value filters nothing."""
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        service = data.get("service") or ""
        return InboxFilters(
            status=data.get("statut") or "",
            topic=data.get("domaine") or "",
            intent=data.get("intention") or "",
            urgency=data.get("urgence") or "",
            service="none" if service == "aucun" else service,
            assignee={"moi": "mine", "personne": "none", "quelquun": "any"}.get(
                data.get("attribution") or "", ""
            ),
            origin=data.get("origine") or "",
            overdue=bool(data.get("retard")),
            out_of_competence=bool(data.get("hors_competence")),
            abuse={"inclus": "shown", "seuls": "only"}.get(
                data.get("abus") or "", "hidden"
            ),
            query=(data.get("q") or "").strip(),
        )

    @property
    def active(self) -> bool:
        return self.filters() != InboxFilters()


LABEL_FIELDS: dict[str, tuple[Any, list[tuple[str, Any]]]] = {
    "topic": (_("Domaine"), list(Topic.choices)),
    "intent": (_("Intention"), list(Intent.choices)),
    "urgency": (_("Urgence"), list(Urgency.choices)),
    "sentiment": (_("Tonalité"), list(Sentiment.choices)),
    "level": (_("Échelon compétent"), list(Level.choices)),
    "abuse": (_("Abus"), [("non", _("Non")), ("oui", _("Oui, abusif"))]),
}


# What the save button of each label saves, for screen readers.
LABEL_OBJECTS = {
    "topic": _("le domaine"),
    "intent": _("l'intention"),
    "urgency": _("l'urgence"),
    "sentiment": _("la tonalité"),
    "level": _("l'échelon compétent"),
    "abuse": _("l'abus"),
}
# The label's name in the address of its form.
LABEL_SLUGS = {
    "topic": "domaine",
    "intent": "intention",
    "urgency": "urgence",
    "sentiment": "tonalite",
    "level": "echelon",
    "abuse": "abus",
}
LABEL_OF_SLUG = {slug: label for label, slug in LABEL_SLUGS.items()}


class LabelForm(forms.Form):
    """One label of one message: a select and its button."""

    value = forms.ChoiceField()

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        title, choices = LABEL_FIELDS[label]
        self.label = label
        self.slug = LABEL_SLUGS[label]
        self.saves = LABEL_OBJECTS[label]
        field: Any = self.fields["value"]
        field.label = title
        field.choices = choices

    def labels(self) -> dict[str, Any]:
        value = self.cleaned_data["value"]
        return {self.label: value == "oui" if self.label == "abuse" else value}


def label_value(message: Any, label: str) -> str:
    value = getattr(message, label)
    if label == "abuse":
        return "oui" if value else "non"
    return str(value)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Attribué à"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        field: Any = self.fields["assignee"]
        field.choices = [("", _("Personne"))] + [
            (member.pk, member.display_name) for member in members
        ]

    def chosen(self) -> Any:
        pk = self.cleaned_data["assignee"]
        return self.members.get(pk) if pk else None


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"))

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current, frozenset())
        field: Any = self.fields["status"]
        field.choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note interne"),
        help_text=_("Visible de l'équipe seulement, jamais du citoyen."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# The competences named by keywords (classify/levels.py), in words.
NAMED_COMPETENCES = {
    "dechets_menagers": _("Collecte des déchets ménagers"),
    "eau_assainissement": _("Eau et assainissement"),
    "transports_urbains": _("Transports urbains"),
    "developpement_economique": _("Développement économique"),
    "urbanisme_intercommunal": _("Urbanisme intercommunal (PLUi)"),
    "piscine_intercommunale": _("Équipements intercommunaux (piscine…)"),
    "colleges": _("Collèges"),
    "routes_departementales": _("Routes départementales"),
    "action_sociale_departementale": _("Action sociale départementale (RSA, APA…)"),
    "lycees": _("Lycées"),
    "ter_trains": _("Trains régionaux (TER)"),
}


def competence_field_name(key: str) -> str:
    return f"competence_{key}"


class InboxSettingsForm(forms.Form):
    """Retention, alert sensitivity, and which level of government is competent for
    each topic and named competence (initially the defaults of classify/levels.py)."""

    retention_months = forms.IntegerField(
        label=_("Anonymiser les messages clos après (mois)"),
        min_value=1,
        max_value=120,
        help_text=_("Le texte, l'auteur et les coordonnées sont effacés ensuite."),
    )
    alert_threshold = forms.FloatField(
        label=_("Seuil d'alerte (écarts-types)"),
        min_value=1.0,
        max_value=10.0,
        help_text=_(
            "Un afflux ou une montée des messages négatifs est signalé au-delà de "
            "ce nombre d'écarts-types de l'habitude (3 par défaut ; plus bas, plus "
            "d'alertes)."
        ),
    )

    def __init__(self, *args: Any, competences: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        merged = {**COMMUNE_COMPETENCES, **competences}
        fields: Any = self.fields
        for key, label in [*Topic.choices, *NAMED_COMPETENCES.items()]:
            fields[competence_field_name(key)] = forms.ChoiceField(
                label=label, choices=Level.choices, initial=merged.get(key, "commune")
            )

    def topic_fields(self) -> list[Any]:
        return [self[competence_field_name(key)] for key in Topic.values]

    def named_fields(self) -> list[Any]:
        return [self[competence_field_name(key)] for key in NAMED_COMPETENCES]

    def competences(self) -> dict[str, str]:
        """The whole mapping, the classifier's keys included."""
        merged = dict(COMMUNE_COMPETENCES)
        for key in [*Topic.values, *NAMED_COMPETENCES]:
            merged[key] = self.cleaned_data[competence_field_name(key)]
        return merged


class Open311KeyForm(forms.Form):
    label = forms.CharField(
        label=_("Nom de l'application"),
        max_length=120,
        help_text=_("Par exemple : application de signalement de la métropole."),
    )


class PersonForm(forms.Form):
    """Who asks for their data: the e-mail they wrote from, or their account name on
    a network."""

    identifier = forms.CharField(
        label=_("Courriel ou nom de compte de la personne"),
        max_length=254,
        help_text=_(
            "L'adresse depuis laquelle elle a écrit (formulaire, Open311, courriel) "
            "ou son nom de compte sur un réseau, par exemple @camille.dupont."
        ),
    )


class EraseForm(PersonForm):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme l'effacement : le texte, l'auteur, les coordonnées et la "
            "photo de ces messages seront effacés définitivement."
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'effacement.")},
    )
