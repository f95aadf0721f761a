"""The public archive and the calendar feeds page in a real browser, checked by
axe-core at desktop and phone sizes (helpers and skipping rules:
parvis/web/tests/test_browser.py)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from parvis.planning import services
from parvis.publishing.models import ArchiveEntry
from parvis.web.tests.test_browser import (  # noqa: F401 (the browser fixture)
    DESKTOP,
    PHONE,
    assert_no_horizontal_scroll,
    browser,
    check_page,
    log_in,
    open_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PARIS = ZoneInfo("Europe/Paris")


def poster() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 320), "#1f4e79").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_public_archive_is_accessible_without_an_account(
    browser,  # noqa: F811
    live_server,
    commune,
):
    start = dt.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS)
    withdrawn = ArchiveEntry.objects.create(
        authority=commune,
        network="mastodon",
        channel_name="Mastodon @ville@social.example",
        parts=[
            "Travaux rue de Dinan du 3 au 7 mars : circulation alternée.\n"
            "Merci de votre patience.",
            "Plan de la déviation : https://www.saint-malo.example/travaux-dinan",
        ],
        link="https://www.saint-malo.example/travaux-dinan-une-adresse-tres-longue",
        image_alt="Plan de la déviation par la rue Saint-Vincent",
        remote_url="https://social.example/@ville/1",
        published_at=start,
        withdrawn_at=start + dt.timedelta(days=1),
    )
    withdrawn.image.save("plan.png", ContentFile(poster()), save=True)
    for day in range(1, 4):
        ArchiveEntry.objects.create(
            authority=commune,
            network="facebook",
            channel_name="Facebook Ville de Saint-Malo",
            parts=[f"Fête du jeu, jour {day} : rendez-vous au parc des Chênes."],
            remote_url=f"https://facebook.example/posts/{day}",
            published_at=start + dt.timedelta(days=30 + day),
        )
    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        page.goto(f"{live_server.url}/archives/{commune.slug}/")
        assert page.get_by_role("heading", name="Archive des publications").count()
        assert page.get_by_text("Retirée du réseau").count() == 1
        assert page.get_by_role("link", name="Voir sur le réseau").count() == 3
        check_page(page, "archive-publique")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "archive-publique")
        page.get_by_label("Réseau").select_option("mastodon")
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_load_state("load")
        assert "reseau=mastodon" in page.url
        assert page.get_by_role("img", name="Plan de la déviation").count() == 1
        check_page(page, "archive-publique-filtree")
        page.context.close()


def test_the_calendar_feeds_page_is_accessible_with_a_new_address(
    browser,  # noqa: F811
    live_server,
    commune,
    validator,
):
    old, _ = services.calendar_feed_create(
        authority=commune, actor=validator, label="Ancien cabinet"
    )
    services.calendar_feed_revoke(feed=old, actor=validator)
    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        log_in(page, live_server, validator.email)
        page.goto(f"{live_server.url}/c/{commune.slug}/calendrier/abonnements/")
        check_page(page, "abonnements-calendrier")
        page.get_by_label("Pour qui").fill(f"Agenda de la maire ({viewport['width']})")
        page.get_by_role("button", name="Créer l'adresse").click()
        page.wait_for_load_state("load")
        address = page.get_by_label("Adresse à copier dans l'agenda")
        assert "/calendrier/ics/" in address.input_value()
        check_page(page, "abonnements-calendrier-nouvelle-adresse")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "abonnements-calendrier")
        page.get_by_role("link", name="Révoquer l'abonnement « Agenda").first.click()
        page.wait_for_load_state("load")
        check_page(page, "abonnements-calendrier-revoquer")
        page.context.close()
