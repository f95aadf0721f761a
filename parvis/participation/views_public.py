"""The public page of a consultation, in the authority's theme, for citizens without
an account: read the question and the contributions, contribute under a pseudonym
(optional e-mail verified by a link), vote on the statements.

A participant is a random token in a signed cookie, one per consultation, created
when the person first contributes or votes; only its keyed hash is stored. Robots:
honeypot and minimum fill time on the contribution form, the inbox's rate limit per
address and per authority. Votes: one per participant and statement, changed in
place; a participant is created only for a vote that can be taken, and one address
creates at most NEW_PARTICIPANTS_PER_CLIENT of them per ten minutes."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from parvis.inbox.services import intake_rate_count, intake_rate_limited
from parvis.inbox.views_public import NOINDEX, client_address, public_authority
from parvis.participation import selectors, services
from parvis.participation.forms import ContributionForm
from parvis.participation.models import Consultation, Participant, Vote
from parvis.system.services import send_mail_logged
from parvis.web.theme import theme_for

SCOPE = "form"
# New participants (browsers without the cookie) one address may create per window:
# enough for a family or an office behind one address, not for a voting robot.
NEW_PARTICIPANTS_PER_CLIENT = 20
NEW_PARTICIPANTS_WINDOW = 600
COOKIE_SALT = "parvis.participation.participant"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at about 400 days


def _cookie_name(consultation: Consultation) -> str:
    return f"parvis_participation_{consultation.pk}"


def _token(request: HttpRequest, consultation: Consultation) -> str:
    return str(
        request.get_signed_cookie(
            _cookie_name(consultation), default="", salt=COOKIE_SALT
        )
    )


def _participant(
    request: HttpRequest, consultation: Consultation
) -> Participant | None:
    token = _token(request, consultation)
    if not token:
        return None
    return Participant.objects.filter(
        consultation=consultation, token_hash=services.token_hash(token)
    ).first()


def _participant_or_new(
    request: HttpRequest, consultation: Consultation, pseudonym: str = ""
) -> tuple[Participant, str]:
    token = _token(request, consultation) or secrets.token_urlsafe(24)
    participant = services.participant_for(
        consultation=consultation, token=token, pseudonym=pseudonym
    )
    return participant, token


def _remember(response: HttpResponse, consultation: Consultation, token: str) -> None:
    from django.conf import settings

    response.set_signed_cookie(
        _cookie_name(consultation),
        token,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
    )


def _page(
    request: HttpRequest,
    consultation: Consultation,
    form: ContributionForm | None = None,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    authority = consultation.authority
    participant = _participant(request, consultation)
    if form is None:
        form = ContributionForm(
            authority=authority,
            initial={"pseudonym": participant.pseudonym if participant else ""},
        )
    context = {
        "authority": authority,
        "theme": theme_for(authority),
        "consultation": consultation,
        "form": form,
        "is_open": consultation.is_open(),
        "contributions": _contributions_page(request, consultation),
        "statements": selectors.public_statements(
            consultation=consultation, participant=participant
        ),
        "vote_choices": Vote.Value.choices,
        "can_vote": consultation.votes_open and consultation.is_open(),
        "participant": participant,
        **extra,
    }
    response = render(request, "participation/public_page.html", context, status=status)
    response["X-Robots-Tag"] = "noindex" if not consultation.is_open() else "all"
    return response


def _contributions_page(request: HttpRequest, consultation: Consultation) -> Any:
    from django.core.paginator import Paginator

    paginator = Paginator(
        selectors.public_contributions(consultation=consultation),
        selectors.PUBLIC_PAGE_SIZE,
    )
    return paginator.get_page(request.GET.get("page"))


@require_safe
def consultation_page(
    request: HttpRequest, authority_slug: str, slug: str
) -> HttpResponse:
    authority = public_authority(authority_slug)
    consultation = selectors.public_consultation(authority=authority, slug=slug)
    return _page(request, consultation)


@require_POST
def contribute(request: HttpRequest, authority_slug: str, slug: str) -> HttpResponse:
    authority = public_authority(authority_slug)
    consultation = selectors.public_consultation(authority=authority, slug=slug)
    form = ContributionForm(request.POST, authority=authority)
    if not form.is_valid():
        return _page(
            request,
            consultation,
            form.refreshed(),
            status=400 if form.suspected_robot else 200,
        )
    client = client_address(request)
    if intake_rate_limited(authority=authority, scope=SCOPE, client=client):
        return _page(
            request, consultation, form.refreshed(), status=429, rate_limited=True
        )
    data = form.cleaned_data
    participant, token = _participant_or_new(request, consultation, data["pseudonym"])
    try:
        contribution = services.contribution_submit(
            consultation=consultation, participant=participant, text=data["text"]
        )
    except ValidationError as error:
        form.add_error("text", error)
        return _page(request, consultation, form.refreshed())
    intake_rate_count(authority=authority, scope=SCOPE, client=client)
    if data.get("email"):
        _send_verification(request, consultation, participant, data["email"])
    target = reverse(
        "participation_public:page", args=[authority.slug, consultation.slug]
    )
    state = "publiee" if contribution.status == "accepted" else "a-moderer"
    response = redirect(f"{target}?contribution={state}#contribuer")
    _remember(response, consultation, token)
    return response


def _send_verification(
    request: HttpRequest,
    consultation: Consultation,
    participant: Participant,
    email: str,
) -> None:
    link = request.build_absolute_uri(
        reverse(
            "participation_public:verify",
            args=[consultation.authority.slug, consultation.slug],
        )
        + "?jeton="
        + services.email_link_token(participant, email)
    )
    body = _(
        "Bonjour,\n\nPour confirmer votre participation à la consultation "
        "« %(title)s » de %(authority)s, ouvrez ce lien (valable 7 jours) :\n"
        "%(link)s\n\nSi vous n'avez pas participé, ignorez ce message."
    ) % {
        "title": consultation.title,
        "authority": consultation.authority.name,
        "link": link,
    }
    subject = _("Confirmez votre adresse : %(title)s") % {"title": consultation.title}
    transaction.on_commit(
        lambda: send_mail_logged(subject=subject, body=body, recipients=[email])
    )


def _new_participant_allowed(request: HttpRequest, consultation: Consultation) -> bool:
    """Count a new participant of this address; False past the window's limit."""
    import hashlib
    import hmac
    import time

    from django.conf import settings
    from django.core.cache import cache

    window = int(time.time() // NEW_PARTICIPANTS_WINDOW)
    client = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"participation:new:{consultation.pk}:{window}:{client}"
    cache.add(key, 0, timeout=NEW_PARTICIPANTS_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=NEW_PARTICIPANTS_WINDOW * 2)
        count = 1
    return count <= NEW_PARTICIPANTS_PER_CLIENT


@require_POST
def vote(
    request: HttpRequest, authority_slug: str, slug: str, statement: int
) -> HttpResponse:
    authority = public_authority(authority_slug)
    consultation = selectors.public_consultation(authority=authority, slug=slug)
    item = selectors.statement_of(consultation=consultation, pk=statement)
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 99
    participant = _participant(request, consultation)
    token = _token(request, consultation)
    error = services.vote_problem(statement=item, value=value)
    if not error and participant is None:
        if _new_participant_allowed(request, consultation):
            participant, token = _participant_or_new(request, consultation)
        else:
            error = _(
                "Trop de votes depuis cette adresse en peu de temps : réessayez plus tard."
            )
    if not error and participant is not None:
        try:
            services.vote_cast(statement=item, participant=participant, value=value)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    if request.headers.get("HX-Request") == "true":
        # htmx swaps only 2xx answers: the error is shown in the statement, with 200.
        response = render(
            request,
            "participation/_statement.html",
            {
                "entry": selectors.public_statement(
                    consultation=consultation, statement=item, participant=participant
                ),
                "consultation": consultation,
                "authority": authority,
                "vote_choices": Vote.Value.choices,
                "can_vote": consultation.votes_open and consultation.is_open(),
                "error": error,
                "announce": True,
            },
        )
    else:
        target = reverse(
            "participation_public:page", args=[authority.slug, consultation.slug]
        )
        response = redirect(f"{target}#proposition-{item.pk}")
    if token and participant is not None:
        _remember(response, consultation, token)
    return response


@require_POST
def verify_request(
    request: HttpRequest, authority_slug: str, slug: str
) -> HttpResponse:
    """Ask for the link that verifies an e-mail (to vote where votes need one)."""
    from django import forms

    authority = public_authority(authority_slug)
    consultation = selectors.public_consultation(authority=authority, slug=slug)
    field = forms.EmailField(max_length=254)
    target = reverse(
        "participation_public:page", args=[authority.slug, consultation.slug]
    )
    try:
        email = field.clean(request.POST.get("email", ""))
    except ValidationError:
        return redirect(f"{target}?verification=adresse-invalide#voter")
    client = client_address(request)
    if intake_rate_limited(authority=authority, scope=SCOPE, client=client):
        return redirect(f"{target}?verification=plus-tard#voter")
    intake_rate_count(authority=authority, scope=SCOPE, client=client)
    participant, token = _participant_or_new(request, consultation)
    _send_verification(request, consultation, participant, email)
    response = redirect(f"{target}?verification=envoyee#voter")
    _remember(response, consultation, token)
    return response


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, authority_slug: str, slug: str) -> HttpResponse:
    authority = public_authority(authority_slug)
    consultation = selectors.public_consultation(authority=authority, slug=slug)
    try:
        services.participant_email_verify(token=request.GET.get("jeton", ""))
        verified = True
    except ValidationError:
        verified = False
    response = render(
        request,
        "participation/public_verified.html",
        {
            "authority": authority,
            "theme": theme_for(authority),
            "consultation": consultation,
            "verified": verified,
        },
        status=200 if verified else 400,
    )
    response["X-Robots-Tag"] = NOINDEX
    return response
