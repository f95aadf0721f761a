import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parvis.system.models import AuditEvent
from parvis.territory.brand import contrast_ratio, darken_until_readable

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 20), noise=False) -> bytes:
    image = Image.new("RGB", size, "#00557f")
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_contrast_ratio_follows_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert contrast_ratio("#ffffff", "#ffffff") == 1.0


def test_a_light_brand_colour_is_darkened_for_links_on_white():
    link = darken_until_readable("#7fc4ff")
    assert contrast_ratio(link, "#ffffff") >= 4.5
    assert darken_until_readable("#1f4e79") == "#1f4e79"


def brand_url(authority):
    return reverse("territory:settings", args=[authority.slug])


def test_a_low_contrast_colour_pair_is_refused_and_nothing_changes(
    client_of, admin_user, commune
):
    page = client_of(admin_user).post(
        brand_url(commune), {"primary_color": "#777777", "on_primary_color": "#ffffff"}
    )
    assert "Contraste insuffisant" in page.text
    assert "4,48:1" in page.text
    commune.refresh_from_db()
    assert commune.primary_color == "#1f4e79"


def test_a_readable_pair_and_a_logo_are_saved_and_audited(
    client_of, admin_user, commune
):
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client_of(admin_user).post(
        brand_url(commune),
        {
            "primary_color": "#8B0000",
            "on_primary_color": "#ffffff",
            "logo": logo,
            "logo_alt": "Ville de Saint-Malo",
        },
    )
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.primary_color == "#8b0000"
    assert commune.logo.name.endswith(".png")
    event = AuditEvent.objects.get(authority=commune, action="authority.brand")
    assert event.changes["primary_color"] == ["#1f4e79", "#8b0000"]
    page = client_of(admin_user).get(reverse("web:dashboard", args=[commune.slug]))
    assert "--brand:#8b0000" in page.text


def test_a_file_that_is_not_an_image_is_refused(client_of, admin_user, commune):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")
    page = client_of(admin_user).post(
        brand_url(commune),
        {
            "primary_color": "#1f4e79",
            "on_primary_color": "#ffffff",
            "logo": fake,
            "logo_alt": "Logo",
        },
    )
    assert "Téléversez une image valide" in page.text
    commune.refresh_from_db()
    assert not commune.logo


def test_a_logo_over_two_megabytes_is_refused(client_of, admin_user, commune):
    big = png_bytes(size=(1100, 1100), noise=True)
    assert len(big) > 2 * 1024 * 1024
    page = client_of(admin_user).post(
        brand_url(commune),
        {
            "primary_color": "#1f4e79",
            "on_primary_color": "#ffffff",
            "logo": SimpleUploadedFile("big.png", big, "image/png"),
            "logo_alt": "Logo",
        },
    )
    assert "2 Mo au plus" in page.text
    commune.refresh_from_db()
    assert not commune.logo


def test_a_malformed_colour_is_refused(client_of, admin_user, commune):
    page = client_of(admin_user).post(
        brand_url(commune),
        {"primary_color": "red;}</style><script>", "on_primary_color": "#ffffff"},
    )
    assert "#rrvvbb" in page.text
    assert "</style><script>" not in page.text


def test_an_editor_cannot_change_the_brand(client_of, editor, commune):
    assert client_of(editor).get(brand_url(commune)).status_code == 404
