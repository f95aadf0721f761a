"""The editorial calendar in a real browser, checked by axe-core at desktop and phone
sizes (helpers and skipping rules: parvis/web/tests/test_browser.py): the month, week
and list views, a scheduled post at its local time, and a post moved with the
keyboard only (the form, no drag-and-drop)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import Campaign
from parvis.planning.tests.calendar_helpers import PARIS, paris, planned
from parvis.studio.models import Post
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


def next_month_day(day: int) -> dt.date:
    today = timezone.now().astimezone(PARIS).date()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=day)


@pytest.fixture
def month(commune, editor, validator, post, channel):
    """Next month: the planning cast's post approved and scheduled on the 8th at
    10:00, two drafts 30 minutes apart on the 15th (a conflict), a campaign without
    posts in its last week (a gap)."""
    day = next_month_day(8)
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    services.post_schedule(
        post=post, actor=editor, planned_at=paris(day.year, day.month, 8, 10, 0)
    )
    campaign = Campaign.objects.create(
        authority=commune,
        name="Marchés de Noël",
        slug="marches",
        objective="attractivite",
        starts_on=day,
        ends_on=day.replace(day=20),
        posts_per_week=2,
    )
    planned(
        commune,
        paris(day.year, day.month, 15, 18, 0),
        title="Marché de Noël",
        campaign=campaign,
    )
    planned(commune, paris(day.year, day.month, 15, 18, 30), title="Patinoire")
    return day


def test_the_calendar_is_accessible_and_a_post_moves_with_the_keyboard(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    month,
):
    query = f"?mois={month:%Y-%m}"
    base = f"{live_server.url}/c/{commune.slug}/calendrier"
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)

        def look(name, page=page, viewport=viewport, size=size):
            check_page(page, f"{name}-{size}")
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)

        page.goto(f"{base}/{query}")
        look("calendrier-mois")
        # The scheduled post sits on the 8th at 10:00, Paris time, said in words.
        day = page.locator(f"td:has(#jour-{month:%Y-%m}-08)")
        entry = day.locator("li.cal-entry", has_text="Fête du jeu")
        assert entry.locator("time").inner_text() == "10:00"
        assert "Programmée" in entry.inner_text()
        assert "Conflit" in page.locator("td", has_text="Patinoire").first.inner_text()
        assert "Marchés de Noël" in page.locator(".cal-alerts").inner_text()

        page.goto(f"{base}/semaine/?semaine={month:%Y-%m}-15")
        look("calendrier-semaine")
        page.goto(f"{base}/liste/?du={month:%Y-%m}-01&au={month:%Y-%m}-28")
        look("calendrier-liste")
        page.context.close()

    # Keyboard only: the "Déplacer" link, the two fields, Enter. The values are set
    # with fill(): how a date field splits into segments depends on the browser's
    # own locale, not on the page.
    page = open_page(browser, DESKTOP)
    log_in(page, live_server, editor.email)
    page.goto(f"{base}/{query}")
    page.get_by_role("link", name="Déplacer « Patinoire »").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/deplacer/"))
    check_page(page, "calendrier-deplacer-bureau")
    page.get_by_label("Date").fill(f"{month:%Y-%m}-16")
    for _segment in range(4):  # Tab crosses the date's segments, then leaves it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "time":
            break
    assert page.evaluate("document.activeElement.name") == "time"
    page.get_by_label(re.compile(r"^Heure")).fill("09:45")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/calendrier/\?mois="))
    assert "« Patinoire » est prévue le" in page.locator(".messages").inner_text()
    moved = page.locator(f"td:has(#jour-{month:%Y-%m}-16)").locator(
        "li.cal-entry", has_text="Patinoire"
    )
    assert moved.locator("time").inner_text() == "09:45"
    check_page(page, "calendrier-apres-deplacement-bureau")
    post = Post.objects.get(title="Patinoire")
    assert post.planned_at == paris(month.year, month.month, 16, 9, 45)
    page.context.close()


def test_the_agency_calendar_tells_authorities_apart_without_colour_alone(
    browser,  # noqa: F811
    live_server,
    commune,
    other_authority,
    agency,
):
    day = next_month_day(10)
    planned(commune, paris(day.year, day.month, 10, 9, 0), title="Saint-Malo en fête")
    planned(
        other_authority, paris(day.year, day.month, 10, 11, 0), title="Lyon lumière"
    )
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, agency.email)
        page.goto(f"{live_server.url}/calendrier/?mois={day:%Y-%m}")
        check_page(page, f"calendrier-agence-{size}")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "calendrier-agence")
        lyon = page.locator("li.cal-entry", has_text="Lyon lumière")
        assert lyon.locator(".cal-badge [aria-hidden=true]").inner_text() == "LY"
        assert "Lyon" in lyon.locator(".cal-badge .visually-hidden").inner_text()
        page.context.close()


def test_an_approved_post_is_scheduled_from_the_editor_and_shows_at_its_local_time(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    validator,
    post,
    channel,
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    day = next_month_day(12)
    editor_url = f"{live_server.url}/c/{commune.slug}/studio/{post.pk}/"
    phone = open_page(browser, PHONE)
    log_in(phone, live_server, editor.email)
    phone.goto(editor_url)
    check_page(phone, "editeur-programmer-telephone")
    assert_no_horizontal_scroll(phone, "editeur-programmer")
    phone.context.close()

    page = open_page(browser, DESKTOP)
    log_in(page, live_server, editor.email)
    page.goto(editor_url)
    check_page(page, "editeur-programmer-bureau")
    panel = page.locator("#circuit")
    assert panel.get_by_role(
        "checkbox", name="Mastodon @ville@social.example"
    ).first.is_checked()
    panel.get_by_label("Date", exact=True).fill(f"{day:%Y-%m-%d}")
    panel.get_by_label("Heure", exact=True).fill("07:30")
    panel.get_by_role("button", name="Programmer").press("Enter")
    page.wait_for_url(re.compile(r"/studio/\d+/"))
    assert "Programmée le" in page.locator(".messages").inner_text()
    assert panel.get_by_role("button", name="Déprogrammer").is_visible()
    check_page(page, "editeur-programmee-bureau")

    page.goto(f"{live_server.url}/c/{commune.slug}/calendrier/?mois={day:%Y-%m}")
    entry = page.locator(f"td:has(#jour-{day:%Y-%m-%d})").locator(
        "li.cal-entry", has_text="Fête du jeu"
    )
    assert entry.locator("time").inner_text() == "07:30"
    assert (
        entry.locator("time")
        .get_attribute("datetime")
        .startswith(f"{day:%Y-%m-%d}T07:30:00+0")
    )
    assert "Programmée" in entry.inner_text()
    page.context.close()
