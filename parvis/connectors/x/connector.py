"""X (formerly Twitter) through the API v2: posts, threads, images with alt text.

X offers no idempotency key on POST /2/tweets; its refusal of duplicate content (403)
is the only guard against a double post, so after an unknown outcome reconcile with
`find_published` before publishing again.

Listening: replies and mentions both come from the mentions timeline
(GET /2/users/:id/mentions, since_id and pagination_token); answers are posts with
`reply.in_reply_to_tweet_id`; a reply under one of the account's conversations is
hidden with PUT /2/tweets/:id/hidden (scope tweet.moderate.write). Direct messages
(dm.read) are not requested. Counters: GET /2/tweets/:id (public_metrics,
non_public_metrics) and GET /2/users/me (public_metrics).
Docs: docs.x.com/x-api/posts/timelines (mentions), /x-api/posts/manage-tweets
(create), /x-api/posts/hide-replies (hide), /x-api/fundamentals/metrics (counters).
"""

import datetime as dt
from typing import Any

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    CommentBatch,
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
)
from parvis.connectors.errors import ConnectorError, RateLimited, Rejected, Unavailable
from parvis.connectors.oauth import RefreshableConnector
from parvis.connectors.x import parse
from parvis.connectors.x.oauth import XOAuth

API = "https://api.x.com/2"
MENTION_FIELDS = {
    "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,"
    "referenced_tweets",
    "expansions": "author_id",
    "user.fields": "name,username",
}
# 100 posts a page (5 to 100); X serves up to the 800 most recent mentions.
MENTION_PAGES = 8
HIDE_SCOPE = "tweet.moderate.write"
# Non-public metrics (link clicks) "are only available for Posts created within the
# last 30 days" (docs.x.com/x-api/fundamentals/metrics); an hour of margin.
PRIVATE_METRICS_FOR = dt.timedelta(days=30) - dt.timedelta(hours=1)


