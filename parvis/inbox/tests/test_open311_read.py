"""Open311 GeoReport v2, the reading methods, checked against the specification
(wiki.open311.org/GeoReport_v2): GET Service List, GET Service Definition, GET
Service Requests, GET Service Request, GET service_request_id from a token; field
names, both formats, error codes, jurisdictions; no personal data."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from parvis.inbox import open311
from parvis.inbox.models import Message, ReportCategory, Status
from parvis.inbox.services import report_categories_seed
from parvis.inbox.tests.open311_client import (
    BASE,
    REQUEST_FIELDS,
    SERVICE_FIELDS,
    errors_of,
    json_body,
    xml_records,
    xml_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(commune):
    report_categories_seed(authority=commune)
    return {c.code: c for c in ReportCategory.objects.filter(authority=commune)}


def report(authority, category=None, *, days_ago=1, **fields):
    values = {
        "authority": authority,
        "origin": "open311",
        "kind": "report",
        "text": "Nid-de-poule rue de Dinan.",
        "category": category,
        "received_at": timezone.now() - dt.timedelta(days=days_ago),
    }
    values.update(fields)
    return Message.objects.create(**values)


def get(client, path, **params):
    return client.get(f"{BASE}/{path}", params)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_service_list_is_the_authority_report_categories(
    client, commune, categories, fmt
):
    ReportCategory.objects.filter(pk=categories["bruit"].pk).update(active=False)

    response = get(client, f"services.{fmt}", jurisdiction_id=commune.slug)

    assert response.status_code == 200
    services = (
        json_body(response)
        if fmt == "json"
        else xml_records(response, "services", "service")
    )
    by_code = {service["service_code"]: service for service in services}
    assert "bruit" not in by_code
    pothole = by_code["nid-de-poule"]
    assert list(pothole) == SERVICE_FIELDS
    assert pothole["service_name"] == "Nid-de-poule, chaussée abîmée"
    assert pothole["group"] == "Voirie"
    assert pothole["type"] == "realtime"
    assert pothole["metadata"] == (False if fmt == "json" else "false")
    assert "voirie" in pothole["keywords"].lower()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_has_no_attributes(client, commune, categories, fmt):
    response = get(client, f"services/nid-de-poule.{fmt}", jurisdiction_id=commune.slug)

    assert response.status_code == 200
    if fmt == "json":
        assert json_body(response) == {"service_code": "nid-de-poule", "attributes": []}
    else:
        tree = xml_tree(response)
        assert tree.tag == "service_definition"
        assert tree.findtext("service_code") == "nid-de-poule"
        assert tree.find("attributes") is not None
        assert list(tree.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_inactive_service_code_is_404(client, commune, categories, fmt):
    ReportCategory.objects.filter(pk=categories["bruit"].pk).update(active=False)
    for code in ("piscine", "bruit"):
        response = get(client, f"services/{code}.{fmt}", jurisdiction_id=commune.slug)
        assert response.status_code == 404
        [error] = errors_of(response, fmt)
        assert error["code"] == 404
        assert "service_code" in error["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_jurisdiction_may_be_left_out_when_the_server_serves_one_authority(
    client, commune, categories, fmt
):
    response = get(client, f"services.{fmt}")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_with_several_authorities_the_jurisdiction_is_required(
    client, commune, other_authority, categories, fmt
):
    missing = get(client, f"services.{fmt}")
    unknown = get(client, f"services.{fmt}", jurisdiction_id="atlantide")
    other = get(client, f"services.{fmt}", jurisdiction_id=other_authority.slug)

    assert missing.status_code == 400
    assert errors_of(missing, fmt)[0]["code"] == 400
    assert "jurisdiction_id" in errors_of(missing, fmt)[0]["description"]
    assert unknown.status_code == 404
    assert errors_of(unknown, fmt)[0]["code"] == 404
    assert other.status_code == 200
    # Each authority has its own services.
    other_authority.report_categories.update(active=False)
    other = get(client, f"services.{fmt}", jurisdiction_id=other_authority.slug)
    codes = (
        [s["service_code"] for s in json_body(other)]
        if fmt == "json"
        else [s["service_code"] for s in xml_records(other, "services", "service")]
    )
    assert codes == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_request_has_the_fields_of_the_specification(
    client, commune, categories, fmt
):
    due = timezone.now() + dt.timedelta(days=2)
    message = report(
        commune,
        categories["nid-de-poule"],
        address="rue de Dinan",
        latitude="48.649312",
        longitude="-2.025744",
        due_at=due,
    )

    response = get(
        client, f"requests/{message.public_id}.{fmt}", jurisdiction_id=commune.slug
    )

    assert response.status_code == 200
    records = (
        json_body(response)
        if fmt == "json"
        else xml_records(response, "service_requests", "request")
    )
    [entry] = records
    assert list(entry) == REQUEST_FIELDS
    assert entry["service_request_id"] == str(message.public_id)
    assert entry["status"] == "open"
    assert entry["service_code"] == "nid-de-poule"
    assert entry["service_name"] == "Nid-de-poule, chaussée abîmée"
    assert entry["description"] == "Nid-de-poule rue de Dinan."
    assert entry["address"] == "rue de Dinan"
    requested = dt.datetime.fromisoformat(entry["requested_datetime"])
    expected = dt.datetime.fromisoformat(entry["expected_datetime"])
    assert requested.tzinfo is not None and expected.tzinfo is not None
    assert requested == message.received_at.replace(microsecond=0)
    assert expected == due.replace(microsecond=0)
    # Rounded to about ten metres.
    assert float(entry["lat"]) == 48.6493 and float(entry["long"]) == -2.0257
    assert entry["agency_responsible"]
    assert entry["media_url"] is None


@pytest.mark.parametrize(
    ("status", "open311_status"),
    [
        (Status.NEW, "open"),
        (Status.IN_PROGRESS, "open"),
        (Status.WAITING, "open"),
        (Status.ANSWERED, "closed"),
        (Status.CLOSED, "closed"),
    ],
)
def test_statuses_become_open_or_closed(
    client, commune, categories, status, open311_status
):
    closed_at = timezone.now() if open311_status == "closed" else None
    message = report(commune, status=status, closed_at=closed_at)
    [entry] = json_body(
        get(client, f"requests/{message.public_id}.json", jurisdiction_id=commune.slug)
    )
    assert entry["status"] == open311_status
    assert entry["status_notes"]
    if closed_at:
        updated = dt.datetime.fromisoformat(entry["updated_datetime"])
        assert updated == closed_at.replace(microsecond=0)


def test_personal_data_never_leaves_through_get(client, commune, categories):
    message = report(
        commune,
        categories["nid-de-poule"],
        text=(
            "Trou énorme devant le 12 rue de Dinan, rappelez-moi au 06 12 34 56 78 "
            "ou jean.dupont@example.org."
        ),
        author_name="Jean Dupont",
        author_email="jean.dupont@example.org",
        address="12 rue de Dinan",
    )
    question = report(
        commune, kind="contact", text="Ma situation personnelle, en détail."
    )

    listing = get(client, "requests.json", jurisdiction_id=commune.slug)
    detail = get(client, f"requests/{question.public_id}.json")
    body = listing.content.decode() + detail.content.decode()

    for private in ("Dupont", "dupont@", "06 12 34 56 78", "12 rue", "situation"):
        assert private not in body
    [entry] = json_body(listing)  # the question is not listed
    assert entry["service_request_id"] == str(message.public_id)
    assert "[téléphone]" in entry["description"] and "[e-mail]" in entry["description"]
    assert entry["address"] == "[n°] rue de Dinan"
    assert json_body(detail)[0]["description"] is None


def test_requests_of_the_last_90_days_newest_first_at_most_1000(
    client, commune, categories, monkeypatch
):
    recent = report(commune, days_ago=1)
    older = report(commune, days_ago=30)
    report(commune, days_ago=120)
    report(commune, origin="mastodon", kind="comment")  # not a request
    report(commune, abuse=True)

    entries = json_body(get(client, "requests.json", jurisdiction_id=commune.slug))
    assert [e["service_request_id"] for e in entries] == [
        str(recent.public_id),
        str(older.public_id),
    ]

    monkeypatch.setattr(open311, "MAX_RESULTS", 1)
    entries = json_body(get(client, "requests.json", jurisdiction_id=commune.slug))
    assert len(entries) == 1


def test_requests_are_filtered_as_the_specification_says(client, commune, categories):
    pothole = report(commune, categories["nid-de-poule"], days_ago=2)
    light = report(commune, categories["eclairage-public"], days_ago=3)
    tags = report(commune, categories["tags"], days_ago=40, status=Status.CLOSED)

    def ids(**params):
        response = get(client, "requests.json", jurisdiction_id=commune.slug, **params)
        assert response.status_code == 200, response.content
        return {entry["service_request_id"] for entry in json_body(response)}

    assert ids(service_code="nid-de-poule,tags") == {
        str(pothole.public_id),
        str(tags.public_id),
    }
    assert ids(status="closed") == {str(tags.public_id)}
    assert ids(status="open") == {str(pothole.public_id), str(light.public_id)}
    start = (timezone.now() - dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=2, hours=12)).isoformat()
    assert ids(start_date=start, end_date=end) == {str(light.public_id)}
    # service_request_id overrides every other argument.
    assert ids(
        service_request_id=f"{tags.public_id},{light.public_id},pas-un-id",
        status="open",
        service_code="nid-de-poule",
    ) == {str(tags.public_id), str(light.public_id)}


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "hier"},
        {"status": "pending"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400(client, commune, categories, params, fmt):
    response = get(client, f"requests.{fmt}", jurisdiction_id=commune.slug, **params)
    assert response.status_code == 400
    assert errors_of(response, fmt)[0]["code"] == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_or_token_is_404(
    client, commune, other_authority, categories, fmt
):
    theirs = report(other_authority)
    for path in (
        f"requests/{uuid.uuid4()}.{fmt}",
        f"requests/12345.{fmt}",
        f"requests/{theirs.public_id}.{fmt}",
        f"tokens/{uuid.uuid4()}.{fmt}",
    ):
        response = get(client, path, jurisdiction_id=commune.slug)
        assert response.status_code == 404, path
        assert errors_of(response, fmt)[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_gives_the_service_request_id(client, commune, categories, fmt):
    message = report(commune)
    response = get(client, f"tokens/{message.public_id}.{fmt}")
    records = (
        json_body(response)
        if fmt == "json"
        else xml_records(response, "service_requests", "request")
    )
    assert records == [
        {"service_request_id": str(message.public_id), "token": str(message.public_id)}
    ]


def test_text_that_xml_cannot_carry_is_left_out_and_the_rest_escaped(
    client, commune, categories
):
    # Control characters XML 1.0 cannot carry (NUL never reaches the database:
    # reception drops it, PostgreSQL could not store it).
    message = report(commune, text="Trou <b>profond</b> & dangereux\x01\x0b\x1f ici.")
    response = get(client, f"requests/{message.public_id}.xml")
    [entry] = xml_records(response, "service_requests", "request")
    assert entry["description"] == "Trou <b>profond</b> & dangereux ici."


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_other_methods_are_refused_in_the_error_format(client, commune, fmt):
    response = client.put(f"{BASE}/services.{fmt}")
    assert response.status_code == 405
    assert errors_of(response, fmt)[0]["code"] == 405
    assert response["Allow"] == "GET, HEAD"
