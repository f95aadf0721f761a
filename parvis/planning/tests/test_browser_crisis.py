"""Crisis mode in a real browser, checked by axe-core at desktop and phone sizes
(helpers and skipping rules: parvis/web/tests/test_browser.py): a validator starts a
crisis (the counts redrawn by htmx as the message is typed, then the confirmation
step), sees the banner on every page and the scheduled post paused, and lifts it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from parvis.planning.tests.crisis_helpers import ALERT, connect, scheduled
from parvis.publishing.models import Publication, PublicationState
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


def test_a_validator_starts_a_crisis_sees_the_banner_and_lifts_it(
    browser,  # noqa: F811
    live_server,
    commune,
    validator,
    admin_user,
):
    mastodon = connect(commune, "mastodon", "@ville@social.saint-malo.fr", admin_user)
    connect(commune, "bluesky", "saint-malo.fr", admin_user)
    publication = scheduled(
        commune, mastodon, timezone.now() + dt.timedelta(days=2), title="Marché de Noël"
    )
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, validator.email)

        def look(name, page=page, viewport=viewport, size=size):
            check_page(page, f"{name}-{size}")
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)

        page.goto(f"{live_server.url}/c/{commune.slug}/")
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Mode crise"
        ).click()
        page.wait_for_load_state("load")
        look("crise")
        page.get_by_label(re.compile(r"^Intitulé de la crise")).fill(
            f"Crue de la Rance ({size})"
        )
        message = page.get_by_label(re.compile(r"^Message d'alerte"))
        message.fill(" ".join([ALERT] * 3))
        # htmx redraws the counts: too long for one Bluesky post, so a thread.
        counts = page.locator("#crise-comptes")
        counts.get_by_text(re.compile("publié en fil de 2 messages")).wait_for()
        look("crise-message")

        page.get_by_role("button", name="Vérifier avant de déclencher").click()
        page.wait_for_load_state("load")
        assert page.get_by_role(
            "heading", name="Confirmer le passage en mode crise"
        ).is_visible()
        assert "1 publication programmée sera suspendue" in page.content()
        look("crise-confirmation")
        page.get_by_role("button", name="Confirmer : déclencher le mode crise").click()
        page.wait_for_load_state("load")

        banner = page.locator(".crisis-banner")
        assert "Mode crise en cours" in banner.inner_text()
        assert page.get_by_role(
            "heading", name=re.compile("En cours : Crue")
        ).is_visible()
        look("crise-en-cours")

        # The scheduled post is paused, and the banner follows on every page.
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Publications", exact=True
        ).click()
        page.wait_for_load_state("load")
        assert page.locator(".crisis-banner").is_visible()
        row = page.get_by_role("row", name=re.compile("Marché de Noël"))
        assert "Suspendue (mode crise)" in row.inner_text()
        look("crise-publications")
        assert Publication.objects.get(pk=publication.pk).state == "paused"

        page.locator(".crisis-banner").get_by_role(
            "link", name="Suivre la crise"
        ).click()
        page.wait_for_load_state("load")
        # At desktop size the posts resume at their times; at phone size they are
        # held, then rescheduled one by one from the same page.
        mode = "Reprendre aux heures prévues" if viewport == DESKTOP else "Laisser"
        page.get_by_label(re.compile(f"^{mode}")).check()
        page.get_by_role("button", name="Lever le mode crise").click()
        page.wait_for_load_state("load")
        assert page.locator(".crisis-banner").count() == 0
        assert "Mode crise levé" in page.locator(".messages").inner_text()
        look("crise-levee")
        if viewport == PHONE:
            assert Publication.objects.get(pk=publication.pk).state == "paused"
            page.get_by_label(re.compile("^Nouvelle date")).fill("2031-05-04T09:30")
            page.get_by_role("button", name=re.compile("^Reprogrammer")).click()
            page.wait_for_load_state("load")
            assert "est reprogrammée" in page.locator(".messages").inner_text()
            look("crise-reprogrammee")
        assert (
            Publication.objects.get(pk=publication.pk).state == PublicationState.PENDING
        )
        page.context.close()
