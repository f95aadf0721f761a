"""The publishing engine: every publication at its time, exactly once, never lost.

States (Publication.state) and who moves them:

    pending --dispatch--> queued --claim--> publishing --> published
       ^                    |                   |  \\--> failed (permanent error,
       |                    | (re-enqueued if    |        or too many attempts)
       |                    |  the task is lost) |
       +---- retry (transient error, backoff) ---+
                                                 \\--> unknown (timeout after sending,
                                                       or the worker died mid-call)
    unknown --reconcile--> published (found on the account) | pending (not there)

- State is committed *before* the remote call (claim), so a crash never leaves a
  publication that nobody owns: the dispatcher finds it (queued too long, or
  publishing by a worker that stopped beating) and re-enqueues or reconciles it.
- Claims are conditional UPDATEs: two workers, two tasks or two dispatchers never
  publish the same row twice.
- An unknown outcome is never retried blindly: the account's recent posts are read
  first (and networks honouring our idempotency key make a retry harmless anyway).
"""

import datetime as dt
import logging
import random
import threading
import time
from functools import partial
from typing import Any

import httpx
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parvis.channels.models import Channel, ChannelStatus
from parvis.channels.services import (
    channel_connector,
    channel_mark_reconnect,
    channel_note_rate_limit,
)
from parvis.connectors.base import Connector, Draft, MediaItem, PublishResult
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Unavailable,
)
from parvis.connectors.safety import safe_http_url, user_address_client
from parvis.publishing.archive import archive_record
from parvis.publishing.messages import french_explanation
from parvis.publishing.models import Attempt, Publication, PublicationState
from parvis.publishing.services import follow_post
from parvis.system.models import Heartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 5
BACKOFF_MAX_SECONDS = 3600
REQUEUE_AFTER = dt.timedelta(seconds=90)
# Well above the heartbeat interval (5 s) plus a write waiting on a busy database.
WORKER_SILENT_AFTER = dt.timedelta(seconds=60)
# Reconciliation: a send is settled server-side after this; an unknown outcome older
# than GIVE_UP is failed and the team asked to look at the account.
SETTLE_AFTER = dt.timedelta(seconds=60)
UNKNOWN_GIVE_UP = dt.timedelta(hours=24)
# A post found on the account may be ours only if it is not older than our first send.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)
PUBLISHING_STALE_AFTER = dt.timedelta(minutes=15)
RECONCILE_AGAIN_AFTER = dt.timedelta(seconds=60)
DISPATCH_BATCH = 1000
BATCH_SECONDS = 60
BATCH_STALE_AFTER = dt.timedelta(minutes=5)

State = PublicationState


_thread = threading.local()


def http_client_for(channel: Channel) -> httpx.Client:
    """One HTTP client per worker thread, shared by every connector it builds: a new
    client per call would redo the TLS set-up and lose keep-alive connections. It
    refuses private addresses (instances and PDS are typed by users)."""
    client = getattr(_thread, "http", None)
    if client is None:
        client = _thread.http = user_address_client()
    return client


