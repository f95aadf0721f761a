"""Reads of the calendar feeds and exports: a feed from its secret token, the feeds of
an authority, and the posts of its calendar with what the ICS feed and the CSV export
show of them (variants, publications and campaign prefetched: no query per post)."""

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from parvis.planning.models import CalendarFeed
from parvis.publishing.models import Publication, PublicationState
from parvis.studio.models import Post, PostState, Variant

# What the ICS feed shows: the slots decided or about to be. Drafts stay inside the
# team (they may never be proposed); failed posts are the team's to retry, not an
# appointment for the elected members.
FEED_STATES = {
    PostState.IN_REVIEW: "TENTATIVE",
    PostState.APPROVED: "CONFIRMED",
    PostState.SCHEDULED: "CONFIRMED",
    PostState.PUBLISHED: "CONFIRMED",
}
FEED_PAST = dt.timedelta(days=60)
FEED_FUTURE = dt.timedelta(days=365)
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")
EXPORT_CHUNK = 500


def hash_token(token: str) -> str:
    """What is stored of a feed's token (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The live feed of `token`, or None (unknown, malformed or revoked). The lookup
    is by hash: the database compares digests, never the secret itself."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    digest = hash_token(token)
    feed = (
        CalendarFeed.objects.select_related("authority")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    return feed


def calendar_feeds_of(*, authority: Any) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(authority=authority).select_related("created_by")


def calendar_feed_of(*, authority: Any, feed_id: Any) -> CalendarFeed:
    try:
        return CalendarFeed.objects.get(pk=int(feed_id), authority=authority)
    except (CalendarFeed.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such calendar feed") from exc


def _calendar_posts(*, authority: Any, with_channels: bool) -> QuerySet[Post]:
    variants = Variant.objects.order_by("pk").only("pk", "post_id", "network", "parts")
    lookups: list[Any] = [Prefetch("variants", queryset=variants)]
    if with_channels:
        publications = (
            Publication.objects.exclude(state=PublicationState.CANCELLED)
            .select_related("channel")
            .only("pk", "variant_id", "channel__network", "channel__handle")
            .order_by("pk")
        )
        lookups.append(Prefetch("variants__publications", queryset=publications))
    return (
        Post.objects.filter(authority=authority, planned_at__isnull=False)
        .select_related("campaign")
        .prefetch_related(*lookups)
        .order_by("planned_at", "pk")
    )


def feed_posts(*, authority: Any, now: dt.datetime) -> QuerySet[Post]:
    """The posts the ICS feed shows: planned from FEED_PAST ago to FEED_FUTURE ahead,
    in one of FEED_STATES."""
    return _calendar_posts(authority=authority, with_channels=False).filter(
        state__in=list(FEED_STATES),
        planned_at__gte=now - FEED_PAST,
        planned_at__lt=now + FEED_FUTURE,
    )


def local_day_bounds(
    *, start: dt.date, end: dt.date, zone: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """The instants of local midnight on `start` and after `end` (inclusive range)."""
    first = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return first, after


def calendar_export_posts(
    *, authority: Any, start: dt.date, end: dt.date
) -> Iterator[Post]:
    """Every post planned from `start` to `end` (local days, inclusive), whatever its
    state, oldest first; read by chunks so that a long range is never held whole."""
    zone = ZoneInfo(authority.timezone)
    first, after = local_day_bounds(start=start, end=end, zone=zone)
    posts = _calendar_posts(authority=authority, with_channels=True).filter(
        planned_at__gte=first, planned_at__lt=after
    )
    return posts.iterator(chunk_size=EXPORT_CHUNK)


def networks_of(post: Post) -> list[str]:
    """The networks of a post's variants, in words, once each."""
    labels = {variant.get_network_display() for variant in post.variants.all()}
    return sorted(labels)


def channels_of(post: Post) -> list[str]:
    """The channels a post is (or was) planned on, cancelled ones aside."""
    names = {
        str(publication.channel)
        for variant in post.variants.all()
        for publication in variant.publications.all()
    }
    return sorted(names)


def first_variant_text(post: Post) -> str:
    variants = post.variants.all()
    return variants[0].text if variants else ""
