"""The monthly report: its page and PDF with charts, its recipients, and a sending
by the scheduler that happens once per month, tried again when it failed."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse

from parvis.insights.models import MonthlyReport
from parvis.insights.reports import (
    monthly_report_settings_save,
    monthly_reports_send_due,
)
from parvis.insights.tests.builders import make_channel, published

NOW = dt.datetime(2026, 11, 3, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def october(commune):
    channel = make_channel(commune)
    for day in (2, 9, 20):
        published(
            channel,
            dt.datetime(2026, 10, day, 10, 0, tzinfo=dt.UTC),
            counters={"reach": 1000 * day, "reactions": 10 * day},
            specific=day != 9,
            title=f"Octobre {day}",
        )
    published(channel, dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC), title="Novembre")
    return commune


@pytest.mark.slow
def test_the_report_of_a_month_downloads_as_a_pdf_with_its_charts(
    client_of, editor, october
):
    from pypdf import PdfReader

    response = client_of(editor).get(
        reverse("insights:report_pdf", args=[october.slug]) + "?mois=2026-10"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Saint-Malo : mesure de octobre 2026" in text
    assert "Portée cumulée par canal" in text and "31 000" in text.replace(
        "\u202f", " "
    )
    assert "Part des publications écrites pour le réseau" in text
    assert "Octobre 20" in text and "Novembre" not in text
    # The charts are drawn, not only named: filled rectangles in the brand colour.
    drawing = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert drawing.count(b" re") >= 3
    assert b"0.121569 0.305882 0.47451 rg" in drawing  # #1f4e79, the default brand


def test_the_report_page_shows_a_month_and_validators_choose_its_recipients(
    client_of, editor, validator, october
):
    url = reverse("insights:report", args=[october.slug]) + "?mois=2026-10"
    page = client_of(editor).get(url).content.decode()
    assert "Rapport mensuel : octobre 2026" in page
    assert "Destinataires du rapport mensuel" not in page  # editors read only
    client = client_of(validator)
    assert "Destinataires du rapport mensuel" in client.get(url).content.decode()
    response = client.post(
        reverse("insights:report_recipients", args=[october.slug]),
        {"destinataires": "maire@saint-malo.example\npas-une-adresse"},
        follow=True,
    )
    assert "Adresses e-mail non valables : pas-une-adresse" in response.content.decode()
    client.post(
        reverse("insights:report_recipients", args=[october.slug]),
        {"destinataires": "Maire@saint-malo.example; dgs@saint-malo.example"},
    )
    assert october.monthly_report_settings.recipients == [
        "maire@saint-malo.example",
        "dgs@saint-malo.example",
    ]


def test_editors_and_outsiders_cannot_choose_the_recipients(
    client_of, editor, outsider, october
):
    url = reverse("insights:report_recipients", args=[october.slug])
    assert client_of(editor).post(url, {"destinataires": "a@b.fr"}).status_code == 404
    assert client_of(outsider).post(url, {"destinataires": "a@b.fr"}).status_code == 404
    assert (
        client_of(outsider)
        .get(reverse("insights:report", args=[october.slug]))
        .status_code
        == 404
    )


@pytest.mark.slow
def test_the_scheduler_sends_last_month_s_report_once(october, validator, monkeypatch):
    monthly_report_settings_save(
        authority=october,
        recipients=["maire@saint-malo.example", "dgs@saint-malo.example"],
        actor=validator,
    )
    assert monthly_reports_send_due(NOW) == 1
    assert monthly_reports_send_due(NOW) == 0
    assert monthly_reports_send_due(NOW + dt.timedelta(days=3)) == 0
    [email] = mail.outbox
    # Each recipient sees only their own address.
    assert email.to == [] and email.bcc == [
        "maire@saint-malo.example",
        "dgs@saint-malo.example",
    ]
    assert "mesure de octobre 2026" in email.subject
    [(name, data, _kind)] = email.attachments
    assert name == "parvis-saint-malo-2026-10.pdf" and data.startswith(b"%PDF-")
    report = MonthlyReport.objects.get()
    assert report.state == MonthlyReport.State.SENT and report.month == dt.date(
        2026, 10, 1
    )


def test_a_failed_sending_is_tried_again_then_given_up(october, validator, monkeypatch):
    from parvis.insights import reports

    monthly_report_settings_save(
        authority=october, recipients=["maire@saint-malo.example"], actor=validator
    )
    monkeypatch.setattr(reports, "monthly_report_pdf", lambda *a: b"%PDF-1.7 test")

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    for _ in range(5):
        assert monthly_reports_send_due(NOW) == 0
    report = MonthlyReport.objects.get()
    assert report.state == MonthlyReport.State.FAILED and report.attempts == 3
    assert "mail server down" in report.error
    monkeypatch.undo()


def test_an_authority_without_recipients_gets_no_report(october):
    assert monthly_reports_send_due(NOW) == 0
    assert not MonthlyReport.objects.exists()
