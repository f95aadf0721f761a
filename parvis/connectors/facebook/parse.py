"""Pure functions over Graph API payloads: posts, Pages, tokens, errors, usage headers.

The error mapping and the usage headers serve Instagram too: the Instagram API with
Facebook Login is the same Graph (same host, same error body, same throttling codes and
headers), so `parvis.connectors.instagram` imports them from here instead of keeping a
second copy that would drift.

Error body (https://developers.facebook.com/docs/graph-api/guides/error-handling):
    {"error": {"message", "type", "code", "error_subcode", "error_user_title",
               "error_user_msg", "fbtrace_id"}}  (+ "is_transient" on Instagram)
"""

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parvis.connectors.base import (
    AccountInfo,
    CommentKind,
    RateLimitState,
    RemoteComment,
    RemotePost,
)
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
)

# Codes from the Graph error-handling guide and the rate-limiting overview.
AUTH_CODES = frozenset({102, 190})  # API session, access token expired or revoked
# Permission not granted or removed (10, 200-299): only a new login grants it back.
PERMISSION_CODES = frozenset({10, *range(200, 300)})
# 4 app, 17 user, 32 Page, 613 custom, 341 application limit, 9 Instagram publishing
# limit, 80001-80014 Business Use Case throttling.
THROTTLE_CODES = frozenset({4, 9, 17, 32, 341, 613, *range(80001, 80015)})
# 1 API unknown and 2 API service: "temporary issue due to downtime"; -1 and -2 are
# Instagram's "server error" and "took too long to download the media".
TRANSIENT_CODES = frozenset({-2, -1, 1, 2})
# Graph gives no wait for platform throttling and its windows roll (one hour for apps,
# 24 hours for Pages): wait a while before asking again.
DEFAULT_RETRY_AFTER = 600.0


@dataclass(frozen=True)
class GraphError:
    message: str
    type: str = ""
    code: int = 0
    subcode: int = 0
    user_message: str = ""
    fbtrace_id: str = ""
    is_transient: bool = False

    @property
    def network_code(self) -> str:
        return f"{self.code}/{self.subcode}" if self.subcode else str(self.code)


@dataclass(frozen=True)
class PageChoice:
    """A Page the person manages, as /me/accounts lists it."""

    page_id: str
    name: str
    access_token: str
    instagram_id: str = ""


def graph_error(payload: Any) -> GraphError | None:
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    return GraphError(
        message=str(error.get("message") or ""),
        type=str(error.get("type") or ""),
        code=_int(error.get("code")),
        subcode=_int(error.get("error_subcode")),
        user_message=str(error.get("error_user_msg") or ""),
        fbtrace_id=str(error.get("fbtrace_id") or ""),
        is_transient=error.get("is_transient") is True,
    )


def error_for(
    status: int, payload: Any, headers: Mapping[str, str], retry_after: float | None
) -> ConnectorError:
    """The error-tree member for a failed Graph answer. `retry_after` is what the
    Retry-After header said, if anything; the Business Use Case estimate wins."""
    wait = regain_seconds(headers) or retry_after
    error = graph_error(payload)
    if error is None:  # no Graph body: a proxy or a load balancer answered
        message = f"HTTP {status}"
        if status == 401:
            return AuthExpired(message, status=status)
        if status == 429:
            return RateLimited(
                message, status=status, retry_after=wait or DEFAULT_RETRY_AFTER
            )
        if status >= 500:
            return Unavailable(message, status=status, retry_after=wait)
        return Rejected(message, status=status)
    code, message = error.network_code, error.message or f"HTTP {status}"
    if error.code in AUTH_CODES or error.code in PERMISSION_CODES:
        return AuthExpired(message, status=status, network_code=code)
    if error.code in THROTTLE_CODES or status == 429:
        return RateLimited(
            message,
            status=status,
            network_code=code,
            retry_after=wait or DEFAULT_RETRY_AFTER,
        )
    if error.code in TRANSIENT_CODES or error.is_transient or status >= 500:
        return Unavailable(message, status=status, network_code=code, retry_after=wait)
    return Rejected(message, status=status, network_code=code)


