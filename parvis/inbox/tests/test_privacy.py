"""Personal data: messages done with are anonymised after the authority's retention
period, and one person's messages can be exported and erased on request, by an
administrator only, with every step in the audit log."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from parvis.inbox.models import InboxSettings, Message, Note, Reply
from parvis.inbox.services import (
    author_key,
    message_receive,
    messages_purge_expired,
    person_erase,
    person_export,
    person_messages,
)
from parvis.inbox.services.privacy import months_before
from parvis.inbox.tests.inbox_cast import MessageFactory
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
EMAIL = "camille.durand@example.org"


def done(authority, closed_days_ago, **values):
    closed = NOW - dt.timedelta(days=closed_days_ago)
    return MessageFactory(
        authority=authority,
        status="clos",
        closed_at=closed,
        received_at=closed - dt.timedelta(days=2),
        author_name="Camille Durand",
        author_email=EMAIL,
        address="12 rue de Dinan",
        latitude="48.649000",
        longitude="-2.025000",
        **values,
    )


def test_months_before_keeps_the_day_or_the_last_of_a_shorter_month():
    assert months_before(NOW, 12) == dt.datetime(2025, 11, 26, 12, tzinfo=dt.UTC)
    march = dt.datetime(2027, 3, 31, tzinfo=dt.UTC)
    assert months_before(march, 1) == dt.datetime(2027, 2, 28, tzinfo=dt.UTC)
    assert months_before(march, 15).date() == dt.date(2025, 12, 31)


def test_closed_messages_past_the_retention_period_lose_their_personal_data(commune):
    old = done(commune, closed_days_ago=400)
    Note.objects.create(message=old, text="Rappeler Mme Durand au 06 12 34 56 78")
    Reply.objects.create(message=old, text="Bonjour Camille", via="email", state="sent")
    recent = done(commune, closed_days_ago=100)
    open_old = MessageFactory(
        authority=commune, status="en_cours", received_at=NOW - dt.timedelta(days=900)
    )
    assert messages_purge_expired(now=NOW) == 1
    old.refresh_from_db()
    assert old.anonymised_at == NOW
    assert (old.text, old.author_name, old.author_email, old.address) == (
        "",
        "",
        "",
        "",
    )
    assert old.latitude is None and old.topic == "voirie" and old.status == "clos"
    assert old.notes.get().text == "" and old.replies.get().text == ""
    assert Message.objects.get(pk=recent.pk).anonymised_at is None
    assert Message.objects.get(pk=open_old.pk).anonymised_at is None
    assert AuditEvent.objects.filter(action="inbox.retention", authority=commune)
    assert messages_purge_expired(now=NOW) == 0


def test_the_retention_period_is_the_authoritys(commune):
    InboxSettings.objects.create(authority=commune, retention_months=3)
    message = done(commune, closed_days_ago=100)
    messages_purge_expired(now=NOW)
    assert Message.objects.get(pk=message.pk).anonymised_at is not None


def test_a_person_is_found_by_email_or_network_account_and_no_one_else(commune):
    form = message_receive(
        authority=commune,
        origin="form",
        kind="contact",
        text="Bonjour",
        author_email=EMAIL,
    ).message
    mastodon = MessageFactory(
        authority=commune, origin="mastodon", author_handle="camille@piaille.fr"
    )
    MessageFactory(authority=commune, author_email="autre@example.org")
    assert form.author_key == author_key(origin="form", identifier=EMAIL)
    assert list(person_messages(authority=commune, identifier=EMAIL.upper())) == [form]
    assert list(
        person_messages(authority=commune, identifier="@camille@piaille.fr")
    ) == [mastodon]
    assert not person_messages(authority=commune, identifier=" ").exists()


def test_erasure_anonymises_only_that_persons_messages_of_that_authority(
    commune, other_authority, admin_user
):
    mine = done(commune, closed_days_ago=1)
    elsewhere = done(other_authority, closed_days_ago=1)
    assert person_erase(authority=commune, actor=admin_user, identifier=EMAIL) == 1
    assert Message.objects.get(pk=mine.pk).author_email == ""
    assert Message.objects.get(pk=elsewhere.pk).author_email == EMAIL


def test_an_administrator_exports_then_erases_a_persons_data(
    client_of, admin_user, editor, commune
):
    message = done(commune, closed_days_ago=1, text="Le trottoir est défoncé.")
    page = reverse("inbox:privacy", args=[commune.slug])
    assert client_of(editor).post(page, {"identifier": EMAIL}).status_code == 404
    client = client_of(admin_user)
    assert (
        "1 message trouvé" in client.post(page, {"identifier": EMAIL}).content.decode()
    )
    export = client.post(
        reverse("inbox:privacy_export", args=[commune.slug]), {"identifier": EMAIL}
    )
    assert "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert data["messages"][0]["texte"] == "Le trottoir est défoncé."
    erase = reverse("inbox:privacy_erase", args=[commune.slug])
    refused = client.post(erase, {"identifier": EMAIL})
    assert "Cochez la case" in refused.content.decode()
    assert Message.objects.get(pk=message.pk).anonymised_at is None
    client.post(erase, {"identifier": EMAIL, "confirm": "on"})
    assert Message.objects.get(pk=message.pk).text == ""
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inbox.person_export", "inbox.person_erase"} <= actions
    assert EMAIL not in " ".join(AuditEvent.objects.values_list("summary", flat=True))


def test_the_register_entry_names_the_authority_and_its_retention(
    client_of, admin_user, commune
):
    InboxSettings.objects.create(authority=commune, retention_months=18)
    page = client_of(admin_user).get(reverse("inbox:register", args=[commune.slug]))
    text = page.content.decode()
    assert commune.name in text and "18 mois" in text and "article 30" in text


def test_erasure_reaches_the_consultation_copy_and_the_participants_email(
    commune, admin_user
):
    from django.utils import timezone as tz

    from parvis.participation.models import Consultation, Contribution, Participant

    consultation = Consultation.objects.create(
        authority=commune,
        title="Vélo",
        slug="velo",
        question="?",
        starts_at=tz.now(),
        ends_at=tz.now() + dt.timedelta(days=3),
    )
    comment = message_receive(
        authority=commune,
        origin="form",
        kind="comment",
        text="Des arceaux devant l'école, merci",
        author_email=EMAIL,
        author_name="Camille Durand",
    ).message
    copy = Contribution.objects.create(
        consultation=consultation,
        origin="site",
        message=comment,
        pseudonym="Camille Durand",
        text=comment.text,
        status="accepted",
    )
    participant = Participant.objects.create(
        consultation=consultation, token_hash="x", pseudonym="Cam", email=EMAIL
    )
    own = Contribution.objects.create(
        consultation=consultation,
        origin="site",
        participant=participant,
        pseudonym="Cam",
        text="Une piste cyclable rue de Dinan",
        status="accepted",
    )
    exported = json.loads(
        person_export(authority=commune, actor=admin_user, identifier=EMAIL)
    )
    assert exported["participations"][0]["contributions"][0]["texte"] == own.text
    person_erase(authority=commune, actor=admin_user, identifier=EMAIL)
    for contribution in (copy, own):
        contribution.refresh_from_db()
        assert contribution.text == "" and contribution.pseudonym == ""
        assert contribution.status == "hidden" and contribution.hidden_reason
    participant.refresh_from_db()
    assert participant.email == "" and participant.pseudonym == ""