class XConnector(RefreshableConnector):
    network = "x"
    label = "X (ex-Twitter)"
    # No Capability.PIN: the X API v2 has no endpoint to pin a post (a user's
    # `pinned_tweet_id` can be read, not set); pinning is done in the X app only.
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.THREADS,
            Capability.DELETE,
            Capability.READ_MENTIONS,
            Capability.REPLY,
            Capability.HIDE_COMMENT,
            Capability.METRICS,
        }
    )
    # 280 weighted characters with links counted 23 (fundamentals/counting-characters);
    # 4 photos of 5 MB at most (x-api/media/introduction, best-practices); alt text of
    # 1,000 characters at most (media metadata reference). Pages on docs.x.com.
    limits = Limits(
        max_chars=280,
        max_images=4,
        url_length=23,
        max_image_bytes=5_000_000,
        max_alt_chars=1_000,
    )
    # The one-request upload takes still images; GIFs and video need the chunked flow
    # and its asynchronous processing, which this connector does not do.
    image_types = frozenset({"image/jpeg", "image/png", "image/webp"})
    image_types_problem = (
        "X : seules les images JPEG, PNG ou WebP sont prises en charge."
    )
    oauth_flow = XOAuth

    def count(self, text: str) -> int:
        return textlib.count_x(text)

    # -- operations --------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        response = self.request("GET", f"{API}/users/me", headers=self._auth())
        return parse.account(response.json())

    def publish(self, draft: Draft) -> PublishResult:
        """Post the parts in order, each replying to the previous one; the images go
        with the first part. A failure says which part failed and carries the parts
        already online in `published_parts`."""
        published: list[PublishedPart] = []
        try:
            media_ids = [self._upload(item) for item in draft.media]
        except ConnectorError as exc:
            if isinstance(exc, Unavailable):
                exc.maybe_sent = False  # an upload alone publishes nothing
            mark_failure(exc, "image", published)
            raise
        total = len(draft.parts)
        for index, part in enumerate(draft.parts, 1):
            body: dict[str, Any] = {"text": part}
            if index == 1 and media_ids:
                body["media"] = {"media_ids": media_ids}
            if published:
                body["reply"] = {"in_reply_to_tweet_id": published[-1].remote_id}
            try:
                response = self.request(
                    "POST", f"{API}/tweets", json=body, headers=self._auth()
                )
            except ConnectorError as exc:
                where = f"partie {index}/{total}" if total > 1 else ""
                mark_failure(exc, where, published)
                raise
            post_id = parse.created_post_id(response.json())
            published.append(PublishedPart(post_id, parse.post_url(post_id)))
        return PublishResult(tuple(published))

    def delete(self, remote_id: str) -> None:
        response = self.request(
            "DELETE", f"{API}/tweets/{remote_id}", headers=self._auth()
        )
        if not parse.deleted(response.json()):
            raise Rejected(f"X n'a pas supprimé le message {remote_id}.")

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        user_id = self.credentials.account_id or self.verify().account_id
        response = self.request(
            "GET",
            f"{API}/users/{user_id}/tweets",
            headers=self._auth(),
            # The endpoint accepts 5 to 100 results per page.
            params={
                "max_results": min(max(limit, 5), 100),
                "tweet.fields": "created_at",
            },
        )
        return parse.remote_posts(response.json())[:limit]

    def mentions(self, cursor: str = "") -> CommentBatch:
        """Posts naming the account, replies to it included, newer than the post id
        `cursor` (since_id), every page of them; without a cursor, the latest page.
        The new cursor is the newest id seen."""
        user_id = self.credentials.account_id or self.verify().account_id
        params: dict[str, Any] = {**MENTION_FIELDS, "max_results": 100}
        if cursor:
            params["since_id"] = cursor
        items: list[RemoteComment] = []
        newest = cursor
        for _ in range(MENTION_PAGES):
            body = self.request(
                "GET",
                f"{API}/users/{user_id}/mentions",
                headers=self._auth(),
                params=params,
            ).json()
            page = parse.mention_comments(body, own_id=user_id)
            items[:0] = [item for item in page if not self.is_own(item)]
            newest = parse.later_id(newest, parse.newest_id(body))
            token = parse.next_token(body)
            if not cursor or not token:
                break
            params = {**params, "pagination_token": token}
        return CommentBatch(items=tuple(items), cursor=newest)

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """A post answering `in_reply_to_id` (X adds the mention of its author). X
        takes no idempotency key."""
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        body = {"text": text, "reply": {"in_reply_to_tweet_id": in_reply_to_id}}
        response = self.request(
            "POST", f"{API}/tweets", json=body, headers=self._auth()
        )
        post_id = parse.created_post_id(response.json())
        return PublishedPart(post_id, parse.post_url(post_id))

    def post_metrics(self, remote_id: str) -> PostMetrics:
        """GET /2/tweets/:id with public_metrics (likes, replies, reposts, quotes,
        impressions where given) and, for a post of the last 30 days (its id tells
        its age), non_public_metrics (impressions, link clicks). X gives no reach.
        A deleted post comes back as an error (404, or a 200 holding only
        `errors`): Rejected."""
        fields = ["public_metrics"]
        created_at = parse.created_at_from_id(remote_id)
        if created_at is not None and self.now() - created_at < PRIVATE_METRICS_FOR:
            fields.append("non_public_metrics")
        body = self.request(
            "GET",
            f"{API}/tweets/{remote_id}",
            headers=self._auth(),
            params={"tweet.fields": ",".join(fields)},
        ).json()
        post = parse.found_data(body)
        if post is None:
            raise Rejected(
                f"{self.network}: post not found (deleted?) {remote_id}: "
                f"{parse.error_message(body)}",
                network_code=parse.error_code(body),
            )
        return parse.post_metrics(post)

    def followers(self) -> int | None:
        """public_metrics.followers_count of the account (GET /2/users/me)."""
        response = self.request(
            "GET",
            f"{API}/users/me",
            headers=self._auth(),
            params={"user.fields": "public_metrics"},
        )
        return parse.followers_count(response.json())

    def hide_comment(self, remote_id: str) -> None:
        """Hide a reply in one of the account's conversations (PUT
        /2/tweets/:id/hidden); X refuses it for any other post."""
        granted = set(str(self.credentials.extra.get("scope", "")).split())
        if granted and HIDE_SCOPE not in granted:
            raise Rejected(
                f"{self.label} : ce compte a été connecté sans l'autorisation de "
                "masquer des réponses ; reconnectez-le dans « Canaux »."
            )
        response = self.request(
            "PUT",
            f"{API}/tweets/{remote_id}/hidden",
            json={"hidden": True},
            headers=self._auth(),
        )
        if not parse.hidden(response.json()):
            raise Rejected(f"X n'a pas masqué la réponse {remote_id}.")

    # -- HTTP --------------------------------------------------------------------------
    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        return parse.rate_limit(response.headers)

    def error_from(self, response: httpx.Response) -> ConnectorError:
        error = super().error_from(response)
        error.network_code = parse.error_code(json_or_none(response))
        if isinstance(error, RateLimited) and retry_after_seconds(response) is None:
            # X sends no Retry-After: the window's reset (epoch seconds) tells when.
            state = parse.rate_limit(response.headers)
            if state is not None and state.reset_at is not None:
                wait = (state.reset_at - self.now()).total_seconds()
                error.retry_after = max(1.0, wait)
        return error

    def network_message(self, response: httpx.Response) -> str:
        message = parse.error_message(json_or_none(response))
        return message or super().network_message(response)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.access_token}"}

    def _upload(self, item: MediaItem) -> str:
        """Upload one image, then attach its alt text (POST /2/media/metadata)."""
        response = self.request(
            "POST",
            f"{API}/media/upload",
            headers=self._auth(),
            data={"media_category": "tweet_image", "media_type": item.mime_type},
            files={"media": (item.filename, item.content, item.mime_type)},
        )
        media_id = parse.media_id(response.json())
        self.request(
            "POST",
            f"{API}/media/metadata",
            headers=self._auth(),
            json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}},
        )
        return media_id
