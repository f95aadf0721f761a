"""The measurement dashboard and the barometer in a real browser, checked by
axe-core at desktop and phone sizes (helpers: parvis/web/tests/test_browser.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from parvis.channels.models import FollowerSnapshot
from parvis.insights.demo import demo_observatory_load
from parvis.insights.tests.builders import make_channel, published
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


@pytest.fixture
def measured(commune):
    facebook = make_channel(commune)
    mastodon = make_channel(commune, "mastodon", "m-1")
    now = timezone.now()
    for day in range(1, 25):
        published(
            facebook if day % 2 else mastodon,
            now - dt.timedelta(days=day),
            counters=(
                {"reach": 1000 + 40 * day, "reactions": 30 + day, "comments": 4}
                if day % 2
                else {"reactions": day, "shares": 2}
            ),
            specific=day % 3 != 0,
            title=f"Publication {day} : marché de Noël",
        )
    for day in range(40):
        FollowerSnapshot.objects.create(
            channel=facebook,
            day=timezone.localdate() - dt.timedelta(days=day),
            collected_at=now - dt.timedelta(days=day),
            followers=12_000 - 5 * day if day != 3 else None,
            error="" if day != 3 else "RateLimited: retry later",
        )
    demo_observatory_load()
    return commune


def test_the_dashboard_and_the_barometer_are_accessible_on_a_phone_and_a_desktop(
    browser,  # noqa: F811
    live_server,
    measured,
    editor,
):
    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)
        page.goto(f"{live_server.url}/c/{measured.slug}/mesure/")
        assert page.get_by_role("heading", name="Chiffres clés").count() == 1
        assert page.get_by_role("img", name="Portée cumulée par canal").count() == 1
        check_page(page, "mesure")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "mesure")
        page.get_by_label("Période", exact=True).select_option("90")
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_load_state("load")
        assert "periode=90" in page.url
        check_page(page, "mesure-90-jours")
        page.get_by_role("link", name="Comparer avec les autres collectivités").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name="Saint-Malo parmi ses pairs").count()
        assert page.get_by_role("img", name="Part des collectivités présentes").count()
        check_page(page, "barometre")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "barometre")
        page.get_by_label("Catégorie", exact=True).select_option("epci")
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_load_state("load")
        assert "groupe=epci" in page.url
        check_page(page, "barometre-epci")
        page.goto(f"{live_server.url}/c/{measured.slug}/mesure/rapport/")
        assert page.get_by_role("heading", name="Rapport mensuel").count() == 1
        check_page(page, "rapport-mensuel")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "rapport-mensuel")
        page.context.close()
