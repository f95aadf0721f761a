"""Pure functions between Bluesky's XRPC payloads and the connector's dataclasses:
record keys, rich-text facets, post records, sessions, records read back, errors.

Shapes follow the atproto lexicons (github.com/bluesky-social/atproto, lexicons/).
"""

import base64
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    CommentKind,
    Credentials,
    PostMetrics,
    RateLimitState,
    RemoteComment,
    RemotePost,
    count_or_none,
    total_or_none,
)
from parvis.connectors.errors import Rejected
from parvis.connectors.oauth import public_https_base_url

POST = "app.bsky.feed.post"
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post text: maxLength 3000, maxGraphemes 300
APP_URL = "https://bsky.app"

# Record keys of app.bsky.feed.post must be TIDs (the lexicon says `"key": "tid"`; the
# PDS refuses anything else with InvalidRequest). A TID is a 64-bit integer written in
# base32-sortable: top bit 0, 53 bits of microseconds since the epoch, 10 bits of clock
# identifier (https://atproto.com/specs/tid).
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Parvis's keys are hashes of the idempotency key, so that a second publish of the same
# publication lands on the same key and cannot create a second post. Their time part is
# put in a window long before Bluesky existed (2000-01-01 + 2**46 µs, about two years):
# it never collides with a key a PDS minted from its clock, and never lies in the
# future, which would push the post above every later one in the repository's order.
# The app view sorts feeds by createdAt, not by record key.
TID_WINDOW_START_US = 946_684_800 * 1_000_000
TID_WINDOW_BITS = 46

# A handle is a domain name (https://atproto.com/specs/handle), after "@".
HANDLE_MENTION = re.compile(
    r"(?<![\w@.])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
AUTH_ERRORS = frozenset(
    {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}
)


# -- record keys ---------------------------------------------------------------------
def tid(micros: int, clock_id: int) -> str:
    value = (micros << 10) | (clock_id & 0x3FF)
    if not 0 <= value < 1 << 63:
        raise ValueError("a TID is a 63-bit value")
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def record_key(idempotency_key: str, part: int) -> str:
    """The record key of part `part` (0 for the first) of the publication whose
    idempotency key is `idempotency_key`: always the same TID for the same pair."""
    digest = hashlib.sha256(f"parvis\x00{idempotency_key}\x00{part}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    offset = (number >> 10) & ((1 << TID_WINDOW_BITS) - 1)
    return tid(TID_WINDOW_START_US + offset, number)


# -- rich text -----------------------------------------------------------------------
def _byte_slice(text: str, start: int, end: int) -> dict[str, int]:
    """Facet indexes count bytes of the UTF-8 text, not characters."""
    byte_start = len(text[:start].encode("utf-8"))
    return {
        "byteStart": byte_start,
        "byteEnd": byte_start + len(text[start:end].encode("utf-8")),
    }


def facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict]:
    """Link, mention and hashtag facets of `text`. `resolve_handle` gives the DID of
    a handle, or None: an unknown handle stays plain text, as in the Bluesky app."""
    found: list[tuple[int, int, dict[str, str]]] = []
    for match in textlib.URL_PATTERN.finditer(text):
        found.append(
            (
                match.start(),
                match.end(),
                {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)},
            )
        )
    links = [(start, end) for start, end, _ in found]

    def inside_link(start: int) -> bool:
        return any(low <= start < high for low, high in links)

    for match in HANDLE_MENTION.finditer(text):
        if inside_link(match.start()):
            continue
        did = resolve_handle(match.group(1).lower())
        if did:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
            found.append((match.start(), match.end(), feature))
    for match in textlib.HASHTAG_PATTERN.finditer(text):
        if inside_link(match.start()):
            continue
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}
        found.append((match.start(), match.end(), feature))
    found.sort(key=lambda item: item[0])
    return [
        {"index": _byte_slice(text, start, end), "features": [feature]}
        for start, end, feature in found
    ]


