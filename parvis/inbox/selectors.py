"""Reads of the inbox: what one member may see, the list with its filters, one
message with its context, and the messages to sort first.

Who sees what (`Viewer`):

- editors, validators and administrators see every message of the authority and
  handle them (labels, assignment, status, notes, the full text);
- an agent sees the messages routed to one of the services they are a member of,
  and those assigned to them, and handles those;
- elected members read every message, masked, and change nothing: they follow how
  citizens are answered, they do not answer on the team's behalf, and they have no
  need of citizens' telephone numbers or e-mail addresses.

A message outside the viewer's scope answers 404, like one of another authority.

The list is built for a million messages (issue 6: under 300 ms):

- keyset pagination on (received_at, id), newest first, never an OFFSET; the cursor
  is the last message shown ("<microseconds since 1970>_<id>"); pages go forward
  only, with a link back to the newest;
- counts per status are capped (`COUNT_CAP`): each counts at most 1,001 rows of the
  index, and the page says "plus de 1 000" rather than counting a million;
- the text search is a bounded scan: it looks at the `SEARCH_WINDOW` newest messages
  matching the other filters (from the cursor on), and offers to go on with the next
  window when that one is exhausted, so that no request reads the whole table.
  Case-insensitive for unaccented letters on SQLite (LIKE), for every letter on
  PostgreSQL (UPPER … LIKE); accents must be typed as written;
- a fixed number of queries per page, whatever its length.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from parvis.accounts.models import Membership
from parvis.accounts.roles import Role
from parvis.inbox import routing
from parvis.inbox.models import Message, Note, Reply, Status
from parvis.territory.models import Authority, Service

PAGE_SIZE = 50
COUNT_CAP = 1_000
SEARCH_WINDOW = 20_000
SORT_FIRST_WINDOW = 500
SORT_FIRST_COUNT = 20
OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)

# Roles that handle messages; the others (elected) only read them.
HANDLE_ROLES = frozenset({Role.EDITOR, Role.VALIDATOR, Role.ADMIN, Role.AGENT})
# Roles that read every message of the authority; agents read their services'.
SEE_ALL_ROLES = frozenset({Role.EDITOR, Role.VALIDATOR, Role.ADMIN, Role.ELECTED})

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Viewer:
    """A member looking at the inbox of one authority."""

    authority: Authority
    user: Any
    role: str
    service_ids: frozenset[int]  # an agent's services in this authority

    @property
    def sees_all(self) -> bool:
        return self.role in SEE_ALL_ROLES

    @property
    def can_handle(self) -> bool:
        return self.role in HANDLE_ROLES

    def sees(self, message: Message) -> bool:
        """Whether `message` (of the viewer's authority) is within their scope."""
        return (
            self.sees_all
            or message.service_id in self.service_ids
            or message.assignee_id == self.user.pk
        )

    @property
    def can_reveal(self) -> bool:
        """May read a message's text unmasked (those who answer it)."""
        return self.can_handle


def viewer_of(
    *, authority: Authority, membership: Membership, user: Any = None
) -> Viewer:
    """The viewer of a request: the membership found by `authority_view`, and its
    user (`request.user`, which spares loading it again). One query for an agent
    (their services), none else."""
    user = user if user is not None else membership.user
    service_ids: frozenset[int] = frozenset()
    if membership.role == Role.AGENT:
        service_ids = frozenset(
            Service.objects.filter(authority=authority, members=user).values_list(
                "id", flat=True
            )
        )
    return Viewer(authority, user, membership.role, service_ids)


def visible_messages(*, viewer: Viewer) -> QuerySet[Message]:
    messages = Message.objects.filter(authority=viewer.authority)
    if viewer.sees_all:
        return messages
    return messages.filter(
        Q(service_id__in=sorted(viewer.service_ids)) | Q(assignee_id=viewer.user.pk)
    )


def access_message(*, viewer: Viewer, message_id: Any) -> Message:
    """One message the viewer may see, or 404."""
    try:
        return (
            visible_messages(viewer=viewer)
            .select_related("authority", "service", "assignee", "channel", "category")
            .get(pk=int(message_id))
        )
    except (Message.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such message") from exc


# -- the list ---------------------------------------------------------------------------
@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    topic: str = ""
    intent: str = ""
    urgency: str = ""
    service: str = ""  # a service id, or "none"
    assignee: str = ""  # "mine", "none" or "any"
    origin: str = ""
    overdue: bool = False
    out_of_competence: bool = False
    abuse: str = "hidden"  # "hidden", "shown" or "only"
    query: str = ""


def filtered_messages(
    *, viewer: Viewer, filters: InboxFilters, now: dt.datetime | None = None
) -> QuerySet[Message]:
    """The viewer's messages matching every filter but the text search."""
    messages = visible_messages(viewer=viewer)
    exact = {
        "status": filters.status,
        "topic": filters.topic,
        "intent": filters.intent,
        "urgency": filters.urgency,
        "origin": filters.origin,
    }
    messages = messages.filter(
        **{name: value for name, value in exact.items() if value}
    )
    if filters.service == "none":
        messages = messages.filter(service__isnull=True)
    elif filters.service.isdigit():
        messages = messages.filter(service_id=int(filters.service))
    if filters.assignee == "mine":
        messages = messages.filter(assignee_id=viewer.user.pk)
    elif filters.assignee == "none":
        messages = messages.filter(assignee__isnull=True)
    elif filters.assignee == "any":
        messages = messages.filter(assignee__isnull=False)
    if filters.overdue:
        messages = messages.filter(
            status__in=OPEN_STATUSES, due_at__lt=now or timezone.now()
        )
    if filters.out_of_competence:
        messages = messages.exclude(level=viewer.authority.kind)
    if filters.abuse == "hidden":
        messages = messages.filter(abuse=False)
    elif filters.abuse == "only":
        messages = messages.filter(abuse=True)
    return messages


def cursor_of(message: Message) -> str:
    micros = (message.received_at - _EPOCH) // _MICROSECOND
    return f"{micros}_{message.pk}"


def parse_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """(received_at, id) of a cursor; None for an empty or malformed one."""
    micros, _, pk = (cursor or "").partition("_")
    try:
        return _EPOCH + int(micros) * _MICROSECOND, int(pk)
    except (ValueError, OverflowError):
        return None


def _after(position: tuple[dt.datetime, int]) -> Q:
    """Older than `position` in the list's order. The first bound lets the database
    walk the (authority, received_at, id) index from that point."""
    received_at, pk = position
    return Q(received_at__lte=received_at) & (
        Q(received_at__lt=received_at) | Q(id__lt=pk)
    )


@dataclass(frozen=True)
class InboxPage:
    messages: list[Message]
    next_cursor: str  # "" on the last page
    # A text search that looked at a whole window without filling the page: the
    # next window starts at `next_cursor`.
    window_exhausted: bool = False


def inbox_page(
    *,
    viewer: Viewer,
    filters: InboxFilters,
    cursor: str = "",
    size: int = PAGE_SIZE,
    now: dt.datetime | None = None,
) -> InboxPage:
    """One page of the list, newest first: one query, two with a text search
    (where the window ends, then the matches within it)."""
    messages = filtered_messages(viewer=viewer, filters=filters, now=now)
    position = parse_cursor(cursor)
    if position is not None:
        messages = messages.filter(_after(position))
    ordered = messages.order_by("-received_at", "-id")
    shown = ordered.select_related("service", "assignee", "channel").defer(
        "confidences", "corrected"
    )
    edge: tuple[dt.datetime, int] | None = None
    if filters.query:
        # The window's oldest message bounds the scan: a range of the time index
        # every database walks as such (a list of ids would not be planned so).
        found = list(
            ordered.values_list("received_at", "id")[SEARCH_WINDOW - 1 : SEARCH_WINDOW]
        )
        edge = found[0] if found else None
        shown = shown.filter(text__icontains=filters.query)
        if edge is not None:
            shown = shown.filter(_not_older(edge))
    rows = list(shown[: size + 1])
    if len(rows) > size:
        return InboxPage(rows[:size], cursor_of(rows[size - 1]))
    if edge is not None:
        # Fewer matches than a page in this window: the next one starts past it.
        received_at, pk = edge
        micros = (received_at - _EPOCH) // _MICROSECOND
        return InboxPage(rows, f"{micros}_{pk}", window_exhausted=True)
    return InboxPage(rows, "")


def _not_older(position: tuple[dt.datetime, int]) -> Q:
    """At `position` or newer, in the list's order."""
    received_at, pk = position
    return Q(received_at__gte=received_at) & (
        Q(received_at__gt=received_at) | Q(id__gte=pk)
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int  # at most COUNT_CAP + 1
    more: bool  # more than COUNT_CAP


def status_counts(*, viewer: Viewer) -> list[StatusCount]:
    """How many of the viewer's messages (abuse aside) are in each status, and how
    many are abusive, each counted up to COUNT_CAP + 1 only (six small queries)."""
    scope = visible_messages(viewer=viewer).order_by()  # any COUNT_CAP rows will do
    counts = []
    for status in Status:
        found = scope.filter(status=status, abuse=False)[: COUNT_CAP + 1].count()
        counts.append(
            StatusCount(status.value, str(status.label), found, found > COUNT_CAP)
        )
    found = scope.filter(abuse=True)[: COUNT_CAP + 1].count()
    counts.append(StatusCount("abuse", gettext("Abus"), found, found > COUNT_CAP))
    return counts


def services_of(*, authority: Authority) -> list[Service]:
    return list(Service.objects.filter(authority=authority).order_by("name"))


# -- one message ------------------------------------------------------------------------
@dataclass(frozen=True)
class MessageDetail:
    message: Message
    notes: list[Note]
    replies: list[Reply]
    thread: list[Message]  # the conversation it belongs to, oldest first, itself too
    author_messages: list[Message]  # the same author's other messages, newest first
    redirection: routing.Redirection | None
    assignable: list[Any]  # members who may be given the message


THREAD_LIMIT = 50
AUTHOR_LIMIT = 10


def message_detail(*, viewer: Viewer, message: Message) -> MessageDetail:
    """What a message's page shows, within the viewer's scope."""
    visible = visible_messages(viewer=viewer).select_related("service")
    return MessageDetail(
        message=message,
        notes=list(Note.objects.filter(message=message).select_related("author")),
        replies=list(Reply.objects.filter(message=message).select_related("author")),
        thread=_thread(visible, message),
        author_messages=(
            list(
                visible.filter(author_key=message.author_key)
                .exclude(pk=message.pk)
                .order_by("-received_at", "-id")[:AUTHOR_LIMIT]
            )
            if message.author_key
            else []
        ),
        redirection=routing.redirection_for(
            authority=viewer.authority, level=message.level
        ),
        assignable=assignable_members(authority=viewer.authority),
    )


def _thread(visible: QuerySet[Message], message: Message) -> list[Message]:
    """The messages of the same conversation: the same thread key, the message it
    answers and those answering it (on the same channel)."""
    related = Q()
    if message.thread_key:
        related |= Q(thread_key=message.thread_key)
    if message.channel_id and message.in_reply_to_remote_id:
        related |= Q(
            channel_id=message.channel_id, remote_id=message.in_reply_to_remote_id
        )
    if message.channel_id and message.remote_id:
        related |= Q(
            channel_id=message.channel_id, in_reply_to_remote_id=message.remote_id
        )
    if not related:
        return []
    thread = list(
        visible.filter(related | Q(pk=message.pk)).order_by("received_at", "id")[
            :THREAD_LIMIT
        ]
    )
    return thread if len(thread) > 1 else []


def assignable_members(*, authority: Authority) -> list[Any]:
    """Active members who handle messages, by name."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            authority=authority, role__in=sorted(HANDLE_ROLES), user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def is_assignable(*, authority: Authority, user: Any) -> bool:
    return Membership.objects.filter(
        authority=authority,
        user=user,
        role__in=sorted(HANDLE_ROLES),
        user__is_active=True,
    ).exists()


# -- active learning --------------------------------------------------------------------
def sureness(confidences: dict[str, float]) -> float:
    """How sure the model was of a message: its lowest confidence on topic or intent,
    the labels agents correct most (the rule of classify.least_confident, read from
    the confidences stored at reception instead of classifying again)."""
    return min(
        float(confidences.get("topic", 1.0)), float(confidences.get("intent", 1.0))
    )


def messages_to_sort_first(
    *,
    viewer: Viewer,
    count: int = SORT_FIRST_COUNT,
    window: int = SORT_FIRST_WINDOW,
) -> list[Message]:
    """Active learning: among the `window` newest classified messages nobody has
    corrected yet, the `count` the model was least sure of, least sure first (ties:
    newest first). One query."""
    candidates = list(
        visible_messages(viewer=viewer)
        .filter(classified_at__isnull=False, corrected_at__isnull=True)
        .select_related("service", "assignee", "channel")
        .order_by("-received_at", "-id")[:window]
    )
    candidates.sort(key=lambda message: sureness(message.confidences))
    return candidates[:count]
