"""Facebook Pages through the Graph API, acting as the Page with a Page access token.

- Text and link: POST /{page-id}/feed (message, link).
- Photos: each uploaded unpublished with its alt text (POST /{page-id}/photos,
  published=false, alt_text_custom), then attached to one feed post (attached_media).
- First comment: POST /{post-id}/comments once the post is up.
- Delete: DELETE /{post-id}. Reconciliation: GET /{page-id}/published_posts.
- Counters: GET /{post-id} (reactions and comments summaries, shares), GET
  /{post-id}/insights (views, unique viewers, clicks by type; read_insights), GET
  /{page-id}?fields=followers_count.
- Comments: GET /{post-id}/comments (filter=stream: replies included; newest first),
  answered with POST /{comment-id}/comments, hidden with POST /{comment-id}
  (is_hidden=true). Reading others' comments needs pages_read_user_content, answering
  and hiding pages_manage_engagement (Page Post comments and Comment references).

Graph has no idempotency key for posts: after an unknown outcome the publishing engine
reconciles with `find_published` (the Page's recent posts) before trying again.
Docs: https://developers.facebook.com/docs/pages-api/posts,
https://developers.facebook.com/docs/graph-api/reference/photo/,
https://developers.facebook.com/docs/graph-api/reference/object/comments,
https://developers.facebook.com/docs/graph-api/reference/comment,
https://developers.facebook.com/docs/graph-api/reference/insights/
"""

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Connector,
    Credentials,
    Draft,
    Limits,
    MediaItem,
    PostMetrics,
    PublishedPart,
    PublishResult,
    RateLimitState,
    RemoteComment,
    RemotePost,
    json_or_none,
    mark_failure,
    retry_after_seconds,
    utc_now,
)
from parvis.connectors.errors import ConnectorError, Rejected, Unavailable
from parvis.connectors.facebook import insights, parse

logger = logging.getLogger(__name__)
# The latest version in the Graph changelog when this was written (Nov. 2026).
GRAPH_VERSION = "v27.0"
GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"
RECENT_POST_FIELDS = "id,message,created_time,permalink_url"
COMMENT_FIELDS = "id,message,created_time,from,parent{id},permalink_url"
# Counters of a Page post: totals only (no reaction nor comment listed).
POST_COUNT_FIELDS = (
    "reactions.summary(total_count).limit(0),comments.summary(true).limit(0),shares"
)
# Pages of comments read per post and call (100 each): a post with more new comments
# than that between two polls is read on from the newest ones.
COMMENT_PAGES = 10


