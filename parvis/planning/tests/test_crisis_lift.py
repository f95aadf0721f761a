"""Lifting crisis mode in its three ways, across the end of daylight saving time: the
crisis lasts from Saturday 24 October 2026, 10:00, to Monday 26 October, 10:00 (Paris),
two days on the wall clock but 49 hours (clocks go back on the 25th at 3:00)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.planning import services
from parvis.planning.models import Crisis
from parvis.planning.selectors_crisis import held_posts
from parvis.planning.services import NotAllowed
from parvis.planning.services.crisis import wall_clock_shift
from parvis.planning.tests.crisis_helpers import (
    ALERT,
    PARIS,
    connected_channels,
    paris,
    scheduled,
)
from parvis.publishing.models import Publication, PublicationState
from parvis.system.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
P = PublicationState
START = paris(2026, 10, 24, 10, 0)
END = paris(2026, 10, 26, 10, 0)


@pytest.fixture
def channels(commune, admin_user):
    return connected_channels(commune, admin_user)


@pytest.fixture
def clock(monkeypatch):
    """`clock(moment)`: timezone.now() answers `moment` from then on."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def programme(commune, channels, clock):
    """Three posts planned before the crisis, paused by it."""
    clock(paris(2026, 10, 23, 9, 0))
    mastodon = channels["mastodon"]
    return {
        "saturday": scheduled(commune, mastodon, paris(2026, 10, 24, 18, 0)),
        "monday": scheduled(commune, mastodon, paris(2026, 10, 26, 9, 0)),
        "tuesday": scheduled(commune, mastodon, paris(2026, 10, 27, 9, 0)),
    }


@pytest.fixture
def crisis(commune, validator, channels, programme, clock):
    clock(START)
    crisis = services.crisis_start(
        authority=commune, actor=validator, title="Tempête", message=ALERT
    )
    assert crisis.paused_count == 3
    clock(END)
    return crisis


def reloaded(publications):
    return {name: Publication.objects.get(pk=p.pk) for name, p in publications.items()}


def local(moment):
    return moment.astimezone(PARIS).strftime("%d/%m %H:%M")


def test_keep_times_resumes_at_the_planned_hours_and_the_passed_ones_now(
    crisis, programme, validator
):
    services.crisis_lift(
        crisis=crisis, actor=validator, resume_mode=Crisis.Resume.KEEP_TIMES
    )
    after = reloaded(programme)
    assert {name: p.state for name, p in after.items()} == dict.fromkeys(
        programme, P.PENDING
    )
    assert after["saturday"].next_attempt_at == END
    assert after["monday"].next_attempt_at == END
    assert local(after["tuesday"].next_attempt_at) == "27/10 09:00"
    # The plan stays what it was: only the sending time moved.
    assert local(after["saturday"].scheduled_at) == "24/10 18:00"


def test_shift_moves_every_publication_and_its_slot_by_two_days_on_the_wall_clock(
    crisis, programme, validator
):
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="shift")
    after = reloaded(programme)
    assert {name: local(p.scheduled_at) for name, p in after.items()} == {
        "saturday": "26/10 18:00",
        "monday": "28/10 09:00",  # 9:00 stays 9:00, though 49 hours went by
        "tuesday": "29/10 09:00",
    }
    for publication in after.values():
        assert publication.state == P.PENDING
        assert publication.next_attempt_at == publication.scheduled_at
        assert publication.variant.post.planned_at == publication.scheduled_at


def test_hold_leaves_them_paused_for_rescheduling_one_by_one(
    crisis, programme, validator, editor, clock
):
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="hold")
    after = reloaded(programme)
    assert {p.state for p in after.values()} == {P.PAUSED}
    held = list(held_posts(authority=crisis.authority))
    assert [post.pk for post in held] == [
        programme[name].variant.post_id for name in ("saturday", "monday", "tuesday")
    ]
    assert held[0].paused == 1

    # Rescheduled once the crisis is over: it goes back to pending at the new slot.
    post = programme["saturday"].variant.post
    services.post_plan(post=post, actor=editor, planned_at=paris(2026, 10, 27, 14, 0))
    moved = Publication.objects.get(pk=programme["saturday"].pk)
    assert (moved.state, local(moved.scheduled_at)) == (P.PENDING, "27/10 14:00")


def test_publications_held_by_an_earlier_crisis_stay_held_at_the_next_lift(
    crisis, programme, validator, clock
):
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="hold")
    clock(paris(2026, 11, 2, 8, 0))
    second = services.crisis_start(
        authority=crisis.authority,
        actor=validator,
        title="Coupure d'eau",
        message=ALERT,
    )
    assert second.paused_count == 0
    services.crisis_lift(crisis=second, actor=validator, resume_mode="keep")
    assert {p.state for p in reloaded(programme).values()} == {P.PAUSED}


def test_a_publication_rescheduled_during_the_crisis_stays_paused_until_the_lift(
    crisis, programme, editor, validator, clock
):
    clock(paris(2026, 10, 25, 12, 0))
    post = programme["tuesday"].variant.post
    services.post_plan(post=post, actor=editor, planned_at=paris(2026, 10, 28, 11, 0))
    assert Publication.objects.get(pk=programme["tuesday"].pk).state == P.PAUSED
    clock(END)
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    moved = Publication.objects.get(pk=programme["tuesday"].pk)
    assert (moved.state, local(moved.next_attempt_at)) == (P.PENDING, "28/10 11:00")


def test_the_lift_is_recorded_once_and_told_to_the_team(crisis, validator, editor):
    services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")
    crisis.refresh_from_db()
    assert (crisis.ended_at, crisis.ended_by, crisis.resume_mode) == (
        END,
        validator,
        "keep",
    )
    event = AuditEvent.objects.get(action="crisis.lift")
    assert sorted(event.changes["resumed_publications"][1]) == sorted(
        Publication.objects.filter(variant__post__is_crisis=False).values_list(
            "pk", flat=True
        )
    )
    assert Notification.objects.filter(
        user=editor, message__contains="Mode crise levé"
    ).exists()
    with pytest.raises(ValidationError, match="déjà levé"):
        services.crisis_lift(crisis=crisis, actor=validator, resume_mode="keep")


@pytest.mark.parametrize("role", ["editor", "elected", "agent"])
def test_only_validators_and_administrators_lift_a_crisis(crisis, role, request):
    with pytest.raises(NotAllowed):
        services.crisis_lift(
            crisis=crisis, actor=request.getfixturevalue(role), resume_mode="keep"
        )
    assert Crisis.objects.get(pk=crisis.pk).ended_at is None


def test_an_unknown_resume_mode_is_refused(crisis, validator):
    with pytest.raises(ValidationError):
        services.crisis_lift(crisis=crisis, actor=validator, resume_mode="later")


def test_the_wall_clock_shift_crosses_the_spring_change_too():
    # 27 to 29 March 2027: clocks go forward on the 28th at 2:00 (47 hours).
    start, end = paris(2027, 3, 27, 12, 0), paris(2027, 3, 29, 12, 0)
    moved = wall_clock_shift(
        paris(2027, 3, 28, 18, 30), start=start, end=end, zone=PARIS
    )
    assert local(moved) == "30/03 18:30"
