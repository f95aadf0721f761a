"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), so that existing report
applications can submit reports to an authority and follow them.

Under /open311/v2/, each in .json and .xml (XML built with ElementTree):

- `services`: the authority's active report categories; service_code is the
  category's code, `metadata` false, `type` realtime;
- `services/<code>`: the definition of one, with no attributes;
- `requests` GET: reports, newest first, at most 1000, by default those of the last
  90 days; filters `service_request_id` (comma-separated, overrides the others),
  `service_code`, `start_date`, `end_date` (w3 format; a range of 90 days at
  most), `status` (open, closed). POST: creates a report (`api_key` required) and
  answers its service_request_id at once (synchronous: no token);
- `requests/<id>`: one request; `tokens/<token>`: requests being created at once,
  the token of a request is its service_request_id.

jurisdiction_id is the authority's slug in Parvis (as in its public form's address,
/contact/<slug>/). It may be left out when the installation serves one authority.

Personal data never leaves through GET: no e-mail, names or phone; the description
and address go through `personal_data.mask`; a question (not a report) has no
description; coordinates are rounded to 4 decimals (about 10 m); photos are not
published (`media_url` empty) while no one moderates them. A POST's phone,
device_id and account_id are not kept (the e-mail is enough to answer); a
`media_url` is added to the text for the team; a photo may be sent as a multipart
file named `media` and is cleaned like the form's.

Statuses: nouveau, en_cours, attente_citoyen -> open; repondu, clos -> closed;
status_notes says the status in words.

Errors, always in the format asked: [{"code": 403, "description": "..."}] or
<errors><error><code/><description/></error></errors>, with HTTP 400 (bad or
missing argument, jurisdiction_id missing), 403 (api_key missing or invalid), 404
(unknown jurisdiction, service, request or token), 405 (method), 429 (rate limit).
"""

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from parvis.inbox.models import Kind, Message, Origin, ReportCategory, Status
from parvis.inbox.open311_format import (
    MAX_DESCRIPTION,
    OPEN_STATUSES,
    due_sentence,
    request_entry,
    respond,
)
from parvis.inbox.services import (
    PhotoRejected,
    intake_rate_count,
    intake_rate_limited,
    open311_key_valid,
    photo_clean,
    receipt_number,
    report_submit,
)
from parvis.territory.models import Authority
from parvis.territory.vocabularies import Topic

SCOPE = "open311"
MAX_RESULTS = 1000
MAX_DAYS = 90
PUBLIC_ORIGINS = [Origin.FORM, Origin.OPEN311]
TOPIC_LABELS = dict(Topic.choices)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _api(*methods: str) -> Callable[..., Any]:
    """Open311 view: allowed methods, errors in the spec's format, CORS for
    browser applications (no cookie is ever used)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> Any:
            try:
                if request.method not in methods:
                    raise Open311Error(405, f"Méthode non acceptée : {request.method}")
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                entry = {"code": error.status, "description": error.description}
                response = respond([entry], fmt, "errors", "error", error.status)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorator


@_api("GET", "HEAD")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    authority = _jurisdiction(request.GET)
    categories = ReportCategory.objects.filter(authority=authority, active=True)
    services = [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.description or None,
            "metadata": False,
            "type": "realtime",
            "keywords": str(TOPIC_LABELS.get(category.topic, "")) or None,
            "group": category.group or None,
        }
        for category in categories.order_by("group", "name")
    ]
    return respond(services, fmt, "services", "service")


@_api("GET", "HEAD")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> Any:
    authority = _jurisdiction(request.GET)
    category = _category(authority, service_code)
    definition = {"service_code": category.code, "attributes": []}
    return respond(definition, fmt, "service_definition", None)


@csrf_exempt
@_api("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    authority = _jurisdiction(request.GET)
    found = _requests_filtered(authority, request.GET)[:MAX_RESULTS]
    entries = [request_entry(message) for message in found]
    return respond(entries, fmt, "service_requests", "request")


@_api("GET", "HEAD")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    authority = _jurisdiction(request.GET)
    message = _public_message(authority, request_id)
    return respond([request_entry(message)], fmt, "service_requests", "request")


@_api("GET", "HEAD")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    authority = _jurisdiction(request.GET)
    message = _public_message(authority, token, what="token")
    entry = {"service_request_id": str(message.public_id), "token": token}
    return respond([entry], fmt, "service_requests", "request")


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    def param(name: str) -> str:
        return (request.POST.get(name) or request.GET.get(name) or "").strip()

    authority = _jurisdiction({"jurisdiction_id": param("jurisdiction_id")})
    key = param("api_key")
    if not open311_key_valid(authority=authority, key=key):
        raise Open311Error(
            403, "api_key manquante ou invalide : la demande n'est pas créée."
        )
    client = hashlib.sha256(key.encode()).hexdigest()
    if intake_rate_limited(authority=authority, scope=SCOPE, client=client):
        raise Open311Error(
            429, "Trop de demandes en peu de temps : réessayez dans quelques minutes."
        )
    code = param("service_code")
    if not code:
        raise Open311Error(400, "service_code manquant.")
    category = _category(authority, code)
    latitude = _coordinate(param("lat"), "lat", 90)
    longitude = _coordinate(param("long"), "long", 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "lat et long vont ensemble : envoyez les deux.")
    address = param("address_string")
    if not address and param("address_id"):
        address = f"Identifiant d'adresse : {param('address_id')}"
    if latitude is None and not address:
        raise Open311Error(
            400, "Lieu manquant : envoyez lat et long, address_string ou address_id."
        )
    description = param("description")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, "description trop longue : 4000 caractères au plus.")
    email = param("email")
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise Open311Error(400, "email invalide.") from error
    text = description or category.name
    media_url = param("media_url")
    if media_url:
        if urlsplit(media_url).scheme not in {"http", "https"}:
            raise Open311Error(400, "media_url doit être une adresse http(s).")
        text += f"\n\nMédia joint par l'application : {media_url}"
    photo = None
    if "media" in request.FILES:
        try:
            photo = photo_clean(request.FILES["media"])
        except PhotoRejected as error:
            raise Open311Error(400, f"media : {error}") from error
    message = report_submit(
        authority=authority,
        origin=Origin.OPEN311,
        kind=Kind.REPORT,
        text=text,
        category=category,
        photo=photo,
        address=address,
        latitude=latitude,
        longitude=longitude,
        email=email,
        author_name=f"{param('first_name')} {param('last_name')}",
    )
    intake_rate_count(authority=authority, scope=SCOPE, client=client)
    notice = f"Signalement reçu par {authority.name} (n° {receipt_number(message.public_id)})."
    if message.due_at:
        notice += " " + due_sentence(message)
    entry = {
        "service_request_id": str(message.public_id),
        "service_notice": notice,
        "account_id": None,
    }
    # 200, as in the specification's example: some clients accept nothing else.
    return respond([entry], fmt, "service_requests", "request")


