"""Pure functions over Instagram Graph payloads (Instagram API with Facebook Login).

Errors, usage headers, timestamps and ids are plain Graph: they come from
`parvis.connectors.facebook.parse` (same host, same error body and codes, same
throttling headers), re-exported here so this package reads as one whole.
"""

from dataclasses import dataclass
from typing import Any

from parvis.connectors.base import AccountInfo, RemotePost
from parvis.connectors.facebook.parse import (
    created_id,
    deleted,
    error_for,
    graph_error,
    listed_posts,
    page_choices,
    rate_limit_state,
)

__all__ = [
    "PublishingQuota",
    "account",
    "container_status",
    "created_id",
    "deleted",
    "error_for",
    "graph_error",
    "media_posts",
    "page_choices",
    "publishing_quota",
    "rate_limit_state",
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
