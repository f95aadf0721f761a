"""Issue 6's walk, end to end in a real browser with the real task worker: a citizen
reports a problem with a photo from a phone; the agent of the service the report is
routed to sees it, corrects a label, answers; the citizen's e-mail gets the answer.
axe-core checks every page (helpers: parvis/web/tests/test_browser.py)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from parvis.inbox.models import Message, Reply
from parvis.inbox.services import report_categories_seed
from parvis.inbox.tests.inbox_cast import *  # noqa: F403 (the fixtures)
from parvis.inbox.tests.public_cast import png_bytes
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

CITIZEN = "habitante@example.org"
ANSWER = "Bonjour, merci : l'équipe d'éclairage public passe jeudi matin."


def run_worker():
    """The real task worker, until the queue is empty (as `make run` starts it)."""
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*")


def test_a_report_reaches_the_right_agent_who_corrects_it_and_answers_by_email(
    browser,  # noqa: F811
    live_server,
    commune,
    agent,
    roads,
    cleaning_message,
    monkeypatch,
):
    monkeypatch.setattr("parvis.inbox.forms_public.MIN_FILL_SECONDS", 0)
    report_categories_seed(authority=commune)

    citizen = open_page(browser, PHONE)
    citizen.goto(f"{live_server.url}/contact/{commune.slug}/")
    citizen.get_by_label("Signaler un problème dans l'espace public").check()
    citizen.get_by_label("Type de problème").select_option("eclairage-public")
    citizen.get_by_label(re.compile(r"^Votre message")).fill(
        "Le lampadaire devant l'école Jean Macé reste éteint depuis trois soirs, "
        "les enfants traversent dans le noir."
    )
    citizen.get_by_label("Adresse ou lieu").fill("Rue de la Pie, devant l'école")
    citizen.get_by_label("Photo").set_input_files(
        {"name": "lampadaire.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    citizen.get_by_label("Votre adresse e-mail").fill(CITIZEN)
    citizen.get_by_role("button", name="Envoyer mon message").click()
    citizen.wait_for_url(re.compile(r"/contact/[\w-]+/recu/[0-9a-f-]+/$"))
    check_page(citizen, "parcours-citoyen-recu")
    assert_no_horizontal_scroll(citizen, "parcours-citoyen-recu")
    citizen.context.close()
    run_worker()
    report = Message.objects.get(text__contains="lampadaire")
    assert report.service == roads and report.photo
    assert mail.outbox[-1].to == [CITIZEN]  # the acknowledgement
    sent_before = len(mail.outbox)

    page = open_page(browser, DESKTOP)
    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}/c/{commune.slug}/messages/")
    listing = page.locator(".inbox-list").inner_text()
    assert "lampadaire" in listing
    assert cleaning_message.text[:20] not in listing  # another service's message
    check_page(page, "parcours-agent-liste")
    page.get_by_role("link", name=re.compile("Le lampadaire devant")).click()
    page.wait_for_url(re.compile(rf"/messages/{report.pk}/$"))
    assert page.get_by_role("img", name=re.compile("Photo jointe")).count() == 1

    # The children crossing in the dark make it urgent: one click corrects it.
    page.get_by_label(re.compile("^Urgence")).select_option("urgent")
    page.get_by_role("button", name="Enregistrer l'urgence").click()
    page.locator("#traitement-annonce").get_by_text("Urgence").wait_for()
    check_page(page, "parcours-agent-etiquette")

    page.get_by_label(re.compile("^Votre réponse")).fill(ANSWER)
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_load_state("load")
    check_page(page, "parcours-agent-reponse")
    run_worker()

    reply = Reply.objects.get(message=report)
    assert reply.state == Reply.State.SENT and reply.author == agent
    [answer] = mail.outbox[sent_before:]
    assert answer.to == [CITIZEN] and ANSWER in answer.body
    stored = Message.objects.get(pk=report.pk)
    assert stored.urgency == "urgent" and stored.corrected["urgency"] == "urgent"
    assert stored.first_response_at is not None
    page.context.close()


def test_alerts_open311_keys_and_personal_data_pages_pass_axe_on_a_phone(
    browser,  # noqa: F811
    live_server,
    commune,
    admin_user,
):
    import datetime as dt

    from django.utils import timezone

    from parvis.inbox.services.alerts import alerts_detect
    from parvis.inbox.tests.inbox_cast import MessageFactory

    now = timezone.now()
    for minute in range(9):
        MessageFactory(
            authority=commune,
            topic="proprete",
            author_email=CITIZEN,
            received_at=now - dt.timedelta(minutes=70 + minute),
        )
    assert alerts_detect(authority=commune, now=now)
    page = open_page(browser, PHONE)

    def look(name):
        check_page(page, name)
        assert_no_horizontal_scroll(page, name)

    log_in(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/c/{commune.slug}/messages/")
    assert "Afflux de messages" in page.locator(".inbox-alerts").inner_text()
    look("messages-alerte")

    page.goto(f"{live_server.url}/c/{commune.slug}/messages/reglages/")
    page.get_by_label("Nom de l'application").fill("Signalements de l'agglomération")
    page.get_by_role("button", name="Créer une clé").click()
    page.wait_for_load_state("load")
    assert len(page.get_by_label("Clé", exact=True).input_value()) > 30
    look("reglages-cle-open311")

    page.get_by_role("link", name=re.compile("Données personnelles")).click()
    page.get_by_label(re.compile("Courriel ou nom de compte")).fill(CITIZEN)
    page.get_by_role("button", name="Rechercher ses messages").click()
    page.get_by_role("heading", name="9 messages trouvés").wait_for()
    look("donnees-personnelles")
    page.get_by_role("link", name=re.compile("registre des traitements")).click()
    page.get_by_role("heading", name="Fiche du registre des traitements").wait_for()
    look("registre-des-traitements")
    page.context.close()
