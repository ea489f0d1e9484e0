"""Working days in England (DEAD-WORKING-DAYS).

Local service levels ("allocate within 5 working days") count working days: Monday to Friday
except the bank holidays of England and Wales, substitute days and one-off days included.
Day 1 is the first working day *after* the start date. Bank holidays are only published a
couple of years ahead, so a result that depends on a date after the calendar's
``confirmed_until`` is marked provisional rather than passed off as final.

The calendar is our own code: the statutory rules plus a dated table of one-off changes, each
with its citation. It is checked against GOV.UK's published list and the ``holidays`` package
in the tests, never at run time.

>>> from datetime import date
>>> is_working_day(date(2023, 5, 8))  # the coronation of King Charles III
False
>>> add_working_days(date(2024, 3, 28), 1)  # Thursday before Easter: next is Tuesday
WorkingDay(on=datetime.date(2024, 4, 2), provisional=False)
>>> working_days_between(date(2024, 3, 28), date(2024, 4, 2))
WorkingDayCount(days=1, provisional=False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from types import MappingProxyType
from typing import Final, Protocol

import attrs
from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

from leder_core.errors import InvalidInput
from leder_core.models.explanation import Citation
from leder_core.rules.registry import define_rule
from leder_core.rules.sources import SOURCES

__all__ = [
    "ADDED_BANK_HOLIDAYS",
    "DEFAULT_CONFIRMED_UNTIL",
    "ENGLAND_AND_WALES",
    "REMOVED_BANK_HOLIDAYS",
    "RULES_VALID_FROM",
    "WORKING_DAYS",
    "EnglandAndWalesCalendar",
    "HolidayCalendar",
    "OneOff",
    "WorkingDay",
    "WorkingDayCount",
    "add_working_days",
    "is_working_day",
    "working_days_between",
]

WORKING_DAYS: Final = define_rule(
    "DEAD-WORKING-DAYS",
    title="Working days in England",
    text=(
        "Working days are Monday to Friday except England and Wales bank holidays, including "
        "substitute days and one-off days; day 1 is the first working day after the start "
        "date, and a result that depends on a date after the last confirmed bank holiday year "
        "is provisional."
    ),
    section="§7",
    sources=("gov-uk-bank-holidays", "banking-and-financial-dealings-act-1971"),
    confidence="C",
)

#: The first day the statutory rules below describe: the Early May bank holiday began in 1978.
#: Earlier years had other holidays (Whit Monday, no May Day), so they are refused, not guessed.
RULES_VALID_FROM: Final = date(1978, 1, 1)

#: The last day of the last year GOV.UK has published England and Wales bank holidays for.
DEFAULT_CONFIRMED_UNTIL: Final = date(2028, 12, 31)

_FRIDAY: Final = 4


@attrs.frozen(kw_only=True)
class OneOff:
    """A bank holiday added or removed by royal proclamation for one year only."""

    on: date
    name: str
    citation: Citation


@attrs.frozen(kw_only=True)
class WorkingDay:
    """A working day found by counting (DEAD-WORKING-DAYS).

    ``provisional`` is true when the date depends on a day after the calendar's
    ``confirmed_until``: a bank holiday announced later could still move it.
    """

    on: date
    provisional: bool


@attrs.frozen(kw_only=True)
class WorkingDayCount:
    """A number of working days between two dates (DEAD-WORKING-DAYS).

    ``provisional`` is true when the count depends on a day after the calendar's
    ``confirmed_until``.
    """

    days: int
    provisional: bool


class HolidayCalendar(Protocol):
    """What working-day arithmetic needs to know about bank holidays.

    Implement it to count working days against another calendar (for a test, or while an
    announced one-off waits for a release). ``holidays_in`` returns only dates in that year;
    holidays that fall on a Saturday or Sunday may be included and are simply ignored.
    """

    @property
    def name(self) -> str:
        """A short name for messages, such as ``"England and Wales"``."""
        ...

    @property
    def valid_from(self) -> date:
        """The first date the calendar can answer for."""
        ...

    @property
    def confirmed_until(self) -> date:
        """The last date for which the bank holidays are confirmed, not forecast by rule."""
        ...

    def is_holiday(self, day: date) -> bool:
        """Whether the day is a bank holiday."""
        ...

    def holidays_in(self, year: int) -> frozenset[date]:
        """Every bank holiday in the year."""
        ...


def _gov_uk(on: date, name: str) -> OneOff:
    return OneOff(on=on, name=name, citation=SOURCES["gov-uk-bank-holidays"])


def _proclaimed(on: date, name: str) -> OneOff:
    # Before 2012 GOV.UK publishes no list; the Act gives the power to proclaim a one-off day.
    return OneOff(on=on, name=name, citation=SOURCES["banking-and-financial-dealings-act-1971"])


#: One-off bank holidays that the rules alone would not give (England and Wales).
ADDED_BANK_HOLIDAYS: Final[tuple[OneOff, ...]] = (
    _proclaimed(date(1981, 7, 29), "Royal Wedding of the Prince of Wales and Lady Diana Spencer"),
    _proclaimed(date(1995, 5, 8), "Early May bank holiday (VE Day, 50th anniversary)"),
    _proclaimed(date(1999, 12, 31), "Millennium bank holiday"),
    _proclaimed(date(2002, 6, 3), "Queen's Golden Jubilee bank holiday"),
    _proclaimed(date(2002, 6, 4), "Spring bank holiday (moved from 27 May)"),
    _proclaimed(date(2011, 4, 29), "Royal Wedding bank holiday"),
    _gov_uk(date(2012, 6, 4), "Spring bank holiday (moved from 28 May)"),
    _gov_uk(date(2012, 6, 5), "Queen's Diamond Jubilee"),
    _gov_uk(date(2020, 5, 8), "Early May bank holiday (VE Day, 75th anniversary)"),
    _gov_uk(date(2022, 6, 2), "Spring bank holiday (moved from 30 May)"),
    _gov_uk(date(2022, 6, 3), "Platinum Jubilee bank holiday"),
    _gov_uk(date(2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"),
    _gov_uk(date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
)

#: Rule-given bank holidays that a one-off change moved away (England and Wales).
REMOVED_BANK_HOLIDAYS: Final[tuple[OneOff, ...]] = (
    _proclaimed(date(1995, 5, 1), "Early May bank holiday, moved to 8 May"),
    _proclaimed(date(2002, 5, 27), "Spring bank holiday, moved to 4 June"),
    _gov_uk(date(2012, 5, 28), "Spring bank holiday, moved to 4 June"),
    _gov_uk(date(2020, 5, 4), "Early May bank holiday, moved to 8 May"),
    _gov_uk(date(2022, 5, 30), "Spring bank holiday, moved to 2 June"),
)


def _next_free_weekday(day: date, taken: date | None = None) -> date:
    # A holiday on a Saturday or Sunday is kept on the next weekday not already a holiday.
    while day.weekday() > _FRIDAY or day == taken:
        day += timedelta(days=1)
    return day


@cache
def _rule_holidays(year: int) -> frozenset[date]:
    # Banking and Financial Dealings Act 1971, schedule 1, with the days proclaimed every year.
    easter_sunday = easter(year)
    christmas = _next_free_weekday(date(year, 12, 25))
    return frozenset(
        {
            _next_free_weekday(date(year, 1, 1)),
            easter_sunday - timedelta(days=2),  # Good Friday
            easter_sunday + timedelta(days=1),  # Easter Monday
            date(year, 5, 1) + relativedelta(weekday=MO(+1)),  # Early May: first Monday
            date(year, 5, 31) + relativedelta(weekday=MO(-1)),  # Spring: last Monday of May
            date(year, 8, 31) + relativedelta(weekday=MO(-1)),  # Summer: last Monday of August
            christmas,
            _next_free_weekday(date(year, 12, 26), taken=christmas),  # Boxing Day
        }
    )


def _by_year(one_offs: Iterable[OneOff]) -> Mapping[int, frozenset[date]]:
    years: dict[int, set[date]] = {}
    for one_off in one_offs:
        years.setdefault(one_off.on.year, set()).add(one_off.on)
    return MappingProxyType({year: frozenset(days) for year, days in years.items()})


def _one_offs(value: Iterable[OneOff]) -> tuple[OneOff, ...]:
    return tuple(value)


def _check_one_offs(
    instance: EnglandAndWalesCalendar,
    attribute: attrs.Attribute[tuple[OneOff, ...]],
    value: tuple[OneOff, ...],
) -> None:
    problems: list[tuple[str, str]] = []
    seen: set[date] = set()
    for index, one_off in enumerate(value):
        path = f"$.{attribute.name}[{index}].on"
        if one_off.on < RULES_VALID_FROM:
            problems.append((path, f"is before {RULES_VALID_FROM.isoformat()}"))
        elif one_off.on in seen:
            problems.append((path, "is listed twice"))
        seen.add(one_off.on)
    if problems:
        raise InvalidInput(problems)


@attrs.frozen(kw_only=True)
class EnglandAndWalesCalendar:
    """England and Wales bank holidays: the statutory rules and the one-off table.

    The rules: New Year's Day, Good Friday, Easter Monday, the first Monday of May, the last
    Mondays of May and August, Christmas Day and Boxing Day; a New Year's, Christmas or Boxing
    Day on a Saturday or Sunday is kept on the next weekday that is not already a holiday.
    :data:`ADDED_BANK_HOLIDAYS` and :data:`REMOVED_BANK_HOLIDAYS` hold the one-off changes.

    ``extra`` and ``removed`` change the calendar without a release, for a one-off announced
    after this version: a removal wins over any rule or one-off, and a date cannot be both
    added and removed. ``confirmed_until`` is the last date of the published list.

    >>> from datetime import date
    >>> coronation = date(2023, 5, 8)
    >>> ENGLAND_AND_WALES.is_holiday(coronation)
    True
    >>> without = EnglandAndWalesCalendar(
    ...     removed=[OneOff(on=coronation, name="example", citation=WORKING_DAYS.citations[0])]
    ... )
    >>> without.is_holiday(coronation)
    False
    """

    name: str = "England and Wales"
    confirmed_until: date = DEFAULT_CONFIRMED_UNTIL
    extra: tuple[OneOff, ...] = attrs.field(
        default=(), converter=_one_offs, validator=_check_one_offs
    )
    """One-off bank holidays to add to the built-in table."""
    removed: tuple[OneOff, ...] = attrs.field(
        default=(), converter=_one_offs, validator=_check_one_offs
    )
    """Bank holidays to take away, whether from the rules or the built-in table."""

    _added_by_year: Mapping[int, frozenset[date]] = attrs.field(init=False, repr=False, eq=False)
    _removed_days: frozenset[date] = attrs.field(init=False, repr=False, eq=False)
    # A memo per instance, filled on first use of a year: the answers never change.
    _memo: dict[int, frozenset[date]] = attrs.field(init=False, repr=False, eq=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        removed = frozenset(one_off.on for one_off in (*REMOVED_BANK_HOLIDAYS, *self.removed))
        clashes = [
            (f"$.extra[{index}].on", "is also a removed bank holiday")
            for index, one_off in enumerate(self.extra)
            if one_off.on in removed
        ]
        if clashes:
            raise InvalidInput(clashes)
        if self.confirmed_until < RULES_VALID_FROM:
            raise InvalidInput([("$.confirmed_until", "is before the calendar's first day")])
        object.__setattr__(self, "_added_by_year", _by_year((*ADDED_BANK_HOLIDAYS, *self.extra)))
        object.__setattr__(self, "_removed_days", removed)

    @property
    def valid_from(self) -> date:
        """The first day the rules describe (:data:`RULES_VALID_FROM`)."""
        return RULES_VALID_FROM

    def holidays_in(self, year: int) -> frozenset[date]:
        """Every bank holiday in the year; :class:`ValueError` for a year before 1978."""
        try:
            return self._memo[year]
        except KeyError:
            pass
        if year < RULES_VALID_FROM.year:
            raise ValueError(f"{self.name} bank holidays are known from {RULES_VALID_FROM.year}")
        days = (_rule_holidays(year) | self._added_by_year.get(year, frozenset())) - (
            self._removed_days
        )
        self._memo[year] = days
        return days

    def is_holiday(self, day: date) -> bool:
        """Whether the day is a bank holiday; :class:`ValueError` for a year before 1978."""
        return day in self.holidays_in(day.year)


#: The calendar used when none is given: rules, one-off table, published to 2028.
ENGLAND_AND_WALES: Final = EnglandAndWalesCalendar()


def _check_date(value: object, path: str, calendar: HolidayCalendar) -> list[tuple[str, str]]:
    # A datetime is a date too, but comparing one with a date raises; refuse it up front.
    if isinstance(value, datetime) or not isinstance(value, date):
        return [(path, "must be a date")]
    if value < calendar.valid_from:
        return [(path, f"is before the first day of the {calendar.name} calendar")]
    return []


def _weekdays_through(day: date) -> int:
    # Mondays to Fridays from 0001-01-01 (a Monday, ordinal 1) up to and including the day.
    weeks, rest = divmod(day.toordinal() - 1, 7)
    return weeks * 5 + min(rest + 1, 5)


def _add_weekdays(start: date, count: int) -> date:
    # The count-th Monday-to-Friday after start, count >= 1; a weekend start counts from Friday.
    weekday = start.weekday()
    if weekday > _FRIDAY:
        start -= timedelta(days=weekday - _FRIDAY)
        weekday = _FRIDAY
    weeks, rest = divmod(weekday + count, 5)
    return start + timedelta(days=weeks * 7 + rest - weekday)


def _weekday_holidays(calendar: HolidayCalendar, after: date, through: date) -> int:
    # Holidays in (after, through] that would otherwise be working days; a few per year.
    count = 0
    for year in range(after.year, through.year + 1):
        for day in calendar.holidays_in(year):
            if after < day <= through and day.weekday() <= _FRIDAY:
                count += 1
    return count


def is_working_day(day: date, *, calendar: HolidayCalendar = ENGLAND_AND_WALES) -> bool:
    """Whether the day is Monday to Friday and not a bank holiday (DEAD-WORKING-DAYS).

    :class:`~leder_core.errors.InvalidInput` (path ``$.day``) for a value that is not a date
    or is before the calendar's first day.

    >>> from datetime import date
    >>> is_working_day(date(2022, 9, 19))  # State Funeral of Queen Elizabeth II
    False
    >>> is_working_day(date(2020, 5, 4))  # Early May bank holiday moved to Friday 8 May
    True
    """
    problems = _check_date(day, "$.day", calendar)
    if problems:
        raise InvalidInput(problems)
    return day.weekday() <= _FRIDAY and not calendar.is_holiday(day)


def add_working_days(
    start: date, days: int, *, calendar: HolidayCalendar = ENGLAND_AND_WALES
) -> WorkingDay:
    """The ``days``-th working day after ``start`` (DEAD-WORKING-DAYS).

    Day 1 is the first working day after ``start``, whatever ``start`` is (a weekend, a bank
    holiday or a working day). ``days == 0`` returns ``start`` itself, unchanged and never
    provisional, since it depends on no holiday. ``days`` must be a non-negative ``int``;
    anything else is :class:`~leder_core.errors.InvalidInput` at ``$.days`` (a ``start`` that
    is not a date, or before the calendar's first day, at ``$.start``).

    The result is provisional when it falls after ``calendar.confirmed_until``. It is the
    inverse of :func:`working_days_between`: for every ``days >= 0``,
    ``working_days_between(start, add_working_days(start, days).on).days == days``.

    >>> from datetime import date
    >>> add_working_days(date(2022, 12, 23), 1)  # Friday; 26 and 27 December are holidays
    WorkingDay(on=datetime.date(2022, 12, 28), provisional=False)
    >>> add_working_days(date(2028, 12, 29), 1)  # after the published list
    WorkingDay(on=datetime.date(2029, 1, 2), provisional=True)
    """
    problems = _check_date(start, "$.start", calendar)
    if isinstance(days, bool) or not isinstance(days, int):
        problems.append(("$.days", "must be a whole number of days"))
    elif days < 0:
        problems.append(("$.days", "must not be negative"))
    if problems:
        raise InvalidInput(problems)
    if days == 0:
        return WorkingDay(on=start, provisional=False)
    try:
        # Count weekdays by arithmetic, then step on past the holidays met, until none is met.
        after, on = start, _add_weekdays(start, days)
        missing = _weekday_holidays(calendar, after, on)
        while missing:
            after, on = on, _add_weekdays(on, missing)
            missing = _weekday_holidays(calendar, after, on)
    except OverflowError:
        # Past 9999-12-31: datetime cannot hold the answer.
        raise InvalidInput([("$.days", "takes the date past 9999-12-31")]) from None
    return WorkingDay(on=on, provisional=on > calendar.confirmed_until)


def working_days_between(
    start: date, end: date, *, calendar: HolidayCalendar = ENGLAND_AND_WALES
) -> WorkingDayCount:
    """The number of working days after ``start`` up to and including ``end``.

    Counted as ``add_working_days`` counts (DEAD-WORKING-DAYS): ``start`` itself is not
    counted, ``end`` is. When ``end`` is before ``start`` the count is negative, minus the
    working days after ``end`` up to and including ``start``, so counts add up:
    ``between(a, b) + between(b, c) == between(a, c)``. A count of days late against a due
    date is then positive, and days early negative.

    The count is provisional when it depends on a date after ``calendar.confirmed_until``
    (``start == end`` depends on none). A ``start`` or ``end`` that is not a date, or is before
    the calendar's first day, is :class:`~leder_core.errors.InvalidInput` at ``$.start`` or
    ``$.end``.

    >>> from datetime import date
    >>> working_days_between(date(2023, 5, 5), date(2023, 5, 9))  # Monday is the coronation
    WorkingDayCount(days=1, provisional=False)
    >>> working_days_between(date(2023, 5, 9), date(2023, 5, 5))
    WorkingDayCount(days=-1, provisional=False)
    """
    problems = _check_date(start, "$.start", calendar) + _check_date(end, "$.end", calendar)
    if problems:
        raise InvalidInput(problems)
    sign, low, high = (1, start, end) if start <= end else (-1, end, start)
    weekdays = _weekdays_through(high) - _weekdays_through(low)
    days = weekdays - _weekday_holidays(calendar, low, high) if weekdays else 0
    return WorkingDayCount(
        days=sign * days, provisional=low != high and high > calendar.confirmed_until
    )
