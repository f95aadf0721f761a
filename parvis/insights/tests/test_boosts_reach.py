"""Organic reach rate per publication: reach of its latest snapshot over the
followers counted last before it; sponsored publications apart with their paid
reach; a missing figure is None, never 0; a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parvis.channels.models import FollowerSnapshot
from parvis.insights.boosts_reach import followers_at, post_reach
from parvis.insights.models import Boost
from parvis.insights.tests.builders import NOW, make_channel, published
from parvis.publishing.models import MetricSnapshot

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def followers(channel, when, count, error=""):
    return FollowerSnapshot.objects.create(
        channel=channel,
        day=when.date(),
        collected_at=when,
        followers=count,
        error=error,
    )


def test_the_rate_uses_the_followers_counted_last_before_the_reach(commune):
    channel = make_channel(commune)
    followers(channel, NOW - 10 * DAY, 9_000)
    followers(channel, NOW - 5 * DAY, 10_000)
    followers(channel, NOW - 3 * DAY + dt.timedelta(hours=1), 12_000)  # after it
    publication = published(channel, NOW - 4 * DAY, counters={"reach": 1_500})

    (row,) = post_reach(authority=commune, now=NOW)

    assert row.publication == publication
    assert (row.reach, row.followers, row.sponsored) == (1_500, 10_000, False)
    assert row.organic_rate == pytest.approx(0.15)
    assert followers_at(channel=channel, at=NOW - 4 * DAY) == 10_000


def test_the_latest_snapshot_with_a_reach_is_the_one_read(commune):
    channel = make_channel(commune)
    followers(channel, NOW - 20 * DAY, 10_000)
    publication = published(channel, NOW - 10 * DAY, counters={"reach": 800})
    MetricSnapshot.objects.create(
        publication=publication,
        collected_at=NOW - 3 * DAY,
        milestone="7d",
        reach=2_000,
    )
    MetricSnapshot.objects.create(
        publication=publication,
        collected_at=NOW - DAY,
        milestone="30d",
        error="Rate limited",
    )

    (row,) = post_reach(authority=commune, now=NOW)

    assert row.reach == 2_000
    assert row.organic_rate == pytest.approx(0.2)


def test_a_missing_figure_gives_no_rate_rather_than_zero(commune):
    channel = make_channel(commune)
    followers(channel, NOW - 30 * DAY, None, error="Page insights unavailable")
    no_reach = published(channel, NOW - 2 * DAY, counters={"reactions": 12})
    no_followers = published(channel, NOW - DAY, counters={"reach": 900})

    rows = {row.publication: row for row in post_reach(authority=commune, now=NOW)}

    assert (rows[no_reach].reach, rows[no_reach].organic_rate) == (None, None)
    assert rows[no_followers].followers is None
    assert rows[no_followers].organic_rate is None


def test_a_sponsored_publication_shows_its_paid_reach_and_no_organic_rate(commune):
    channel = make_channel(commune)
    followers(channel, NOW - 30 * DAY, 10_000)
    publication = published(channel, NOW - 5 * DAY, counters={"reach": 9_000})
    for reach in (6_000, 1_200):
        Boost.objects.create(
            authority=commune,
            publication=publication,
            network="facebook",
            budget=Decimal(50),
            starts_on=NOW.date(),
            ends_on=NOW.date(),
            reach=reach,
            origin=Boost.Origin.MANUAL,
        )

    (row,) = post_reach(authority=commune, now=NOW)

    assert (row.sponsored, row.boosts, row.paid_reach) == (True, 2, 7_200)
    assert row.organic_rate is None


def test_only_the_authoritys_publications_of_the_last_90_days(commune, other_authority):
    channel = make_channel(commune)
    recent = published(channel, NOW - 89 * DAY, counters={"reach": 10})
    published(channel, NOW - 91 * DAY, counters={"reach": 10})
    published(channel, NOW - DAY, counters={"reach": 10}, state="failed")
    published(make_channel(other_authority), NOW - DAY, counters={"reach": 10})

    assert [row.publication for row in post_reach(authority=commune, now=NOW)] == [
        recent
    ]


def test_the_number_of_queries_does_not_grow_with_the_publications(commune):
    channel = make_channel(commune)
    followers(channel, NOW - 30 * DAY, 10_000)
    for day in range(1, 4):
        published(channel, NOW - day * DAY, counters={"reach": 100 * day})
    with CaptureQueriesContext(connection) as few:
        post_reach(authority=commune, now=NOW)
    for day in range(4, 12):
        published(channel, NOW - day * DAY, counters={"reach": 100 * day})

    with CaptureQueriesContext(connection) as many:
        rows = post_reach(authority=commune, now=NOW)

    assert len(rows) == 11
    assert len(many) == len(few) == 1