def connector_for(channel: Channel) -> Connector:
    return channel_connector(channel, http=http_client_for(channel))


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter between half and all of the step."""
    step = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return step * (0.5 + random.random() / 2)


def draft_for(publication: Publication) -> Draft:
    variant = publication.variant
    media: tuple[MediaItem, ...] = ()
    if variant.image:
        with variant.image.open("rb") as handle:
            content = handle.read()
        media = (
            MediaItem(
                content=content,
                mime_type=_mime_type(variant.image.name),
                alt_text=variant.image_alt,
                filename=(variant.image.name or "image").rsplit("/", 1)[-1],
            ),
        )
    return Draft(
        parts=tuple(variant.parts),
        idempotency_key=str(publication.idempotency_key),
        media=media,
        link=variant.link,
        first_comment=variant.first_comment,
    )


def _mime_type(name: str | None) -> str:
    extension = (name or "").rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}.get(
        extension, "image/png"
    )


def _set_state(
    publication: Publication, state: str, *, expected: str, **fields: Any
) -> bool:
    """Move `publication` to `state` only if it is still `expected` (and, after a
    claim, still this claim): a late answer never overwrites what happened since (the
    dispatcher may have judged the worker dead and another one taken over)."""
    now = timezone.now()
    fields = {"state": state, "state_changed_at": now, **fields}
    query = Publication.objects.filter(pk=publication.pk, state=expected)
    if expected == State.PUBLISHING:
        query = query.filter(
            attempts=publication.attempts, claimed_by=publication.claimed_by
        )
    if not query.update(**fields):
        return False
    for name, value in fields.items():
        setattr(publication, name, value)
    if state in {State.PUBLISHED, State.FAILED}:
        follow_post(publication)
    if state == State.PUBLISHED:
        archive_record(publication=publication)
        # An alert of crisis mode is then pinned where the network allows.
        from parvis.planning.services.crisis import crisis_alert_published

        crisis_alert_published(publication)
    return True


# -- dispatch (scheduler) ---------------------------------------------------------------
def publications_dispatch(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Enqueue what is due and recover what a crash left behind. Safe to run twice at
    once: every transition is a conditional UPDATE."""
    from parvis.publishing.tasks import publish_channel, reconcile_publication

    now = now or timezone.now()
    counts = {"queued": 0, "batches": 0, "requeued": 0, "orphaned": 0, "reconcile": 0}

    # Due publications become queued in one statement (the WHERE on the state makes
    # concurrent dispatchers update disjoint rows).
    counts["queued"] = Publication.objects.filter(
        state=State.PENDING,
        next_attempt_at__lte=now,
        channel__status__in=[ChannelStatus.OK, ChannelStatus.EXPIRING],
    ).update(state=State.QUEUED, state_changed_at=now)

    last_beats = dict(
        Heartbeat.objects.filter(name__startswith="worker:").values_list(
            "detail", "beat_at"
        )
    )

    def dead(worker: str) -> bool:
        # Only a worker process known to have beaten and then gone silent is dead.
        last_beat = last_beats.get(worker)
        return last_beat is not None and last_beat < now - WORKER_SILENT_AFTER

    # One batch task per channel with queued publications: it publishes them one after
    # the other (the account's pace), then lets go. A batch that never started, or whose
    # worker died, is enqueued again.
    channels = Channel.objects.filter(
        pk__in=Publication.objects.filter(state=State.QUEUED).values("channel_id")
    ).values_list("pk", "batch_enqueued_at", "batch_worker")
    for channel_id, enqueued_at, worker in channels:
        lost = enqueued_at is not None and (
            dead(worker)
            or (not worker and enqueued_at < now - REQUEUE_AFTER)  # never started
            or enqueued_at < now - BATCH_STALE_AFTER  # a worker we cannot see
        )
        if enqueued_at is not None and not lost:
            continue
        with transaction.atomic():
            if Channel.objects.filter(
                pk=channel_id, batch_enqueued_at=enqueued_at
            ).update(batch_enqueued_at=now, batch_worker=""):
                transaction.on_commit(partial(publish_channel.enqueue, channel_id))
                counts["requeued" if lost else "batches"] += 1

    # Publishing by a worker that no longer beats: the call may or may not have
    # reached the network. A claim by an unknown process is judged by age alone.
    for publication in Publication.objects.filter(state=State.PUBLISHING).only(
        "pk", "claimed_by", "state_changed_at"
    ):
        if (
            dead(publication.claimed_by)
            or publication.state_changed_at < now - PUBLISHING_STALE_AFTER
        ):
            moved = Publication.objects.filter(
                pk=publication.pk,
                state=State.PUBLISHING,
                state_changed_at=publication.state_changed_at,
            ).update(state=State.UNKNOWN, state_changed_at=now, next_attempt_at=now)
            counts["orphaned"] += moved

    for pk in Publication.objects.filter(
        state=State.UNKNOWN, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:DISPATCH_BATCH]:
        with transaction.atomic():
            # Push next_attempt_at forward so the next tick does not enqueue it again.
            if Publication.objects.filter(
                pk=pk, state=State.UNKNOWN, next_attempt_at__lte=now
            ).update(next_attempt_at=now + RECONCILE_AGAIN_AFTER):
                transaction.on_commit(partial(reconcile_publication.enqueue, pk))
                counts["reconcile"] += 1
    return counts


