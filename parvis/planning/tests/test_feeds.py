import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from parvis.planning import services
from parvis.planning.models import CalendarFeed, Campaign
from parvis.planning.selectors_feeds import hash_token
from parvis.studio.models import Post, PostState, Variant
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def planned(commune, editor, title, *, state, when, text="Texte de la variante."):
    post = Post.objects.create(
        authority=commune, title=title, state=state, planned_at=when, created_by=editor
    )
    Variant.objects.create(post=post, network="mastodon", parts=[text])
    return post


def soon(days=3, hour=10):
    day = timezone.localdate(timezone=PARIS) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


@pytest.fixture
def feed_and_token(commune, validator):
    return services.calendar_feed_create(
        authority=commune, actor=validator, label="Agenda de la maire"
    )


def read_feed(client, token):
    response = client.get(reverse("feeds:ics", args=[token]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_title(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.events}


def test_the_token_is_shown_once_and_only_its_hash_is_stored(feed_and_token):
    feed, token = feed_and_token
    assert len(token) >= 43
    feed.refresh_from_db()
    assert feed.token_hash == hash_token(token)
    assert token not in feed.token_hash
    stored = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert all(token not in str(value) for value in stored.values())
    event = AuditEvent.objects.get(action="planning.calendar_feed_create")
    assert token not in event.summary and "Agenda de la maire" in event.summary


def test_the_feed_shows_planned_posts_with_their_state_and_no_drafts(
    client, commune, editor, feed_and_token
):
    _, token = feed_and_token
    planned(commune, editor, "Fête du jeu", state=PostState.SCHEDULED, when=soon(3))
    planned(commune, editor, "Marché de Noël", state=PostState.IN_REVIEW, when=soon(5))
    planned(commune, editor, "Brouillon", state=PostState.DRAFT, when=soon(6))
    planned(commune, editor, "Trop ancien", state=PostState.PUBLISHED, when=soon(-90))
    planned(commune, editor, "Trop loin", state=PostState.APPROVED, when=soon(400))
    calendar = read_feed(client, token)
    events = events_by_title(calendar)
    assert set(events) == {"Fête du jeu (programmée)", "Marché de Noël (en relecture)"}
    assert events["Fête du jeu (programmée)"]["STATUS"] == "CONFIRMED"
    assert events["Marché de Noël (en relecture)"]["STATUS"] == "TENTATIVE"


def test_the_calendar_has_a_name_a_prodid_and_the_paris_time_zone(
    client, commune, editor, feed_and_token
):
    _, token = feed_and_token
    planned(commune, editor, "Fête du jeu", state=PostState.APPROVED, when=soon())
    calendar = read_feed(client, token)
    assert "Parvis" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Saint-Malo — calendrier éditorial"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()


def test_an_event_starts_at_the_local_time_with_its_tzid_and_lasts_a_quarter_hour(
    client, commune, editor, feed_and_token
):
    _, token = feed_and_token
    campaign = Campaign.objects.create(
        authority=commune,
        name="Été à Saint-Malo",
        slug="ete",
        objective="attractivite",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 9, 1),
    )
    post = planned(
        commune,
        editor,
        "Fête du jeu",
        state=PostState.SCHEDULED,
        when=soon(4, hour=18),
        text="Fête du jeu samedi ; venez nombreux, parc des Chênes !",
    )
    post.campaign = campaign
    post.save(update_fields=["campaign"])
    Variant.objects.create(post=post, network="facebook", parts=["Autre texte."])
    event = read_feed(client, token).events[0]
    assert soon(4, hour=18) == event.DTSTART
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.DTSTART.hour == 18
    assert event.duration == dt.timedelta(minutes=15)
    assert str(event["UID"]) == f"post-{post.pk}@127.0.0.1"
    assert str(event["URL"]).endswith(
        reverse("studio:post", args=[commune.slug, post.pk])
    )
    description = str(event["DESCRIPTION"])
    assert "Réseaux : Facebook, Mastodon" in description
    assert "Campagne : Été à Saint-Malo" in description
    assert "Fête du jeu samedi ; venez nombreux, parc des Chênes !" in description
    assert "Autre texte." not in description
    assert event.last_modified is not None


def test_a_post_planned_on_the_day_clocks_go_back_keeps_its_local_hour(
    client, commune, editor, feed_and_token, monkeypatch
):
    _, token = feed_and_token
    # 25 October 2026: summer time ends at 3:00 (UTC+2 -> UTC+1).
    now = dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    when = dt.datetime(2026, 10, 25, 10, tzinfo=PARIS)
    before = dt.datetime(2026, 10, 24, 10, tzinfo=PARIS)
    planned(commune, editor, "Après", state=PostState.APPROVED, when=when)
    planned(commune, editor, "Avant", state=PostState.APPROVED, when=before)
    response = client.get(reverse("feeds:ics", args=[token]))
    assert b"DTSTART;TZID=Europe/Paris:20261025T100000" in response.content
    assert b"DTSTART;TZID=Europe/Paris:20261024T100000" in response.content
    events = events_by_title(Calendar.from_ical(response.content))
    after_change = events["Après (approuvée)"].DTSTART
    before_change = events["Avant (approuvée)"].DTSTART
    assert after_change.utcoffset() == dt.timedelta(hours=1)
    assert before_change.utcoffset() == dt.timedelta(hours=2)
    assert after_change.astimezone(dt.UTC).hour == 9
    assert before_change.astimezone(dt.UTC).hour == 8


def test_moving_a_post_changes_its_sequence_but_not_its_uid(
    client, commune, editor, feed_and_token
):
    _, token = feed_and_token
    post = planned(commune, editor, "Fête", state=PostState.APPROVED, when=soon(3))
    first = read_feed(client, token).events[0]
    Post.objects.filter(pk=post.pk).update(
        planned_at=soon(4), updated_at=timezone.now() + dt.timedelta(seconds=5)
    )
    second = read_feed(client, token).events[0]
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])


