"""Instagram professional accounts through the Instagram API with Facebook Login.

Publishing is a container flow: POST /{ig-user-id}/media (image_url, caption, alt_text)
creates a container, GET /{container-id}?fields=status_code is polled until FINISHED,
then POST /{ig-user-id}/media_publish (creation_id) puts it online. Instagram always
needs an image, and fetches it itself from a public URL: the publishing engine serves
Parvis's stored media and passes `media_url_for` to turn a MediaItem into that URL.

A container is invisible until published and expires after 24 hours, so a failure
before media_publish is safe to retry. Graph has no idempotency key: after an unknown
outcome of media_publish, the engine reconciles with `find_published`.
Docs: https://developers.facebook.com/docs/instagram-platform/content-publishing
"""

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

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
    PublishedPart,
    PublishResult,
    RateLimitState,
    RemotePost,
    retry_after_seconds,
)
from parvis.connectors.errors import (
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)
from parvis.connectors.facebook.connector import (
    json_body,
    utc_now,
    with_published_parts,
)
from parvis.connectors.instagram import parse

# The latest version in the Graph changelog when this was written (Nov. 2026).
GRAPH_VERSION = "v27.0"
GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"
RECENT_MEDIA_FIELDS = "id,caption,permalink,timestamp"
# An image container is usually ready within seconds; give up (safely, nothing is
# published) after about half a minute.
STATUS_CHECKS = 10
STATUS_INTERVAL = 3.0
# The publishing quota rolls over 24 hours and Graph does not say when a slot frees.
QUOTA_RETRY_AFTER = 3600.0
JPEG = "image/jpeg"


def no_media_url(item: MediaItem) -> str:
    raise Unsupported(
        "Instagram télécharge l'image depuis une adresse publique : le moteur de "
        "publication doit fournir media_url_for au connecteur Instagram."
    )