# -- records -------------------------------------------------------------------------
def timestamp(moment: dt.datetime) -> str:
    """Lexicon datetime: UTC, milliseconds, trailing Z (as the Bluesky docs show)."""
    utc = moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return utc.replace("+00:00", "Z")


def post_record(
    *,
    text: str,
    created_at: dt.datetime,
    facets: list[dict],
    embed: Mapping[str, Any] | None = None,
    reply: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "$type": POST,
        "text": text,
        "createdAt": timestamp(created_at),
        "langs": ["fr"],
    }
    if facets:
        record["facets"] = facets
    if embed:
        record["embed"] = dict(embed)
    if reply:
        record["reply"] = dict(reply)
    return record


def images_embed(
    blobs: Sequence[Mapping[str, Any]],
    alts: Sequence[str],
    sizes: Sequence[tuple[int, int] | None],
) -> dict[str, Any]:
    images = []
    for blob, alt, size in zip(blobs, alts, sizes, strict=True):
        image: dict[str, Any] = {"alt": alt, "image": dict(blob)}
        if size:
            image["aspectRatio"] = {"width": size[0], "height": size[1]}
        images.append(image)
    return {"$type": "app.bsky.embed.images", "images": images}


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height, for the aspect ratio the Bluesky app lays images out with."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def external_embed(link: str) -> dict[str, Any]:
    """A link card without fetching the page: the title is the site's name."""
    return {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": link,
            "title": urlsplit(link).hostname or link,
            "description": "",
        },
    }


def split_uri(uri: str) -> tuple[str, str, str]:
    """at://<did>/<collection>/<rkey> -> (did, collection, rkey)."""
    if not uri.startswith("at://"):
        raise ValueError(f"not an AT URI: {uri!r}")
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3:
        raise ValueError(f"not a record AT URI: {uri!r}")
    return parts[0], parts[1], parts[2]


def post_url(uri: str) -> str:
    did, _, rkey = split_uri(uri)
    return f"{APP_URL}/profile/{did}/post/{rkey}"


def remote_post(record: Mapping[str, Any]) -> RemotePost:
    """An item of listRecords, or a getRecord answer."""
    value = record.get("value") or {}
    return RemotePost(
        remote_id=record["uri"],
        text=value.get("text", ""),
        created_at=parse_datetime(value.get("createdAt")),
        url=post_url(record["uri"]),
    )


def parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# -- listening -----------------------------------------------------------------------
def notification_comment(notification: Mapping[str, Any]) -> RemoteComment:
    """A `reply`, `mention` or `quote` of app.bsky.notification.listNotifications:
    the post (`record`, an app.bsky.feed.post) and its author (a ProfileView)."""
    record = notification.get("record") or {}
    author = notification.get("author") or {}
    reply = record.get("reply") or {}
    uri = str(notification["uri"])
    handle = str(author.get("handle") or "")
    return RemoteComment(
        remote_id=uri,
        text=str(record.get("text") or ""),
        author_id=str(author.get("did") or ""),
        author_name=str(author.get("displayName") or handle),
        author_handle=f"@{handle}" if handle else "",
        created_at=parse_datetime(record.get("createdAt"))
        or parse_datetime(notification.get("indexedAt")),
        url=post_url(uri),
        in_reply_to_id=str((reply.get("parent") or {}).get("uri") or ""),
        thread_key=str((reply.get("root") or {}).get("uri") or uri),
        kind=(
            CommentKind.COMMENT
            if notification.get("reason") == "reply"
            else CommentKind.MENTION
        ),
    )


def strong_ref(record: Mapping[str, Any]) -> dict[str, str]:
    """{"uri", "cid"} of a getRecord answer (com.atproto.repo.strongRef)."""
    return {"uri": str(record["uri"]), "cid": str(record["cid"])}


