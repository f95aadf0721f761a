"""Pure functions turning LinkedIn REST payloads into the connector dataclasses.

Shapes: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
(posts, x-restli-id), .../shares/images-api (initializeUpload),
.../organizations/organization-lookup-api (organizations, networkSizes),
.../organizations/share-statistics (statistics of a post),
https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling (errors),
https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
and .../programmatic-refresh-tokens (token answers).
"""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from parvis.connectors.base import (
    AccountInfo,
    CommentKind,
    Credentials,
    PostMetrics,
    RemoteComment,
    RemotePost,
    count_or_none,
)
from parvis.connectors.oauth import renewed

# Commentary comes back in the "little" text format: templates, mentions, escapes.
HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\?([#＃])\|([^}]*)\}")
MENTION = re.compile(r"@\[([^\]]*)\]\(urn:li:[^)]*\)")
ESCAPED = re.compile(r"\\([|{}@\[\]()<>#\\*_~])")
# urn:li:comment:(<object urn>,<comment id>)
COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<object>urn:li:[^,]+),(?P<id>\w+)\)$")
# Error messages may start with the name of a Java exception.
EXCEPTION_PREFIX = re.compile(r"^(?:[a-z]\w*\.)+\w+(?:Exception|Error): ")


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def created_post_urn(headers: Mapping[str, str]) -> str:
    """The URN of the post a POST /rest/posts created (201, empty body)."""
    return headers.get("x-restli-id", "")


def image_upload(body: Any) -> tuple[str, str]:
    """(upload URL, image URN) from POST /rest/images?action=initializeUpload."""
    value = body["value"]
    return str(value["uploadUrl"]), str(value["image"])


def account(body: Any) -> AccountInfo:
    vanity_name = str(body.get("vanityName", ""))
    return AccountInfo(
        account_id=str(body["id"]),
        handle=vanity_name,
        display_name=str(body.get("localizedName", "")),
        url=f"https://www.linkedin.com/company/{vanity_name}/" if vanity_name else "",
    )


# The query parameter of organizationalEntityShareStatistics for each kind of post
# URN the Posts API returns.
STATISTICS_PARAMETERS = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


def statistics_parameter(urn: str) -> str:
    """`shares` or `ugcPosts`, the parameter that asks for the statistics of the
    post `urn` ("" for any other URN)."""
    return next(
        (
            name
            for prefix, name in STATISTICS_PARAMETERS.items()
            if urn.startswith(prefix)
        ),
        "",
    )


def share_statistics(body: Any, urn: str) -> dict[str, Any] | None:
    """`totalShareStatistics` of the element about `urn` (its `share` or `ugcPost`),
    None when the answer has none."""
    for element in (body or {}).get("elements") or []:
        if not isinstance(element, dict):
            continue
        if urn in (element.get("share"), element.get("ugcPost")):
            statistics = element.get("totalShareStatistics")
            return statistics if isinstance(statistics, dict) else {}
    return None


def post_metrics(statistics: Mapping[str, Any], urn: str) -> PostMetrics:
    """ShareStatisticsData: impressionCount, uniqueImpressionsCount (reach),
    likeCount, commentCount, shareCount, clickCount. LinkedIn gives no video views
    here (the Video Analytics API is another permission)."""
    return PostMetrics(
        remote_id=urn,
        impressions=count_or_none(statistics.get("impressionCount")),
        reach=count_or_none(statistics.get("uniqueImpressionsCount")),
        reactions=count_or_none(statistics.get("likeCount")),
        comments=count_or_none(statistics.get("commentCount")),
        shares=count_or_none(statistics.get("shareCount")),
        clicks=count_or_none(statistics.get("clickCount")),
    )


def first_degree_size(body: Any) -> int | None:
    """`firstDegreeSize` of a networkSizes answer: the organization's followers."""
    return (
        count_or_none(body.get("firstDegreeSize")) if isinstance(body, dict) else None
    )


def remote_posts(body: Any) -> list[RemotePost]:
    """Posts of an author (GET /rest/posts?q=author), commentary as plain text."""
    posts = []
    for item in body.get("elements") or []:
        urn = str(item["id"])
        millis = item.get("publishedAt") or item.get("createdAt")
        posts.append(
            RemotePost(
                remote_id=urn,
                text=plain_text(str(item.get("commentary", ""))),
                created_at=(
                    dt.datetime.fromtimestamp(millis / 1000, dt.UTC) if millis else None
                ),
                url=post_url(urn),
            )
        )
    return posts


