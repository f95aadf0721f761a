"""Forms of campaigns; messages in French, validation only (the service saves and
checks again).

The indicators offered are those of the objective: the objective sent with the
form, else the campaign's, else every indicator (nothing chosen yet). Without
JavaScript a change of objective shows its indicators after a first submit; with
htmx, `CampaignForm.for_objective` redraws them at once, defaults checked.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parvis.channels.models import Channel
from parvis.planning.kpis import KPIS, allowed_kpis, default_kpis, kpi_label
from parvis.planning.models import Campaign, Objective
from parvis.studio.models import Post
from parvis.territory.forms import DateInput

L52_1_HELP = _(
    "Cochez si la campagne met en valeur les réalisations ou la gestion de la "
    "collectivité (bilan, chantiers achevés, « promesse tenue »). À partir du "
    "premier jour du sixième mois avant une élection, le Code électoral (article "
    "L52-1) l'interdit : ses publications ne sont alors validées qu'avec une "
    "justification écrite."
)


class KpiChoiceField(forms.MultipleChoiceField):
    """Checkboxes of indicators; one outside the offered list is named in the
    error, by its label."""

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        wrong = [slug for slug in value if not self.valid_value(slug)]
        if wrong:
            raise ValidationError(
                _(
                    "Ces indicateurs ne se mesurent pas pour l'objectif choisi : "
                    "%(names)s. Cochez parmi ceux proposés."
                )
                % {"names": ", ".join(kpi_label(slug) for slug in wrong)},
                code="invalid_choice",
            )


class EuroField(forms.DecimalField):
    """An amount as people type it in French: "1 500,50", "1500.50 €"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value)
        return super().to_python(value)


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_network_display()} — {obj.display_name or obj.handle}"


