"""Boost advice on planted histories: a clear outlier is advised, a usual post is
not, nor a crisis or lien social post, nor one already boosted; too little history
gives no advice and says why; audience, budget and expected reach are explained."""

import datetime as dt
from decimal import Decimal

import pytest

from parvis.insights.boost_advice import (
    CANDIDATE_DAYS,
    MIN_BASELINE,
    ChannelHistory,
    Measured,
    ReachCost,
    TargetAudience,
    Territory,
    advise,
    budget_band,
    channel_baseline,
    reach_cost,
)
from parvis.insights.boost_advice_data import boost_advice_for
from parvis.insights.models import Boost
from parvis.insights.tests.builders import NOW, make_channel, published
from parvis.planning.models import Campaign

SAINT_MALO = Territory("Saint-Malo", "commune", 47_439)
OWN_COST = ReachCost(Decimal(10), "own", boosts=3)
DAY = dt.timedelta(days=1)


def usual(count=12, *, start=20, reach=1_000):
    """`count` unsponsored publications 20 days ago and before, with engagement
    rates from 2.0 % to 3.1 %: a median near 2.5 %, a small spread."""
    return [
        Measured(
            publication_id=100 + index,
            title=f"Publication {index}",
            published_at=NOW - (start + index) * DAY,
            engagement=20 + index,
            audience=reach,
        )
        for index in range(count)
    ]


def outlier(**changes):
    values = {
        "publication_id": 1,
        "title": "Fête de la mer : le programme",
        "published_at": NOW - 3 * DAY,
        "engagement": 80,  # 8 % of 1,000
        "audience": 1_000,
        "objective": "attractivite",
        "campaign_name": "Fête de la mer",
    }
    return Measured(**{**values, **changes})


def history(*publications, network="facebook"):
    return ChannelHistory(7, network, "Facebook — Ville", tuple(publications))


def run(*histories, costs=None, territory=SAINT_MALO):
    return advise(
        channels=histories,
        territory=territory,
        costs={"facebook": OWN_COST} if costs is None else costs,
        now=NOW,
    )


def test_a_clear_outlier_is_advised_and_explained_in_plain_french():
    result = run(history(*usual(), outlier()))

    (advice,) = result.advices
    assert advice.publication.publication_id == 1
    # The baseline holds the recent publications too: a median of 2.6 %.
    assert advice.ratio == pytest.approx(8 / 2.6)
    assert advice.budget == (50, 150)
    assert advice.reach == (5_000, 15_000)
    assert advice.explanation == (
        "Cette publication a suscité 3,1 fois plus d'interactions par personne "
        "touchée que vos publications habituelles sur Facebook (8,0\u00a0% contre "
        "2,6\u00a0% en médiane sur 90 jours). Avec 50\u00a0€ à 150\u00a0€, elle "
        "toucherait environ 5\u202f000 à 15\u202f000 personnes, au coût observé de "
        "vos sponsorisations passées sur Facebook (10\u00a0€ pour 1\u202f000 "
        "personnes touchées)."
    )
    assert advice.geographic
    assert advice.audience_lines == (
        "Zone géographique : Saint-Malo (commune, 47\u202f439 habitants).",
    )
    assert result.set_aside == ()


def test_a_usual_publication_is_not_advised():
    normal = outlier(engagement=30)  # 3 %: within the usual spread

    assert run(history(*usual(), normal)).advices == ()


def test_twice_the_spread_is_not_enough_without_half_again_the_median():
    # A very tight baseline: 2 MAD above it is barely more than the median.
    tight = [
        Measured(i, "P", NOW - (20 + i) * DAY, 25 + (i % 2), 1_000) for i in range(12)
    ]
    slightly = outlier(engagement=32)  # 3.2 %: > median + 2 MAD, < 1.5 × median

    assert run(history(*tight, slightly)).advices == ()


def test_a_crisis_post_is_set_aside_with_its_reason():
    crisis = outlier(objective="crise")
    alert = outlier(publication_id=2, objective="", is_crisis=True)

    result = run(history(*usual(), crisis, alert))

    assert result.advices == ()
    assert [item.publication.publication_id for item in result.set_aside] == [1, 2]
    assert result.set_aside[0].reason.startswith("Message de crise")


def test_a_lien_social_post_is_set_aside():
    result = run(history(*usual(), outlier(objective="lien_social")))

    assert result.advices == ()
    assert result.set_aside[0].reason.startswith("Campagne de lien social")


def test_an_already_boosted_post_is_not_advised_again():
    result = run(history(*usual(), outlier(boosted=True)))

    assert result.advices == ()
    assert result.set_aside[0].reason == "Déjà sponsorisée."


def test_too_little_history_gives_no_advice_and_says_why():
    result = run(history(*usual(MIN_BASELINE - 2), outlier()))

    assert result.advices == ()
    (baseline,) = result.baselines
    assert not baseline.ready
    assert baseline.reason == (
        "9 publication(s) non sponsorisée(s) mesurée(s) sur les 90 derniers jours ; "
        "il en faut au moins 10 pour savoir ce qui est habituel sur ce compte."
    )


def test_boosted_publications_do_not_count_in_the_baseline():
    boosted = [
        Measured(200 + i, "B", NOW - 30 * DAY, 300, 1_000, boosted=True)
        for i in range(5)
    ]

    baseline = channel_baseline(history(*usual(), *boosted), now=NOW)

    assert baseline.count == 12
    assert baseline.median == pytest.approx(0.0255)


