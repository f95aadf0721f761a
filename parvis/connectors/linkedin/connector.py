"""LinkedIn organization pages through the versioned REST API (Posts, Images).

LinkedIn offers no idempotency key, and no threads. It refuses a post identical to a
recent one (422 DUPLICATE_POST), which guards against most double posts; after an
unknown outcome, reconcile with `find_published` before publishing again.

Comments (Comments API, permissions r_organization_social to read and
w_organization_social to answer as the organization): GET
/rest/socialActions/{post urn}/comments, and for a comment with replies the same on
its comment URN; an answer is a comment of the organization with `parentComment`
(comments nest one level). LinkedIn offers no way to hide a comment, and no API for
an organization's mentions or messages that Parvis's permissions reach.
Counters (rw_organization_admin): organizationalEntityShareStatistics of one post,
networkSizes of the organization for its followers.
Docs: learn.microsoft.com/linkedin/marketing/community-management/shares/comments-api,
.../organizations/share-statistics, .../organizations/organization-lookup-api
"""

import datetime as dt
from typing import Any
from urllib.parse import quote

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
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
from parvis.connectors.errors import (
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)
from parvis.connectors.linkedin import parse
from parvis.connectors.linkedin.oauth import LinkedInOAuth
from parvis.connectors.oauth import RefreshableConnector

API = "https://api.linkedin.com/rest"
# Marketing May 2026; each monthly version is supported for at least a year
# (https://learn.microsoft.com/en-us/linkedin/marketing/versioning).
LINKEDIN_VERSION = "202605"
# Characters of the little text format that must be escaped to stay plain text
# (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format).
LITTLE_RESERVED = frozenset("|{}@[]()<>#\\*_~")
# Daily quotas reset at midnight UTC, but LinkedIn also throttles briefly to protect
# its infrastructure: retry within the hour, or at the reset if it comes sooner.
MAX_RETRY_AFTER = 3600.0
# Comments a page (the Comments API pages with start and count) and pages a read.
COMMENTS_PAGE = 100
COMMENT_PAGES = 10


def little_text(text: str) -> str:
    """`text` as little-format commentary that reads exactly as written: every
    reserved character escaped, except the `#` opening a hashtag, kept clickable."""
    in_urls = {i for url in textlib.find_urls(text) for i in range(*url.span())}
    hashtags = {
        match.start()
        for match in textlib.HASHTAG_PATTERN.finditer(text)
        if match.start() not in in_urls
    }
    return "".join(
        f"\\{char}" if char in LITTLE_RESERVED and index not in hashtags else char
        for index, char in enumerate(text)
    )


def next_midnight(now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), dt.UTC)


