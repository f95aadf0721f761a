"""Tasks of the system app."""

import os
import socket

from django.tasks import task

from parvis.system.services import heartbeat_beat


@task()
def worker_heartbeat() -> None:
    """Run by a worker: proves the queue is drained (enqueued by the scheduler)."""
    heartbeat_beat(name="worker", detail=f"{socket.gethostname()}:{os.getpid()}")
