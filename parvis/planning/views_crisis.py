"""Crisis mode's page: every member sees the crisis under way (paused publications,
the alert on each channel and its pin) and the past ones; validators and
administrators start one (with a confirmation step) and lift it; writers reschedule
the posts a lift left held."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import WRITE_ROLES
from parvis.planning import services
from parvis.planning.forms_crisis import (
    CrisisLiftForm,
    CrisisStartForm,
    RescheduleForm,
)
from parvis.planning.models import Crisis
from parvis.planning.rules import URGENT_ROLES
from parvis.planning.selectors_crisis import (
    active_crisis,
    alert_channels,
    alert_publications,
    alert_texts,
    channels_without_alert,
    held_posts,
    past_crises,
    paused_count,
)
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.selectors import post_of


def _page(request: HttpRequest, **extra: Any) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    role = request.membership.role  # type: ignore[attr-defined]
    crisis = active_crisis(authority=authority)
    channels = alert_channels(authority=authority)
    context: dict[str, Any] = {
        "crisis": crisis,
        "can_act": role in URGENT_ROLES,
        "can_write": role in WRITE_ROLES,
        "past": past_crises(authority=authority)[:50],
        "paused_now": paused_count(authority=authority),
    }
    if crisis is not None:
        context["alerts"] = alerts = alert_publications(crisis=crisis)
        context["any_pin_failed"] = any(row.pin_failed for row in alerts)
        context["lift_form"] = extra.pop("lift_form", None) or CrisisLiftForm()
    else:
        context["start_form"] = extra.pop("start_form", None) or CrisisStartForm(
            channels=channels
        )
        context["limits"] = alert_texts(message="", channels=channels)
        context["skipped"] = channels_without_alert(authority=authority)
        context["held"] = list(held_posts(authority=authority))
        context["reschedule_form"] = RescheduleForm(zone=authority.timezone)
    context.update(extra)
    return render(request, "planning/crisis.html", context)


@authority_view()
def crisis_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@authority_view(roles=URGENT_ROLES)
def crisis_count(request: HttpRequest) -> HttpResponse:
    """For htmx as the message is typed: its length on each chosen network (nothing
    is saved)."""
    authority = request.authority  # type: ignore[attr-defined]
    if request.method != "POST":
        return redirect("crisis:page", slug=authority.slug)
    chosen = set(request.POST.getlist("channels"))
    channels = [c for c in alert_channels(authority=authority) if str(c.pk) in chosen]
    message = request.POST.get("message", "")[:5000]
    html = render_to_string(
        "planning/_crisis_counts.html",
        {"texts": alert_texts(message=message, channels=channels), "typed": message},
    )
    return HttpResponse(html)


@authority_view(roles=URGENT_ROLES)
def crisis_start(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation page (what will go out where, what will pause).
    Second POST (confirmed): the crisis starts."""
    authority = request.authority  # type: ignore[attr-defined]
    if request.method != "POST":
        return redirect("crisis:page", slug=authority.slug)
    form = CrisisStartForm(request.POST, channels=alert_channels(authority=authority))
    if not form.is_valid():
        return _page(request, start_form=form)
    data = form.cleaned_data
    channels = list(data["channels"])
    if "edit" in request.POST:
        return _page(request, start_form=form)
    # Only the confirmation page sends "confirmed": the start is its second step.
    if request.POST.get("confirmed") != "1":
        texts = alert_texts(message=data["message"], channels=channels)
        refused = [text.problem for text in texts if text.problem]
        if refused:
            for problem in refused:
                form.add_error("message", problem)
            return _page(request, start_form=form)
        waiting = Publication.objects.filter(
            authority=authority,
            state__in=[PublicationState.PENDING, PublicationState.QUEUED],
            variant__post__is_crisis=False,
        ).count()
        networks = [
            (text, [c for c in channels if c.network == text.network]) for text in texts
        ]
        return render(
            request,
            "planning/crisis_confirm.html",
            {
                "form": form,
                "networks": networks,
                "channels": channels,
                "waiting": waiting,
            },
        )
    try:
        services.crisis_start(
            authority=authority,
            actor=request.user,
            title=data["title"],
            message=data["message"],
            channels=channels,
        )
    except ValidationError as error:
        if active_crisis(authority=authority) is not None:
            # Started meanwhile by someone else: the page now shows that one.
            messages.error(request, " ".join(error.messages))
            return redirect("crisis:page", slug=authority.slug)
        for text in error.messages:
            form.add_error(None, text)
        return _page(request, start_form=form)
    messages.success(
        request,
        _("Mode crise déclenché : les publications programmées sont suspendues."),
    )
    return redirect("crisis:page", slug=authority.slug)


def _posted_crisis(request: HttpRequest) -> Crisis | None:
    """The active crisis, if it is the one the form was shown for."""
    authority = request.authority  # type: ignore[attr-defined]
    crisis = active_crisis(authority=authority)
    if crisis is None or str(crisis.pk) != request.POST.get("crisis"):
        messages.error(
            request, _("Cette crise est déjà levée : la page a été mise à jour.")
        )
        return None
    return crisis


@authority_view(roles=URGENT_ROLES)
def crisis_lift(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    if request.method != "POST":
        return redirect("crisis:page", slug=authority.slug)
    crisis = _posted_crisis(request)
    if crisis is None:
        return redirect("crisis:page", slug=authority.slug)
    form = CrisisLiftForm(request.POST)
    if not form.is_valid():
        return _page(request, lift_form=form)
    try:
        services.crisis_lift(
            crisis=crisis,
            actor=request.user,
            resume_mode=form.cleaned_data["resume_mode"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Mode crise levé."))
    return redirect("crisis:page", slug=authority.slug)


@authority_view(roles=URGENT_ROLES)
def crisis_pin_again(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    crisis = _posted_crisis(request) if request.method == "POST" else None
    if crisis is not None:
        try:
            count = services.crisis_alert_pin_again(crisis=crisis, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Nouvel essai d'épinglage demandé (%(count)d canal ou canaux).")
                % {"count": count},
            )
    return redirect("crisis:page", slug=authority.slug)


@authority_view(roles=WRITE_ROLES)
def crisis_reschedule(request: HttpRequest) -> HttpResponse:
    """A post held by a lifted crisis, at a new slot (its publications resume)."""
    authority = request.authority  # type: ignore[attr-defined]
    if request.method != "POST":
        return redirect("crisis:page", slug=authority.slug)
    post = post_of(authority=authority, post_id=request.POST.get("post"))
    form = RescheduleForm(request.POST, zone=authority.timezone)
    if not form.is_valid():
        messages.error(request, _("Indiquez une date et une heure valides."))
        return redirect("crisis:page", slug=authority.slug)
    try:
        services.post_plan(
            post=post, actor=request.user, planned_at=form.cleaned_data["planned_at"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("« %(title)s » est reprogrammée.") % {"title": post.title}
        )
    return redirect("crisis:page", slug=authority.slug)
