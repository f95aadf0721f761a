"""Forms of the studio; messages in French, validation only (no writes)."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from parvis.planning.models import Campaign
from parvis.planning.selectors_campaigns import campaign_choices
from parvis.publishing.timing import local_to_utc
from parvis.sources.models import Article
from parvis.studio.models import PartnerAccount
from parvis.studio.networks import NETWORKS
from parvis.territory.models import Audience
from parvis.territory.vocabularies import Network

MAX_PARTS = 25
MAX_PART_CHARS = 10_000


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = obj.published_at or obj.fetched_at
        return f"{obj.title} ({date_format(when, 'j M Y')})" if when else obj.title


class PostCreateForm(forms.Form):
    ARTICLE = "article"
    BLANK = "blank"

    origin = forms.ChoiceField(
        label=_("Point de départ"),
        choices=[
            (ARTICLE, _("Un article du site de la collectivité")),
            (BLANK, _("Un texte à saisir ici")),
        ],
        widget=forms.RadioSelect,
        initial=ARTICLE,
    )
    article = ArticleChoiceField(
        label=_("Article du site"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("— Choisir un article —"),
        help_text=_(
            "Les articles lus sur les sources du site, les plus récents d'abord."
        ),
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=500,
        required=False,
    )
    lead = forms.CharField(
        label=_("Chapô (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("Texte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Le texte complet : le studio en tire l'essentiel pour chaque public."
        ),
    )
    url = forms.URLField(
        label=_("Lien vers la page (facultatif)"),
        max_length=1000,
        required=False,
        assume_scheme="https",
    )
    networks = forms.MultipleChoiceField(
        label=_("Réseaux"),
        choices=[(network, Network(network).label) for network in NETWORKS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un réseau.")},
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Publics"),
        queryset=Audience.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un public.")},
        help_text=_("Une variante est écrite pour chaque réseau et chaque public."),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campagne (facultatif)"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        help_text=_("Ses liens prennent l'identifiant de suivi de la campagne."),
        error_messages={
            "invalid_choice": _("Cette campagne n'appartient pas à la collectivité.")
        },
    )
    campaign_slug = forms.SlugField(
        label=_("Campagne, pour le suivi des liens (facultatif)"),
        max_length=80,
        required=False,
        help_text=_(
            "Ajoutée aux liens comme utm_campaign, par exemple fete-de-la-musique-2027."
        ),
    )
    # The calendar slot, in the authority's local time ("+ Nouvelle publication ce
    # jour" of the calendar fills the date in).
    planned_on = forms.DateField(
        label=_("Date de publication prévue (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide.")},
    )
    planned_time = forms.TimeField(
        label=_("Heure prévue"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Saisissez une heure valide, par exemple 14:30.")},
    )

    def __init__(self, *args: Any, authority: Any, articles: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.timezone_name = authority.timezone
        self.fields["article"].queryset = articles  # type: ignore[attr-defined]
        campaigns = self.fields["campaign"]
        campaigns.queryset = campaign_choices(authority=authority)  # type: ignore[attr-defined]
        audiences = authority.audiences.order_by("pk")
        self.fields["audiences"].queryset = audiences  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault(
                "audiences", [a.pk for a in audiences if a.slug == "habitants"]
            )
            if not articles.exists():
                self.initial["origin"] = self.BLANK

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("origin") == self.ARTICLE:
            if not data.get("article") and "article" not in self.errors:
                self.add_error("article", _("Choisissez un article."))
        else:
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Donnez un titre au texte."))
            if not (data.get("text") or "").strip():
                self.add_error("text", _("Saisissez le texte à adapter."))
        campaign = data.get("campaign")
        if campaign is not None:
            if data.get("campaign_slug") not in ("", None, campaign.slug):
                self.add_error(
                    "campaign_slug",
                    _(
                        "Une publication de campagne prend l'identifiant de la "
                        "campagne (« %(slug)s ») : laissez ce champ vide."
                    )
                    % {"slug": campaign.slug},
                )
            data["campaign_slug"] = campaign.slug
        data["planned_at"] = self._planned_at(data)
        return data

    def _planned_at(self, data: dict[str, Any]) -> dt.datetime | None:
        day, time = data.get("planned_on"), data.get("planned_time")
        if day is None:
            return None
        if time is None:
            if "planned_time" not in self.errors:
                self.add_error("planned_time", _("Indiquez aussi l'heure."))
            return None
        try:
            return local_to_utc(dt.datetime.combine(day, time), self.timezone_name)
        except ValidationError as error:
            self.add_error("planned_time", error)
            return None


class VariantForm(forms.Form):
    """The parts of a variant come as a list (`part`, one per textarea); the form
    checks them, the template draws one labelled textarea per part."""

    image_alt = forms.CharField(
        label=_("Texte alternatif de l'image"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        getlist = getattr(self.data, "getlist", None)
        self.parts: list[str] = getlist("part") if getlist else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(self.parts) > MAX_PARTS:
            raise ValidationError(
                _("Un fil compte %(max)s parties au plus.") % {"max": MAX_PARTS}
            )
        if any(len(part) > MAX_PART_CHARS for part in self.parts):
            raise ValidationError(_("Une partie est beaucoup trop longue."))
        data["parts"] = [part.replace("\r\n", "\n") for part in self.parts]
        return data

    @property
    def edited_part(self) -> int | None:
        try:
            return int(self.data.get("part_edited", ""))
        except ValueError:
            return None


class PartnerAccountForm(forms.ModelForm):
    """A partner's account on one network; the model checks the handle's form."""

    class Meta:
        model = PartnerAccount
        fields = ["name", "network", "handle"]
        labels = {
            "name": _("Nom du partenaire"),
            "network": _("Réseau"),
            "handle": _("Compte à mentionner"),
        }
        help_texts = {
            "handle": _(
                "Commence par @. X, Instagram : @nom ; Mastodon : "
                "@utilisateur@instance ; Bluesky : @nom.domaine ; Facebook, LinkedIn : "
                "@ suivi du nom de la page."
            ),
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_handle(self) -> str:
        return self.cleaned_data["handle"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, network = data.get("name"), data.get("network")
        if name and network:
            duplicates = PartnerAccount.objects.filter(
                authority=self.authority, network=network, name__iexact=name
            ).exclude(pk=self.instance.pk)
            if duplicates.exists():
                self.add_error(
                    "name",
                    _("Ce partenaire a déjà un compte enregistré sur ce réseau."),
                )
        return data
