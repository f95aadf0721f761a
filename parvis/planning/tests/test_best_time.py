"""Best time to publish: defaults, own data, shrinkage, local hours, DST."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parvis.channels.models import Channel
from parvis.planning.best_time import (
    DAY_HOURS,
    MIN_PUBLICATIONS,
    Slot,
    best_slots,
    next_datetimes,
    next_suggested_datetimes,
)
from parvis.planning.best_time_defaults import defaults
from parvis.publishing.models import MetricSnapshot, Publication
from parvis.studio.models import Post, Variant
from parvis.territory.vocabularies import Network

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)


def make_channel(authority, network="facebook", account_id="page-1"):
    return Channel.objects.create(
        authority=authority,
        network=network,
        account_id=account_id,
        handle="Ville de Saint-Malo",
        credentials_encrypted="-",
    )


def at_paris(day: str, hour: int) -> dt.datetime:
    """The aware instant of `day` (ISO) at `hour`:00, Paris wall-clock time."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=PARIS)
    return local.astimezone(dt.UTC)


def history(channel, posts, *, state="published"):
    """Published publications of `channel`, one per (published_at, engagement[,
    reach]) of `posts`, each with one snapshot, created in bulk."""
    post = Post.objects.create(
        authority=channel.authority, title="Historique", state="published"
    )
    variants = Variant.objects.bulk_create(
        Variant(post=post, network=channel.network, parts=[f"Message {index}"])
        for index in range(len(posts))
    )
    publications = Publication.objects.bulk_create(
        Publication(
            authority=channel.authority,
            variant=variant,
            channel=channel,
            state=state,
            scheduled_at=item[0],
            next_attempt_at=item[0],
            state_changed_at=item[0],
            published_at=item[0],
        )
        for variant, item in zip(variants, posts, strict=True)
    )
    MetricSnapshot.objects.bulk_create(
        MetricSnapshot(
            publication=publication,
            collected_at=item[0] + dt.timedelta(days=1),
            reactions=item[1],
            reach=item[2] if len(item) > 2 else None,
        )
        for publication, item in zip(publications, posts, strict=True)
    )
    return publications


def weeks_back(day: str, hour: int, count: int, *, engagement: int):
    """`count` posts on the weekday of `day` at `hour` (Paris), one a week back."""
    first = dt.date.fromisoformat(day)
    return [
        (at_paris((first - dt.timedelta(weeks=week)).isoformat(), hour), engagement)
        for week in range(count)
    ]


def test_defaults_are_used_below_the_threshold_with_their_source(commune):
    channel = make_channel(commune)
    history(channel, weeks_back("2026-06-24", 17, MIN_PUBLICATIONS - 1, engagement=90))

    best = best_slots(channel=channel, now=NOW)

    assert best.basis == "default"
    assert (best.measured, best.published) == (MIN_PUBLICATIONS - 1, 19)
    top = best.suggestions[0]
    assert (top.label, top.basis, top.score) == ("mardi à 12\u00a0h", "default", 130)
    assert [source.name for source in top.sources] == ["Sprout Social", "Agorapulse"]
    assert best.slots[2, 17].basis == "default"  # Wednesday 17 h: not used yet


def test_own_data_wins_with_enough_publications(commune):
    channel = make_channel(commune)
    history(
        channel,
        weeks_back("2026-06-24", 17, 10, engagement=40)  # Wednesday 17 h
        + weeks_back("2026-06-23", 12, 10, engagement=10)  # Tuesday 12 h
        + weeks_back("2026-06-25", 12, 10, engagement=10),  # Thursday 12 h
    )

    best = best_slots(channel=channel, now=NOW)

    assert best.basis == "own"
    top = best.suggestions[0]
    assert (top.weekday, top.hour, top.basis) == (2, 17, "own")
    assert (top.publications, top.median_engagement) == (10, 40)
    # The usual slots did as well as usual: below the default that ranked them first.
    assert best.slots[1, 12].basis == "own"
    assert best.slots[1, 12].score < 130