class CampaignForm(forms.ModelForm):
    kpis = KpiChoiceField(
        label=_("Indicateurs suivis"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un indicateur.")},
        help_text=_(
            "Ceux de l'objectif de la campagne ; les statistiques les calculent "
            "à partir des publications, des messages reçus et des concertations."
        ),
    )
    budget = EuroField(
        label=_("Budget de sponsorisation en euros (facultatif)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "min_value": _("Le budget ne peut pas être négatif."),
            "invalid": _("Écrivez un montant en euros, par exemple 1 500 ou 249,90."),
        },
        help_text=_("Laissez vide si les publications ne sont pas sponsorisées."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "objective",
            "description",
            "starts_on",
            "ends_on",
            "audiences",
            "channels",
            "posts_per_week",
            "budget",
            "kpis",
            "promotes_achievements",
            "slug",
        ]
        labels = {
            "name": _("Nom de la campagne"),
            "objective": _("Objectif"),
            "description": _("Description (facultatif)"),
            "starts_on": _("Début"),
            "ends_on": _("Fin"),
            "audiences": _("Publics visés"),
            "channels": _("Canaux"),
            "posts_per_week": _("Publications attendues par semaine"),
            "promotes_achievements": _(
                "La campagne valorise les réalisations ou la gestion de la collectivité"
            ),
            "slug": _("Identifiant des liens (facultatif)"),
        }
        help_texts = {
            "starts_on": _("Par exemple 15/03/2027."),
            "ends_on": _("Le même jour que le début, ou après."),
            "audiences": _("Les publics de la collectivité à qui elle s'adresse."),
            "channels": _(
                "Ses publications partent sur ces canaux ; aucun coché : sur tous "
                "les canaux connectés de chaque réseau."
            ),
            "posts_per_week": _(
                "Une semaine qui en compte moins est signalée sur la page de la "
                "campagne."
            ),
            "promotes_achievements": L52_1_HELP,
            "slug": _(
                "Ajouté aux liens des publications comme utm_campaign. Laissé vide, "
                "il est tiré du nom."
            ),
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "audiences": forms.CheckboxSelectMultiple,
            "channels": forms.CheckboxSelectMultiple,
        }
        field_classes = {"channels": ChannelChoiceField}
        error_messages = {
            "name": {"required": _("Donnez un nom à la campagne.")},
            "objective": {"required": _("Choisissez l'objectif de la campagne.")},
            "starts_on": {
                "required": _("Indiquez la date de début."),
                "invalid": _("Écrivez une date, par exemple 15/03/2027."),
            },
            "ends_on": {
                "required": _("Indiquez la date de fin."),
                "invalid": _("Écrivez une date, par exemple 30/04/2027."),
            },
            "audiences": {
                "invalid_choice": _("Ce public n'appartient pas à la collectivité."),
            },
            "channels": {
                "invalid_choice": _("Ce canal n'appartient pas à la collectivité."),
            },
            "slug": {
                "invalid": _(
                    "Lettres sans accents, chiffres et tirets seulement, par exemple "
                    "fete-de-la-musique-2027."
                )
            },
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        asked = dict(kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.fields["objective"].choices = [  # type: ignore[attr-defined]
            ("", _("— Choisir l'objectif —")),
            *Objective.choices,
        ]
        audiences = self.fields["audiences"]
        audiences.queryset = authority.audiences.order_by("name")  # type: ignore[attr-defined]
        channels = self.fields["channels"]
        channels.queryset = Channel.objects.filter(authority=authority)  # type: ignore[attr-defined]
        self.fields["slug"].required = False
        objective = self.objective
        kpis = allowed_kpis(objective) if objective else list(KPIS.values())
        self.fields["kpis"].choices = [  # type: ignore[attr-defined]
            (
                kpi.slug,
                format_html(
                    '{}<span class="choice__detail">{}</span>',
                    kpi.label,
                    kpi.definition,
                ),
            )
            for kpi in kpis
        ]
        self.fields["objective"].widget.attrs.update(
            {
                "hx-get": reverse("campaigns:objective_fields", args=[authority.slug]),
                "hx-trigger": "change",
                "hx-target": "#campaign-objective-fields",
                "hx-swap": "outerHTML",
                "hx-include": "[name=promotes_achievements]",
            }
        )
        if not self.is_bound and self.instance.pk is None and objective:
            # A new campaign: the objective's defaults, unless asked otherwise.
            self.initial["kpis"] = asked.get("kpis", default_kpis(objective))
            self.initial["promotes_achievements"] = asked.get(
                "promotes_achievements", objective == Objective.IMAGE
            )

    @property
    def objective(self) -> str:
        """The objective the form is about: sent, else the campaign's or initial."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("objective"), "")
        else:
            value = self.initial.get("objective") or self.instance.objective
        return value if value in Objective.values else ""

    @classmethod
    def for_objective(
        cls, *, authority: Any, objective: str, promotes: bool, instance: Any = None
    ) -> "CampaignForm":
        """An unbound form whose indicators are those of `objective`, its defaults
        checked, and "promotes achievements" checked for an image campaign (left as
        it was for another objective): what htmx redraws on a change of objective."""
        form = cls(
            authority=authority,
            instance=instance or Campaign(authority=authority),
            initial={
                "objective": objective,
                "kpis": default_kpis(objective),
                "promotes_achievements": promotes or objective == Objective.IMAGE,
            },
        )
        return form

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on", _("La fin de la campagne ne peut précéder son début.")
            )
        return data

    def _post_clean(self) -> None:
        # The service checks the instance (slug made from the name, indicators by
        # objective) with French messages: no model validation here.
        pass


class PostCampaignForm(forms.Form):
    """The campaign of a post, in the studio's editor ("Aucune" takes it out)."""

    campaign = forms.ModelChoiceField(
        label=_("Campagne"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        error_messages={
            "invalid_choice": _("Cette campagne n'appartient pas à la collectivité.")
        },
    )

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from parvis.planning.selectors_campaigns import campaign_choices

        field = self.fields["campaign"]
        field.queryset = campaign_choices(authority=authority)  # type: ignore[attr-defined]

    @classmethod
    def of_post(cls, post: Post) -> "PostCampaignForm":
        return cls(authority=post.authority, initial={"campaign": post.campaign_id})
