"""Tasks of the sources app: ids in, one service call."""

from django.tasks import task

from parvis.sources import services
from parvis.sources.models import Source


@task()
def poll_source(source_id: int) -> str:
    source = (
        Source.objects.select_related("authority")
        .filter(pk=source_id, is_active=True)
        .first()
    )
    if source is None:  # deleted or paused since it was enqueued
        return "skipped"
    return services.source_poll(source=source).summary()


@task(priority=40)
def poll_due_sources() -> int:
    return services.sources_enqueue_due()
