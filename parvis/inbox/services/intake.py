"""The public intake: what citizens send without an account, through the public form
(`/contact/<collectivité>/`) or an Open311 application.

- `report_submit` stores a submission through `message_receive` (stored once,
  classified and routed; the category the citizen chose sets the topic, hence the
  service) and acknowledges it once the transaction commits.
- `message_acknowledge` tells the citizen the message arrived: an e-mail, when one
  was given, with the receipt number, the expected answer date in the authority's
  local time and the public follow-up link. Idempotent: `acknowledged_at` is claimed
  by a conditional update, so two calls send one e-mail; a failed send releases the
  claim and `messages_acknowledge_pending` tries again. Without an e-mail address
  the receipt shown on screen (form) or returned (Open311) was the acknowledgement:
  the message is only stamped.
- `photo_clean` accepts a photo only if Pillow decodes it (JPEG, PNG, WebP, GIF), at
  most `PHOTO_MAX_BYTES` and `PHOTO_MAX_PIXELS`, and re-encodes it: EXIF (GPS
  position, device, date), XMP and comments are dropped, the orientation is applied
  to the pixels and the longest side capped. The file gets a random name (the
  citizen's file name may say who they are).
- `intake_rate_limited` / `intake_rate_count`: fixed windows counted in the Django
  cache (Redis in production, so every web process shares them), per client (the
  form: a keyed hash of the IP address; Open311: the API key) and per authority,
  from `settings.PUBLIC_INTAKE_RATE_LIMIT`. The cache only ever holds hashes.
- `report_categories_seed` gives an authority the usual report categories of its
  kind (commune, EPCI, département, région); idempotent.
"""

import datetime as dt
import hashlib
import hmac
import io
import logging
import time
import uuid
import warnings
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from parvis.inbox.models import Kind, Message, Origin, ReportCategory
from parvis.inbox.services.receive import inbox_settings_of, message_receive

logger = logging.getLogger(__name__)

PUBLIC_ORIGINS = frozenset({Origin.FORM, Origin.OPEN311})
PUBLIC_KINDS = frozenset({Kind.REPORT, Kind.CONTACT})
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 2560
# MPO: the JPEG of phones that store several pictures in one file.
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
ACKNOWLEDGE_RETRY_DAYS = 2


class PhotoRejected(ValueError):
    """The upload is not a photo Parvis keeps; the message says why, in French."""


def receipt_number(public_id: uuid.UUID) -> str:
    """The short receipt number given to the citizen ("3F2A-9C41"); the follow-up
    link carries the whole public id."""
    digits = public_id.hex[:8].upper()
    return f"{digits[:4]}-{digits[4:]}"


def report_submit(
    *,
    authority: Any,
    origin: str,
    kind: str,
    text: str,
    category: ReportCategory | None = None,
    photo: ContentFile | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    email: str = "",
    author_name: str = "",
) -> Message:
    """Store a citizen's report or question from the form or Open311, and
    acknowledge it once the transaction commits. `photo` comes from `photo_clean`."""
    if origin not in PUBLIC_ORIGINS:
        raise ValueError(f"not a public intake origin: {origin}")
    if kind not in PUBLIC_KINDS:
        raise ValueError(f"not a public intake kind: {kind}")
    if category is not None and (
        category.authority_id != authority.pk or not category.active
    ):
        raise ValueError("the category is not offered by this authority")
    received = message_receive(
        authority=authority,
        origin=origin,
        kind=kind,
        text=text.strip(),
        author_name=author_name.strip(),
        author_email=email.strip(),
        photo=photo,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        category=category,
    )
    message = received.message
    transaction.on_commit(lambda: message_acknowledge(message=message))
    return message


def message_acknowledge(*, message: Message) -> bool:
    """Acknowledge receipt once; True when an e-mail was sent (see module doc)."""
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message.pk, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    if not claimed:
        return False
    message.acknowledged_at = now
    if not message.author_email:
        return False
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    authority = message.authority
    with translation.override("fr"):
        context = acknowledgement_context(message)
        subject = _("%(name)s a bien reçu votre message (n° %(receipt)s)") % {
            "name": authority.name,
            "receipt": context["receipt"],
        }
        body = render_to_string("inbox/email_acknowledgement.txt", context)
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[message.author_email],
        )
    except Exception:
        # The address is personal data: only the message's id goes to the log.
        logger.exception("acknowledgement of message %s not sent", message.pk)
        Message.objects.filter(pk=message.pk, acknowledged_at=now).update(
            acknowledged_at=None
        )
        message.acknowledged_at = None
        return False
    return True


