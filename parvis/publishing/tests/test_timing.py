import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parvis.publishing.timing import local_to_utc, utc_to_local

PARIS = "Europe/Paris"


def test_winter_and_summer_offsets_are_applied():
    assert local_to_utc(dt.datetime(2026, 1, 15, 9, 0), PARIS) == dt.datetime(
        2026, 1, 15, 8, 0, tzinfo=dt.UTC
    )
    assert local_to_utc(dt.datetime(2026, 7, 15, 9, 0), PARIS) == dt.datetime(
        2026, 7, 15, 7, 0, tzinfo=dt.UTC
    )


def test_a_time_skipped_by_the_spring_change_is_refused_in_french():
    with pytest.raises(ValidationError, match="passage à l'heure d'été"):
        local_to_utc(dt.datetime(2026, 3, 29, 2, 30), PARIS)


def test_the_hours_around_the_spring_change_are_fine():
    assert local_to_utc(dt.datetime(2026, 3, 29, 1, 59), PARIS).hour == 0
    assert local_to_utc(dt.datetime(2026, 3, 29, 3, 0), PARIS).hour == 1


def test_a_time_repeated_by_the_autumn_change_means_its_first_occurrence():
    instant = local_to_utc(dt.datetime(2026, 10, 25, 2, 30), PARIS)
    assert instant == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert utc_to_local(instant, PARIS).utcoffset() == dt.timedelta(hours=2)


def test_an_aware_datetime_is_only_converted():
    aware = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    assert local_to_utc(aware, PARIS) == aware
