"""Campaign writes: create and change (indicators by objective, the authority's own
audiences and channels, slug), delete (posts kept), a post in a campaign (slug of its
links), and the pre-election guard on posts of a campaign promoting achievements."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning.kpis import allowed_kpis
from parvis.planning.models import Campaign, Objective
from parvis.planning.services import (
    NotAllowed,
    campaign_delete,
    campaign_save,
    post_approve,
    post_set_campaign,
    post_submit_for_review,
)
from parvis.studio.models import Post, PostState, Variant
from parvis.system.models import AuditEvent
from parvis.territory.models import Election

pytestmark = pytest.mark.django_db

START = dt.date(2031, 3, 3)


def values(**changes):
    return {
        "name": "Fête de la mer",
        "objective": Objective.ATTRACTIVITE,
        "starts_on": START,
        "ends_on": START + dt.timedelta(days=27),
        **changes,
    }


def make_campaign(authority, actor, **changes):
    return campaign_save(authority=authority, actor=actor, values=values(**changes))


def other_channel(other_authority):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    return channel_connect(
        authority=other_authority,
        network="mastodon",
        credentials=Credentials(access_token="t"),
        account=AccountInfo(account_id="id-9", handle="@lyon@social.example"),
        actor=None,
    )


# -- create and change --------------------------------------------------------------------
def test_a_new_campaign_gets_a_slug_from_its_name_and_the_defaults_of_its_objective(
    commune, editor
):
    campaign = make_campaign(commune, editor)
    assert campaign.slug == "fete-de-la-mer"
    assert campaign.kpis == ["clics", "visites_site", "partages", "portee"]
    assert campaign.created_by == editor
    event = AuditEvent.objects.get(action="planning.campaign_create")
    assert event.authority == commune and event.target_id == str(campaign.pk)


def test_two_campaigns_of_the_same_name_get_distinct_slugs(commune, editor):
    first = make_campaign(commune, editor)
    second = make_campaign(commune, editor)
    assert (first.slug, second.slug) == ("fete-de-la-mer", "fete-de-la-mer-2")


def test_another_authority_may_use_the_same_slug(commune, editor, other_authority):
    from parvis.accounts.models import Membership

    make_campaign(commune, editor)
    other_admin = Membership.objects.get(authority=other_authority).user
    assert make_campaign(other_authority, other_admin).slug == "fete-de-la-mer"


def test_a_slug_already_taken_is_refused_in_french(commune, editor):
    make_campaign(commune, editor)
    with pytest.raises(ValidationError) as error:
        make_campaign(commune, editor, name="Autre", slug="fete-de-la-mer")
    assert "sert déjà à la campagne « Fête de la mer »" in str(error.value)


def test_indicators_of_another_objective_are_refused(commune, editor):
    with pytest.raises(ValidationError) as error:
        make_campaign(
            commune, editor, objective=Objective.NOTORIETE, kpis=["contributions"]
        )
    assert error.value.message_dict["kpis"] == [
        "Ces indicateurs ne se mesurent pas pour l'objectif « Notoriété » : "
        "Contributions."
    ]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("objective", Objective.values)
def test_every_allowed_indicator_of_an_objective_is_accepted(
    commune, editor, objective
):
    slugs = [kpi.slug for kpi in allowed_kpis(objective)]
    campaign = make_campaign(commune, editor, objective=objective, kpis=slugs)
    assert campaign.kpis == slugs


def test_the_end_before_the_start_and_a_negative_budget_are_refused(commune, editor):
    with pytest.raises(ValidationError) as error:
        make_campaign(
            commune,
            editor,
            ends_on=START - dt.timedelta(days=1),
            budget=Decimal("-5"),
        )
    assert set(error.value.message_dict) == {"ends_on", "budget"}


def test_audiences_and_channels_of_another_authority_are_refused(
    commune, editor, other_authority, channel
):
    foreign_audience = other_authority.audiences.first()
    with pytest.raises(ValidationError, match="Ce public n'appartient pas"):
        make_campaign(commune, editor, audiences=[foreign_audience.pk])
    with pytest.raises(ValidationError, match="Ce canal n'appartient pas"):
        make_campaign(
            commune, editor, channels=[channel, other_channel(other_authority)]
        )
    assert not Campaign.objects.exists()


def test_a_campaign_keeps_its_own_audiences_and_channels(commune, editor, channel):
    families = commune.audiences.get(slug="familles")
    campaign = make_campaign(commune, editor, audiences=[families], channels=[channel])
    assert list(campaign.audiences.all()) == [families]
    assert list(campaign.channels.all()) == [channel]
    campaign = campaign_save(
        authority=commune,
        actor=editor,
        campaign=campaign,
        values={"name": "Fête de la mer 2031", "audiences": []},
    )
    assert campaign.name == "Fête de la mer 2031"
    assert campaign.slug == "fete-de-la-mer"  # a rename keeps the links' slug
    assert not campaign.audiences.exists()
    assert list(campaign.channels.all()) == [channel]
    event = AuditEvent.objects.get(action="planning.campaign_update")
    assert event.changes["name"] == ["Fête de la mer", "Fête de la mer 2031"]
    assert event.changes["audiences"] == [[str(families)], []]
    assert "channels" not in event.changes


def test_a_new_slug_reaches_the_posts_of_the_campaign(commune, editor, post):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    campaign_save(
        authority=commune, actor=editor, campaign=campaign, values={"slug": "mer-2031"}
    )
    post.refresh_from_db()
    assert post.campaign_slug == "mer-2031"


def test_the_slug_no_longer_changes_once_a_post_is_published(commune, editor, post):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED)
    with pytest.raises(ValidationError, match="il ne change plus"):
        campaign_save(
            authority=commune,
            actor=editor,
            campaign=campaign,
            values={"slug": "mer-2031"},
        )


def test_only_writers_change_campaigns(commune, editor, elected, agent):
    for member in (elected, agent):
        with pytest.raises(NotAllowed):
            make_campaign(commune, member)
    campaign = make_campaign(commune, editor)
    with pytest.raises(NotAllowed):
        campaign_delete(campaign=campaign, actor=elected)


# -- delete -------------------------------------------------------------------------------
def test_deleting_a_campaign_keeps_its_posts_and_their_links(commune, editor, post):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    assert campaign_delete(campaign=campaign, actor=editor) == 1
    post.refresh_from_db()
    assert post.campaign is None
    assert post.campaign_slug == "fete-de-la-mer"
    event = AuditEvent.objects.get(action="planning.campaign_delete")
    assert "Fête de la mer" in event.summary and event.changes["posts"] == [1, 0]


# -- a post in a campaign -----------------------------------------------------------------
@pytest.fixture
def linked_post(commune, editor):
    from parvis.studio.services import post_create_blank

    return post_create_blank(
        authority=commune,
        actor=editor,
        title="Fête du jeu",
        text="La Fête du jeu a lieu samedi 14 juin au parc des Chênes, dès 10 h.",
        url="https://www.saint-malo.example/fete-du-jeu",
        networks=["mastodon", "instagram"],
        audience_ids=[commune.audiences.get(slug="habitants").pk],
    )


def test_a_post_takes_the_slug_of_its_campaign_in_its_links(
    commune, editor, linked_post
):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=linked_post, campaign=campaign, actor=editor)
    linked_post.refresh_from_db()
    assert linked_post.campaign == campaign
    assert linked_post.campaign_slug == "fete-de-la-mer"
    mastodon = linked_post.variants.get(network="mastodon")
    assert "utm_campaign=fete-de-la-mer" in mastodon.link
    assert mastodon.link in mastodon.text
    assert not mastodon.is_edited  # re-tagging is not an edit of the team
    assert "utm_campaign=parvis" not in mastodon.text
    event = AuditEvent.objects.get(action="planning.post_set_campaign")
    assert event.changes["campaign_slug"] == ["", "fete-de-la-mer"]


def test_a_regenerated_variant_keeps_the_campaign_slug(commune, editor, linked_post):
    from parvis.studio.services import variant_regenerate

    campaign = make_campaign(commune, editor)
    post_set_campaign(post=linked_post, campaign=campaign, actor=editor)
    variant = linked_post.variants.get(network="mastodon")
    variant = variant_regenerate(variant=variant, actor=editor)
    assert "utm_campaign=fete-de-la-mer" in variant.link


def test_past_the_draft_the_approved_text_keeps_its_links(commune, editor, linked_post):
    campaign = make_campaign(commune, editor)
    post_submit_for_review(post=linked_post, actor=editor)
    post_set_campaign(post=linked_post, campaign=campaign, actor=editor)
    linked_post.refresh_from_db()
    assert linked_post.campaign_slug == "fete-de-la-mer"
    assert "utm_campaign=parvis" in linked_post.variants.get(network="mastodon").link


def test_taking_a_post_out_of_its_campaign_clears_the_campaign_slug(
    commune, editor, post
):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    post_set_campaign(post=post, campaign=None, actor=editor)
    post.refresh_from_db()
    assert (post.campaign, post.campaign_slug) == (None, "")
    assert AuditEvent.objects.filter(action="planning.post_set_campaign").count() == 2


def test_a_campaign_of_another_authority_is_refused(
    commune, editor, post, other_authority
):
    foreign = Campaign.objects.create(
        authority=other_authority,
        name="Lyon",
        slug="lyon",
        objective=Objective.IMAGE,
        starts_on=START,
        ends_on=START,
    )
    with pytest.raises(ValidationError, match="n'appartient pas"):
        post_set_campaign(post=post, campaign=foreign, actor=editor)
    post.refresh_from_db()
    assert post.campaign is None and post.campaign_slug == ""


# -- the pre-election guard ---------------------------------------------------------------
@pytest.fixture
def in_window(commune):
    commune.elections.all().delete()
    Election.objects.create(
        authority=commune,
        kind="municipales",
        first_round=timezone.localdate() + dt.timedelta(days=60),
    )


SERVICE = "La piscine est fermée du 3 au 5 mars pour vidange."


def service_post(commune, editor, campaign):
    post = Post.objects.create(authority=commune, title="Piscine", created_by=editor)
    Variant.objects.create(post=post, network="facebook", parts=[SERVICE])
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    post_submit_for_review(post=post, actor=editor)
    return post


def test_a_post_of_a_campaign_promoting_achievements_needs_a_justification(
    commune, editor, validator, in_window
):
    campaign = make_campaign(
        commune, editor, objective=Objective.IMAGE, promotes_achievements=True
    )
    post = service_post(commune, editor, campaign)
    with pytest.raises(ValidationError) as error:
        post_approve(post=post, actor=validator)
    assert "promotion des réalisations" in str(error.value)
    assert "justifiez" in str(error.value)
    post_approve(
        post=post,
        actor=validator,
        comment="Campagne annuelle identique depuis 2019, sans bilan : validée DGS.",
    )
    post.refresh_from_db()
    assert post.state == PostState.APPROVED


def test_the_same_post_outside_such_a_campaign_needs_none(
    commune, editor, validator, in_window
):
    campaign = make_campaign(commune, editor, objective=Objective.INFORMATION_SERVICE)
    post = service_post(commune, editor, campaign)
    post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED


def test_an_approved_post_joins_a_promoting_campaign_only_with_its_justification(
    commune, editor, validator, in_window
):
    post = service_post(commune, editor, None)
    post_approve(post=post, actor=validator)
    campaign = make_campaign(
        commune, editor, objective=Objective.IMAGE, promotes_achievements=True
    )
    with pytest.raises(ValidationError, match="déjà approuvée"):
        post_set_campaign(post=post, campaign=campaign, actor=editor)
    post.refresh_from_db()
    assert post.campaign is None


def test_a_new_slug_retags_the_links_of_the_drafts_of_the_campaign(
    commune, editor, linked_post
):
    campaign = make_campaign(commune, editor)
    post_set_campaign(post=linked_post, campaign=campaign, actor=editor)
    campaign_save(
        authority=commune, actor=editor, campaign=campaign, values={"slug": "mer-2031"}
    )
    mastodon = linked_post.variants.get(network="mastodon")
    assert "utm_campaign=mer-2031" in mastodon.link
    assert mastodon.link in mastodon.text
