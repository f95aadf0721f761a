"""Sponsoring in a real browser, checked by axe-core at desktop and phone sizes
(helpers and skipping rules: parvis/web/tests/test_browser.py): the list with its
advice, the form with an error then saved, an import, the reach of publications."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from parvis.channels.models import FollowerSnapshot
from parvis.insights.models import Boost
from parvis.insights.tests.builders import make_channel, published
from parvis.planning.models import Campaign
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

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def history(commune):
    """A Facebook account with its usual publications, one that did three times
    better in an attractiveness campaign, and one past boost."""
    now = dt.datetime.now(dt.UTC)
    channel = make_channel(commune)
    FollowerSnapshot.objects.create(
        channel=channel,
        day=(now - dt.timedelta(days=60)).date(),
        collected_at=now - dt.timedelta(days=60),
        followers=10_000,
    )
    campaign = Campaign.objects.create(
        authority=commune,
        name="Fête de la mer",
        slug="fete-de-la-mer",
        objective="attractivite",
        starts_on=now.date(),
        ends_on=now.date(),
    )
    campaign.audiences.add(commune.audiences.get(slug="familles"))
    for index in range(12):
        published(
            channel,
            now - dt.timedelta(days=20 + index),
            counters={"reach": 1_000, "reactions": 20 + index},
            title=f"Travaux, semaine {index + 1}",
        )
    published(
        channel,
        now - dt.timedelta(days=3),
        counters={"reach": 1_200, "reactions": 70, "shares": 25},
        campaign=campaign,
        title="Fête de la mer : le programme",
    )
    Boost.objects.create(
        authority=commune,
        network="facebook",
        name="Inscriptions au périscolaire",
        budget=Decimal(30),
        spent=Decimal("25.50"),
        reach=3_010,
        impressions=4_433,
        starts_on=now.date() - dt.timedelta(days=40),
        ends_on=now.date() - dt.timedelta(days=33),
        origin=Boost.Origin.MANUAL,
    )


def test_a_writer_reads_the_advice_records_and_imports_boosts(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    history,
):
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)

        def look(name, page=page, viewport=viewport, size=size):
            check_page(page, f"{name}-{size}")
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)

        page.goto(f"{live_server.url}/c/{commune.slug}/")
        page.get_by_role("link", name="Sponsorisation").click()
        page.wait_for_load_state("load")
        assert page.get_by_role(
            "heading", name="Sponsorisation", exact=True
        ).is_visible()
        advice = page.locator(".cards .card").first
        assert "Fête de la mer : le programme" in advice.inner_text()
        assert "fois plus d'interactions" in advice.inner_text()
        look("sponsorisation")

        page.get_by_role("link", name="Nouvelle sponsorisation").click()
        page.wait_for_load_state("load")
        page.get_by_label(re.compile("^Réseau")).select_option("facebook")
        page.get_by_label(re.compile("^Budget en euros")).fill("-5")
        page.get_by_label(re.compile("^Début")).fill("2026-06-07")
        page.get_by_label(re.compile("^Fin")).fill("2026-06-01")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state("load")
        summary = page.get_by_role("alert")
        assert "La fin de la sponsorisation ne peut précéder son début." in (
            summary.inner_text()
        )
        look("sponsorisation-erreurs")
        page.get_by_label(re.compile("^Budget en euros")).fill("80")
        page.get_by_label(re.compile("^Fin")).fill("2026-06-14")
        page.get_by_label(re.compile("^Nom")).fill(f"Marché de Noël ({size})")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Sponsorisation enregistrée.").is_visible()

        page.get_by_label("Fichier exporté (CSV)").set_input_files(
            str(FIXTURES / "meta_ads_manager_bad_rows.csv")
        )
        page.get_by_role("button", name="Importer le fichier").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Ligne 3 : date de début illisible").is_visible()
        look("sponsorisation-import")

        page.goto(f"{live_server.url}/c/{commune.slug}/sponsorisation/portee/")
        assert page.get_by_role(
            "heading", name="Portée organique et payée des publications"
        ).is_visible()
        assert page.get_by_role("cell", name="12,0\u00a0%").first.is_visible()
        look("sponsorisation-portee")
        page.context.close()

    assert Boost.objects.filter(name__startswith="Marché de Noël").count() == 2