def test_one_lucky_post_does_not_take_the_first_place(commune):
    channel = make_channel(commune)
    usual = [
        (at_paris(f"2026-06-{day:02d}", 16), 20)
        for day in range(1, 26)  # every day at 16 h, a slot no study ranks
    ]
    lucky = [(at_paris("2026-06-28", 20), 2_000)]  # a Sunday evening, 100 times usual
    history(channel, usual + lucky)

    best = best_slots(channel=channel, now=NOW)

    assert best.basis == "own"
    sunday_evening = best.slots[6, 20]
    assert (sunday_evening.basis, sunday_evening.publications) == ("own", 1)
    assert sunday_evening.score < 130
    assert best.suggestions[0].label == "mardi à 12\u00a0h"
    assert (6, 20) not in {(s.weekday, s.hour) for s in best.suggestions[:2]}


def test_an_hour_never_tried_follows_a_poor_neighbour_not_the_studies(commune):
    channel = make_channel(commune)
    history(
        channel,
        weeks_back("2026-06-23", 12, 12, engagement=10)  # Tuesday 12 h: poor
        + weeks_back("2026-06-23", 18, 12, engagement=60),  # Tuesday 18 h: good
    )

    best = best_slots(channel=channel, now=NOW)

    one_pm = best.slots[1, 13]  # ranked first by the studies, never tried here
    assert (one_pm.basis, one_pm.publications, one_pm.nearby) == ("default", 0, 12)
    assert one_pm.score < 100
    labels = [slot.label for slot in best.suggestions]
    assert labels[0] == "mardi à 18\u00a0h"
    assert "mardi à 13\u00a0h" not in labels


def test_engagement_is_compared_as_a_rate_when_the_network_gives_the_reach(commune):
    channel = make_channel(commune)
    # Same interactions everywhere, but Wednesday 17 h reached four times fewer people.
    history(
        channel,
        [(when, 20, 1_000) for when, _ in weeks_back("2026-06-24", 17, 8, engagement=0)]
        + [
            (when, 20, 4_000)
            for when, _ in weeks_back("2026-06-22", 15, 16, engagement=0)
        ],
    )

    best = best_slots(channel=channel, now=NOW)

    assert best.slots[2, 17].score > best.slots[0, 15].score


def test_local_hours_group_summer_and_winter_posts_together(commune):
    channel = make_channel(commune)
    winter = at_paris("2026-03-10", 10)  # a Tuesday, UTC+1
    summer = at_paris("2026-06-09", 10)  # a Tuesday, UTC+2
    assert (winter.hour, summer.hour) == (9, 8)
    history(
        channel,
        [
            (winter, 30),
            (summer, 30),
            *weeks_back("2026-06-26", 15, MIN_PUBLICATIONS, engagement=30),
        ],
    )

    best = best_slots(channel=channel, now=NOW)

    assert best.slots[1, 10].publications == 2
    assert best.slots[1, 9].publications == 0
    assert best.slots[1, 8].publications == 0


def test_the_latest_snapshot_of_each_publication_is_the_one_used(commune):
    channel = make_channel(commune)
    publications = history(
        channel, weeks_back("2026-06-24", 17, MIN_PUBLICATIONS, engagement=10)
    )
    first = publications[0]
    # Stored out of order on purpose: the latest by collection time wins, not by id.
    MetricSnapshot.objects.create(
        publication=first,
        collected_at=first.published_at + dt.timedelta(days=5),
        reactions=12,
    )
    MetricSnapshot.objects.create(
        publication=first,
        collected_at=first.published_at + dt.timedelta(hours=1),
        reactions=5_000,
    )

    best = best_slots(channel=channel, now=NOW)

    assert best.measured == MIN_PUBLICATIONS
    assert best.slots[2, 17].median_engagement == 10
    assert best.slots[2, 17].score < 110


