"""Reads about campaigns: the vocabulary of indicators by objective, and the weeks
of a campaign short of the posts it expects (in the authority's local days)."""

import datetime as dt

from parvis.planning.kpis import BY_OBJECTIVE, KPIS, allowed_kpis, default_kpis
from parvis.planning.models import Objective
from parvis.planning.selectors_campaigns import campaign_detail, weeks_of
from parvis.planning.services import post_set_campaign
from parvis.planning.tests.test_campaigns_services import make_campaign
from parvis.studio.models import Post


# -- the vocabulary -----------------------------------------------------------------------
def test_every_objective_has_defaults_among_its_allowed_indicators():
    assert set(BY_OBJECTIVE) == set(Objective.values)
    for objective in Objective.values:
        allowed = [kpi.slug for kpi in allowed_kpis(objective)]
        assert default_kpis(objective) == allowed[: len(default_kpis(objective))]
        assert len(set(allowed)) == len(allowed)
        assert set(allowed) <= set(KPIS)


def test_every_indicator_has_a_french_label_a_definition_and_its_data():
    for kpi in KPIS.values():
        assert str(kpi.label) and str(kpi.definition).endswith(".")
        assert kpi.needs


def test_the_defaults_are_those_of_the_issue():
    assert default_kpis("notoriete") == ["portee", "impressions", "abonnes_gagnes"]
    assert default_kpis("crise") == [
        "delai_publication",
        "portee",
        "delai_reponse",
        "partages",
    ]


# -- the weeks of a campaign --------------------------------------------------------------
def test_a_week_cut_by_the_dates_expects_its_share_of_posts_rounded_up(commune, editor):
    # Thursday 6 March to Tuesday 18 March 2031, three posts a week.
    campaign = make_campaign(
        commune,
        editor,
        starts_on=dt.date(2031, 3, 6),
        ends_on=dt.date(2031, 3, 18),
        posts_per_week=3,
    )
    weeks = weeks_of(campaign, [dt.date(2031, 3, 7), dt.date(2031, 3, 12)])
    assert [(w.starts_on.day, w.ends_on.day) for w in weeks] == [
        (6, 9),
        (10, 16),
        (17, 18),
    ]
    assert [(w.planned, w.expected, w.missing) for w in weeks] == [
        (1, 2, 1),
        (1, 3, 2),
        (0, 1, 1),
    ]


def test_a_post_planned_late_on_sunday_in_paris_counts_in_that_week(
    commune, editor, post
):
    campaign = make_campaign(commune, editor, posts_per_week=1)
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    # Sunday 9 March 2031, 23:30 in Paris is Sunday 22:30 UTC.
    Post.objects.filter(pk=post.pk).update(
        planned_at=dt.datetime(2031, 3, 9, 22, 30, tzinfo=dt.UTC)
    )
    detail = campaign_detail(campaign=campaign, today=dt.date(2031, 1, 1))
    assert [week.planned for week in detail.weeks] == [1, 0, 0, 0]
    assert len(detail.gaps) == 3
    assert detail.groups[0].label == "Brouillon"