def reply_refs(parent: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The `reply` of a post answering `parent` (a getRecord answer): the parent, and
    the root of its thread (the parent itself when it starts one)."""
    parent_ref = strong_ref(parent)
    root = ((parent.get("value") or {}).get("reply") or {}).get("root")
    return {"root": dict(root) if root else parent_ref, "parent": parent_ref}


# -- sessions ------------------------------------------------------------------------
def jwt_expiry(token: str) -> dt.datetime | None:
    """The `exp` claim of a session JWT, read without checking the signature (only the
    PDS can check it; Parvis only needs to know when to refresh)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
        return dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def pds_endpoint(did_doc: Any) -> str:
    """The account's own PDS from its DID document (an entryway such as bsky.social
    hands out sessions for accounts hosted elsewhere)."""
    if not isinstance(did_doc, dict):
        return ""
    for service in did_doc.get("service") or []:
        if str(service.get("id", "")).endswith("#atproto_pds"):
            endpoint = service.get("serviceEndpoint")
            if isinstance(endpoint, str):
                # The server names it: only a public https host is taken, else the
                # address the user typed is kept.
                try:
                    return public_https_base_url(endpoint.rstrip("/"), what="PDS")
                except Rejected:
                    return ""
    return ""


def credentials(session: Mapping[str, Any], base_url: str) -> Credentials:
    """createSession / refreshSession output -> what a channel stores."""
    extra = {"handle": session["handle"]}
    refresh_expiry = jwt_expiry(session["refreshJwt"])
    if refresh_expiry:
        extra["refresh_expires_at"] = refresh_expiry.isoformat()
    return Credentials(
        access_token=session["accessJwt"],
        refresh_token=session["refreshJwt"],
        account_id=session["did"],
        expires_at=jwt_expiry(session["accessJwt"]),
        base_url=pds_endpoint(session.get("didDoc")) or base_url.rstrip("/"),
        extra=extra,
    )


# -- errors and rate limits ----------------------------------------------------------
# -- counters ------------------------------------------------------------------------
def post_view(body: Any, uri: str) -> dict[str, Any] | None:
    """The postView of `uri` in an app.bsky.feed.getPosts answer, None when the
    post is not in it (deleted, or not visible)."""
    posts = body.get("posts") if isinstance(body, dict) else None
    for post in posts or []:
        if isinstance(post, dict) and post.get("uri") == uri:
            return post
    return None


def post_metrics(post: Mapping[str, Any]) -> PostMetrics:
    """Counters of a postView (app.bsky.feed.defs#postView, every count optional):
    likes, replies, reposts and quotes (shares)."""
    return PostMetrics(
        remote_id=str(post["uri"]),
        reactions=count_or_none(post.get("likeCount")),
        comments=count_or_none(post.get("replyCount")),
        shares=total_or_none(
            count_or_none(post.get("repostCount")),
            count_or_none(post.get("quoteCount")),
        ),
    )


def followers_count(profile: Any) -> int | None:
    """`followersCount` of app.bsky.actor.defs#profileViewDetailed (optional)."""
    if not isinstance(profile, dict):
        return None
    return count_or_none(profile.get("followersCount"))


def xrpc_error(response: httpx.Response) -> tuple[str, str]:
    """(error, message) of an XRPC error body {"error": ..., "message": ...}."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return "", f"HTTP {response.status_code}: {response.text[:200]}"
    code = str(body.get("error") or "")
    message = str(body.get("message") or code or f"HTTP {response.status_code}")
    return code, message


def rate_limit(headers: httpx.Headers) -> RateLimitState | None:
    """RateLimit-Remaining and RateLimit-Reset (epoch seconds) of a PDS answer."""
    remaining, reset = (
        headers.get("ratelimit-remaining"),
        headers.get("ratelimit-reset"),
    )
    if remaining is None and reset is None:
        return None
    try:
        reset_at = dt.datetime.fromtimestamp(int(reset), dt.UTC) if reset else None
        return RateLimitState(
            remaining=int(remaining) if remaining is not None else None,
            reset_at=reset_at,
        )
    except ValueError:
        return None
