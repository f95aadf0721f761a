"""Writes and reads of boosts: save with French checks, only the authority's own
publication and audience, writers only, the audit log, totals and costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.insights.boosts import (
    boost_delete,
    boost_save,
    boost_totals,
    boosts_of,
    cost_per_thousand,
    own_costs,
    problems,
    publication_choices,
)
from parvis.insights.models import Boost
from parvis.insights.tests.builders import NOW, make_channel, published
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

VALUES = {
    "network": "facebook",
    "name": "Fête de la mer",
    "budget": Decimal(80),
    "starts_on": dt.date(2026, 6, 1),
    "ends_on": dt.date(2026, 6, 7),
}


def boost(authority, **values):
    return Boost.objects.create(
        authority=authority,
        origin=Boost.Origin.MANUAL,
        **{**VALUES, **values},
    )


def test_a_writer_records_a_boost_and_the_journal_keeps_it(commune, editor):
    saved = boost_save(authority=commune, actor=editor, values=dict(VALUES))

    assert (saved.origin, saved.created_by, saved.budget) == (
        Boost.Origin.MANUAL,
        editor,
        Decimal(80),
    )
    event = AuditEvent.objects.get(action="insights.boost_create")
    assert event.summary == "Sponsorisation « Fête de la mer » enregistrée."


def test_a_change_is_journaled_with_its_before_and_after(commune, editor):
    saved = boost_save(authority=commune, actor=editor, values=dict(VALUES))

    boost_save(
        authority=commune,
        actor=editor,
        boost=saved,
        values={**VALUES, "spent": Decimal("76.40"), "reach": 8214},
    )

    event = AuditEvent.objects.get(action="insights.boost_update")
    assert event.changes == {"spent": [None, "76.40"], "reach": [None, 8214]}


def test_a_reader_cannot_record_a_boost(commune, admin_user):
    elected = make_user("elue@saint-malo.example")
    membership_set(authority=commune, user=elected, role=Role.ELECTED, actor=admin_user)

    with pytest.raises(PermissionDenied):
        boost_save(authority=commune, actor=elected, values=dict(VALUES))


def test_another_authoritys_audience_or_publication_is_refused(
    commune, editor, other_authority
):
    theirs = other_authority.audiences.first()
    publication = published(make_channel(other_authority), NOW)

    for relation, item in (("audience", theirs), ("publication", publication)):
        with pytest.raises(ValidationError) as refused:
            boost_save(
                authority=commune, actor=editor, values={**VALUES, relation: item}
            )
        assert refused.value.message_dict == {
            relation: ["Elle n'appartient pas à la collectivité."]
        }
    assert not Boost.objects.exists()


def test_impossible_figures_are_explained_in_french(commune):
    instagram = published(make_channel(commune, network="instagram"), NOW)

    found = problems(
        {
            **VALUES,
            "ends_on": dt.date(2026, 5, 1),
            "spent": Decimal(-1),
            "reach": 500,
            "impressions": 400,
            "publication": instagram,
        }
    )

    assert found == {
        "ends_on": "La fin de la sponsorisation ne peut précéder son début.",
        "spent": "Le montant dépensé ne peut pas être négatif.",
        "reach": "La portée ne peut dépasser les impressions : chaque personne "
        "touchée a vu la publicité au moins une fois.",
        "publication": "Cette publication est parue sur Instagram : choisissez ce "
        "réseau ou une autre publication.",
    }


def test_mastodon_cannot_be_sponsored(commune, editor):
    with pytest.raises(ValidationError) as refused:
        boost_save(
            authority=commune, actor=editor, values={**VALUES, "network": "mastodon"}
        )
    assert refused.value.message_dict == {
        "network": ["Ce réseau ne propose pas de sponsorisation."]
    }


def test_deleting_a_boost_is_journaled(commune, editor):
    saved = boost(commune)

    boost_delete(boost=saved, actor=editor)

    assert not Boost.objects.exists()
    assert AuditEvent.objects.filter(action="insights.boost_delete").exists()


def test_the_list_is_the_authoritys_own_newest_first(commune, other_authority):
    old = boost(commune, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 9))
    new = boost(commune)
    boost(other_authority)

    assert list(boosts_of(authority=commune)) == [new, old]


def test_totals_add_what_is_known_and_compute_the_cost_on_boosts_with_both():
    boosts = [
        Boost(spent=Decimal("76.40"), reach=8214),
        Boost(spent=Decimal("40.00"), reach=None),  # reach not reported
        Boost(spent=None, reach=1000),
    ]

    totals = boost_totals(boosts)

    assert (totals.count, totals.spent, totals.reach, totals.measured) == (
        3,
        Decimal("116.40"),
        9214,
        1,
    )
    assert totals.cost_per_thousand == Decimal("9.30")  # 76.40 / 8,214 × 1,000


def test_totals_without_figures_are_not_zero():
    totals = boost_totals([Boost(spent=None, reach=None)])

    assert (totals.spent, totals.reach, totals.cost_per_thousand) == (None, None, None)


def test_cost_per_thousand_needs_a_reach():
    assert cost_per_thousand(Decimal(10), 0) is None
    assert cost_per_thousand(Decimal(10), 2000) == Decimal("5.00")


def test_own_costs_keep_only_boosts_with_an_amount_spent_and_a_reach(commune):
    boost(commune, spent=Decimal("76.40"), reach=8214)
    boost(commune, spent=Decimal("40.00"), reach=None)
    boost(commune, network="linkedin", spent=Decimal("420.55"), reach=21400)

    assert own_costs(authority=commune) == {
        "facebook": [(Decimal("76.40"), 8214)],
        "linkedin": [(Decimal("420.55"), 21400)],
    }


def test_the_form_offers_the_authoritys_published_publications_only(
    commune, other_authority
):
    channel = make_channel(commune)
    mine = published(channel, NOW)
    published(channel, NOW, state="failed")
    published(make_channel(other_authority), NOW)

    assert list(publication_choices(authority=commune, now=NOW)) == [mine]
