"""The "approved -> scheduled" step of the editor's workflow panel: schedule an
approved post at a local date and time on the channels chosen per variant, or take a
scheduled post back. The panel posts here; on a refusal the form comes back on its own
page with the French reasons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.planning import services
from parvis.planning.forms_calendar import ScheduleForm, slot_initial
from parvis.planning.selectors import schedule_targets_for
from parvis.publishing.timing import utc_to_local
from parvis.studio.models import PostState
from parvis.studio.selectors import post_of


def _editor_url(slug: str, pk: int) -> str:
    return reverse("studio:post", args=[slug, pk]) + "#circuit"


@authority_view(roles=WRITE_ROLES)
def post_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    if request.method != "POST" and post.state != PostState.APPROVED:
        return redirect(_editor_url(authority.slug, post.pk))
    form = ScheduleForm(
        request.POST or None,
        targets=schedule_targets_for(post=post),
        timezone_name=authority.timezone,
        initial=slot_initial(post.planned_at, authority.timezone),
        auto_id="programmer-%s",
    )
    if request.method == "POST" and form.is_valid():
        planned_at = form.cleaned_data["planned_at"]
        try:
            publications = services.post_schedule(
                post=post,
                actor=request.user,
                channels=form.channels_by_variant(),
                planned_at=planned_at,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            local = utc_to_local(planned_at, authority.timezone)
            count = len({publication.channel_id for publication in publications})
            messages.success(
                request,
                ngettext(
                    "Programmée le %(when)s sur %(count)s canal.",
                    "Programmée le %(when)s sur %(count)s canaux.",
                    count,
                )
                % {"when": date_format(local, "l j F Y à H:i"), "count": count},
            )
            return redirect(_editor_url(authority.slug, post.pk))
    return render(
        request,
        "planning/calendar_schedule.html",
        {"post": post, "form": form, "editor_url": _editor_url(authority.slug, pk)},
    )


@authority_view(roles=WRITE_ROLES)
def post_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    post = post_of(authority=authority, post_id=pk)
    if request.method == "POST":
        try:
            services.post_unschedule(post=post, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Déprogrammée : ses envois prévus sont annulés, elle reste approuvée."
                ),
            )
    return redirect(_editor_url(authority.slug, post.pk))
