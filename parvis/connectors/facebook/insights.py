"""Pure functions over Graph counters: the Insights edge and the counting fields of
Page posts, Pages, Instagram media and Instagram users. Shared by the Facebook and
Instagram connectors (the same Graph), kept apart from `parse` to keep it small.

Insights answer (https://developers.facebook.com/docs/graph-api/reference/insights-result/):
    {"data": [{"name", "period", "values": [{"value", "end_time"?}], "title",
               "description", "id"}], "paging": {...}}
A metric Graph has no data for is left out of `data` (Instagram says so: "an empty
data set instead of 0"), so a missing metric is None, never 0.
"""

from collections.abc import Iterable
from typing import Any

from parvis.connectors.base import count_or_none
from parvis.connectors.errors import AuthExpired, ConnectorError, Rejected
from parvis.connectors.facebook.parse import AUTH_CODES, as_dict

# Page post metrics current in 2026 (Graph changelog v25.0 and the deprecated
# metrics page): post_impressions was replaced by post_media_view ("views") on
# 15 Nov. 2025, post_impressions_unique by post_total_media_view_unique (unique
# viewers) in 2026. post_clicks_by_type breaks clicks down; "link clicks" are the
# clicks on the post's link.
PAGE_POST_METRICS = (
    "post_media_view",
    "post_total_media_view_unique",
    "post_clicks_by_type",
)
LINK_CLICKS = "link clicks"
# Instagram media metrics current in 2026 (impressions, plays and video_views are
# deprecated since v22.0 / April 2025; views replaces them).
INSTAGRAM_MEDIA_METRICS = ("views", "reach", "likes", "comments", "shares")


def insight_values(payload: Any) -> dict[str, Any]:
    """{metric name: its latest value} of an Insights answer (a lifetime metric
    has one value). Metrics Graph left out are absent."""
    values: dict[str, Any] = {}
    for item in as_dict(payload).get("data") or []:
        item = as_dict(item)
        points = [as_dict(point) for point in item.get("values") or []]
        if item.get("name") and points and "value" in points[-1]:
            values[str(item["name"])] = points[-1]["value"]
    return values


def insights_refused(error: ConnectorError) -> bool:
    """True when Graph refuses the insights of an object while the object itself
    can be read: an invalid or withdrawn metric (Rejected, #100), a Page too small
    for insights, a permission the account was connected without (#10, #200-#299:
    AuthExpired by the error map, but the token works) or Instagram's "(#10) Not
    enough viewers". A refused or expired token (#102, #190) is not one of them."""
    if isinstance(error, Rejected):
        return True
    if isinstance(error, AuthExpired):
        code = error.network_code.split("/")[0]
        return code.isdigit() and int(code) not in AUTH_CODES
    return False


def summary_total(payload: Any, edge: str) -> int | None:
    """`summary.total_count` of an edge read with `.summary(...)` (reactions,
    comments of a Page post)."""
    summary = as_dict(as_dict(as_dict(payload).get(edge)).get("summary"))
    return count_or_none(summary.get("total_count"))


def shares_count(payload: Any) -> int | None:
    """`shares.count` of a Page post. Graph leaves `shares` out of a post nobody
    shared, among other cases: it stays unknown rather than become a 0."""
    return count_or_none(as_dict(as_dict(payload).get("shares")).get("count"))


def link_clicks(value: Any) -> int | None:
    """The "link clicks" of a post_clicks_by_type value ({type: count})."""
    return count_or_none(as_dict(value).get(LINK_CLICKS))


def field_count(payload: Any, field: str) -> int | None:
    """A counting field of a Graph object (followers_count, like_count...)."""
    return count_or_none(as_dict(payload).get(field))


def first_known(*values: int | None) -> int | None:
    """The first counter that is known."""
    return next((value for value in values if value is not None), None)


def metric_list(metrics: Iterable[str]) -> str:
    return ",".join(metrics)
