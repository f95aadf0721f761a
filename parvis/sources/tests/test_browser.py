"""The sources pages in a real browser, checked by axe-core at desktop and phone
sizes (helpers and skipping rules: parvis/web/tests/test_browser.py)."""

import pytest

from parvis.sources.extract import extract_article
from parvis.sources.models import Source
from parvis.sources.services import article_store
from parvis.sources.tests.conftest import SITE, fixture
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


def test_sources_and_articles_pages_are_accessible(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
):
    source = Source.objects.create(
        authority=commune,
        kind="feed",
        url=f"{SITE}/feed/",
        name="Actualités – Ville de Saint-Malo",
        last_error="1 page n'a pas pu être lue : page introuvable",
    )
    travaux = f"{SITE}/actualites/travaux-rue-de-dinan-circulation-alternee/"
    for name in ("article-travaux.html", "article-travaux-v2.html"):
        article, _ = article_store(
            authority=commune,
            source=source,
            extracted=extract_article(fixture(name).decode(), travaux),
        )
    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)
        base = f"{live_server.url}/c/{commune.slug}/sources/"
        for path, name in [
            ("", "sources"),
            ("ajouter/", "source-ajouter"),
            ("articles/", "articles"),
            (f"articles/{article.pk}/", "article"),
        ]:
            page.goto(base + path)
            check_page(page, name)
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)
        page.goto(base + "ajouter/")
        page.get_by_label("Adresse").fill("ftp://www.saint-malo.example/feed/")
        page.get_by_role("button", name="Ajouter la source").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("alert").is_visible()
        check_page(page, "source-ajouter-erreur")
        page.context.close()
