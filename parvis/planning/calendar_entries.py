"""What the editorial calendar shows (planning/calendar.py reads it): one entry per
post, the filters, and the warnings said in words (conflict, loaded day, gap)."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from parvis.planning.calendar_references import CalendarAuthority, CampaignRef
from parvis.planning.selectors import STATE_ICONS
from parvis.studio.models import PostState


@dataclass(frozen=True)
class Filters:
    channel_id: int | None = None
    campaign_id: int | None = None
    audience_id: int | None = None
    state: str = ""


class Conflict(NamedTuple):
    """Another post too close on the same channel."""

    other_title: str
    other_local: dt.datetime
    where: str
    minutes: int

    @property
    def message(self) -> str:
        return _("À %(gap)s de « %(title)s » (%(time)s) sur %(where)s.") % {
            **self._parts(),
            "where": self.where,
        }

    @property
    def short_message(self) -> str:
        """Without the channel, for the narrow cells of the month."""
        return _("À %(gap)s de « %(title)s » (%(time)s).") % self._parts()

    def _parts(self) -> dict[str, str]:
        hours, minutes = divmod(self.minutes, 60)
        return {
            "gap": f"{hours} h {minutes:02d}" if hours else f"{minutes} min",
            "title": self.other_title,
            "time": self.other_local.strftime("%H:%M"),
        }


@dataclass(slots=True, eq=False)
class Entry:
    post_id: int
    authority: CalendarAuthority
    title: str
    state: str
    planned_at: dt.datetime  # aware UTC
    stamp: int  # the same, in seconds, for quick comparisons
    local: dt.datetime  # aware, in the authority's timezone
    day: dt.date  # local
    campaign: CampaignRef | None
    is_crisis: bool
    # Tuples of plain values, or shared: a busy month holds thousands of entries,
    # and Python's garbage collector stops following such tuples (mutable
    # containers it would walk again and again, request after request).
    networks: tuple[str, ...]  # labels
    audience_ids: tuple[int, ...]
    channel_ids: tuple[int, ...]  # its publications' channels, or the defaults
    too_close: tuple[tuple[str, dt.datetime, str, int], ...]  # Conflict fields
    channel_labels: dict[int, str]  # shared by every entry

    @property
    def conflicts(self) -> list[Conflict]:
        return [Conflict(*close) for close in self.too_close]

    @property
    def channels(self) -> list[str]:
        labels = self.channel_labels
        return sorted(labels[pk] for pk in self.channel_ids if pk in labels)

    # Formatted here, in the authority's timezone: a template's date filter would
    # turn the instant into the active timezone instead.
    @property
    def time_label(self) -> str:
        return self.local.strftime("%H:%M")

    @property
    def iso(self) -> str:
        return self.local.isoformat()

    @property
    def state_label(self) -> str:
        return str(PostState(self.state).label)

    @property
    def icon(self) -> str:
        return STATE_ICONS.get(PostState(self.state), "")

    @property
    def can_move(self) -> bool:
        return self.authority.can_write and self.state not in {
            PostState.PUBLISHED,
            PostState.FAILED,
        }


@dataclass(frozen=True)
class Overload:
    authority: CalendarAuthority
    day: dt.date
    count: int
    maximum: int

    @property
    def message(self) -> str:
        return _(
            "%(count)s publications ce jour : plus que les %(maximum)s prévues au "
            "plus par les règles du calendrier."
        ) % {"count": self.count, "maximum": self.maximum}


@dataclass(frozen=True)
class Gap:
    authority: CalendarAuthority
    campaign: CampaignRef
    week: dt.date  # its Monday
    count: int
    expected: int

    @property
    def message(self) -> str:
        return _(
            "Campagne « %(name)s » : %(count)s publication(s) la semaine du "
            "%(monday)s, %(expected)s attendue(s)."
        ) % {
            "name": self.campaign.name,
            "count": self.count,
            "monday": self.week.strftime("%d/%m/%Y"),
            "expected": self.expected,
        }


@dataclass
class Calendar:
    first: dt.date
    last: dt.date
    entries: list[Entry]  # shown (filtered), by time
    by_day: dict[dt.date, list[Entry]]
    overloads: dict[dt.date, list[Overload]]
    gaps: list[Gap]
    conflict_count: int  # entries of the period with a conflict (all, not filtered)
