"""The public contact / report form in a real browser, at phone size, checked by
axe-core (helpers and skipping rules: parvis/web/tests/test_browser.py)."""

import re

import pytest
from django.core import mail

from parvis.inbox.models import Message
from parvis.inbox.services import receipt_number, report_categories_seed
from parvis.inbox.tests.public_cast import png_bytes
from parvis.web.tests.test_browser import (  # noqa: F401 (the browser fixture)
    DESKTOP,
    PHONE,
    assert_no_horizontal_scroll,
    browser,
    check_page,
    open_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def quick_fill(monkeypatch):
    # The minimum fill time is tested without a browser; a script types faster.
    monkeypatch.setattr("parvis.inbox.forms_public.MIN_FILL_SECONDS", 0)


def test_a_citizen_reports_a_problem_with_a_photo_from_a_phone(
    browser,  # noqa: F811
    live_server,
    commune,
    quick_fill,
):
    report_categories_seed(authority=commune)
    page = open_page(browser, PHONE)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 48.6493, "longitude": -2.0257})

    page.goto(f"{live_server.url}/contact/{commune.slug}/")
    assert page.get_by_role(
        "heading", name="Contacter la mairie ou signaler un problème"
    ).is_visible()
    check_page(page, "contact-formulaire")
    assert_no_horizontal_scroll(page, "contact-formulaire")

    # A first try without a message: the error is said, what was typed stays.
    page.get_by_label("Adresse ou lieu").fill("Rue de Dinan, devant la poste")
    page.get_by_role("button", name="Envoyer mon message").click()
    page.wait_for_load_state("load")
    assert (
        "Le formulaire contient une erreur"
        in page.locator(".error-summary").inner_text()
    )
    assert page.get_by_label("Adresse ou lieu").input_value() == (
        "Rue de Dinan, devant la poste"
    )
    check_page(page, "contact-formulaire-erreur")
    assert_no_horizontal_scroll(page, "contact-formulaire-erreur")

    page.get_by_label("Signaler un problème dans l'espace public").check()
    page.get_by_label("Type de problème").select_option("eclairage-public")
    page.get_by_label(re.compile(r"^Votre message")).fill(
        "Le lampadaire en face de la poste reste éteint depuis trois soirs."
    )
    page.get_by_label("Photo").set_input_files(
        {"name": "lampadaire.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Utiliser ma position").click()
    page.get_by_text("Position ajoutée").wait_for()
    assert page.get_by_label("Latitude").input_value() == "48.649300"
    page.get_by_label("Votre adresse e-mail").fill("habitant@example.org")
    check_page(page, "contact-formulaire-rempli")
    page.get_by_role("button", name="Envoyer mon message").click()

    page.wait_for_url(re.compile(r"/contact/[\w-]+/recu/[0-9a-f-]+/$"))
    message = Message.objects.get()
    assert page.get_by_role(
        "heading", name="Votre message est bien envoyé"
    ).is_visible()
    assert receipt_number(message.public_id) in page.locator(".receipt").inner_text()
    check_page(page, "contact-accuse-reception")
    assert_no_horizontal_scroll(page, "contact-accuse-reception")
    assert message.photo and message.category.code == "eclairage-public"
    assert str(message.latitude) == "48.649300"
    assert message.address == "Rue de Dinan, devant la poste"
    [email] = mail.outbox
    assert email.to == ["habitant@example.org"]

    page.get_by_role("link", name="Suivre l'avancement de votre demande").click()
    page.wait_for_load_state("load")
    assert "Reçu" in page.locator(".follow-up").inner_text()
    check_page(page, "contact-suivi")
    assert_no_horizontal_scroll(page, "contact-suivi")
    page.context.close()


def test_the_form_is_accessible_on_a_desktop_too(
    browser,  # noqa: F811
    live_server,
    commune,
):
    report_categories_seed(authority=commune)
    page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/contact/{commune.slug}/")
    check_page(page, "contact-formulaire")
    page.context.close()