def comments(body: Any, *, post_urn: str) -> list[RemoteComment]:
    """Comments of GET /rest/socialActions/{urn}/comments (Comments API): `actor` is
    a person or organization URN (LinkedIn gives no name without the member's own
    consent), `$URN` (or `commentUrn`) the comment's URN, `created.time` epoch ms."""
    found = []
    for item in body.get("elements") or []:
        if not isinstance(item, dict):
            continue
        urn = comment_urn(item)
        if not urn:
            continue
        millis = (item.get("created") or {}).get("time")
        found.append(
            RemoteComment(
                remote_id=urn,
                text=str((item.get("message") or {}).get("text") or ""),
                author_id=str(item.get("actor") or ""),
                created_at=(
                    dt.datetime.fromtimestamp(millis / 1000, dt.UTC) if millis else None
                ),
                url=comment_url(post_urn, urn),
                in_reply_to_id=str(item.get("parentComment") or post_urn),
                thread_key=post_urn,
                kind=CommentKind.COMMENT,
            )
        )
    return found


def comment_urn(item: Any, headers: Mapping[str, str] | None = None) -> str:
    """The URN of a comment: `$URN`, `commentUrn`, or built from `object` and the
    id (x-restli-id header of a creation, or `id`)."""
    if not isinstance(item, dict):
        item = {}
    for key in ("$URN", "commentUrn"):
        if isinstance(item.get(key), str) and item[key]:
            return str(item[key])
    comment_id = (headers or {}).get("x-restli-id") or str(item.get("id") or "")
    if comment_id.startswith("urn:li:comment:"):
        return comment_id
    if comment_id and item.get("object"):
        return f"urn:li:comment:({item['object']},{comment_id})"
    return ""


def commented_object(urn: str) -> str:
    """The post (activity, share, ugcPost) a comment URN belongs to."""
    match = COMMENT_URN.match(urn)
    return match.group("object") if match else ""


def has_replies(item: Any) -> bool:
    summary = item.get("commentsSummary") if isinstance(item, dict) else None
    return bool(summary and summary.get("aggregatedTotalComments"))


def next_start(body: Any) -> int | None:
    """The `start` of the next page of a collection, or None after the last one."""
    paging = body.get("paging") or {}
    start, count, total = (
        paging.get("start", 0),
        paging.get("count", 0),
        paging.get("total"),
    )
    if not count or total is None or start + count >= total:
        return None
    return int(start + count)


def comment_url(post_urn: str, comment_urn_value: str) -> str:
    match = COMMENT_URN.match(comment_urn_value)
    if not match:
        return post_url(post_urn)
    return f"{post_url(post_urn)}?commentUrn={quote(comment_urn_value, safe='')}"


def plain_text(commentary: str) -> str:
    """What a reader sees of a little-format commentary."""
    text = HASHTAG_TEMPLATE.sub(r"\1\2", commentary)
    text = MENTION.sub(r"\1", text)
    return ESCAPED.sub(r"\1", text)


def error_message(body: Any) -> str:
    """The `message` of an error payload (or `error_description` from the OAuth
    endpoints), without the Java exception name some messages start with."""
    if not isinstance(body, dict):
        return ""
    for key in ("message", "error_description"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return EXCEPTION_PREFIX.sub("", value)
    return ""


def error_code(body: Any) -> str:
    """The most precise code of an error payload: the input error code
    (DUPLICATE_POST...), else `code`, else `serviceErrorCode`."""
    if not isinstance(body, dict):
        return ""
    details = body.get("errorDetails")
    if isinstance(details, dict):
        for item in details.get("inputErrors") or []:
            if isinstance(item, dict) and item.get("code"):
                return str(item["code"])
    for key in ("code", "serviceErrorCode", "error"):
        if body.get(key) not in (None, ""):
            return str(body[key])
    return ""


def credentials(
    body: Any, *, now: dt.datetime, previous: Credentials | None = None
) -> Credentials:
    """Credentials from an /oauth/v2/accessToken answer. Refresh tokens are only
    granted to some applications; their own expiry is kept in `extra`."""
    extra = {"scope": str(body.get("scope", ""))}
    if body.get("refresh_token_expires_in"):
        lifetime = dt.timedelta(seconds=int(body["refresh_token_expires_in"]))
        extra["refresh_expires_at"] = (now + lifetime).isoformat()
    fresh = Credentials(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_at=now + dt.timedelta(seconds=int(body["expires_in"])),
        extra=extra,
    )
    return renewed(fresh, previous)
