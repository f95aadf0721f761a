"""Reads of the publishing app."""

from typing import Any

from django.db.models import QuerySet

from parvis.publishing.models import Publication


def publications_of(*, authority: Any, state: str = "") -> QuerySet[Publication]:
    publications = Publication.objects.filter(authority=authority).select_related(
        "channel", "variant", "variant__post"
    )
    if state:
        publications = publications.filter(state=state)
    return publications.order_by("-scheduled_at")