def test_an_error_snapshot_after_a_reading_does_not_count_as_no_engagement(commune):
    channel = make_channel(commune)
    publications = history(
        channel, weeks_back("2026-06-24", 17, MIN_PUBLICATIONS, engagement=10)
    )
    before = best_slots(channel=channel, now=NOW)
    first = publications[0]
    # The 30-day milestone could not be read: its snapshot holds no counter.
    MetricSnapshot.objects.create(
        publication=first,
        collected_at=first.published_at + dt.timedelta(days=30),
        milestone="30d",
        error="Rejected: post not found (deleted?)",
    )

    after = best_slots(channel=channel, now=NOW)

    assert after.measured == MIN_PUBLICATIONS
    assert after.slots[2, 17].score == before.slots[2, 17].score


def test_only_published_publications_of_the_last_180_days_count(commune):
    channel = make_channel(commune)
    history(channel, [(at_paris("2025-12-01", 12), 10)])  # 211 days before
    history(channel, [(at_paris("2026-06-01", 12), 10)], state="failed")
    history(channel, [(at_paris("2026-06-02", 12), 10)])
    other = make_channel(commune, account_id="page-2")
    history(other, [(at_paris("2026-06-03", 12), 10)])

    best = best_slots(channel=channel, now=NOW)

    assert (best.published, best.measured) == (1, 1)


def test_the_number_of_queries_does_not_grow_with_the_history(commune):
    channel = make_channel(commune)
    history(channel, weeks_back("2026-06-24", 17, 3, engagement=10))
    fresh = Channel.objects.get(pk=channel.pk)
    with CaptureQueriesContext(connection) as few:
        best_slots(channel=fresh, now=NOW)
    history(channel, weeks_back("2026-06-25", 12, 25, engagement=10))
    fresh = Channel.objects.get(pk=channel.pk)
    with CaptureQueriesContext(connection) as many:
        best = best_slots(channel=fresh, now=NOW)

    assert best.basis == "own"
    assert len(few) == len(many) == 3  # the authority, a count, the snapshots


def test_next_datetimes_skip_the_hour_lost_in_spring():
    sunday_two = Slot(weekday=6, hour=2, score=100, basis="default")

    instants = next_datetimes(
        [sunday_two],
        timezone_name="Europe/Paris",
        after=dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC),
        count=2,
    )

    # 2026-03-29 02:00 does not exist in Paris; the next Sundays do, in summer time.
    assert instants == [
        dt.datetime(2026, 4, 5, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 12, 0, 0, tzinfo=dt.UTC),
    ]


def test_next_suggested_datetimes_are_utc_instants_on_the_local_slots(commune):
    channel = make_channel(commune)
    friday = dt.datetime(2026, 3, 27, 6, 0, tzinfo=dt.UTC)  # before the spring change

    instants = next_suggested_datetimes(channel=channel, after=friday, count=3)

    assert all(instant.tzinfo is not None for instant in instants)
    assert [
        instant.astimezone(PARIS).strftime("%a %d %H:%M") for instant in instants
    ] == [
        "Fri 27 12:00",
        "Mon 30 12:00",
        "Tue 31 12:00",
    ]
    assert instants[0] == dt.datetime(2026, 3, 27, 11, 0, tzinfo=dt.UTC)  # UTC+1
    assert instants[1] == dt.datetime(2026, 3, 30, 10, 0, tzinfo=dt.UTC)  # UTC+2


def test_every_network_has_sourced_day_time_defaults():
    sources, slots = defaults()

    assert set(slots) == set(Network.values)
    for network, cited in slots.items():
        assert cited, network
        for (weekday, hour), default in cited.items():
            assert 0 <= weekday <= 6
            assert hour in DAY_HOURS, (network, weekday, hour)  # never at night
            assert default.sources, (network, weekday, hour)
    for source in sources.values():
        assert source.url.startswith("https://")
        assert source.language in {"fr", "en"}
