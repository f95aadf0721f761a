from django import forms
from django.utils.translation import gettext_lazy as _


class MastodonForm(forms.Form):
    instance = forms.CharField(
        label=_("Instance Mastodon du compte"),
        max_length=300,
        help_text=_(
            "L'adresse du serveur, par exemple « mastodon.social », ou l'identifiant "
            "complet du compte, par exemple « @ville@social.exemple.fr »."
        ),
    )


class BlueskyForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifiant Bluesky du compte"),
        max_length=253,
        help_text=_("Par exemple « ville-saint-malo.bsky.social »."),
    )
    app_password = forms.CharField(
        label=_("Mot de passe d'application"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Créez-le dans Bluesky : Paramètres › Confidentialité et sécurité › Mots de "
            "passe d'application. N'utilisez jamais le mot de passe principal du compte."
        ),
    )
    pds = forms.CharField(
        label=_("Serveur (PDS), si le compte n'est pas hébergé par Bluesky"),
        max_length=300,
        required=False,
    )


class OrganizationForm(forms.Form):
    organization_id = forms.RegexField(
        label=_("Numéro de la page entreprise LinkedIn"),
        regex=r"^\d{1,20}$",
        help_text=_(
            "Le nombre qui figure dans l'adresse de la page d'administration, par exemple "
            "12345678 dans linkedin.com/company/12345678/admin/."
        ),
        error_messages={"invalid": _("Indiquez uniquement le numéro (des chiffres).")},
    )


class AccountChoiceForm(forms.Form):
    account = forms.ChoiceField(label=_("Compte à connecter"), widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = choices  # type: ignore[attr-defined]
