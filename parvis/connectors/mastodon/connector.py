"""Mastodon: statuses with images and alt text, threads, replies, comments and
mentions, counters. API: https://docs.joinmastodon.org/methods/

Each instance sets its own limits. `verify()` reads them (GET /api/v2/instance); the
channel keeps `max_characters` and `characters_reserved_per_url` in
`credentials.extra`, and `max_chars()` and `count()` follow them.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from time import sleep
from typing import Any
from urllib.parse import urlsplit

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    CommentBatch,
    CommentKind,
    Connector,
    Draft,
    Limits,
    MediaItem,
    PostMetrics,
    PublishedPart,
    PublishResult,
    RateLimitState,
    RemoteComment,
    RemotePost,
    mark_failure,
)
from parvis.connectors.errors import ConnectorError, RateLimited, Rejected, Unavailable
from parvis.connectors.mastodon import parse

LANGUAGE = "fr"
VISIBILITY = "public"
# Least to most restricted: a reply never widens the audience of what it answers.
VISIBILITIES = ("public", "unlisted", "private", "direct")
# Pinning and unpinning a status need this scope (methods/statuses#pin).
PIN_SCOPE = "write:accounts"
# Pauses between checks of an image still processing (GET /api/v1/media/:id -> 206).
MEDIA_POLL_DELAYS = (0.5, 1.0, 2.0, 3.0, 5.0, 5.0, 5.0)
# Notifications: 40 a page by default, 80 at most (methods/notifications#get); a read
# follows at most this many pages forward before the next poll goes on from there.
NOTIFICATIONS_PAGE = 80
MENTION_PAGES = 5


class MastodonConnector(Connector):
    network = "mastodon"
    label = "Mastodon"
    # Mastodon keeps an Idempotency-Key for one hour per account: a retry with the same
    # key returns the first status instead of posting again.
    honours_idempotency_key = True
    # Direct messages are statuses of visibility "direct" naming the account: they come
    # with `mentions` (kind "direct"), so there is no READ_DIRECT_MESSAGES stream.
    # No HIDE_COMMENT: Mastodon lets an account hide nobody's reply, only block/mute.
    # The key is stored for one hour, and only once the first request is done: the
    # engine retries on it only after SETTLE_AFTER and well within the hour.
    idempotency_window = dt.timedelta(minutes=50)
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.THREADS,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.READ_MENTIONS,
            Capability.REPLY,
            Capability.METRICS,
            Capability.PIN,
        }
    )
    # Defaults of a stock instance (docs: methods/instance#v2, entities/Instance);
    # the instance's own figures, when known, win (see max_chars and count).
    limits = Limits(
        max_chars=500,
        max_images=4,
        url_length=23,
        max_image_bytes=10_485_760,
        max_alt_chars=1_500,
    )

    # -- text ------------------------------------------------------------------------
    def max_chars(self) -> int:
        return self._extra_int("max_characters") or self.limits.max_chars

    def url_length(self) -> int:
        return self._extra_int("characters_reserved_per_url") or 23  # limits.url_length

    def count(self, text: str) -> int:
        """As Mastodon's StatusLengthValidator: grapheme clusters, every http(s) URL
        counting `characters_reserved_per_url`, a mention only its "@user" part."""
        text = textlib.URL_PATTERN.sub("x" * self.url_length(), text)
        return textlib.count_graphemes(local_mentions(text))

    def problems(self, draft: Draft) -> list[str]:
        problems = super().problems(with_link(draft))
        if draft.first_comment:
            problems.append(f"{self.label} : le premier commentaire n'est pas géré.")
        return problems

    # -- operations ------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        account = self._call("GET", "/api/v1/accounts/verify_credentials").json()
        limits = self.instance_limits()
        return parse.account_info(
            account, domain=limits.domain, max_chars=limits.max_characters
        )

    def instance_limits(self) -> parse.InstanceLimits:
        """The instance's limits (public, sent without the token). Instances older
        than Mastodon 4.0 have no v2 endpoint: their limits stay unknown."""
        try:
            instance = self.request("GET", self._url("/api/v2/instance")).json()
        except Rejected as exc:
            if exc.status != 404:
                raise
            host = urlsplit(self.credentials.base_url).hostname or ""
            return parse.InstanceLimits(host, None, None, None)
        return parse.instance_limits(instance)

    def publish(self, draft: Draft) -> PublishResult:
        """Images first (with their alt text), then each part replying to the one
        before. On failure the error names the part and carries `published_parts`."""
        if problems := self.problems(draft):
            raise mark_failure(Rejected(" ".join(problems)), "")
        draft = with_link(draft)
        media_ids = self._upload_all(draft.media)
        published: list[PublishedPart] = []
        total = len(draft.parts)
        for index, text in enumerate(draft.parts, 1):
            # Mastodon keeps an Idempotency-Key one hour: a retry returns the same
            # status instead of a duplicate. Each part needs its own key.
            key = draft.idempotency_key + (f"-{index}" if index > 1 else "")
            try:
                status = self._post_status(
                    text,
                    idempotency_key=key,
                    in_reply_to_id=published[-1].remote_id if published else "",
                    media_ids=media_ids if index == 1 else (),
                )
            except ConnectorError as exc:
                mark_failure(
                    exc, f"partie {index}/{total}" if total > 1 else "", published
                )
                raise
            published.append(parse.published_part(status))
        return PublishResult(parts=tuple(published))

    def delete(self, remote_id: str) -> None:
        """Deleting a status already gone (404) counts as done."""
        self._call(
            "DELETE",
            f"/api/v1/statuses/{remote_id}",
            ok=lambda response: response.is_success or response.status_code == 404,
        )

    def pin(self, remote_id: str) -> None:
        """Feature the status on the profile (POST /api/v1/statuses/:id/pin, scope
        write:accounts). An instance keeps 5 pinned statuses by default; beyond, it
        answers 422."""
        self._require_scope(PIN_SCOPE)
        self._call("POST", f"/api/v1/statuses/{remote_id}/pin")

    def unpin(self, remote_id: str) -> None:
        """POST /api/v1/statuses/:id/unpin: 200 also when it was not pinned; a status
        already deleted (404) has nothing left to unpin."""
        self._require_scope(PIN_SCOPE)
        self._call(
            "POST",
            f"/api/v1/statuses/{remote_id}/unpin",
            ok=lambda response: response.is_success or response.status_code == 404,
        )

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        account_id = self.credentials.account_id or str(
            self._call("GET", "/api/v1/accounts/verify_credentials").json()["id"]
        )
        statuses = self._call(
            "GET",
            f"/api/v1/accounts/{account_id}/statuses",
            params={"limit": min(limit, 40), "exclude_reblogs": "true"},
        ).json()
        return [parse.remote_post(status) for status in statuses]

    def shown_text(self, text: str) -> str:
        """Mastodon shows a remote mention as "@user": the draft is compared so."""
        return local_mentions(text)

    def comments(
        self, remote_id: str, since: dt.datetime | None = None
    ) -> list[RemoteComment]:
        """Replies under a status (the whole tree, GET /api/v1/statuses/:id/context),
        without the account's own, in the order of the tree."""
        context = self._call("GET", f"/api/v1/statuses/{remote_id}/context").json()
        found = []
        for status in context.get("descendants", []):
            comment = dataclasses.replace(
                parse.remote_comment(status, own_id=self.credentials.account_id),
                kind=CommentKind.COMMENT,
                thread_key=remote_id,
            )
            if self.is_own(comment):
                continue
            if since and comment.created_at and comment.created_at <= since:
                continue
            found.append(comment)
        return found

    def mentions(self, cursor: str = "") -> CommentBatch:
        """Statuses naming the account, from its `mention` notifications: replies to
        its statuses, mentions and direct messages (kind `direct`) all come this way.
        `cursor` is the id of the newest notification already read; pages are read
        forward from it (min_id), so nothing between two polls is skipped. Without a
        cursor, only the latest page."""
        items: list[RemoteComment] = []
        newest = cursor
        own_id = self.credentials.account_id
        for _ in range(MENTION_PAGES):
            params: dict[str, Any] = {
                "types[]": ["mention"],
                "limit": NOTIFICATIONS_PAGE,
            }
            if newest:
                params["min_id"] = newest
            page = self._call("GET", "/api/v1/notifications", params=params).json()
            if not page:
                break
            items.extend(
                comment
                for comment in parse.mention_comments(page, own_id=own_id)
                if not self.is_own(comment)
            )
            newest = str(page[0]["id"])  # the API lists the newest first
            if not cursor or len(page) < NOTIFICATIONS_PAGE:
                break
        return CommentBatch(items=tuple(items), cursor=newest)

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
        visibility: str = VISIBILITY,
    ) -> PublishedPart:
        """Answer a status. Mastodon notifies only mentioned accounts: `mention` (the
        comment's `author_handle`) is put first unless the text has it already. An
        answer is never more public than `visibility`, the answered status' own;
        `direct` answers a private message privately."""
        if mention and mention.casefold() not in text.casefold():
            text = f"{mention} {text}"
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        status = self._post_status(
            text,
            idempotency_key=idempotency_key,
            in_reply_to_id=in_reply_to_id,
            visibility=narrowest(VISIBILITY, visibility, "direct" if direct else ""),
        )
        return parse.published_part(status)

    def post_metrics(self, remote_id: str) -> PostMetrics:
        """The counters of a Status (GET /api/v1/statuses/:id): favourites, replies,
        boosts. Mastodon counts no impressions, reach nor clicks. A status deleted
        since answers 404 (Rejected)."""
        status = self._call("GET", f"/api/v1/statuses/{remote_id}").json()
        return parse.post_metrics(status)

    def followers(self) -> int | None:
        """`followers_count` of the account (GET /api/v1/accounts/verify_credentials,
        scope read:accounts)."""
        account = self._call("GET", "/api/v1/accounts/verify_credentials").json()
        return parse.followers_count(account)

    # -- HTTP ------------------------------------------------------------------------
    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        return parse.rate_limit(response.headers)

    def network_message(self, response: httpx.Response) -> str:
        try:
            message = parse.error_message(response.json())
        except ValueError:
            message = ""
        return message or f"HTTP {response.status_code}"

    def error_from(self, response: httpx.Response) -> ConnectorError:
        """Mastodon answers 429 without Retry-After: the wait is X-RateLimit-Reset."""
        error = super().error_from(response)
        if isinstance(error, RateLimited) and "retry-after" not in response.headers:
            wait = parse.seconds_until_reset(response.headers)
            if wait is not None:
                error.retry_after = wait
        return error

    # -- helpers ---------------------------------------------------------------------
    def _post_status(
        self,
        text: str,
        *,
        idempotency_key: str,
        in_reply_to_id: str = "",
        media_ids: Sequence[str] = (),
        visibility: str = VISIBILITY,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": text,
            "visibility": visibility,
            "language": LANGUAGE,
        }
        if in_reply_to_id:
            data["in_reply_to_id"] = in_reply_to_id
        if media_ids:
            data["media_ids[]"] = list(media_ids)
        headers = {"Idempotency-Key": idempotency_key}
        return self._call("POST", "/api/v1/statuses", headers=headers, data=data).json()

    def _upload_all(self, media: Sequence[MediaItem]) -> list[str]:
        ids = []
        for index, item in enumerate(media, 1):
            try:
                ids.append(self._upload(item))
            except ConnectorError as exc:
                # No status was sent yet: whatever happened to the upload, the
                # publication is not "maybe sent".
                if isinstance(exc, Unavailable):
                    exc.maybe_sent = False
                mark_failure(exc, f"image {index}/{len(media)}", [])
                raise
        return ids

    def _upload(self, item: MediaItem) -> str:
        """POST /api/v2/media; a 202 means still processing: wait until GET
        /api/v1/media/:id answers 200 (206 while processing)."""
        response = self._call(
            "POST",
            "/api/v2/media",
            files={"file": (item.filename, item.content, item.mime_type)},
            data={"description": item.alt_text},
        )
        media_id = str(response.json()["id"])
        if response.status_code == 202:
            for delay in MEDIA_POLL_DELAYS:
                sleep(delay)
                check = self._call(
                    "GET",
                    f"/api/v1/media/{media_id}",
                    ok=lambda r: r.status_code in (200, 206),
                )
                if check.status_code == 200:
                    return media_id
            raise Unavailable(f"{self.label} : image toujours en cours de traitement.")
        return media_id

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call to the instance's API with the account's token."""
        headers = {**kwargs.pop("headers", {}), **self._auth()}
        return self.request(method, self._url(path), headers=headers, **kwargs)

    def _url(self, path: str) -> str:
        base = self.credentials.base_url.rstrip("/")
        if not base:
            raise Rejected(f"{self.label} : adresse de l'instance manquante.")
        return base + path

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.access_token}"}

    def _require_scope(self, scope: str) -> None:
        """Channels connected before Parvis asked for `scope` lack it: say so rather
        than let the instance answer 403."""
        granted = set(str(self.credentials.extra.get("scope", "")).split())
        if granted and scope not in granted and scope.split(":")[0] not in granted:
            raise Rejected(
                f"{self.label} : ce compte a été connecté sans l'autorisation "
                f"« {scope} » ; reconnectez-le dans « Canaux » pour épingler."
            )

    def _extra_int(self, key: str) -> int | None:
        try:
            value = int(self.credentials.extra.get(key, ""))
        except (TypeError, ValueError):
            return None
        return value if value > 0 else None


def with_link(draft: Draft) -> Draft:
    """Mastodon builds its link card from the first URL of the text: the draft's link
    is appended to the first part when the text does not already hold it."""
    if not draft.link or not draft.parts or draft.link in draft.parts[0]:
        return draft
    first = f"{draft.parts[0]}\n\n{draft.link}"
    return dataclasses.replace(draft, parts=(first, *draft.parts[1:]))


def local_mentions(text: str) -> str:
    """ "@user@domain" -> "@user", as Mastodon counts and displays mentions."""
    return textlib.MENTION_PATTERN.sub(
        lambda match: "@" + match.group(1).split("@")[0], text
    )


def narrowest(*visibilities: str) -> str:
    """The most restricted of `visibilities` (empty ones left out); an unknown one
    counts as `direct`."""
    known = [v if v in VISIBILITIES else "direct" for v in visibilities if v]
    return max(known, key=VISIBILITIES.index)
