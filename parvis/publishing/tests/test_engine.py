import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus
from parvis.connectors.errors import AuthExpired, RateLimited, Rejected, Unavailable
from parvis.publishing import engine
from parvis.publishing.engine import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    publication_publish,
    publication_reconcile,
    publications_dispatch,
)
from parvis.publishing.models import Attempt, Publication, PublicationState
from parvis.publishing.services import publication_retry, publication_schedule
from parvis.publishing.tests.conftest import FakeConnector
from parvis.studio.models import Variant
from parvis.system.models import Heartbeat, Notification

pytestmark = pytest.mark.django_db
State = PublicationState


@pytest.fixture
def publication(variant, channel, editor, due_now):
    return publication_schedule(
        variant=variant, channel=channel, scheduled_at=due_now, actor=editor
    )


def run_once(publication, worker="host:1"):
    publications_dispatch()
    return publication_publish(publication_id=publication.pk, worker=worker)


def refreshed(publication):
    publication.refresh_from_db()
    return publication


def settle(publication, *, ago=dt.timedelta(minutes=2)):
    """As if the first send happened `ago`, and the next look is due."""
    Publication.objects.filter(pk=publication.pk).update(
        sent_at=timezone.now() - ago, next_attempt_at=timezone.now()
    )


def test_a_due_publication_is_published_once_with_its_idempotency_key(
    publication, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        counts = publications_dispatch()
    assert counts["queued"] == 1 and len(enqueued) == 1
    assert publication_publish(publication_id=publication.pk, worker="w") == "published"
    assert publication_publish(publication_id=publication.pk, worker="w") == "skipped"
    publication = refreshed(publication)
    assert publication.state == State.PUBLISHED
    assert publication.remote_url == "https://social.example/@ville/1"
    assert len(account.posts) == 1
    assert account.calls[0].idempotency_key == str(publication.idempotency_key)
    assert [a.outcome for a in publication.attempt_log.all()] == ["published"]


def test_a_publication_not_yet_due_waits(variant, channel, editor, account):
    later = timezone.now() + dt.timedelta(minutes=5)
    publication = publication_schedule(
        variant=variant, channel=channel, scheduled_at=later, actor=editor
    )
    assert publications_dispatch()["queued"] == 0
    assert refreshed(publication).state == State.PENDING


def test_two_dispatchers_queue_a_publication_once(publication, account):
    assert publications_dispatch()["queued"] == 1
    assert publications_dispatch()["queued"] == 0


def test_scheduling_twice_moves_the_publication_instead_of_duplicating_it(
    publication, variant, channel, editor
):
    later = timezone.now() + dt.timedelta(hours=2)
    publication_schedule(
        variant=variant, channel=channel, scheduled_at=later, actor=editor
    )
    assert Publication.objects.count() == 1
    assert refreshed(publication).scheduled_at == later


def test_a_server_error_is_retried_later_with_backoff(publication, account):
    account.script = [Unavailable("503 Service Unavailable", status=503)]
    assert run_once(publication) == State.PENDING
    publication = refreshed(publication)
    wait = (publication.next_attempt_at - timezone.now()).total_seconds()
    assert (
        engine.BACKOFF_BASE_SECONDS / 2 - 1 <= wait <= engine.BACKOFF_BASE_SECONDS + 1
    )
    assert "ne répond pas" in publication.error_message
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    assert run_once(publication) == State.PUBLISHED
    assert refreshed(publication).attempts == 2
    assert len(account.posts) == 1


def test_a_429_waits_as_long_as_the_network_asks(publication, account, channel):
    account.script = [RateLimited("Too many requests", retry_after=120, status=429)]
    run_once(publication)
    publication = refreshed(publication)
    wait = (publication.next_attempt_at - timezone.now()).total_seconds()
    assert 115 <= wait <= 121
    channel.refresh_from_db()
    assert channel.rate_limited_until > timezone.now() + dt.timedelta(seconds=100)


def test_a_rate_limited_account_defers_without_spending_an_attempt(
    publication, account, channel
):
    channel.rate_limited_until = timezone.now() + dt.timedelta(minutes=3)
    channel.save()
    assert run_once(publication) == State.PENDING
    publication = refreshed(publication)
    assert publication.attempts == 0
    assert account.calls == []
    assert publication.attempt_log.get().outcome == Attempt.Outcome.DEFERRED


def test_rejected_content_fails_with_a_french_explanation_and_a_notification(
    publication, account, editor, django_capture_on_commit_callbacks
):
    account.script = [
        Rejected("Validation failed: Text character limit of 500 exceeded")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_once(publication) == State.FAILED
    publication = refreshed(publication)
    assert publication.error_message.startswith("Mastodon a refusé la publication")
    assert "character limit of 500" in publication.error_message
    assert Notification.objects.filter(user=editor, message__contains="Échec").exists()
    assert any("Échec de publication" in m.subject for m in mail.outbox)


def test_a_failed_publication_can_be_retried_by_hand(publication, account, editor):
    account.script = [Rejected("nope")]
    run_once(publication)
    publication_retry(publication=refreshed(publication), actor=editor)
    assert run_once(publication) == State.PUBLISHED


def test_an_expired_token_fails_and_asks_to_reconnect_the_channel(
    publication, account, channel, variant, editor
):
    account.script = [AuthExpired("The access token is invalid", status=401)]
    assert run_once(publication) == State.FAILED
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RECONNECT
    assert "reconnectez" in refreshed(publication).error_message
    other = Variant.objects.create(post=variant.post, network="mastodon", parts=["B"])
    publication_schedule(
        variant=other, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    assert publications_dispatch()["queued"] == 0  # nothing sent to a dead channel


def test_transient_errors_give_up_after_the_last_attempt(publication, account):
    account.script = [Unavailable("502", status=502)] * MAX_ATTEMPTS
    for _ in range(MAX_ATTEMPTS):
        Publication.objects.filter(pk=publication.pk).update(
            next_attempt_at=timezone.now()
        )
        run_once(publication)
    publication = refreshed(publication)
    assert publication.state == State.FAILED
    assert publication.error_message.startswith(f"Abandon après {MAX_ATTEMPTS} essais")


def test_a_timeout_after_sending_is_reconciled_not_retried_blindly(
    publication, account
):
    account.script = ["sent-then-timeout"]
    assert run_once(publication) == State.UNKNOWN
    assert len(account.posts) == 1
    assert publications_dispatch()["reconcile"] == 0  # the send settles first
    settle(publication)
    assert publications_dispatch()["reconcile"] == 1
    assert publication_reconcile(publication_id=publication.pk) == State.PUBLISHED
    publication = refreshed(publication)
    assert publication.remote_id == "1"
    assert len(account.calls) == 1 and len(account.posts) == 1


def test_an_unknown_outcome_absent_twice_a_minute_apart_is_published_again_once(
    publication, account
):
    account.script = [Unavailable("read timeout", maybe_sent=True)]
    run_once(publication)
    settle(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.UNKNOWN
    # A second look right away proves nothing (a backlog can run two looks in a row).
    assert publication_reconcile(publication_id=publication.pk) == State.UNKNOWN
    Attempt.objects.filter(publication=publication).update(
        finished_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert publication_reconcile(publication_id=publication.pk) == State.PENDING
    assert run_once(publication) == State.PUBLISHED
    assert len(account.posts) == 1


def test_an_idempotent_network_is_retried_after_one_absent_check_once_settled(
    publication, account
):
    account.idempotent = True
    account.script = [Unavailable("read timeout", maybe_sent=True)]
    run_once(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.UNKNOWN
    settle(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.PENDING


def test_a_post_older_than_our_send_is_not_taken_for_ours(publication, account):
    from parvis.connectors.base import RemotePost

    account.posts.append(
        RemotePost(
            "9",
            publication.variant.parts[0],
            timezone.now() - dt.timedelta(days=7),
            "https://social.example/@ville/9",
        )
    )
    account.script = [Unavailable("connection reset", maybe_sent=True)]
    run_once(publication)
    settle(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.UNKNOWN
    assert refreshed(publication).remote_id == ""


def test_an_outcome_unknown_for_a_day_fails_and_asks_to_check_the_account(
    publication, account
):
    account.script = [Unavailable("read timeout", maybe_sent=True)]
    run_once(publication)
    settle(publication, ago=dt.timedelta(hours=25))
    assert publication_reconcile(publication_id=publication.pk) == State.FAILED
    assert "regardez le compte" in refreshed(publication).error_message


def test_a_late_success_after_the_claim_was_taken_away_is_recorded_not_repeated(
    publication, account, channel
):
    publications_dispatch()
    claimed = engine.publication_claim(publication_id=publication.pk, worker="host:1")
    # The dispatcher judged host:1 dead meanwhile.
    Publication.objects.filter(pk=publication.pk).update(state=State.UNKNOWN)
    from parvis.connectors.base import PublishedPart, PublishResult

    result = PublishResult((PublishedPart("77", "https://social.example/@ville/77"),))
    engine._published(claimed, result=result, started=timezone.now())
    publication = refreshed(publication)
    assert publication.state == State.PUBLISHED and publication.remote_id == "77"


def test_a_late_error_after_the_claim_was_taken_away_changes_nothing(
    publication, account
):
    publications_dispatch()
    claimed = engine.publication_claim(publication_id=publication.pk, worker="host:1")
    Publication.objects.filter(pk=publication.pk).update(state=State.QUEUED)
    engine._after_error(claimed, error=Rejected("late"), started=timezone.now())
    assert refreshed(publication).state == State.QUEUED


def test_an_unexpected_exception_leaves_an_unknown_outcome_not_a_stuck_row(
    publication, monkeypatch
):
    class Broken(FakeConnector):
        def publish(self, draft):
            raise ValueError("2xx body was not JSON")

    from parvis.publishing.tests.conftest import FakeAccount

    monkeypatch.setattr(
        "parvis.publishing.engine.connector_for", lambda c: Broken(FakeAccount())
    )
    assert run_once(publication) == State.UNKNOWN


def test_rate_limits_never_use_up_attempts(publication, account):
    account.script = [RateLimited("slow down", retry_after=1)] * (MAX_ATTEMPTS + 2)
    for _ in range(MAX_ATTEMPTS + 2):
        Publication.objects.filter(pk=publication.pk).update(
            next_attempt_at=timezone.now()
        )
        Channel.objects.update(rate_limited_until=None)
        run_once(publication)
    publication = refreshed(publication)
    assert publication.state == State.PENDING and publication.attempts == 0


def test_only_a_queued_publication_can_be_claimed(variant, channel, editor, account):
    later = publication_schedule(
        variant=variant,
        channel=channel,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        actor=editor,
    )
    assert engine.publication_claim(publication_id=later.pk, worker="w") is None


def test_a_worker_that_died_mid_call_leaves_an_unknown_then_reconciled_publication(
    publication, account
):
    publications_dispatch()
    engine.publication_claim(publication_id=publication.pk, worker="host:99")
    Heartbeat.objects.create(
        name="worker:host:99",
        detail="host:99",
        beat_at=timezone.now() - dt.timedelta(minutes=2),
    )
    assert publications_dispatch()["orphaned"] == 1
    assert refreshed(publication).state == State.UNKNOWN


def test_a_slow_call_of_a_live_worker_is_left_alone(publication, account):
    publications_dispatch()
    engine.publication_claim(publication_id=publication.pk, worker="host:7")
    Heartbeat.objects.create(
        name="worker:host:7", detail="host:7", beat_at=timezone.now()
    )
    assert publications_dispatch()["orphaned"] == 0
    assert refreshed(publication).state == State.PUBLISHING


def test_a_channel_batch_that_never_started_is_enqueued_again(
    publication, account, channel, django_capture_on_commit_callbacks
):
    assert publications_dispatch()["batches"] == 1
    assert publications_dispatch()["batches"] == 0  # one batch per channel at a time
    Channel.objects.filter(pk=channel.pk).update(
        batch_enqueued_at=timezone.now() - REQUEUE_AFTER - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks() as enqueued:
        assert publications_dispatch()["requeued"] == 1
    assert len(enqueued) == 1


def test_a_channel_batch_whose_worker_died_is_enqueued_again(publication, channel):
    publications_dispatch()
    Channel.objects.filter(pk=channel.pk).update(batch_worker="host:5")
    Heartbeat.objects.create(
        name="worker:host:5",
        detail="host:5",
        beat_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert publications_dispatch()["requeued"] == 1


def test_a_channel_batch_publishes_its_queue_in_order_and_releases_the_channel(
    variant, channel, editor, account
):
    from parvis.publishing.engine import channel_publish_queued

    later = Variant.objects.create(post=variant.post, network="mastodon", parts=["B"])
    publication_schedule(
        variant=later, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    publication_schedule(
        variant=variant,
        channel=channel,
        scheduled_at=timezone.now() - dt.timedelta(minutes=1),
        actor=editor,
    )
    publications_dispatch()
    assert channel_publish_queued(channel_id=channel.pk, worker="w") == 2
    assert [p.text for p in account.posts] == [variant.parts[0], "B"]
    channel.refresh_from_db()
    assert channel.batch_enqueued_at is None and channel.batch_worker == ""


def test_a_rate_limit_in_a_batch_puts_the_rest_back_without_spending_attempts(
    variant, channel, editor, account
):
    from parvis.publishing.engine import channel_publish_queued

    other = Variant.objects.create(post=variant.post, network="mastodon", parts=["B"])
    for item in (variant, other):
        publication_schedule(
            variant=item, channel=channel, scheduled_at=timezone.now(), actor=editor
        )
    account.script = [RateLimited("Too many requests", retry_after=300, status=429)]
    publications_dispatch()
    assert channel_publish_queued(channel_id=channel.pk, worker="w") == 0
    states = sorted(Publication.objects.values_list("state", "attempts"))
    assert states == [("pending", 0), ("pending", 0)]


def test_a_thread_stops_at_the_failing_part_and_says_which(
    variant, channel, editor, account
):
    variant.parts = ["Partie un. 1/3", "Partie deux. 2/3", "Partie trois. 3/3"]
    variant.save()
    publication = publication_schedule(
        variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    account.script = [("fail-part", 2, Rejected("partie 2/3 : texte refusé"))]
    assert run_once(publication) == State.FAILED
    publication = refreshed(publication)
    assert [p.text for p in account.posts] == ["Partie un. 1/3"]
    assert publication.published_parts == [
        {"remote_id": "1", "url": "https://social.example/@ville/1"}
    ]
    assert "Fil interrompu : 1 partie(s) publiée(s)" in publication.error_message
    assert "partie 2/3" in publication.error_message


def test_a_published_thread_is_removed_from_the_network_part_by_part(
    variant, channel, editor, account
):
    from parvis.publishing.services import publication_unpublish

    variant.parts = ["Un. 1/2", "Deux. 2/2"]
    variant.save()
    publication = publication_schedule(
        variant=variant, channel=channel, scheduled_at=timezone.now(), actor=editor
    )
    run_once(publication)
    assert len(account.posts) == 2
    publication_unpublish(publication=refreshed(publication), actor=editor)
    assert account.posts == []
    assert refreshed(publication).state == State.DELETED


def test_a_thread_found_whole_after_an_unknown_outcome_records_every_part(
    commune, editor, channel, account, due_now
):
    from parvis.studio.models import Post, Variant

    post = Post.objects.create(
        authority=commune, title="Fil", created_by=editor, state="approved"
    )
    thread = Variant.objects.create(
        post=post, network="mastodon", parts=["Premier message.", "Second message."]
    )
    publication = publication_schedule(
        variant=thread, channel=channel, scheduled_at=due_now, actor=editor
    )
    account.script = ["all-sent-then-timeout"]
    run_once(publication)
    settle(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.PUBLISHED
    publication = refreshed(publication)
    assert [part["remote_id"] for part in publication.published_parts] == ["1", "2"]


def test_a_thread_cut_short_fails_with_its_published_parts_and_is_not_resent(
    commune, editor, channel, account, due_now
):
    from parvis.studio.models import Post, Variant

    post = Post.objects.create(
        authority=commune, title="Fil", created_by=editor, state="approved"
    )
    thread = Variant.objects.create(
        post=post,
        network="mastodon",
        parts=["Premier message.", "Deuxième message.", "Troisième message."],
    )
    publication = publication_schedule(
        variant=thread, channel=channel, scheduled_at=due_now, actor=editor
    )
    account.script = ["sent-then-timeout"]
    run_once(publication)
    settle(publication)
    assert publication_reconcile(publication_id=publication.pk) == State.FAILED
    publication = refreshed(publication)
    assert [part["remote_id"] for part in publication.published_parts] == ["1"]
    assert "Seuls 1 messages du fil sur 3" in publication.error_message
    assert len(account.posts) == 1


def test_a_warning_after_the_post_went_out_keeps_it_published_and_tells_the_team(
    publication, account
):
    account.script = ["published-with-warning"]
    assert run_once(publication) == State.PUBLISHED
    publication = refreshed(publication)
    assert publication.error_message == "Commentaire refusé."
    notice = Notification.objects.latest("pk")
    assert "avec un problème : Commentaire refusé." in notice.message