# -- publish (worker) -------------------------------------------------------------------
def channel_publish_queued(*, channel_id: int, worker: str) -> int:
    """Publish the queued publications of one channel, oldest due first, for at most
    BATCH_SECONDS; then release the channel (the dispatcher sends a new batch if some
    remain). Returns how many were published."""
    Channel.objects.filter(pk=channel_id).update(batch_worker=worker)
    published = 0
    deadline = time.monotonic() + BATCH_SECONDS
    try:
        while time.monotonic() < deadline:
            next_id = (
                Publication.objects.filter(channel_id=channel_id, state=State.QUEUED)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)
                .first()
            )
            if next_id is None:
                break
            outcome = publication_publish(publication_id=next_id, worker=worker)
            published += outcome == State.PUBLISHED
            if outcome != State.PENDING:
                continue
            until = (
                Channel.objects.filter(pk=channel_id)
                .values_list("rate_limited_until", flat=True)
                .first()
            )
            if until and until > timezone.now():
                # The account must wait: the rest waits too, without spending attempts.
                Publication.objects.filter(
                    channel_id=channel_id, state=State.QUEUED
                ).update(state=State.PENDING, next_attempt_at=until)
                break
    finally:
        Channel.objects.filter(pk=channel_id, batch_worker=worker).update(
            batch_enqueued_at=None, batch_worker=""
        )
    return published


