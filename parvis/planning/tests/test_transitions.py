import pytest
from django.core.exceptions import ValidationError

from parvis.planning import services
from parvis.planning.models import ReviewAction, ReviewEvent
from parvis.studio.models import PostState
from parvis.system.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def test_an_editor_submits_a_draft_and_the_validators_are_told(
    post, editor, validator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit_for_review(post=post, actor=editor)
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW
    event = ReviewEvent.objects.get(post=post)
    assert (event.action, event.actor, event.state_before) == (
        ReviewAction.SUBMIT,
        editor,
        PostState.DRAFT,
    )
    assert len(event.snapshot) == 2
    assert Notification.objects.filter(user=validator).count() == 1
    assert Notification.objects.filter(user=editor).count() == 0
    assert [m.to for m in mailoutbox] == [[validator.email]]
    assert AuditEvent.objects.filter(action="planning.post_submit").exists()


def test_a_validator_approves_a_post_in_review(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.APPROVED, 1)
    assert Notification.objects.filter(user=editor).count() == 1


def test_a_rejection_needs_a_comment(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    with pytest.raises(ValidationError, match="commentaire est obligatoire"):
        services.post_reject(post=post, actor=validator, comment="   ")
    post.refresh_from_db()
    assert post.state == PostState.IN_REVIEW


def test_a_rejection_sends_the_post_back_to_draft_with_its_comment(
    post, editor, validator
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_reject(post=post, actor=validator, comment="Ajoutez l'horaire.")
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    event = ReviewEvent.objects.filter(post=post).last()
    assert (event.action, event.comment) == (ReviewAction.REJECT, "Ajoutez l'horaire.")
    assert Notification.objects.filter(user=editor).count() == 1


def test_a_writer_puts_an_approved_post_back_to_draft(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    services.post_back_to_draft(post=post, actor=editor)
    post.refresh_from_db()
    assert (post.state, post.approval_level) == (PostState.DRAFT, 0)


def test_a_second_approval_changes_nothing(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    with pytest.raises(ValidationError):
        services.post_approve(post=post, actor=validator)
    assert ReviewEvent.objects.filter(action=ReviewAction.APPROVE).count() == 1


def test_a_stale_copy_of_the_post_cannot_be_approved_twice(post, editor, validator):
    """Two requests that loaded the post before either approved it."""
    services.post_submit_for_review(post=post, actor=editor)
    from parvis.studio.models import Post

    first, second = Post.objects.get(pk=post.pk), Post.objects.get(pk=post.pk)
    services.post_approve(post=first, actor=validator)
    with pytest.raises(ValidationError, match="déjà changé d'état"):
        services.post_approve(post=second, actor=validator)
    assert ReviewEvent.objects.filter(action=ReviewAction.APPROVE).count() == 1


def test_a_draft_cannot_be_approved(post, validator):
    with pytest.raises(ValidationError, match="pas en relecture"):
        services.post_approve(post=post, actor=validator)


def test_an_ai_proposal_not_saved_cannot_be_submitted(post, editor):
    post.variants.update(rewritten_by_model=True)
    with pytest.raises(ValidationError, match="propositions de l'IA"):
        services.post_submit_for_review(post=post, actor=editor)
