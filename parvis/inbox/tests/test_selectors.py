"""Reads of the inbox: who sees which messages, the filters, keyset pagination, capped
counts, the bounded text search, a message's context, the messages to sort first."""

import datetime as dt

import pytest
from django.http import Http404

from parvis.accounts.models import Membership
from parvis.inbox import selectors
from parvis.inbox.models import Status
from parvis.inbox.selectors import (
    InboxFilters,
    access_message,
    cursor_of,
    inbox_page,
    message_detail,
    messages_to_sort_first,
    parse_cursor,
    status_counts,
    viewer_of,
    visible_messages,
)
from parvis.inbox.tests.inbox_cast import *  # noqa: F403 (the fixtures)
from parvis.inbox.tests.inbox_cast import MessageFactory

pytestmark = pytest.mark.django_db


def viewer(authority, user):
    membership = Membership.objects.get(authority=authority, user=user)
    return viewer_of(authority=authority, membership=membership)


def ids(messages):
    return [message.pk for message in messages]


def test_an_agent_sees_the_messages_of_their_services_and_those_assigned_to_them(
    commune, agent, road_message, cleaning_message, foreign_message
):
    given = MessageFactory(authority=commune, topic="culture", assignee=agent)
    seen = visible_messages(viewer=viewer(commune, agent))
    assert set(ids(seen)) == {road_message.pk, given.pk}


def test_editors_and_elected_see_every_message_of_their_authority_only(
    commune, editor, elected, road_message, cleaning_message, foreign_message
):
    for user in (editor, elected):
        seen = visible_messages(viewer=viewer(commune, user))
        assert set(ids(seen)) == {road_message.pk, cleaning_message.pk}


def test_elected_members_read_but_do_not_handle_nor_unmask(commune, elected, agent):
    reader = viewer(commune, elected)
    assert reader.sees_all and not reader.can_handle and not reader.can_reveal
    handler = viewer(commune, agent)
    assert handler.can_handle and handler.can_reveal and not handler.sees_all


def test_a_message_out_of_scope_is_not_found(
    commune, agent, cleaning_message, foreign_message
):
    for message in (cleaning_message, foreign_message):
        with pytest.raises(Http404):
            access_message(viewer=viewer(commune, agent), message_id=message.pk)
    with pytest.raises(Http404):
        access_message(viewer=viewer(commune, agent), message_id="abc")


def test_keyset_pages_follow_each_other_without_gap_or_repeat(commune, editor):
    same_time = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
    made = [MessageFactory(authority=commune) for _ in range(7)]
    # Three received in the same microsecond: the id breaks the tie.
    made += [MessageFactory(authority=commune, received_at=same_time) for _ in range(3)]
    expected = ids(sorted(made, key=lambda m: (m.received_at, m.pk), reverse=True))
    seen, cursor = [], ""
    for _ in range(10):
        page = inbox_page(
            viewer=viewer(commune, editor),
            filters=InboxFilters(),
            cursor=cursor,
            size=3,
        )
        seen += ids(page.messages)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == expected


def test_a_cursor_survives_its_round_trip_and_nonsense_means_the_first_page(
    road_message,
):
    assert parse_cursor(cursor_of(road_message)) == (
        road_message.received_at,
        road_message.pk,
    )
    for nonsense in ("", "abc", "12", "_", "1_x", "99999999999999999999999_1"):
        assert parse_cursor(nonsense) is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (InboxFilters(status="en_cours"), {"in_progress"}),
        (InboxFilters(topic="proprete"), {"cleaning"}),
        (InboxFilters(intent="question"), {"question"}),
        (InboxFilters(urgency="urgent"), {"urgent"}),
        (InboxFilters(origin="mastodon"), {"mastodon"}),
        (InboxFilters(service="none"), {"question", "mastodon", "elsewhere"}),
        (InboxFilters(assignee="mine"), {"mine"}),
        (InboxFilters(overdue=True), {"overdue"}),
        (InboxFilters(out_of_competence=True), {"elsewhere"}),
        (InboxFilters(abuse="only"), {"abuse"}),
        (InboxFilters(query="LAMPADAIRE"), {"urgent"}),
    ],
)
def test_each_filter_keeps_only_its_messages(
    commune, editor, roads, cleaning, filters, expected
):
    now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    past = now - dt.timedelta(days=1)
    future = now + dt.timedelta(days=1)
    made = {
        "in_progress": MessageFactory(
            authority=commune, service=roads, status="en_cours", due_at=future
        ),
        "cleaning": MessageFactory(
            authority=commune, service=cleaning, topic="proprete", status="clos"
        ),
        "question": MessageFactory(authority=commune, intent="question"),
        "urgent": MessageFactory(
            authority=commune,
            service=roads,
            urgency="urgent",
            text="Lampadaire tombé rue de Dinan",
            status="repondu",
            due_at=past,  # answered: not late
        ),
        "mastodon": MessageFactory(authority=commune, origin="mastodon"),
        "mine": MessageFactory(authority=commune, service=roads, assignee=editor),
        "overdue": MessageFactory(authority=commune, service=roads, due_at=past),
        "elsewhere": MessageFactory(authority=commune, level="departement"),
        "abuse": MessageFactory(authority=commune, service=roads, abuse=True),
    }
    page = inbox_page(viewer=viewer(commune, editor), filters=filters, now=now)
    names = {name for name, message in made.items() if message in page.messages}
    assert names == expected


