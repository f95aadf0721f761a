"""The editorial calendar: month, week and list views of one authority
(/c/<slug>/calendrier/…) or of several at once for a member of many (agency,
/calendrier/…), and moving a post to another slot (a plain form, no JavaScript needed).

The views read through `planning.calendar` (a fixed number of queries) and write
only through `planning.services.post_plan`."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.accounts.selectors import memberships_of
from parvis.planning import services
from parvis.planning.calendar import (
    Calendar,
    CalendarAuthority,
    calendar_authorities,
    calendar_read,
    calendar_references,
    week_start,
    zone,
)
from parvis.planning.forms_calendar import (
    CalendarFilterForm,
    SlotForm,
    day_of,
    list_bounds,
    month_bounds,
    month_of,
    slot_initial,
)
from parvis.publishing.timing import utc_to_local
from parvis.studio.models import PostState
from parvis.studio.selectors import post_of

# A month cell lists this many posts, then links to the rest (list view of the day).
MONTH_DAY_LIMIT = 6
LIST_PAGE_SIZE = 100


@dataclass
class Scope:
    """The authorities in view, and how to link to the three views for them."""

    authorities: list[CalendarAuthority]
    choices: list[CalendarAuthority] = field(default_factory=list)  # agency only
    slug: str = ""  # one authority's calendar

    @property
    def agency(self) -> bool:
        return not self.slug

    def url(self, view: str) -> str:
        if self.agency:
            return reverse(f"calendar:agency_{view}")
        return reverse(f"calendar:{view}", args=[self.slug])


def _single(request: HttpRequest) -> Scope:
    membership = request.membership  # type: ignore[attr-defined]
    authorities = calendar_authorities(
        memberships=[membership], writer_roles=WRITE_ROLES
    )
    return Scope(authorities=authorities, slug=membership.authority.slug)


def _agency(request: HttpRequest) -> Scope:
    """Every authority the user is a member of; `?c=<slug>` (repeatable) narrows."""
    everyone = calendar_authorities(
        memberships=memberships_of(user=request.user), writer_roles=WRITE_ROLES
    )
    chosen = set(request.GET.getlist("c"))
    shown = [a for a in everyone if a.slug in chosen] or everyone
    return Scope(authorities=shown, choices=everyone)


def _today(scope: Scope) -> dt.date:
    name = scope.authorities[0].timezone if scope.authorities else "Europe/Paris"
    return timezone.now().astimezone(zone(name)).date()


def _read(
    request: HttpRequest, scope: Scope, first: dt.date, last: dt.date
) -> tuple[Calendar, CalendarFilterForm]:
    references = calendar_references(authorities=scope.authorities)
    form = CalendarFilterForm(request.GET, references=references)
    calendar = calendar_read(
        references=references, first=first, last=last, filters=form.filters()
    )
    return calendar, form


def _context(
    request: HttpRequest, scope: Scope, calendar: Calendar, form: CalendarFilterForm
) -> dict[str, Any]:
    return {
        # "Déplacer" comes back to the page it was clicked on.
        "move_suffix": "?" + urlencode({"next": request.get_full_path()}),
        "scope": scope,
        "calendar": calendar,
        "filter_form": form,
        "several": len(scope.authorities) > 1,
        "writable": [a for a in scope.authorities if a.can_write],
        "month_url": scope.url("month"),
        "week_url": scope.url("week"),
        "list_url": scope.url("list"),
    }


def _days(
    calendar: Calendar, first: dt.date, last: dt.date, today: dt.date, limit: int
) -> list[dict[str, Any]]:
    days = []
    day = first
    while day <= last:
        entries = calendar.by_day.get(day, [])
        days.append(
            {
                "date": day,
                "entries": entries[:limit] if limit else entries,
                "more": max(0, len(entries) - limit) if limit else 0,
                "count": len(entries),
                "overloads": calendar.overloads.get(day, []),
                "is_today": day == today,
                "is_past": day < today,
            }
        )
        day += dt.timedelta(days=1)
    return days


def _month(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = _today(scope)
    month = month_of(request.GET.get("mois"), today)
    first, last = month_bounds(month)
    calendar, form = _read(request, scope, first, last)
    days = _days(calendar, first, last, today, MONTH_DAY_LIMIT)
    for day in days:
        day["in_month"] = day["date"].month == month.month
    weeks = []
    for start in range(0, len(days), 7):
        monday = days[start]["date"]
        weeks.append(
            {
                "number": monday.isocalendar().week,
                "monday": monday,
                "days": days[start : start + 7],
                "gaps": [gap for gap in calendar.gaps if gap.week == monday],
            }
        )
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "planning/calendar_month.html",
        {
            **_context(request, scope, calendar, form),
            "view": "month",
            "month": month,
            "weeks": weeks,
            "weekdays": [weeks[0]["days"][i]["date"] for i in range(7)],
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "current": today.strftime("%Y-%m"),
            "today": today,
        },
    )


def _week(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = _today(scope)
    monday = week_start(day_of(request.GET.get("semaine"), today))
    sunday = monday + dt.timedelta(days=6)
    calendar, form = _read(request, scope, monday, sunday)
    return render(
        request,
        "planning/calendar_week.html",
        {
            **_context(request, scope, calendar, form),
            "view": "week",
            "monday": monday,
            "sunday": sunday,
            "number": monday.isocalendar().week,
            "days": _days(calendar, monday, sunday, today, 0),
            "gaps": calendar.gaps,
            "previous": (monday - dt.timedelta(days=7)).isoformat(),
            "following": (monday + dt.timedelta(days=7)).isoformat(),
            "current": week_start(today).isoformat(),
            "today": today,
        },
    )


def _list(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = _today(scope)
    first, last = list_bounds(request.GET.get("du"), request.GET.get("au"), today)
    calendar, form = _read(request, scope, first, last)
    descending = request.GET.get("ordre") == "desc"
    entries = calendar.entries[::-1] if descending else calendar.entries
    page = Paginator(entries, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/calendar_list.html",
        {
            **_context(request, scope, calendar, form),
            "view": "list",
            "first": first,
            "last": last,
            "page": page,
            "descending": descending,
            "gaps": calendar.gaps,
            "overloads": [o for day in calendar.overloads.values() for o in day],
            "today": today,
        },
    )


@authority_view()
def month(request: HttpRequest) -> HttpResponse:
    return _month(request, _single(request))


@authority_view()
def week(request: HttpRequest) -> HttpResponse:
    return _week(request, _single(request))


@authority_view()
def entries_list(request: HttpRequest) -> HttpResponse:
    return _list(request, _single(request))


@login_required
def agency_month(request: HttpRequest) -> HttpResponse:
    return _month(request, _agency(request))


@login_required
def agency_week(request: HttpRequest) -> HttpResponse:
    return _week(request, _agency(request))


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return _list(request, _agency(request))


def _next_url(request: HttpRequest) -> str:
    """Where to go back after the form: a local address only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@authority_view(roles=WRITE_ROLES)
