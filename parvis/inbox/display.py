"""Messages as the inbox shows them: masked excerpts, origins and delays in words,
and the label forms of a message with where each label comes from."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.inbox.forms import LABEL_FIELDS, LabelForm, label_value
from parvis.inbox.models import Message
from parvis.inbox.personal_data import mask
from parvis.inbox.selectors import OPEN_STATUSES

EXCERPT_LENGTH = 220


@dataclass(frozen=True)
class Row:
    """A message as the lists show it: masked, in words."""

    message: Message
    excerpt: str
    origin: str
    overdue: bool


def excerpt_of(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The masked text, cut at a word (masked first: a cut never leaves half a
    telephone number in clear)."""
    masked = " ".join(mask(text).split())
    if len(masked) <= length:
        return masked
    return masked[:length].rsplit(" ", 1)[0] + " …"


def origin_words(message: Message) -> str:
    words = f"{message.get_origin_display()}, {message.get_kind_display().lower()}"
    if message.channel is not None and message.channel.handle:
        words += " " + _("sur %(handle)s") % {"handle": message.channel.handle}
    return words


def is_overdue(message: Message, now: dt.datetime) -> bool:
    return (
        message.status in OPEN_STATUSES
        and message.due_at is not None
        and message.due_at < now
    )


def rows_of(messages: list[Message], now: dt.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    return [
        Row(m, excerpt_of(m.text), origin_words(m), is_overdue(m, now))
        for m in messages
    ]


def label_forms(message: Message, labels: Any = LABEL_FIELDS) -> list[LabelForm]:
    """One form per label, each knowing the value in words and where it comes from
    (checked by the team, or the model's estimate with its confidence)."""
    forms = []
    for label in labels:
        form = LabelForm(
            label=label,
            initial={"value": label_value(message, label)},
            prefix=label,
            auto_id=f"m{message.pk}-%s",
        )
        choices = dict(form.fields["value"].choices)  # type: ignore[attr-defined]
        form.current = choices.get(label_value(message, label), "")  # type: ignore[attr-defined]
        confidence = (message.confidences or {}).get(label)
        if label in (message.corrected or {}):
            provenance = _("vérifié par l'équipe")
        elif confidence is not None and message.classified_at:
            provenance = _("estimé, sûr à %(percent)s %%") % {
                "percent": round(float(confidence) * 100)
            }
        else:
            provenance = ""
        form.provenance = provenance  # type: ignore[attr-defined]
        forms.append(form)
    return forms