def test_an_old_outlier_is_not_advised_any_more():
    old = outlier(published_at=NOW - (CANDIDATE_DAYS + 1) * DAY)

    assert run(history(*usual(), old)).advices == ()


def test_a_post_seen_by_a_handful_of_people_is_not_advised():
    tiny = outlier(engagement=4, audience=20)  # 20 %, but of 20 people

    assert run(history(*usual(), tiny)).advices == ()


def test_a_network_without_ads_is_never_advised_and_says_so():
    result = run(history(*usual(), outlier(), network="mastodon"))

    assert result.advices == ()
    assert result.baselines[0].reason == (
        "Mastodon ne propose pas de publicité : rien à sponsoriser."
    )


def test_the_campaigns_audiences_and_their_hints_are_the_suggested_audience():
    families = TargetAudience("Familles", "Parents 25-45 ans, Saint-Malo + 15 km")
    seniors = TargetAudience("Seniors", "")

    (advice,) = run(history(*usual(), outlier(audiences=(families, seniors)))).advices

    assert not advice.geographic
    assert advice.audience_lines == (
        "Familles : Parents 25-45 ans, Saint-Malo + 15 km",
        "Seniors (aucune indication de ciblage saisie pour ce public)",
    )


def test_a_post_without_campaign_is_advised_with_a_note():
    (advice,) = run(history(*usual(), outlier(objective="", campaign_name=""))).advices

    assert advice.notes == (
        "Cette publication n'appartient à aucune campagne : vérifiez que son "
        "objectif (notoriété, image, attractivité ou information de service) "
        "justifie une dépense.",
    )


def test_without_own_boosts_the_default_cost_is_named_an_assumption():
    (advice,) = run(history(*usual(), outlier()), costs={}).advices

    assert advice.cost == ReachCost(Decimal(10), "default")
    assert "d'après un coût supposé de 10\u00a0€ pour 1\u202f000" in advice.explanation
    assert (
        "(hypothèse : aucune de vos sponsorisations sur Facebook" in advice.explanation
    )


def test_without_any_known_cost_the_reach_is_not_estimated():
    x = history(*usual(), outlier(), network="x")

    (advice,) = run(x, costs={}).advices

    assert advice.reach is None
    assert "la portée attendue n'est pas estimée" in advice.explanation


def test_the_expected_reach_never_exceeds_the_population():
    village = Territory("Plouër-sur-Rance", "commune", 3_600)

    (advice,) = run(history(*usual(), outlier()), territory=village).advices

    assert advice.budget == (20, 50)
    assert advice.reach == (2_000, 3_600)
    assert "plafonnée à la population" in advice.notes[0]


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (800, (10, 20)),
        (47_439, (50, 150)),
        (519_127, (200, 600)),
        (1_690_493, (300, 1_000)),
    ],
)
def test_the_budget_grows_with_the_population(population, band):
    assert budget_band(population) == band


def test_the_own_cost_is_total_spent_over_total_reach():
    cost = reach_cost(
        "facebook", [(Decimal("76.40"), 8_214), (Decimal("40.00"), 5_120)]
    )

    assert cost == ReachCost(Decimal("8.73"), "own", boosts=2)


@pytest.mark.django_db
def test_the_advice_of_an_authority_is_read_from_its_data(commune, admin_user):
    channel = make_channel(commune)
    campaign = Campaign.objects.create(
        authority=commune,
        name="Fête de la mer",
        slug="fete-de-la-mer",
        objective="attractivite",
        starts_on=NOW.date(),
        ends_on=NOW.date(),
    )
    campaign.audiences.add(commune.audiences.get(slug="familles"))
    for index in range(12):
        published(
            channel,
            NOW - (20 + index) * DAY,
            counters={"reach": 1_000, "reactions": 20 + index},
        )
    star = published(
        channel,
        NOW - 3 * DAY,
        counters={"reach": 1_000, "reactions": 60, "shares": 20},
        campaign=campaign,
        title="Fête de la mer : le programme",
    )
    boosted = published(
        channel, NOW - 2 * DAY, counters={"reach": 1_000, "reactions": 90}
    )
    Boost.objects.create(
        authority=commune,
        publication=boosted,
        network="facebook",
        budget=Decimal(50),
        spent=Decimal("76.40"),
        reach=8_214,
        starts_on=NOW.date(),
        ends_on=NOW.date(),
        origin=Boost.Origin.MANUAL,
    )

    result = boost_advice_for(authority=commune, now=NOW)

    (advice,) = result.advices
    assert advice.publication.publication_id == star.pk
    assert advice.publication.campaign_name == "Fête de la mer"
    assert advice.audience_lines[0].startswith("Familles")
    assert advice.cost == ReachCost(Decimal("9.30"), "own", boosts=1)
    assert [item.publication.publication_id for item in result.set_aside] == [
        boosted.pk
    ]


def test_boosts_that_cost_nothing_do_not_promise_an_endless_reach():
    free = reach_cost("facebook", [(Decimal("0"), 5000)])
    assert free.basis == "default" and free.per_thousand
    almost_free = reach_cost("facebook", [(Decimal("0.01"), 10_000_000)])
    assert almost_free.basis == "default"
    assert reach_cost("x", [(Decimal("0"), 5000)]).per_thousand is None
