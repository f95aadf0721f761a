"""Starting crisis mode: what pauses, what stays, the alert on every channel that can
take it, who may, and what is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import Crisis, ReviewAction, ReviewEvent
from parvis.planning.services import NotAllowed
from parvis.planning.tests.crisis_helpers import ALERT, connected_channels, scheduled
from parvis.publishing.models import Publication, PublicationState
from parvis.publishing.services import publication_schedule
from parvis.studio.models import PostState, Variant
from parvis.system.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
P = PublicationState


@pytest.fixture
def channels(commune, admin_user):
    return connected_channels(commune, admin_user)


def later(hours: int = 2) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def start(commune, validator, **kwargs):
    kwargs.setdefault("title", "Crue de la Rance")
    kwargs.setdefault("message", ALERT)
    return services.crisis_start(authority=commune, actor=validator, **kwargs)


def test_starting_pauses_every_waiting_publication_and_nothing_already_sent(
    commune, validator, channels
):
    mastodon = channels["mastodon"]
    pending = scheduled(commune, mastodon, later())
    queued = scheduled(commune, mastodon, later(-1), state=P.QUEUED)
    publishing = scheduled(commune, mastodon, later(-1), state=P.PUBLISHING)
    published = scheduled(commune, mastodon, later(-3), state=P.PUBLISHED)
    unknown = scheduled(commune, mastodon, later(-1), state=P.UNKNOWN)
    cancelled = scheduled(commune, mastodon, later(), state=P.CANCELLED)

    crisis = start(commune, validator)

    states = {
        p.pk: p.state
        for p in Publication.objects.filter(variant__post__is_crisis=False)
    }
    assert states == {
        pending.pk: P.PAUSED,
        queued.pk: P.PAUSED,
        publishing.pk: P.PUBLISHING,
        published.pk: P.PUBLISHED,
        unknown.pk: P.UNKNOWN,
        cancelled.pk: P.CANCELLED,
    }
    assert crisis.paused_count == 2
    # A paused post still waits: it stays scheduled.
    assert pending.variant.post.state == PostState.SCHEDULED


def test_another_authority_and_other_crisis_messages_are_not_paused(
    commune, validator, channels, other_authority
):
    from parvis.planning.tests.crisis_helpers import connect

    elsewhere = connect(other_authority, "mastodon", "@lyon", validator)
    theirs = scheduled(other_authority, elsewhere, later())
    earlier_alert = scheduled(commune, channels["mastodon"], later(), is_crisis=True)

    start(commune, validator)

    theirs.refresh_from_db()
    earlier_alert.refresh_from_db()
    assert (theirs.state, earlier_alert.state) == (P.PENDING, P.PENDING)


def test_the_alert_goes_now_on_every_channel_that_can_take_it(
    commune, validator, channels
):
    before = timezone.now()
    crisis = start(commune, validator)

    post = crisis.alert_post
    assert post.is_crisis and post.state == PostState.SCHEDULED
    alerts = Publication.objects.filter(variant__post=post)
    # Instagram publishes images only; the X account must be reconnected first.
    assert {p.channel.network for p in alerts} == {"mastodon", "bluesky"}
    for publication in alerts:
        assert publication.state == P.PENDING
        assert before <= publication.next_attempt_at <= timezone.now()
    assert [v.parts for v in Variant.objects.filter(post=post, network="mastodon")] == [
        [ALERT]
    ]


def test_the_alert_is_recorded_as_urgent_in_its_history(commune, validator, channels):
    crisis = start(commune, validator)
    [event] = ReviewEvent.objects.filter(post=crisis.alert_post)
    assert (event.action, event.state_before, event.state_after) == (
        ReviewAction.URGENT,
        PostState.DRAFT,
        PostState.SCHEDULED,
    )
    assert event.actor == validator
    assert "Crue de la Rance" in event.comment


def test_a_message_too_long_for_bluesky_becomes_a_numbered_thread_there_only(
    commune, validator, channels
):
    message = " ".join([ALERT] * 3)  # ~430 characters: over 300, under 500
    crisis = start(commune, validator, message=message)

    variants = {v.network: v.parts for v in crisis.alert_post.variants.all()}
    assert variants["mastodon"] == [message]
    assert len(variants["bluesky"]) == 2
    assert variants["bluesky"][0].endswith(" 1/2")
    assert all(len(part) <= 300 for part in variants["bluesky"])


def test_a_message_too_long_for_a_network_without_threads_is_refused_by_name(
    commune, validator, channels, admin_user
):
    from parvis.planning.tests.crisis_helpers import connect

    connect(commune, "linkedin", "ville-de-saint-malo", admin_user)
    with pytest.raises(ValidationError) as caught:
        start(commune, validator, message="Alerte. " * 400)  # 3,200 characters
    text = " ".join(caught.value.messages)
    assert "LinkedIn" in text and "3000" in text.replace("\u202f", "").replace(" ", "")
    assert not Crisis.objects.exists()


def test_the_channels_can_be_chosen_and_none_means_no_alert(
    commune, validator, channels
):
    pending = scheduled(commune, channels["mastodon"], later())
    crisis = start(commune, validator, channels=[])
    assert crisis.alert_post is None
    pending.refresh_from_db()
    assert pending.state == P.PAUSED


def test_a_channel_that_cannot_take_the_alert_is_refused(commune, validator, channels):
    with pytest.raises(ValidationError, match="ne peut pas publier l'alerte"):
        start(commune, validator, channels=[channels["instagram"]])
    assert not Crisis.objects.exists()


def test_a_second_start_is_refused_while_one_is_active(commune, validator, channels):
    start(commune, validator)
    with pytest.raises(ValidationError, match="déjà en cours"):
        start(commune, validator, title="Tempête")
    assert Crisis.objects.count() == 1


@pytest.mark.parametrize("role", ["editor", "elected", "agent"])
def test_only_validators_and_administrators_start_a_crisis(
    commune, channels, role, request
):
    with pytest.raises(NotAllowed):
        start(commune, request.getfixturevalue(role))
    assert not Crisis.objects.exists()


def test_an_administrator_may_start_one(commune, admin_user, channels):
    assert start(commune, admin_user).started_by == admin_user


def test_a_publication_scheduled_during_the_crisis_is_created_paused(
    commune, validator, editor, channels
):
    from parvis.studio.models import Post

    start(commune, validator)
    post = Post.objects.create(authority=commune, title="Fête", state="approved")
    variant = Variant.objects.create(post=post, network="mastodon", parts=["Fête"])
    publication = publication_schedule(
        variant=variant,
        channel=channels["mastodon"],
        scheduled_at=later(),
        actor=editor,
    )
    assert publication.state == P.PAUSED


def test_the_start_is_audited_notified_and_sends_the_dispatcher_at_once(
    commune, validator, editor, channels, django_capture_on_commit_callbacks
):
    pending = scheduled(commune, channels["mastodon"], later())
    with django_capture_on_commit_callbacks() as callbacks:
        crisis = start(commune, validator)

    event = AuditEvent.objects.get(action="crisis.start")
    assert event.actor == validator and event.authority == commune
    assert event.target_id == str(crisis.pk)
    assert event.changes["paused_publications"] == [None, [pending.pk]]
    assert Notification.objects.filter(
        user=editor, message__contains="Mode crise déclenché"
    ).exists()
    enqueued = [getattr(c, "__self__", None) for c in callbacks]
    from parvis.publishing.tasks import dispatch_publications

    assert dispatch_publications in enqueued


def test_a_failed_publication_retried_during_the_crisis_waits_paused(
    commune, validator, editor, channels
):
    from parvis.publishing.services import publication_retry

    failed = scheduled(commune, channels["mastodon"], later(-1), state=P.FAILED)
    start(commune, validator)
    publication_retry(publication=failed, actor=editor)
    failed.refresh_from_db()
    assert failed.state == P.PAUSED
