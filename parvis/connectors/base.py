"""The connector contract: frozen dataclasses in and out, an injected httpx.Client,
capabilities and limits declared as class data, optional operations `Unsupported`.

A connector is plain Python (no Django). It is built from `Credentials` and, in tests,
an `httpx.Client(transport=httpx.MockTransport(...))`.
"""

import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from parvis.connectors import text as textlib
from parvis.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Unavailable,
    Unsupported,
)

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = "Parvis/0.1 (open-source platform of French local authorities)"


class Capability(enum.StrEnum):
    PUBLISH_TEXT = "publish_text"
    PUBLISH_IMAGES = "publish_images"  # with alt text
    PUBLISH_VIDEO = "publish_video"
    THREADS = "threads"
    FIRST_COMMENT = "first_comment"
    DELETE = "delete"
    READ_COMMENTS = "read_comments"
    READ_MENTIONS = "read_mentions"
    READ_DIRECT_MESSAGES = "read_direct_messages"
    REPLY = "reply"
    HIDE_COMMENT = "hide_comment"
    METRICS = "metrics"
    NATIVE_SCHEDULING = "native_scheduling"
    PIN = "pin"
    WEBHOOKS = "webhooks"  # the account's events can be pushed to our webhook


@dataclass(frozen=True)
class Limits:
    max_chars: int
    max_images: int = 4
    max_hashtags: int | None = None
    url_length: int | None = (
        None  # a link counts this many characters, whatever its length
    )
    max_image_bytes: int = 5_000_000
    max_alt_chars: int = 1_000
    clickable_links: bool = True


@dataclass(frozen=True)
class Credentials:
    """What a channel stores (encrypted) to act on one account."""

    access_token: str
    account_id: str = ""
    refresh_token: str = ""
    expires_at: dt.datetime | None = None
    base_url: str = ""  # the instance or PDS for federated networks
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MediaItem:
    content: bytes
    mime_type: str
    alt_text: str
    filename: str = "image"


@dataclass(frozen=True)
class Draft:
    """One message to publish: `parts` has one text, or several for a thread (the
    media go with the first part). `idempotency_key` is unique per publication."""

    parts: tuple[str, ...]
    idempotency_key: str
    media: tuple[MediaItem, ...] = ()
    link: str = ""  # a link card or, where links do not click, the link to mention
    first_comment: str = ""


@dataclass(frozen=True)
class PublishedPart:
    remote_id: str
    url: str = ""


@dataclass(frozen=True)
class PublishResult:
    parts: tuple[PublishedPart, ...]
    # What went wrong after the post itself was online (a first comment refused...),
    # in French: the publication stands, the team is told.
    warnings: tuple[str, ...] = ()

    @property
    def remote_id(self) -> str:
        return self.parts[0].remote_id

    @property
    def url(self) -> str:
        return self.parts[0].url


@dataclass(frozen=True)
class RemotePost:
    """A post read back from the account, to reconcile a publication whose outcome is
    unknown."""

    remote_id: str
    text: str
    created_at: dt.datetime | None
    url: str = ""


class CommentKind(enum.StrEnum):
    """What a citizen's message is to the account (the inbox's Message.kind)."""

    COMMENT = "comment"  # under one of the account's posts
    MENTION = "mention"  # a post naming the account
    DIRECT = "direct"  # a private message


@dataclass(frozen=True)
class RemoteComment:
    """Something a person wrote to the account, as the network shows it: a comment
    (or reply) under one of its posts, a mention, a direct message.

    `author_id` is the network's id of the author (kept only as a keyed hash by the
    inbox), `author_handle` the name to mention in a reply ("@user@domain" on
    Mastodon), `in_reply_to_id` what it answers (a post or a comment), `thread_key`
    the conversation it belongs to (the root post when the network says)."""

    remote_id: str
    text: str
    author_id: str = ""
    author_name: str = ""
    author_handle: str = ""
    created_at: dt.datetime | None = None
    url: str = ""
    in_reply_to_id: str = ""
    thread_key: str = ""
    kind: str = CommentKind.COMMENT


