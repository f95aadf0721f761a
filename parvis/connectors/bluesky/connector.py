"""Bluesky, through the XRPC API of the account's PDS (AT Protocol).

Posts are `app.bsky.feed.post` records written with com.atproto.repo.createRecord under
a record key derived from the publication's idempotency key (`parse.record_key`): a
second publish of the same publication finds the key taken and returns the post already
there (the PDS answers such a create with an error, 500 for @atproto/pds 0.5), so a
post can never appear twice, and a thread interrupted at part 2 resumes at part 2.

Pinning (crisis mode's alert) sets `pinnedPost` in the account's profile record
(app.bsky.actor.profile/self) with com.atproto.repo.putRecord and `swapRecord`.

Publishing uses only com.atproto.* endpoints (served by every PDS, with or without an
app view). Listening needs the app view the PDS proxies to: mentions, replies and
quotes are app.bsky.notification.listNotifications. An answer is a post record whose
`reply` holds strong references to the post answered and to its thread's root, under
a record key derived from the reply's idempotency key (never posted twice); a reply
under one of the account's posts is hidden by listing it in `hiddenReplies` of the
thread's app.bsky.feed.threadgate record (record key of the root post). Direct
messages (chat.bsky.convo, a separate chat service) are not read.

Counters come from the app view too: app.bsky.feed.getPosts (likeCount, replyCount,
repostCount, quoteCount) and app.bsky.actor.getProfile (followersCount).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.base import (
    AccountInfo,
    Capability,
    CommentBatch,
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
    mark_failure,
    retry_after_seconds,
)
from parvis.connectors.bluesky import parse
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
)

DEFAULT_PDS = "https://bsky.social"
# The account's profile record (lexicon app.bsky.actor.profile, record key "self"): its
# optional `pinnedPost` strong reference is the post shown first on the profile.
PROFILE = "app.bsky.actor.profile"
PROFILE_KEY = "self"
THREADGATE = "app.bsky.feed.threadgate"
MAX_HIDDEN_REPLIES = 300  # app.bsky.feed.threadgate: hiddenReplies maxLength
NOTIFICATION_REASONS = ("mention", "reply", "quote")
# Notifications are listed newest first, 100 a page: a read goes back at most this
# many pages to the cursor.
NOTIFICATION_PAGES = 10


class BlueskyConnector(Connector):
    network = "bluesky"
    label = "Bluesky"
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGES,
            Capability.THREADS,
            Capability.DELETE,
            Capability.PIN,
            Capability.READ_MENTIONS,
            Capability.REPLY,
            Capability.HIDE_COMMENT,
            Capability.METRICS,
        }
    )
    # app.bsky.feed.post: text of 300 graphemes at most; app.bsky.embed.images: 4
    # images of 2,000,000 bytes; the Bluesky app's alt text limit is 2,000
    # (social-app src/lib/constants.ts, MAX_ALT_TEXT).
    limits = Limits(
        max_chars=300, max_images=4, max_image_bytes=2_000_000, max_alt_chars=2_000
    )
    honours_idempotency_key: ClassVar[bool] = True

    def count(self, text: str) -> int:
        return textlib.count_graphemes(text)

    # -- XRPC ------------------------------------------------------------------------
    def _base_url(self) -> str:
        return (self.credentials.base_url or DEFAULT_PDS).rstrip("/")

    def _url(self, method: str) -> str:
        return f"{self._base_url()}/xrpc/{method}"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.access_token}"}

    def _query(self, method: str, **params: Any) -> dict[str, Any]:
        response = self.request(
            "GET", self._url(method), params=params, headers=self._auth()
        )
        return response.json()

    def _procedure(self, method: str, **kwargs: Any) -> dict[str, Any]:
        headers = {**self._auth(), **kwargs.pop("headers", {})}
        response = self.request("POST", self._url(method), headers=headers, **kwargs)
        return response.json() if response.content else {}

    @property
    def did(self) -> str:
        return self.credentials.account_id

    def error_from(self, response: httpx.Response) -> ConnectorError:
        """XRPC errors are named in the body; an expired token comes back as a 400
        with `ExpiredToken`, so the name decides before the status does."""
        code, message = parse.xrpc_error(response)
        status = response.status_code
        if code in parse.AUTH_ERRORS or status == 401:
            return AuthExpired(message, status=status, network_code=code)
        if code == "RateLimitExceeded" or status == 429:
            return RateLimited(
                message,
                status=status,
                network_code=code,
                retry_after=self._retry_after(response),
            )
        if status >= 500:
            return Unavailable(message, status=status, network_code=code)
        return Rejected(message, status=status, network_code=code)

    def _retry_after(self, response: httpx.Response) -> float:
        seconds = retry_after_seconds(response)
        if seconds is not None:
            return seconds
        state = parse.rate_limit(response.headers)
        if state and state.reset_at:
            return max(1.0, (state.reset_at - dt.datetime.now(dt.UTC)).total_seconds())
        return 60.0

    def network_message(self, response: httpx.Response) -> str:
        return parse.xrpc_error(response)[1]

    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        return parse.rate_limit(response.headers)

    # -- account ---------------------------------------------------------------------
    def verify(self) -> AccountInfo:
        session = self._query("com.atproto.server.getSession")
        profile = self._get_record(session["did"], "app.bsky.actor.profile", "self")
        display_name = (profile or {}).get("value", {}).get("displayName", "")
        return AccountInfo(
            account_id=session["did"],
            handle=session["handle"],
            display_name=display_name,
            url=f"{parse.APP_URL}/profile/{session['handle']}",
            max_chars=self.limits.max_chars,
        )

    def refresh(self) -> Credentials:
        """A new session from the refresh token (com.atproto.server.refreshSession);
        the connector goes on with it."""
        response = self.request(
            "POST",
            self._url("com.atproto.server.refreshSession"),
            headers={"Authorization": f"Bearer {self.credentials.refresh_token}"},
        )
        self.credentials = parse.credentials(response.json(), self._base_url())
        return self.credentials

    # -- measurement -----------------------------------------------------------------
    def post_metrics(self, remote_id: str) -> PostMetrics:
        """Likes, replies, reposts and quotes of a post (app.bsky.feed.getPosts, from
        the app view the PDS proxies to). Bluesky counts no impressions, reach nor
        clicks. A deleted post is left out of the answer: Rejected."""
        body = self._query("app.bsky.feed.getPosts", uris=[remote_id])
        post = parse.post_view(body, remote_id)
        if post is None:
            raise Rejected(
                f"{self.network}: post not found (deleted?) {remote_id}",
                network_code="NotFound",
            )
        return parse.post_metrics(post)

    def followers(self) -> int | None:
        """`followersCount` of the account's profile (app.bsky.actor.getProfile)."""
        profile = self._query("app.bsky.actor.getProfile", actor=self.did)
        return parse.followers_count(profile)

    # -- publishing ------------------------------------------------------------------
    def problems(self, draft: Draft) -> list[str]:
        problems = super().problems(draft)
        for index, part in enumerate(draft.parts, 1):
            # The lexicon also caps the text at 3,000 UTF-8 bytes (maxLength), which
            # 300 graphemes of composed emoji can pass.
            if len(part.encode()) > parse.MAX_TEXT_BYTES:
                where = f"La partie {index}" if len(draft.parts) > 1 else "Le message"
                problems.append(
                    f"{where} est trop long pour {self.label} "
                    f"({parse.MAX_TEXT_BYTES} octets au plus)."
                )
        if draft.first_comment:
            problems.append(f"{self.label} : le premier commentaire n'est pas géré.")
        return problems

    def publish(self, draft: Draft) -> PublishResult:
        """Images first (with their alt text), then each part replying to the one
        before (root: the first). On failure the error names the part and carries
        `published_parts`; a part already on the account is not posted again."""
        if problems := self.problems(draft):
            raise mark_failure(Rejected(" ".join(problems)), "")
        published: list[PublishedPart] = []
        root: dict[str, str] | None = None
        parent: dict[str, str] | None = None
        total = len(draft.parts)
        for index, text in enumerate(draft.parts):
            try:
                embed = self._embed(draft) if index == 0 else None
                reply = {"root": root, "parent": parent} if root and parent else None
                ref = self._create_post(
                    text, parse.record_key(draft.idempotency_key, index), embed, reply
                )
            except ConnectorError as exc:
                where = f"partie {index + 1}/{total}" if total > 1 else ""
                mark_failure(exc, where, published)
                raise
            published.append(PublishedPart(ref["uri"], parse.post_url(ref["uri"])))
            root = root or ref
            parent = ref
        return PublishResult(parts=tuple(published))

    def _create_post(
        self,
        text: str,
        rkey: str,
        embed: dict[str, Any] | None,
        reply: dict[str, Any] | None,
    ) -> dict[str, str]:
        """Create the post at `rkey`, or return the one already there: the strong
        reference {"uri", "cid"} a reply needs."""
        record = parse.post_record(
            text=text,
            created_at=dt.datetime.now(dt.UTC),
            facets=parse.facets(text, self._resolve_handle),
            embed=embed,
            reply=reply,
        )
        body = {
            "repo": self.did,
            "collection": parse.POST,
            "rkey": rkey,
            "record": record,
        }
        try:
            created = self._procedure("com.atproto.repo.createRecord", json=body)
        except (Rejected, Unavailable) as exc:
            # A timeout after sending stays unknown: the engine reconciles it with
            # find_published (a retry would be harmless too, same record key).
            if getattr(exc, "maybe_sent", False):
                raise
            existing = self._get_record(self.did, parse.POST, rkey, quiet=True)
            if existing is None or not existing.get("cid"):
                raise
            return {"uri": existing["uri"], "cid": existing["cid"]}
        return {"uri": created["uri"], "cid": created["cid"]}

    def _embed(self, draft: Draft) -> dict[str, Any] | None:
        if draft.media:
            blobs = []
            for index, item in enumerate(draft.media):
                try:
                    blobs.append(self._upload(item))
                except ConnectorError as exc:
                    if isinstance(exc, Unavailable):
                        exc.maybe_sent = False  # a blob alone is no post
                    mark_failure(exc, f"image {index + 1}/{len(draft.media)}", ())
                    raise
            return parse.images_embed(
                blobs,
                [item.alt_text for item in draft.media],
                [parse.image_size(item.content) for item in draft.media],
            )
        if draft.link:
            return parse.external_embed(draft.link)
        return None

    def _upload(self, item: MediaItem) -> dict[str, Any]:
        uploaded = self._procedure(
            "com.atproto.repo.uploadBlob",
            content=item.content,
            headers={"Content-Type": item.mime_type},
        )
        return uploaded["blob"]

    def _resolve_handle(self, handle: str) -> str | None:
        """The DID of a mentioned handle; None leaves the mention as plain text."""
        try:
            found = self._query("com.atproto.identity.resolveHandle", handle=handle)
        except ConnectorError:
            return None
        return found.get("did") or None

    def _get_record(
        self, repo: str, collection: str, rkey: str, *, quiet: bool = False
    ) -> dict[str, Any] | None:
        """A record, or None when there is none (or, `quiet`, when the PDS cannot say)."""
        try:
            return self._query(
                "com.atproto.repo.getRecord",
                repo=repo,
                collection=collection,
                rkey=rkey,
            )
        except Rejected as exc:
            if exc.network_code == "RecordNotFound" or quiet:
                return None
            raise
        except ConnectorError:
            if quiet:
                return None
            raise

    # -- reading back and deleting ---------------------------------------------------
    def find_published(self, draft: Draft) -> RemotePost | None:
        """The first part of `draft` once every part is on the account, looked up by
        record key (exact, no text comparison). None while a part is missing: since
        the keys are fixed, publishing again completes a thread without repeating the
        parts already there."""
        key = draft.idempotency_key
        last = len(draft.parts) - 1
        record = self._get_record(self.did, parse.POST, parse.record_key(key, last))
        if record and last:
            record = self._get_record(self.did, parse.POST, parse.record_key(key, 0))
        return parse.remote_post(record) if record else None

    def find_published_parts(self, draft: Draft) -> list[RemotePost]:
        """Every part once all are on the account, else nothing: publishing again
        completes a thread (fixed record keys), so a prefix is not an outcome."""
        if self.find_published(draft) is None:
            return []
        key = draft.idempotency_key
        records = [
            self._get_record(self.did, parse.POST, parse.record_key(key, index))
            for index in range(len(draft.parts))
        ]
        if not all(records):
            return []
        return [parse.remote_post(record) for record in records if record]

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        """Posts of the account in record-key order (com.atproto.repo.listRecords),
        newest key first; Parvis's keys sort by hash (see `parse.record_key`)."""
        listing = self._query(
            "com.atproto.repo.listRecords",
            repo=self.did,
            collection=parse.POST,
            limit=max(1, min(limit, 100)),
        )
        return [parse.remote_post(record) for record in listing.get("records", [])]

    def pin(self, remote_id: str) -> None:
        """Set the profile's `pinnedPost` to the post (its uri and current cid). The
        other fields of the profile are kept; the previous pinned post is replaced
        (Bluesky pins one post)."""
        repo, collection, rkey = parse.split_uri(remote_id)
        post = self._get_record(repo, collection, rkey)
        if post is None or not post.get("cid"):
            raise Rejected(f"{self.label} : publication introuvable ({remote_id}).")
        ref = {"uri": post["uri"], "cid": post["cid"]}
        self._update_profile(lambda value: {**value, "pinnedPost": ref})

    def unpin(self, remote_id: str) -> None:
        """Clear `pinnedPost` if it still names this post; a post pinned since by
        someone else stays pinned."""

        def without_pin(value: dict[str, Any]) -> dict[str, Any] | None:
            if (value.get("pinnedPost") or {}).get("uri") != remote_id:
                return None
            return {key: item for key, item in value.items() if key != "pinnedPost"}

        self._update_profile(without_pin)

    def _update_profile(
        self, change: Callable[[dict[str, Any]], dict[str, Any] | None]
    ) -> None:
        """Apply `change` to the profile record (see `_update_record`)."""
        self._update_record(PROFILE, PROFILE_KEY, {"$type": PROFILE}, change)

    def _update_record(
        self,
        collection: str,
        rkey: str,
        missing: dict[str, Any],
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> None:
        """Read one of the account's records, apply `change` (None: nothing to
        write) and put it back with `swapRecord`: an edit made in between
        (InvalidSwap) is read again once, not overwritten. A missing record starts
        from `missing` and is created."""
        for attempt in (1, 2):
            found = self._get_record(self.did, collection, rkey)
            current = dict((found or {}).get("value") or missing)
            changed = change(current)
            if changed is None:
                return
            body = {
                "repo": self.did,
                "collection": collection,
                "rkey": rkey,
                "record": changed,
                # null: the record must not exist yet (com.atproto.repo.putRecord).
                "swapRecord": found["cid"] if found else None,
            }
            try:
                self._procedure("com.atproto.repo.putRecord", json=body)
            except Rejected as exc:
                if exc.network_code == "InvalidSwap" and attempt == 1:
                    continue
                raise
            return

    # -- listening and answering ---------------------------------------------------
    def mentions(self, cursor: str = "") -> CommentBatch:
        """Replies, mentions and quotes of the account, from its notifications.
        `cursor` is the `indexedAt` of the newest one already read: the list is read
        back (newest first) until it; without a cursor, the latest page only."""
        since = parse.parse_datetime(cursor) if cursor else None
        items: list[RemoteComment] = []
        newest, newest_at = cursor, since
        page_cursor = ""
        for _ in range(NOTIFICATION_PAGES):
            params: dict[str, Any] = {"limit": 100, "reasons": NOTIFICATION_REASONS}
            if page_cursor:
                params["cursor"] = page_cursor
            body = self._query("app.bsky.notification.listNotifications", **params)
            reached = False
            for notification in body.get("notifications") or []:
                indexed_at = parse.parse_datetime(notification.get("indexedAt"))
                if since and indexed_at and indexed_at < since:
                    reached = True
                    break
                if indexed_at and (newest_at is None or indexed_at > newest_at):
                    newest, newest_at = notification["indexedAt"], indexed_at
                if notification.get("reason") not in NOTIFICATION_REASONS:
                    continue
                comment = parse.notification_comment(notification)
                if not self.is_own(comment):
                    items.append(comment)
            page_cursor = str(body.get("cursor") or "")
            if reached or since is None or not page_cursor:
                break
        return CommentBatch(items=tuple(items[::-1]), cursor=newest)

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """A post answering the post `in_reply_to_id` (its author is notified), in
        the same thread. The record key comes from `idempotency_key`: a second call
        returns the answer already there."""
        if problems := self.reply_problems(text):
            raise Rejected(" ".join(problems))
        repo, collection, rkey = parse.split_uri(in_reply_to_id)
        parent = self._get_record(repo, collection, rkey)
        if parent is None or not parent.get("cid"):
            raise Rejected(f"{self.label} : message introuvable ({in_reply_to_id}).")
        ref = self._create_post(
            text,
            parse.record_key(idempotency_key, 0),
            None,
            parse.reply_refs(parent),
        )
        return PublishedPart(ref["uri"], parse.post_url(ref["uri"]))

    def reply_problems(self, text: str) -> list[str]:
        problems = super().reply_problems(text)
        if len(text.encode()) > parse.MAX_TEXT_BYTES:
            problems.append(
                f"La réponse est trop longue pour {self.label} "
                f"({parse.MAX_TEXT_BYTES} octets au plus)."
            )
        return problems

    def hide_comment(self, remote_id: str) -> None:
        """Add the reply `remote_id` to `hiddenReplies` of the threadgate of its
        thread, which must start with a post of the account."""
        repo, collection, rkey = parse.split_uri(remote_id)
        answer = self._get_record(repo, collection, rkey)
        root = (((answer or {}).get("value") or {}).get("reply") or {}).get("root")
        root_uri = str((root or {}).get("uri") or "")
        if not root_uri or parse.split_uri(root_uri)[0] != self.did:
            raise Rejected(
                f"{self.label} ne masque que les réponses sous les publications du "
                "compte."
            )
        missing = {
            "$type": THREADGATE,
            "post": root_uri,
            "createdAt": parse.timestamp(dt.datetime.now(dt.UTC)),
        }

        def with_hidden(value: dict[str, Any]) -> dict[str, Any] | None:
            hidden = list(value.get("hiddenReplies") or [])
            if remote_id in hidden:
                return None
            if len(hidden) >= MAX_HIDDEN_REPLIES:
                raise Rejected(
                    f"{self.label} masque au plus {MAX_HIDDEN_REPLIES} réponses par "
                    "fil de discussion."
                )
            return {**value, "hiddenReplies": [*hidden, remote_id]}

        self._update_record(
            THREADGATE, parse.split_uri(root_uri)[2], missing, with_hidden
        )

    def delete(self, remote_id: str) -> None:
        repo, collection, rkey = parse.split_uri(remote_id)
        self._procedure(
            "com.atproto.repo.deleteRecord",
            json={"repo": repo, "collection": collection, "rkey": rkey},
        )
