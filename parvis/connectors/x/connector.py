"""X (formerly Twitter) through the API v2: posts, threads, images with alt text.

X offers no idempotency key on POST /2/tweets; its refusal of duplicate content (403)
is the only guard against a double post, so after an unknown outcome reconcile with
`find_published` before publishing again.
"""

from typing import Any

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Draft,
    Limits,
    MediaItem,
    PublishedPart,
    PublishResult,
    RateLimitState,
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


class XConnector(RefreshableConnector):
    network = "x"
    label = "X (ex-Twitter)"
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.THREADS,
            Capability.DELETE,
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
