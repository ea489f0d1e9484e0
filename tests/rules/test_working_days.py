"""DEAD-WORKING-DAYS: the England and Wales working-day calendar (rules §7).

Two independent oracles: GOV.UK's published list (vendored in tests/data, 2012-2028) and the
``holidays`` package (1978-2100). Counting is checked against a day-by-day reference.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from leder_core.errors import InvalidInput
from leder_core.rules.registry import RULES, Confidence
from leder_core.rules.sources import SOURCES
from leder_core.rules.working_days import (
    ADDED_BANK_HOLIDAYS,
    DEFAULT_CONFIRMED_UNTIL,
    ENGLAND_AND_WALES,
    REMOVED_BANK_HOLIDAYS,
    RULES_VALID_FROM,
    WORKING_DAYS,
    EnglandAndWalesCalendar,
    HolidayCalendar,
    OneOff,
    WorkingDay,
    WorkingDayCount,
    add_working_days,
    is_working_day,
    working_days_between,
)

GOV_UK_JSON = Path(__file__).parent.parent / "data" / "govuk_bank_holidays_england_and_wales.json"
GOV_UK = SOURCES["gov-uk-bank-holidays"]
ONE_DAY = timedelta(days=1)


@cache
def gov_uk_holidays() -> dict[int, frozenset[date]]:
    document = json.loads(GOV_UK_JSON.read_text(encoding="utf-8"))
    years: dict[int, set[date]] = {}
    for event in document["events"]:
        day = date.fromisoformat(event["date"])
        years.setdefault(day.year, set()).add(day)
    return {year: frozenset(days) for year, days in years.items()}


@cache
def holidays_package_weekdays(year: int) -> frozenset[date]:
    import holidays

    # `holidays` also lists the Saturday or Sunday a substitute day replaces; those are not
    # working days anyway, so compare weekdays only.
    listed = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in listed if day.weekday() < 5)


def dates(low: date = RULES_VALID_FROM, high: date = date(2100, 12, 31)) -> st.SearchStrategy[date]:
    return st.dates(min_value=low, max_value=high)


def step_add(start: date, days: int, calendar: HolidayCalendar = ENGLAND_AND_WALES) -> date:
    """Reference: walk one day at a time."""
    day = start
    while days:
        day += ONE_DAY
        if is_working_day(day, calendar=calendar):
            days -= 1
    return day


def step_between(start: date, end: date) -> int:
    """Reference: count working days d with start < d <= end, negated when end < start."""
    low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
    count = 0
    day = low + ONE_DAY
    while day <= high:
        count += is_working_day(day)
        day += ONE_DAY
    return sign * count


def one_off(on: date, name: str = "Hypothetical one-off bank holiday") -> OneOff:
    return OneOff(on=on, name=name, citation=GOV_UK)


def problems_of(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as raised:
        call()
    return [(problem.path, problem.message) for problem in raised.value.problems]


def paths_of(call: Callable[[], object]) -> list[str]:
    return [path for path, _ in problems_of(call)]


# --- The rule and its sources -------------------------------------------------------------


def test_rule_is_registered_with_both_sources() -> None:
    assert RULES["DEAD-WORKING-DAYS"] is WORKING_DAYS
    assert WORKING_DAYS.section == "§7"
    assert WORKING_DAYS.confidence is Confidence.CONFIRMED
    assert WORKING_DAYS.citations == (
        SOURCES["gov-uk-bank-holidays"],
        SOURCES["banking-and-financial-dealings-act-1971"],
    )


def test_every_one_off_names_itself_and_cites_a_known_source() -> None:
    for change in (*ADDED_BANK_HOLIDAYS, *REMOVED_BANK_HOLIDAYS):
        assert change.name
        assert change.citation in SOURCES.values()
    added = {change.on for change in ADDED_BANK_HOLIDAYS}
    removed = {change.on for change in REMOVED_BANK_HOLIDAYS}
    assert not added & removed
    assert len(added) == len(ADDED_BANK_HOLIDAYS)
    assert len(removed) == len(REMOVED_BANK_HOLIDAYS)


# --- Oracle 1: GOV.UK's published list ----------------------------------------------------


def test_gov_uk_oracle_is_the_full_published_list() -> None:
    document = json.loads(GOV_UK_JSON.read_text(encoding="utf-8"))
    assert document["source"]["url"] == "https://www.gov.uk/bank-holidays.json"
    assert "Open Government Licence v3.0" in document["source"]["licence"]
    years = gov_uk_holidays()
    assert sorted(years) == list(range(2012, 2029))
    # The one-offs the oracle must contain, or the comparison below proves little.
    for day in (date(2020, 5, 8), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)):
        assert day in years[day.year]


@pytest.mark.parametrize("year", range(2012, 2029))
def test_matches_gov_uk_exactly(year: int) -> None:
    assert ENGLAND_AND_WALES.holidays_in(year) == gov_uk_holidays()[year]


def test_confirmed_until_is_the_end_of_the_published_list() -> None:
    assert date(max(gov_uk_holidays()), 12, 31) == DEFAULT_CONFIRMED_UNTIL
    assert ENGLAND_AND_WALES.confirmed_until == DEFAULT_CONFIRMED_UNTIL


# --- Oracle 2: the holidays package -------------------------------------------------------


@pytest.mark.parametrize("decade", range(1978, 2101, 10))
def test_matches_holidays_package_every_year(decade: int) -> None:
    for year in range(decade, min(decade + 10, 2101)):
        assert ENGLAND_AND_WALES.holidays_in(year) == holidays_package_weekdays(year), year


@given(day=dates(date(1995, 1, 1)))
@example(day=date(1995, 5, 8)).via("one-off: VE Day 50th")
@example(day=date(2002, 6, 4)).via("one-off: Spring moved for the Golden Jubilee")
@example(day=date(2099, 12, 28)).via("Christmas substitute in a far year")
def test_is_working_day_agrees_with_holidays_package(day: date) -> None:
    expected = day.weekday() < 5 and day not in holidays_package_weekdays(day.year)
    assert is_working_day(day) is expected


# --- Rules at their edges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        # Christmas on a Saturday: Monday 27 and Tuesday 28 December.
        (date(2021, 12, 27), True),
        (date(2021, 12, 28), True),
        (date(2021, 12, 29), False),
        # Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27.
        (date(2022, 12, 26), True),
        (date(2022, 12, 27), True),
        (date(2022, 12, 28), False),
        # Boxing Day on a Saturday: Monday 28 December.
        (date(2020, 12, 28), True),
        (date(2020, 12, 29), False),
        # New Year's Day on a Saturday, then on a Sunday: the Monday after.
        (date(2022, 1, 3), True),
        (date(2023, 1, 2), True),
        (date(2023, 1, 3), False),
        # One-offs.
        (date(2022, 9, 19), True),  # State Funeral of Queen Elizabeth II
        (date(2023, 5, 8), True),  # Coronation of King Charles III
        (date(2020, 5, 8), True),  # Early May moved to VE Day
        (date(2020, 5, 4), False),  # ... so the first Monday of May 2020 was a working day
        (date(2022, 5, 30), False),  # Spring moved to 2 June for the Platinum Jubilee
        (date(2022, 6, 2), True),
        (date(2022, 6, 3), True),
    ],
)
def test_bank_holiday_edges(day: date, holiday: bool) -> None:
    assert ENGLAND_AND_WALES.is_holiday(day) is holiday
    assert is_working_day(day) is not holiday


def test_weekends_are_never_working_days() -> None:
    assert not is_working_day(date(2024, 6, 1))  # Saturday
    assert not is_working_day(date(2024, 6, 2))  # Sunday
    assert is_working_day(date(2024, 6, 3))  # Monday


def test_day_one_is_the_first_working_day_after_start() -> None:
    monday = date(2024, 6, 3)
    assert add_working_days(monday, 1).on == date(2024, 6, 4)
    assert add_working_days(date(2024, 6, 7), 1).on == date(2024, 6, 10)  # Friday → Monday
    assert add_working_days(date(2024, 6, 8), 1).on == date(2024, 6, 10)  # Saturday → Monday
    assert add_working_days(monday, 5).on == date(2024, 6, 10)


def test_zero_days_is_the_start_itself() -> None:
    for start in (date(2024, 6, 3), date(2024, 6, 8), date(2023, 5, 8), date(2040, 1, 1)):
        assert add_working_days(start, 0) == WorkingDay(on=start, provisional=False)


def test_counting_over_the_easter_weekend() -> None:
    maundy_thursday = date(2024, 3, 28)  # Good Friday 29 March, Easter Monday 1 April
    assert add_working_days(maundy_thursday, 1) == WorkingDay(
        on=date(2024, 4, 2), provisional=False
    )
    assert add_working_days(maundy_thursday, 5).on == date(2024, 4, 8)
    assert working_days_between(maundy_thursday, date(2024, 4, 2)).days == 1
    assert working_days_between(maundy_thursday, date(2024, 4, 1)).days == 0


def test_counting_over_christmas_and_new_year() -> None:
    # 2021: Mon 27 and Tue 28 Dec (Christmas on Saturday), Mon 3 Jan (New Year on Saturday).
    assert add_working_days(date(2021, 12, 24), 3).on == date(2021, 12, 31)
    assert add_working_days(date(2021, 12, 24), 4).on == date(2022, 1, 4)
    assert working_days_between(date(2021, 12, 24), date(2022, 1, 4)).days == 4


def test_counting_over_one_off_holidays() -> None:
    assert add_working_days(date(2022, 9, 16), 1).on == date(2022, 9, 20)
    assert add_working_days(date(2023, 5, 5), 1).on == date(2023, 5, 9)
    assert add_working_days(date(2020, 5, 1), 1).on == date(2020, 5, 4)
    assert working_days_between(date(2020, 5, 1), date(2020, 5, 11)).days == 5
    # Thursday 2 and Friday 3 June 2022, then the weekend.
    assert add_working_days(date(2022, 6, 1), 1).on == date(2022, 6, 6)


# --- Counting: reference, inverse, additivity ----------------------------------------------


@given(start=dates(), days=st.integers(min_value=0, max_value=80))
@example(start=date(2022, 12, 23), days=1).via("two substitute days after a Friday")
@example(start=date(2022, 9, 16), days=1).via("State Funeral")
def test_add_working_days_matches_stepping_day_by_day(start: date, days: int) -> None:
    assert add_working_days(start, days).on == step_add(start, days)


@given(start=dates(), end=dates())
def test_working_days_between_matches_stepping_day_by_day(start: date, end: date) -> None:
    if abs((end - start).days) > 400:
        end = start + timedelta(days=(end - start).days % 400)
    assert working_days_between(start, end).days == step_between(start, end)


@given(start=dates(date(1978, 1, 1), date(2200, 12, 31)), days=st.integers(0, 20_000))
@example(start=date(2028, 12, 29), days=1).via("across the confirmed horizon")
def test_add_then_count_is_the_identity(start: date, days: int) -> None:
    reached = add_working_days(start, days)
    counted = working_days_between(start, reached.on)
    assert counted == WorkingDayCount(days=days, provisional=reached.provisional)
    if days:
        assert is_working_day(reached.on)


@given(start=dates(), end=dates())
def test_count_then_add_reaches_the_last_working_day_by_end(start: date, end: date) -> None:
    counted = working_days_between(start, end)
    if end < start:
        assert counted.days <= 0
        return
    reached = add_working_days(start, counted.days).on
    assert reached <= end
    assert (reached == end) is (end == start or is_working_day(end))


@given(first=dates(), second=dates(), third=dates())
def test_counts_add_up_and_reverse(first: date, second: date, third: date) -> None:
    def between(start: date, end: date) -> int:
        return working_days_between(start, end).days

    assert between(first, second) + between(second, third) == between(first, third)
    assert between(second, first) == -between(first, second)
    assert between(first, first) == 0


def test_end_before_start_counts_negative() -> None:
    assert working_days_between(date(2023, 5, 9), date(2023, 5, 5)) == WorkingDayCount(
        days=-1, provisional=False
    )
    assert working_days_between(date(2024, 6, 10), date(2024, 6, 3)).days == -5


def test_long_spans_are_counted_exactly() -> None:
    start, end = date(1978, 1, 1), date(2100, 12, 31)
    weekdays = sum(
        (start + timedelta(days=offset)).weekday() < 5
        for offset in range(1, (end - start).days + 1)
    )
    holidays = sum(len(holidays_package_weekdays(year)) for year in range(1978, 2101))
    assert working_days_between(start, end).days == weekdays - holidays
    assert add_working_days(start, weekdays - holidays).on == date(2100, 12, 31)


# --- Provisional results ------------------------------------------------------------------


def test_provisional_at_and_past_confirmed_until() -> None:
    calendar = EnglandAndWalesCalendar(confirmed_until=date(2025, 6, 30))  # a Monday
    friday = date(2025, 6, 27)
    assert add_working_days(friday, 1, calendar=calendar) == WorkingDay(
        on=date(2025, 6, 30), provisional=False
    )
    assert add_working_days(friday, 2, calendar=calendar) == WorkingDay(
        on=date(2025, 7, 1), provisional=True
    )
    assert not working_days_between(friday, date(2025, 6, 30), calendar=calendar).provisional
    assert working_days_between(friday, date(2025, 7, 1), calendar=calendar).provisional
    # Reversed, the later date is still the one that matters.
    assert working_days_between(date(2025, 7, 1), friday, calendar=calendar).provisional
    # An empty span depends on no holiday, even beyond the horizon.
    assert not working_days_between(date(2030, 1, 1), date(2030, 1, 1)).provisional
    assert not add_working_days(date(2030, 1, 1), 0).provisional


def test_default_horizon_is_the_end_of_2028() -> None:
    assert add_working_days(date(2028, 12, 28), 1) == WorkingDay(
        on=date(2028, 12, 29), provisional=False
    )
    # New Year's Day 2029 is a Monday: ruled, but not yet published.
    assert add_working_days(date(2028, 12, 29), 1) == WorkingDay(
        on=date(2029, 1, 2), provisional=True
    )
    assert working_days_between(date(2028, 12, 29), date(2029, 1, 2)) == WorkingDayCount(
        days=1, provisional=True
    )


# --- Injected calendars -------------------------------------------------------------------


def test_injected_one_off_and_removed_day() -> None:
    announced = date(2030, 6, 3)  # a Monday
    cancelled = date(2030, 5, 6)  # Early May bank holiday 2030
    calendar = EnglandAndWalesCalendar(extra=[one_off(announced)], removed=[one_off(cancelled)])
    assert calendar.is_holiday(announced)
    assert not is_working_day(announced, calendar=calendar)
    assert is_working_day(cancelled, calendar=calendar)
    assert add_working_days(date(2030, 5, 31), 1, calendar=calendar).on == date(2030, 6, 4)
    assert add_working_days(date(2030, 5, 3), 1, calendar=calendar).on == cancelled
    assert working_days_between(date(2030, 5, 1), date(2030, 6, 30), calendar=calendar).days == (
        working_days_between(date(2030, 5, 1), date(2030, 6, 30)).days
    )
    # The default calendar is untouched, whatever the other calendar cached.
    assert is_working_day(announced)
    assert not is_working_day(cancelled)
    assert calendar != ENGLAND_AND_WALES


def test_a_built_in_one_off_can_be_removed() -> None:
    calendar = EnglandAndWalesCalendar(removed=[one_off(date(2023, 5, 8))])
    assert is_working_day(date(2023, 5, 8), calendar=calendar)
    assert calendar.holidays_in(2023) == ENGLAND_AND_WALES.holidays_in(2023) - {date(2023, 5, 8)}


def test_evolved_calendar_keeps_its_one_offs_and_recomputes() -> None:
    calendar = EnglandAndWalesCalendar(extra=[one_off(date(2031, 3, 3))])
    later = attrs.evolve(calendar, confirmed_until=date(2031, 12, 31))
    assert later.is_holiday(date(2031, 3, 3))
    assert not add_working_days(date(2031, 3, 3), 1, calendar=later).provisional
    assert EnglandAndWalesCalendar() == ENGLAND_AND_WALES
    assert hash(EnglandAndWalesCalendar()) == hash(ENGLAND_AND_WALES)


def test_contradictory_or_duplicate_one_offs_are_refused() -> None:
    clash = date(2030, 6, 3)
    assert paths_of(
        lambda: EnglandAndWalesCalendar(extra=[one_off(clash)], removed=[one_off(clash)])
    ) == ["$.extra[0].on"]
    assert paths_of(lambda: EnglandAndWalesCalendar(extra=[one_off(date(2020, 5, 4))])) == [
        "$.extra[0].on"
    ]
    assert paths_of(
        lambda: EnglandAndWalesCalendar(
            extra=[one_off(clash), one_off(date(2031, 1, 6)), one_off(clash)]
        )
    ) == ["$.extra[2].on"]
    assert paths_of(lambda: EnglandAndWalesCalendar(removed=[one_off(date(1977, 6, 7))])) == [
        "$.removed[0].on"
    ]
    assert paths_of(lambda: EnglandAndWalesCalendar(confirmed_until=date(1970, 1, 1))) == [
        "$.confirmed_until"
    ]


@attrs.frozen
class NoHolidays:
    """The smallest calendar: weekdays only."""

    name: str = "weekdays"
    valid_from: date = date(1, 1, 1)
    confirmed_until: date = date(9999, 12, 31)

    def is_holiday(self, day: date) -> bool:
        return False

    def holidays_in(self, year: int) -> frozenset[date]:
        return frozenset()


def test_any_holiday_calendar_can_be_used() -> None:
    calendar: HolidayCalendar = NoHolidays()
    assert is_working_day(date(2023, 5, 8), calendar=calendar)
    assert add_working_days(date(2024, 3, 28), 1, calendar=calendar).on == date(2024, 3, 29)
    assert working_days_between(date(1900, 1, 1), date(1900, 1, 8), calendar=calendar).days == 5
    assert not add_working_days(date(2500, 1, 1), 10, calendar=calendar).provisional


# --- Refused input ------------------------------------------------------------------------


def bad(value: object) -> Any:
    return value


@pytest.mark.parametrize("days", [-1, 1.5, True, "3", None])
def test_days_must_be_a_non_negative_whole_number(days: object) -> None:
    assert paths_of(lambda: add_working_days(date(2024, 1, 1), bad(days))) == ["$.days"]


def test_negative_days_say_so() -> None:
    assert problems_of(lambda: add_working_days(date(2024, 1, 1), -1)) == [
        ("$.days", "must not be negative")
    ]


def test_dates_must_be_dates_on_or_after_the_calendar_start() -> None:
    moment = datetime(2024, 1, 1, 9, 0)  # noqa: DTZ001 - a naive datetime is the point
    assert paths_of(lambda: is_working_day(bad(moment))) == ["$.day"]
    assert paths_of(lambda: is_working_day(date(1977, 12, 30))) == ["$.day"]
    assert paths_of(lambda: add_working_days(bad("2024-01-01"), 1)) == ["$.start"]
    assert paths_of(lambda: add_working_days(bad(moment), bad(-2))) == ["$.start", "$.days"]
    assert paths_of(lambda: working_days_between(date(2024, 1, 1), bad(moment))) == ["$.end"]
    assert paths_of(lambda: working_days_between(date(1970, 1, 1), bad(None))) == [
        "$.start",
        "$.end",
    ]
    with pytest.raises(ValueError, match="1978"):
        ENGLAND_AND_WALES.holidays_in(1977)


def test_results_past_the_last_representable_date_are_refused() -> None:
    assert paths_of(lambda: add_working_days(date(9999, 12, 1), 30)) == ["$.days"]
    assert paths_of(lambda: add_working_days(date(2024, 1, 1), 10**9)) == ["$.days"]
    assert add_working_days(date(9999, 12, 1), 5).on.year == 9999
