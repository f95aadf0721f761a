"""Writes of the calendar feeds: a secret ICS address per person (an elected member's
agenda, the mayor's office), created and revoked by the validators and administrators.

The token is shown once, at creation; only its SHA-256 is kept, so a copy of the
database opens no calendar. Revoking closes the address for good (a new one is
created instead of reopening it)."""

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.planning.models import CalendarFeed
from parvis.planning.selectors_feeds import hash_token
from parvis.system.services import audit_record

TOKEN_BYTES = 32
# Calendar applications poll every few minutes: the last use is written at most this
# often, not once per poll.
LAST_USED_PRECISION = dt.timedelta(hours=1)


@transaction.atomic
def calendar_feed_create(
    *, authority: Any, actor: Any, label: str
) -> tuple[CalendarFeed, str]:
    """A new feed for `label` (for whom); returns it with its token, which is not
    stored and cannot be shown again."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        authority=authority,
        label=label.strip(),
        token_hash=hash_token(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        authority=authority,
        action="planning.calendar_feed_create",
        summary=_("Abonnement au calendrier créé pour « %(label)s ».")
        % {"label": feed.label},
        target=feed,
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor: Any) -> bool:
    """Close the feed's address. True if it was open (revoking twice is harmless)."""
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if not revoked:
        return False
    feed.revoked_at = now
    audit_record(
        actor=actor,
        authority=feed.authority,
        action="planning.calendar_feed_revoke",
        summary=_("Abonnement au calendrier de « %(label)s » révoqué.")
        % {"label": feed.label},
        target=feed,
    )
    return True


def calendar_feed_touch(*, feed: CalendarFeed, now: dt.datetime | None = None) -> None:
    """Note that the feed was read, unless that was already noted within the last
    LAST_USED_PRECISION."""
    now = now or timezone.now()
    if feed.last_used_at and feed.last_used_at > now - LAST_USED_PRECISION:
        return
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    feed.last_used_at = now
