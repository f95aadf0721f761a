"""Writes of the system app: audit events, heartbeats, scheduler claims."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.system.models import AuditEvent, Heartbeat, ScheduledRun


def audit_record(
    *,
    actor: Any,
    action: str,
    summary: str,
    authority: Any = None,
    target: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log. `changes` maps a field to [before, after]."""
    return AuditEvent.objects.create(
        authority=authority,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        changes=changes or {},
    )


def heartbeat_beat(*, name: str, detail: str = "") -> None:
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "detail": detail[:200]}
    )


def scheduled_run_claim(*, job: str, slot: int, scheduler: str) -> bool:
    """Claim one slot of a periodic job. True for exactly one caller per (job, slot),
    even with several schedulers running at once."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, slot=slot, scheduler=scheduler[:80])
    except IntegrityError:
        return False
    return True


def scheduled_run_prune(*, older_than_slots: int, job: str, slot: int) -> int:
    deleted, _ = ScheduledRun.objects.filter(
        job=job, slot__lt=slot - older_than_slots
    ).delete()
    return deleted
