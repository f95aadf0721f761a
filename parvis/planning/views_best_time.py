"""The best time to publish: suggested slots per channel, for every member."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from parvis.accounts.decorators import authority_view
from parvis.planning.best_time import (
    MIN_PUBLICATIONS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    WINDOW,
    best_slots,
    next_datetimes,
    usable_channels,
)
from parvis.planning.best_time_defaults import defaults

NEXT_DATETIMES = 3


@authority_view()
def best_time(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    now = timezone.now()
    reports = []
    for channel in usable_channels(authority=authority):
        best = best_slots(channel=channel, now=now)
        upcoming = next_datetimes(
            best.suggestions,
            timezone_name=best.timezone_name,
            after=now,
            count=NEXT_DATETIMES,
        )
        reports.append((best, upcoming))
    sources, _slots = defaults()
    return render(
        request,
        "planning/best_time.html",
        {
            "reports": reports,
            "weekdays": list(zip(WEEKDAYS, WEEKDAY_ABBREVIATIONS, strict=True)),
            "sources": list(sources.values()),
            "min_publications": MIN_PUBLICATIONS,
            "window_days": WINDOW.days,
        },
    )
