"""England's time zone is found offline with either major version of python-dateutil."""

from __future__ import annotations

from datetime import UTC, datetime

import dateutil

from leder_core.fhir.dates import dateutil_bundled_london, england_date


def test_a_late_evening_in_utc_is_the_next_day_in_summer_and_the_same_day_in_winter() -> None:
    assert england_date(datetime(2025, 6, 30, 23, 30, tzinfo=UTC)).isoformat() == ("2025-07-01")
    assert england_date(datetime(2025, 12, 30, 23, 30, tzinfo=UTC)).isoformat() == ("2025-12-30")


def test_the_fallback_reads_dateutil_s_own_copy_where_it_ships_one() -> None:
    """python-dateutil 2 ships a copy of the time zone database (the fallback when the system
    has none); python-dateutil 4 ships none (it depends on tzdata, which the standard library
    reads), and the fallback then says so with None."""
    ships_a_copy = int(dateutil.__version__.split(".")[0]) < 4
    zone = dateutil_bundled_london()
    summer = None if zone is None else str(datetime(2025, 7, 1, 12, tzinfo=zone).utcoffset())
    assert summer == ("1:00:00" if ships_a_copy else None)