def test_texts_are_escaped_for_the_calendar_format(
    client, commune, editor, feed_and_token
):
    _, token = feed_and_token
    planned(
        commune,
        editor,
        "Titre, avec; virgule\\ et retour",
        state=PostState.APPROVED,
        when=soon(),
        text="Ligne 1\nLigne 2, suite; fin",
    )
    response = client.get(reverse("feeds:ics", args=[token]))
    assert (
        b"SUMMARY:Titre\\, avec\\; virgule\\\\ et retour (approuv" in response.content
    )
    event = Calendar.from_ical(response.content).events[0]
    assert "Ligne 1\nLigne 2, suite; fin" in str(event["DESCRIPTION"])


def test_the_feed_shows_only_its_own_authority(
    client, commune, other_authority, editor, feed_and_token
):
    _, token = feed_and_token
    planned(commune, editor, "Chez nous", state=PostState.APPROVED, when=soon())
    planned(other_authority, None, "Ailleurs", state=PostState.APPROVED, when=soon())
    assert set(events_by_title(read_feed(client, token))) == {"Chez nous (approuvée)"}


def test_an_unknown_or_malformed_token_is_404(client, feed_and_token):
    _, token = feed_and_token
    assert client.get(reverse("feeds:ics", args=["x" * 43])).status_code == 404
    assert client.get(reverse("feeds:ics", args=[token[:-1] + "?"])).status_code == 404
    assert client.get(reverse("feeds:ics", args=[hash_token(token)])).status_code == 404


def test_a_revoked_feed_is_404(client, feed_and_token, validator):
    feed, token = feed_and_token
    assert services.calendar_feed_revoke(feed=feed, actor=validator)
    assert client.get(reverse("feeds:ics", args=[token])).status_code == 404
    assert not services.calendar_feed_revoke(feed=feed, actor=validator)
    assert (
        AuditEvent.objects.filter(action="planning.calendar_feed_revoke").count() == 1
    )


def test_the_last_use_is_written_at_most_once_an_hour(
    client, feed_and_token, django_assert_num_queries
):
    feed, token = feed_and_token
    read_feed(client, token)
    feed.refresh_from_db()
    first_use = feed.last_used_at
    assert first_use is not None
    # Within the hour: the feed and its posts (none here) are read, nothing written.
    with django_assert_num_queries(2):
        client.get(reverse("feeds:ics", args=[token]))
    feed.refresh_from_db()
    assert feed.last_used_at == first_use
    CalendarFeed.objects.filter(pk=feed.pk).update(
        last_used_at=first_use - dt.timedelta(hours=2)
    )
    read_feed(client, token)
    feed.refresh_from_db()
    assert feed.last_used_at > first_use - dt.timedelta(minutes=1)


def test_the_feed_reads_its_posts_without_a_query_per_post(
    client, commune, editor, feed_and_token, django_assert_max_num_queries
):
    _, token = feed_and_token
    for day in range(1, 8):
        planned(commune, editor, f"P{day}", state=PostState.APPROVED, when=soon(day))
    read_feed(client, token)  # notes the last use
    with django_assert_max_num_queries(3):
        response = client.get(reverse("feeds:ics", args=[token]))
    assert len(Calendar.from_ical(response.content).events) == 7
