"""Reads of the channels app."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from parvis.channels.models import Channel


def channels_of(*, authority: Any) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(authority=authority)
        .annotate(
            pending_count=Count(
                "publications",
                filter=Q(publications__state__in=["pending", "queued"]),
            )
        )
        .order_by("network", "handle")
    )
