"""The dashboard's filters: a period (the last days, or two dates) and optionally a
channel, a campaign, an audience, all of the authority."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PERIODS = [
    ("7", _("7 derniers jours")),
    ("30", _("30 derniers jours")),
    ("90", _("90 derniers jours")),
    ("365", _("12 derniers mois")),
    ("dates", _("Entre deux dates")),
]
LONGEST_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"), choices=PERIODS, required=False, initial="30"
    )
    du = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    canal: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Canal"), queryset=None, required=False, empty_label=_("Tous")
    )
    campagne: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Campagne"), queryset=None, required=False, empty_label=_("Toutes")
    )
    public: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Public"), queryset=None, required=False, empty_label=_("Tous")
    )

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["canal"].queryset = authority.channels.order_by("network", "id")  # type: ignore[attr-defined]
        self.fields["campagne"].queryset = authority.campaigns.order_by("-starts_on")  # type: ignore[attr-defined]
        self.fields["public"].queryset = authority.audiences.order_by("name")  # type: ignore[attr-defined]
        self.fields["canal"].label_from_instance = (  # type: ignore[attr-defined]
            lambda channel: f"{channel.get_network_display()} — {channel.handle}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("periode") == "dates":
            start, end = data.get("du"), data.get("au")
            if not start or not end:
                raise ValidationError(_("Indiquez les deux dates de la période."))
            if end < start:
                raise ValidationError(_("La date de fin précède la date de début."))
            if (end - start).days > LONGEST_DAYS:
                raise ValidationError(_("La période ne peut dépasser trois ans."))
        return data

    def days(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last days (local) of the chosen period; 30 days by default."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("periode") == "dates":
            return data["du"], data["au"]
        count = int(data.get("periode") or 30)
        return today - dt.timedelta(days=count - 1), today
