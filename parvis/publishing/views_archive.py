"""The public archive of an authority (no login): what it published, newest first,
filtered by month and network, and the same entries as CSV or JSON (streamed).

The texts were written by the team but may quote citizens or pasted content: they
are always escaped, never marked safe, and links are shown only when they are
http(s)."""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from parvis.planning.views_feeds import csv_response
from parvis.publishing.models import ArchiveEntry
from parvis.publishing.selectors_archive import (
    archive_authority,
    archive_entries,
    archive_months,
    archive_networks,
    parse_month,
)
from parvis.territory.models import Authority
from parvis.territory.vocabularies import Network
from parvis.web.theme import theme_for

PAGE_SIZE = 50
EXPORT_CHUNK = 500
NETWORK_LABELS = dict(Network.choices)
CSV_COLUMNS = [
    _("Date"),
    _("Heure (%(zone)s)"),
    _("Réseau"),
    _("Compte"),
    _("Texte"),
    _("Lien"),
    _("Image"),
    _("Texte alternatif de l'image"),
    _("Adresse sur le réseau"),
    _("Retirée du réseau le"),
]


@require_safe
def archive_list(request: HttpRequest, slug: str) -> HttpResponse:
    authority = archive_authority(slug=slug)
    month_value, month, network = _filters(request)
    entries = archive_entries(authority=authority, month=month, network=network)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        label = NETWORK_LABELS.get(entry.network, entry.network)
        # The channel's name usually starts with its network ("Mastodon @ville…").
        where = entry.channel_name
        if not where.startswith(label):
            where = f"{label} — {where}"
        entry.network_label = label  # type: ignore[attr-defined]
        entry.where = where  # type: ignore[attr-defined]
        entry.safe_link = _http_url(entry.link)  # type: ignore[attr-defined]
        entry.safe_remote_url = _http_url(entry.remote_url)  # type: ignore[attr-defined]
    filters = {
        key: value
        for key, value in (("mois", month_value), ("reseau", network))
        if value
    }
    return render(
        request,
        "publishing/archive_list.html",
        {
            "authority": authority,
            "theme": theme_for(authority),
            "page": page,
            "months": archive_months(authority=authority),
            "networks": archive_networks(authority=authority),
            "month": month_value,
            "network": network,
            "filtered": bool(filters),
            "query": urlencode(filters),
        },
    )


@require_safe
def archive_export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    authority = archive_authority(slug=slug)
    _month_value, month, network = _filters(request)
    zone = ZoneInfo(authority.timezone)
    header = [str(column) % {"zone": authority.timezone} for column in CSV_COLUMNS]
    rows = (
        _csv_row(entry, zone)
        for entry in _export_entries(authority, month=month, network=network)
    )
    return csv_response(header, rows, filename=f"archive-{authority.slug}.csv")


@require_safe
def archive_export_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    authority = archive_authority(slug=slug)
    _month_value, month, network = _filters(request)
    zone = ZoneInfo(authority.timezone)
    entries = _export_entries(authority, month=month, network=network)

    def chunks() -> Iterator[str]:
        head = {
            "authority": {"name": authority.name, "code": authority.code},
            "exported_at": timezone.now().isoformat(),
            "time_zone": authority.timezone,
        }
        # The head's closing brace is replaced by the opening of the entries list.
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": ['
        for index, entry in enumerate(entries):
            separator = "," if index else ""
            yield separator + json.dumps(_json_entry(entry, zone), ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(
        chunks(), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="archive-{slug}.json"'
    return response


def _filters(request: HttpRequest) -> tuple[str, tuple[int, int] | None, str]:
    month = parse_month(request.GET.get("mois", ""))
    month_value = f"{month[0]:04d}-{month[1]:02d}" if month else ""
    network = request.GET.get("reseau", "")
    return month_value, month, network if network in NETWORK_LABELS else ""


def _export_entries(
    authority: Authority, *, month: tuple[int, int] | None, network: str
) -> Iterator[ArchiveEntry]:
    entries = archive_entries(authority=authority, month=month, network=network)
    return entries.iterator(chunk_size=EXPORT_CHUNK)


def _http_url(value: str) -> str:
    return value if urlsplit(value or "").scheme in {"http", "https"} else ""


def _image_url(entry: ArchiveEntry) -> str:
    if not entry.image:
        return ""
    url = entry.image.url
    return url if urlsplit(url).scheme else settings.SITE_URL + url


def _csv_row(entry: ArchiveEntry, zone: ZoneInfo) -> list[Any]:
    local = entry.published_at.astimezone(zone)
    withdrawn = entry.withdrawn_at.astimezone(zone) if entry.withdrawn_at else None
    return [
        f"{local:%d/%m/%Y}",
        f"{local:%H:%M}",
        NETWORK_LABELS.get(entry.network, entry.network),
        entry.channel_name,
        entry.text,
        entry.link,
        _image_url(entry),
        entry.image_alt,
        entry.remote_url,
        f"{withdrawn:%d/%m/%Y %H:%M}" if withdrawn else "",
    ]


def _json_entry(entry: ArchiveEntry, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "published_at": entry.published_at.astimezone(zone).isoformat(),
        "network": entry.network,
        "network_label": NETWORK_LABELS.get(entry.network, entry.network),
        "channel": entry.channel_name,
        "parts": entry.parts,
        "link": entry.link,
        "image": _image_url(entry) or None,
        "image_alt": entry.image_alt,
        "remote_url": entry.remote_url,
        "withdrawn_at": (
            entry.withdrawn_at.astimezone(zone).isoformat()
            if entry.withdrawn_at
            else None
        ),
    }
