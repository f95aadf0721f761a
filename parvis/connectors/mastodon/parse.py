"""Mastodon JSON payloads and headers turned into frozen dataclasses. Pure functions:
no HTTP here. Shapes: https://docs.joinmastodon.org/entities/ (Status, Account,
MediaAttachment, Instance, Notification, Token, Error)."""

import contextlib
import datetime as dt
import email.utils
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from parvis.connectors.base import (
    AccountInfo,
    CommentKind,
    PostMetrics,
    PublishedPart,
    RateLimitState,
    RemoteComment,
    RemotePost,
    count_or_none,
)

Json = Mapping[str, Any]


@dataclass(frozen=True)
class InstanceLimits:
    """configuration.statuses of GET /api/v2/instance."""

    domain: str
    max_characters: int | None
    characters_reserved_per_url: int | None
    max_media_attachments: int | None


def parse_datetime(value: object) -> dt.datetime | None:
    """An ISO 8601 datetime ("2019-12-08T03:48:33.901Z") as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.chunks.append("\n")
        elif tag == "p" and self.chunks:
            self.chunks.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Plain text of a status' HTML `content`: paragraphs become blank lines, `<br>`
    line breaks; links keep their full URL (Mastodon only hides parts of it with
    `span.invisible`), mentions read "@user"."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return "".join(extractor.chunks).strip()


def published_part(status: Json) -> PublishedPart:
    return PublishedPart(remote_id=str(status["id"]), url=status.get("url") or "")


def status_text(status: Json) -> str:
    # A deleted status carries its source `text` instead of `content`.
    if status.get("content") is None and status.get("text"):
        return str(status["text"])
    return html_to_text(status.get("content") or "")


def remote_post(status: Json) -> RemotePost:
    return RemotePost(
        remote_id=str(status["id"]),
        text=status_text(status),
        created_at=parse_datetime(status.get("created_at")),
        url=status.get("url") or "",
    )


def remote_comment(status: Json, *, own_id: str = "") -> RemoteComment:
    """A status written to the account. A direct one is a private message; one
    answering a status of the account (`own_id`) a comment; any other a mention."""
    account = status.get("account") or {}
    in_reply_to_id = str(status.get("in_reply_to_id") or "")
    if status.get("visibility") == "direct":
        kind = CommentKind.DIRECT
    elif own_id and str(status.get("in_reply_to_account_id") or "") == own_id:
        kind = CommentKind.COMMENT
    else:
        kind = CommentKind.MENTION
    return RemoteComment(
        remote_id=str(status["id"]),
        text=status_text(status),
        author_id=str(account.get("id") or ""),
        author_name=str(account.get("display_name") or account.get("username") or ""),
        author_handle=f"@{account['acct']}" if account.get("acct") else "",
        created_at=parse_datetime(status.get("created_at")),
        url=status.get("url") or status.get("uri") or "",
        in_reply_to_id=in_reply_to_id,
        # Statuses do not name their thread's root: the status answered stands in.
        thread_key=in_reply_to_id or str(status["id"]),
        kind=kind,
    )


def mention_comments(
    notifications: list[Json], *, own_id: str = ""
) -> list[RemoteComment]:
    """The statuses of `mention` notifications, oldest first (the API lists the newest
    first; ids are strings "not guaranteed to be a number", so the order is kept)."""
    comments = [
        remote_comment(item["status"], own_id=own_id)
        for item in notifications
        if item.get("type") == "mention" and item.get("status")
    ]
    return comments[::-1]


def post_metrics(status: Json) -> PostMetrics:
    """The counters a Status carries: favourites (reactions), replies (comments;
    absent before Mastodon 2.5.0) and boosts (shares). Mastodon counts no
    impressions, reach, clicks nor views."""
    return PostMetrics(
        remote_id=str(status["id"]),
        reactions=count_or_none(status.get("favourites_count")),
        comments=count_or_none(status.get("replies_count")),
        shares=count_or_none(status.get("reblogs_count")),
    )


def followers_count(account: Json) -> int | None:
    """`followers_count` of an Account entity."""
    return count_or_none(account.get("followers_count"))


def instance_limits(instance: Json) -> InstanceLimits:
    statuses = (instance.get("configuration") or {}).get("statuses") or {}
    return InstanceLimits(
        domain=str(instance.get("domain") or ""),
        max_characters=_int_or_none(statuses.get("max_characters")),
        characters_reserved_per_url=_int_or_none(
            statuses.get("characters_reserved_per_url")
        ),
        max_media_attachments=_int_or_none(statuses.get("max_media_attachments")),
    )


def account_info(
    account: Json, *, domain: str, max_chars: int | None = None
) -> AccountInfo:
    """`acct` of one's own account has no domain: the handle adds the instance's."""
    acct = str(account.get("acct") or account.get("username") or "")
    handle = f"@{acct}" if "@" in acct or not domain else f"@{acct}@{domain}"
    return AccountInfo(
        account_id=str(account["id"]),
        handle=handle,
        display_name=account.get("display_name") or "",
        url=account.get("url") or "",
        max_chars=max_chars,
    )


def error_message(body: object) -> str:
    """The Error entity: `error`, with `error_description` on OAuth endpoints."""
    if not isinstance(body, Mapping):
        return ""
    for key in ("error_description", "error"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def rate_limit(headers: Mapping[str, str]) -> RateLimitState | None:
    """X-RateLimit-Remaining and X-RateLimit-Reset (an ISO 8601 datetime)."""
    remaining = _int_or_none(headers.get("x-ratelimit-remaining"))
    reset_at = parse_datetime(headers.get("x-ratelimit-reset"))
    if remaining is None and reset_at is None:
        return None
    return RateLimitState(remaining=remaining, reset_at=reset_at)


def seconds_until_reset(headers: Mapping[str, str]) -> float | None:
    """Seconds from the response's own `Date` to X-RateLimit-Reset, so that a clock
    skew between the instance and this server does not distort the wait."""
    reset_at = parse_datetime(headers.get("x-ratelimit-reset"))
    if reset_at is None:
        return None
    now = dt.datetime.now(dt.UTC)
    if date := headers.get("date"):
        with contextlib.suppress(TypeError, ValueError):
            now = email.utils.parsedate_to_datetime(date).astimezone(dt.UTC)
    return max(0.0, (reset_at - now).total_seconds())


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
