import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import ReviewAction, ReviewEvent
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import PostState

pytestmark = pytest.mark.django_db


def test_the_urgent_path_approves_every_level_and_publishes_now(
    two_levels, post, validator, channel
):
    before = timezone.now()
    publications = services.post_approve_and_publish_now(
        post=post, actor=validator, channels=[channel]
    )
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.SCHEDULED, 2)
    assert len(publications) == 2
    for publication in Publication.objects.all():
        assert publication.state == PublicationState.PENDING
        assert publication.channel == channel
        assert before <= publication.scheduled_at <= timezone.now()
        assert publication.next_attempt_at <= timezone.now()
    event = ReviewEvent.objects.get(post=post)
    assert (event.action, event.level) == (ReviewAction.URGENT, 2)


def test_the_urgent_path_changes_nothing_when_a_variant_is_an_unsaved_ai_proposal(
    post, validator, channel
):
    post.variants.filter(pk=post.variants.first().pk).update(rewritten_by_model=True)
    with pytest.raises(ValidationError, match="proposition de l'IA"):
        services.post_approve_and_publish_now(
            post=post, actor=validator, channels=[channel]
        )
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert not Publication.objects.exists()
    assert not ReviewEvent.objects.exists()


def test_the_urgent_path_needs_a_channel_for_every_network(post, validator):
    with pytest.raises(ValidationError, match="Aucun canal"):
        services.post_approve_and_publish_now(post=post, actor=validator, channels=[])


def test_the_urgent_path_runs_once(post, validator, channel):
    services.post_approve_and_publish_now(
        post=post, actor=validator, channels=[channel]
    )
    with pytest.raises(ValidationError, match="déjà changé d'état"):
        services.post_approve_and_publish_now(
            post=post, actor=validator, channels=[channel]
        )
    assert Publication.objects.count() == 2
