"""The planning circuit end to end in a real browser, checked by axe-core on every
page (helpers and skipping rules: parvis/web/tests/test_browser.py): an editor writes
a post from an article of the website and submits it; a validator refuses it with a
comment; the editor fixes it and submits again; the validator approves it; the editor
schedules it; it shows in the calendar at its local time; crisis mode pauses it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from parvis.planning.tests.crisis_helpers import connect
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post, PostState
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


@pytest.fixture
def article(commune):
    from parvis.sources.models import Article, Source

    source = Source.objects.create(
        authority=commune, url="https://www.saint-malo.example/feed/", kind="feed"
    )
    return Article.objects.create(
        authority=commune,
        source=source,
        canonical_url="https://www.saint-malo.example/actualites/patinoire",
        url="https://www.saint-malo.example/actualites/patinoire",
        title="La patinoire de Noël ouvre place Chateaubriand",
        lead="Du 12 décembre au 4 janvier, la patinoire revient intra-muros.",
        text=(
            "La patinoire de Noël ouvre le samedi 12 décembre place Chateaubriand. "
            "Elle accueille le public tous les jours de 10 h à 20 h jusqu'au "
            "4 janvier. L'entrée coûte 3 euros, la location des patins est comprise. "
            "Les enfants de moins de 6 ans entrent gratuitement."
        ),
        content_hash="1" * 64,
        published_at=timezone.now(),
    )


def open_post(page, live_server, commune, post, who):
    page.goto(f"{live_server.url}/c/{commune.slug}/studio/{post.pk}/")
    page.wait_for_load_state("load")
    check_page(page, f"parcours-{who}")


def test_a_post_goes_from_an_article_through_review_to_the_calendar_and_a_crisis(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    validator,
    admin_user,
    article,
):
    channel = connect(commune, "mastodon", "@ville@social.saint-malo.fr", admin_user)

    # The editor writes the post from the article and submits it.
    writer = open_page(browser, DESKTOP)
    log_in(writer, live_server, editor.email)
    writer.goto(f"{live_server.url}/c/{commune.slug}/studio/nouveau/")
    writer.get_by_label("Un article du site de la collectivité").check()
    select = writer.get_by_label(re.compile(r"^Article du site"))
    select.select_option(value=str(article.pk))
    writer.get_by_role("checkbox", name="Mastodon", exact=True).check()
    check_page(writer, "parcours-nouvelle")
    writer.get_by_role("button", name="Écrire les variantes").click()
    writer.wait_for_url(re.compile(r"/studio/\d+/$"))
    post = Post.objects.get(article=article)
    check_page(writer, "parcours-editeur")
    writer.get_by_role("button", name="Soumettre à validation").click()
    writer.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW

    # The validator refuses it, with a comment (on a phone).
    reviewer = open_page(browser, PHONE)
    log_in(reviewer, live_server, validator.email)
    open_post(reviewer, live_server, commune, post, "validation")
    assert_no_horizontal_scroll(reviewer, "parcours-validation")
    reviewer.get_by_label(re.compile(r"^Motif du refus")).fill(
        "Précisez que les patins sont compris dans le prix."
    )
    reviewer.get_by_role("button", name="Refuser").click()
    reviewer.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.state == PostState.DRAFT

    # The editor sees the comment, fixes the text and submits again.
    open_post(writer, live_server, commune, post, "refusee")
    assert "Précisez que les patins sont compris" in writer.content()
    variant = post.variants.get()
    card = writer.locator(f"#variante-{variant.pk}")
    message = card.get_by_label(re.compile(r"^Message")).first
    message.fill(message.input_value() + " Patins compris.")
    card.get_by_role("button", name=re.compile(r"^Enregistrer")).click()
    writer.wait_for_load_state("load")
    writer.get_by_role("button", name="Soumettre à validation").click()
    writer.wait_for_load_state("load")

    # The validator approves it.
    open_post(reviewer, live_server, commune, post, "validation-2")
    reviewer.get_by_role("button", name="Approuver", exact=True).click()
    reviewer.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.state == PostState.APPROVED

    # The editor schedules it for 10:30, Paris time, in a week.
    day = (timezone.now().astimezone(PARIS) + dt.timedelta(days=7)).date()
    open_post(writer, live_server, commune, post, "approuvee")
    writer.get_by_label("Date", exact=True).fill(day.isoformat())
    writer.get_by_label("Heure", exact=True).fill("10:30")
    writer.get_by_role("button", name="Programmer").click()
    writer.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    publication = Publication.objects.get(variant=variant, channel=channel)
    local = publication.scheduled_at.astimezone(PARIS)
    assert (local.date(), local.hour, local.minute) == (day, 10, 30)

    # The calendar shows it on its day, at its local time.
    writer.goto(f"{live_server.url}/c/{commune.slug}/calendrier/?mois={day:%Y-%m}")
    writer.wait_for_load_state("load")
    check_page(writer, "parcours-calendrier")
    cell = writer.locator(f"#jour-{day.isoformat()}").locator("xpath=..")
    assert "10:30" in cell.inner_text()
    assert post.title in cell.inner_text()

    # Crisis mode pauses it.
    reviewer.goto(f"{live_server.url}/c/{commune.slug}/crise/")
    reviewer.get_by_label(re.compile(r"^Intitulé de la crise")).fill("Tempête")
    reviewer.get_by_label(re.compile(r"^Message d'alerte")).fill(
        "Tempête : restez chez vous, les parcs et la digue sont fermés."
    )
    reviewer.get_by_role("button", name="Vérifier avant de déclencher").click()
    reviewer.wait_for_load_state("load")
    check_page(reviewer, "parcours-crise-confirmation")
    reviewer.get_by_role("button", name="Confirmer : déclencher le mode crise").click()
    reviewer.wait_for_load_state("load")
    publication.refresh_from_db()
    assert publication.state == PublicationState.PAUSED
    open_post(writer, live_server, commune, post, "en-crise")
    assert "Mode crise en cours" in writer.locator(".crisis-banner").inner_text()
    assert "le mode crise retient cet envoi" in writer.locator("#circuit").inner_text()
    writer.context.close()
    reviewer.context.close()