class GraphConnector(Connector):
    """What the Facebook and Instagram connectors share: the Instagram API with
    Facebook Login is Facebook's Graph API (same host and version, the token as a
    parameter, the same error body, codes and usage headers; see `parse`), so its
    plumbing lives here, in the Facebook package, and InstagramConnector extends it.

    Subclasses name the field of an object's public link in `permalink_field`."""

    permalink_field: ClassVar[str] = "permalink_url"
    replies_nest_once = True

    def __init__(
        self,
        credentials: Credentials,
        http: httpx.Client | None = None,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        super().__init__(credentials, http)
        self.clock = clock

    def count(self, text: str) -> int:
        """Meta counts characters, a link as long as it is written."""
        return textlib.count_chars(text)

    def delete(self, remote_id: str) -> None:
        response = self.request("DELETE", self._url(remote_id), params=self._auth())
        if not parse.deleted(json_or_none(response)):
            raise Rejected(f"{self.label} did not delete {remote_id}")

    # -- Graph errors and usage headers ------------------------------------------------
    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        return parse.rate_limit_state(response.headers, self.clock())

    def error_from(self, response: httpx.Response) -> ConnectorError:
        return parse.error_for(
            response.status_code,
            json_or_none(response),
            response.headers,
            retry_after_seconds(response),
        )

    def network_message(self, response: httpx.Response) -> str:
        error = parse.graph_error(json_or_none(response))
        if error and error.message:
            return error.message
        return super().network_message(response)

    # -- HTTP --------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{GRAPH_URL}/{path}"

    def _auth(self) -> dict[str, str]:
        return {"access_token": self.credentials.access_token}

    def _get(self, path: str, **params: str) -> Any:
        response = self.request(
            "GET", self._url(path), params={**params, **self._auth()}
        )
        return json_or_none(response)

    def _post(self, path: str, data: dict[str, str], **kwargs: Any) -> Any:
        # The token travels in the form body, not the URL, to stay out of access logs.
        response = self.request(
            "POST", self._url(path), data={**data, **self._auth()}, **kwargs
        )
        return json_or_none(response)

    def _list(self, path: str, fields: str, limit: int) -> Any:
        """One page of a Graph edge (Graph serves 1 to 100 items a page)."""
        return self._get(path, fields=fields, limit=str(min(max(limit, 1), 100)))

    def _pages(self, path: str, pages: int, **params: str) -> list[Any]:
        """Up to `pages` pages of a Graph edge, following the `after` cursors."""
        bodies = []
        after = ""
        for _ in range(pages):
            body = self._get(path, **params, **({"after": after} if after else {}))
            bodies.append(body)
            after = parse.next_page_cursor(body)
            if not after:
                break
        return bodies

    def _insights(self, object_id: str, metrics: tuple[str, ...]) -> dict[str, Any]:
        """{metric: value} of GET /{object-id}/insights; empty when Graph refuses
        the object's insights while the object itself reads fine (see
        `insights.insights_refused`): its other counters are still worth keeping.
        Throttling, outages and dead tokens are raised as usual."""
        try:
            body = self._get(
                f"{object_id}/insights", metric=insights.metric_list(metrics)
            )
        except ConnectorError as error:
            if not insights.insights_refused(error):
                raise
            logger.warning(
                "%s: insights of %s refused (%s): left unknown",
                self.network,
                object_id,
                error.message,
            )
            return {}
        return insights.insight_values(body)

    def _hide(self, comment_id: str, data: dict[str, str]) -> None:
        if not parse.success(self._post(comment_id, data)):
            raise Rejected(f"{self.label} n'a pas masqué le commentaire {comment_id}.")

    # -- steps shared by both networks -------------------------------------------------
    def _publish_post(
        self, draft: Draft, create: Callable[[Draft], str]
    ) -> PublishedPart:
        """Check `draft`, have `create` publish it (returning the new object's id),
        then link to it. A Graph post is one object: on failure nothing is online."""
        if problems := self.problems(draft):
            raise Rejected(" ".join(problems))
        try:
            object_id = create(draft)
        except ConnectorError as exc:
            mark_failure(exc, "")
            raise
        return PublishedPart(remote_id=object_id, url=self._permalink(object_id))

    def _permalink(self, object_id: str) -> str:
        """The public link of what was just published, or "" if Graph will not say:
        the post is online, a missing link must not turn it into a failure."""
        try:
            body = self._get(object_id, fields=self.permalink_field)
        except ConnectorError:
            return ""
        if not isinstance(body, dict):
            return ""
        return str(body.get(self.permalink_field) or "")


class FacebookConnector(GraphConnector):
    network = "facebook"
    label = "Facebook"
    # No Capability.PIN: the current Graph API reference of a Page Post and the Pages
    # API guide (docs/pages/publishing: publish, update, delete) document no way to
    # pin a Page post; an undocumented field is not relied on. Pin it on Facebook.
    # No READ_MENTIONS nor READ_DIRECT_MESSAGES: mentions of a Page come by the
    # `mention` webhook field only, and Page messages are the Messenger Platform
    # (pages_messaging, its own review and 24-hour answer window), not taken on here.
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.FIRST_COMMENT,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.HIDE_COMMENT,
            Capability.WEBHOOKS,
            Capability.METRICS,
        }
    )
    # 63,206 characters per post. Photos "must be less than 10MB" (Photo reference).
    # Graph documents no photo count for attached_media; beyond four photos with a long
    # message it has been seen failing with code 1, so four it is.
    limits = Limits(max_chars=63_206, max_images=4, max_image_bytes=10_000_000)

    @property
    def page_id(self) -> str:
        return self.credentials.account_id

    # -- operations --------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        body = self._get(self.page_id, fields="id,name,username,link")
        return parse.page_account(body)

    def publish(self, draft: Draft) -> PublishResult:
        """Photos first (unpublished, with their alt text), then the post, then the
        first comment. On failure the error carries `published_parts`."""
        part = self._publish_post(draft, self._post_to_feed)
        warnings: tuple[str, ...] = ()
        if draft.first_comment.strip():
            try:
                self._comment(part.remote_id, draft.first_comment, published=(part,))
            except ConnectorError as error:
                # The post is online: failing it would invite a second copy.
                warnings = (
                    "La publication est en ligne mais son premier commentaire n'a pas "
                    f"pu être ajouté ({error.message}) : ajoutez-le à la main.",
                )
        return PublishResult(parts=(part,), warnings=warnings)

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        body = self._list(f"{self.page_id}/published_posts", RECENT_POST_FIELDS, limit)
        return parse.page_posts(body)

    def comments(
        self, remote_id: str, since: dt.datetime | None = None
    ) -> list[RemoteComment]:
        """Comments and replies under the Page post `remote_id`, newest first from
        Graph (order=reverse_chronological), read until one older than `since`;
        returned oldest first, without the Page's own."""
        found: list[RemoteComment] = []
        bodies = self._pages(
            f"{remote_id}/comments",
            COMMENT_PAGES,
            fields=COMMENT_FIELDS,
            filter="stream",
            order="reverse_chronological",
            limit="100",
        )
        for body in bodies:
            for comment in parse.page_comments(body, post_id=remote_id):
                if since and comment.created_at and comment.created_at <= since:
                    return found[::-1]
                if not self.is_own(comment):
                    found.append(comment)
        return found[::-1]

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """A comment as the Page under the comment (or post) `in_reply_to_id`
        (POST /{object-id}/comments). Graph takes no idempotency key."""
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        body = self._post(f"{in_reply_to_id}/comments", {"message": text})
        return PublishedPart(remote_id=parse.created_id(body))

    def post_metrics(self, remote_id: str) -> PostMetrics:
        """Reactions, comments and shares of a Page post (its fields), then its
        views, unique viewers and link clicks (Page post insights, permission
        read_insights: left unknown where Graph refuses them). A deleted post is
        refused with code 100 (Rejected)."""
        post = self._get(remote_id, fields=POST_COUNT_FIELDS)
        values = self._insights(remote_id, insights.PAGE_POST_METRICS)
        return PostMetrics(
            remote_id=remote_id,
            impressions=insights.field_count(values, "post_media_view"),
            reach=insights.field_count(values, "post_total_media_view_unique"),
            reactions=insights.summary_total(post, "reactions"),
            comments=insights.summary_total(post, "comments"),
            shares=insights.shares_count(post),
            clicks=insights.link_clicks(values.get("post_clicks_by_type")),
        )

    def followers(self) -> int | None:
        """`followers_count` of the Page (the page_fans metric is gone since
        15 Nov. 2025)."""
        page = self._get(self.page_id, fields="followers_count")
        return insights.field_count(page, "followers_count")

    def subscribe_webhooks(self) -> None:
        """POST /{page-id}/subscribed_apps subscribed_fields=feed (Page Subscribed
        Apps reference; pages_manage_metadata): the Page's feed events, comments
        included, go to the app's webhook. Graph answers {"success": true}."""
        body = self._post(
            f"{self.page_id}/subscribed_apps", {"subscribed_fields": "feed"}
        )
        if not parse.success(body):
            raise Rejected(f"{self.label} n'a pas abonné la Page {self.page_id}.")

    def hide_comment(self, remote_id: str) -> None:
        """POST /{comment-id} is_hidden=true: hidden from everyone but its author and
        their friends."""
        self._hide(remote_id, {"is_hidden": "true"})

    # -- steps -------------------------------------------------------------------------
    def _message(self, draft: Draft) -> str:
        text = draft.parts[0]
        # A post with photos shows no link card: the link goes into the text instead.
        if draft.media and draft.link and draft.link not in text:
            return f"{text}\n\n{draft.link}"
        return text

    def _post_to_feed(self, draft: Draft) -> str:
        photo_ids = [self._upload_photo(item) for item in draft.media]
        data = {"message": self._message(draft)}
        for index, photo_id in enumerate(photo_ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        if draft.link and not photo_ids:
            data["link"] = draft.link
        return parse.created_id(self._post(f"{self.page_id}/feed", data))

    def _upload_photo(self, item: MediaItem) -> str:
        data = {"published": "false", "alt_text_custom": item.alt_text}
        files = {"source": (item.filename, item.content, item.mime_type)}
        try:
            body = self._post(f"{self.page_id}/photos", data, files=files)
        except Unavailable as exc:
            # An unpublished photo shows nowhere and Facebook deletes it within a day:
            # even if it arrived, nothing reached the Page, so retrying is safe.
            exc.maybe_sent = False
            raise
        return parse.created_id(body)

    def _comment(
        self, post_id: str, message: str, *, published: tuple[PublishedPart, ...]
    ) -> None:
        try:
            self._post(f"{post_id}/comments", {"message": message})
        except ConnectorError as exc:
            mark_failure(exc, "premier commentaire", published)
            raise