def publication_claim(*, publication_id: int, worker: str) -> Publication | None:
    """queued -> publishing, for exactly one caller; commits before returning."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Publication.objects.filter(
            pk=publication_id, state=State.QUEUED
        ).update(
            state=State.PUBLISHING,
            state_changed_at=now,
            sent_at=now,
            attempts=F("attempts") + 1,
            claimed_by=worker,
        )
    if not claimed:
        return None
    return Publication.objects.select_related(
        "channel", "channel__authority", "variant"
    ).get(pk=publication_id)


def publication_publish(*, publication_id: int, worker: str) -> str:
    """Publish one publication if it is still ours to publish. Returns the new state."""
    publication = publication_claim(publication_id=publication_id, worker=worker)
    if publication is None:
        return "skipped"
    channel = publication.channel
    started = timezone.now()
    if channel.rate_limited_until and channel.rate_limited_until > started:
        _defer(publication, until=channel.rate_limited_until, started=started)
        return State.PENDING
    if not channel.can_publish:
        return _fail(
            publication,
            started=started,
            error=AuthExpired("channel needs reconnecting"),
            message=french_explanation(AuthExpired(""), channel=channel),
        )
    if publication.attempts > MAX_ATTEMPTS:
        return _fail(
            publication,
            started=started,
            error=Unavailable("too many attempts"),
            message=f"Abandon après {MAX_ATTEMPTS} essais.",
        )
    connector = connector_for(channel)
    try:
        with connector:
            result = connector.publish(draft_for(publication))
    except ConnectorError as error:
        channel_note_rate_limit(
            channel=channel,
            state=connector.last_rate_limit,
            retry_after=error.retry_after if isinstance(error, RateLimited) else None,
        )
        return _after_error(
            publication,
            error=error,
            started=started,
            resumable=connector.honours_idempotency_key,
        )
    except Exception as exc:  # a bug or unreadable data must not strand the row
        logger.exception("publication %s: unexpected error", publication.pk)
        unexpected = Unavailable(
            f"unexpected {type(exc).__name__}: {exc}", maybe_sent=True
        )
        return _after_error(publication, error=unexpected, started=started)
    channel_note_rate_limit(channel=channel, state=connector.last_rate_limit)
    _published(publication, result=result, started=started)
    return State.PUBLISHED


def _published(
    publication: Publication,
    *,
    result: PublishResult,
    started: dt.datetime,
    outcome: str = Attempt.Outcome.PUBLISHED,
    kind: str = "publish",
    expected: str = State.PUBLISHING,
) -> None:
    fields = {
        "remote_id": result.remote_id,
        "remote_url": safe_http_url(result.url),
        "published_parts": [
            {"remote_id": part.remote_id, "url": safe_http_url(part.url)}
            for part in result.parts
        ],
        "published_at": timezone.now(),
        "error_message": " ".join(result.warnings),
    }
    with transaction.atomic():
        applied = _set_state(publication, State.PUBLISHED, expected=expected, **fields)
        if not applied and kind == "publish":
            # Our claim was taken away (worker judged dead) but the post went out:
            # record it unless someone else has already sent it again.
            for state in (State.UNKNOWN, State.PENDING, State.QUEUED):
                if _set_state(publication, State.PUBLISHED, expected=state, **fields):
                    applied = True
                    break
        if not applied:
            logger.warning(
                "publication %s: published by a claim that was lost; check the "
                "account for a duplicate (remote id %s)",
                publication.pk,
                result.remote_id,
            )
            return
        _log(publication, kind=kind, started=started, outcome=outcome)
        if result.warnings:
            from parvis.publishing.services import notify_warning

            notify_warning(publication=publication, message=" ".join(result.warnings))


def _defer(
    publication: Publication, *, until: dt.datetime, started: dt.datetime
) -> None:
    """Back to pending without spending an attempt: the network asked us to wait."""
    with transaction.atomic():
        if not _set_state(
            publication,
            State.PENDING,
            expected=State.PUBLISHING,
            next_attempt_at=until,
            attempts=max(0, publication.attempts - 1),
        ):
            return
        _log(
            publication,
            started=started,
            outcome=Attempt.Outcome.DEFERRED,
            message=f"Reportée au {until:%d/%m/%Y %H:%M} UTC à la demande du réseau.",
        )


def _after_error(
    publication: Publication,
    *,
    error: ConnectorError,
    started: dt.datetime,
    resumable: bool = False,
) -> str:
    """`resumable`: the network refuses a second copy of what was already sent (its
    idempotency key or record keys), so a half-published thread can simply be retried."""
    channel = publication.channel
    published_parts = error.published_parts
    message = french_explanation(error, channel=channel)
    logger.info(
        "publication %s attempt %s: %s %s",
        publication.pk,
        publication.attempts,
        type(error).__name__,
        error.message,
    )
    if isinstance(error, Unavailable) and error.maybe_sent and not published_parts:
        with transaction.atomic():
            if not _set_state(
                publication,
                State.UNKNOWN,
                expected=State.PUBLISHING,
                next_attempt_at=timezone.now() + SETTLE_AFTER,
            ):
                return "lost-claim"
            _log(
                publication,
                started=started,
                outcome=Attempt.Outcome.UNKNOWN,
                error=error,
                message=message,
            )
        return State.UNKNOWN
    if isinstance(error, RateLimited) and (resumable or not published_parts):
        # The network asked us to wait: not a failure, no attempt spent.
        until = timezone.now() + dt.timedelta(seconds=error.retry_after or 60)
        _defer(publication, until=until, started=started)
        return State.PENDING
    if isinstance(error, AuthExpired):
        channel_mark_reconnect(channel=channel, reason=error.message)
    retryable = not error.permanent and (resumable or not published_parts)
    if retryable and publication.attempts < MAX_ATTEMPTS:
        wait = error.retry_after or backoff_seconds(publication.attempts)
        with transaction.atomic():
            if not _set_state(
                publication,
                State.PENDING,
                expected=State.PUBLISHING,
                next_attempt_at=timezone.now() + dt.timedelta(seconds=wait),
                error_message=message,
            ):
                return "lost-claim"
            _log(
                publication,
                started=started,
                outcome=Attempt.Outcome.RETRY,
                error=error,
                message=message,
            )
        return State.PENDING
    if published_parts:
        message = (
            f"Fil interrompu : {len(published_parts)} partie(s) publiée(s), "
            f"la suite n'a pas pu l'être. {message}"
        )
    elif not error.permanent:
        message = f"Abandon après {publication.attempts} essais. {message}"
    return _fail(
        publication,
        started=started,
        error=error,
        message=message,
        published_parts=published_parts,
    )


def _fail(
    publication: Publication,
    *,
    started: dt.datetime,
    error: ConnectorError,
    message: str,
    published_parts: tuple[Any, ...] = (),
    expected: str = State.PUBLISHING,
) -> str:
    from parvis.publishing.services import notify_failure

    with transaction.atomic():
        if not _set_state(
            publication,
            State.FAILED,
            expected=expected,
            error_message=message,
            published_parts=[
                {"remote_id": part.remote_id, "url": safe_http_url(part.url)}
                for part in published_parts
            ],
        ):
            return "lost-claim"
        _log(
            publication,
            started=started,
            outcome=Attempt.Outcome.FAILED,
            error=error,
            message=message,
        )
        notify_failure(publication=publication, message=message)
    return State.FAILED


def _log(
    publication: Publication,
    *,
    started: dt.datetime,
    outcome: str,
    kind: str = "publish",
    error: ConnectorError | None = None,
    message: str = "",
) -> None:
    Attempt.objects.create(
        publication=publication,
        kind=kind,
        started_at=started,
        finished_at=timezone.now(),
        outcome=outcome,
        error_class=type(error).__name__ if error else "",
        message=message,
        detail=error.message[:2000] if error else "",
    )


# -- reconcile (worker) -----------------------------------------------------------------
def publication_reconcile(*, publication_id: int) -> str:
    """Decide an unknown outcome by reading the account's recent posts.

    Found (and not older than our first send): published. Not found: a new send is
    allowed only once the first one is settled on the network's side (SETTLE_AFTER),
    and then, where the network refuses a second copy with our key within its window,
    at once; elsewhere after a second look at least RECONCILE_AGAIN_AFTER later. After
    UNKNOWN_GIVE_UP the publication fails and the team is asked to check the account."""
    publication = (
        Publication.objects.select_related("channel", "channel__authority", "variant")
        .filter(pk=publication_id, state=State.UNKNOWN)
        .first()
    )
    if publication is None:
        return "skipped"
    started = timezone.now()
    sent_at = publication.sent_at or publication.state_changed_at
    age = started - sent_at
    connector = connector_for(publication.channel)
    draft = draft_for(publication)
    try:
        with connector:
            parts = connector.find_published_parts(draft)
    except Exception as exc:  # still unknown; asked again after RECONCILE_AGAIN_AFTER
        error = exc if isinstance(exc, ConnectorError) else Unavailable(repr(exc))
        if not isinstance(exc, ConnectorError):
            logger.exception("publication %s: reconcile failed", publication.pk)
        return _still_unknown(publication, started=started, age=age, error=error)
    found = parts[0] if parts else None
    if found is not None and (
        found.created_at is None or found.created_at >= sent_at - CLOCK_TOLERANCE
    ):
        from parvis.connectors.base import PublishedPart

        published = tuple(PublishedPart(part.remote_id, part.url) for part in parts)
        if len(parts) < len(draft.parts):
            # A thread cut short: sending again would repeat its beginning.
            return _fail(
                publication,
                started=started,
                error=Unavailable("thread only partly published"),
                message=(
                    f"Seuls {len(parts)} messages du fil sur {len(draft.parts)} sont "
                    "parus : complétez le fil sur le réseau, ou retirez-le et "
                    "programmez-le de nouveau."
                ),
                published_parts=published,
                expected=State.UNKNOWN,
            )
        _published(
            publication,
            result=PublishResult(parts=published),
            started=started,
            outcome=Attempt.Outcome.FOUND,
            kind="reconcile",
            expected=State.UNKNOWN,
        )
        return State.PUBLISHED
    window = connector.idempotency_window
    if connector.honours_idempotency_key and (window is None or age < window):
        settled = age >= SETTLE_AFTER
    else:
        previous_miss = (
            publication.attempt_log.filter(
                kind="reconcile", outcome=Attempt.Outcome.NOT_FOUND
            )
            .order_by("-finished_at")
            .first()
        )
        settled = (
            age >= SETTLE_AFTER
            and previous_miss is not None
            and previous_miss.finished_at is not None
            and previous_miss.finished_at <= started - RECONCILE_AGAIN_AFTER
        )
    with transaction.atomic():
        if settled and not _set_state(
            publication,
            State.PENDING,
            expected=State.UNKNOWN,
            next_attempt_at=timezone.now(),
        ):
            return "skipped"
        _log(
            publication,
            kind="reconcile",
            started=started,
            outcome=Attempt.Outcome.NOT_FOUND,
            message="Publication absente du compte : nouvel essai."
            if settled
            else "Publication absente du compte : nouvelle vérification dans une minute.",
        )
    if not settled:
        return _still_unknown(publication, started=started, age=age, error=None)
    return State.PENDING


def _still_unknown(
    publication: Publication,
    *,
    started: dt.datetime,
    age: dt.timedelta,
    error: ConnectorError | None,
) -> str:
    """Leave it unknown for the next look, or give up after UNKNOWN_GIVE_UP."""
    if age >= UNKNOWN_GIVE_UP:
        return _fail(
            publication,
            started=started,
            error=error or Unavailable("outcome still unknown"),
            message=(
                "Parvis n'a pas pu vérifier en 24 heures si la publication est parue : "
                "regardez le compte sur le réseau, puis relancez-la si elle n'y est pas."
            ),
            expected=State.UNKNOWN,
        )
    if error is not None:
        _log(
            publication,
            kind="reconcile",
            started=started,
            outcome=Attempt.Outcome.UNKNOWN,
            error=error,
            message=french_explanation(error, channel=publication.channel),
        )
    return State.UNKNOWN
