"""After the public form: the acknowledgement of receipt (e-mail with the receipt
number and the expected date, sent once, retried), the receipt page, the follow-up
page without personal data, and escaping of what citizens and the team wrote."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import date_format

from parvis.inbox.models import Message, ReportCategory, Status
from parvis.inbox.services import (
    message_acknowledge,
    messages_acknowledge_pending,
    receipt_number,
    report_categories_seed,
)
from parvis.inbox.tests.public_cast import MONDAY, filled, form_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pothole(commune):
    report_categories_seed(authority=commune)
    return ReportCategory.objects.get(authority=commune, code="nid-de-poule")


def test_the_citizen_gets_an_acknowledgement_with_the_receipt_and_expected_date(
    client, pothole, monkeypatch, django_capture_on_commit_callbacks
):
    commune = pothole.authority
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(commune), filled(commune, email="habitant@example.org"))

    message = Message.objects.get()
    assert message.acknowledged_at == MONDAY
    assert message.author_email == "habitant@example.org"
    assert message.due_at is not None
    [email] = mail.outbox
    receipt = receipt_number(message.public_id)
    assert email.to == ["habitant@example.org"]
    assert receipt in email.subject and "Saint-Malo" in email.subject
    due = date_format(message.due_at.astimezone(ZoneInfo("Europe/Paris")), "l j F Y")
    assert due.endswith("novembre 2026")
    assert f"Réponse attendue d'ici le {due}." in email.body
    assert f"Numéro de suivi : {receipt}" in email.body
    assert "lundi 23 novembre 2026 à 10:00" in email.body  # received, local time
    assert reverse("public_inbox:follow_up", args=[message.public_id]) in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body

    # Acknowledging again sends nothing more.
    assert message_acknowledge(message=message) is False
    assert len(mail.outbox) == 1


def test_an_acknowledgement_that_could_not_be_sent_is_sent_later(
    client, pothole, monkeypatch, django_capture_on_commit_callbacks
):
    commune = pothole.authority

    def mail_server_down(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.send_mail", mail_server_down)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(commune), filled(commune, email="habitant@example.org"))
    message = Message.objects.get()
    assert message.acknowledged_at is None  # the message itself is kept

    monkeypatch.undo()
    assert messages_acknowledge_pending() == 1
    assert len(mail.outbox) == 1
    assert messages_acknowledge_pending() == 0


def test_without_an_email_the_receipt_page_is_the_acknowledgement(
    client, pothole, django_capture_on_commit_callbacks
):
    commune = pothole.authority
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(commune), filled(commune), follow=True)

    message = Message.objects.get()
    assert mail.outbox == []
    assert message.acknowledged_at is not None
    page = response.content.decode()
    assert receipt_number(message.public_id) in page
    assert "Vous n'avez pas indiqué d'adresse e-mail" in page
    assert reverse("public_inbox:follow_up", args=[message.public_id]) in page


def test_the_follow_up_page_shows_the_status_and_no_personal_data(
    client, pothole, monkeypatch
):
    commune = pothole.authority
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY)
    client.post(
        form_url(commune),
        filled(
            commune,
            email="habitant@example.org",
            text="Nid-de-poule devant chez moi, appelez-moi au 06 12 34 56 78.",
            address="12 rue de Dinan",
            latitude="48.6493",
            longitude="-2.0257",
        ),
    )
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=Status.IN_PROGRESS)

    response = client.get(reverse("public_inbox:follow_up", args=[message.public_id]))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    assert "En cours de traitement" in page
    assert receipt_number(message.public_id) in page
    assert "Nid-de-poule, chaussée abîmée" in page
    assert "lundi 23 novembre 2026" in page
    assert "novembre 2026" in page.split("Réponse attendue")[1]
    for private in ("habitant@example.org", "06 12 34 56 78", "12 rue de Dinan"):
        assert private not in page
    assert "48.6493" not in page and "48,6493" not in page


def test_a_closed_request_says_so_without_a_pending_due_date(client, pothole):
    commune = pothole.authority
    client.post(form_url(commune), filled(commune))
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(
        status=Status.CLOSED, closed_at=MONDAY + dt.timedelta(days=1)
    )
    page = client.get(
        reverse("public_inbox:follow_up", args=[message.public_id])
    ).content.decode()
    assert "Clos" in page
    assert "Close le" in page and "mardi 24 novembre 2026" in page
    assert "Réponse attendue" not in page


def test_receipts_and_follow_ups_of_other_messages_are_not_found(
    client, pothole, other_authority
):
    commune = pothole.authority
    client.post(form_url(commune), filled(commune))
    message = Message.objects.get()
    unknown = reverse("public_inbox:follow_up", args=[uuid.uuid4()])
    assert client.get(unknown).status_code == 404
    wrong_authority = reverse(
        "public_inbox:receipt", args=[other_authority.slug, message.public_id]
    )
    assert client.get(wrong_authority).status_code == 404
    network = Message.objects.create(
        authority=commune,
        origin="mastodon",
        kind="comment",
        text="Un commentaire sur un réseau",
        received_at=MONDAY,
    )
    follow_up = reverse("public_inbox:follow_up", args=[network.public_id])
    assert client.get(follow_up).status_code == 404


def test_what_citizens_and_the_team_wrote_is_escaped_on_every_page(client, pothole):
    commune = pothole.authority
    ReportCategory.objects.filter(pk=pothole.pk).update(
        name="<img src=x onerror=alert(1)>"
    )
    script = "<script>alert('parvis')</script> rue de Dinan, nid-de-poule."

    form_page = client.get(form_url(commune)).content.decode()
    refused = client.post(
        form_url(commune), filled(commune, text=script, site_web="x")
    ).content.decode()
    client.post(form_url(commune), filled(commune, text=script))
    message = Message.objects.get()
    receipt = client.get(
        reverse("public_inbox:receipt", args=[commune.slug, message.public_id])
    ).content.decode()
    follow_up = client.get(
        reverse("public_inbox:follow_up", args=[message.public_id])
    ).content.decode()

    for page in (form_page, refused, receipt, follow_up):
        assert "<img src=x" not in page
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in refused
    assert "&lt;img src=x onerror=alert(1)&gt;" in receipt
