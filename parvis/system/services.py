"""Writes of the system app: audit events, heartbeats, scheduler claims."""

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.system.models import AuditEvent, Heartbeat, ScheduledRun

logger = logging.getLogger(__name__)


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


def send_mail_logged(*, subject: str, body: str, recipients: list[str]) -> bool:
    """Send an e-mail; a mail server failure is logged, never raised (the in-app
    notification already exists)."""
    from django.core.mail import send_mail

    try:
        send_mail(
            subject=subject, message=body, from_email=None, recipient_list=recipients
        )
    except Exception:
        logger.exception("E-mail to %s failed: %s", recipients, subject)
        return False
    return True


def notify(
    *,
    authority: Any,
    roles: Any = (),
    message: str,
    url: str = "",
    email: bool = True,
    users: Any = None,
) -> int:
    """Notify every member of `authority` having one of `roles`, and the `users`
    given (the members of a service, an assignee), each once, in the app and (if
    `email`) by e-mail once the transaction commits. Inactive users are skipped.
    Returns how many were told."""
    from django.conf import settings

    from parvis.accounts.models import Membership
    from parvis.system.models import Notification

    chosen: dict[int, Any] = {}
    if roles:
        for membership in Membership.objects.filter(
            authority=authority, role__in=list(roles)
        ).select_related("user"):
            chosen.setdefault(membership.user.pk, membership.user)
    for user in users or ():
        chosen.setdefault(user.pk, user)
    users = [user for user in chosen.values() if user.is_active]
    Notification.objects.bulk_create(
        [
            Notification(user=user, authority=authority, message=message[:500], url=url)
            for user in users
        ]
    )
    if email and users:
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        body = f"{message}\n\n{link}\n\n— Parvis, {authority.name}"
        recipients = [user.email for user in users]
        subject = f"[Parvis] {authority.name} : {message[:80]}"
        transaction.on_commit(
            lambda: send_mail_logged(subject=subject, body=body, recipients=recipients)
        )
    return len(users)
