"""API keys of the Open311 applications allowed to submit requests. A key is shown
once, when it is created; only its SHA-256 is stored, so a leaked database does not
leak keys. Revoking is immediate."""

import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.inbox.models import Open311Key
from parvis.system.services import audit_record

KEY_BYTES = 32


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_key_create(
    *, authority: Any, actor: Any, label: str
) -> tuple[Open311Key, str]:
    """A new key for `label` (the application's name). Returns the row and the key,
    which the caller shows once."""
    label = label.strip()[:120]
    if not label:
        raise ValueError("an Open311 key needs the application's name")
    key = secrets.token_urlsafe(KEY_BYTES)
    row = Open311Key.objects.create(
        authority=authority, label=label, key_hash=_digest(key), created_by=actor
    )
    audit_record(
        actor=actor,
        action="inbox.open311_key_created",
        summary=_("Clé Open311 créée pour « %(label)s »") % {"label": label},
        authority=authority,
        target=row,
    )
    return row, key


def open311_key_revoke(*, key: Open311Key, actor: Any) -> bool:
    """Revoke `key`; False when it already was."""
    updated = Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=actor,
            action="inbox.open311_key_revoked",
            summary=_("Clé Open311 de « %(label)s » révoquée") % {"label": key.label},
            authority=key.authority,
            target=key,
        )
    return bool(updated)


def open311_key_valid(*, authority: Any, key: str) -> bool:
    """Whether `key` may submit requests to `authority` (known, not revoked). The
    digest is looked up, not compared: it reveals nothing of the key."""
    if not key:
        return False
    return Open311Key.objects.filter(
        authority=authority, key_hash=_digest(key), revoked_at__isnull=True
    ).exists()
