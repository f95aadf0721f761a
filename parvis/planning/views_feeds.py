"""The calendar outside Parvis: the secret ICS feeds (the public address read by
agenda applications, and the page where validators and administrators manage them)
and the CSV export of the calendar.

The CSV is what French Excel opens correctly on a double click: UTF-8 with a byte
order mark (without it, accents are read as Windows-1252) and `;` between cells (the
list separator of the French locale). A cell that a spreadsheet would read as a
formula (= + - @, tab, carriage return) starts with a quote instead."""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import AUDIT_ROLES
from parvis.planning import services
from parvis.planning.forms_feeds import CalendarExportForm, CalendarFeedForm
from parvis.planning.selectors_feeds import (
    FEED_FUTURE,
    FEED_PAST,
    FEED_STATES,
    calendar_export_posts,
    calendar_feed_for_token,
    calendar_feed_of,
    calendar_feeds_of,
    channels_of,
    feed_posts,
    first_variant_text,
    networks_of,
)
from parvis.studio.models import Post

EVENT_DURATION = dt.timedelta(minutes=15)
SEQUENCE_ORIGIN = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
DESCRIPTION_TEXT_CHARS = 500
# The feed's address is shown once, on the page the creation redirects to.
CREATED_FEED_KEY = "planning.created_calendar_feed"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- ICS feed (public, by secret address) -----------------------------------------------
@require_safe
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The authority's editorial calendar for agenda applications. No login: the
    address is the secret. Unknown and revoked addresses are 404 alike."""
    feed = calendar_feed_for_token(token=token)
    if feed is None:
        raise Http404("No such calendar feed")
    now = timezone.now()
    services.calendar_feed_touch(feed=feed, now=now)
    authority = feed.authority
    response = HttpResponse(
        feed_calendar(authority=authority, now=now),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'inline; filename="calendrier-{authority.slug}.ics"'
    )
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def feed_calendar(*, authority: Any, now: dt.datetime) -> bytes:
    """The VCALENDAR of the authority's planned posts (see selectors_feeds.FEED_STATES
    and the window around `now`), times in the authority's zone with its VTIMEZONE."""
    zone = ZoneInfo(authority.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Parvis//Calendrier éditorial//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.calendar_name = _("%(authority)s — calendrier éditorial") % {
        "authority": authority.name
    }
    calendar.add("x-wr-timezone", authority.timezone)
    calendar.add("refresh-interval", dt.timedelta(hours=1), {"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    host = urlsplit(settings.SITE_URL).hostname or "parvis"
    for post in feed_posts(authority=authority, now=now):
        url = editor_url(authority.slug, post.pk)
        calendar.add_component(_event(post, zone=zone, host=host, now=now, url=url))
    # The zone's rules over whole years around the window: the same VTIMEZONE all
    # year long, starting in winter.
    calendar.add_missing_timezones(
        first_date=dt.date((now - FEED_PAST).year - 1, 1, 1),
        last_date=dt.date((now + FEED_FUTURE).year + 2, 1, 1),
    )
    return calendar.to_ical()


def _event(
    post: Post, *, zone: ZoneInfo, host: str, now: dt.datetime, url: str
) -> Event:
    assert post.planned_at is not None  # feed_posts keeps planned posts only
    event = Event()
    event.add("uid", f"post-{post.pk}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", post.planned_at.astimezone(zone))
    event.add("duration", EVENT_DURATION)
    event.add(
        "summary",
        f"{post.title} ({post.get_state_display().lower()})",
    )
    event.add("description", _description(post, url=url))
    event.add("url", url)
    event.add("status", FEED_STATES[post.state])  # type: ignore[index]
    # A publication slot is not a meeting: it leaves the agenda free.
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", post.updated_at)
    # Every move or edit of the post touches updated_at: clients replace the event.
    event.add("sequence", sequence_of(post))
    return event


def sequence_of(post: Post) -> int:
    """Seconds from SEQUENCE_ORIGIN to the post's last change: grows with every move,
    and stays within the 32-bit integer of RFC 5545 until about 2093 (plain Unix
    seconds would overflow it in 2038). Never change the origin: a lower sequence
    makes clients ignore the update."""
    return max(0, int((post.updated_at - SEQUENCE_ORIGIN).total_seconds()))


def _description(post: Post, *, url: str) -> str:
    lines = [_("Réseaux : %(networks)s") % {"networks": ", ".join(networks_of(post))}]
    if post.campaign:
        lines.append(_("Campagne : %(name)s") % {"name": post.campaign.name})
    text = first_variant_text(post)
    if text:
        lines += ["", Truncator(text).chars(DESCRIPTION_TEXT_CHARS)]
    lines += ["", _("Dans Parvis : %(url)s") % {"url": url}]
    return "\n".join(lines)


def editor_url(slug: str, post_id: int) -> str:
    return settings.SITE_URL + reverse("studio:post", args=[slug, post_id])


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("feeds:ics", args=[token])


# -- managing the feeds (validators and administrators) --------------------------------
@authority_view(roles=AUDIT_ROLES)
def feed_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = CalendarFeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed, token = services.calendar_feed_create(
            authority=authority, actor=request.user, label=form.cleaned_data["label"]
        )
        request.session[CREATED_FEED_KEY] = {
            "authority": authority.pk,
            "feed": feed.pk,
            "label": feed.label,
            "url": feed_url(token),
        }
        return redirect("feeds:list", slug=authority.slug)
    created = request.session.get(CREATED_FEED_KEY)
    if created and created.get("authority") == authority.pk:
        del request.session[CREATED_FEED_KEY]
    else:
        created = None
    response = render(
        request,
        "planning/feed_list.html",
        {
            "feeds": calendar_feeds_of(authority=authority),
            "form": form,
            "created": created,
            "webcal_url": _webcal(created["url"]) if created else "",
            "export_form": CalendarExportForm(initial=_current_month(authority)),
        },
    )
    # The secret address must not stay in a cache or in the history's copy.
    response["Cache-Control"] = "no-store"
    return response


@authority_view(roles=AUDIT_ROLES)
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST revokes."""
    authority = request.authority  # type: ignore[attr-defined]
    feed = calendar_feed_of(authority=authority, feed_id=pk)
    if request.method == "POST":
        if services.calendar_feed_revoke(feed=feed, actor=request.user):
            messages.success(
                request,
                _(
                    "L'abonnement de « %(label)s » est révoqué : son adresse ne répond plus."
                )
                % {"label": feed.label},
            )
        return redirect("feeds:list", slug=authority.slug)
    return render(request, "planning/feed_revoke.html", {"feed": feed})


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[-1]


# -- CSV export of the calendar (every member) -----------------------------------------
EXPORT_COLUMNS = [
    gettext_lazy("Date"),
    gettext_lazy("Heure (%(zone)s)"),
    gettext_lazy("Titre"),
    gettext_lazy("État"),
    gettext_lazy("Campagne"),
    gettext_lazy("Réseaux"),
    gettext_lazy("Canaux"),
    gettext_lazy("Texte de la première variante"),
    gettext_lazy("Lien vers l'éditeur"),
]


@authority_view()
@require_safe
def calendar_export_csv(request: HttpRequest) -> HttpResponse:
    """The posts planned from ?debut= to ?fin= (ISO dates, local days, both
    included; by default the current month), whatever their state."""
    authority = request.authority  # type: ignore[attr-defined]
    days = _current_month(authority)
    data = {name: request.GET.get(name) or days[name].isoformat() for name in days}
    form = CalendarExportForm(data)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(
            " ".join(errors), content_type="text/plain; charset=utf-8"
        )
    start, end = form.cleaned_data["debut"], form.cleaned_data["fin"]
    zone = ZoneInfo(authority.timezone)
    posts = calendar_export_posts(authority=authority, start=start, end=end)
    header = [str(column) % {"zone": authority.timezone} for column in EXPORT_COLUMNS]
    rows = (_export_row(post, zone, slug=authority.slug) for post in posts)
    # A streamed response, which authority_view's annotation (HttpResponse) omits.
    return csv_response(  # type: ignore[return-value]
        header,
        rows,
        filename=f"calendrier-{authority.slug}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv",
    )


def _export_row(post: Post, zone: ZoneInfo, *, slug: str) -> list[str]:
    assert post.planned_at is not None
    local = post.planned_at.astimezone(zone)
    return [
        f"{local:%d/%m/%Y}",
        f"{local:%H:%M}",
        post.title,
        post.get_state_display(),
        post.campaign.name if post.campaign else "",
        ", ".join(networks_of(post)),
        ", ".join(channels_of(post)),
        first_variant_text(post),
        editor_url(slug, post.pk),
    ]


def _current_month(authority: Any) -> dict[str, dt.date]:
    today = timezone.localdate(timezone=ZoneInfo(authority.timezone))
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return {"debut": first, "fin": following - dt.timedelta(days=1)}


# -- CSV for spreadsheets (shared with the public archive) ------------------------------
class _Echo:
    """csv.writer writes into this and gets each line back, to stream it."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(value: Any) -> str:
    """The cell as text, never a formula for the spreadsheet that opens it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download: UTF-8 with BOM, `;` between cells, CRLF lines."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