@dataclass(frozen=True)
class CommentBatch:
    """What a read of a stream (mentions, direct messages) brought, oldest first, and
    the cursor of the next read. The caller keeps `cursor` only once every item is
    stored: a crash in between reads the same items again (they are deduplicated)."""

    items: tuple[RemoteComment, ...]
    cursor: str


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    handle: str
    display_name: str = ""
    url: str = ""
    max_chars: int | None = None  # when the network tells (Mastodon instances)


@dataclass(frozen=True)
class PostMetrics:
    """The counters of one post of the account, as the network gives them now.

    None means the network does not provide that counter (not at all, not for this
    post, or not any more): it is shown as "non fourni", never as 0. A 0 is a 0 the
    network said. `shares` counts reposts and quotes together where the network
    tells both; `clicks` are clicks on the post's link."""

    remote_id: str
    impressions: int | None = None
    reach: int | None = None
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    clicks: int | None = None
    video_views: int | None = None


@dataclass(frozen=True)
class RateLimitState:
    remaining: int | None
    reset_at: dt.datetime | None


class Connector:
    """Base class. Subclasses set `network`, `capabilities`, `limits`, `label` (and
    `image_types` where only some formats pass), and implement what they support;
    the rest raises `Unsupported`."""

    network: ClassVar[str] = ""
    label: ClassVar[str] = ""
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    limits: ClassVar[Limits] = Limits(max_chars=500)
    # True when the network itself refuses a second post with the same idempotency key
    # (Mastodon's Idempotency-Key header, Bluesky's record key): retrying is then safe
    # even when the outcome of the first call is unknown.
    honours_idempotency_key: ClassVar[bool] = False
    # How long the network remembers the key (None: for ever, e.g. Bluesky record keys).
    idempotency_window: ClassVar[dt.timedelta | None] = None
    # The image formats the network takes (empty: any), and the French sentence that
    # refuses a draft holding another one.
    image_types: ClassVar[frozenset[str]] = frozenset()
    image_types_problem: ClassVar[str] = ""
    # True where comments nest one level only (Facebook, Instagram, LinkedIn): an
    # answer to a reply goes under the top-level comment that reply belongs to.
    replies_nest_once: ClassVar[bool] = False

    def __init__(
        self, credentials: Credentials, http: httpx.Client | None = None
    ) -> None:
        self.credentials = credentials
        self.http = http or httpx.Client(
            timeout=DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT}
        )
        self.last_rate_limit: RateLimitState | None = None
        self._owns_http = http is None

    def close(self) -> None:
        """Release the HTTP client if the connector created it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> "Connector":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- text ------------------------------------------------------------------------
    def count(self, text: str) -> int:
        """Length of `text` counted the network's way."""
        return textlib.count_with_url_length(text, self.limits.url_length)

    def max_chars(self) -> int:
        return self.limits.max_chars

    def problems(self, draft: Draft) -> list[str]:
        """What keeps `draft` from being published, in French (empty when it fits)."""
        problems = textlib.draft_problems(
            parts=draft.parts,
            media=draft.media,
            limits=self.limits,
            max_chars=self.max_chars(),
            count=self.count,
            threads=Capability.THREADS in self.capabilities,
            images=Capability.PUBLISH_IMAGES in self.capabilities,
            label=self.label,
        )
        if self.image_types and any(
            item.mime_type not in self.image_types for item in draft.media
        ):
            problems.append(self.image_types_problem)
        return problems

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def require(self, capability: Capability) -> None:
        if capability not in self.capabilities:
            raise Unsupported(f"{self.network} connector does not support {capability}")

    # -- operations (optional ones raise Unsupported) --------------------------------
    def verify(self) -> AccountInfo:
        raise Unsupported(f"{self.network}: verify")

    def publish(self, draft: Draft) -> PublishResult:
        raise Unsupported(f"{self.network}: publish")

    def delete(self, remote_id: str) -> None:
        raise Unsupported(f"{self.network}: delete")

    def pin(self, remote_id: str) -> None:
        """Show the post `remote_id` of the account first on its profile (PIN)."""
        raise Unsupported(f"{self.network}: pin")

    def unpin(self, remote_id: str) -> None:
        """Undo `pin`; a post that is not (or no longer) pinned is left as it is."""
        raise Unsupported(f"{self.network}: unpin")

    def recent_posts(self, limit: int = 20) -> list[RemotePost]:
        raise Unsupported(f"{self.network}: recent_posts")

    def shown_text(self, text: str) -> str:
        """`text` as the network shows it back once published (for reconciliation)."""
        return text

    def find_published(self, draft: Draft) -> RemotePost | None:
        """After an unknown outcome: the post of `draft` if the account shows it."""
        found = self._find_parts(draft, self.recent_posts(limit=40), first_only=True)
        return found[0] if found else None

    def find_published_parts(self, draft: Draft) -> list[RemotePost]:
        """After an unknown outcome: the posts of the draft's parts the account shows,
        in order, up to the first one missing (a thread cut short shows a prefix)."""
        return self._find_parts(draft, self.recent_posts(limit=40), first_only=False)

    def _find_parts(
        self, draft: Draft, recent: list[RemotePost], *, first_only: bool
    ) -> list[RemotePost]:
        by_text: dict[str, list[RemotePost]] = {}
        for post in reversed(recent):  # oldest first, so parts pair in order
            by_text.setdefault(textlib.comparable(post.text), []).append(post)
        found: list[RemotePost] = []
        for part in draft.parts[:1] if first_only else draft.parts:
            candidates = by_text.get(textlib.comparable(self.shown_text(part)))
            if not candidates:
                break
            found.append(candidates.pop(0))
        return found

    def refresh(self) -> Credentials:
        raise Unsupported(f"{self.network}: refresh")

    # -- measurement (METRICS) ---------------------------------------------------------
    def post_metrics(self, remote_id: str) -> PostMetrics:
        """The counters of the account's post `remote_id` now. A post the network no
        longer has is `Rejected`."""
        raise Unsupported(f"{self.network}: post_metrics")

    def followers(self) -> int | None:
        """How many accounts follow the account now; None when the network does not
        say."""
        raise Unsupported(f"{self.network}: followers")

    # -- listening and answering (READ_COMMENTS, READ_MENTIONS, READ_DIRECT_MESSAGES,
    # REPLY, HIDE_COMMENT); the account's own messages are never returned ----------
    def comments(
        self, remote_id: str, since: dt.datetime | None = None
    ) -> list[RemoteComment]:
        """Comments under the account's post `remote_id` (replies to comments
        included), created after `since` when given, oldest first."""
        raise Unsupported(f"{self.network}: comments")

    def mentions(self, cursor: str = "") -> CommentBatch:
        """Posts naming the account (and, where the network delivers them together,
        replies to it) since `cursor`; without a cursor, the most recent ones only."""
        raise Unsupported(f"{self.network}: mentions")

    def direct_messages(self, cursor: str = "") -> CommentBatch:
        """Private messages to the account since `cursor`."""
        raise Unsupported(f"{self.network}: direct_messages")

    def reply(
        self,
        in_reply_to_id: str,
        text: str,
        *,
        idempotency_key: str,
        mention: str = "",
        direct: bool = False,
    ) -> PublishedPart:
        """Answer the comment or post `in_reply_to_id` as the account. `mention` is
        the author's handle where the network notifies only those named; `direct`
        keeps the answer to a private message private."""
        raise Unsupported(f"{self.network}: reply")

    def hide_comment(self, remote_id: str) -> None:
        """Hide a comment under one of the account's posts from the public (the
        author and their friends may still see it, as the network decides)."""
        raise Unsupported(f"{self.network}: hide_comment")

    def subscribe_webhooks(self) -> None:
        """Ask the network to push this account's events (new comments) to the
        installation's webhook, sooner than the next poll."""
        raise Unsupported(f"{self.network}: subscribe_webhooks")

    def reply_max_chars(self) -> int:
        """How long an answer may be (a comment's limit where it differs)."""
        return self.max_chars()

    def reply_problems(self, text: str) -> list[str]:
        """What keeps `text` from going out as an answer, in French."""
        if not text.strip():
            return ["La réponse est vide."]
        if self.count(text) > self.reply_max_chars():
            return [
                f"La réponse compte {self.count(text)} caractères pour {self.label}, "
                f"au-delà de la limite de {self.reply_max_chars()}."
            ]
        return []

    def is_own(self, comment: RemoteComment) -> bool:
        """True when the account itself wrote `comment` (its own answers)."""
        own = self.credentials.account_id
        return bool(own) and comment.author_id == own

    # -- HTTP ------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        ok: Callable[[httpx.Response], bool] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request and turn every failure into a ConnectorError."""
        sending = method.upper() not in {"GET", "HEAD"}
        try:
            response = self.http.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise Unavailable(f"{self.network}: cannot connect ({exc})") from exc
        except (
            httpx.ReadTimeout,
            httpx.WriteTimeout,
            httpx.RemoteProtocolError,
        ) as exc:
            raise Unavailable(
                f"{self.network}: no answer ({type(exc).__name__})", maybe_sent=sending
            ) from exc
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"{self.network}: {type(exc).__name__}", maybe_sent=sending
            ) from exc
        self.last_rate_limit = self.rate_limit_from(response) or self.last_rate_limit
        if ok(response) if ok else response.is_success:
            return response
        raise self.error_from(response)

    def rate_limit_from(self, response: httpx.Response) -> RateLimitState | None:
        """The network's rate headers, when it sends them (overridden per network)."""
        return None

    def error_from(self, response: httpx.Response) -> ConnectorError:
        """Map a failed response to the error tree; networks refine `network_message`."""
        status = response.status_code
        message = self.network_message(response)
        retry_after = retry_after_seconds(response)
        if status == 401:
            return AuthExpired(message, status=status)
        if status == 429:
            return RateLimited(message, status=status, retry_after=retry_after or 60.0)
        if status >= 500:
            return Unavailable(message, status=status, retry_after=retry_after)
        return Rejected(message, status=status)

    def network_message(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return f"HTTP {response.status_code}: {response.text[:200]}"
        if isinstance(body, dict):
            for key in ("error_description", "error", "message", "detail"):
                value = body.get(key)
                if isinstance(value, str) and value:
                    return value
                if isinstance(value, dict) and value.get("message"):
                    return str(value["message"])
        return f"HTTP {response.status_code}"


def count_or_none(value: object) -> int | None:
    """A counter from a JSON payload: a whole number of 0 or more, or None when the
    field is missing, null or not a number (never a 0 the network did not say)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value < 0 or value != int(value):
        return None
    return int(value)


def total_or_none(*values: int | None) -> int | None:
    """The sum of the counters given, None when the network gave none of them."""
    given = [value for value in values if value is not None]
    return sum(given) if given else None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def json_or_none(response: httpx.Response) -> Any:
    """The JSON body of `response`, or None when it has none (empty, HTML, garbled)."""
    try:
        return response.json()
    except ValueError:  # json.JSONDecodeError and UnicodeDecodeError among them
        return None


def mark_failure(
    error: ConnectorError, where: str, published: Sequence[PublishedPart] = ()
) -> ConnectorError:
    """Name the failing step in the message of `error` (when `where` is given) and
    attach the parts already online as `published_parts`, as every connector's
    publish errors do. Returns `error`, to be raised."""
    if where:
        error.message = f"{where} : {error.message}"
        error.args = (error.message,)
    error.published_parts = tuple(published)
    return error


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
