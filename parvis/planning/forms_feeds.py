"""Forms of the calendar feeds and of the calendar's CSV export."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A CSV of ten years is already more than anyone reads; beyond, it is a mistake.
EXPORT_MAX_DAYS = 3660


class CalendarFeedForm(forms.Form):
    label = forms.CharField(
        label=_("Pour qui"),
        max_length=120,
        help_text=_(
            "Par exemple « Agenda de la maire » ou « Cabinet, adjoint culture »."
        ),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CalendarExportForm(forms.Form):
    """The days of the export (local days, both included); ISO dates in the URL."""

    debut = forms.DateField(label=_("Du"), widget=DateInput())
    fin = forms.DateField(label=_("Au (inclus)"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("debut")
        end: dt.date | None = data.get("fin")
        if start and end:
            if end < start:
                self.add_error("fin", _("La fin doit suivre le début."))
            elif (end - start).days > EXPORT_MAX_DAYS:
                self.add_error("fin", _("Exportez au plus dix ans à la fois."))
        return data
