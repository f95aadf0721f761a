"""Forms of participation: the team's consultation form, moderation and statements;
the citizens' contribution form (honeypot and minimum fill time, as the inbox's
public form: parvis/inbox/forms_public.py)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.inbox.forms_public import (
    REFUSED,
    form_started_token,
    refresh,
    robot_suspected,
)
from parvis.participation.models import Consultation
from parvis.planning.forms_crisis import DateTimeInput
from parvis.publishing.models import Publication

PUBLICATIONS_OFFERED = 60


class ConsultationForm(forms.ModelForm):  # type: ignore[type-arg]
    """Dates are read and shown in the authority's timezone (the view activates it)."""

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "question",
            "description",
            "topic",
            "starts_at",
            "ends_at",
            "moderation",
            "published",
            "votes_open",
            "votes_need_email",
            "publications",
            "image",
            "image_alt",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "question": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "moderation": forms.RadioSelect,
            "publications": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "slug": _(
                "Dans l'adresse de la page publique : lettres, chiffres, tirets."
            ),
            "question": _(
                "La question à laquelle les habitants répondent, en une phrase."
            ),
            "published": _("Sans cette case, la page publique n'existe pas encore."),
            "votes_open": _(
                "Les participants votent sur les propositions que vous avez retenues."
            ),
            "votes_need_email": _(
                "Chaque votant confirme une adresse e-mail par un lien ; une adresse ne "
                "vote qu'une fois par proposition."
            ),
            "publications": _(
                "Les commentaires sous ces publications, sur chaque réseau, deviennent "
                "des contributions (avec leur origine)."
            ),
            "image_alt": _("Obligatoire avec une image : ce qu'elle montre."),
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority
        recent = (
            Publication.objects.filter(authority=authority, state="published")
            .select_related("channel", "variant__post")
            .order_by("-published_at")[:PUBLICATIONS_OFFERED]
        )
        field = self.fields["publications"]
        field.queryset = Publication.objects.filter(  # type: ignore[attr-defined]
            pk__in=[publication.pk for publication in recent]
        ) | (
            self.instance.publications.all()
            if self.instance.pk
            else Publication.objects.none()
        )
        field.label_from_instance = _publication_label  # type: ignore[attr-defined]
        field.required = False

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        taken = Consultation.objects.filter(authority=self.authority, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Une autre consultation a déjà cette adresse.")
            )
        return str(slug)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La clôture doit suivre l'ouverture."))
        if cleaned.get("image") and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Décrivez l'image pour qui ne la voit pas."))
        return cleaned


def _publication_label(publication: Publication) -> str:
    post = publication.variant.post
    when = (
        publication.published_at.strftime("%d/%m/%Y")
        if publication.published_at
        else ""
    )
    return f"{publication.channel} — {post.title or post.source_title} ({when})"


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du masquage (affiché publiquement)"),
        max_length=300,
        help_text=_(
            "Par exemple : propos injurieux ; hors sujet ; données personnelles."
        ),
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Proposition soumise au vote"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une phrase courte, sur laquelle on peut être d'accord ou non."),
    )
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContributionForm(forms.Form):
    """The public contribution form (no account)."""

    pseudonym = forms.CharField(
        label=_("Votre pseudonyme"),
        max_length=60,
        help_text=_("Affiché avec votre contribution. Pas besoin de votre vrai nom."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    text = forms.CharField(
        label=_("Votre contribution"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        help_text=_(
            "Une idée, une remarque, une proposition : 2 000 caractères au plus."
        ),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Facultatif : un lien de confirmation vous est envoyé ; votre adresse "
            "n'est jamais affichée."
        ),
    )
    site_web = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.suspected_robot = False
        if not self.is_bound:
            self.initial["started"] = form_started_token(authority)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if robot_suspected(self, cleaned, self.authority):
            self.suspected_robot = True
            raise forms.ValidationError(REFUSED, code="refused")
        return cleaned

    def refreshed(self) -> "ContributionForm":
        refresh(self, self.authority)
        return self
