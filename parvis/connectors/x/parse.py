"""Pure functions turning X API v2 payloads into the connector dataclasses.

Shapes: https://docs.x.com/x-api/posts/manage-tweets/quickstart (create, delete),
https://docs.x.com/x-api/posts/timelines/quickstart/reverse-chron-quickstart (timeline),
https://docs.x.com/x-api/fundamentals/response-codes-and-errors (problem details),
https://docs.x.com/x-api/fundamentals/rate-limits (x-rate-limit-* headers, 429 body),
https://docs.x.com/x-api/fundamentals/metrics (public and non-public metrics).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from parvis.connectors.base import (
    AccountInfo,
    CommentKind,
    Credentials,
    PostMetrics,
    RateLimitState,
    RemoteComment,
    RemotePost,
    count_or_none,
    total_or_none,
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


# X ids are Snowflakes that encode their creation time (docs.x.com/fundamentals/x-ids):
# milliseconds since the Snowflake epoch above 22 bits of worker and sequence
# (github.com/twitter-archive/snowflake, IdWorker: twepoch = 1288834974657).
SNOWFLAKE_EPOCH_MS = 1288834974657
SNOWFLAKE_TIME_SHIFT = 22


def created_at_from_id(post_id: str) -> dt.datetime | None:
    """When the post `post_id` was created, read from its Snowflake id."""
    if not post_id.isdigit():
        return None
    millis = (int(post_id) >> SNOWFLAKE_TIME_SHIFT) + SNOWFLAKE_EPOCH_MS
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC)


def found_data(body: Any) -> dict[str, Any] | None:
    """The `data` object of a lookup, None when X answered only `errors` (the
    post does not exist any more: a "partial error" answered with 200)."""
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else None


def post_metrics(post: Mapping[str, Any]) -> PostMetrics:
    """Counters of a post object: public_metrics (like, reply, retweet, quote and,
    where given, impression counts) and non_public_metrics (impressions, url link
    clicks; absent beyond 30 days, url_link_clicks absent without a link)."""
    public = post.get("public_metrics") or {}
    private = post.get("non_public_metrics") or {}
    impressions = count_or_none(private.get("impression_count"))
    if impressions is None:
        impressions = count_or_none(public.get("impression_count"))
    return PostMetrics(
        remote_id=str(post["id"]),
        impressions=impressions,
        reactions=count_or_none(public.get("like_count")),
        comments=count_or_none(public.get("reply_count")),
        shares=total_or_none(
            count_or_none(public.get("retweet_count")),
            count_or_none(public.get("quote_count")),
        ),
        clicks=count_or_none(private.get("url_link_clicks")),
    )


def followers_count(body: Any) -> int | None:
    """data.public_metrics.followers_count of a user lookup."""
    data = found_data(body) or {}
    return count_or_none((data.get("public_metrics") or {}).get("followers_count"))


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
    generic one, else the first numeric code (or problem type) of an `errors`
    list."""
    if not isinstance(body, dict):
        return ""
    kind = body.get("type")
    if isinstance(kind, str) and kind and kind != "about:blank":
        return kind.rsplit("/", 1)[-1]
    for item in body.get("errors") or []:
        if isinstance(item, dict) and "code" in item:
            return str(item["code"])
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            return str(item["type"]).rsplit("/", 1)[-1]
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