class InstagramConnector(Connector):
    network = "instagram"
    label = "Instagram"
    # No PUBLISH_TEXT: an Instagram post is an image with a caption.
    capabilities = frozenset({Capability.PUBLISH_IMAGES, Capability.DELETE})
    # Caption: 2,200 characters, 30 hashtags. Images: JPEG, 8 MB at most. One image a
    # post here (carousels are not implemented). Links in captions do not click.
    limits = Limits(
        max_chars=2_200,
        max_images=1,
        max_hashtags=30,
        max_image_bytes=8_000_000,
        clickable_links=False,
    )

    def __init__(
        self,
        credentials: Credentials,
        http: httpx.Client | None = None,
        *,
        media_url_for: Callable[[MediaItem], str] = no_media_url,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], dt.datetime] = utc_now,
        status_checks: int = STATUS_CHECKS,
        status_interval: float = STATUS_INTERVAL,
    ) -> None:
        super().__init__(credentials, http)
        self.media_url_for = media_url_for
        self.sleep = sleep
        self.clock = clock
        self.status_checks = status_checks
        self.status_interval = status_interval

    @property
    def ig_user_id(self) -> str:
        return self.credentials.account_id

    def count(self, text: str) -> int:
        return textlib.count_chars(text)

    def problems(self, draft: Draft) -> list[str]:
        """Checked on the caption as it will be sent (with the link appended)."""
        sent = dataclasses.replace(
            draft, parts=(self._caption(draft), *draft.parts[1:])
        )
        problems = super().problems(sent)
        if not draft.media:
            problems.append("Instagram publie toujours une image : ajoutez une image.")
        if any(item.mime_type != JPEG for item in draft.media):
            problems.append("Instagram n'accepte que des images JPEG.")
        return problems

    # -- operations --------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        return parse.account(self._get(self.ig_user_id, fields="id,username,name"))

    def publishing_quota(self) -> parse.PublishingQuota:
        """Posts published in the last 24 hours, and how many are allowed."""
        body = self._get(
            f"{self.ig_user_id}/content_publishing_limit", fields="quota_usage,config"
        )
        return parse.publishing_quota(body)

    def publish(self, draft: Draft) -> PublishResult:
        """Quota check, container, wait until it is ready, publish. On failure the
        error carries `published_parts` (empty: one post, published last)."""
        if problems := self.problems(draft):
            raise Rejected(" ".join(problems))
        try:
            media_id = self._publish_image(draft)
        except ConnectorError as exc:
            with_published_parts(exc, "", ())
            raise
        return PublishResult(
            parts=(PublishedPart(media_id, self._permalink(media_id)),)
        )

    def delete(self, remote_id: str) -> None:
        response = self.request("DELETE", self._url(remote_id), params=self._auth())
        if not parse.deleted(json_body(response)):
            raise Rejected(f"Instagram did not delete {remote_id}")

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        body = self._get(
            f"{self.ig_user_id}/media",
            fields=RECENT_MEDIA_FIELDS,
            limit=str(min(max(limit, 1), 100)),
        )
        return parse.media_posts(body)

    # -- Graph specifics (shared with Facebook, see facebook/parse.py) -----------------
    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        return parse.rate_limit_state(response.headers, self.clock())

    def error_from(self, response: httpx.Response) -> ConnectorError:
        return parse.error_for(
            response.status_code,
            json_body(response),
            response.headers,
            retry_after_seconds(response),
        )

    def network_message(self, response: httpx.Response) -> str:
        error = parse.graph_error(json_body(response))
        if error and error.message:
            return error.message
        return super().network_message(response)

    # -- steps -------------------------------------------------------------------------
    def _caption(self, draft: Draft) -> str:
        text = draft.parts[0] if draft.parts else ""
        # Links do not click on Instagram: the link is written out for people to copy.
        if draft.link and draft.link not in text:
            return f"{text}\n\n{draft.link}"
        return text

    def _publish_image(self, draft: Draft) -> str:
        quota = self.publishing_quota()
        if quota.remaining == 0:
            raise RateLimited(
                f"Instagram : quota de {quota.total} publications sur 24 h atteint.",
                retry_after=QUOTA_RETRY_AFTER,
            )
        container_id = self._create_container(draft)
        self._wait_until_finished(container_id)
        body = self._post(f"{self.ig_user_id}/media_publish", creation_id=container_id)
        return parse.created_id(body)

    def _create_container(self, draft: Draft) -> str:
        item = draft.media[0]
        fields = {
            "image_url": self.media_url_for(item),
            "caption": self._caption(draft),
            "alt_text": item.alt_text,
        }
        try:
            body = self._post(f"{self.ig_user_id}/media", **fields)
        except Unavailable as exc:
            exc.maybe_sent = False  # an unpublished container shows nowhere
            raise
        return parse.created_id(body)

    def _wait_until_finished(self, container_id: str) -> None:
        for check in range(self.status_checks):
            if check:
                self.sleep(self.status_interval)
            status = parse.container_status(
                self._get(container_id, fields="status_code")
            )
            if status == parse.FINISHED:
                return
            if status in parse.FAILED:
                raise Rejected(
                    f"Instagram n'a pas pu préparer l'image (statut {status}).",
                    network_code=status,
                )
        raise Unavailable(
            "Instagram prépare encore l'image : rien n'a été publié, réessayez."
        )

    def _permalink(self, media_id: str) -> str:
        try:
            return parse.permalink(self._get(media_id, fields="permalink"))
        except ConnectorError:
            # The post is online: a missing link must not turn it into a failure.
            return ""

    # -- HTTP --------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{GRAPH_URL}/{path}"

    def _auth(self) -> dict[str, str]:
        return {"access_token": self.credentials.access_token}

    def _get(self, path: str, **params: str) -> Any:
        response = self.request(
            "GET", self._url(path), params={**params, **self._auth()}
        )
        return json_body(response)

    def _post(self, path: str, **data: str) -> Any:
        # The token travels in the form body, not the URL, to stay out of access logs.
        response = self.request("POST", self._url(path), data={**data, **self._auth()})
        return json_body(response)
