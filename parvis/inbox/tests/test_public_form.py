"""The public form "Contacter / Signaler un problème": no account, one message per
submission, photos cleaned, robots and floods refused calmly, the typed text never
lost."""

import io
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parvis.inbox.forms_public import form_started_token
from parvis.inbox.models import Message, ReportCategory
from parvis.inbox.services import report_categories_seed
from parvis.inbox.tests.public_cast import (
    POTHOLE,
    filled,
    form_url,
    jpeg_with_gps,
    png_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pothole(commune):
    report_categories_seed(authority=commune)
    return ReportCategory.objects.get(authority=commune, code="nid-de-poule")


def test_the_form_needs_no_account_and_wears_the_authority_theme(client, pothole):
    commune = pothole.authority
    commune.primary_color = "#00594f"
    commune.save(update_fields=["primary_color"])

    response = client.get(form_url(commune))

    assert response.status_code == 200
    page = response.content.decode()
    assert "--brand:#00594f" in page
    assert "Contacter la mairie ou signaler un problème" in page
    assert "Nid-de-poule, chaussée abîmée" in page
    assert 'name="site_web"' in page and 'tabindex="-1"' in page
    assert "Vos données personnelles" in page and "cnil.fr" in page


def test_an_unknown_authority_has_no_form(client, db):
    assert client.get("/contact/nulle-part/").status_code == 404
    assert client.post("/contact/nulle-part/", {}).status_code == 404


def test_a_report_with_a_photo_is_stored_once_without_its_hidden_metadata(
    client, pothole
):
    commune = pothole.authority
    photo = SimpleUploadedFile(
        "IMG_jean-dupont_maison.jpg",
        jpeg_with_gps(40, 30, rotated=True),
        content_type="image/jpeg",
    )

    response = client.post(
        form_url(commune),
        {
            **filled(commune, latitude="48,649300", longitude="-2.0257"),
            "photo": photo,
        },
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "public_inbox:receipt", args=[commune.slug, message.public_id]
    )
    assert (message.origin, message.kind) == ("form", "report")
    assert message.category == pothole
    assert message.topic == "voirie"
    assert message.service is not None
    assert str(message.latitude) == "48.649300"
    assert str(message.longitude) == "-2.025700"
    assert "jean-dupont" not in message.photo.name
    with message.photo.open("rb") as stored:
        content = stored.read()
    cleaned = Image.open(io.BytesIO(content))
    assert cleaned.format == "JPEG"
    assert cleaned.size == (30, 40)  # the orientation is applied to the pixels
    assert not cleaned.getexif()
    assert "exif" not in cleaned.info and "comment" not in cleaned.info
    assert b"PhoneMaker" not in content and b"taken at home" not in content


def test_a_filled_honeypot_is_refused_calmly_and_the_text_kept(client, pothole):
    commune = pothole.authority
    response = client.post(
        form_url(commune), filled(commune, site_web="http://spam.example")
    )

    assert response.status_code == 400
    assert Message.objects.count() == 0
    page = response.content.decode()
    assert "Votre message n&#x27;a pas pu être envoyé" in page
    assert "rue de Dinan, près du marché couvert" in page
    assert "spam.example" not in page  # the honeypot comes back empty


@pytest.mark.parametrize(
    "started",
    ["now", "", "forged:123", "other-authority"],
)
def test_a_form_sent_too_fast_or_without_a_genuine_start_is_refused(
    client, pothole, other_authority, started
):
    commune = pothole.authority
    token = {
        "now": form_started_token(commune),
        "": "",
        "forged:123": f"{commune.pk}:{int(time.time()) - 60}:forged",
        "other-authority": form_started_token(other_authority, at=time.time() - 60),
    }[started]

    response = client.post(form_url(commune), filled(commune, started=token))

    assert response.status_code == 400
    assert Message.objects.count() == 0
    assert POTHOLE.replace("'", "&#x27;") in response.content.decode()


def test_too_many_messages_from_one_address_wait_a_few_minutes(
    client, pothole, settings
):
    commune = pothole.authority
    settings.PUBLIC_INTAKE_RATE_LIMIT = {
        **settings.PUBLIC_INTAKE_RATE_LIMIT,
        "form_per_client": 2,
    }
    for _ in range(2):
        assert client.post(form_url(commune), filled(commune)).status_code == 302

    response = client.post(
        form_url(commune), filled(commune, text="Troisième message, gardé à l'écran.")
    )

    assert response.status_code == 429
    assert Message.objects.count() == 2
    page = response.content.decode()
    assert "réessayer dans quelques minutes" in page
    assert "Troisième message, gardé à l&#x27;écran." in page
    # Another address is not held back.
    other = client.post(form_url(commune), filled(commune), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_behind_the_https_proxy_the_address_is_the_one_the_proxy_saw(
    client, pothole, settings
):
    commune = pothole.authority
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PUBLIC_INTAKE_RATE_LIMIT = {
        **settings.PUBLIC_INTAKE_RATE_LIMIT,
        "form_per_client": 1,
    }
    # A client cannot escape the limit by writing its own X-Forwarded-For.
    first = client.post(
        form_url(commune), filled(commune), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5"
    )
    second = client.post(
        form_url(commune), filled(commune), HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.5"
    )
    third = client.post(
        form_url(commune), filled(commune), HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert [first.status_code, second.status_code, third.status_code] == [302, 429, 302]


def test_validation_errors_keep_the_typed_text_and_ask_for_the_photo_again(
    client, pothole
):
    commune = pothole.authority
    response = client.post(
        form_url(commune),
        {
            **filled(commune, email="pas-une-adresse", latitude="48.6"),
            "photo": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        },
    )

    assert response.status_code == 200
    assert Message.objects.count() == 0
    page = response.content.decode()
    assert "Le formulaire contient 2 erreurs" in page
    assert "Indiquez la latitude et la longitude, ou aucune des deux." in page
    assert 'value="pas-une-adresse"' in page
    assert 'value="rue de Dinan"' in page
    assert "rue de Dinan, près du marché couvert" in page
    assert "choisissez de nouveau votre photo" in page


def test_a_file_that_is_not_a_photo_is_refused(client, pothole):
    commune = pothole.authority
    response = client.post(
        form_url(commune),
        {
            **filled(commune),
            "photo": SimpleUploadedFile(
                "photo.jpg", b"%PDF-1.7 not an image", content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 200
    assert Message.objects.count() == 0
    assert "n&#x27;est pas une photo lisible" in response.content.decode()


def test_a_photo_over_8_mb_is_refused(client, pothole, monkeypatch):
    commune = pothole.authority
    monkeypatch.setattr("parvis.inbox.services.intake.PHOTO_MAX_BYTES", 100)
    response = client.post(
        form_url(commune),
        {
            **filled(commune),
            "photo": SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg"),
        },
    )
    assert Message.objects.count() == 0
    assert "La photo dépasse 8 Mo" in response.content.decode()


def test_a_question_goes_without_a_report_category(client, pothole):
    commune = pothole.authority
    client.post(
        form_url(commune),
        filled(
            commune,
            kind="contact",
            text="Quels sont les horaires d'ouverture de la mairie annexe ?",
        ),
    )
    message = Message.objects.get()
    assert message.kind == "contact"
    assert message.category is None


def test_a_new_authority_has_the_default_categories_of_its_kind_once(commune):
    assert commune.report_categories.count() > 5
    assert report_categories_seed(authority=commune) == 0
    codes = set(
        ReportCategory.objects.filter(authority=commune).values_list("code", flat=True)
    )
    assert {"nid-de-poule", "eclairage-public", "depot-sauvage", "tags"} <= codes
    assert {"stationnement-genant", "bruit", "espaces-verts", "autre"} <= codes

    ReportCategory.objects.filter(authority=commune, code="tags").update(
        name="Graffitis", active=False
    )
    report_categories_seed(authority=commune)
    tags = ReportCategory.objects.get(authority=commune, code="tags")
    assert (tags.name, tags.active) == ("Graffitis", False)
