from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from parvis.sources.models import SourceKind

INVALID_ADDRESS = _(
    "Saisissez une adresse web complète, en http:// ou https://, par exemple "
    "https://www.ville.fr/actualites/feed/."
)


class WebAddressField(forms.URLField):
    """An http or https address; "www.ville.fr/feed/" is read as https."""

    default_error_messages = {"invalid": INVALID_ADDRESS}
    default_validators = [
        URLValidator(schemes=["http", "https"], message=INVALID_ADDRESS)
    ]


class SourceForm(forms.Form):
    url = WebAddressField(
        label=_("Adresse"),
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "L'adresse du flux RSS ou Atom (souvent …/feed/ ou …/rss.xml), du plan du "
            "site (…/sitemap.xml) ou d'une page."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Type de source"),
        choices=SourceKind.choices,
        initial=SourceKind.FEED,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Nom"),
        max_length=200,
        required=False,
        help_text=_("Facultatif : le titre du flux ou de la page par défaut."),
    )