def acknowledgement_context(message: Message) -> dict[str, Any]:
    """What the receipt says, for the e-mail and the thank-you page."""
    from django.conf import settings

    authority = message.authority
    zone = ZoneInfo(authority.timezone)
    due = message.due_at.astimezone(zone) if message.due_at else None
    return {
        "authority": authority,
        "message": message,
        "receipt": receipt_number(message.public_id),
        "is_report": message.kind == Kind.REPORT,
        "category_name": message.category.name if message.category else "",
        "received_on": date_format(
            message.received_at.astimezone(zone), "l j F Y à H:i"
        ),
        "due_on": date_format(due, "l j F Y") if due else "",
        "follow_up_url": settings.SITE_URL
        + reverse("public_inbox:follow_up", args=[message.public_id]),
        "retention_months": inbox_settings_of(authority=authority).retention_months,
    }


def messages_acknowledge_pending(*, limit: int = 200) -> int:
    """Acknowledge recent public messages left unacknowledged (a crash or a mail
    server failure after reception). Safe to run twice at once."""
    since = timezone.now() - dt.timedelta(days=ACKNOWLEDGE_RETRY_DAYS)
    pending = Message.objects.filter(
        origin__in=PUBLIC_ORIGINS,
        acknowledged_at__isnull=True,
        anonymised_at__isnull=True,
        received_at__gte=since,
    ).select_related("authority", "category")[:limit]
    return sum(message_acknowledge(message=message) for message in pending)


