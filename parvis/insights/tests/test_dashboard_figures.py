"""The dashboard's figures: latest counters, "not provided" kept apart from 0, one
engagement rate for every network, the specific-mode share, followers, the inbox."""

import datetime as dt

import pytest

from parvis.channels.models import FollowerSnapshot
from parvis.inbox.models import Message
from parvis.insights.dashboard import (
    engagement_rate,
    follower_figures,
    inbox_figures,
    publication_figures,
    summary_of,
)
from parvis.insights.tests.builders import NOW, make_channel, published
from parvis.planning.models import Campaign
from parvis.publishing.models import MetricSnapshot

START, END = NOW - dt.timedelta(days=30), NOW
DAY = dt.timedelta(days=1)


def figures(authority, **filters):
    return publication_figures(authority, start=START, end=END, **filters)


def test_the_latest_snapshot_with_counters_is_used_and_an_error_one_left_out(commune):
    channel = make_channel(commune)
    publication = published(channel, NOW - 5 * DAY, counters={"reach": 100})
    MetricSnapshot.objects.create(
        publication=publication, collected_at=NOW - 3 * DAY, milestone="", reach=150
    )
    MetricSnapshot.objects.create(
        publication=publication,
        collected_at=NOW - 2 * DAY,
        milestone="7d",
        error="Unavailable: timeout",
    )
    [item] = figures(commune)
    assert item.counters["reach"] == 150


def test_a_counter_the_network_does_not_give_stays_not_provided_not_zero(commune):
    mastodon = make_channel(commune, "mastodon")
    published(mastodon, NOW - 5 * DAY, counters={"reactions": 4, "shares": 0})
    published(mastodon, NOW - 4 * DAY)  # not measured yet
    summary = summary_of(figures(commune))
    assert summary.counters["reach"] is None and summary.counters["impressions"] is None
    assert summary.counters["shares"] == 0
    assert summary.engagement == 4 and summary.engagement_rate is None
    assert (summary.publications, summary.measured) == (2, 1)


def test_the_engagement_rate_is_over_reach_else_impressions_weighted_by_size(commune):
    facebook = make_channel(commune)
    x = make_channel(commune, "x", "x-1")
    published(
        facebook,
        NOW - 5 * DAY,
        counters={
            "reach": 1000,
            "reactions": 50,
            "comments": 10,
            "shares": 5,
            "clicks": 35,
        },
    )
    published(
        x, NOW - 4 * DAY, counters={"impressions": 3000, "reactions": 30, "clicks": 0}
    )
    items = figures(commune)
    assert [round(item.engagement_rate, 3) for item in items] == [0.1, 0.01]
    assert engagement_rate(items) == pytest.approx(130 / 4000)


def test_the_specific_share_reads_the_studio_check_of_each_publication(commune):
    channel = make_channel(commune)
    published(channel, NOW - 5 * DAY, specific=True)
    published(channel, NOW - 4 * DAY, specific=False)
    published(channel, NOW - 3 * DAY, specific=False)
    published(channel, NOW - 2 * DAY)  # no source page, no check
    assert summary_of(figures(commune)).specific_share == 0.5


def test_only_published_publications_of_the_period_and_of_the_filters_count(
    commune, other_authority
):
    facebook = make_channel(commune)
    instagram = make_channel(commune, "instagram", "ig-1")
    campaign = Campaign.objects.create(
        authority=commune,
        name="Été",
        slug="ete",
        objective="notoriete",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    audience = commune.audiences.first()
    published(facebook, NOW - 5 * DAY, campaign=campaign)
    published(instagram, NOW - 4 * DAY, audience=audience)
    published(facebook, NOW - 40 * DAY)
    published(facebook, NOW - 3 * DAY, state="failed")
    published(make_channel(other_authority), NOW - 3 * DAY)
    assert len(figures(commune)) == 2
    assert [i.network for i in figures(commune, channel_id=instagram.pk)] == [
        "instagram"
    ]
    assert [i.network for i in figures(commune, campaign_id=campaign.pk)] == [
        "facebook"
    ]
    assert [i.network for i in figures(commune, audience_id=audience.pk)] == [
        "instagram"
    ]


def test_the_number_of_queries_does_not_grow_with_the_publications(
    commune, django_assert_max_num_queries
):
    channel = make_channel(commune)
    for day in range(20):
        published(channel, NOW - (day + 1) * DAY, counters={"reach": day})
    with django_assert_max_num_queries(2):
        assert len(figures(commune)) == 20


def test_followers_growth_and_the_days_that_could_not_be_read(commune):
    channel = make_channel(commune)
    start_day = START.date()
    for offset, followers, error in [
        (-1, 1000, ""),
        (1, 1010, ""),
        (2, None, "RateLimited"),
        (10, 1100, ""),
        (31, 1300, ""),  # after the period
    ]:
        FollowerSnapshot.objects.create(
            channel=channel,
            day=start_day + dt.timedelta(days=offset),
            collected_at=START + dt.timedelta(days=offset),
            followers=followers,
            error=error,
        )
    result = follower_figures([channel.pk], start_day=start_day, end_day=END.date())
    assert result[channel.pk].growth == 100
    assert (result[channel.pk].days_read, result[channel.pk].days_failed) == (2, 1)


def test_the_inbox_figures_leave_abuse_out_and_read_the_tone_of_replies(commune):
    channel = make_channel(commune)
    publication = published(channel, NOW - 10 * DAY)

    def message(hours_to_answer, **values):
        received = NOW - 5 * DAY
        return Message.objects.create(
            authority=commune,
            origin="facebook",
            kind="comment",
            text="Merci !",
            received_at=received,
            first_response_at=(
                received + dt.timedelta(hours=hours_to_answer)
                if hours_to_answer is not None
                else None
            ),
            **values,
        )

    message(2, publication=publication, sentiment="positif")
    message(6, publication=publication, sentiment="negatif")
    message(None, publication=publication, sentiment="positif")
    message(1, abuse=True, sentiment="negatif")
    result = inbox_figures(commune, start=START, end=END)
    assert (result.received, result.answered) == (3, 2)
    assert result.reply_rate == pytest.approx(2 / 3)
    assert result.median_response_hours == 4
    assert result.positive_share == pytest.approx(2 / 3)
