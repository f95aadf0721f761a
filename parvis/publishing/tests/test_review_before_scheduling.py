"""A language model's text reaches a network only after a person has saved it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning.services import post_approve
from parvis.publishing.models import Publication
from parvis.publishing.services import publication_schedule
from parvis.studio import services

pytestmark = pytest.mark.django_db


def test_a_variant_rewritten_by_the_model_is_scheduled_only_once_saved_and_approved(
    variant, channel, editor, validator
):
    variant.rewritten_by_model = True
    variant.save(update_fields=["rewritten_by_model"])

    with pytest.raises(ValidationError) as caught:
        publication_schedule(
            variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
        )
    assert caught.value.messages == [
        "Relisez et enregistrez la proposition de l'IA avant de la programmer."
    ]
    assert not Publication.objects.exists()

    services.variant_update(
        variant=variant, parts=variant.parts, image_alt="", actor=editor
    )
    variant.post.refresh_from_db()
    assert variant.post.state == "in_review"  # saved text is not approved text
    with pytest.raises(ValidationError, match="approuvée"):
        publication_schedule(
            variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
        )
    post_approve(post=variant.post, actor=validator)
    publication_schedule(
        variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    assert Publication.objects.filter(variant=variant).exists()


def test_a_scheduled_variant_is_not_handed_to_the_model(
    settings, variant, channel, editor
):
    settings.LLM_API_URL = "https://llm.example.fr/v1"
    publication_schedule(
        variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    # No HTTP client given: reaching the network would fail the test.
    with pytest.raises(ValidationError, match="annulez sa programmation"):
        services.variant_rewrite(variant=variant, actor=editor)
    variant.refresh_from_db()
    assert not variant.rewritten_by_model
