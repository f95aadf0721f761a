"""Followers of each channel read once a day (the authority's day), errors kept
visible, an unknown count never turned into a zero."""

import datetime as dt
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from parvis.channels import followers as collection
from parvis.channels.models import Channel, ChannelStatus, FollowerSnapshot
from parvis.channels.services import channel_connect
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Connector,
    Credentials,
    Limits,
)
from parvis.connectors.errors import AuthExpired, Rejected, Unavailable
from parvis.system.scheduler import default_jobs

pytestmark = pytest.mark.django_db

# 08:00 in Paris (UTC+1 in winter); 23:30 UTC is already the next day in Paris.
MORNING = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


@dataclass
class Network:
    answers: list[object] = field(default_factory=list)
    reads: int = 0
    during_read: object = None


class FakeConnector(Connector):
    network = "mastodon"
    label = "Réseau de test"
    capabilities = frozenset({Capability.METRICS})
    limits = Limits(max_chars=500)

    def __init__(self, network: Network) -> None:
        super().__init__(Credentials(access_token="t"))
        self.fake = network

    def followers(self) -> int | None:
        self.fake.reads += 1
        if callable(self.fake.during_read):
            self.fake.during_read()
        answer = self.fake.answers.pop(0) if self.fake.answers else 4213
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]


@pytest.fixture
def network(monkeypatch):
    fake = Network()
    monkeypatch.setattr(
        collection, "connector_for", lambda channel: FakeConnector(fake)
    )
    return fake


@pytest.fixture
def channel(commune, admin_user):
    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(
            access_token="secret-token", base_url="https://social.example"
        ),
        account=AccountInfo(account_id="42", handle="@ville@social.example"),
        actor=admin_user,
    )


def collect(channel, at) -> str:
    return collection.channel_followers_collect(channel_id=channel.pk, now=at)


def days(channel) -> list[tuple[dt.date, int | None, str]]:
    return list(
        FollowerSnapshot.objects.filter(channel=channel)
        .order_by("day")
        .values_list("day", "followers", "error")
    )


def test_followers_are_read_once_a_day_in_the_authoritys_timezone(channel, network):
    assert collect(channel, MORNING) == "read"
    assert collect(channel, MORNING + dt.timedelta(hours=5)) == "already read"
    # 23:30 UTC on 2 March is 00:30 on 3 March in Paris: a new day.
    assert collect(channel, dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)) == "read"

    assert days(channel) == [
        (dt.date(2026, 3, 2), 4213, ""),
        (dt.date(2026, 3, 3), 4213, ""),
    ]
    assert network.reads == 2


def test_a_count_the_network_does_not_give_is_stored_empty_not_zero(channel, network):
    network.answers = [None]
    collect(channel, MORNING)
    assert days(channel) == [(dt.date(2026, 3, 2), None, "")]


def test_a_transient_error_is_tried_again_the_same_day(channel, network):
    network.answers = [Unavailable("mastodon: no answer (ReadTimeout)"), 4300]
    assert collect(channel, MORNING) == "waiting"
    assert days(channel) == []
    assert collect(channel, MORNING + dt.timedelta(hours=1)) == "read"
    assert days(channel) == [(dt.date(2026, 3, 2), 4300, "")]


def test_a_transient_error_at_the_days_last_run_is_stored(channel, network):
    network.answers = [Unavailable("mastodon: no answer (ReadTimeout)")]
    late = dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC)  # 23:30 in Paris
    assert collect(channel, late) == "error"
    [(day, followers, error)] = days(channel)
    assert (day, followers) == (dt.date(2026, 3, 2), None)
    assert error == (
        "Unavailable: mastodon: no answer (ReadTimeout) Gave up at the day's end."
    )


def test_a_refusal_is_stored_at_once(channel, network):
    network.answers = [Rejected("mastodon: forbidden", status=403)]
    assert collect(channel, MORNING) == "error"
    assert days(channel) == [
        (dt.date(2026, 3, 2), None, "Rejected: mastodon: forbidden")
    ]
    assert collect(channel, MORNING + dt.timedelta(hours=1)) == "already read"


def test_a_refused_token_marks_the_channel_to_reconnect(channel, network):
    network.answers = [AuthExpired("The access token is invalid", status=401)]
    collect(channel, MORNING)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RECONNECT
    assert days(channel)[0][2] == "AuthExpired: The access token is invalid"
    # No longer connected: not read, and not enqueued, until reconnected.
    assert collect(channel, MORNING + dt.timedelta(days=1)) == "not connected"


@pytest.mark.django_db(transaction=True)
def test_two_collectors_at_once_store_one_snapshot(channel, network):
    both_reading = threading.Barrier(2, timeout=10)
    network.during_read = both_reading.wait
    results = []

    def run():
        try:
            results.append(collect(channel, MORNING))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["already read", "read"]
    assert len(days(channel)) == 1


def test_the_hourly_job_enqueues_the_channels_not_read_today(
    channel, network, commune, django_capture_on_commit_callbacks
):
    jobs = {job.name: job for job in default_jobs()}
    assert jobs["channels.collect_followers"].interval_seconds == 3600
    Channel.objects.create(
        authority=commune,
        network="mastodon",
        account_id="43@social.example",
        handle="@ancien@social.example",
        status=ChannelStatus.DISCONNECTED,
        credentials_encrypted="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert collection.channels_followers_enqueue(now=MORNING) == 1
    [task] = DBTaskResult.objects.filter(
        task_path__endswith="collect_channel_followers"
    )
    assert task.args_kwargs["args"] == [channel.pk]

    collect(channel, MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert collection.channels_followers_enqueue(now=MORNING) == 0
