import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from parvis.system.models import Heartbeat, ScheduledRun
from parvis.system.scheduler import PeriodicJob, run_due_jobs
from parvis.system.services import heartbeat_beat
from parvis.system.tasks import worker_heartbeat


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_even_when_two_schedulers_tick_together(
    django_capture_on_commit_callbacks,
):
    calls = []
    jobs = [PeriodicJob("test.job", 60, lambda: calls.append(1))]
    with django_capture_on_commit_callbacks(execute=True):
        first = run_due_jobs(jobs=jobs, scheduler_id="a", now=1_000_000.0)
        second = run_due_jobs(jobs=jobs, scheduler_id="b", now=1_000_010.0)
        later = run_due_jobs(jobs=jobs, scheduler_id="b", now=1_000_070.0)
    assert first == ["test.job"]
    assert second == []
    assert later == ["test.job"]
    assert calls == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_claim_each_slot_exactly_once():
    calls = []
    jobs = [PeriodicJob(f"job.{n}", 60, lambda: calls.append(1)) for n in range(20)]
    results = []

    def tick(name):
        results.extend(run_due_jobs(jobs=jobs, scheduler_id=name, now=2_000_000.0))
        connection.close()

    threads = [threading.Thread(target=tick, args=(f"s{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(job.name for job in jobs)
    assert ScheduledRun.objects.filter(slot=2_000_000 // 60).count() == 20
    assert len(calls) == 20


@pytest.mark.django_db
def test_health_is_503_until_worker_and_scheduler_have_beaten(client):
    response = client.get(reverse("system:healthz"))
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is True
    heartbeat_beat(name="worker")
    heartbeat_beat(name="scheduler")
    assert client.get(reverse("system:healthz")).json()["ok"] is True


@pytest.mark.django_db
def test_a_stale_worker_heartbeat_turns_health_red(client, settings):
    heartbeat_beat(name="scheduler")
    Heartbeat.objects.create(
        name="worker", beat_at=timezone.now() - timedelta(seconds=600)
    )
    report = client.get(reverse("system:healthz")).json()
    assert report["worker"]["ok"] is False and report["ok"] is False


@pytest.mark.django_db(transaction=True)
def test_the_real_database_worker_runs_the_heartbeat_task():
    worker_heartbeat.enqueue()
    assert not Heartbeat.objects.filter(name="worker").exists()
    call_command("worker", "--batch", "--threads", "2")
    assert Heartbeat.objects.filter(name="worker").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"PARVIS_ENV": "production", "DEBUG": "true", "SECRET_KEY": "x" * 50},
            "DEBUG",
        ),
        ({"PARVIS_ENV": "production", "DEBUG": "false"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_unsafe_settings(env, message, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={"PATH": "/usr/bin:/bin", "PARVIS_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
