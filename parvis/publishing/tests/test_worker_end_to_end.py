"""The real scheduler job and the real threaded worker, on the real database."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from parvis.publishing.models import Publication, PublicationState
from parvis.publishing.services import publication_schedule
from parvis.system.scheduler import default_jobs, run_due_jobs


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_the_worker_publish_a_due_post_exactly_once(
    variant, channel, editor, account
):
    publication = publication_schedule(
        variant=variant,
        channel=channel,
        scheduled_at=timezone.now() - dt.timedelta(seconds=5),
        actor=editor,
    )
    run_due_jobs(jobs=default_jobs(), scheduler_id="test")  # enqueues the dispatch
    call_command("worker", "--batch", "--threads", "2")  # dispatch, then publish
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED
    assert len(account.posts) == 1
    assert Publication.objects.count() == 1
