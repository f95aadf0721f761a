"""Counters of publications read at 1 h, 24 h, 7 days and 30 days: each milestone
once, gaps and errors kept visible, nothing turned into a zero."""

import datetime as dt
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parvis.channels.models import Channel, ChannelStatus
from parvis.connectors.base import (
    Capability,
    Connector,
    Credentials,
    Limits,
    PostMetrics,
)
from parvis.connectors.errors import (
    AuthExpired,
    RateLimited,
    Rejected,
    Unavailable,
)
from parvis.publishing import metrics as collection
from parvis.publishing.models import MetricSnapshot, Publication, PublicationState
from parvis.studio.models import Post, Variant
from parvis.system.scheduler import default_jobs

pytestmark = pytest.mark.django_db

PUBLISHED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


@dataclass
class Network:
    """What the fake network answers: per remote id, counters or an error (a list
    is consumed one answer per read)."""

    answers: dict[str, object] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)
    during_read: object = None  # called inside each read (another collector...)


class FakeConnector(Connector):
    network = "mastodon"
    label = "Réseau de test"
    capabilities = frozenset({Capability.METRICS})
    limits = Limits(max_chars=500)

    def __init__(self, network: Network) -> None:
        super().__init__(Credentials(access_token="t"))
        self.fake = network

    def post_metrics(self, remote_id: str) -> PostMetrics:
        self.fake.reads.append(remote_id)
        if callable(self.fake.during_read):
            self.fake.during_read()
        answer = self.fake.answers.get(remote_id, PostMetrics(remote_id, reactions=7))
        if isinstance(answer, list):
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, PostMetrics)
        return answer


@pytest.fixture
def network(monkeypatch):
    fake = Network()
    monkeypatch.setattr(
        collection, "connector_for", lambda channel: FakeConnector(fake)
    )
    return fake


def published(channel, editor, remote_id="111", at=PUBLISHED_AT) -> Publication:
    post = Post.objects.create(
        authority=channel.authority, title=f"Post {remote_id}", created_by=editor
    )
    variant = Variant.objects.create(post=post, network="mastodon", parts=["Texte"])
    return Publication.objects.create(
        authority=channel.authority,
        variant=variant,
        channel=channel,
        state=PublicationState.PUBLISHED,
        scheduled_at=at,
        next_attempt_at=at,
        state_changed_at=at,
        published_at=at,
        remote_id=remote_id,
    )


def collect(channel, at) -> collection.MetricsReport:
    return collection.channel_metrics_collect(channel_id=channel.pk, now=at)


def snapshots(publication) -> list[tuple[str, int | None, str]]:
    return list(
        MetricSnapshot.objects.filter(publication=publication)
        .order_by("collected_at", "id")
        .values_list("milestone", "reactions", "error")
    )


def test_milestones_fall_due_1_hour_24_hours_7_days_and_30_days_after_publishing():
    def due(after, taken=frozenset()):
        items = collection.milestones_due(
            published_at=PUBLISHED_AT, taken=set(taken), now=PUBLISHED_AT + after
        )
        return [item.milestone for item in items]

    assert due(59 * dt.timedelta(minutes=1)) == []
    assert due(HOUR) == ["1h"]
    assert due(25 * HOUR, taken={"1h"}) == ["24h"]
    assert due(7 * DAY, taken={"1h", "24h"}) == ["7d"]
    assert due(30 * DAY, taken={"1h", "24h", "7d"}) == ["30d"]
    assert due(31 * DAY, taken={"1h", "24h", "7d", "30d"}) == []
    (hour,) = collection.milestones_due(
        published_at=PUBLISHED_AT, taken=set(), now=PUBLISHED_AT + HOUR
    )
    assert hour.deadline == PUBLISHED_AT + dt.timedelta(minutes=75)


def test_each_milestone_is_read_once_in_its_turn(channel, editor, network):
    publication = published(channel, editor)
    for after in (HOUR, HOUR + dt.timedelta(minutes=15), 24 * HOUR, 7 * DAY, 30 * DAY):
        collect(channel, PUBLISHED_AT + after + dt.timedelta(minutes=5))
    collect(channel, PUBLISHED_AT + 31 * DAY)

    assert [milestone for milestone, _, _ in snapshots(publication)] == [
        "1h",
        "24h",
        "7d",
        "30d",
    ]
    assert network.reads == ["111"] * 4


