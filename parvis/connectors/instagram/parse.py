"""Pure functions over Instagram Graph payloads (Instagram API with Facebook Login).

Errors, usage headers, timestamps and ids are plain Graph: they come from
`parvis.connectors.facebook.parse` (same host, same error body and codes, same
throttling headers), re-exported here so this package reads as one whole.
"""

from dataclasses import dataclass
from typing import Any

from parvis.connectors.base import AccountInfo, CommentKind, RemoteComment, RemotePost
from parvis.connectors.facebook.parse import (
    CommentEvent,
    as_dict,
    created_id,
    deleted,
    error_for,
    graph_error,
    listed_posts,
    next_page_cursor,
    page_choices,
    parse_time,
    rate_limit_state,
    success,
    webhook_comment_events,
)

__all__ = [
    "CommentEvent",
    "PublishingQuota",
    "account",
    "container_status",
    "created_id",
    "deleted",
    "error_for",
    "graph_error",
    "media_comments",
    "media_posts",
    "next_page_cursor",
    "page_choices",
    "publishing_quota",
    "rate_limit_state",
    "success",
    "webhook_comment_events",
]

# IG Container status_code values.
FINISHED = "FINISHED"
IN_PROGRESS = "IN_PROGRESS"
PUBLISHED = "PUBLISHED"
FAILED = frozenset({"ERROR", "EXPIRED"})


@dataclass(frozen=True)
class PublishingQuota:
    """Posts published through the API in the rolling window, and the ceiling."""

    used: int
    total: int | None
    window_seconds: int | None

    @property
    def remaining(self) -> int | None:
        return None if self.total is None else max(0, self.total - self.used)


def container_status(payload: Any) -> str:
    """status_code of GET /{ig-container-id}?fields=status_code."""
    body = payload if isinstance(payload, dict) else {}
    return str(body.get("status_code") or "")


def publishing_quota(payload: Any) -> PublishingQuota:
    """GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config."""
    items = payload.get("data") if isinstance(payload, dict) else None
    entry = items[0] if isinstance(items, list) and items else {}
    config = entry.get("config") if isinstance(entry, dict) else None
    config = config if isinstance(config, dict) else {}
    return PublishingQuota(
        used=_int(entry.get("quota_usage")) if isinstance(entry, dict) else 0,
        total=_int_or_none(config.get("quota_total")),
        window_seconds=_int_or_none(config.get("quota_duration")),
    )


def media_posts(payload: Any) -> list[RemotePost]:
    """GET /{ig-user-id}/media?fields=id,caption,permalink,timestamp."""
    return listed_posts(payload, text="caption", created="timestamp", url="permalink")


def media_comments(payload: Any, *, media_id: str) -> list[RemoteComment]:
    """Comments of GET /{ig-media-id}/comments with their `replies` edge, flattened:
    each comment, then its replies. `from` is {"id", "username"} of the author."""
    items = payload.get("data") if isinstance(payload, dict) else None
    comments: list[RemoteComment] = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        comments.append(_comment(item, media_id=media_id))
        replies = as_dict(item.get("replies"))
        for reply in replies.get("data") or []:
            if isinstance(reply, dict) and reply.get("id"):
                comments.append(_comment(reply, media_id=media_id))
    return comments


def _comment(item: dict[str, Any], *, media_id: str) -> RemoteComment:
    author = as_dict(item.get("from"))
    username = str(author.get("username") or item.get("username") or "")
    return RemoteComment(
        remote_id=str(item["id"]),
        text=str(item.get("text") or ""),
        author_id=str(author.get("id") or ""),
        author_name=username,
        author_handle=f"@{username}" if username else "",
        created_at=parse_time(item.get("timestamp")),
        in_reply_to_id=str(item.get("parent_id") or media_id),
        thread_key=media_id,
        kind=CommentKind.COMMENT,
    )


def account(payload: Any) -> AccountInfo:
    """GET /{ig-user-id}?fields=id,username,name."""
    body = payload if isinstance(payload, dict) else {}
    username = str(body.get("username") or "")
    return AccountInfo(
        account_id=str(body.get("id") or ""),
        handle=username,
        display_name=str(body.get("name") or username),
        # Instagram profiles live at instagram.com/<username>/; the API has no field.
        url=f"https://www.instagram.com/{username}/" if username else "",
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) else None
