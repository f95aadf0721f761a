"""`parvis worker`: run tasks from the database queue with several threads.

Each thread is a django_tasks_db Worker with its own id and database connection; the
queue is claimed with row locks (PostgreSQL) or an exclusive transaction (SQLite), so any
number of these processes, on any number of machines, share one queue. Publishing waits
on the networks, hence threads: a slow network does not hold the whole queue.

SIGINT/SIGTERM: every thread finishes its current task, then the process exits.
"""

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from parvis.system.services import heartbeat_beat

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5


class Command(BaseCommand):
    help = "Run the task worker (several threads sharing the database queue)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WORKER_THREADS", "4"))
        )
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--batch", action="store_true", help="Run what is due, then exit."
        )

    def handle(self, *args, threads, queue_name, interval, batch, **options):
        base_id = f"{socket.gethostname()}:{os.getpid()}"
        workers = [
            Worker(
                queue_names=queue_name.split(","),
                interval=interval,
                batch=batch,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=not batch,
                max_tasks=None,
                worker_id=f"{base_id}:{index}"[:64],
                excluded_queue_names=[],
            )
            for index in range(max(1, threads))
        ]

        def stop(signum, frame):
            self.stderr.write(f"{signal.strsignal(signum)}: finishing current tasks.")
            for worker in workers:
                worker.running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        def run(worker: Worker) -> None:
            try:
                worker.run()
            finally:
                connection.close()

        beating = threading.Event()

        def beat() -> None:
            # Lets the publishing dispatcher tell a dead worker from a slow network.
            while not beating.wait(HEARTBEAT_SECONDS):
                try:
                    heartbeat_beat(name=f"worker:{base_id}", detail=base_id)
                except Exception:  # a missed beat must not kill the worker
                    logger.exception("Worker heartbeat failed")
                finally:
                    connection.close()

        heartbeat_beat(name=f"worker:{base_id}", detail=base_id)
        threading.Thread(target=beat, daemon=True).start()
        pool = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
        for thread in pool:
            thread.start()
        self.stdout.write(f"Worker {base_id} running {len(pool)} threads.")
        for thread in pool:
            while thread.is_alive():
                thread.join(timeout=0.5)
        beating.set()
