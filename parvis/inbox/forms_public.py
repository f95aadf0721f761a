"""The public form "Contacter / Signaler un problème" (no account).

Against robots, without a CAPTCHA: a honeypot field that people do not see (hidden
from screen readers and out of the tab order, so nobody fills it by accident) and a
minimum fill time carried by a signed timestamp (`form_started_token`). Either one
refuses the submission with the same calm sentence, the typed text kept; a person
caught by mistake only has to send again. The rate limit is the view's (per IP
address, see services/intake.py).
"""

import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from parvis.inbox.models import Kind, ReportCategory
from parvis.inbox.services import PhotoRejected, photo_clean

MIN_FILL_SECONDS = 3
HONEYPOT = "site_web"
STARTED_SALT = "parvis.inbox.public_form.started"
COORDINATE = Decimal("0.000001")
REFUSED = _(
    "Votre message n'a pas pu être envoyé. Relisez-le, puis envoyez-le à nouveau."
)


def form_started_token(authority: Any, *, at: float | None = None) -> str:
    """The signed moment the form was shown, for this authority."""
    moment = int(time.time() if at is None else at)
    return signing.Signer(salt=STARTED_SALT).sign(f"{authority.pk}:{moment}")


def filled_too_fast(token: str, authority: Any) -> bool:
    """True for a missing, forged or other authority's token, or one signed less
    than MIN_FILL_SECONDS ago."""
    try:
        value = signing.Signer(salt=STARTED_SALT).unsign(token)
        authority_pk, moment = value.split(":")
    except (signing.BadSignature, ValueError):
        return True
    if authority_pk != str(authority.pk):
        return True
    return time.time() - int(moment) < MIN_FILL_SECONDS


def robot_suspected(form: forms.Form, cleaned: dict[str, Any], authority: Any) -> bool:
    """The honeypot was filled, or the form was sent faster than a person types."""
    return bool(cleaned.get(HONEYPOT)) or filled_too_fast(
        form.data.get("started", ""), authority
    )


def refresh(form: forms.Form, authority: Any) -> None:
    """Ready a bound form to be shown again: what was typed is kept, the honeypot
    is emptied and the fill time restarts."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[HONEYPOT] = ""
    data["started"] = form_started_token(authority)
    form.data = data


def category_choices(categories: Iterable[ReportCategory]) -> list[Any]:
    """The choices of the category list, grouped by their group (optgroups)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in categories:
        groups.setdefault(category.group, []).append((category.code, category.name))
    choices: list[Any] = [("", _("Je ne sais pas, ou autre chose"))]
    if len(groups) <= 1:
        return choices + [choice for group in groups.values() for choice in group]
    return choices + [(group or _("Autres"), items) for group, items in groups.items()]


class PublicMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vous souhaitez"),
        choices=[
            (Kind.REPORT, _("Signaler un problème dans l'espace public")),
            (Kind.CONTACT, _("Poser une question ou écrire à la collectivité")),
        ],
        initial=Kind.REPORT,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("Type de problème"),
        required=False,
        help_text=_("Pour un signalement : votre message ira au bon service."),
    )
    text = forms.CharField(
        label=_("Votre message"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Décrivez ce que vous avez constaté ou votre question. N'indiquez pas "
            "d'informations sur d'autres personnes."
        ),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=_(
            "Facultatif. JPEG, PNG ou WebP, 8 Mo au plus. La position GPS et les "
            "autres informations cachées dans la photo sont retirées."
        ),
    )
    address = forms.CharField(
        label=_("Adresse ou lieu"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : devant la poste, rue de Dinan ; parking du port."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Facultatif : pour recevoir l'accusé de réception et la réponse. Sans "
            "adresse, suivez votre demande avec le numéro qui vous sera donné."
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
        self.categories = {
            category.code: category
            for category in ReportCategory.objects.filter(
                authority=authority, active=True
            ).order_by("group", "name")
        }
        self.fields["category"].choices = category_choices(self.categories.values())  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["started"] = form_started_token(authority)

    def clean_category(self) -> ReportCategory | None:
        return self.categories.get(self.cleaned_data.get("category") or "")

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return photo_clean(upload)
        except PhotoRejected as error:
            raise forms.ValidationError(str(error), code="photo") from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if robot_suspected(self, cleaned, self.authority):
            self.suspected_robot = True
            raise forms.ValidationError(REFUSED, code="refused")
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error(
                "latitude" if latitude is None else "longitude",
                _("Indiquez la latitude et la longitude, ou aucune des deux."),
            )
        for name in ("latitude", "longitude"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].quantize(COORDINATE)
        if cleaned.get("kind") == Kind.CONTACT:
            cleaned["category"] = None
        return cleaned

    def photo_to_choose_again(self) -> bool:
        """A photo was sent with a form that is shown again: browsers cannot keep
        the chosen file, the citizen must pick it again."""
        return bool(self.files.get("photo"))

    def refreshed(self) -> "PublicMessageForm":
        """The same form for showing again: what the citizen typed is kept, the
        honeypot is emptied and the fill time restarts."""
        refresh(self, self.authority)
        return self
