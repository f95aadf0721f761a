import pytest

from parvis.planning import services
from parvis.planning.models import ReviewAction, ReviewEvent
from parvis.planning.services import NotAllowed
from parvis.studio.models import PostState
from parvis.system.models import Notification

pytestmark = pytest.mark.django_db


def test_two_levels_need_the_validator_then_the_elected(
    two_levels, post, editor, validator, elected
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.IN_REVIEW, 1)
    assert Notification.objects.filter(user=elected).count() == 1
    services.post_approve(post=post, actor=elected)
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.APPROVED, 2)
    levels = list(
        ReviewEvent.objects.filter(action=ReviewAction.APPROVE).values_list(
            "level", flat=True
        )
    )
    assert levels == [1, 2]


def test_an_elected_member_approves_only_as_second_level(
    two_levels, post, editor, elected
):
    services.post_submit_for_review(post=post, actor=editor)
    with pytest.raises(NotAllowed, match="second niveau"):
        services.post_approve(post=post, actor=elected)


def test_a_validator_cannot_approve_the_second_level(
    two_levels, post, editor, validator, elected
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    with pytest.raises(NotAllowed):
        services.post_approve(post=post, actor=validator)


def test_the_second_level_may_reject_back_to_draft(
    two_levels, post, editor, validator, elected
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    services.post_reject(post=post, actor=elected, comment="Pas avant le conseil.")
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.DRAFT, 0)