class LinkedInConnector(RefreshableConnector):
    network = "linkedin"
    label = "LinkedIn"
    # No Capability.PIN: the Posts API (and the Community Management APIs) document
    # no way to feature a post on an organization page; it is done on LinkedIn only.
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.METRICS,
        }
    )
    replies_nest_once = True
    # Commentary up to 3,000 characters; one image, or 2 to 20 as a multi-image post;
    # alt text up to 4,086 characters (Posts and MultiImage API schemas). The Images
    # API states a pixel count (36,152,320), not a weight: the base 5 MB guard stays.
    limits = Limits(max_chars=3_000, max_images=20, max_alt_chars=4_086)
    image_types = frozenset({"image/jpeg", "image/png", "image/gif"})  # Images API
    image_types_problem = (
        "LinkedIn : seules les images JPEG, PNG ou GIF sont acceptées."
    )
    oauth_flow = LinkedInOAuth

    def count(self, text: str) -> int:
        return textlib.count_chars(text)

    # -- operations --------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        url = f"{API}/organizations/{self._organization_id()}"
        return parse.account(self.request("GET", url, headers=self._headers()).json())

    def publish(self, draft: Draft) -> PublishResult:
        """Publish the single part as the organization, with its images."""
        if len(draft.parts) != 1:
            message = "LinkedIn ne publie pas de fil : un seul message à la fois."
            raise mark_failure(Unsupported(message), "")
        try:
            images = [(self._upload(item), item.alt_text) for item in draft.media]
        except ConnectorError as exc:
            if isinstance(exc, Unavailable):
                exc.maybe_sent = False  # an uploaded image alone publishes nothing
            mark_failure(exc, "image")
            raise
        body: dict[str, Any] = {
            "author": self._author(),
            "commentary": little_text(draft.parts[0]),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": {"id": images[0][0], "altText": images[0][1]}}
        elif images:
            body["content"] = {
                "multiImage": {"images": [{"id": i, "altText": a} for i, a in images]}
            }
        try:
            response = self.request(
                "POST", f"{API}/posts", json=body, headers=self._headers()
            )
        except ConnectorError as exc:
            mark_failure(exc, "")
            raise
        urn = parse.created_post_urn(response.headers)
        if not urn:
            message = "LinkedIn n'a pas renvoyé l'identifiant du message."
            raise mark_failure(Unavailable(message, maybe_sent=True), "")
        return PublishResult((PublishedPart(urn, parse.post_url(urn)),))

    def delete(self, remote_id: str) -> None:
        # Deleting is idempotent: an already deleted post answers 204 too.
        self.request(
            "DELETE",
            f"{API}/posts/{quote(remote_id, safe='')}",
            headers={**self._headers(), "X-RestLi-Method": "DELETE"},
        )

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        response = self.request(
            "GET",
            f"{API}/posts",
            params={
                "author": self._author(),
                "q": "author",
                "count": min(max(limit, 1), 100),
                "sortBy": "LAST_MODIFIED",
            },
            headers={**self._headers(), "X-RestLi-Method": "FINDER"},
        )
        return parse.remote_posts(response.json())[:limit]

    def comments(
        self, remote_id: str, since: dt.datetime | None = None
    ) -> list[RemoteComment]:
        """Comments under the organization's post `remote_id` and the replies to
        them, oldest first, without the organization's own."""
        found: list[RemoteComment] = []
        for body in self._comment_pages(remote_id):
            found.extend(parse.comments(body, post_urn=remote_id))
            for item in body.get("elements") or []:
                if parse.has_replies(item):
                    urn = parse.comment_urn(item)
                    replies: Any = next(iter(self._comment_pages(urn, pages=1)), {})
                    found.extend(parse.comments(replies, post_urn=remote_id))
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(
            (
                comment
                for comment in found
                if not self.is_own(comment)
                and not (since and comment.created_at and comment.created_at <= since)
            ),
            key=lambda comment: comment.created_at or oldest,
        )

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """A comment of the organization under the comment `in_reply_to_id` (with
        `parentComment`) or under the post it names. No idempotency key."""
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        body: dict[str, Any] = {
            "actor": self._author(),
            "object": parse.commented_object(in_reply_to_id) or in_reply_to_id,
            "message": {"text": text},
        }
        if in_reply_to_id.startswith("urn:li:comment:"):
            body["parentComment"] = in_reply_to_id
        response = self.request(
            "POST",
            f"{API}/socialActions/{quote(in_reply_to_id, safe='')}/comments",
            json=body,
            headers=self._headers(),
        )
        urn = parse.comment_urn(json_or_none(response), response.headers)
        if not urn:
            raise Unavailable("LinkedIn n'a pas renvoyé l'identifiant du commentaire.")
        post = parse.commented_object(urn) or body["object"]
        return PublishedPart(urn, parse.comment_url(post, urn))

    def post_metrics(self, remote_id: str) -> PostMetrics:
        """Lifetime statistics of one of the organization's posts
        (organizationalEntityShareStatistics with `shares` or `ugcPosts`, organic
        activity only, permission rw_organization_admin): impressions, unique
        impressions, likes, comments, shares, clicks. No element: the post is not
        (or no longer) the organization's, Rejected."""
        kind = parse.statistics_parameter(remote_id)
        if not kind:
            raise Rejected(f"{self.network}: no statistics for {remote_id}")
        # Rest.li 2.0 wants the URN encoded inside List(...), parentheses as is.
        url = (
            f"{API}/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={quote(self._author(), safe='')}"
            f"&{kind}=List({quote(remote_id, safe='')})"
        )
        body = self.request("GET", url, headers=self._headers()).json()
        statistics = parse.share_statistics(body, remote_id)
        if statistics is None:
            raise Rejected(
                f"{self.network}: no statistics for {remote_id} (deleted, or not "
                "a post of this organization)"
            )
        return parse.post_metrics(statistics, remote_id)

    def followers(self) -> int | None:
        """The organization's follower count (networkSizes, edgeType
        COMPANY_FOLLOWED_BY_MEMBER: firstDegreeSize)."""
        response = self.request(
            "GET",
            f"{API}/networkSizes/{quote(self._author(), safe='')}",
            params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"},
            headers=self._headers(),
        )
        return parse.first_degree_size(response.json())

    def is_own(self, comment: RemoteComment) -> bool:
        return comment.author_id == self._author()

    def _comment_pages(self, urn: str, pages: int = COMMENT_PAGES) -> list[Any]:
        bodies = []
        start: int | None = 0
        for _ in range(pages):
            if start is None:
                break
            body = self.request(
                "GET",
                f"{API}/socialActions/{quote(urn, safe='')}/comments",
                params={"start": start, "count": COMMENTS_PAGE},
                headers=self._headers(),
            ).json()
            bodies.append(body)
            start = parse.next_start(body)
        return bodies

    # -- HTTP --------------------------------------------------------------------------
    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        """LinkedIn sends no rate headers; a 429 spends the day until midnight UTC."""
        if response.status_code != 429:
            return None
        return RateLimitState(remaining=0, reset_at=next_midnight(self.now()))

    def error_from(self, response: httpx.Response) -> ConnectorError:
        error = super().error_from(response)
        error.network_code = parse.error_code(json_or_none(response))
        if isinstance(error, RateLimited) and retry_after_seconds(response) is None:
            now = self.now()
            until_reset = (next_midnight(now) - now).total_seconds()
            error.retry_after = min(until_reset, MAX_RETRY_AFTER)
        return error

    def network_message(self, response: httpx.Response) -> str:
        message = parse.error_message(json_or_none(response))
        return message or super().network_message(response)

    def _organization_id(self) -> str:
        account_id = self.credentials.account_id.removeprefix("urn:li:organization:")
        if not account_id:
            raise Rejected("LinkedIn : aucune page n'est choisie pour ce canal.")
        return account_id

    def _author(self) -> str:
        return f"urn:li:organization:{self._organization_id()}"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials.access_token}",
            "LinkedIn-Version": LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def _upload(self, item: MediaItem) -> str:
        """Register an image for the organization, then send its bytes."""
        response = self.request(
            "POST",
            f"{API}/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self._author()}},
            headers=self._headers(),
        )
        upload_url, image_urn = parse.image_upload(response.json())
        self.request(
            "PUT",
            upload_url,
            content=item.content,
            headers={"Authorization": f"Bearer {self.credentials.access_token}"},
        )
        return image_urn
