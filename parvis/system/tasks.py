"""Tasks of the system app."""

import os
import socket

from django.tasks import task

from parvis.system.services import heartbeat_beat


@task()
def worker_heartbeat() -> None:
    """Run by a worker: proves the queue is drained (enqueued by the scheduler)."""
    heartbeat_beat(name="worker", detail=f"{socket.gethostname()}:{os.getpid()}")


@task()
def prune_heartbeats() -> int:
    """Forget worker processes silent for a day (one row per process start)."""
    from datetime import timedelta

    from django.utils import timezone

    from parvis.system.models import Heartbeat

    deleted, _ = Heartbeat.objects.filter(
        name__startswith="worker:", beat_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    return deleted
