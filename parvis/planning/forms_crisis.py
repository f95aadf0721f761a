"""Forms of crisis mode: start (then confirm), lift, reschedule a held post."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.planning.models import Crisis


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class CrisisStartForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé de la crise"),
        max_length=200,
        help_text=_(
            "Pour l'équipe et l'historique, par exemple « Crue de la Rance, "
            "quartier de Saint-Servan »."
        ),
    )
    message = forms.CharField(
        label=_("Message d'alerte"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Publié tel quel sur chaque canal coché. Trop long pour un réseau qui "
            "publie des fils, il y est découpé en fil numéroté ; sinon, il faut le "
            "raccourcir. Des phrases courtes, ce qu'il faut faire, où s'informer."
        ),
    )
    channels = ChannelChoiceField(
        label=_("Canaux de l'alerte"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tous sont cochés : décochez un canal pour ne pas y publier l'alerte."
        ),
    )

    def __init__(self, *args: Any, channels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from parvis.channels.models import Channel

        field = self.fields["channels"]
        assert isinstance(field, ChannelChoiceField)
        field.queryset = Channel.objects.filter(pk__in=[c.pk for c in channels])
        if not self.is_bound:
            field.initial = [channel.pk for channel in channels]
        if not channels:
            field.help_text = _(
                "Aucun canal connecté ne peut publier l'alerte : seules les "
                "publications seront suspendues."
            )

    def clean_message(self) -> str:
        # Browsers send line breaks as CRLF; the networks count one character.
        return self.cleaned_data["message"].replace("\r\n", "\n").strip()


class CrisisLiftForm(forms.Form):
    resume_mode = forms.ChoiceField(
        label=_("Que deviennent les publications suspendues ?"),
        choices=Crisis.Resume.choices,
        widget=forms.RadioSelect,
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RescheduleForm(forms.Form):
    """A new slot for a held post, typed in the authority's time zone."""

    planned_at = forms.DateTimeField(
        label=_("Nouvelle date de publication"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone or "Europe/Paris")

    def clean_planned_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["planned_at"]
        naive = value.replace(tzinfo=None)
        return naive.replace(tzinfo=self.zone).astimezone(dt.UTC)