def test_abusive_messages_are_hidden_unless_asked_for(commune, editor):
    plain = MessageFactory(authority=commune)
    abusive = MessageFactory(authority=commune, abuse=True)
    reader = viewer(commune, editor)
    hidden = inbox_page(viewer=reader, filters=InboxFilters()).messages
    shown = inbox_page(viewer=reader, filters=InboxFilters(abuse="shown")).messages
    assert ids(hidden) == [plain.pk]
    assert set(ids(shown)) == {plain.pk, abusive.pk}


def test_the_text_search_scans_a_bounded_window_then_offers_the_next(
    commune, editor, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 5)
    old = MessageFactory(authority=commune, text="Le banc du square est cassé.")
    for _ in range(6):
        MessageFactory(authority=commune, text="Nid-de-poule.")
    reader = viewer(commune, editor)
    first = inbox_page(viewer=reader, filters=InboxFilters(query="banc"))
    assert first.messages == []
    assert first.window_exhausted and first.next_cursor
    second = inbox_page(
        viewer=reader, filters=InboxFilters(query="banc"), cursor=first.next_cursor
    )
    assert ids(second.messages) == [old.pk]
    assert second.next_cursor == ""


def test_status_counts_stop_at_the_cap(commune, editor, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for _ in range(5):
        MessageFactory(authority=commune)
    MessageFactory(authority=commune, status=Status.CLOSED)
    MessageFactory(authority=commune, abuse=True)
    counts = {c.status: c for c in status_counts(viewer=viewer(commune, editor))}
    assert counts["nouveau"].more and counts["nouveau"].count == 4
    assert counts["clos"].count == 1 and not counts["clos"].more
    assert counts["abuse"].count == 1
    assert counts["repondu"].count == 0


def test_a_message_comes_with_its_thread_and_its_authors_other_messages(
    commune, editor, other_authority
):
    from parvis.channels.models import Channel

    channel = Channel.objects.create(
        authority=commune, network="mastodon", handle="@ville@social.example"
    )
    start = MessageFactory(
        authority=commune, channel=channel, remote_id="1", author_key="a" * 64
    )
    answer = MessageFactory(
        authority=commune,
        channel=channel,
        remote_id="2",
        in_reply_to_remote_id="1",
        author_key="b" * 64,
    )
    later = MessageFactory(authority=commune, author_key="a" * 64)
    MessageFactory(authority=other_authority, author_key="a" * 64)
    detail = message_detail(viewer=viewer(commune, editor), message=start)
    assert ids(detail.thread) == [start.pk, answer.pk]
    assert ids(detail.author_messages) == [later.pk]
    assert detail.redirection is None


def test_a_message_out_of_competence_comes_with_a_polite_redirection(commune, editor):
    message = MessageFactory(authority=commune, topic="education", level="departement")
    detail = message_detail(viewer=viewer(commune, editor), message=message)
    assert detail.redirection is not None
    assert "Ille-et-Vilaine" in detail.redirection.text


def test_the_messages_to_sort_first_are_the_least_sure_not_yet_checked(commune, editor):
    sure = MessageFactory(authority=commune, confidences={"topic": 0.95, "intent": 0.9})
    unsure = MessageFactory(
        authority=commune, confidences={"topic": 0.31, "intent": 0.9}
    )
    middling = MessageFactory(
        authority=commune, confidences={"topic": 0.9, "intent": 0.5}
    )
    MessageFactory(
        authority=commune,
        confidences={"topic": 0.1, "intent": 0.1},
        corrected={"topic": "voirie"},
        corrected_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
    )
    MessageFactory(authority=commune, classified_at=None, confidences={})
    found = messages_to_sort_first(viewer=viewer(commune, editor), count=3)
    assert ids(found) == [unsure.pk, middling.pk, sure.pk]
