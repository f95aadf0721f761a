import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parvis.sources.models import Source
from parvis.sources.services import sources_enqueue_due
from parvis.sources.tasks import poll_due_sources, poll_source
from parvis.sources.tests.conftest import RSS, SITE, fixture
from parvis.system.scheduler import default_jobs

pytestmark = pytest.mark.django_db


def source(commune, name, *, checked_minutes_ago=None, active=True):
    checked = (
        None
        if checked_minutes_ago is None
        else timezone.now() - dt.timedelta(minutes=checked_minutes_ago)
    )
    return Source.objects.create(
        authority=commune,
        kind="feed",
        url=f"{SITE}/{name}/feed/",
        name=name,
        last_checked_at=checked,
        is_active=active,
    )


def enqueued_source_ids():
    return sorted(
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path__endswith="poll_source")
    )


def test_sources_not_checked_for_thirty_minutes_are_enqueued_once(
    commune, django_capture_on_commit_callbacks
):
    never = source(commune, "nouvelle")
    stale = source(commune, "ancienne", checked_minutes_ago=45)
    source(commune, "recente", checked_minutes_ago=10)
    source(commune, "suspendue", checked_minutes_ago=120, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = sources_enqueue_due()
        second = sources_enqueue_due()  # a second scheduler, at the same time
    assert (first, second) == (2, 0)
    assert enqueued_source_ids() == sorted([never.pk, stale.pk])


def test_a_check_enqueued_but_lost_is_enqueued_again_after_thirty_minutes(
    commune, django_capture_on_commit_callbacks
):
    lost = source(commune, "perdue")
    with django_capture_on_commit_callbacks(execute=True):
        sources_enqueue_due()
        assert sources_enqueue_due(now=timezone.now() + dt.timedelta(minutes=20)) == 0
        assert sources_enqueue_due(now=timezone.now() + dt.timedelta(minutes=31)) == 1
    assert enqueued_source_ids() == [lost.pk, lost.pk]


def test_the_scheduler_looks_for_due_sources_every_fifteen_minutes():
    jobs = {job.name: job for job in default_jobs()}
    assert jobs["sources.poll_due"].interval_seconds == 900
    assert jobs["sources.poll_due"].enqueue == poll_due_sources.enqueue


def test_the_check_task_checks_an_active_source_and_skips_a_paused_one(site, commune):
    site.serve(f"{SITE}/feed/", fixture("actualites.rss"), content_type=RSS)
    site.serve(f"{SITE}/agenda/fete-de-la-musique-2026/", fixture("article-fete.html"))
    active = Source.objects.create(authority=commune, kind="feed", url=f"{SITE}/feed/")
    paused = source(commune, "suspendue", active=False)
    summary = poll_source.call(active.pk)
    assert summary == "1 nouvel article."  # the other two pages answer 404
    active.refresh_from_db()
    assert active.last_checked_at is not None and active.poll_enqueued_at is None
    assert poll_source.call(paused.pk) == "skipped"
    assert poll_source.call(999_999) == "skipped"
