"""Public pages of the inbox, for citizens without an account: the form "Contacter /
Signaler un problème" of an authority, its receipt, and the follow-up page of a
message, each in the authority's theme.

The receipt and follow-up pages show only the receipt number, the category, the
status in words and dates: never the text, the photo, the address or the e-mail,
so that a follow-up link passed around tells nothing about who wrote.

Rate limit of the form: `settings.PUBLIC_INTAKE_RATE_LIMIT` accepted messages per IP
address and per authority (services/intake.py). Behind the HTTPS reverse proxy
(`BEHIND_HTTPS_PROXY`) the address is the last one of X-Forwarded-For, the one that
proxy added; anything before it was written by the client and proves nothing.
"""

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_stubs_ext import StrOrPromise

from parvis.inbox.forms_public import PublicMessageForm
from parvis.inbox.models import Message, Origin, Status
from parvis.inbox.services import (
    acknowledgement_context,
    inbox_settings_of,
    intake_rate_count,
    intake_rate_limited,
    report_submit,
)
from parvis.territory.models import Authority
from parvis.web.theme import theme_for

FORM_SCOPE = "form"
STATUS_FOR_CITIZENS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    Status.NEW: (
        _("Reçu"),
        _("Votre message a bien été reçu. Il va être examiné par le service concerné."),
    ),
    Status.IN_PROGRESS: (
        _("En cours de traitement"),
        _("Le service concerné s'occupe de votre demande."),
    ),
    Status.WAITING: (
        _("En attente de précisions de votre part"),
        _("Le service a besoin de précisions pour avancer."),
    ),
    Status.ANSWERED: (
        _("Répondu"),
        _("Une réponse a été apportée à votre demande."),
    ),
    Status.CLOSED: (_("Clos"), _("Le traitement de votre demande est terminé.")),
}
NOINDEX = "noindex, nofollow"


def client_address(request: HttpRequest) -> str:
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    authority = public_authority(slug)
    if request.method != "POST":
        return _form_page(request, authority, PublicMessageForm(authority=authority))
    form = PublicMessageForm(request.POST, request.FILES, authority=authority)
    if not form.is_valid():
        status = 400 if form.suspected_robot else 200
        return _form_page(request, authority, form.refreshed(), status=status)
    client = client_address(request)
    if intake_rate_limited(authority=authority, scope=FORM_SCOPE, client=client):
        return _form_page(
            request, authority, form.refreshed(), status=429, rate_limited=True
        )
    data = form.cleaned_data
    message = report_submit(
        authority=authority,
        origin=Origin.FORM,
        kind=data["kind"],
        text=data["text"],
        category=data["category"],
        photo=data["photo"],
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        email=data["email"],
    )
    intake_rate_count(authority=authority, scope=FORM_SCOPE, client=client)
    return redirect(
        "public_inbox:receipt", slug=authority.slug, public_id=message.public_id
    )


@require_safe
def receipt(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    authority = public_authority(slug)
    message = (
        Message.objects.filter(
            authority=authority, origin=Origin.FORM, public_id=public_id
        )
        .select_related("authority", "category")
        .first()
    )
    if message is None:
        raise Http404("No such message")
    context = acknowledgement_context(message)
    context["theme"] = theme_for(authority)
    response = render(request, "inbox/public_receipt.html", context)
    response["X-Robots-Tag"] = NOINDEX
    return response


@require_safe
def follow_up(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    message = (
        Message.objects.filter(
            public_id=public_id, origin__in=[Origin.FORM, Origin.OPEN311]
        )
        .select_related("authority", "category")
        .first()
    )
    if message is None:
        raise Http404("No such message")
    authority = message.authority
    zone = ZoneInfo(authority.timezone)
    status_label, status_text = STATUS_FOR_CITIZENS.get(
        message.status, STATUS_FOR_CITIZENS[Status.NEW]
    )
    open_ = message.status in {Status.NEW, Status.IN_PROGRESS, Status.WAITING}
    context = acknowledgement_context(message)
    context.update(
        {
            "theme": theme_for(authority),
            "status": message.status,
            "status_label": status_label,
            "status_text": status_text,
            "is_open": open_,
            "due_on": context["due_on"] if open_ else "",
            "answered_on": _local_day(message.first_response_at, zone),
            "closed_on": _local_day(message.closed_at, zone),
        }
    )
    response = render(request, "inbox/public_follow_up.html", context)
    response["X-Robots-Tag"] = NOINDEX
    return response


def public_authority(slug: str) -> Authority:
    """Every authority using Parvis has a public form; an unknown slug is 404."""
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None:
        raise Http404("No such authority")
    return authority


def _form_page(
    request: HttpRequest,
    authority: Authority,
    form: PublicMessageForm,
    *,
    status: int = 200,
    rate_limited: bool = False,
) -> HttpResponse:
    return render(
        request,
        "inbox/public_form.html",
        {
            "authority": authority,
            "theme": theme_for(authority),
            "form": form,
            "rate_limited": rate_limited,
            "photo_lost": form.is_bound and form.photo_to_choose_again(),
            "retention_months": inbox_settings_of(authority=authority).retention_months,
            "is_commune": authority.kind == "commune",
        },
        status=status,
    )


def _local_day(moment: Any, zone: ZoneInfo) -> str:
    return date_format(moment.astimezone(zone), "l j F Y") if moment else ""
