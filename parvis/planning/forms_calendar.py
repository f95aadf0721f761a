"""Forms of the editorial calendar (validation only, French messages): the period and
filters of a view (GET), moving a post to a local date and time, and scheduling it.

Dates and times are typed in the authority's local time and turned into an aware UTC
instant by `publishing.timing.local_to_utc` (a time skipped by the spring change is
refused in French)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.planning.calendar import Filters, week_start
from parvis.planning.calendar_references import References
from parvis.publishing.timing import local_to_utc
from parvis.studio.models import PostState

# The list view covers this many days at most.
MAX_LIST_DAYS = 92


# Periods asked in the address stay within these years (and far from date.max).
YEARS = range(1970, 2101)


def month_of(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month `YYYY-MM` (the current month when absent,
    malformed or out of range)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if year in YEARS:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def day_of(value: str | None, default: dt.date) -> dt.date:
    """The day `YYYY-MM-DD`, or `default`."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if day.year in YEARS else default


def month_bounds(first_of_month: dt.date) -> tuple[dt.date, dt.date]:
    """The whole weeks, Monday to Sunday, that show one month."""
    following = (first_of_month + dt.timedelta(days=31)).replace(day=1)
    last_of_month = following - dt.timedelta(days=1)
    return (
        week_start(first_of_month),
        week_start(last_of_month) + dt.timedelta(days=6),
    )


def list_bounds(
    start: str | None, end: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """`du`..`au` (inclusive), four weeks from today by default, at most
    MAX_LIST_DAYS long."""
    first = day_of(start, today)
    last = day_of(end, first + dt.timedelta(days=27))
    if last < first:
        last = first
    return first, min(last, first + dt.timedelta(days=MAX_LIST_DAYS - 1))


class CalendarFilterForm(forms.Form):
    """The filters of every calendar view. Choices are the authorities' own channels,
    campaigns and audiences; a value outside them is ignored."""

    canal = forms.TypedChoiceField(
        label=_("Canal"), required=False, coerce=int, empty_value=None
    )
    campagne = forms.TypedChoiceField(
        label=_("Campagne"), required=False, coerce=int, empty_value=None
    )
    public = forms.TypedChoiceField(
        label=_("Public"), required=False, coerce=int, empty_value=None
    )
    etat = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous les états")), *PostState.choices],
    )

    def __init__(self, *args: Any, references: References, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        several = len(references.authorities) > 1
        initials = {a.pk: a.initials for a in references.authorities}

        def label(authority_id: int, text: str) -> str:
            return f"{initials[authority_id]} · {text}" if several else text

        fields: dict[str, Any] = self.fields
        fields["canal"].choices = [("", _("Tous les canaux"))] + [
            (c.pk, label(c.authority_id, c.label)) for c in references.channels.values()
        ]
        fields["campagne"].choices = [("", _("Toutes les campagnes"))] + [
            (c.pk, label(c.authority_id, c.name)) for c in references.campaigns.values()
        ]
        fields["public"].choices = [("", _("Tous les publics"))] + [
            (a.pk, label(a.authority_id, a.label)) for a in references.audiences
        ]

    def filters(self) -> Filters:
        """The valid filters; a field with an unknown value filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            channel_id=data.get("canal"),
            campaign_id=data.get("campagne"),
            audience_id=data.get("public"),
            state=data.get("etat") or "",
        )

    @property
    def active(self) -> bool:
        return any(self.filters().__dict__.values())


class SlotForm(forms.Form):
    """A local date and time, checked and turned into `cleaned_data["planned_at"]`."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choisissez la date."),
            "invalid": _("Saisissez une date valide, par exemple 24/12/2026."),
        },
    )
    time = forms.TimeField(
        label=_("Heure"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Choisissez l'heure."),
            "invalid": _("Saisissez une heure valide, par exemple 14:30."),
        },
    )

    def __init__(self, *args: Any, timezone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_name = timezone_name
        help_text = _("Heure locale (%(zone)s).") % {"zone": timezone_name}
        self.fields["time"].help_text = help_text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time") is not None:
            local = dt.datetime.combine(data["date"], data["time"])
            data["planned_at"] = local_to_utc(local, self.timezone_name)
        return data


def slot_initial(
    planned_at: dt.datetime | None, timezone_name: str, day: dt.date | None = None
) -> dict[str, Any]:
    """The form's first values: the post's slot in local time, or `day` at 9:00."""
    if planned_at is not None:
        from parvis.publishing.timing import utc_to_local

        local = utc_to_local(planned_at, timezone_name)
        return {"date": local.date(), "time": local.time().replace(second=0)}
    if day is not None:
        return {"date": day, "time": dt.time(9, 0)}
    return {}


class ScheduleForm(SlotForm):
    """The slot, and per variant the channels of its network (one field each,
    `canaux_<variant id>`), checked by default where `channels_for_variant` says."""

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            name = f"canaux_{target.variant.pk}"
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=target.label,
                coerce=int,
                choices=[(channel.pk, str(channel)) for channel in target.channels],
                initial=sorted(target.default_ids),
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _("Choisissez au moins un canal pour cette variante.")
                },
            )

    def channel_fields(self) -> list[Any]:
        return [self[f"canaux_{target.variant.pk}"] for target in self.targets]

    def channels_by_variant(self) -> dict[int, list[Any]]:
        """{variant id: the chosen Channel objects}, for `post_schedule`."""
        chosen = {}
        for target in self.targets:
            ids = set(self.cleaned_data.get(f"canaux_{target.variant.pk}", []))
            chosen[target.variant.pk] = [c for c in target.channels if c.pk in ids]
        return chosen
