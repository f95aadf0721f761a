import pytest

from parvis.planning import services
from parvis.planning.services import NotAllowed
from parvis.studio.models import PostState

pytestmark = pytest.mark.django_db


def test_an_editor_cannot_approve(post, editor, validator):
    services.post_submit_for_review(post=post, actor=validator)
    with pytest.raises(NotAllowed):
        services.post_approve(post=post, actor=editor)


def test_an_agent_cannot_submit(post, agent):
    with pytest.raises(NotAllowed):
        services.post_submit_for_review(post=post, actor=agent)
    post.refresh_from_db()
    assert post.state == PostState.DRAFT


def test_an_elected_member_cannot_approve_a_one_level_circuit(post, editor, elected):
    services.post_submit_for_review(post=post, actor=editor)
    with pytest.raises(NotAllowed):
        services.post_approve(post=post, actor=elected)


def test_an_admin_can_do_everything(post, admin_user, editor):
    services.post_submit_for_review(post=post, actor=admin_user)
    services.post_reject(post=post, actor=admin_user, comment="Trop long.")
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=admin_user)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED


def test_nobody_approves_their_own_post_when_another_validator_exists(
    post, validator, admin_user
):
    from conftest import make_user
    from parvis.accounts.services import membership_set

    other = make_user("dgs@saint-malo.example")
    membership_set(
        authority=post.authority, user=other, role="validator", actor=admin_user
    )
    services.post_submit_for_review(post=post, actor=validator)
    with pytest.raises(NotAllowed, match="propre publication"):
        services.post_approve(post=post, actor=validator)
    services.post_approve(post=post, actor=other)


def test_the_only_validator_may_approve_their_own_post(post, validator):
    services.post_submit_for_review(post=post, actor=validator)
    services.post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED


def test_an_agent_cannot_publish_urgently(post, agent, channel):
    with pytest.raises(NotAllowed):
        services.post_approve_and_publish_now(
            post=post, actor=agent, channels=[channel]
        )


def test_an_editor_cannot_publish_urgently(post, editor, channel):
    with pytest.raises(NotAllowed):
        services.post_approve_and_publish_now(
            post=post, actor=editor, channels=[channel]
        )
