"""The inbox in a real browser, checked by axe-core at desktop and phone sizes
(helpers and skipping rules: parvis/web/tests/test_browser.py): an agent opens the
list, opens a message, corrects its topic in one click (htmx redraws the handling
panel), sets a status, and asks for the full text."""

import re

import pytest

from parvis.inbox.models import Message
from parvis.inbox.tests.inbox_cast import *  # noqa: F403 (the fixtures)
from parvis.inbox.tests.inbox_cast import MessageFactory
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


@pytest.mark.parametrize(
    ("viewport", "size"), [(DESKTOP, "bureau"), (PHONE, "telephone")]
)
def test_an_agent_corrects_a_topic_in_one_click_and_sets_a_status(
    browser,  # noqa: F811
    live_server,
    commune,
    agent,
    roads,
    viewport,
    size,
):
    MessageFactory.create_batch(3, authority=commune, service=roads)
    # Not routed (topic "autre"), given to the agent by the team.
    message = MessageFactory(
        authority=commune,
        topic="autre",
        assignee=agent,
        urgency="urgent",
        text="La plaque d'égout devant l'école a bougé, appelez-moi au "
        "06 12 34 56 78 ou écrivez à parent.inquiet@example.org.",
        author_name="Camille",
        confidences={"topic": 0.41, "intent": 0.9},
    )
    page = open_page(browser, viewport)

    def look(name):
        check_page(page, f"{name}-{size}")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, name)

    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}/c/{commune.slug}/messages/")
    assert page.get_by_role("heading", name="Messages des citoyens").is_visible()
    listing = page.locator(".inbox-list").inner_text()
    assert "[téléphone]" in listing and "06 12 34 56 78" not in listing
    assert "Urgent" in listing
    look("messages")

    page.get_by_role("link", name=re.compile("La plaque d'égout")).click()
    page.wait_for_url(re.compile(rf"/messages/{message.pk}/$"))
    assert "estimé, sûr à 41 %" in page.locator("#traitement").inner_text()
    look("message")

    # One click: choose the topic, save; htmx redraws the panel, no page load.
    page.evaluate("window.noReload = true")
    page.get_by_label(re.compile("^Domaine")).select_option("voirie")
    page.get_by_role("button", name="Enregistrer le domaine").click()
    announce = page.locator("#traitement-annonce")
    announce.get_by_text(
        "Message transmis au service « Voirie et espaces publics »"
    ).wait_for()
    assert page.evaluate("window.noReload") is True
    assert "vérifié par l'équipe" in page.locator("#traitement").inner_text()
    look("message-domaine-corrige")

    page.get_by_label("Nouveau statut").select_option("en_cours")
    page.get_by_role("button", name="Changer le statut").click()
    announce.get_by_text("Statut : En cours.").wait_for()
    look("message-statut")

    page.get_by_role("button", name="Voir le texte complet").click()
    page.locator("#texte").get_by_text("06 12 34 56 78", exact=False).wait_for()
    look("message-texte-complet")

    stored = Message.objects.get(pk=message.pk)
    assert stored.topic == "voirie" and stored.status == "en_cours"
    assert stored.service == roads
    page.context.close()


def test_the_filters_the_messages_to_sort_first_and_the_settings_pass_axe(
    browser,  # noqa: F811
    live_server,
    commune,
    admin_user,
    roads,
):
    MessageFactory.create_batch(4, authority=commune, service=roads)
    MessageFactory(authority=commune, level="departement", topic="education")
    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, admin_user.email)
        for path, name in [
            ("messages/?hors_competence=on&statut=nouveau", "messages-filtres"),
            ("messages/a-trier/", "messages-a-trier"),
            ("messages/reglages/", "messages-reglages"),
        ]:
            page.goto(f"{live_server.url}/c/{commune.slug}/{path}")
            check_page(page, f"{name}-{size}")
            if viewport == PHONE:
                assert_no_horizontal_scroll(page, name)
        page.context.close()
