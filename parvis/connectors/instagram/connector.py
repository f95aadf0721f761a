"""Instagram professional accounts through the Instagram API with Facebook Login.

Publishing is a container flow: POST /{ig-user-id}/media (image_url, caption, alt_text)
creates a container, GET /{container-id}?fields=status_code is polled until FINISHED,
then POST /{ig-user-id}/media_publish (creation_id) puts it online. Instagram always
needs an image, and fetches it itself from a public URL: the publishing engine serves
Parvis's stored media and passes `media_url_for` to turn a MediaItem into that URL.

A container is invisible until published and expires after 24 hours, so a failure
before media_publish is safe to retry. Graph has no idempotency key: after an unknown
outcome of media_publish, the engine reconciles with `find_published`.
The Graph plumbing (token, errors, usage headers, permalinks, deletion) is
`GraphConnector`'s, in the Facebook package: this API is Facebook's Graph API.
Comments (comment moderation guide): GET /{ig-media-id}/comments with their replies,
answered with POST /{ig-comment-id}/replies (replies nest one level: an answer to a
reply joins its top-level comment) and hidden with POST /{ig-comment-id}?hide=true;
permission instagram_manage_comments.
Counters: GET /{ig-media-id}?fields=like_count,comments_count, GET
/{ig-media-id}/insights (views, reach, likes, comments, shares; permission
instagram_manage_insights), GET /{ig-user-id}?fields=followers_count.
Docs: https://developers.facebook.com/docs/instagram-platform/content-publishing,
https://developers.facebook.com/docs/instagram-platform/comment-moderation,
https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
"""

import dataclasses
import datetime as dt
import time
from collections.abc import Callable

import httpx

from parvis.connectors.base import (
    AccountInfo,
    Capability,
    Credentials,
    Draft,
    Limits,
    MediaItem,
    PostMetrics,
    PublishedPart,
    PublishResult,
    RemoteComment,
    RemotePost,
    utc_now,
)
from parvis.connectors.errors import (
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)
from parvis.connectors.facebook import insights
from parvis.connectors.facebook.connector import GraphConnector
from parvis.connectors.instagram import parse

RECENT_MEDIA_FIELDS = "id,caption,permalink,timestamp"
MEDIA_COUNT_FIELDS = "like_count,comments_count"
_COMMENT = "id,text,timestamp,username,from,parent_id"
COMMENT_FIELDS = f"{_COMMENT},replies{{{_COMMENT}}}"
COMMENT_PAGES = 10
# An image container is usually ready within seconds; give up (safely, nothing is
# published) after about half a minute.
STATUS_CHECKS = 10
STATUS_INTERVAL = 3.0
# The publishing quota rolls over 24 hours and Graph does not say when a slot frees.
QUOTA_RETRY_AFTER = 3600.0


def no_media_url(item: MediaItem) -> str:
    raise Unsupported(
        "Instagram télécharge l'image depuis une adresse publique : le moteur de "
        "publication doit fournir media_url_for au connecteur Instagram."
    )


class InstagramConnector(GraphConnector):
    network = "instagram"
    label = "Instagram"
    # No PUBLISH_TEXT: an Instagram post is an image with a caption. No PIN: the
    # Instagram API documents no way to pin a post to the profile grid. No mentions
    # nor private messages: they come through the `mentions` webhook and the
    # Instagram Messaging API (its own permission and review), not taken on here.
    capabilities = frozenset(
        {
            Capability.PUBLISH_IMAGES,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.HIDE_COMMENT,
            Capability.METRICS,
        }
    )
    # Caption: 2,200 characters, 30 hashtags. Images: JPEG, 8 MB at most. One image a
    # post here (carousels are not implemented). Links in captions do not click.
    limits = Limits(
        max_chars=2_200,
        max_images=1,
        max_hashtags=30,
        max_image_bytes=8_000_000,
        clickable_links=False,
    )
    image_types = frozenset({"image/jpeg"})
    image_types_problem = "Instagram n'accepte que des images JPEG."
    permalink_field = "permalink"

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
        super().__init__(credentials, http, clock=clock)
        self.media_url_for = media_url_for
        self.sleep = sleep
        self.status_checks = status_checks
        self.status_interval = status_interval

    @property
    def ig_user_id(self) -> str:
        return self.credentials.account_id

    def problems(self, draft: Draft) -> list[str]:
        """Checked on the caption as it will be sent (with the link appended)."""
        sent = dataclasses.replace(
            draft, parts=(self._caption(draft), *draft.parts[1:])
        )
        problems = super().problems(sent)
        if not draft.media:
            problems.append("Instagram publie toujours une image : ajoutez une image.")
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
        return PublishResult(parts=(self._publish_post(draft, self._publish_image),))

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        body = self._list(f"{self.ig_user_id}/media", RECENT_MEDIA_FIELDS, limit)
        return parse.media_posts(body)

    def post_metrics(self, remote_id: str) -> PostMetrics:
        """like_count and comments_count of the media, then its insights: views,
        reach, likes, comments and shares (permission instagram_manage_insights;
        left unknown where Graph refuses them, e.g. "(#10) Not enough viewers").
        Instagram counts no link clicks (links in captions do not click)."""
        media = self._get(remote_id, fields=MEDIA_COUNT_FIELDS)
        values = self._insights(remote_id, insights.INSTAGRAM_MEDIA_METRICS)
        return PostMetrics(
            remote_id=remote_id,
            impressions=insights.field_count(values, "views"),
            reach=insights.field_count(values, "reach"),
            reactions=insights.first_known(
                insights.field_count(values, "likes"),
                insights.field_count(media, "like_count"),
            ),
            comments=insights.first_known(
                insights.field_count(values, "comments"),
                insights.field_count(media, "comments_count"),
            ),
            shares=insights.field_count(values, "shares"),
        )

    def followers(self) -> int | None:
        """`followers_count` of the Instagram professional account."""
        user = self._get(self.ig_user_id, fields="followers_count")
        return insights.field_count(user, "followers_count")

    def comments(
        self, remote_id: str, since: dt.datetime | None = None
    ) -> list[RemoteComment]:
        """Comments and replies under the media `remote_id`, oldest first, without
        the account's own."""
        found = [
            comment
            for body in self._pages(
                f"{remote_id}/comments", COMMENT_PAGES, fields=COMMENT_FIELDS
            )
            for comment in parse.media_comments(body, media_id=remote_id)
            if not self.is_own(comment)
            and not (since and comment.created_at and comment.created_at <= since)
        ]
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(found, key=lambda comment: comment.created_at or oldest)

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """POST /{ig-comment-id}/replies. Graph takes no idempotency key."""
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        body = self._post(f"{in_reply_to_id}/replies", {"message": text})
        return PublishedPart(remote_id=parse.created_id(body))

    def hide_comment(self, remote_id: str) -> None:
        """POST /{ig-comment-id}?hide=true (its author still sees it)."""
        self._hide(remote_id, {"hide": "true"})

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
        body = self._post(
            f"{self.ig_user_id}/media_publish", {"creation_id": container_id}
        )
        return parse.created_id(body)

    def _create_container(self, draft: Draft) -> str:
        item = draft.media[0]
        fields = {
            "image_url": self.media_url_for(item),
            "caption": self._caption(draft),
            "alt_text": item.alt_text,
        }
        try:
            body = self._post(f"{self.ig_user_id}/media", fields)
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
