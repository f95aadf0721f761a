"""What an Open311 GeoReport v2 client does with our answers: read JSON, or parse the
XML with a real XML parser, as the specification describes both formats."""

import json
import xml.etree.ElementTree as ET

BASE = "/open311/v2"
# GET Service Requests / GET Service Request, in the specification's order.
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def xml_tree(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.lower().startswith(
        b"<?xml version='1.0' encoding='utf-8'?>"
    )
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def xml_records(response, root: str, item: str) -> list[dict[str, str | None]]:
    """The items of an XML answer as {tag: text} (None for an empty element)."""
    tree = xml_tree(response)
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return [{field.tag: field.text for field in record} for record in tree]


def json_body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def errors_of(response, fmt: str) -> list[dict]:
    """The spec's error list; each code an integer, each description a sentence."""
    if fmt == "json":
        errors = json_body(response)
    else:
        errors = xml_records(response, "errors", "error")
        errors = [
            {"code": int(error["code"] or 0), "description": error["description"]}
            for error in errors
        ]
    assert errors, "an error answer lists at least one error"
    for error in errors:
        assert set(error) == {"code", "description"}
        assert isinstance(error["code"], int)
        assert error["description"]
    return errors
