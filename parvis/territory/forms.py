"""Forms of the territory app; messages in French, validation only (no writes)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parvis.territory.brand import AA_NORMAL_TEXT, HEX_COLOR, contrast_ratio
from parvis.territory.models import Audience, Election, Service
from parvis.territory.vocabularies import Network, Topic

MAX_LOGO_BYTES = 2 * 1024 * 1024


class ColorInput(forms.TextInput):
    input_type = "color"


class BrandForm(forms.Form):
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("Image PNG, JPEG ou WebP de 2 Mo au plus."),
    )
    logo_alt = forms.CharField(
        label=_("Texte alternatif du logo"),
        max_length=200,
        required=False,
        help_text=_("Ce que dit le logo, par exemple « Ville de Saint-Malo »."),
    )
    primary_color = forms.CharField(
        label=_("Couleur principale"),
        widget=ColorInput,
        help_text=_("Fond de l'en-tête et des boutons."),
    )
    on_primary_color = forms.CharField(
        label=_("Couleur du texte sur la couleur principale"),
        widget=ColorInput,
        help_text=_(
            "Le contraste entre les deux couleurs doit atteindre 4,5:1 (RGAA)."
        ),
    )

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise ValidationError(
                _("Le logo pèse %(size).1f Mo : 2 Mo au plus, s'il vous plaît.")
                % {"size": logo.size / 1024 / 1024}
            )
        if (
            logo
            and getattr(logo, "image", None) is not None
            and logo.image.format not in {"PNG", "JPEG", "WEBP", "GIF"}
        ):
            raise ValidationError(
                _("Format d'image non accepté : PNG, JPEG, WebP ou GIF.")
            )
        return logo

    def _clean_color(self, field: str) -> str:
        value = (self.cleaned_data.get(field) or "").strip().lower()
        if not HEX_COLOR.match(value):
            raise ValidationError(
                _("Indiquez une couleur au format #rrvvbb, par exemple #1f4e79.")
            )
        return value

    def clean_primary_color(self) -> str:
        return self._clean_color("primary_color")

    def clean_on_primary_color(self) -> str:
        return self._clean_color("on_primary_color")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        primary, on_primary = data.get("primary_color"), data.get("on_primary_color")
        if primary and on_primary:
            ratio = contrast_ratio(primary, on_primary)
            if ratio < AA_NORMAL_TEXT:
                raise ValidationError(
                    _(
                        "Contraste insuffisant entre ces deux couleurs : %(ratio)s:1, "
                        "alors que le RGAA (WCAG 2.1 niveau AA) demande au moins 4,5:1. "
                        "Choisissez un texte plus clair ou un fond plus foncé."
                    )
                    % {"ratio": f"{ratio:.2f}".replace(".", ",")}
                )
        if data.get("logo") and not data.get("logo_alt"):
            self.add_error(
                "logo_alt",
                _("Décrivez le logo pour les personnes qui ne le voient pas."),
            )
        return data


class TopicsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Topic.choices, **kwargs)


class AudienceForm(forms.ModelForm):
    interests = TopicsField(label=_("Centres d'intérêt"), required=False)
    preferred_networks = forms.MultipleChoiceField(
        label=_("Réseaux privilégiés"),
        choices=Network.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Audience
        fields = [
            "name",
            "description",
            "register",
            "tone",
            "interests",
            "preferred_networks",
            "reading_level",
            "targeting_hints",
        ]
        labels = {
            "name": _("Nom"),
            "description": _("Description"),
            "register": _("Registre"),
            "tone": _("Ton"),
            "reading_level": _("Lisibilité visée"),
            "targeting_hints": _("Indications de ciblage (publications sponsorisées)"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "targeting_hints": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        duplicates = Audience.objects.filter(
            authority=self.authority, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise ValidationError(_("Un public porte déjà ce nom."))
        return name

    def clean_reading_level(self) -> int:
        level = self.cleaned_data["reading_level"]
        if not 0 <= level <= 100:
            raise ValidationError(_("Un score entre 0 et 100."))
        return level


class ServiceForm(forms.ModelForm):
    topics = TopicsField(label=_("Domaines traités"), required=False)

    class Meta:
        model = Service
        fields = [
            "name",
            "topics",
            "email",
            "members",
            "sla_hours_urgent",
            "sla_days_signalement",
            "sla_days_question",
        ]
        labels = {
            "name": _("Nom du service"),
            "email": _("Adresse e-mail du service"),
            "members": _("Agents du service"),
            "sla_hours_urgent": _("Délai de réponse, message urgent (heures)"),
            "sla_days_signalement": _("Délai, signalement (jours ouvrés)"),
            "sla_days_question": _("Délai, question (jours ouvrés)"),
        }
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority
        members = self.fields["members"]
        members.queryset = members.queryset.filter(  # type: ignore[attr-defined]
            memberships__authority=authority
        ).order_by("email")
        members.required = False

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        duplicates = Service.objects.filter(
            authority=self.authority, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise ValidationError(_("Un service porte déjà ce nom."))
        return name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["kind", "first_round", "second_round", "is_estimated", "note"]
        labels = {
            "kind": _("Scrutin"),
            "first_round": _("Premier tour"),
            "second_round": _("Second tour (facultatif)"),
            "is_estimated": _("Date prévisionnelle"),
            "note": _("Remarque"),
        }
        widgets = {"first_round": DateInput(), "second_round": DateInput()}

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first_round"), data.get("second_round")
        if first and second and second <= first:
            self.add_error(
                "second_round", _("Le second tour doit suivre le premier tour.")
            )
        return data


class TerritorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom ou code officiel de la collectivité"),
        min_length=2,
        max_length=100,
        help_text=_(
            "Par exemple « Lyon », « 69123 », « Métropole de Lyon », « Gironde »."
        ),
        error_messages={"min_length": _("Tapez au moins deux caractères.")},
    )


class AuthorityCreateForm(forms.Form):
    territory = forms.IntegerField(
        error_messages={
            "required": _(
                "Choisissez une collectivité dans les résultats de recherche."
            ),
            "invalid": _(
                "Choisissez une collectivité dans les résultats de recherche."
            ),
        },
    )
