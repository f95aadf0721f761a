"""Campaigns in a real browser, checked by axe-core at desktop and phone sizes
(helpers and skipping rules: parvis/web/tests/test_browser.py): the form, its
indicators redrawn by htmx on a change of objective, an error, the campaign's page,
and the campaign of a post in the studio's editor."""

import re

import pytest

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


def checked(page, label):
    return page.get_by_label(label, exact=False).first.is_checked()


def test_a_writer_creates_a_campaign_through_the_form(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    post,
):
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)

        def look(name, page=page, viewport=viewport):
            check_page(page, name)
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)

        page.goto(f"{live_server.url}/c/{commune.slug}/campagnes/")
        look("campagnes")
        page.get_by_role("link", name="Nouvelle campagne").click()
        page.wait_for_load_state("load")
        look("campagne-nouvelle")

        page.get_by_label(re.compile(r"^Nom de la campagne")).fill(
            f"Fête de la mer ({size})"
        )
        page.get_by_label(re.compile(r"^Objectif")).select_option("image")
        # htmx redraws the indicators of the objective, its defaults checked.
        engagement = page.get_by_role("checkbox", name=re.compile("^Taux d'engagement"))
        engagement.wait_for()
        page.wait_for_function(
            "() => document.querySelector('#id_kpis_0')?.value === 'taux_engagement'"
        )
        assert engagement.is_checked()
        assert (
            page.get_by_role("checkbox", name=re.compile("^Contributions")).count() == 0
        )
        assert page.get_by_role(
            "checkbox", name=re.compile("^La campagne valorise")
        ).is_checked()
        assert (
            "ceux par défaut cochés"
            in page.locator("#campaign-objective-status").inner_text()
        )
        look("campagne-objectif-image")

        page.get_by_label(re.compile(r"^Début")).fill("2031-03-10")
        page.get_by_label(re.compile(r"^Fin")).fill("2031-03-01")
        page.get_by_role("checkbox", name="Familles").check()
        page.get_by_label(re.compile(r"^Budget de sponsorisation")).fill("1 500")
        page.get_by_role("button", name="Créer la campagne").click()
        page.wait_for_load_state("load")
        summary = page.locator(".error-summary")
        assert (
            "La fin de la campagne ne peut précéder son début" in summary.inner_text()
        )
        look("campagne-erreur")

        page.get_by_label(re.compile(r"^Fin")).fill("2031-04-13")
        page.get_by_role("button", name="Créer la campagne").click()
        page.wait_for_url(re.compile(r"/campagnes/\d+/$"))
        assert "créée" in page.locator(".messages").inner_text()
        assert page.get_by_role("heading", name="Indicateurs suivis").is_visible()
        assert page.get_by_text("Part de réactions positives").is_visible()
        look("campagne")

        campaign = Campaign.objects.get(name=f"Fête de la mer ({size})")
        assert campaign.promotes_achievements
        assert str(campaign.budget) == "1500.00"
        page.goto(f"{live_server.url}/c/{commune.slug}/studio/{post.pk}/")
        page.get_by_label("Campagne de la publication").select_option(str(campaign.pk))
        page.get_by_role("button", name="Changer de campagne").click()
        page.wait_for_load_state("load")
        assert "ajoutée à la campagne" in page.locator(".messages").inner_text()
        look("studio-campagne")

        page.get_by_role("link", name=f"Fête de la mer ({size})").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("link", name="Fête du jeu").is_visible()
        look("campagne-publications")
        page.get_by_role("link", name="Supprimer").click()
        page.wait_for_load_state("load")
        assert (
            "Sa publication reste dans le studio" in page.locator("main").inner_text()
        )
        look("campagne-suppression")
        page.context.close()
