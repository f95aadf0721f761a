"""The interface in a real browser: Debian chromium driven by Playwright, checked by
axe-core (WCAG 2.1 A and AA rules) on every page visited, at desktop and phone sizes.

Needs /usr/bin/chromium and node_modules/axe-core (`make browser-deps`); without
them the tests are skipped with the reason. PARVIS_SCREENSHOTS=1 saves a screenshot
of each page into test-artifacts/.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} absent : make browser-deps (apt-get install chromium)")
    if not AXE.exists():
        pytest.skip(f"{AXE.relative_to(ROOT)} absent : make browser-deps (npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("paquet Python playwright absent : make install-test")

    # The sync API of Playwright runs an event loop in the test thread: without this,
    # Django refuses the ORM calls the fixtures make there.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def open_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    context.set_default_timeout(10_000)
    return context.new_page()


def check_page(page, name: str) -> None:
    """Axe finds no serious or critical WCAG 2.1 AA violation; screenshot if asked."""
    page.wait_for_load_state("load")
    if os.environ.get("PARVIS_SCREENSHOTS") == "1":
        ARTIFACTS.mkdir(exist_ok=True)
        size = page.viewport_size
        page.screenshot(
            path=ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png",
            full_page=True,
        )
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        WCAG_AA_TAGS,
    )
    violations = results["violations"]
    if violations:  # shown by pytest when a test fails, and with -s
        print(f"axe, page « {name} » :\n{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe, page « {name} » ({page.url}) :\n" + describe(blocking)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']} : {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])} : {node['failureSummary']}")
    return "\n".join(lines)


def assert_no_horizontal_scroll(page, name: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"« {name} » défile horizontalement : {widths}"


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    check_page(page, "connexion")
    if page.viewport_size == PHONE:
        assert_no_horizontal_scroll(page, "connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")


def test_staff_creates_an_authority_invites_its_team_and_sets_its_colours(
    browser, live_server, reference, staff
):
    page = open_page(browser, DESKTOP)

    log_in(page, live_server, staff.email)
    assert page.get_by_role("heading", name="Vos collectivités").is_visible()
    check_page(page, "accueil")

    page.get_by_role("link", name="Ajouter une collectivité").click()
    assert page.url.endswith("/collectivites/nouvelle/")
    check_page(page, "collectivite-nouvelle")
    # Results arrive through htmx as one types.
    page.get_by_label("Nom ou code officiel de la collectivité").press_sequentially(
        "saint-malo", delay=20
    )
    commune = page.get_by_role("radio", name=re.compile(r"Saint-Malo.*35288"))
    commune.wait_for()
    assert page.locator("#resultats-statut").inner_text() == "2 résultats"
    check_page(page, "collectivite-resultats")
    commune.check()
    page.get_by_role("button", name="Créer la collectivité choisie").click()

    page.wait_for_url(re.compile(r"/c/[\w-]+/membres/$"))
    slug = page.url.rstrip("/").split("/")[-2]
    assert "Saint-Malo est créée" in page.locator(".messages").inner_text()
    check_page(page, "equipe")
    page.get_by_label("Adresse e-mail de la personne à inviter").fill(
        "communication@saint-malo.example"
    )
    page.get_by_label("Rôle").select_option("editor")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state("load")
    message = page.locator(".messages").inner_text()
    assert "Invitation envoyée à communication@saint-malo.example" in message
    check_page(page, "equipe-invitation-envoyee")

    page.get_by_role("link", name="Identité visuelle").click()
    assert page.url.endswith(f"/c/{slug}/parametres/")
    check_page(page, "identite-visuelle")
    page.get_by_label(re.compile(r"^Couleur principale")).fill("#ffffff")
    page.get_by_label("Couleur du texte sur la couleur principale").fill("#777777")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    summary = page.locator(".error-summary")
    assert "Contraste insuffisant" in summary.inner_text()
    check_page(page, "identite-visuelle-erreur")

    page.get_by_label(re.compile(r"^Couleur principale")).fill("#00594f")
    page.get_by_label("Couleur du texte sur la couleur principale").fill("#ffffff")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    assert "Identité visuelle enregistrée" in page.locator(".messages").inner_text()
    header_background = page.locator(".site-header").evaluate(
        "header => getComputedStyle(header).backgroundColor"
    )
    assert header_background == "rgb(0, 89, 79)"
    check_page(page, "identite-visuelle-enregistree")

    for link, name in [
        ("Tableau de bord", "tableau-de-bord"),
        ("Publics", "publics"),
        ("Services", "services"),
        ("Élections", "elections"),
        ("Journal", "journal"),
    ]:
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name=link, exact=True
        ).click()
        page.wait_for_load_state("load")
        check_page(page, name)
    page.context.close()


def test_pages_fit_a_phone_screen(browser, live_server, commune, admin_user):
    page = open_page(browser, PHONE)
    log_in(page, live_server, admin_user.email)
    assert page.url.endswith(f"/c/{commune.slug}/")
    pages = [
        ("", "tableau-de-bord"),
        ("membres/", "equipe"),
        ("publics/", "publics"),
        ("services/", "services"),
        ("elections/", "elections"),
        ("parametres/", "identite-visuelle"),
        ("journal/", "journal"),
    ]
    for path, name in pages:
        page.goto(f"{live_server.url}/c/{commune.slug}/{path}")
        check_page(page, name)
        assert_no_horizontal_scroll(page, name)

    page.goto(f"{live_server.url}/c/{commune.slug}-inconnue/")
    assert page.get_by_role("heading", name="Page introuvable").is_visible()
    check_page(page, "page-introuvable")
    assert_no_horizontal_scroll(page, "page-introuvable")
    page.context.close()


def test_channels_and_publications_explain_their_state(
    browser, live_server, commune, admin_user, monkeypatch
):
    from django.utils import timezone

    from parvis.channels.services import channel_connect, channel_mark_reconnect
    from parvis.connectors.base import (
        AccountInfo,
        Connector,
        Credentials,
        PublishedPart,
        PublishResult,
    )
    from parvis.connectors.errors import Rejected
    from parvis.publishing.engine import publication_publish, publications_dispatch
    from parvis.publishing.services import publication_schedule
    from parvis.studio.models import Post, Variant

    def connect(network, handle):
        return channel_connect(
            authority=commune,
            network=network,
            credentials=Credentials(access_token="t"),
            account=AccountInfo(account_id=handle, handle=handle),
            actor=admin_user,
        )

    mastodon = connect("mastodon", "@ville@social.example")
    bluesky = connect("bluesky", "ville-saint-malo.bsky.social")
    channel_mark_reconnect(channel=bluesky, reason="ExpiredToken")

    outcomes = iter(
        [
            Rejected("Validation failed: Text character limit of 500 exceeded"),
            PublishResult((PublishedPart("1", "https://social.example/@ville/1"),)),
        ]
    )

    class Scripted(Connector):
        def publish(self, draft):
            outcome = next(outcomes)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

    monkeypatch.setattr(
        "parvis.publishing.engine.connector_for",
        lambda channel: Scripted(Credentials(access_token="t")),
    )
    post = Post.objects.create(
        authority=commune, title="Travaux rue de Dinan", state="approved"
    )
    publications = []
    for text in ("Un texte trop long…", "Travaux rue de Dinan du 3 au 7 mars."):
        variant = Variant.objects.create(post=post, network="mastodon", parts=[text])
        publication = publication_schedule(
            variant=variant,
            channel=mastodon,
            scheduled_at=timezone.now(),
            actor=admin_user,
        )
        publications_dispatch()
        publication_publish(publication_id=publication.pk, worker="test")
        publications.append(publication)
    failed, published = publications

    for viewport in (DESKTOP, PHONE):
        page = open_page(browser, viewport)
        log_in(page, live_server, admin_user.email)
        page.goto(f"{live_server.url}/c/{commune.slug}/canaux/")
        assert page.get_by_text("Reconnexion nécessaire").is_visible()
        assert page.get_by_role("link", name=re.compile("Reconnecter")).is_visible()
        check_page(page, "canaux")
        base = f"{live_server.url}/c/{commune.slug}/publications/"
        page.goto(f"{base}{failed.pk}/")
        assert page.get_by_text("Mastodon a refusé la publication").first.is_visible()
        assert page.get_by_role("button", name="Relancer maintenant").is_visible()
        check_page(page, "publication-en-echec")
        page.goto(f"{base}{published.pk}/")
        link = page.get_by_role("link", name=re.compile("Voir la publication"))
        assert link.get_attribute("href") == "https://social.example/@ville/1"
        check_page(page, "publication-parue")
        page.goto(base)
        check_page(page, "publications")
        page.goto(f"{live_server.url}/notifications/")
        assert page.get_by_text("Échec de publication sur Mastodon").is_visible()
        check_page(page, "notifications")
        if viewport == PHONE:
            for name in ("canaux", "publications", "notifications"):
                assert_no_horizontal_scroll(page, name)
        page.context.close()


def test_the_studio_editor_counts_as_one_types_and_saves(
    browser, live_server, commune, editor
):
    from playwright.sync_api import expect

    from parvis.studio.models import Post, Variant

    page = open_page(browser, DESKTOP)
    log_in(page, live_server, editor.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Studio", exact=True
    ).click()
    page.wait_for_load_state("load")
    check_page(page, "studio")
    page.get_by_role("link", name="Nouvelle publication").click()
    page.wait_for_load_state("load")
    page.get_by_label("Un texte à saisir ici").check()
    check_page(page, "studio-nouvelle-publication")
    page.get_by_label(re.compile(r"^Titre")).fill("Fête du jeu au parc des Chênes")
    page.get_by_label(re.compile(r"^Texte")).fill(
        "La Ville organise la Fête du jeu le samedi 14 juin 2027 de 14 h à 19 h au "
        "parc des Chênes. Jeux géants et ateliers pour les enfants de 3 à 12 ans. "
        "L'entrée est gratuite. Inscription aux ateliers au 02 99 00 00 00."
    )
    page.get_by_label(re.compile(r"^Lien vers la page")).fill(
        "https://www.saint-malo.example/agenda/fete-du-jeu"
    )
    for network in ("X", "Instagram", "Mastodon"):
        page.get_by_role("checkbox", name=network, exact=True).check()
    page.get_by_role("checkbox", name="Familles", exact=True).check()
    page.get_by_role("button", name="Écrire les variantes").click()
    page.wait_for_url(re.compile(r"/studio/\d+/$"))
    post = Post.objects.get()
    assert post.variants.count() == 6
    editor_url = page.url
    check_page(page, "studio-editeur")

    variant = Variant.objects.get(post=post, network="x", audience__slug="habitants")
    card = page.locator(f"#variante-{variant.pk}")
    counter = card.locator(f"#variante-{variant.pk}-compteur-0")
    assert counter.get_attribute("aria-live") == "polite"
    before = counter.inner_text()
    textarea = card.get_by_label(re.compile(r"^Message")).first
    textarea.click()
    textarea.press("Control+End")
    textarea.press_sequentially(" Venez nombreux !", delay=15)
    expect(counter).not_to_have_text(before)
    expect(card.locator(".np__post").first).to_contain_text("Venez nombreux !")
    check_page(page, "studio-editeur-saisie")
    card.get_by_role("button", name=re.compile(r"^Enregistrer")).click()
    page.wait_for_load_state("load")
    saved = page.locator(f"#variante-{variant.pk}")
    expect(saved.get_by_role("status")).to_contain_text("variante enregistrée")
    variant.refresh_from_db()
    assert variant.parts[0].endswith("Venez nombreux !")
    check_page(page, "studio-editeur-enregistre")
    page.context.close()

    page = open_page(browser, PHONE)
    log_in(page, live_server, editor.email)
    for path, name in (
        (editor_url, "studio-editeur"),
        (f"{live_server.url}/c/{commune.slug}/studio/", "studio"),
        (f"{live_server.url}/c/{commune.slug}/studio/nouveau/", "studio-nouvelle"),
    ):
        page.goto(path)
        check_page(page, name)
        assert_no_horizontal_scroll(page, name)
    page.context.close()