def _jurisdiction(params: Mapping[str, Any]) -> Authority:
    slug = (params.get("jurisdiction_id") or "").strip()
    if not slug:
        authorities = list(Authority.objects.all()[:2])
        if len(authorities) == 1:
            return authorities[0]
        raise Open311Error(
            400, "jurisdiction_id manquant : ce serveur sert plusieurs collectivités."
        )
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None:
        raise Open311Error(404, f"jurisdiction_id inconnu : {slug[:80]}")
    return authority


def _category(authority: Authority, code: str) -> ReportCategory:
    category = ReportCategory.objects.filter(
        authority=authority, code=code, active=True
    ).first()
    if category is None:
        raise Open311Error(404, f"service_code inconnu : {code[:80]}")
    return category


def _public_message(authority: Authority, value: str, what: str = "") -> Message:
    what = what or "service_request_id"
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        public_id = None
    message = (
        Message.objects.filter(
            authority=authority, origin__in=PUBLIC_ORIGINS, public_id=public_id
        )
        .select_related("authority", "category", "service")
        .first()
        if public_id
        else None
    )
    if message is None:
        raise Open311Error(404, f"{what} inconnu : {value[:80]}")
    return message


def _requests_filtered(
    authority: Authority, params: Mapping[str, Any]
) -> QuerySet[Message]:
    found = (
        Message.objects.filter(
            authority=authority, origin__in=PUBLIC_ORIGINS, kind=Kind.REPORT
        )
        .exclude(abuse=True)
        .select_related("authority", "category", "service")
        .order_by("-received_at", "-id")
    )
    ids = _listed(params, "service_request_id")
    if ids:
        wanted = []
        for value in ids:
            try:
                wanted.append(uuid.UUID(value))
            except ValueError:
                continue  # an id that cannot exist matches nothing
        return found.filter(public_id__in=wanted)
    codes = _listed(params, "service_code")
    if codes:
        found = found.filter(category__code__in=codes)
    statuses = _listed(params, "status")
    if statuses:
        if not set(statuses) <= {"open", "closed"}:
            raise Open311Error(400, "status : open ou closed.")
        wanted_statuses = {
            status
            for status in Status.values
            if ("open" if status in OPEN_STATUSES else "closed") in statuses
        }
        found = found.filter(status__in=wanted_statuses)
    start, end = _date_range(params, ZoneInfo(authority.timezone))
    return found.filter(received_at__gte=start, received_at__lte=end)


def _listed(params: Mapping[str, Any], name: str) -> list[str]:
    return [
        part.strip() for part in (params.get(name) or "").split(",") if part.strip()
    ]


def _date_range(
    params: Mapping[str, Any], zone: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    span = dt.timedelta(days=MAX_DAYS)
    start = _w3_parse(params.get("start_date") or "", "start_date", zone)
    end = _w3_parse(params.get("end_date") or "", "end_date", zone)
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date précède start_date.")
        if end - start > span:
            raise Open311Error(400, "La période demandée dépasse 90 jours.")
        return start, end
    if start:
        return start, start + span
    end = end or timezone.now()
    return end - span, end


def _w3_parse(value: str, name: str, zone: ZoneInfo) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        # A "+01:00" offset left unencoded in a query string arrives as a space.
        moment = dt.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError as error:
        raise Open311Error(
            400, f"{name} invalide : format attendu 2010-01-01T00:00:00Z."
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _coordinate(value: str, name: str, bound: int) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise Open311Error(400, f"{name} invalide : un nombre est attendu.") from error
    if not number.is_finite() or abs(number) > bound:
        raise Open311Error(400, f"{name} hors limites (±{bound}).")
    return number.quantize(Decimal("0.000001"))