def photo_clean(upload: Any) -> ContentFile:
    """A clean re-encoded copy of an uploaded photo, or `PhotoRejected`."""
    if getattr(upload, "size", 0) > PHOTO_MAX_BYTES:
        raise PhotoRejected(
            _("La photo dépasse 8 Mo : choisissez une image plus légère.")
        )
    unreadable = _(
        "Ce fichier n'est pas une photo lisible : envoyez une image JPEG, PNG ou WebP."
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(upload)
            if image.format not in PHOTO_FORMATS:
                raise PhotoRejected(unreadable)
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise PhotoRejected(
                    _("La photo est trop grande : 40 millions de pixels au plus.")
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except PhotoRejected:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise PhotoRejected(unreadable) from error
    icc_profile = image.info.get("icc_profile")
    transparent = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    # Saving falls back on `info` for what is not passed (XMP, comments...).
    image.info.clear()
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    output = io.BytesIO()
    if transparent:
        image.save(output, "PNG", optimize=True, **options)
        extension = "png"
    else:
        image.save(output, "JPEG", quality=85, optimize=True, **options)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def intake_rate_limited(*, authority: Any, scope: str, client: str) -> bool:
    """True when `client` or the authority already used up the current window."""
    from django.core.cache import cache

    limits = _rate_limits()
    client_key, authority_key = _rate_keys(authority, scope, client, limits)
    counts = cache.get_many([client_key, authority_key])
    return (
        counts.get(client_key, 0) >= limits[f"{scope}_per_client"]
        or counts.get(authority_key, 0) >= limits["per_authority"]
    )


def intake_rate_count(*, authority: Any, scope: str, client: str) -> None:
    """Count one accepted submission of `client` to `authority`."""
    from django.core.cache import cache

    limits = _rate_limits()
    for key in _rate_keys(authority, scope, client, limits):
        cache.add(key, 0, timeout=limits["window_seconds"] * 2)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limits["window_seconds"] * 2)


def _rate_limits() -> dict[str, int]:
    from django.conf import settings

    return dict(settings.PUBLIC_INTAKE_RATE_LIMIT)


def _rate_keys(
    authority: Any, scope: str, client: str, limits: dict[str, int]
) -> tuple[str, str]:
    from django.conf import settings

    window = int(time.time() // limits["window_seconds"])
    client_hash = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{client}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    prefix = f"inbox:intake:{authority.pk}:{window}"
    return f"{prefix}:{scope}:{client_hash}", f"{prefix}:all"


# code, name, group, topic, description. Codes are the Open311 service codes: stable.
_COMMUNE = [
    ("nid-de-poule", "Nid-de-poule, chaussée abîmée", "Voirie", "voirie", ""),
    ("trottoir", "Trottoir abîmé ou encombré", "Voirie", "voirie", ""),
    (
        "eclairage-public",
        "Éclairage public en panne",
        "Voirie",
        "voirie",
        "Lampadaire éteint, qui clignote ou reste allumé le jour.",
    ),
    ("signalisation", "Panneau ou feu tricolore endommagé", "Voirie", "voirie", ""),
    (
        "stationnement-genant",
        "Stationnement gênant",
        "Voirie",
        "voirie",
        "Véhicule sur un trottoir, une piste cyclable, un passage piéton.",
    ),
    ("mobilier-urbain", "Mobilier urbain, aire de jeux abîmés", "Voirie", "voirie", ""),
    ("depot-sauvage", "Dépôt sauvage, encombrants", "Propreté", "proprete", ""),
    ("proprete", "Poubelle pleine, déchets sur la voie", "Propreté", "proprete", ""),
    ("tags", "Tags, graffitis, affichage sauvage", "Propreté", "proprete", ""),
    (
        "espaces-verts",
        "Espaces verts, arbre dangereux",
        "Cadre de vie",
        "environnement",
        "",
    ),
    (
        "fuite-eau",
        "Fuite d'eau, inondation de la voie",
        "Cadre de vie",
        "environnement",
        "",
    ),
    ("bruit", "Bruit, nuisances", "Tranquillité", "securite", ""),
    ("autre", "Autre problème", "Autre", "autre", ""),
]
_EPCI = [
    ("collecte-dechets", "Bac non collecté ou abîmé", "Déchets", "proprete", ""),
    ("depot-sauvage", "Dépôt sauvage, encombrants", "Déchets", "proprete", ""),
    ("decheterie", "Déchèterie, point d'apport volontaire", "Déchets", "proprete", ""),
    (
        "transports",
        "Arrêt de bus, ligne, transport à la demande",
        "Mobilité",
        "transports",
        "",
    ),
    (
        "eau-assainissement",
        "Eau potable, assainissement",
        "Cadre de vie",
        "environnement",
        "",
    ),
    ("voirie", "Voirie communautaire, piste cyclable", "Voirie", "voirie", ""),
    ("autre", "Autre problème", "Autre", "autre", ""),
]
_DEPARTEMENT = [
    ("route-departementale", "Route départementale abîmée", "Routes", "voirie", ""),
    ("signalisation", "Panneau ou glissière endommagés", "Routes", "voirie", ""),
    (
        "arbre-tombe",
        "Arbre tombé, obstacle sur la route",
        "Routes",
        "environnement",
        "",
    ),
    ("college", "Bâtiment d'un collège", "Collèges", "education", ""),
    ("autre", "Autre problème", "Autre", "autre", ""),
]
_REGION = [
    ("lycee", "Bâtiment d'un lycée", "Lycées", "education", ""),
    ("ter", "Train régional (TER), gare", "Transports", "transports", ""),
    ("car-regional", "Car régional, arrêt", "Transports", "transports", ""),
    ("autre", "Autre problème", "Autre", "autre", ""),
]
DEFAULT_CATEGORIES = {
    "commune": _COMMUNE,
    "epci": _EPCI,
    "departement": _DEPARTEMENT,
    "region": _REGION,
}


def report_categories_seed(*, authority: Any) -> int:
    """Create the default report categories of the authority's kind that it does
    not have yet (by code); categories the team changed are left alone. Returns how
    many were created."""
    created = 0
    for code, name, group, topic, description in DEFAULT_CATEGORIES.get(
        authority.kind, _COMMUNE
    ):
        _category, was_created = ReportCategory.objects.get_or_create(
            authority=authority,
            code=code,
            defaults={
                "name": name,
                "group": group,
                "topic": topic,
                "description": description,
            },
        )
        created += was_created
    return created
