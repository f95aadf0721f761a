"""The team's handling of a message: labels corrected (and re-routed), assignment,
statuses, notes, the urgent alert at reception, the authority's model retrained."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.inbox.models import Message, Note, Status, TrainedModel
from parvis.inbox.services import (
    corrections_of,
    message_assign,
    message_correct_labels,
    message_receive,
    message_set_status,
    messages_retrain,
    note_add,
)
from parvis.inbox.tests.inbox_cast import *  # noqa: F403 (the fixtures)
from parvis.inbox.tests.inbox_cast import MessageFactory
from parvis.system.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def test_correcting_the_topic_sends_the_message_to_the_service_of_the_new_topic(
    commune, editor, road_message, cleaning
):
    changes = message_correct_labels(
        message=road_message, actor=editor, topic="proprete"
    )
    road_message.refresh_from_db()
    assert changes == {"topic": ["voirie", "proprete"]}
    assert road_message.topic == "proprete"
    assert road_message.service == cleaning
    assert road_message.corrected == {"topic": "proprete"}
    assert road_message.corrected_by == editor
    assert road_message.corrected_at is not None
    event = AuditEvent.objects.get(action="inbox.labels_corrected")
    assert event.changes["service"] == ["Voirie et espaces publics", "Propreté urbaine"]


def test_correcting_the_intent_moves_the_due_date_but_not_the_service(
    commune, editor, roads
):
    # Monday 9:00 UTC; signalement: 2 working days; question: 5.
    message = MessageFactory(
        authority=commune,
        service=roads,
        received_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC),
    )
    message_correct_labels(message=message, actor=editor, intent="question")
    message.refresh_from_db()
    assert message.service == roads
    assert message.due_at == dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def test_a_message_corrected_as_abusive_has_no_due_date(commune, editor, road_message):
    message_correct_labels(message=road_message, actor=editor, abuse=True)
    road_message.refresh_from_db()
    assert road_message.abuse is True
    assert road_message.due_at is None
    assert road_message.corrected == {"abuse": True}


def test_a_label_confirmed_as_it_was_is_kept_as_training_data_without_rerouting(
    commune, editor, road_message, roads
):
    changes = message_correct_labels(message=road_message, actor=editor, topic="voirie")
    road_message.refresh_from_db()
    assert changes == {}
    assert road_message.corrected == {"topic": "voirie"}
    assert road_message.service == roads


def test_an_unknown_label_value_is_refused(editor, road_message):
    with pytest.raises(ValidationError):
        message_correct_labels(message=road_message, actor=editor, topic="piscine")
    with pytest.raises(ValueError):
        message_correct_labels(message=road_message, actor=editor, colour="red")


def test_a_message_is_assigned_to_a_member_who_is_told(
    commune, editor, agent, road_message
):
    message_assign(message=road_message, actor=editor, assignee=agent)
    road_message.refresh_from_db()
    assert road_message.assignee == agent
    notification = Notification.objects.get(user=agent)
    assert f"/messages/{road_message.pk}/" in notification.url
    assert AuditEvent.objects.filter(action="inbox.assigned").exists()


def test_whoever_takes_a_message_for_themselves_is_not_notified(agent, road_message):
    message_assign(message=road_message, actor=agent, assignee=agent)
    assert not Notification.objects.filter(user=agent).exists()


def test_a_message_cannot_be_assigned_outside_the_authority_or_to_a_reader(
    road_message, editor, outsider, elected
):
    for stranger in (outsider, elected):
        with pytest.raises(ValidationError):
            message_assign(message=road_message, actor=editor, assignee=stranger)
    road_message.refresh_from_db()
    assert road_message.assignee is None


def test_an_assignment_can_be_removed(editor, agent, road_message):
    message_assign(message=road_message, actor=editor, assignee=agent)
    message_assign(message=road_message, actor=editor, assignee=None)
    road_message.refresh_from_db()
    assert road_message.assignee is None


def test_closing_sets_closed_at_and_reopening_clears_it(editor, road_message):
    message_set_status(message=road_message, actor=editor, status=Status.CLOSED)
    road_message.refresh_from_db()
    assert road_message.status == Status.CLOSED
    assert road_message.closed_at is not None
    message_set_status(message=road_message, actor=editor, status=Status.IN_PROGRESS)
    road_message.refresh_from_db()
    assert road_message.status == Status.IN_PROGRESS
    assert road_message.closed_at is None


def test_a_message_marked_answered_by_hand_has_its_first_response_time(
    editor, road_message
):
    message_set_status(message=road_message, actor=editor, status=Status.ANSWERED)
    road_message.refresh_from_db()
    assert road_message.first_response_at is not None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Status.CLOSED, Status.ANSWERED),
        (Status.CLOSED, Status.NEW),
        (Status.IN_PROGRESS, Status.NEW),
        (Status.NEW, "perdu"),
    ],
)
def test_a_transition_that_is_not_allowed_is_refused(
    editor, road_message, before, after
):
    Message.objects.filter(pk=road_message.pk).update(status=before)
    road_message.refresh_from_db()
    with pytest.raises(ValidationError):
        message_set_status(message=road_message, actor=editor, status=after)
    road_message.refresh_from_db()
    assert road_message.status == before


def test_a_note_is_added_and_an_empty_one_refused(editor, road_message):
    note = note_add(message=road_message, actor=editor, text="  Appelé le 26/11.  ")
    assert note.text == "Appelé le 26/11."
    with pytest.raises(ValidationError):
        note_add(message=road_message, actor=editor, text="   ")
    assert Note.objects.filter(message=road_message).count() == 1


def test_an_urgent_message_tells_the_members_of_its_service_once_committed(
    commune, agent, editor, roads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        received = message_receive(
            authority=commune,
            origin="form",
            kind="report",
            text="Urgent : un lampadaire est tombé sur la chaussée rue de Dinan, "
            "la route est bloquée, danger !",
        )
    message = received.message
    assert message.urgency == "urgent"
    assert message.service == roads
    told = Notification.objects.filter(user=agent)
    assert told.count() == 1
    assert "urgent" in told.get().message.lower()
    assert "lampadaire" not in told.get().message  # never the citizen's words
    assert not Notification.objects.filter(user=editor).exists()


def test_a_normal_message_tells_nobody(
    commune, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_receive(
            authority=commune,
            origin="form",
            kind="contact",
            text="Bonjour, quels sont les horaires de la médiathèque le samedi ?",
        )
    assert not Notification.objects.exists()


def test_corrections_become_training_examples(commune, editor, road_message):
    message_correct_labels(
        message=road_message, actor=editor, topic="proprete", abuse=False
    )
    assert corrections_of(authority=commune) == [
        {"text": road_message.text, "topic": "proprete", "abuse": "0"}
    ]


def test_too_few_corrections_train_nothing(commune, editor, road_message):
    message_correct_labels(message=road_message, actor=editor, topic="proprete")
    assert messages_retrain(authority=commune) is None
    assert not TrainedModel.objects.exists()


def test_retraining_stores_the_authoritys_model_and_keeps_the_last_three(
    commune, monkeypatch
):
    seen = []

    def train(examples):
        seen.append(list(examples))
        return b"model bytes"

    monkeypatch.setattr("parvis.inbox.classify.train.train_from_corrections", train)
    for n in range(3):
        MessageFactory(
            authority=commune,
            corrected={"topic": "proprete"},
            corrected_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
            text=f"Poubelles non ramassées {n}",
        )
    for _ in range(4):
        trained = messages_retrain(authority=commune, minimum=3)
    assert trained is not None and trained.examples == 3
    assert bytes(trained.payload) == b"model bytes"
    assert len(seen[0]) == 3
    assert TrainedModel.objects.filter(authority=commune).count() == 3


@pytest.mark.slow
def test_a_retrained_model_loads_and_classifies(commune):
    from parvis.inbox.classify.classifier import classify
    from parvis.inbox.classify.model import loads

    for n in range(30):
        MessageFactory(
            authority=commune,
            corrected={"topic": "proprete", "intent": "signalement"},
            corrected_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
            text=f"Les bacs jaunes de la résidence {n} débordent depuis lundi.",
        )
    trained = messages_retrain(authority=commune)
    assert trained is not None
    model = loads(bytes(trained.payload))
    result = classify("Les bacs jaunes débordent encore.", model=model)
    assert result.topic == "proprete"


def test_an_agent_membership_is_enough_to_be_assigned(commune, admin_user, editor):
    from conftest import make_user

    user = make_user("ecoles@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.AGENT, actor=admin_user)
    message = MessageFactory(authority=commune)
    message_assign(message=message, actor=editor, assignee=user)
    assert Message.objects.get(pk=message.pk).assignee == user


def test_an_urgent_message_classified_late_tells_its_service_then(
    commune, agent, monkeypatch, django_capture_on_commit_callbacks
):
    from parvis.inbox.services import messages_classify_pending

    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr("parvis.inbox.classify.classifier.classify", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message_receive(
            authority=commune,
            origin="form",
            kind="report",
            text="Urgent : un lampadaire est tombé sur la chaussée rue de Dinan, "
            "la route est bloquée, danger !",
        )
    assert not Notification.objects.exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_classify_pending() == 1
    assert Notification.objects.filter(user=agent).count() == 1


def test_an_authority_is_retrained_first_at_enough_corrections_then_at_new_ones(
    commune, other_authority
):
    from parvis.inbox.services import authorities_to_retrain

    def corrected(authority, count, day):
        for _ in range(count):
            MessageFactory(
                authority=authority,
                corrected={"topic": "proprete"},
                corrected_at=dt.datetime(2026, 11, day, tzinfo=dt.UTC),
            )

    corrected(commune, 29, 3)
    corrected(other_authority, 5, 3)
    assert authorities_to_retrain() == []
    corrected(commune, 1, 3)
    assert authorities_to_retrain() == [commune.pk]
    TrainedModel.objects.create(
        authority=commune,
        trained_at=dt.datetime(2026, 11, 4, tzinfo=dt.UTC),
        examples=30,
        payload=b"x",
    )
    corrected(commune, 9, 5)
    assert authorities_to_retrain() == []
    corrected(commune, 1, 5)
    assert authorities_to_retrain() == [commune.pk]


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_inbox_tasks_run_in_the_real_worker(commune):
    """Each periodic task of the inbox enqueued, then run by the task worker."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from parvis.inbox import tasks

    for job in (
        tasks.classify_pending,
        tasks.acknowledge_pending,
        tasks.detect_alerts,
        tasks.retrain_due,
        tasks.purge_expired,
    ):
        job.enqueue()
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*")
    results = DBTaskResult.objects.all()
    assert results.count() == 5
    assert {result.status for result in results} == {"SUCCESSFUL"}
