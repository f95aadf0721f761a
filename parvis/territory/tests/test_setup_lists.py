import datetime as dt

import pytest
from django.urls import reverse

from parvis.system.models import AuditEvent
from parvis.territory.models import Audience, Election, Service
from parvis.territory.selectors import election_windows, restricted_period_start

pytestmark = pytest.mark.django_db


def test_admin_edits_an_audience_and_the_change_is_audited(
    client_of, admin_user, commune
):
    audience = commune.audiences.get(slug="jeunes")
    response = client_of(admin_user).post(
        reverse("territory:audience_edit", args=[commune.slug, audience.pk]),
        {
            "name": "Jeunes (15-25 ans)",
            "description": "Lycéens, étudiants, jeunes actifs.",
            "register": "tu",
            "tone": "dynamique",
            "interests": ["culture", "education"],
            "preferred_networks": ["instagram"],
            "reading_level": 75,
        },
    )
    assert response.status_code == 302
    audience.refresh_from_db()
    assert audience.name == "Jeunes (15-25 ans)"
    assert audience.interests == ["culture", "education"]
    event = AuditEvent.objects.get(action="audience.update")
    assert event.changes["name"] == ["Jeunes", "Jeunes (15-25 ans)"]


def test_an_audience_name_used_twice_is_refused(client_of, admin_user, commune):
    page = client_of(admin_user).post(
        reverse("territory:audience_new", args=[commune.slug]),
        {
            "name": "familles",
            "register": "vous",
            "tone": "pratique",
            "reading_level": 60,
        },
    )
    assert "Un public porte déjà ce nom" in page.text
    assert Audience.objects.filter(authority=commune).count() == 7


def test_admin_creates_a_service_with_its_agents_and_delays(
    client_of, admin_user, editor, commune
):
    response = client_of(admin_user).post(
        reverse("territory:service_new", args=[commune.slug]),
        {
            "name": "Port et plages",
            "topics": ["environnement", "economie"],
            "members": [editor.pk],
            "sla_hours_urgent": 4,
            "sla_days_signalement": 3,
            "sla_days_question": 5,
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(authority=commune, name="Port et plages")
    assert list(service.members.all()) == [editor]


def test_a_service_cannot_take_agents_from_another_authority(
    client_of, admin_user, commune, outsider
):
    page = client_of(admin_user).post(
        reverse("territory:service_new", args=[commune.slug]),
        {
            "name": "X",
            "members": [outsider.pk],
            "sla_hours_urgent": 2,
            "sla_days_signalement": 2,
            "sla_days_question": 5,
        },
    )
    assert page.status_code == 200
    assert not Service.objects.filter(authority=commune, name="X").exists()


def test_an_election_whose_second_round_comes_first_is_refused(
    client_of, admin_user, commune
):
    page = client_of(admin_user).post(
        reverse("territory:election_new", args=[commune.slug]),
        {"kind": "autre", "first_round": "2027-05-09", "second_round": "2027-05-02"},
    )
    assert "Le second tour doit suivre le premier tour" in page.text


def test_admin_deletes_an_election(client_of, admin_user, commune):
    election = commune.elections.first()
    client_of(admin_user).post(
        reverse("territory:election_delete", args=[commune.slug, election.pk])
    )
    assert not Election.objects.filter(pk=election.pk).exists()
    assert AuditEvent.objects.filter(action="election.delete").exists()


def test_editor_reads_the_lists_but_cannot_edit(client_of, editor, commune):
    client = client_of(editor)
    assert (
        client.get(reverse("territory:audiences", args=[commune.slug])).status_code
        == 200
    )
    audience = commune.audiences.first()
    edit = reverse("territory:audience_edit", args=[commune.slug, audience.pk])
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(
    ("election_day", "starts_on"),
    [
        (dt.date(2027, 4, 11), dt.date(2026, 10, 1)),
        (dt.date(2032, 3, 14), dt.date(2031, 9, 1)),
        (dt.date(2028, 1, 9), dt.date(2027, 7, 1)),
        (dt.date(2029, 6, 10), dt.date(2028, 12, 1)),
    ],
)
def test_the_restricted_period_starts_the_first_day_of_the_sixth_month_before(
    election_day, starts_on
):
    assert restricted_period_start(election_day) == starts_on


def test_windows_know_whether_they_are_active(commune):
    windows = election_windows(authority=commune, today=dt.date(2026, 11, 26))
    active = [w.election.kind for w in windows if w.is_active(dt.date(2026, 11, 26))]
    assert active == ["presidentielle"]
