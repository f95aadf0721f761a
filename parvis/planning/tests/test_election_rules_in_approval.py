"""Approving in a pre-election window: promotion needs a justification; the eve and
the day of the vote refuse political content whatever it says."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning.services import post_approve, post_submit_for_review
from parvis.studio.models import Post, Variant
from parvis.territory.models import Election

pytestmark = pytest.mark.django_db

PROMOTION = "Bilan du mandat : promesse tenue, grâce à l'équipe municipale !"
SERVICE = "La piscine est fermée du 3 au 5 mars pour vidange."


def post_with(commune, editor, text):
    post = Post.objects.create(authority=commune, title="Message", created_by=editor)
    Variant.objects.create(post=post, network="facebook", parts=[text])
    post_submit_for_review(post=post, actor=editor)
    return post


@pytest.fixture
def in_window(commune):
    commune.elections.all().delete()
    Election.objects.create(
        authority=commune,
        kind="municipales",
        first_round=timezone.localdate() + dt.timedelta(days=60),
    )


def test_promotion_in_a_window_needs_a_justification(
    commune, editor, validator, in_window
):
    post = post_with(commune, editor, PROMOTION)
    with pytest.raises(ValidationError, match="justifiez"):
        post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert post.state == "in_review"
    post_approve(
        post=post,
        actor=validator,
        comment="Information obligatoire sur l'exécution du budget, validée par la DGS.",
    )
    post.refresh_from_db()
    assert post.state == "approved"


def test_service_information_is_approved_without_justification(
    commune, editor, validator, in_window
):
    post = post_with(commune, editor, SERVICE)
    post_approve(post=post, actor=validator)
    post.refresh_from_db()
    assert post.state == "approved"


def test_political_content_is_refused_on_the_day_of_the_vote(
    commune, editor, validator
):
    commune.elections.all().delete()
    Election.objects.create(
        authority=commune, kind="municipales", first_round=timezone.localdate()
    )
    post = post_with(commune, editor, PROMOTION)
    with pytest.raises(ValidationError):
        post_approve(post=post, actor=validator, comment="Justification")