def test_counters_the_network_does_not_give_stay_empty_not_zero(
    channel, editor, network
):
    publication = published(channel, editor)
    network.answers["111"] = PostMetrics(
        "111", reactions=12, comments=0, shares=3, impressions=None
    )
    collect(channel, PUBLISHED_AT + HOUR)

    snapshot = MetricSnapshot.objects.get(publication=publication)
    assert (snapshot.reactions, snapshot.comments, snapshot.shares) == (12, 0, 3)
    assert (snapshot.impressions, snapshot.reach, snapshot.clicks) == (None, None, None)
    assert snapshot.video_views is None
    assert (snapshot.milestone, snapshot.error) == ("1h", "")
    assert snapshot.engagement == 15


def test_a_transient_error_waits_for_the_next_run_until_the_deadline(
    channel, editor, network
):
    publication = published(channel, editor)
    network.answers["111"] = [
        Unavailable("mastodon: no answer (ReadTimeout)"),
        PostMetrics("111", reactions=4),
    ]
    report = collect(channel, PUBLISHED_AT + HOUR)
    assert (report.read, report.waiting) == (0, 1)
    assert snapshots(publication) == []

    collect(channel, PUBLISHED_AT + HOUR + dt.timedelta(minutes=15))
    assert snapshots(publication) == [("1h", 4, "")]


def test_a_transient_error_at_the_last_run_before_the_deadline_is_stored(
    channel, editor, network
):
    publication = published(channel, editor)
    network.answers["111"] = Unavailable("mastodon: no answer (ReadTimeout)")
    collect(channel, PUBLISHED_AT + HOUR)
    assert snapshots(publication) == []

    collect(channel, PUBLISHED_AT + dt.timedelta(minutes=70))  # deadline 1 h 15

    ((milestone, reactions, error),) = snapshots(publication)
    assert (milestone, reactions) == ("1h", None)
    assert error.startswith("Unavailable: mastodon: no answer")
    assert "Gave up at the deadline 2026-03-02 10:15 UTC" in error


def test_a_permanent_error_is_stored_at_once(channel, editor, network):
    publication = published(channel, editor)
    network.answers["111"] = Rejected("mastodon: Record not found", status=404)
    collect(channel, PUBLISHED_AT + HOUR)

    assert snapshots(publication) == [
        ("1h", None, "Rejected: mastodon: Record not found")
    ]
    collect(channel, PUBLISHED_AT + HOUR + dt.timedelta(minutes=15))
    assert len(network.reads) == 1  # the milestone is taken, error and all


def test_a_refused_token_is_stored_and_the_channel_marked_to_reconnect(
    channel, editor, network
):
    first = published(channel, editor, "111")
    second = published(channel, editor, "222")
    network.answers["111"] = AuthExpired("The access token is invalid", status=401)
    collect(channel, PUBLISHED_AT + HOUR)

    assert snapshots(first) == [
        ("1h", None, "AuthExpired: The access token is invalid")
    ]
    assert snapshots(second) == []  # not asked: waits, the team may reconnect
    assert network.reads == ["111"]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RECONNECT


def test_a_rate_limit_stops_the_channel_and_is_remembered(channel, editor, network):
    at = timezone.now()  # the channel remembers the wait from the real clock
    first = published(channel, editor, "111", at=at - HOUR)
    published(channel, editor, "222", at=at - HOUR)
    network.answers["111"] = RateLimited("Too many requests", retry_after=600)
    report = collect(channel, at)

    assert network.reads == ["111"]
    assert report.waiting == 2
    channel.refresh_from_db()
    assert channel.rate_limited_until is not None
    assert channel.rate_limited_until - at == pytest.approx(
        dt.timedelta(seconds=600), abs=dt.timedelta(seconds=30)
    )
    # Still asked to wait at the last run before the deadline (1 h 15): given up.
    collect(channel, at + dt.timedelta(minutes=5))
    assert network.reads == ["111"]
    ((_, reactions, error),) = snapshots(first)
    assert reactions is None
    assert error.startswith("The network asked to wait until")
    assert "Gave up at the deadline" in error


def test_a_milestone_nobody_read_before_its_deadline_shows_as_a_gap(
    channel, editor, network
):
    publication = published(channel, editor)
    collect(channel, PUBLISHED_AT + 25 * HOUR)  # the collector was down until now

    hour, day = snapshots(publication)
    assert hour[0] == "1h" and hour[1] is None
    assert hour[2] == (
        "Not read: nothing collected between 2026-03-02 10:00 UTC and the deadline "
        "2026-03-02 10:15 UTC."
    )
    assert day == ("24h", 7, "")


