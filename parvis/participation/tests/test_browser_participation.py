"""Participation in a real browser, checked by axe-core (helpers:
parvis/web/tests/test_browser.py): a citizen on a phone contributes and votes on the
public page; the team moderates and sees the votes at desktop size."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from parvis.participation.models import Contribution, Vote
from parvis.participation.services import consultation_save, statement_add
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


def test_a_citizen_contributes_and_votes_then_the_team_moderates(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    admin_user,
    monkeypatch,
):
    monkeypatch.setattr("parvis.inbox.forms_public.MIN_FILL_SECONDS", 0)
    now = timezone.now()
    consultation = consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Le vélo à Saint-Malo",
            "slug": "velo",
            "question": "Comment rendre le vélo plus facile et plus sûr ?",
            "description": "Vos idées serviront au plan vélo 2027-2032.",
            "topic": "transports",
            "starts_at": now - dt.timedelta(days=1),
            "ends_at": now + dt.timedelta(days=30),
            "published": True,
            "votes_open": True,
        },
    )
    statement = statement_add(
        consultation=consultation,
        actor=admin_user,
        text="Séparer les pistes cyclables de la circulation automobile",
    )

    page = open_page(browser, PHONE)
    page.goto(f"{live_server.url}/participer/{commune.slug}/velo/")
    assert page.get_by_role("heading", name="Le vélo à Saint-Malo").is_visible()
    check_page(page, "consultation-publique")
    assert_no_horizontal_scroll(page, "consultation-publique")

    page.get_by_label(re.compile("^Votre pseudonyme")).fill("Yann")
    page.get_by_label(re.compile("^Votre contribution")).fill(
        "Des arceaux vélo abrités devant chaque école et à la gare."
    )
    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_url(re.compile(r"contribution=publiee"))
    assert (
        "Des arceaux vélo abrités"
        in page.locator(".consultation-public__list").inner_text()
    )
    check_page(page, "consultation-contribution-publiee")

    # The vote goes through htmx: the statement is redrawn and announced.
    page.evaluate("window.noReload = true")
    page.get_by_role("button", name="D'accord", exact=True).click()
    page.locator(f"#proposition-{statement.pk}").get_by_text(
        "Votre vote : D'accord."
    ).wait_for()
    assert page.evaluate("window.noReload") is True
    check_page(page, "consultation-vote")
    assert_no_horizontal_scroll(page, "consultation-vote")
    page.context.close()
    assert Vote.objects.get().value == 1

    team = open_page(browser, DESKTOP)
    log_in(team, live_server, editor.email)
    team.goto(f"{live_server.url}/c/{commune.slug}/consultations/")
    check_page(team, "consultations")
    team.get_by_role("link", name="Le vélo à Saint-Malo").click()
    team.wait_for_url(re.compile(r"/consultations/\d+/$"))
    check_page(team, "consultation-equipe")
    team.get_by_text("Masquer…").click()
    team.get_by_label("Motif du masquage (affiché publiquement)").fill("Doublon")
    team.get_by_role("button", name="Masquer", exact=True).click()
    team.wait_for_load_state("load")
    check_page(team, "consultation-equipe-masquee")
    assert Contribution.objects.get().status == "hidden"
    team.goto(
        f"{live_server.url}/c/{commune.slug}/consultations/{consultation.pk}/modifier/"
    )
    check_page(team, "consultation-formulaire")
    team.context.close()


def test_the_analysis_and_the_report_pass_axe_on_a_phone_and_a_desktop(
    browser,  # noqa: F811
    live_server,
    commune,
    editor,
    admin_user,
):
    import io

    from pypdf import PdfReader

    from parvis.participation.analysis import consultation_analyse
    from parvis.participation.models import Contribution
    from parvis.participation.services import participant_for, vote_cast
    from parvis.participation.tests.test_analysis import SUBJECTS

    now = timezone.now()
    consultation = consultation_save(
        authority=commune,
        actor=admin_user,
        values={
            "title": "Saint-Malo demain",
            "slug": "demain",
            "question": "Qu'aimeriez-vous changer dans votre quartier ?",
            "starts_at": now - dt.timedelta(days=2),
            "ends_at": now + dt.timedelta(days=30),
            "published": True,
            "votes_open": True,
        },
    )
    for texts in SUBJECTS.values():
        for text in texts:
            Contribution.objects.create(
                consultation=consultation, origin="site", text=text, status="accepted"
            )
    statements = [
        statement_add(
            consultation=consultation, actor=admin_user, text=f"Proposition {n}"
        )
        for n in range(8)
    ]
    for person in range(20):
        participant = participant_for(consultation=consultation, token=f"t{person}")
        for number, statement in enumerate(statements):
            side = 1 if person % 2 else -1
            vote_cast(
                statement=statement,
                participant=participant,
                value=side if number < 6 else 1,
            )
    consultation_analyse(consultation=consultation)

    for viewport, size in ((DESKTOP, "bureau"), (PHONE, "telephone")):
        page = open_page(browser, viewport)
        log_in(page, live_server, editor.email)
        page.goto(
            f"{live_server.url}/c/{commune.slug}/consultations/{consultation.pk}/"
        )
        assert "Groupe 1" in page.locator("#analyse").locator("..").inner_text()
        check_page(page, f"consultation-analyse-{size}")
        page.get_by_role("link", name="Rapport").first.click()
        page.get_by_role(
            "heading", name=re.compile("Rapport de la consultation")
        ).wait_for()
        check_page(page, f"consultation-rapport-{size}")
        if viewport == PHONE:
            assert_no_horizontal_scroll(page, "consultation-rapport")
        else:
            with page.expect_download() as download:
                page.get_by_role("link", name="Télécharger le rapport en PDF").click()
            pdf = download.value.path().read_bytes()
            reader = PdfReader(io.BytesIO(pdf))
            text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
            assert "Groupes d'opinion" in text and "Thèmes" in text
        page.context.close()
