"""Pure functions turning X API v2 payloads into the connector dataclasses.

Shapes: https://docs.x.com/x-api/posts/manage-tweets/quickstart (create, delete),
https://docs.x.com/x-api/posts/timelines/quickstart/reverse-chron-quickstart (timeline),
https://docs.x.com/x-api/fundamentals/response-codes-and-errors (problem details),
https://docs.x.com/x-api/fundamentals/rate-limits (x-rate-limit-* headers, 429 body).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from parvis.connectors.base import (
    AccountInfo,
    CommentKind,
    Credentials,
    RateLimitState,
    RemoteComment,
    RemotePost,
)
from parvis.connectors.oauth import renewed


def post_url(post_id: str) -> str:
    # The i/web form resolves without knowing the account's handle.
    return f"https://x.com/i/web/status/{post_id}"


def created_post_id(body: Any) -> str:
    """The id of the post a POST /2/tweets created."""
    return str(body["data"]["id"])


def media_id(body: Any) -> str:
    """The media id a POST /2/media/upload returned."""
    return str(body["data"]["id"])


def deleted(body: Any) -> bool:
    return bool(body.get("data", {}).get("deleted"))


def account(body: Any) -> AccountInfo:
    data = body["data"]
    username = str(data.get("username", ""))
    return AccountInfo(
        account_id=str(data["id"]),
        handle=username,
        display_name=str(data.get("name", "")),
        url=f"https://x.com/{username}" if username else "",
    )


def remote_posts(body: Any) -> list[RemotePost]:
    """Posts of a user timeline (GET /2/users/:id/tweets?tweet.fields=created_at)."""
    return [
        RemotePost(
            remote_id=str(item["id"]),
            text=str(item.get("text", "")),
            created_at=_timestamp(item.get("created_at")),
            url=post_url(str(item["id"])),
        )
        for item in body.get("data") or []
    ]


def mention_comments(body: Any, *, own_id: str) -> list[RemoteComment]:
    """Posts of GET /2/users/:id/mentions (tweet.fields created_at, author_id,
    conversation_id, in_reply_to_user_id, referenced_tweets; expansions author_id),
    oldest first. A post answering one of the account's is a comment."""
    users = {
        str(user.get("id")): user
        for user in (body.get("includes") or {}).get("users") or []
        if isinstance(user, dict)
    }
    comments = []
    for item in body.get("data") or []:
        author = users.get(str(item.get("author_id")), {})
        username = str(author.get("username") or "")
        replied_to = next(
            (
                str(ref.get("id"))
                for ref in item.get("referenced_tweets") or []
                if isinstance(ref, dict) and ref.get("type") == "replied_to"
            ),
            "",
        )
        answers_us = own_id and str(item.get("in_reply_to_user_id") or "") == own_id
        comments.append(
            RemoteComment(
                remote_id=str(item["id"]),
                text=str(item.get("text", "")),
                author_id=str(item.get("author_id") or ""),
                author_name=str(author.get("name") or username),
                author_handle=f"@{username}" if username else "",
                created_at=_timestamp(item.get("created_at")),
                url=post_url(str(item["id"])),
                in_reply_to_id=replied_to,
                thread_key=str(item.get("conversation_id") or item["id"]),
                kind=CommentKind.COMMENT if answers_us else CommentKind.MENTION,
            )
        )
    return comments[::-1]  # X lists the newest first


def newest_id(body: Any) -> str:
    """meta.newest_id of a timeline page ("" when it holds no post)."""
    return str((body.get("meta") or {}).get("newest_id") or "")


def next_token(body: Any) -> str:
    return str((body.get("meta") or {}).get("next_token") or "")


def hidden(body: Any) -> bool:
    """PUT /2/tweets/:id/hidden answers {"data": {"hidden": true}}."""
    return bool((body.get("data") or {}).get("hidden"))


def later_id(first: str, second: str) -> str:
    """The more recent of two post ids (snowflakes grow with time)."""
    if not first or not second:
        return first or second
    return max(first, second, key=int)


def _timestamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def error_message(body: Any) -> str:
    """The human message of an error payload: problem details (`detail`, `title`),
    an `errors` list, or the OAuth token endpoint's `error_description`."""
    if not isinstance(body, dict):
        return ""
    for key in ("detail", "title", "error_description"):
        if isinstance(body.get(key), str) and body[key]:
            return str(body[key])
    messages = [
        str(item.get("message") or item.get("detail") or "")
        for item in body.get("errors") or []
        if isinstance(item, dict)
    ]
    return " ; ".join(message for message in messages if message)


def error_code(body: Any) -> str:
    """The machine-readable kind of error: the problem `type` when it is not the
    generic one, else the first numeric code of an `errors` list."""
    if not isinstance(body, dict):
        return ""
    kind = body.get("type")
    if isinstance(kind, str) and kind and kind != "about:blank":
        return kind.rsplit("/", 1)[-1]
    for item in body.get("errors") or []:
        if isinstance(item, dict) and "code" in item:
            return str(item["code"])
    return str(body.get("error", ""))


def rate_limit(headers: Mapping[str, str]) -> RateLimitState | None:
    """The window that binds, from the documented x-rate-limit-* headers. When the
    24-hour cap of post creation is exhausted (x-user-limit-24hour-* and
    x-app-limit-24hour-*, sent on POST /2/tweets but absent from the reference), its
    later reset wins: retrying at the 15-minute reset would only fail again."""
    state = _window(headers, "x-rate-limit")
    for prefix in ("x-user-limit-24hour", "x-app-limit-24hour"):
        daily = _window(headers, prefix)
        if daily is not None and daily.remaining == 0:
            state = daily
    return state


def _window(headers: Mapping[str, str], prefix: str) -> RateLimitState | None:
    remaining = headers.get(f"{prefix}-remaining")
    reset = headers.get(f"{prefix}-reset")
    if remaining is None and reset is None:
        return None
    return RateLimitState(
        remaining=int(remaining) if remaining and remaining.isdigit() else None,
        reset_at=(
            dt.datetime.fromtimestamp(int(reset), dt.UTC)
            if reset and reset.isdigit()
            else None
        ),
    )


def credentials(
    body: Any, *, now: dt.datetime, previous: Credentials | None = None
) -> Credentials:
    """Credentials from a POST /2/oauth2/token answer. X rotates refresh tokens, but
    the previous one is kept if an answer carries none."""
    expires_in = body.get("expires_in")
    fresh = Credentials(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_at=now + dt.timedelta(seconds=int(expires_in)) if expires_in else None,
        extra={"scope": str(body.get("scope", ""))},
    )
    return renewed(fresh, previous)
