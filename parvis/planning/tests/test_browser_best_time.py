"""The best-time page in a real browser, checked by axe-core at desktop and phone
sizes (helpers and skipping rules: parvis/web/tests/test_browser.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from parvis.planning.tests.test_best_time import history, make_channel, weeks_back
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


def test_the_best_time_page_is_accessible_with_defaults_and_own_results(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
):
    make_channel(commune, network="mastodon", account_id="42")
    facebook = make_channel(commune, network="facebook")
    recently = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    history(
        facebook,
        weeks_back(recently, 18, 12, engagement=60)
        + weeks_back(recently, 12, 12, engagement=20),
    )
    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)
        page.goto(f"{live_server.url}/c/{commune.slug}/meilleurs-moments/")
        assert page.get_by_role("heading", name="Meilleurs moments pour publier")
        assert page.get_by_role("table").count() == 2
        assert page.get_by_text("vos résultats : 12 publications").count() >= 1
        check_page(page, "meilleurs-moments")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "meilleurs-moments")
        page.context.close()