def post_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a post to a local date and time (`post_plan`); `?jour=` suggests a day."""
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    back = _next_url(request)
    suggested = day_of(request.GET.get("jour"), dt.date.min)
    form = SlotForm(
        request.POST or None,
        timezone_name=authority.timezone,
        initial=slot_initial(
            post.planned_at,
            authority.timezone,
            None if suggested == dt.date.min else suggested,
        ),
        auto_id="deplacer-%s",
    )
    if request.method == "POST" and form.is_valid():
        planned_at = form.cleaned_data["planned_at"]
        try:
            services.post_plan(post=post, actor=request.user, planned_at=planned_at)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            local = utc_to_local(planned_at, authority.timezone)
            messages.success(
                request,
                _("« %(title)s » est prévue le %(when)s.")
                % {
                    "title": post.title,
                    "when": date_format(local, "l j F Y à H:i"),
                },
            )
            month = local.strftime("%Y-%m")
            default = reverse("calendar:month", args=[authority.slug])
            return redirect(back or f"{default}?mois={month}")
    return render(
        request,
        "planning/calendar_move.html",
        {
            "post": post,
            "form": form,
            "next": back,
            "can_move": post.state not in {PostState.PUBLISHED, PostState.FAILED},
            "calendar_url": reverse("calendar:month", args=[authority.slug]),
        },
    )
