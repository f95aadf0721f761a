"""Reading the authority's accounts into the inbox: each message stored once, nothing
lost when a run stops half-way, the account's own answers left out, a "slow down"
obeyed."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parvis.channels.models import ChannelStatus
from parvis.connectors.base import Credentials
from parvis.connectors.errors import AuthExpired, RateLimited
from parvis.connectors.mastodon.connector import MastodonConnector
from parvis.connectors.testing import Router, fixture_handler
from parvis.inbox.models import IngestCursor, Message
from parvis.inbox.services import channel_ingest, channels_ingest_enqueue, ingest
from parvis.inbox.tests.listening import *  # noqa: F403
from parvis.inbox.tests.listening import OWN_ID, POST_ID, MemoryConnector, comment
from parvis.system.scheduler import default_jobs

pytestmark = pytest.mark.django_db
MASTODON = Path(ingest.__file__).parents[2] / "connectors/mastodon/tests/fixtures"


def test_comments_of_a_recent_publication_become_messages_linked_to_it(
    channel, publication, network
):
    network.comments[POST_ID] = [
        comment("c1", "Le lampadaire rue d'Alsace ne marche plus."),
        comment("c2", "Merci pour l'info !"),
    ]
    report = channel_ingest(channel_id=channel.pk)

    assert report.stored == {"comments": 2, "mentions": 0}
    first = Message.objects.get(remote_id="c1")
    assert (first.origin, first.kind, first.channel) == ("mastodon", "comment", channel)
    assert first.publication == publication
    assert first.author_name == "Morgane Kerleau"
    assert len(first.author_key) == 64  # a keyed hash of the author, not the id
    assert first.thread_key == POST_ID
    assert first.classified_at is not None


def test_a_repeated_poll_stores_nothing_twice(channel, publication, network):
    network.comments[POST_ID] = [comment("c1", "Et les vélos ?")]
    network.mentions = [comment("m1", "@ville bravo", kind="mention")]
    channel_ingest(channel_id=channel.pk)
    later = timezone.now() + dt.timedelta(minutes=5)
    again = channel_ingest(channel_id=channel.pk, now=later)

    assert Message.objects.count() == 2
    assert again.stored == {"comments": 0, "mentions": 0}


def test_a_crash_before_the_cursor_moves_loses_nothing(
    channel, publication, network, monkeypatch
):
    network.mentions = [comment("m1", "@ville Le parc est fermé ?", kind="mention")]
    real_advance = ingest._advance

    def crash(cursor, value):
        if cursor.stream == "mentions":
            raise RuntimeError("worker killed")
        real_advance(cursor, value)

    monkeypatch.setattr(ingest, "_advance", crash)
    with pytest.raises(RuntimeError):
        channel_ingest(channel_id=channel.pk)
    assert Message.objects.filter(remote_id="m1").exists()  # stored before the cursor
    assert IngestCursor.objects.get(channel=channel, stream="mentions").cursor == ""

    monkeypatch.setattr(ingest, "_advance", real_advance)
    network.mentions.append(comment("m2", "@ville Et le marché ?", kind="mention"))
    channel_ingest(channel_id=channel.pk, now=timezone.now() + dt.timedelta(minutes=5))

    assert sorted(Message.objects.values_list("remote_id", flat=True)) == ["m1", "m2"]
    assert IngestCursor.objects.get(channel=channel, stream="mentions").cursor == "m2"
    assert "mentions " in network.calls  # the second run read from the start again


def test_the_accounts_own_answers_are_not_messages(channel, publication, network):
    network.comments[POST_ID] = [
        comment("c1", "Question ?"),
        comment("c2", "Réponse de la mairie", author_id=OWN_ID),
        comment(
            "c3", "Réponse signée", author_id="", author_handle="@ville@social.example"
        ),
    ]
    channel_ingest(channel_id=channel.pk)
    assert list(Message.objects.values_list("remote_id", flat=True)) == ["c1"]


def test_the_next_sweep_reads_comments_since_the_last_one(
    channel, publication, network
):
    channel_ingest(channel_id=channel.pk)
    started = IngestCursor.objects.get(channel=channel, stream="comments").cursor
    network.comments[POST_ID] = [
        comment("old", "Ancien", minutes_ago=60 * 24),
        comment("new", "Nouveau", minutes_ago=0),
    ]
    channel_ingest(channel_id=channel.pk, now=timezone.now() + dt.timedelta(minutes=1))

    assert list(Message.objects.values_list("remote_id", flat=True)) == ["new"]
    assert started  # the sweep's start time, kept as the next "since"


def test_a_rate_limit_ends_the_run_quietly_and_keeps_the_cursor(
    channel, publication, network
):
    network.fail_with = RateLimited("slow down", retry_after=120)
    now = timezone.now()
    report = channel_ingest(channel_id=channel.pk, now=now)

    assert report.retry_at == now + dt.timedelta(seconds=120)
    assert network.calls == [f"comments {POST_ID}"]  # mentions not even tried
    cursor = IngestCursor.objects.get(channel=channel, stream="comments")
    assert cursor.cursor == ""
    assert "ralentir" in cursor.last_error
    channel.refresh_from_db()
    assert channel.rate_limited_until is None  # publishing is not held up by reading


def test_a_revoked_token_asks_to_reconnect(channel, publication, network):
    network.fail_with = AuthExpired("The access token is invalid")
    report = channel_ingest(channel_id=channel.pk)

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RECONNECT
    assert "The access token is invalid" in report.errors["comments"]
    cursor = IngestCursor.objects.get(channel=channel, stream="comments")
    assert "reconnectez-le" in cursor.last_error


def test_a_stream_is_claimed_by_one_of_two_runs_reading_it_at_once(channel):
    first_read = ingest._cursor(channel, "mentions")
    second_read = ingest._cursor(channel, "mentions")
    now = timezone.now()
    assert ingest._claim(second_read, now=now) is not None
    assert ingest._claim(first_read, now=now + dt.timedelta(seconds=1)) is None
    assert IngestCursor.objects.get(pk=first_read.pk).last_run_at == now


def test_a_run_overtaken_by_another_stores_each_message_once(
    channel, publication, network, monkeypatch
):
    network.mentions = [comment("m1", "@ville Bonjour", kind="mention")]
    real_mentions = MemoryConnector.mentions
    overtaken: list = []

    def mentions_then_a_second_run(self, cursor=""):
        batch = real_mentions(self, cursor)
        if not overtaken:  # the second run starts and ends while the first one reads
            overtaken.append(None)
            overtaken[0] = channel_ingest(
                channel_id=channel.pk, now=timezone.now() + dt.timedelta(minutes=1)
            )
        return batch

    monkeypatch.setattr(MemoryConnector, "mentions", mentions_then_a_second_run)
    first = channel_ingest(channel_id=channel.pk)

    assert Message.objects.filter(remote_id="m1").count() == 1
    assert overtaken[0].stored["mentions"] == 1 and first.stored["mentions"] == 0
    assert IngestCursor.objects.get(channel=channel, stream="mentions").cursor == "m1"


def test_a_disconnected_channel_is_not_read(channel, publication, network):
    channel.status = ChannelStatus.DISCONNECTED
    channel.save(update_fields=["status"])
    assert channel_ingest(channel_id=channel.pk).stored == {}
    assert network.calls == []


def test_mentions_from_recorded_mastodon_notifications(channel, monkeypatch):
    router = Router().add(
        "GET",
        r"^/api/v1/notifications$",
        fixture_handler(MASTODON, "notifications_mentions__success"),
    )

    def recorded(channel):
        credentials = Credentials(
            "t", account_id="110254386145370827", base_url="https://social.example"
        )
        return MastodonConnector(credentials, http=router.client())

    monkeypatch.setattr(ingest, "connector_for", recorded)
    channel_ingest(channel_id=channel.pk)
    channel_ingest(channel_id=channel.pk, now=timezone.now() + dt.timedelta(minutes=5))

    [message] = Message.objects.all()
    assert message.kind == "mention"
    assert message.author_handle == "@morgane_kerleau@piaille.fr"
    assert (
        message.remote_url == "https://piaille.fr/@morgane_kerleau/114086438902210567"
    )
    assert router.seen[-1].url.params["min_id"] == "58213377"
    assert message.topic == "voirie"  # classified like any message


def test_the_scheduler_polls_every_connected_account(
    channel, django_capture_on_commit_callbacks
):
    jobs = {job.name: job for job in default_jobs()}
    assert jobs["inbox.poll_channels"].interval_seconds == 300
    assert {
        "inbox.settle_replies",
        "inbox.classify_pending",
        "inbox.acknowledge_pending",
        "inbox.detect_alerts",
        "inbox.retrain_due",
        "inbox.purge_expired",
    } <= set(jobs)
    with django_capture_on_commit_callbacks(execute=True):
        assert channels_ingest_enqueue() == 1
    [task] = DBTaskResult.objects.filter(task_path__endswith="ingest_channel")
    assert task.args_kwargs["args"] == [channel.pk]
