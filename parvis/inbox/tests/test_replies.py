"""Answering from the inbox: on the network or by e-mail, never twice, approved when
sensitive, with the response time measured; and hiding an abusive comment."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.connectors.errors import RateLimited, Rejected, Unavailable
from parvis.inbox.models import Message, Reply, SavedReply
from parvis.inbox.services import (
    message_hide_on_network,
    replies_settle,
    reply_approve,
    reply_deliver,
    reply_reject,
    reply_retry,
    reply_send,
)
from parvis.inbox.services.intake import receipt_number
from parvis.inbox.tests.listening import *  # noqa: F403
from parvis.system.models import Notification

pytestmark = pytest.mark.django_db
State = Reply.State
RECEIVED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def network_message(channel, **fields) -> Message:
    values = {
        "authority": channel.authority,
        "origin": "mastodon",
        "kind": "comment",
        "channel": channel,
        "remote_id": "c1",
        "in_reply_to_remote_id": "114086213457812345",
        "thread_key": "114086213457812345",
        "author_name": "Morgane Kerleau",
        "author_handle": "@morgane@piaille.fr",
        "text": "Les bus de la ligne 3 passent-ils toujours rue de Dinan ?",
        "received_at": RECEIVED,
        "level": "commune",
        **fields,
    }
    return Message.objects.create(**values)


@pytest.fixture
def question(channel):
    return network_message(channel)


@pytest.fixture
def form_message(commune):
    return Message.objects.create(
        authority=commune,
        origin="form",
        kind="report",
        text="Un nid-de-poule devant le 4 rue de la Fosse.",
        author_email="habitant@example.org",
        received_at=RECEIVED,
        level="commune",
    )


@pytest.fixture
def agent(commune, admin_user):
    user = make_user("agent.voirie@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.AGENT, actor=admin_user)
    return user


def sent_tasks() -> list[int]:
    return [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path__endswith="send_reply")
    ]


def test_an_answer_goes_on_the_network_through_a_task_and_measures_the_response_time(
    question, editor, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(message=question, actor=editor, text="Oui, ligne maintenue.")
    assert reply.state == State.QUEUED and reply.via == "mastodon"
    assert sent_tasks() == [reply.pk]  # sending is a task, enqueued on commit
    assert network.replies == []

    assert reply_deliver(reply_id=reply.pk) == "sent"

    reply.refresh_from_db()
    question.refresh_from_db()
    assert network.replies == [
        ("c1", "Oui, ligne maintenue.", str(reply.idempotency_key))
    ]
    assert (reply.state, reply.remote_id) == (State.SENT, "r1")
    assert question.status == "repondu"
    assert question.first_response_at == reply.sent_at
    assert question.first_response_at > question.received_at


def test_a_reply_is_never_sent_twice(question, editor, network):
    reply = reply_send(message=question, actor=editor, text="Oui.")
    assert reply_deliver(reply_id=reply.pk) == "sent"
    assert reply_deliver(reply_id=reply.pk) == "skipped"
    assert len(network.replies) == 1


def test_a_second_task_finds_the_reply_claimed_while_the_first_one_sends(
    question, editor, network, monkeypatch
):
    reply = reply_send(message=question, actor=editor, text="Oui.")
    outcomes = []
    real_reply = type(network).check

    def second_task_meanwhile(self, call):
        if call.startswith("reply") and not outcomes:
            outcomes.append(reply_deliver(reply_id=reply.pk))
        real_reply(self, call)

    monkeypatch.setattr(type(network), "check", second_task_meanwhile)
    assert reply_deliver(reply_id=reply.pk) == "sent"
    assert outcomes == ["skipped"] and len(network.replies) == 1


def test_the_first_response_time_is_kept_when_answering_again(
    question, editor, network
):
    first = reply_send(message=question, actor=editor, text="Oui.")
    reply_deliver(reply_id=first.pk)
    question.refresh_from_db()
    answered_at = question.first_response_at
    second = reply_send(message=question, actor=editor, text="Précision : dès lundi.")
    reply_deliver(reply_id=second.pk)
    question.refresh_from_db()
    assert question.first_response_at == answered_at


def test_a_form_message_is_answered_by_email_with_its_receipt_number(
    form_message, editor
):
    reply = reply_send(
        message=form_message, actor=editor, text="Bonjour, l'équipe passe demain."
    )
    assert reply.via == "email"
    assert reply_deliver(reply_id=reply.pk) == "sent"

    [email] = mail.outbox
    number = receipt_number(form_message.public_id)
    assert email.to == ["habitant@example.org"]
    assert number in email.subject and "Saint-Malo" in email.subject
    assert email.body.startswith("Bonjour, l'équipe passe demain.")
    assert f"numéro de suivi {number}" in email.body
    form_message.refresh_from_db()
    assert form_message.first_response_at is not None


def test_a_message_parvis_cannot_answer_is_refused(commune, editor):
    anonymous = Message.objects.create(
        authority=commune, origin="form", kind="report", text="Tag sur l'école.",
        received_at=RECEIVED,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="ne peut pas répondre"):
        reply_send(message=anonymous, actor=editor, text="Merci.")


def test_an_answer_too_long_for_the_network_is_refused(question, editor, network):
    with pytest.raises(ValidationError, match="au-delà de la limite de 500"):
        reply_send(message=question, actor=editor, text="a" * 501)
    assert not Reply.objects.exists()


def test_a_sensitive_saved_reply_waits_for_a_validator(
    commune, question, editor, validator, network
):
    refusal = SavedReply.objects.create(
        authority=commune, title="Refus", text="Non.", needs_approval=True
    )
    reply = reply_send(message=question, actor=editor, text="Non.", saved_reply=refusal)

    assert reply.state == State.AWAITING_APPROVAL
    assert reply_deliver(reply_id=reply.pk) == "skipped"
    assert Notification.objects.filter(user=validator).exists()

    reply_approve(reply=reply, actor=validator)
    assert reply_deliver(reply_id=reply.pk) == "sent"
    reply.refresh_from_db()
    assert (reply.state, reply.approved_by) == (State.SENT, validator)


def test_a_rejected_reply_never_leaves_and_its_author_learns_why(
    commune, question, editor, validator, network
):
    refusal = SavedReply.objects.create(
        authority=commune, title="Refus", text="Non.", needs_approval=True
    )
    reply = reply_send(message=question, actor=editor, text="Non.", saved_reply=refusal)
    reply_reject(reply=reply, actor=validator, reason="Trop sec, reformulez.")

    reply.refresh_from_db()
    assert (reply.state, reply.error_message) == (
        State.REJECTED,
        "Trop sec, reformulez.",
    )
    assert reply_deliver(reply_id=reply.pk) == "skipped"
    assert network.replies == []
    assert Notification.objects.filter(
        user=editor, message__contains="Trop sec"
    ).exists()
    with pytest.raises(ValidationError):
        reply_approve(reply=reply, actor=validator)


def test_a_validator_answers_with_a_sensitive_saved_reply_without_waiting(
    commune, question, validator, network
):
    refusal = SavedReply.objects.create(
        authority=commune, title="Refus", text="Non.", needs_approval=True
    )
    reply = reply_send(
        message=question, actor=validator, text="Non.", saved_reply=refusal
    )
    assert (reply.state, reply.approved_by) == (State.QUEUED, validator)


@pytest.mark.parametrize(
    ("fields", "waits"),
    [
        ({}, False),
        ({"abuse": True, "intent": "abus"}, True),
        ({"level": "region"}, True),  # a lycée: the région's
    ],
)
def test_an_agent_waits_for_approval_on_abuse_and_out_of_competence(
    channel, agent, editor, network, fields, waits
):
    message = network_message(channel, **fields)
    reply = reply_send(message=message, actor=agent, text="Bonjour.")
    assert (reply.state == State.AWAITING_APPROVAL) is waits
    other = network_message(channel, remote_id="c2", **fields)
    assert (
        reply_send(message=other, actor=editor, text="Bonjour.").state == State.QUEUED
    )


def test_a_refused_answer_fails_in_french_and_can_be_sent_again(
    question, editor, network
):
    reply = reply_send(message=question, actor=editor, text="Oui.")
    network.fail_with = Rejected("Validation failed: Text character limit")
    assert reply_deliver(reply_id=reply.pk) == "failed"
    reply.refresh_from_db()
    assert reply.state == State.FAILED
    assert "Mastodon a refusé la réponse" in reply.error_message
    question.refresh_from_db()
    assert question.first_response_at is None

    network.fail_with = None
    reply_retry(reply=reply, actor=editor)
    assert reply_deliver(reply_id=reply.pk) == "sent"


def test_a_send_with_an_unknown_outcome_asks_to_check_the_network(
    question, editor, network
):
    reply = reply_send(message=question, actor=editor, text="Oui.")
    network.fail_with = Unavailable("read timeout", maybe_sent=True)
    assert reply_deliver(reply_id=reply.pk) == "failed"
    reply.refresh_from_db()
    assert "vérifiez sur le réseau" in reply.error_message


def test_a_rate_limited_send_stays_queued_and_goes_later(
    question, editor, network, django_capture_on_commit_callbacks
):
    reply = reply_send(message=question, actor=editor, text="Oui.")
    network.fail_with = RateLimited("slow down", retry_after=90)
    with django_capture_on_commit_callbacks(execute=True):
        assert reply_deliver(reply_id=reply.pk) == "deferred"
    reply.refresh_from_db()
    assert (reply.state, reply.sent_at) == (State.QUEUED, None)
    [task] = DBTaskResult.objects.filter(task_path__endswith="send_reply")
    assert task.run_after is not None and task.run_after > timezone.now()


def test_the_sweep_releases_a_claim_where_a_retry_is_harmless_and_fails_it_elsewhere(
    question, editor, network, commune, admin_user
):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    facebook = channel_connect(
        authority=commune,
        network="facebook",
        credentials=Credentials(access_token="EAAJ", account_id="1045"),
        account=AccountInfo(account_id="1045", handle="Ville"),
        actor=admin_user,
    )
    on_facebook = network_message(facebook, origin="facebook", remote_id="1045_9")
    mastodon_reply = reply_send(message=question, actor=editor, text="Oui.")
    facebook_reply = reply_send(message=on_facebook, actor=editor, text="Oui.")
    claimed = timezone.now() - dt.timedelta(minutes=20)  # the worker died mid-send
    Reply.objects.update(sent_at=claimed)

    counts = replies_settle()

    mastodon_reply.refresh_from_db()
    facebook_reply.refresh_from_db()
    assert (mastodon_reply.state, mastodon_reply.sent_at) == (State.QUEUED, None)
    assert facebook_reply.state == State.FAILED
    assert "vérifiez sur le réseau" in facebook_reply.error_message
    assert counts == {"requeued": 0, "released": 1, "failed": 1}


def test_a_reply_to_a_reply_goes_under_its_top_level_comment_where_comments_nest_once():
    from parvis.connectors.facebook.connector import FacebookConnector
    from parvis.inbox.services.delivery import _target

    nested = Message(remote_id="P_3", in_reply_to_remote_id="P_2", thread_key="104_P")
    top = Message(remote_id="P_2", in_reply_to_remote_id="104_P", thread_key="104_P")
    connector = FacebookConnector.__new__(FacebookConnector)
    assert _target(nested, connector) == "P_2"
    assert _target(top, connector) == "P_2"


@pytest.fixture
def on_facebook(commune, admin_user):
    """A comment under the Page's post (Facebook can hide comments)."""
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    page = channel_connect(
        authority=commune,
        network="facebook",
        credentials=Credentials(access_token="EAAJ", account_id="1045"),
        account=AccountInfo(account_id="1045", handle="Ville"),
        actor=admin_user,
    )
    return network_message(page, origin="facebook", remote_id="1045_9", abuse=True)


def test_an_abusive_comment_is_hidden_on_its_network(on_facebook, editor, network):
    message_hide_on_network(message=on_facebook, actor=editor)
    on_facebook.refresh_from_db()
    assert network.hidden == ["1045_9"] and on_facebook.hidden_on_network


def test_a_network_that_cannot_hide_is_said_so(question, editor, network):
    with pytest.raises(ValidationError, match="ne permet pas"):
        message_hide_on_network(message=question, actor=editor)  # Mastodon


def test_a_private_message_cannot_be_hidden(on_facebook, editor, network):
    direct = network_message(on_facebook.channel, kind="direct", remote_id="d1")
    with pytest.raises(ValidationError, match="ne permet pas"):
        message_hide_on_network(message=direct, actor=editor)
    assert network.hidden == []


def test_a_refusal_to_hide_is_told_in_french(on_facebook, editor, network):
    network.fail_with = Rejected("(#100) Unsupported post request")
    with pytest.raises(ValidationError, match="n'a pas masqué le message"):
        message_hide_on_network(message=on_facebook, actor=editor)
    on_facebook.refresh_from_db()
    assert not on_facebook.hidden_on_network
