"""Every message is stored once, classified and routed; nothing is lost."""

import datetime as dt

import pytest

from parvis.inbox import routing
from parvis.inbox.models import Message
from parvis.inbox.services import message_receive, messages_classify_pending
from parvis.territory.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def voirie(commune):
    return Service.objects.create(
        authority=commune,
        name="Voirie",
        topics=["voirie"],
        sla_hours_urgent=4,
        sla_days_signalement=3,
    )


def test_a_report_is_classified_and_routed_to_the_service_of_its_topic(commune, voirie):
    received = message_receive(
        authority=commune,
        origin="form",
        kind="report",
        text="Le lampadaire devant le 12 rue de Dinan ne s'allume plus depuis une semaine.",
        received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC),  # a Monday
    )
    message = received.message
    assert received.created
    assert message.topic == "voirie"
    assert message.intent == "signalement"
    assert message.service == voirie
    assert message.classified_at is not None
    # 3 working days later, same local time.
    assert message.due_at == dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_a_network_message_seen_twice_is_stored_once(commune, admin_user):
    from parvis.channels.models import Channel

    channel = Channel.objects.create(
        authority=commune, network="mastodon", handle="@ville@social.example"
    )
    first = message_receive(
        authority=commune,
        origin="mastodon",
        kind="comment",
        text="Merci pour l'info !",
        channel=channel,
        remote_id="109",
    )
    second = message_receive(
        authority=commune,
        origin="mastodon",
        kind="comment",
        text="Merci pour l'info !",
        channel=channel,
        remote_id="109",
    )
    assert first.created and not second.created
    assert second.message.pk == first.message.pk
    assert Message.objects.count() == 1


def test_a_message_is_kept_when_classification_fails_and_classified_later(
    commune, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr("parvis.inbox.classify.classifier.classify", broken)
    received = message_receive(
        authority=commune,
        origin="form",
        kind="contact",
        text="Quels sont les horaires de la mairie le samedi ?",
    )
    assert Message.objects.filter(pk=received.message.pk).exists()
    assert received.message.classified_at is None
    monkeypatch.undo()
    assert messages_classify_pending() == 1
    message = Message.objects.get(pk=received.message.pk)
    assert message.classified_at is not None
    assert message.intent == "question"


def test_the_author_is_kept_as_a_keyed_hash_not_an_identity(commune):
    received = message_receive(
        authority=commune,
        origin="x",
        kind="mention",
        text="@VilleDeSaintMalo bravo pour le marché de Noël",
        author_id="1234567",
        author_name="Camille",
    )
    key = received.message.author_key
    assert len(key) == 64 and "1234567" not in key


def test_a_nul_character_is_dropped_not_the_message(commune):
    received = message_receive(
        authority=commune,
        origin="form",
        kind="contact",
        text="Bonjour,\x00 la mairie est-elle ouverte samedi ?",
        author_name="Cam\x00ille",
    )
    stored = Message.objects.get(pk=received.message.pk)
    assert stored.text == "Bonjour, la mairie est-elle ouverte samedi ?"
    assert stored.author_name == "Camille"


def test_an_authority_with_its_own_model_is_classified_by_it(commune, monkeypatch):
    from parvis.inbox.classify import classifier
    from parvis.inbox.models import TrainedModel
    from parvis.inbox.services import receive

    seen = []
    original = classifier.classify

    def spy(text, **kwargs):
        seen.append(kwargs.get("model"))
        return original(text, **kwargs)

    monkeypatch.setattr(classifier, "classify", spy)
    receive._trained.cache_clear()
    message_receive(authority=commune, origin="form", kind="contact", text="Bonjour")
    assert seen == [None]
    TrainedModel.objects.create(
        authority=commune,
        trained_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        examples=30,
        payload=classifier.MODEL_FILE.read_bytes(),
    )
    for _ in range(2):
        message_receive(authority=commune, origin="form", kind="contact", text="Oui")
    assert seen[1] is not None and seen[2] is seen[1]  # loaded once


@pytest.mark.parametrize(
    ("year", "holiday"),
    [
        (2026, dt.date(2026, 4, 6)),  # lundi de Pâques
        (2026, dt.date(2026, 5, 14)),  # Ascension
        (2026, dt.date(2026, 5, 25)),  # lundi de Pentecôte
        (2027, dt.date(2027, 3, 29)),  # lundi de Pâques 2027
    ],
)
def test_movable_french_holidays_follow_easter(year, holiday):
    assert holiday in routing.public_holidays(year)


def test_working_days_skip_weekends_and_holidays():
    # Thursday 31 December 2026 at 15:00 Paris, + 2 working days: Friday 1 January is
    # a holiday, so Monday 4 then Tuesday 5 January.
    start = dt.datetime(2026, 12, 31, 14, 0, tzinfo=dt.UTC)
    due = routing.add_working_days(start, 2, timezone_name="Europe/Paris")
    assert due == dt.datetime(2027, 1, 5, 14, 0, tzinfo=dt.UTC)


def test_a_message_of_a_weekend_counts_from_monday_morning():
    saturday = dt.datetime(2026, 11, 28, 20, 0, tzinfo=dt.UTC)
    due = routing.add_working_days(saturday, 1, timezone_name="Europe/Paris")
    assert due == dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)  # Tuesday 9 h Paris


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    assert dt.date(2026, 4, 3) not in routing.public_holidays(2026)
    assert dt.date(2026, 4, 3) in routing.public_holidays(2026, alsace_moselle=True)
    assert dt.date(2026, 12, 26) in routing.public_holidays(2026, alsace_moselle=True)


def test_a_question_for_the_departement_gets_a_polite_redirection_naming_it(commune):
    redirection = routing.redirection_for(authority=commune, level="departement")
    assert redirection is not None
    assert "Ille-et-Vilaine" in redirection.authority_name
    assert redirection.text.startswith("Bonjour")
    assert routing.redirection_for(authority=commune, level="commune") is None
