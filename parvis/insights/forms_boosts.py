"""Forms of the boosts: one boost typed by hand, and the file of an ad platform's
export. Messages in French; the figures are checked by `boosts.problems`, which the
service applies again when it saves."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parvis.insights.boosts import (
    ADVERTISING_NETWORKS,
    NETWORK_LABELS,
    problems,
    publication_choices,
)
from parvis.insights.models import Boost
from parvis.planning.forms_campaigns import EuroField
from parvis.territory.forms import DateInput

MAX_IMPORT_BYTES = 5 * 1024 * 1024
AMOUNT_ERRORS = {
    "min_value": _("Un montant ne peut pas être négatif."),
    "invalid": _("Écrivez un montant en euros, par exemple 150 ou 249,90."),
    "max_digits": _("Ce montant est trop grand."),
}
COUNT_ERRORS = {
    "min_value": _("Indiquez un nombre positif ou laissez vide."),
    "invalid": _("Écrivez un nombre entier, sans espace ni virgule."),
}


class PublicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = f"{obj.published_at:%d/%m/%Y}" if obj.published_at else ""
        return f"{obj.variant.post.title} — {obj.channel.get_network_display()} {when}"


def _amount(label: Any, *, required: bool, help_text: Any = "") -> EuroField:
    return EuroField(
        label=label,
        required=required,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Indiquez le budget."), **AMOUNT_ERRORS},
        help_text=help_text,
    )


def _count(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        error_messages=COUNT_ERRORS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class BoostForm(forms.ModelForm):
    network = forms.ChoiceField(
        label=_("Réseau"),
        choices=[("", _("— Choisir le réseau —"))]
        + [(code, NETWORK_LABELS[code]) for code in ADVERTISING_NETWORKS],
        error_messages={
            "required": _("Choisissez le réseau de la sponsorisation."),
            "invalid_choice": _("Ce réseau ne propose pas de sponsorisation."),
        },
        help_text=_("Mastodon et Bluesky n'ont pas de publicité."),
    )
    publication = PublicationChoiceField(
        label=_("Publication sponsorisée (facultatif)"),
        queryset=Boost.objects.none(),
        required=False,
        empty_label=_("Aucune (publicité créée à part)"),
        error_messages={
            "invalid_choice": _(
                "Choisissez une publication parue de la collectivité dans la liste."
            )
        },
        help_text=_(
            "Les publications parues depuis un an. Une publication sponsorisée sort "
            "du calcul de la portée organique."
        ),
    )
    budget = _amount(_("Budget en euros"), required=True)
    spent = _amount(
        _("Montant dépensé en euros (facultatif)"),
        required=False,
        help_text=_("Tel que la plateforme publicitaire l'indique à la fin."),
    )
    reach = _count(
        _("Portée payée (facultatif)"),
        _("Personnes touchées par la publicité, selon la plateforme."),
    )
    impressions = _count(
        _("Impressions (facultatif)"),
        _("Affichages, y compris plusieurs fois à une même personne."),
    )
    clicks = _count(_("Clics (facultatif)"), _("Clics sur le lien de la publicité."))

    class Meta:
        model = Boost
        fields = [
            "network",
            "publication",
            "name",
            "audience",
            "target",
            "budget",
            "spent",
            "starts_on",
            "ends_on",
            "reach",
            "impressions",
            "clicks",
        ]
        labels = {
            "name": _("Nom (facultatif)"),
            "audience": _("Public visé (facultatif)"),
            "target": _("Ciblage (facultatif)"),
            "starts_on": _("Début"),
            "ends_on": _("Fin"),
        }
        help_texts = {
            "name": _("Par exemple le nom de la publicité dans la plateforme."),
            "audience": _("Un des publics de la collectivité."),
            "target": _("Zone, âges, centres d'intérêt choisis dans la plateforme."),
            "starts_on": _("Par exemple 15/03/2027."),
            "ends_on": _("Le même jour que le début, ou après."),
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "target": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "starts_on": {
                "required": _("Indiquez la date de début."),
                "invalid": _("Écrivez une date, par exemple 15/03/2027."),
            },
            "ends_on": {
                "required": _("Indiquez la date de fin."),
                "invalid": _("Écrivez une date, par exemple 22/03/2027."),
            },
            "audience": {
                "invalid_choice": _("Ce public n'appartient pas à la collectivité.")
            },
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.instance.publication if self.instance.pk else None
        publication = self.fields["publication"]
        publication.queryset = publication_choices(authority=authority, keep=keep)  # type: ignore[attr-defined]
        audience = self.fields["audience"]
        audience.queryset = authority.audiences.order_by("name")  # type: ignore[attr-defined]
        audience.empty_label = _("Aucun")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in problems(data).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def _post_clean(self) -> None:
        # The service checks the boost with French messages: no model validation.
        pass


class BoostImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier exporté (CSV)"),
        help_text=_(
            "Export du Gestionnaire de publicités Meta (en anglais ou en français), "
            "de LinkedIn Campaign Manager, ou le modèle Parvis. Un fichier déjà "
            "importé met à jour ses sponsorisations, sans doublon."
        ),
        error_messages={"required": _("Choisissez le fichier à importer.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Le fichier dépasse 5 Mo : exportez moins de lignes.")
            )
        return upload
