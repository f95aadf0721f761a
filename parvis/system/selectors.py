"""Reads of the system app: the health report, the audit log."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from parvis.system.models import AuditEvent, Heartbeat


def health_report() -> dict[str, Any]:
    """Database reachable, worker and scheduler heartbeats fresh. `ok` sums them up."""
    report: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # the page must answer even when the database does not
        report["database"] = {"ok": False, "error": type(exc).__name__}
        report["ok"] = False
        return report

    max_age = timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS)
    now = timezone.now()
    beats = {beat.name: beat for beat in Heartbeat.objects.all()}
    for name in ("worker", "scheduler"):
        beat = beats.get(name)
        if beat is None:
            report[name] = {"ok": False, "last_seen": None}
            continue
        age = now - beat.beat_at
        report[name] = {
            "ok": age <= max_age,
            "last_seen": beat.beat_at.isoformat(),
            "age_seconds": round(age.total_seconds()),
        }
    report["ok"] = all(
        report[part]["ok"] for part in ("database", "worker", "scheduler")
    )
    return report


def audit_events_for(*, authority: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(authority=authority).select_related("actor")