def test_an_account_to_reconnect_is_not_asked_and_ends_as_an_error(
    channel, editor, network
):
    publication = published(channel, editor)
    Channel.objects.filter(pk=channel.pk).update(status=ChannelStatus.RECONNECT)
    collect(channel, PUBLISHED_AT + HOUR)
    assert snapshots(publication) == []
    collect(channel, PUBLISHED_AT + dt.timedelta(minutes=72))

    ((_, _, error),) = snapshots(publication)
    assert error.startswith("The account cannot be read (reconnect).")
    assert network.reads == []


def test_a_run_that_finds_the_milestone_taken_meanwhile_does_not_ask(
    channel, editor, network
):
    publication = published(channel, editor)
    at = PUBLISHED_AT + HOUR

    def other_collector_first():
        collection.metric_snapshot_store(
            publication=publication,
            metrics=PostMetrics("111", reactions=99),
            milestone="1h",
            now=at,
        )

    # The other collector stores while this one is reading: this one's is dropped.
    network.during_read = other_collector_first
    report = collect(channel, at)
    assert report.read == 0
    assert snapshots(publication) == [("1h", 99, "")]


@pytest.mark.django_db(transaction=True)
def test_two_collectors_at_once_store_one_snapshot_per_milestone(
    channel, editor, network
):
    publication = published(channel, editor)
    both_reading = threading.Barrier(2, timeout=10)
    network.during_read = both_reading.wait  # both ask before either stores

    def run():
        try:
            collect(channel, PUBLISHED_AT + HOUR)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert network.reads == ["111", "111"]
    assert snapshots(publication) == [("1h", 7, "")]


def test_the_scheduler_job_enqueues_only_channels_with_something_due(
    channel, editor, network, django_capture_on_commit_callbacks
):
    jobs = {job.name: job for job in default_jobs()}
    assert jobs["publishing.collect_metrics"].interval_seconds == 15 * 60
    publication = published(channel, editor)
    at = PUBLISHED_AT + HOUR
    with django_capture_on_commit_callbacks(execute=True):
        assert collection.publications_metrics_enqueue(now=at) == 1
    [task] = DBTaskResult.objects.filter(task_path__endswith="collect_channel_metrics")
    assert task.args_kwargs["args"] == [channel.pk]

    collect(channel, at)
    with django_capture_on_commit_callbacks(execute=True):
        assert collection.publications_metrics_enqueue(now=at) == 0
    assert MetricSnapshot.objects.filter(publication=publication).count() == 1


def test_unpublished_and_too_old_publications_are_not_read(channel, editor, network):
    old = published(channel, editor, "111", at=PUBLISHED_AT - 40 * DAY)
    failed = published(channel, editor, "222")
    Publication.objects.filter(pk=failed.pk).update(state=PublicationState.FAILED)
    collect(channel, PUBLISHED_AT + HOUR)

    assert network.reads == []
    assert snapshots(old) == snapshots(failed) == []


def test_the_queries_of_a_run_do_not_grow_with_the_publications(
    channel, editor, network, django_assert_max_num_queries
):
    for number in range(12):
        published(channel, editor, str(100 + number))
    at = PUBLISHED_AT + 30 * DAY
    for publication in Publication.objects.all():
        for milestone in ("1h", "24h", "7d"):
            collection.metric_snapshot_store(
                publication=publication, metrics=None, milestone=milestone, now=at
            )
    # Per publication: one check and one insert (with its savepoint); the rest
    # is fixed.
    with django_assert_max_num_queries(6 + 12 * 4):
        collect(channel, at)
    assert MetricSnapshot.objects.filter(milestone="30d").count() == 12


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_the_real_worker_store_the_due_milestone(
    channel, editor, network
):
    from django.core.management import call_command

    from parvis.system.scheduler import run_due_jobs

    publication = published(channel, editor, at=timezone.now() - HOUR)
    jobs = [job for job in default_jobs() if job.name == "publishing.collect_metrics"]
    run_due_jobs(jobs=jobs, scheduler_id="test")  # enqueues the job
    call_command("worker", "--batch", "--threads", "2")  # the job, then the channel

    assert snapshots(publication) == [("1h", 7, "")]
