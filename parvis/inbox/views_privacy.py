"""Personal data in the inbox, for the authority's administrators: one person's
messages found, exported (right of access) or erased (right to erasure), and the
processing-register entry for the DPO. The person's identifier travels in POST
bodies only, never in a URL that logs would keep."""

from typing import Any

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import MANAGE_ROLES
from parvis.channels.models import Channel
from parvis.inbox import services
from parvis.inbox.forms import EraseForm, PersonForm

FOUND_SHOWN = 50


def _page(request: HttpRequest, form: PersonForm, **extra: Any) -> HttpResponse:
    settings = services.inbox_settings_of(authority=request.authority)  # type: ignore[attr-defined]
    return render(
        request,
        "inbox/privacy.html",
        {"form": form, "retention_months": settings.retention_months, **extra},
    )


@authority_view(roles=MANAGE_ROLES)
def person_data(request: HttpRequest) -> HttpResponse:
    """Find one person's messages (POST), then offer export and erasure."""
    if request.method != "POST":
        return _page(request, PersonForm())
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    identifier = form.cleaned_data["identifier"]
    found = services.person_messages(
        authority=request.authority,  # type: ignore[attr-defined]
        identifier=identifier,
    )
    return _page(
        request,
        form,
        searched=True,
        found=list(found[:FOUND_SHOWN]),
        found_count=found.count(),
        erase_form=EraseForm(initial={"identifier": identifier}),
    )


@authority_view(roles=MANAGE_ROLES)
@require_POST
def person_data_export(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    data = services.person_export(
        authority=authority,
        actor=request.user,
        identifier=form.cleaned_data["identifier"],
    )
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    name = f"donnees-{slugify(authority.slug)}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@authority_view(roles=MANAGE_ROLES)
@require_POST
def person_data_erase(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = EraseForm(request.POST)
    if not form.is_valid():
        identifier = request.POST.get("identifier", "")
        found = services.person_messages(authority=authority, identifier=identifier)
        return _page(
            request,
            PersonForm(initial={"identifier": identifier}),
            searched=True,
            found=list(found[:FOUND_SHOWN]),
            found_count=found.count(),
            erase_form=form,
        )
    count = services.person_erase(
        authority=authority,
        actor=request.user,
        identifier=form.cleaned_data["identifier"],
    )
    flash.success(
        request,
        _("%(count)s messages anonymisés. L'effacement est inscrit au journal.")
        % {"count": count},
    )
    return redirect("inbox:privacy", slug=authority.slug)


@authority_view(roles=MANAGE_ROLES)
def processing_register(request: HttpRequest) -> HttpResponse:
    """The entry of the inbox in the authority's register of processing activities
    (RGPD article 30), filled with its own settings, for its DPO."""
    authority = request.authority  # type: ignore[attr-defined]
    settings = services.inbox_settings_of(authority=authority)
    networks = sorted(
        {
            channel.get_network_display()
            for channel in Channel.objects.filter(authority=authority)
        }
    )
    return render(
        request,
        "inbox/processing_register.html",
        {
            "retention_months": settings.retention_months,
            "networks": networks,
        },
    )
