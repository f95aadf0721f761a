"""Open311 GeoReport v2, POST Service Request, checked against the specification
(wiki.open311.org/GeoReport_v2): the arguments an application sends
(application/x-www-form-urlencoded), the answer (service_request_id, no token),
the error codes (403 api_key, 400 missing argument, 404 unknown service or
jurisdiction), and what is kept of the citizen."""

import io
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from parvis.inbox.models import Message
from parvis.inbox.services import (
    open311_key_create,
    open311_key_revoke,
    receipt_number,
    report_categories_seed,
)
from parvis.inbox.tests.open311_client import (
    BASE,
    errors_of,
    json_body,
    xml_records,
)
from parvis.inbox.tests.public_cast import jpeg_with_gps

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(commune):
    """The commune accepts one key, created as its administrators would."""
    _row, key = open311_key_create(authority=commune, actor=None, label="DansMaRue")
    return key


@pytest.fixture
def seeded(commune):
    report_categories_seed(authority=commune)
    return commune


def arguments(authority, key, **changes):
    """The specification's example request, adapted to a French commune."""
    values = {
        "api_key": key,
        "jurisdiction_id": authority.slug,
        "service_code": "nid-de-poule",
        "lat": "48.649312",
        "long": "-2.025744",
        "address_string": "rue de Dinan, Saint-Malo",
        "email": "camille@example.org",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "Camille",
        "last_name": "Martin",
        "phone": "0612345678",
        "description": "Un grand nid-de-poule abîme la chaussée.",
        "attribute[WHISPAWN]": "123456",
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def post(client, fmt, data):
    from urllib.parse import urlencode

    return client.post(f"{BASE}/requests.{fmt}", urlencode(data), content_type=FORM)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_application_creates_a_request_and_gets_its_id_at_once(
    client, seeded, api_key, fmt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fmt, arguments(seeded, api_key))

    assert response.status_code == 200
    records = (
        json_body(response)
        if fmt == "json"
        else xml_records(response, "service_requests", "request")
    )
    [entry] = records
    assert set(entry) == {"service_request_id", "service_notice", "account_id"}
    assert "token" not in entry  # realtime: the id, never both
    message = Message.objects.get()
    assert entry["service_request_id"] == str(message.public_id)
    assert receipt_number(message.public_id) in entry["service_notice"]
    assert entry["account_id"] is None
    assert (message.origin, message.kind) == ("open311", "report")
    assert message.category.code == "nid-de-poule"
    assert message.text == "Un grand nid-de-poule abîme la chaussée."
    assert message.address == "rue de Dinan, Saint-Malo"
    assert str(message.latitude) == "48.649312"
    assert message.author_name == "Camille Martin"
    assert message.author_email == "camille@example.org"
    stored = json.dumps(
        [str(getattr(message, f.attname)) for f in Message._meta.concrete_fields]
    )
    assert "0612345678" not in stored and "tt222111" not in stored
    # The acknowledgement of receipt goes to the e-mail given.
    [email] = mail.outbox
    assert email.to == ["camille@example.org"]
    assert receipt_number(message.public_id) in email.body


def test_the_created_request_can_be_followed_through_the_api(client, seeded, api_key):
    created = json_body(post(client, "json", arguments(seeded, api_key)))
    request_id = created[0]["service_request_id"]

    [entry] = json_body(client.get(f"{BASE}/requests/{request_id}.json"))

    assert entry["status"] == "open"
    assert entry["service_code"] == "nid-de-poule"
    assert "Camille" not in json.dumps(entry) and "camille@" not in json.dumps(entry)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "", "mauvaise-cle"])
def test_a_missing_or_invalid_api_key_is_403(client, seeded, api_key, fmt, key):
    response = post(client, fmt, arguments(seeded, key))
    assert response.status_code == 403
    [error] = errors_of(response, fmt)
    assert error["code"] == 403
    assert "api_key" in error["description"]
    assert Message.objects.count() == 0


def test_a_key_of_another_authority_is_403(client, seeded, other_authority, api_key):
    response = post(
        client, "json", arguments(seeded, api_key, jurisdiction_id=other_authority.slug)
    )
    assert response.status_code == 403


def test_a_revoked_key_is_refused_at_once_and_only_its_digest_is_stored(client, seeded):
    row, key = open311_key_create(authority=seeded, actor=None, label="Appli")
    assert key not in row.key_hash and len(row.key_hash) == 64
    assert post(client, "json", arguments(seeded, key)).status_code == 200
    assert open311_key_revoke(key=row, actor=None) is True
    assert open311_key_revoke(key=row, actor=None) is False
    assert post(client, "json", arguments(seeded, key)).status_code == 403


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "piscine"}, 404, "service_code"),
        ({"jurisdiction_id": "atlantide"}, 404, "jurisdiction_id"),
        ({"lat": None, "long": None, "address_string": None}, 400, "Lieu"),
        ({"long": None, "address_string": None}, 400, "lat et long"),
        ({"lat": "quarante-huit"}, 400, "lat"),
        ({"long": "200"}, 400, "long"),
        ({"email": "pas-une-adresse"}, 400, "email"),
        ({"description": "x" * 4001}, 400, "4000"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_arguments_get_the_specification_error_codes(
    client, seeded, api_key, changes, status, words, fmt
):
    response = post(client, fmt, arguments(seeded, api_key, **changes))
    assert response.status_code == status
    [error] = errors_of(response, fmt)
    assert error["code"] == status
    assert words in error["description"]
    assert Message.objects.count() == 0


def test_an_address_alone_or_coordinates_alone_are_enough(client, seeded, api_key):
    only_address = arguments(seeded, api_key, lat=None, long=None)
    only_position = arguments(seeded, api_key, address_string=None)
    only_address_id = arguments(
        seeded, api_key, lat=None, long=None, address_string=None, address_id="A-42"
    )
    for data in (only_address, only_position, only_address_id):
        assert post(client, "json", data).status_code == 200
    assert Message.objects.filter(address="Identifiant d'adresse : A-42").exists()


def test_without_description_the_service_name_is_the_text(client, seeded, api_key):
    post(client, "json", arguments(seeded, api_key, description=None))
    assert Message.objects.get().text == "Nid-de-poule, chaussée abîmée"


def test_a_media_url_is_kept_for_the_team(client, seeded, api_key):
    url = "https://photos.example.org/2026/trou.jpg"
    post(client, "json", arguments(seeded, api_key, media_url=url))
    assert Message.objects.get().text.endswith(url)


def test_a_photo_sent_as_a_media_file_is_cleaned_like_the_form(client, seeded, api_key):
    data = arguments(seeded, api_key)
    data["media"] = SimpleUploadedFile("moi.jpg", jpeg_with_gps(), "image/jpeg")

    response = client.post(f"{BASE}/requests.json", data)  # multipart

    assert response.status_code == 200
    message = Message.objects.get()
    with message.photo.open("rb") as stored:
        content = stored.read()
    assert not Image.open(io.BytesIO(content)).getexif()
    assert b"PhoneMaker" not in content


def test_an_application_needs_no_csrf_token(seeded, api_key):
    from urllib.parse import urlencode

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"{BASE}/requests.json",
        urlencode(arguments(seeded, api_key)),
        content_type=FORM,
    )
    assert response.status_code == 200


def test_a_flood_from_one_key_waits(client, seeded, api_key, settings):
    settings.PUBLIC_INTAKE_RATE_LIMIT = {
        **settings.PUBLIC_INTAKE_RATE_LIMIT,
        "open311_per_client": 2,
    }
    statuses = [
        post(client, "json", arguments(seeded, api_key)).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert Message.objects.count() == 2
