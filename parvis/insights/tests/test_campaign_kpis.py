"""The indicators a campaign follows, over its own dates."""

import datetime as dt

import pytest
from django.utils import timezone

from parvis.channels.models import FollowerSnapshot
from parvis.inbox.models import Message
from parvis.insights.campaign_kpis import campaign_kpis, campaigns_kpis
from parvis.insights.tests.builders import make_channel, published
from parvis.planning.models import Campaign


def campaign_of(authority, *, days_ago, days_left, kpis, name="Plage"):
    today = timezone.localdate()
    return Campaign.objects.create(
        authority=authority,
        name=name,
        slug=name.lower(),
        objective="notoriete",
        starts_on=today - dt.timedelta(days=days_ago),
        ends_on=today + dt.timedelta(days=days_left),
        kpis=kpis,
    )


def values(campaign):
    return {kpi.slug: kpi.value for kpi in campaign_kpis(campaign)}


def test_a_campaign_is_measured_on_its_own_publications_followers_and_replies(commune):
    campaign = campaign_of(
        commune,
        days_ago=10,
        days_left=5,
        kpis=[
            "portee",
            "taux_engagement",
            "abonnes_gagnes",
            "reactions_positives",
            "delai_reponse",
            "delai_publication",
        ],
    )
    channel = make_channel(commune)
    now = timezone.now()
    mine = published(
        channel,
        now - dt.timedelta(days=3),
        counters={"reach": 500, "reactions": 40, "comments": 10},
        campaign=campaign,
    )
    published(channel, now - dt.timedelta(days=2), counters={"reach": 9999})
    published(
        channel,
        now - dt.timedelta(days=20),
        counters={"reach": 777},
        campaign=campaign,
    )
    for offset, followers in [(11, 1000), (5, 1040), (0, 1100)]:
        FollowerSnapshot.objects.create(
            channel=channel,
            day=timezone.localdate() - dt.timedelta(days=offset),
            collected_at=now - dt.timedelta(days=offset),
            followers=followers,
        )
    for sentiment, hours in [("positif", 1), ("positif", 3), ("negatif", None)]:
        Message.objects.create(
            authority=commune,
            origin="facebook",
            kind="comment",
            text="Super !",
            publication=mine,
            sentiment=sentiment,
            received_at=now - dt.timedelta(days=2),
            first_response_at=(
                now - dt.timedelta(days=2) + dt.timedelta(hours=hours)
                if hours
                else None
            ),
        )
    result = values(campaign)
    assert result["portee"] == 500
    assert result["taux_engagement"] == pytest.approx(0.1)
    assert result["abonnes_gagnes"] == 100
    assert result["reactions_positives"] == pytest.approx(2 / 3)
    assert result["delai_reponse"] == 2
    assert result["delai_publication"] is not None


def test_a_campaign_not_started_or_without_data_has_nothing_to_show(commune):
    future = campaign_of(commune, days_ago=-5, days_left=10, kpis=["portee"])
    assert values(future) == {"portee": None}
    quiet = campaign_of(
        commune, days_ago=5, days_left=5, kpis=["portee", "clics"], name="Calme"
    )
    assert values(quiet) == {"portee": None, "clics": None}


def test_several_campaigns_are_measured_with_a_bounded_number_of_queries(
    commune, django_assert_max_num_queries
):
    channel = make_channel(commune)
    campaigns = [
        campaign_of(
            commune,
            days_ago=10 + n,
            days_left=n,
            kpis=["portee", "abonnes_gagnes", "delai_reponse"],
            name=f"C{n}",
        )
        for n in range(6)
    ]
    for campaign in campaigns:
        published(
            channel,
            timezone.now() - dt.timedelta(days=1),
            counters={"reach": 10},
            campaign=campaign,
        )
    campaigns = list(Campaign.objects.prefetch_related("channels"))
    with django_assert_max_num_queries(5):
        result = campaigns_kpis(commune, campaigns)
    assert all(result[c.pk][0].value == 10 for c in campaigns)
