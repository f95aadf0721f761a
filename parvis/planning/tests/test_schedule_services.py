"""The calendar slot and the hand-over to publishing (planning/services/schedule.py):
post_plan, post_schedule, post_unschedule, post_follow_publications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import Crisis, ReviewAction, ReviewEvent
from parvis.planning.tests.calendar_helpers import paris
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import PostState, Variant
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

PROMOTION = "Bilan du mandat : promesse tenue, grâce à l'équipe municipale !"


def soon(days=3, hour=10):
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days, hours=hour)


@pytest.fixture
def second_channel(commune, admin_user):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(access_token="t2"),
        account=AccountInfo(account_id="id-2", handle="@culture@social.example"),
        actor=admin_user,
    )


@pytest.fixture
def approved(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    post.refresh_from_db()
    return post


def states(post):
    return sorted(
        Publication.objects.filter(variant__post=post).values_list("state", flat=True)
    )


# -- post_plan ---------------------------------------------------------------------------
def test_a_draft_is_put_on_a_slot_and_the_audit_log_keeps_both_dates(post, editor):
    when = soon()
    services.post_plan(post=post, actor=editor, planned_at=when)
    post.refresh_from_db()
    assert post.planned_at == when
    entry = AuditEvent.objects.filter(action="planning.post_plan").get()
    assert entry.changes["planned_at"] == [None, when.isoformat()]


def test_a_draft_is_taken_off_the_calendar(post, editor):
    services.post_plan(post=post, actor=editor, planned_at=soon())
    services.post_plan(post=post, actor=editor, planned_at=None)
    post.refresh_from_db()
    assert post.planned_at is None


def test_a_naive_slot_is_a_programming_error(post, editor):
    with pytest.raises(ValueError):
        services.post_plan(post=post, actor=editor, planned_at=dt.datetime(2027, 1, 5))


def test_a_slot_in_the_past_is_refused_whatever_the_state(post, editor):
    with pytest.raises(ValidationError, match="Cette date est passée"):
        services.post_plan(
            post=post, actor=editor, planned_at=timezone.now() - dt.timedelta(hours=1)
        )


def test_an_agent_may_not_plan(post, agent):
    with pytest.raises(services.NotAllowed):
        services.post_plan(post=post, actor=agent, planned_at=soon())


def test_a_published_post_no_longer_moves(post, editor):
    post.state = PostState.PUBLISHED
    post.save()
    with pytest.raises(ValidationError, match="déjà partie"):
        services.post_plan(post=post, actor=editor, planned_at=soon())


def test_a_scheduled_post_moves_with_its_waiting_publications(
    approved, editor, channel
):
    services.post_schedule(post=approved, actor=editor, planned_at=soon(2))
    later = soon(5)
    services.post_plan(post=approved, actor=editor, planned_at=later)
    approved.refresh_from_db()
    assert approved.planned_at == later
    publications = Publication.objects.filter(variant__post=approved)
    assert {p.scheduled_at for p in publications} == {later}
    assert {p.next_attempt_at for p in publications} == {later}


def test_a_scheduled_post_keeps_its_date_until_unscheduled(approved, editor, channel):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    with pytest.raises(ValidationError, match="Déprogrammez"):
        services.post_plan(post=approved, actor=editor, planned_at=None)


def test_a_scheduled_post_with_one_publication_sent_no_longer_moves(
    approved, editor, channel
):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    first = Publication.objects.filter(variant__post=approved).first()
    Publication.objects.filter(pk=first.pk).update(state=PublicationState.PUBLISHING)
    with pytest.raises(ValidationError, match="en cours d'envoi"):
        services.post_plan(post=approved, actor=editor, planned_at=soon(5))


def test_a_channel_left_out_when_scheduled_again_does_not_block_nor_come_back(
    approved, editor, channel, second_channel
):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    assert states(approved) == ["pending"] * 4
    services.post_unschedule(post=approved, actor=editor)
    only_first = {v.pk: [channel] for v in approved.variants.all()}
    services.post_schedule(
        post=approved, actor=editor, channels=only_first, planned_at=soon()
    )
    later = soon(6)
    services.post_plan(post=approved, actor=editor, planned_at=later)
    on_second = Publication.objects.filter(
        variant__post=approved, channel=second_channel
    )
    assert set(on_second.values_list("state", flat=True)) == {"cancelled"}
    on_first = Publication.objects.filter(variant__post=approved, channel=channel)
    assert {(p.state, p.scheduled_at) for p in on_first} == {("pending", later)}


def test_an_approved_post_cannot_move_onto_the_day_of_a_vote(
    commune, editor, validator
):
    from parvis.studio.models import Post

    post = Post.objects.create(authority=commune, title="Bilan", created_by=editor)
    Variant.objects.create(post=post, network="mastodon", parts=[PROMOTION])
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(
        post=post, actor=validator, comment="Information obligatoire, validée."
    )
    vote = commune.elections.order_by("first_round").first().first_round
    with pytest.raises(ValidationError):
        services.post_plan(
            post=post, actor=editor, planned_at=paris(*vote.timetuple()[:3], 10)
        )
    post.refresh_from_db()
    assert post.planned_at is None


# -- post_schedule -----------------------------------------------------------------------
def test_scheduling_creates_one_publication_per_variant_on_its_network_channels(
    approved, editor, channel
):
    when = soon()
    publications = services.post_schedule(post=approved, actor=editor, planned_at=when)
    approved.refresh_from_db()
    assert approved.state == PostState.SCHEDULED
    assert approved.planned_at == when
    assert len(publications) == 2
    assert {p.channel_id for p in publications} == {channel.pk}
    assert {p.scheduled_at for p in publications} == {when}
    event = ReviewEvent.objects.filter(post=approved).last()
    assert event.action == ReviewAction.SCHEDULE
    assert "@ville@social.example" in event.comment


def test_scheduling_uses_the_slot_already_planned(approved, editor, channel):
    when = soon(4)
    services.post_plan(post=approved, actor=editor, planned_at=when)
    publications = services.post_schedule(post=approved, actor=editor)
    assert {p.scheduled_at for p in publications} == {when}


def test_scheduling_goes_only_to_the_chosen_channels(
    approved, editor, channel, second_channel
):
    chosen = {v.pk: [second_channel] for v in approved.variants.all()}
    publications = services.post_schedule(
        post=approved, actor=editor, channels=chosen, planned_at=soon()
    )
    assert {p.channel_id for p in publications} == {second_channel.pk}


def test_a_post_not_approved_is_not_scheduled(post, editor, channel):
    with pytest.raises(ValidationError, match="Seule une publication approuvée"):
        services.post_schedule(post=post, actor=editor, planned_at=soon())
    assert not Publication.objects.exists()


def test_scheduling_without_a_date_or_in_the_past_is_refused(approved, editor, channel):
    with pytest.raises(ValidationError, match="Choisissez d'abord la date"):
        services.post_schedule(post=approved, actor=editor)
    with pytest.raises(ValidationError, match="passée"):
        services.post_schedule(
            post=approved,
            actor=editor,
            planned_at=timezone.now() - dt.timedelta(hours=2),
        )
    approved.refresh_from_db()
    assert approved.state == PostState.APPROVED


def test_a_variant_without_a_channel_stops_the_whole_scheduling(
    approved, editor, channel
):
    Variant.objects.create(post=approved, network="linkedin", parts=["Fête du jeu."])
    with pytest.raises(ValidationError, match="Aucun canal connecté pour : LinkedIn"):
        services.post_schedule(post=approved, actor=editor, planned_at=soon())
    assert not Publication.objects.exists()
    approved.refresh_from_db()
    assert approved.state == PostState.APPROVED


def test_a_channel_of_another_authority_is_refused(
    approved, editor, channel, other_authority
):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    foreign = channel_connect(
        authority=other_authority,
        network="mastodon",
        credentials=Credentials(access_token="t"),
        account=AccountInfo(account_id="lyon", handle="@lyon@social.example"),
        actor=None,
    )
    chosen = {v.pk: [foreign] for v in approved.variants.all()}
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.post_schedule(
            post=approved, actor=editor, channels=chosen, planned_at=soon()
        )
    assert not Publication.objects.exists()


def test_during_a_crisis_scheduled_publications_wait_paused(
    approved, editor, channel, commune
):
    Crisis.objects.create(
        authority=commune,
        title="Tempête",
        message="Restez chez vous.",
        started_at=timezone.now(),
    )
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    assert states(approved) == ["paused", "paused"]
    approved.refresh_from_db()
    assert approved.state == PostState.SCHEDULED


# -- post_unschedule ---------------------------------------------------------------------
def test_unscheduling_cancels_what_waits_and_keeps_the_slot(approved, editor, channel):
    when = soon()
    services.post_schedule(post=approved, actor=editor, planned_at=when)
    services.post_unschedule(post=approved, actor=editor)
    approved.refresh_from_db()
    assert (approved.state, approved.planned_at) == (PostState.APPROVED, when)
    assert states(approved) == ["cancelled", "cancelled"]
    assert ReviewEvent.objects.filter(post=approved).last().action == "unschedule"


def test_unscheduling_is_refused_once_a_publication_has_left(approved, editor, channel):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    first = Publication.objects.filter(variant__post=approved).first()
    Publication.objects.filter(pk=first.pk).update(state=PublicationState.PUBLISHED)
    with pytest.raises(ValidationError, match="Trop tard"):
        services.post_unschedule(post=approved, actor=editor)


def test_a_post_scheduled_twice_can_be_unscheduled_again(
    approved, editor, channel, second_channel
):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    services.post_unschedule(post=approved, actor=editor)
    only_first = {v.pk: [channel] for v in approved.variants.all()}
    services.post_schedule(
        post=approved, actor=editor, channels=only_first, planned_at=soon()
    )
    services.post_unschedule(post=approved, actor=editor)
    approved.refresh_from_db()
    assert approved.state == PostState.APPROVED
    assert states(approved) == ["cancelled"] * 4


def test_only_a_scheduled_post_is_unscheduled(approved, editor):
    with pytest.raises(ValidationError, match="n'est pas programmée"):
        services.post_unschedule(post=approved, actor=editor)


# -- post_follow_publications ------------------------------------------------------------
@pytest.fixture
def scheduled(approved, editor, channel):
    services.post_schedule(post=approved, actor=editor, planned_at=soon())
    return approved


def set_states(post, *values):
    publications = Publication.objects.filter(variant__post=post).order_by("pk")
    for publication, value in zip(publications, values, strict=True):
        Publication.objects.filter(pk=publication.pk).update(state=value)


def test_the_post_stays_scheduled_while_one_publication_waits(scheduled):
    set_states(scheduled, "published", "pending")
    assert services.post_follow_publications(post_id=scheduled.pk) is None


def test_the_post_is_published_when_every_publication_went_out(scheduled):
    set_states(scheduled, "published", "cancelled")
    assert services.post_follow_publications(post_id=scheduled.pk) == "published"
    scheduled.refresh_from_db()
    assert scheduled.state == PostState.PUBLISHED


def test_the_post_failed_when_one_publication_failed(scheduled):
    set_states(scheduled, "published", "failed")
    assert services.post_follow_publications(post_id=scheduled.pk) == "failed"


def test_a_post_whose_publications_were_all_cancelled_is_approved_again(scheduled):
    set_states(scheduled, "cancelled", "cancelled")
    assert services.post_follow_publications(post_id=scheduled.pk) == "approved"


def test_a_post_never_handed_over_is_left_alone(post):
    assert services.post_follow_publications(post_id=post.pk) is None
    assert services.post_follow_publications(post_id=999_999) is None
