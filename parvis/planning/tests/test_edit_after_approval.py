import pytest

from parvis.planning import services
from parvis.planning.models import ReviewAction, ReviewEvent
from parvis.studio import services as studio
from parvis.studio.models import PostState
from parvis.system.models import Notification

pytestmark = pytest.mark.django_db


def test_an_edit_after_approval_sends_the_post_back_to_review_with_a_diff(
    post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    Notification.objects.all().delete()
    variant = post.variants.order_by("pk").first()
    studio.variant_update(
        variant=variant, parts=["Fête du jeu dimanche."], image_alt="", actor=editor
    )
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.IN_REVIEW, 0)
    event = ReviewEvent.objects.filter(post=post).last()
    assert event.action == ReviewAction.REOPEN
    assert "-Fête du jeu samedi" in event.diff
    assert "+Fête du jeu dimanche." in event.diff
    assert Notification.objects.filter(user=validator).count() == 1


def test_an_edit_after_the_first_of_two_levels_starts_the_review_again(
    two_levels, post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    studio.variant_update(
        variant=post.variants.first(), parts=["Autre."], image_alt="", actor=editor
    )
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.IN_REVIEW, 0)


def test_an_edit_of_a_draft_or_a_post_awaiting_its_first_approval_moves_nothing(
    post, editor
):
    variant = post.variants.first()
    studio.variant_update(variant=variant, parts=["Un."], image_alt="", actor=editor)
    services.post_submit_for_review(post=post, actor=editor)
    studio.variant_update(variant=variant, parts=["Deux."], image_alt="", actor=editor)
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW
    assert not ReviewEvent.objects.filter(action=ReviewAction.REOPEN).exists()


def test_a_regeneration_after_approval_sends_the_post_back_to_review(
    post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    studio.variant_regenerate(variant=post.variants.first(), actor=editor)
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW


def test_the_resubmission_after_a_rejection_shows_what_changed(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_reject(post=post, actor=validator, comment="L'horaire manque.")
    variant = post.variants.order_by("pk").first()
    studio.variant_update(
        variant=variant, parts=["Samedi de 14 h à 19 h."], image_alt="", actor=editor
    )
    services.post_submit_for_review(post=post, actor=editor)
    event = ReviewEvent.objects.filter(post=post).last()
    assert "+Samedi de 14 h à 19 h." in event.diff
