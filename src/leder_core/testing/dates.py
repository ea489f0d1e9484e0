"""Strategies for dates: plausible dates with the days the rules turn on, and the three dates
of a notification (birth, death, notification) consistent with each other.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date, timedelta
from functools import cache
from typing import Final, NamedTuple

from hypothesis import assume, reject
from hypothesis import strategies as st

from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE
from leder_core.testing.base import PROGRAMME_START, Pin, strategy_of

__all__ = [
    "NotificationDates",
    "notification_dates",
    "plausible_dates",
]

# The era the programme's rules have been written for; most generated deaths fall inside it.
_ERA_END: Final = date(2030, 12, 31)

# Dates where the rules change or the calendar is awkward: rule set boundaries (RS-SELECT),
# the autism start date and the end of the 2021–2023 focused reviews, leap days and month
# ends (DEAD-SIX-MONTHS), century years that are not leap years, and the accepted range.
_EDGE_DATES: Final = tuple(
    sorted(
        {
            EARLIEST_DATE,
            LATEST_DATE,
            date(1880, 1, 2),
            date(1900, 2, 28),
            date(1900, 3, 1),
            date(1999, 12, 31),
            date(2000, 1, 1),
            date(2000, 2, 29),
            date(2015, 12, 1),
            date(2016, 6, 30),
            PROGRAMME_START,
            date(2016, 12, 31),
            date(2017, 6, 5),
            date(2020, 2, 29),
            date(2021, 5, 31),
            date(2021, 6, 1),
            date(2021, 12, 31),
            date(2022, 1, 1),
            date(2022, 2, 28),
            date(2022, 3, 1),
            date(2023, 2, 28),
            date(2023, 3, 1),
            date(2023, 8, 31),
            date(2023, 12, 31),
            date(2024, 1, 1),
            date(2024, 2, 28),
            date(2024, 2, 29),
            date(2024, 3, 1),
            date(2024, 8, 31),
            date(2025, 2, 28),
            date(2025, 3, 1),
            date(2100, 2, 28),
            date(2100, 3, 1),
            date(2199, 12, 30),
        }
    )
)


def plausible_dates(
    min_value: date = EARLIEST_DATE, max_value: date = LATEST_DATE, *, edges: bool = True
) -> st.SearchStrategy[date]:
    """Dates between ``min_value`` and ``max_value`` inclusive (by default the whole range a
    document accepts, 1880-01-01 … 2199-12-31).

    With ``edges`` (the default) some of the draws are dates where the rules or the calendar
    turn: rule set boundaries (2016-07-01, 2021-06-01), the autism start date (2022-01-01), the
    end of 2023, leap days and month ends, and the two ends of the range asked for.
    """
    if min_value > max_value:
        raise ValueError("min_value must not be after max_value")
    anywhere = st.dates(min_value, max_value)
    if not edges:
        return anywhere
    special = sorted(
        {min_value, max_value, *(day for day in _EDGE_DATES if min_value <= day <= max_value)}
    )
    return st.one_of(anywhere, st.sampled_from(special))


class NotificationDates(NamedTuple):
    """The three dates of a notification, in the order they happen."""

    date_of_birth: date
    date_of_death: date
    notified_on: date


def _years_before(day: date, years: int) -> date:
    """The anniversary ``years`` before ``day``; 29 February falls back to 28 February."""
    year = day.year - years
    if day.month == 2 and day.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def _years_after(born: date, years: int) -> date | None:
    """The birthday ``years`` after ``born`` (1 March for 29 February in a common year)."""
    year = born.year + years
    if year > LATEST_DATE.year:
        return None
    if born.month == 2 and born.day == 29 and not isleap(year):
        return date(year, 3, 1)
    return born.replace(year=year)


def _age(born: date, died: date) -> int:
    """Completed years; a 29 February birthday is on 1 March in a common year."""
    return died.year - born.year - ((died.month, died.day) < (born.month, born.day))


def _ambiguous_leap_age(born: date, died: date) -> bool:
    # Born on 29 February, died on 28 February of a common year: the age depends on
    # INT-LEAP-DAY, so a pinned age must avoid it.
    return (born.month, born.day) == (2, 29) and (died.month, died.day) == (2, 28)


def _birth_range(died: date, age: int) -> tuple[date, date] | None:
    """The birth dates giving ``age`` completed years on ``died``, within the accepted range."""
    if died.year - age - 1 < 1:
        return None
    latest = _years_before(died, age)
    earliest = _years_before(died, age + 1) + timedelta(days=1)
    earliest = max(earliest, EARLIEST_DATE)
    if latest < earliest:
        return None
    return earliest, latest


# Ages that settle the route: under 4 out of scope, 4–17 child death review, 18–24 the 2016
# priority theme, 25 and over adults (ELIG-AGE-MINIMUM, ELIG-CHILD-ROUTE, PATH-YOUNG-ADULT).
_AGE_BANDS: Final = (
    (25, 100),
    (25, 100),
    (25, 100),
    (18, 24),
    (4, 17),
    (4, 17),
    (0, 3),
    (100, 130),
)
_BOUNDARY_AGE: Final = st.sampled_from((0, 3, 4, 17, 18, 24, 25))
_AGES: Final = st.one_of([st.integers(low, high) for low, high in _AGE_BANDS])


# From death to notification: the same day, weeks, months, or years (an old death found late).
_DELAYS: Final = st.one_of(
    st.just(0),
    st.integers(1, 60),
    st.integers(1, 60),
    st.integers(61, 730),
    st.integers(731, 365 * 12),
).map(lambda days: timedelta(days=days))


def _shift(day: date, delta: timedelta) -> date:
    ordinal = day.toordinal() + delta.days
    return date.fromordinal(min(max(ordinal, EARLIEST_DATE.toordinal()), LATEST_DATE.toordinal()))


@cache
def _anchor_dates(programme_era: bool, edges: bool) -> st.SearchStrategy[date]:
    if not programme_era:
        return plausible_dates(edges=edges)
    era = plausible_dates(PROGRAMME_START, _ERA_END, edges=edges)
    # Mostly the programme's era, sometimes before it began (out of scope) or far from it.
    return st.one_of(era, era, era, era, plausible_dates(edges=edges))


@st.composite
def _birth_for(draw: st.DrawFn, died: date, age: int | None, edges: bool) -> date:
    pinned_age = age is not None
    if age is not None:
        years = age
    else:
        oldest = _age(EARLIEST_DATE, died)
        at_a_boundary = edges and draw(st.integers(0, 5)) == 0
        years = min(draw(_BOUNDARY_AGE if at_a_boundary else _AGES), oldest)
    window = _birth_range(died, years)
    if window is None:
        reject()
    earliest, latest = window
    if not pinned_age and edges and (died.month, died.day) in ((2, 28), (3, 1)):
        # Someone born on 29 February who died around their birthday in a common year.
        leap_years = [
            year
            for year in range(earliest.year, latest.year + 1)
            if isleap(year) and earliest <= date(year, 2, 29) <= latest
        ]
        if leap_years and not isleap(died.year) and draw(st.booleans()):
            return date(draw(st.sampled_from(leap_years)), 2, 29)
    choice = draw(st.integers(0, 4)) if edges else 0
    if choice == 1:
        born = latest  # the birthday is the day of death
    elif choice == 2:
        born = earliest  # the birthday would have been the day after
    else:
        born = draw(st.dates(earliest, latest))
    if pinned_age and _ambiguous_leap_age(born, died):
        born = date(born.year, 3, 1)
    return born


@st.composite
def _notification_dates(
    draw: st.DrawFn,
    *,
    date_of_birth: st.SearchStrategy[date] | None,
    date_of_death: st.SearchStrategy[date] | None,
    notified_on: st.SearchStrategy[date] | None,
    age_at_death: st.SearchStrategy[int] | None,
    programme_era: bool,
    edges: bool,
) -> NotificationDates:
    born = died = notified = None
    years = draw(age_at_death) if age_at_death is not None else None
    if date_of_death is not None:
        died = draw(date_of_death)
    elif notified_on is not None:
        notified = draw(notified_on)
        died = _shift(notified, -draw(_DELAYS))
    elif date_of_birth is not None:
        born = draw(date_of_birth)
        if years is not None:
            # Deaths at that age: from the birthday (1 March for 29 February) to the day before
            # the next one.
            first = _years_after(born, years)
            if first is None:
                reject()
            following = _years_after(born, years + 1)
            last = LATEST_DATE if following is None else following - timedelta(days=1)
            died = draw(st.one_of(st.just(first), st.dates(first, min(last, LATEST_DATE))))
        else:
            died = _shift(born, timedelta(days=draw(st.integers(0, 365 * 110))))
    else:
        anchor = draw(_anchor_dates(programme_era, edges))
        if draw(st.booleans()):
            died = anchor
        else:
            notified = anchor
            died = _shift(anchor, -draw(_DELAYS))
    if notified is None:
        notified = draw(notified_on) if notified_on is not None else _shift(died, draw(_DELAYS))
    if born is None:
        if date_of_birth is not None:
            born = draw(date_of_birth)
        else:
            born = draw(_birth_for(died, years, edges))
    assume(born <= died <= notified)
    if years is not None:
        # With the birth or both other dates pinned: keep only the pinned age.
        assume(not _ambiguous_leap_age(born, died))
        assume(_age(born, died) == years)
    return NotificationDates(born, died, notified)


def notification_dates(
    *,
    date_of_birth: Pin[date] | None = None,
    date_of_death: Pin[date] | None = None,
    notified_on: Pin[date] | None = None,
    age_at_death: Pin[int] | None = None,
    programme_era: bool = True,
    edges: bool = True,
) -> st.SearchStrategy[NotificationDates]:
    """Birth, death and notification dates with ``date_of_birth <= date_of_death <= notified_on``.

    Any of the three dates, and ``age_at_death`` (completed years on the date of death, the same
    under either ``INT-LEAP-DAY`` reading), may be pinned. Pins that contradict each other give
    no example at all (Hypothesis reports an unsatisfiable test).

    Unpinned, ages are spread so that every route appears: under 4 (out of scope), 4–17 (child
    death review), 18–24, adults, and the very old. ``programme_era`` (the default) puts most
    deaths and notifications from 1 July 2016 on, with some before and some far after;
    ``False`` spreads them over the whole accepted range. ``edges`` (the default) leans toward
    the days where the rules turn (see :func:`plausible_dates`), birthdays on the day of death
    or the day after, 29 February birthdays, and notification on the day of death.
    """
    return _notification_dates(
        date_of_birth=strategy_of(date_of_birth),
        date_of_death=strategy_of(date_of_death),
        notified_on=strategy_of(notified_on),
        age_at_death=strategy_of(age_at_death),
        programme_era=programme_era,
        edges=edges,
    )
