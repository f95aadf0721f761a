"""Early warning: a topic's surge of messages, or of negative ones, against the same
hours of the previous days, is recorded once and told to the communication team."""

import datetime as dt

import pytest

from parvis.inbox.models import Alert
from parvis.inbox.services.alerts import (
    BASELINE_DAYS,
    alert_words,
    alerts_detect,
    alerts_detect_all,
    surge_score,
    surges_in,
)
from parvis.inbox.tests.inbox_cast import MessageFactory
from parvis.system.models import Notification

NOW = dt.datetime(2026, 11, 26, 18, 20, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 26, 18, 0, tzinfo=dt.UTC)


def hours_before(end, days, hour):
    """The start of the hour `hour` (0 = the last one) of the window `days` ago."""
    return end - dt.timedelta(days=days, hours=hour + 1)


def test_a_quiet_topic_is_not_flagged_for_one_message_more():
    expected, score = surge_score(3, [2] * BASELINE_DAYS)
    assert expected == 2 and score < 1


def test_a_silent_topic_is_flagged_only_from_a_real_volume():
    assert surge_score(4, [0] * BASELINE_DAYS)[1] == 4.0
    assert (
        surges_in(
            {("voirie", hours_before(END, 0, 1)): (4, 0)}, window_end=END, threshold=3
        )
        == []
    )  # below the minimum of five messages


def test_the_window_is_compared_with_the_same_hours_of_the_previous_days():
    hourly = {}
    for day in range(1, BASELINE_DAYS + 1):
        hourly[("voirie", hours_before(END, day, 2))] = (2, 0)
        # Busy nights elsewhere in the day do not count.
        hourly[("voirie", hours_before(END, day, 12))] = (40, 0)
    hourly[("voirie", hours_before(END, 0, 0))] = (9, 0)
    hourly[("voirie", hours_before(END, 0, 5))] = (6, 6)
    [volume, negative] = surges_in(hourly, window_end=END, threshold=3)
    assert (volume.kind, volume.topic, volume.observed) == ("volume", "voirie", 15)
    assert volume.expected == 2
    assert (negative.kind, negative.observed, negative.expected) == ("negative", 6, 0)


@pytest.mark.django_db
def test_a_surge_is_recorded_once_and_told_to_the_com_team(commune, editor, admin_user):
    for day in range(1, 8):
        MessageFactory(
            authority=commune,
            topic="environnement",
            received_at=NOW - dt.timedelta(days=day, hours=2),
        )
    for minute in range(12):
        MessageFactory(
            authority=commune,
            topic="environnement",
            sentiment="negatif",
            received_at=NOW - dt.timedelta(hours=1, minutes=minute),
        )
    MessageFactory(
        authority=commune,
        topic="environnement",
        abuse=True,
        received_at=NOW - dt.timedelta(hours=1),
    )
    created = alerts_detect(authority=commune, now=NOW)
    assert {(alert.kind, alert.observed) for alert in created} == {
        ("volume", 12),
        ("negative", 12),
    }
    assert "Afflux de messages sur « Espaces verts" in alert_words(
        next(alert for alert in created if alert.kind == "volume")
    )
    told = Notification.objects.filter(user=editor)
    assert told.count() == 2 and "domaine=environnement" in told.first().url
    # The same surge an hour later is the same alert.
    assert alerts_detect(authority=commune, now=NOW + dt.timedelta(hours=1)) == []
    assert alerts_detect_all(now=NOW) == 0
    assert Alert.objects.count() == 2


@pytest.mark.django_db
def test_the_inbox_list_shows_the_recent_alerts_to_the_team(client_of, editor, commune):
    from django.urls import reverse

    for minute in range(8):
        MessageFactory(
            authority=commune,
            topic="environnement",
            received_at=NOW - dt.timedelta(minutes=90 + minute),
        )
    alerts_detect(authority=commune, now=NOW)
    page = client_of(editor).get(reverse("inbox:list", args=[commune.slug]))
    assert "Alertes des dernières 48 heures" in page.content.decode()