# -- usage headers ------------------------------------------------------------------
# X-App-Usage: {"call_count": 28, "total_time": 25, "total_cputime": 25} (percent of the
# app's limit). X-Business-Use-Case-Usage: {"<object-id>": [{"type": "pages",
# "call_count": 100, "total_cputime": 25, "total_time": 25,
# "estimated_time_to_regain_access": 19}]}, the estimate in minutes.
USAGE_FIELDS = ("call_count", "total_cputime", "total_time")


def _usage_entries(headers: Mapping[str, str]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    app = _json_header(headers, "x-app-usage")
    if isinstance(app, dict):
        entries.append(app)
    business = _json_header(headers, "x-business-use-case-usage")
    if isinstance(business, dict):
        for items in business.values():
            if isinstance(items, list):
                entries.extend(item for item in items if isinstance(item, dict))
    return entries


def usage_percent(headers: Mapping[str, str]) -> float | None:
    """The highest share of a Graph limit already used, in percent (throttling starts
    at 100), or None when the answer carries no usage header."""
    values = [
        float(entry[name])
        for entry in _usage_entries(headers)
        for name in USAGE_FIELDS
        if isinstance(entry.get(name), int | float)
    ]
    return max(values) if values else None


def regain_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds until throttled calls succeed again, from the Business Use Case header."""
    minutes = [
        float(entry["estimated_time_to_regain_access"])
        for entry in _usage_entries(headers)
        if isinstance(entry.get("estimated_time_to_regain_access"), int | float)
    ]
    longest = max(minutes, default=0.0)
    return longest * 60 if longest > 0 else None


def rate_limit_state(
    headers: Mapping[str, str], now: dt.datetime
) -> RateLimitState | None:
    """Graph counts in percent, not calls: `remaining` is the percentage of the limit
    still free; `reset_at` is set only while Meta estimates a throttling end."""
    used = usage_percent(headers)
    if used is None:
        return None
    regain = regain_seconds(headers)
    return RateLimitState(
        remaining=max(0, 100 - round(used)),
        reset_at=now + dt.timedelta(seconds=regain) if regain else None,
    )


# -- payloads -----------------------------------------------------------------------
def created_id(payload: Any) -> str:
    """The id Graph returns for what it created ({"id": "..."})."""
    if isinstance(payload, dict) and payload.get("id"):
        return str(payload["id"])
    # A success without an id: something was probably created, but nothing says what.
    raise Unavailable("Graph answered without an id", maybe_sent=True)


def deleted(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("success") is True


def parse_time(value: Any) -> dt.datetime | None:
    """Graph timestamps look like 2026-05-12T08:30:00+0000."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(dt.UTC)
    except ValueError:
        return None


def listed_posts(
    payload: Any, *, text: str, created: str, url: str
) -> list[RemotePost]:
    """The items of a Graph list ({"data": [...]}) as posts, read from the fields
    named `text`, `created` and `url` (Pages and Instagram name them apart)."""
    items = payload.get("data") if isinstance(payload, dict) else None
    return [
        RemotePost(
            remote_id=str(item["id"]),
            text=str(item.get(text) or ""),
            created_at=parse_time(item.get(created)),
            url=str(item.get(url) or ""),
        )
        for item in items or []
        if isinstance(item, dict) and item.get("id")
    ]


def page_posts(payload: Any) -> list[RemotePost]:
    """Posts of /{page-id}/published_posts (message, created_time, permalink_url)."""
    return listed_posts(
        payload, text="message", created="created_time", url="permalink_url"
    )


def page_comments(payload: Any, *, post_id: str) -> list[RemoteComment]:
    """Comments of GET /{post-id}/comments (fields COMMENT_FIELDS of the connector):
    `from` is the commenter ({"id", "name"}), `parent` the comment answered when it
    is a reply (with filter=stream, replies come in the same list)."""
    items = payload.get("data") if isinstance(payload, dict) else None
    comments = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        author = as_dict(item.get("from"))
        parent = as_dict(item.get("parent"))
        comments.append(
            RemoteComment(
                remote_id=str(item["id"]),
                text=str(item.get("message") or ""),
                author_id=str(author.get("id") or ""),
                author_name=str(author.get("name") or ""),
                created_at=parse_time(item.get("created_time")),
                url=str(item.get("permalink_url") or ""),
                in_reply_to_id=str(parent.get("id") or post_id),
                thread_key=post_id,
                kind=CommentKind.COMMENT,
            )
        )
    return comments


def next_page_cursor(payload: Any) -> str:
    """The `after` cursor of a Graph list when there is a next page ("" otherwise:
    `paging.next` is absent on the last page)."""
    paging = payload.get("paging") if isinstance(payload, dict) else None
    if not isinstance(paging, dict) or not paging.get("next"):
        return ""
    cursors = paging.get("cursors")
    return str(cursors.get("after") or "") if isinstance(cursors, dict) else ""


def success(payload: Any) -> bool:
    """{"success": true}, Graph's answer to an update (hiding a comment...)."""
    return isinstance(payload, dict) and payload.get("success") is True


# -- webhooks -------------------------------------------------------------------------
@dataclass(frozen=True)
class CommentEvent:
    """A webhook's news of a comment: which account (the Page or Instagram account
    id), under which post (or media), which comment, what happened. The payload is
    only a hint: the comment itself is read back through the connector."""

    network: str
    account_id: str
    object_id: str
    comment_id: str
    verb: str = "add"


def webhook_comment_events(payload: Any) -> list[CommentEvent]:
    """Comment events of a Meta webhook notification: a Page's `feed` changes with
    item "comment" (Webhooks for Pages), an Instagram account's `comments` changes
    (Instagram webhooks). Anything else (likes, posts, messages) is left out."""
    body = payload if isinstance(payload, dict) else {}
    kind = body.get("object")
    events = []
    for entry in body.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        account_id = str(entry.get("id") or "")
        for change in entry.get("changes") or []:
            if not isinstance(change, dict) or not isinstance(
                change.get("value"), dict
            ):
                continue
            value = change["value"]
            if kind == "page" and change.get("field") == "feed":
                if value.get("item") != "comment" or not value.get("post_id"):
                    continue
                events.append(
                    CommentEvent(
                        network="facebook",
                        account_id=account_id,
                        object_id=str(value["post_id"]),
                        comment_id=str(value.get("comment_id") or ""),
                        verb=str(value.get("verb") or ""),
                    )
                )
            elif kind == "instagram" and change.get("field") == "comments":
                media = as_dict(value.get("media"))
                if not media.get("id"):
                    continue
                events.append(
                    CommentEvent(
                        network="instagram",
                        account_id=account_id,
                        object_id=str(media["id"]),
                        comment_id=str(value.get("id") or ""),
                    )
                )
    return events


def page_account(payload: Any) -> AccountInfo:
    body = payload if isinstance(payload, dict) else {}
    return AccountInfo(
        account_id=str(body.get("id") or ""),
        handle=str(body.get("username") or body.get("name") or ""),
        display_name=str(body.get("name") or ""),
        url=str(body.get("link") or ""),
    )


def page_choices(payload: Any) -> list[PageChoice]:
    """Pages of /me/accounts, with the linked Instagram account when asked for."""
    items = payload.get("data") if isinstance(payload, dict) else None
    choices = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        instagram = item.get("instagram_business_account")
        choices.append(
            PageChoice(
                page_id=str(item["id"]),
                name=str(item.get("name") or ""),
                access_token=str(item.get("access_token") or ""),
                instagram_id=str(instagram.get("id") or "")
                if isinstance(instagram, dict)
                else "",
            )
        )
    return choices


def token(payload: Any, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """(access_token, expires_at) from an /oauth/access_token answer."""
    body = payload if isinstance(payload, dict) else {}
    access_token = str(body.get("access_token") or "")
    if not access_token:
        raise Rejected("Facebook did not return an access token")
    expires_in = body.get("expires_in")
    if isinstance(expires_in, int | float) and expires_in > 0:
        return access_token, now + dt.timedelta(seconds=expires_in)
    return access_token, None


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _json_header(headers: Mapping[str, str], name: str) -> Any:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
