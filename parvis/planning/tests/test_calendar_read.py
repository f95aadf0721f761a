"""Reads of the editorial calendar (planning/calendar.py): local days and times across
the daylight-saving changes, filters, conflicts, loaded days, campaign gaps, and a
number of queries that does not grow with the posts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parvis.accounts.roles import WRITE_ROLES
from parvis.accounts.selectors import memberships_of
from parvis.planning.calendar import (
    Filters,
    calendar_authorities,
    calendar_read,
    calendar_references,
    day_start_utc,
)
from parvis.planning.calendar_references import PALETTE, initials_of
from parvis.planning.models import CalendarRules, Campaign
from parvis.planning.tests.calendar_helpers import paris, planned
from parvis.publishing.models import Publication

pytestmark = pytest.mark.django_db


def read(user, first, last, authority=None, **filters):
    memberships = memberships_of(user=user)
    if authority is not None:
        memberships = memberships.filter(authority=authority)
    authorities = calendar_authorities(
        memberships=memberships, writer_roles=WRITE_ROLES
    )
    references = calendar_references(authorities=authorities)
    return calendar_read(
        references=references, first=first, last=last, filters=Filters(**filters)
    )


def times(calendar, day):
    return [entry.time_label for entry in calendar.by_day.get(day, [])]


@pytest.fixture
def campaign(commune):
    return Campaign.objects.create(
        authority=commune,
        name="Noël à Saint-Malo",
        slug="noel",
        objective="attractivite",
        starts_on=dt.date(2026, 12, 7),
        ends_on=dt.date(2026, 12, 20),
        posts_per_week=2,
    )


def test_the_autumn_change_day_lasts_25_hours_in_paris():
    october_25 = dt.date(2026, 10, 25)
    length = day_start_utc(october_25 + dt.timedelta(days=1), "Europe/Paris")
    assert length - day_start_utc(october_25, "Europe/Paris") == dt.timedelta(hours=25)


def test_the_spring_change_day_lasts_23_hours_in_paris():
    march_29 = dt.date(2026, 3, 29)
    length = day_start_utc(march_29 + dt.timedelta(days=1), "Europe/Paris")
    assert length - day_start_utc(march_29, "Europe/Paris") == dt.timedelta(hours=23)


def test_posts_of_the_autumn_change_day_show_on_it_at_their_local_time(commune, editor):
    planned(commune, dt.datetime(2026, 10, 24, 21, 59, tzinfo=dt.UTC))  # 23:59 CEST
    planned(commune, dt.datetime(2026, 10, 24, 22, 30, tzinfo=dt.UTC))  # 00:30 CEST
    planned(commune, paris(2026, 10, 25, 2, 30))  # first 02:30 (summer time)
    planned(commune, paris(2026, 10, 25, 2, 30, fold=1))  # second 02:30 (winter)
    planned(commune, dt.datetime(2026, 10, 25, 22, 59, tzinfo=dt.UTC))  # 23:59 CET
    planned(commune, dt.datetime(2026, 10, 25, 23, 0, tzinfo=dt.UTC))  # 00:00 the 26th
    calendar = read(editor, dt.date(2026, 10, 24), dt.date(2026, 10, 26))
    assert times(calendar, dt.date(2026, 10, 24)) == ["23:59"]
    assert times(calendar, dt.date(2026, 10, 25)) == [
        "00:30",
        "02:30",
        "02:30",
        "23:59",
    ]
    assert times(calendar, dt.date(2026, 10, 26)) == ["00:00"]
    offsets = [e.iso[-6:] for e in calendar.by_day[dt.date(2026, 10, 25)]]
    assert offsets == ["+02:00", "+02:00", "+01:00", "+01:00"]


def test_posts_of_the_spring_change_day_show_on_it_at_their_local_time(commune, editor):
    planned(commune, dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC))  # 00:00 CET
    planned(commune, dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC))  # 01:59 CET
    planned(commune, dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC))  # 03:00 CEST
    planned(commune, dt.datetime(2026, 3, 29, 21, 59, tzinfo=dt.UTC))  # 23:59 CEST
    planned(commune, dt.datetime(2026, 3, 29, 22, 0, tzinfo=dt.UTC))  # the 30th
    calendar = read(editor, dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert times(calendar, dt.date(2026, 3, 29)) == ["00:00", "01:59", "03:00", "23:59"]
    assert [e.day for e in calendar.entries] == [dt.date(2026, 3, 29)] * 4


def test_an_entry_tells_state_campaign_networks_and_channels(
    commune, editor, channel, campaign
):
    post = planned(
        commune,
        paris(2026, 12, 8, 18, 0),
        title="Illuminations",
        networks=("mastodon", "facebook"),
        campaign=campaign,
        state="approved",
    )
    (entry,) = read(editor, dt.date(2026, 12, 1), dt.date(2026, 12, 31)).entries
    assert (entry.post_id, entry.title, entry.time_label) == (
        post.pk,
        "Illuminations",
        "18:00",
    )
    assert (entry.state_label, entry.icon) == ("Approuvée", "✓")
    assert entry.campaign.name == "Noël à Saint-Malo"
    assert entry.networks == ("Facebook", "Mastodon")
    # Not handed over yet: where it would go by default.
    assert entry.channels == ["Mastodon @ville@social.example"]


def test_a_handed_over_post_shows_the_channels_of_its_publications(
    commune, editor, channel, second_channel
):
    post = planned(commune, paris(2026, 12, 8, 18, 0), state="scheduled")
    Publication.objects.create(
        authority=commune,
        variant=post.variants.get(),
        channel=second_channel,
        scheduled_at=post.planned_at,
        next_attempt_at=post.planned_at,
        state_changed_at=post.planned_at,
    )
    (entry,) = read(editor, dt.date(2026, 12, 8), dt.date(2026, 12, 8)).entries
    assert entry.channels == ["Mastodon @culture@social.example"]


@pytest.fixture
def second_channel(commune, admin_user):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(access_token="t2"),
        account=AccountInfo(account_id="id-2", handle="@culture@social.example"),
        actor=admin_user,
    )


def test_the_filters_choose_by_state_campaign_audience_and_channel(
    commune, editor, channel, campaign
):
    day = dt.date(2026, 12, 9)
    habitants = commune.audiences.get(slug="habitants")
    planned(commune, paris(2026, 12, 9, 9), title="Brouillon", audience=habitants)
    planned(commune, paris(2026, 12, 9, 12), title="Campagne", campaign=campaign)
    planned(commune, paris(2026, 12, 9, 15), title="Approuvée", state="approved")
    planned(commune, paris(2026, 12, 9, 18), title="Facebook", networks=("facebook",))

    def titles(**filters):
        return [e.title for e in read(editor, day, day, **filters).entries]

    assert len(titles()) == 4
    assert titles(state="approved") == ["Approuvée"]
    assert titles(campaign_id=campaign.pk) == ["Campagne"]
    assert titles(audience_id=habitants.pk) == ["Brouillon"]
    assert titles(channel_id=channel.pk) == ["Brouillon", "Campagne", "Approuvée"]


def test_two_posts_on_one_channel_closer_than_the_gap_are_both_flagged(
    commune, editor, channel
):
    planned(commune, paris(2026, 12, 9, 10, 0), title="Marché")
    planned(commune, paris(2026, 12, 9, 10, 45), title="Piscine")
    planned(commune, paris(2026, 12, 9, 16, 0), title="Conseil")
    day = dt.date(2026, 12, 9)
    calendar = read(editor, day, day)
    flagged = {e.title: [c.message for c in e.conflicts] for e in calendar.entries}
    on = "sur Mastodon @ville@social.example."
    assert flagged == {
        "Marché": [f"À 45 min de « Piscine » (10:45) {on}"],
        "Piscine": [f"À 45 min de « Marché » (10:00) {on}"],
        "Conseil": [],
    }
    assert calendar.conflict_count == 2


def test_the_gap_rule_is_the_authoritys_own(commune, editor, channel):
    CalendarRules.objects.create(authority=commune, min_gap_minutes=30)
    planned(commune, paris(2026, 12, 9, 10, 0))
    planned(commune, paris(2026, 12, 9, 10, 45))
    day = dt.date(2026, 12, 9)
    assert read(editor, day, day).conflict_count == 0


def test_posts_on_different_channels_or_networks_do_not_conflict(
    commune, editor, channel
):
    planned(commune, paris(2026, 12, 9, 10, 0), networks=("mastodon",))
    planned(commune, paris(2026, 12, 9, 10, 5), networks=("facebook",))
    day = dt.date(2026, 12, 9)
    assert read(editor, day, day).conflict_count == 0


def test_without_a_channel_two_posts_of_one_network_conflict(commune, editor):
    planned(commune, paris(2026, 12, 9, 10, 0), networks=("linkedin",))
    planned(commune, paris(2026, 12, 9, 11, 0), networks=("linkedin",))
    day = dt.date(2026, 12, 9)
    entry = read(editor, day, day).entries[0]
    assert entry.conflicts[0].message.endswith("sur LinkedIn.")


def test_a_conflict_with_a_post_just_outside_the_period_is_flagged(
    commune, editor, channel
):
    planned(commune, paris(2026, 12, 9, 23, 30), title="Tard")
    planned(commune, paris(2026, 12, 10, 0, 15), title="Tôt")
    day = dt.date(2026, 12, 9)
    calendar = read(editor, day, day)
    assert [e.title for e in calendar.entries] == ["Tard"]
    assert "« Tôt »" in calendar.entries[0].conflicts[0].message


def test_a_day_with_more_posts_than_the_rule_is_flagged(commune, editor):
    for hour in range(8, 13):
        planned(commune, paris(2026, 12, 9, hour), networks=(), title=f"À {hour} h")
    day = dt.date(2026, 12, 9)
    (overload,) = read(editor, day, day).overloads[day]
    assert (overload.count, overload.maximum) == (5, 4)
    assert "5 publications ce jour" in overload.message
    CalendarRules.objects.create(authority=commune, max_posts_per_day=5)
    assert read(editor, day, day).overloads == {}


def test_a_campaign_week_with_too_few_posts_is_a_gap(commune, editor, campaign):
    planned(commune, paris(2026, 12, 8, 10), campaign=campaign, networks=())
    planned(commune, paris(2026, 12, 10, 10), campaign=campaign, networks=())
    planned(commune, paris(2026, 12, 15, 10), campaign=campaign, networks=())
    calendar = read(editor, dt.date(2026, 11, 30), dt.date(2027, 1, 3))
    (gap,) = calendar.gaps
    assert (gap.week, gap.count, gap.expected) == (dt.date(2026, 12, 14), 1, 2)
    assert gap.message == (
        "Campagne « Noël à Saint-Malo » : 1 publication(s) la semaine du 14/12/2026, "
        "2 attendue(s)."
    )


def test_a_week_partly_in_the_campaign_expects_its_share(commune, editor):
    Campaign.objects.create(
        authority=commune,
        name="Week-end",
        slug="week-end",
        objective="information_service",
        starts_on=dt.date(2026, 12, 12),  # a Saturday: 2 days of that week
        ends_on=dt.date(2026, 12, 13),
        posts_per_week=3,
    )
    calendar = read(editor, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    (gap,) = calendar.gaps
    assert (gap.count, gap.expected) == (0, 1)


def test_a_campaign_outside_the_period_has_no_gap(commune, editor, campaign):
    assert read(editor, dt.date(2027, 2, 1), dt.date(2027, 2, 28)).gaps == []


def test_the_agency_reads_only_its_own_authorities_with_colours_and_initials(
    commune, other_authority, agency, editor
):
    planned(commune, paris(2026, 12, 9, 10), title="À Saint-Malo", networks=())
    planned(other_authority, paris(2026, 12, 9, 11), title="À Lyon", networks=())
    day = dt.date(2026, 12, 9)
    calendar = read(agency, day, day)
    seen = {
        (e.title, e.authority.initials, e.authority.colour) for e in calendar.entries
    }
    assert seen == {("À Lyon", "LY", PALETTE[0]), ("À Saint-Malo", "SM", PALETTE[1])}
    assert [e.title for e in read(editor, day, day).entries] == ["À Saint-Malo"]


def test_initials_skip_small_words_and_stay_unique():
    assert initials_of("Saint-Malo") == "SM"
    assert initials_of("Lyon") == "LY"
    assert initials_of("Communauté d'agglomération du Pays de Lorient") == "CAP"

    class Membership:
        role = "editor"

        def __init__(self, name, pk):
            self.authority = type(
                "A", (), {"pk": pk, "slug": str(pk), "name": name, "timezone": ""}
            )()

    authorities = calendar_authorities(
        memberships=[Membership("Saint-Malo", 1), Membership("Saint-Maur", 2)],
        writer_roles=WRITE_ROLES,
    )
    assert [a.initials for a in authorities] == ["SM", "SM2"]
    assert authorities[0].colour != authorities[1].colour
    assert authorities[0].timezone == "Europe/Paris"


def test_the_number_of_queries_does_not_grow_with_the_posts(
    commune, editor, channel, campaign
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            calendar = read(editor, dt.date(2026, 11, 30), dt.date(2027, 1, 3))
        return len(queries), len(calendar.entries)

    def add(count):
        for n in range(count):
            post = planned(
                commune,
                paris(2026, 12, 1 + n % 28, 8 + n % 12, n % 60),
                networks=("mastodon", "facebook"),
                campaign=campaign if n % 2 else None,
            )
            if n % 3 == 0:
                Publication.objects.create(
                    authority=commune,
                    variant=post.variants.first(),
                    channel=channel,
                    scheduled_at=post.planned_at,
                    next_attempt_at=post.planned_at,
                    state_changed_at=post.planned_at,
                )

    add(10)
    few = count_queries()
    add(190)
    many = count_queries()
    assert (few[1], many[1]) == (10, 200)
    assert few[0] == many[0] <= 9
