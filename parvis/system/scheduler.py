"""The scheduler loop: enqueue due periodic work, once per slot, whoever runs it.

Each periodic job has an interval; time is cut into slots of that interval and a slot is
enqueued only by the scheduler that claims it (`scheduled_run_claim`), so running two
schedulers at once is safe: the second one finds the slot taken.
"""

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from parvis.system.services import (
    heartbeat_beat,
    scheduled_run_claim,
    scheduled_run_prune,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: int
    enqueue: Callable[[], object]


def default_jobs() -> list[PeriodicJob]:
    from django.conf import settings

    from parvis.channels.tasks import check_channel_expiry, collect_followers
    from parvis.inbox.tasks import (
        acknowledge_pending,
        classify_pending,
        detect_alerts,
        poll_channels,
        purge_expired,
        retrain_due,
        settle_replies,
    )
    from parvis.insights.tasks import send_monthly_reports
    from parvis.participation.tasks import (
        analyse_open_consultations,
        collect_contributions,
    )
    from parvis.publishing.tasks import collect_metrics, dispatch_publications
    from parvis.sources.tasks import poll_due_sources
    from parvis.system.tasks import prune_heartbeats, worker_heartbeat

    return [
        PeriodicJob("system.worker_heartbeat", 60, worker_heartbeat.enqueue),
        PeriodicJob("system.prune_heartbeats", 3600, prune_heartbeats.enqueue),
        PeriodicJob("channels.check_expiry", 1800, check_channel_expiry.enqueue),
        # Website sources: each one is checked when 30 minutes have passed.
        PeriodicJob("sources.poll_due", 900, poll_due_sources.enqueue),
        # Every tick: publications go out at their minute, give or take one tick.
        PeriodicJob(
            "publishing.dispatch",
            settings.SCHEDULER_TICK_SECONDS,
            dispatch_publications.enqueue,
        ),
        # Every connected account read for comments, mentions and messages.
        PeriodicJob(
            "inbox.poll_channels", settings.INBOX_POLL_SECONDS, poll_channels.enqueue
        ),
        # Counters of publications at 1 h, 24 h, 7 d and 30 d, when due (the interval
        # is publishing.metrics.COLLECT_INTERVAL).
        PeriodicJob("publishing.collect_metrics", 900, collect_metrics.enqueue),
        # Followers of each channel, once a day; hourly runs retry what failed.
        PeriodicJob("channels.collect_followers", 3600, collect_followers.enqueue),
        # Replies whose task was lost, or whose worker died mid-send.
        PeriodicJob("inbox.settle_replies", 300, settle_replies.enqueue),
        # Messages whose classification or receipt e-mail failed at reception.
        PeriodicJob("inbox.classify_pending", 300, classify_pending.enqueue),
        PeriodicJob("inbox.acknowledge_pending", 600, acknowledge_pending.enqueue),
        # Spikes of messages or of negative ones on a topic, against the baseline.
        PeriodicJob("inbox.detect_alerts", 900, detect_alerts.enqueue),
        # The authority's own model, retrained from new corrections, at night-ish.
        PeriodicJob("inbox.retrain_due", 6 * 3600, retrain_due.enqueue),
        # Retention: personal data of messages closed long ago, anonymised.
        PeriodicJob("inbox.purge_expired", 24 * 3600, purge_expired.enqueue),
        # Comments under a consultation's publications, read by the inbox's polling.
        PeriodicJob("participation.collect", 600, collect_contributions.enqueue),
        PeriodicJob("participation.analyse", 3600, analyse_open_consultations.enqueue),
        # Last month's measurement report, e-mailed once to each authority's list.
        PeriodicJob("insights.monthly_reports", 3 * 3600, send_monthly_reports.enqueue),
    ]


def run_due_jobs(
    *, jobs: list[PeriodicJob], scheduler_id: str, now: float | None = None
) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed. Returns their names."""
    now = time.time() if now is None else now
    enqueued = []
    for job in jobs:
        slot = int(now // job.interval_seconds)
        with transaction.atomic():
            if not scheduled_run_claim(job=job.name, slot=slot, scheduler=scheduler_id):
                continue
            transaction.on_commit(job.enqueue)
        enqueued.append(job.name)
        scheduled_run_prune(older_than_slots=100, job=job.name, slot=slot)
    return enqueued


def scheduler_loop(
    *, tick_seconds: int, jobs: list[PeriodicJob] | None = None, max_ticks: int = 0
) -> None:
    jobs = default_jobs() if jobs is None else jobs
    scheduler_id = f"{socket.gethostname()}:{os.getpid()}"
    logger.info("Scheduler %s started, tick %ss", scheduler_id, tick_seconds)
    ticks = 0
    while True:
        started = time.monotonic()
        try:
            names = run_due_jobs(jobs=jobs, scheduler_id=scheduler_id)
            heartbeat_beat(name="scheduler", detail=scheduler_id)
            if names:
                logger.info("Enqueued %s", ", ".join(names))
        except Exception:
            # A failing tick (database restarting, say) must not stop the loop.
            logger.exception("Scheduler tick failed at %s", timezone.now())
        ticks += 1
        if max_ticks and ticks >= max_ticks:
            return
        time.sleep(max(0.0, tick_seconds - (time.monotonic() - started)))
