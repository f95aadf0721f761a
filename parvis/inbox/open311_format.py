"""The answers of the Open311 API (open311.py) in the specification's two formats:
JSON (lists and objects, Spark convention: an empty value is null) and XML built
with ElementTree (an empty value is an empty element; characters XML 1.0 cannot
carry are left out), and what a service request shows of a message (see
open311.py for what is kept back)."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils.formats import date_format

from parvis.inbox.models import Kind, Message, Status
from parvis.inbox.personal_data import mask
from parvis.inbox.views_public import STATUS_FOR_CITIZENS

MAX_DESCRIPTION = 4000
OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING})
XML_SINGULAR = {"attributes": "attribute", "values": "value"}
# Characters XML 1.0 cannot carry, even escaped.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ROUNDING = Decimal("0.0001")


def request_entry(message: Message) -> dict[str, Any]:
    """A message as a service request, with the specification's fields in its
    order; nothing that says who wrote."""
    zone = ZoneInfo(message.authority.timezone)
    category = message.category
    is_open = message.status in OPEN_STATUSES
    public_text = (
        message.kind == Kind.REPORT and not message.abuse and not message.anonymised_at
    )
    updated = max(
        moment
        for moment in (
            message.received_at,
            message.first_response_at,
            message.closed_at,
        )
        if moment is not None
    )
    status_label = STATUS_FOR_CITIZENS.get(message.status, ("", ""))[0]
    return {
        "service_request_id": str(message.public_id),
        "status": "open" if is_open else "closed",
        "status_notes": str(status_label) or None,
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": mask(message.text)[:MAX_DESCRIPTION] if public_text else None,
        "agency_responsible": (
            message.service.name if message.service else message.authority.name
        ),
        "service_notice": due_sentence(message) if is_open and message.due_at else None,
        "requested_datetime": _w3(message.received_at, zone),
        "updated_datetime": _w3(updated, zone),
        "expected_datetime": _w3(message.due_at, zone) if message.due_at else None,
        "address": (mask(message.address) or None) if public_text else None,
        "address_id": None,
        "zipcode": None,
        "lat": _rounded(message.latitude),
        "long": _rounded(message.longitude),
        "media_url": None,
    }


def due_sentence(message: Message) -> str:
    assert message.due_at is not None
    local = message.due_at.astimezone(ZoneInfo(message.authority.timezone))
    return f"Réponse attendue d'ici le {date_format(local, 'l j F Y')}."


def _rounded(value: Decimal | None) -> float | None:
    return None if value is None else float(Decimal(value).quantize(ROUNDING))


def _w3(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def respond(
    data: Any, fmt: str, root: str, item: str | None, status: int = 200
) -> HttpResponse:
    """`data` in the format asked: a list of `item` elements under `root` in XML
    (or, `item` None, the fields of one object directly under `root`)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(data, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            status=status,
        )
    element = ET.Element(root)
    if item is None:
        _xml_fill(element, data)
    else:
        for entry in data:
            _xml_fill(ET.SubElement(element, item), entry)
    body = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def _xml_fill(element: ET.Element, mapping: Mapping[str, Any]) -> None:
    for name, value in mapping.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            for entry in value:
                _xml_fill(ET.SubElement(child, XML_SINGULAR[name]), entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = XML_INVALID.sub("", str(value))
