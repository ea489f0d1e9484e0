"""Hypothesis strategies for notification documents, NHS numbers, dates and interpretations.

They are public so that other services can test their own code against the same shapes of
data that ``leder_core`` accepts and refuses. Install them with the extra ``testing`` (from a
checkout: ``python -m pip install -e '.[testing]'``).

Every strategy draws only from Hypothesis (no clock, no global random state), so a test that
uses them is reproducible with Hypothesis's ``derandomize`` setting or a printed blob.
NHS numbers are drawn from the synthetic range 999 000 0000 – 999 999 9999 by default,
which is never issued to a real person.

Example::

    from datetime import date

    from hypothesis import given, strategies as st

    from leder_core import InvalidInput, dump, load_notification
    from leder_core.testing import (
        corrupted_notification_documents,
        normalised,
        notification_documents,
    )


    @given(notification_documents(learning_disability=True, age_at_death=st.integers(18, 24)))
    def test_young_adults_round_trip(document):
        assert dump(load_notification(document)) == normalised(document)


    @given(corrupted_notification_documents())
    def test_refusals_name_the_field(case):
        document, path = case
        try:
            load_notification(document)
        except InvalidInput as error:
            assert path in [problem.path for problem in error.problems]
        else:
            raise AssertionError("a corrupted document was accepted")

Pinned facts: every keyword argument of :func:`notification_documents` takes either a plain
value (``learning_disability=True``) or a strategy (``notified_on=st.just(date(2024, 3, 15))``).
``None`` leaves the fact free; to pin a nullable field to ``null`` pass ``st.none()``.
"""

from __future__ import annotations

import copy
import re
from calendar import isleap
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import Enum
from functools import cache
from typing import Any, Final, Literal, NamedTuple, TypeAlias, TypeVar, get_args

import attrs
from hypothesis import assume, reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from leder_core.api import apply as _apply
from leder_core.api import assess as _assess
from leder_core.interpretation import (
    AutismFocused,
    AutismStartKey,
    Clock,
    EventOrder,
    Interpretation,
    LeapDay,
    MinorityEthnic,
    Residence,
    Timeliness,
)
from leder_core.models.assessment import Outcome, ReviewLevel
from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE, ODS_CODE_SHAPE
from leder_core.models.notification import (
    AutismStatus,
    Detention,
    EthnicCategory,
    Notification,
    NotifierRole,
    OtherProcess,
    Person,
)
from leder_core.models.review import (
    Action,
    Allocated,
    Closed,
    ClosureReason,
    ContactKind,
    ContactRecorded,
    Event,
    EventType,
    FamilyNotInvolved,
    FamilyNotInvolvedReason,
    FocusedReviewCompleted,
    FocusedReviewRequested,
    HoldLifted,
    HoldPlaced,
    HoldReason,
    InitialReviewCompleted,
    RegionalDecision,
    Review,
    ReviewState,
    SignedOff,
    SignOffBy,
)
from leder_core.models.wire import NOT_ON_WIRE
from leder_core.rules.workflow import enabled_events, open_review
from leder_core.serialization import dump, load_notification, wire_name

__all__ = [
    "CORRUPTION_KINDS",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "PROGRAMME_START",
    "SCHEMA",
    "CorruptionKind",
    "NotificationDates",
    "Pin",
    "corrupted_notification_documents",
    "interpretation_documents",
    "interpretations",
    "invalid_nhs_numbers",
    "json_values",
    "next_events",
    "nhs_numbers",
    "normalised",
    "notification_dates",
    "notification_documents",
    "notifications",
    "ods_codes",
    "plausible_dates",
    "review_documents",
    "reviews",
]

_T = TypeVar("_T")

#: A pinned fact: a plain value or a strategy of values.
Pin: TypeAlias = _T | st.SearchStrategy[_T]

#: The schema name of a notification document (docs/notification-format.md).
SCHEMA: Final = "leder.notification/1"
#: National counting of notifications begins (RS-SELECT).
PROGRAMME_START: Final = date(2016, 7, 1)

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

# Real ICB codes (Lancashire and South Cumbria, North East and North Cumbria, Greater
# Manchester, West Yorkshire, South Yorkshire, Cheshire and Merseyside, the London ICBs ...)
# and codes shaped like the former CCG codes (two digits and a letter).
_ICB_CODES: Final = (
    "QE1",
    "QHM",
    "QOP",
    "QWO",
    "QF7",
    "QYG",
    "QMF",
    "QRV",
    "QKK",
    "QWE",
    "QMJ",
    "QJK",
    "QSL",
    "QUY",
    "QKS",
)
_CCG_LIKE_CODES: Final = ("00Q", "01A", "02G", "06H", "15N", "99E", "13T", "36L")

_NOTIFIER_ROLES: Final = tuple(member.value for member in NotifierRole)
_AUTISM: Final = tuple(member.value for member in AutismStatus)
_ETHNICITY: Final = tuple(member.value for member in EthnicCategory)
_DETENTION: Final = tuple(member.value for member in Detention)
_PROCESSES: Final = tuple(member.value for member in OtherProcess)


def _wire_fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(field for field in attrs.fields(cls) if not field.metadata.get(NOT_ON_WIRE))


def _wire_default(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


# The keys of a notification document, read from the models: the one definition of its fields.
_TOP_KEYS: Final = tuple(wire_name(field.name) for field in _wire_fields(Notification))
_TOP_REQUIRED: Final = tuple(
    wire_name(field.name) for field in _wire_fields(Notification) if field.default is attrs.NOTHING
)
_PERSON_KEYS: Final = tuple(wire_name(field.name) for field in _wire_fields(Person))
_PERSON_REQUIRED: Final = tuple(
    wire_name(field.name) for field in _wire_fields(Person) if field.default is attrs.NOTHING
)
_PERSON_DEFAULTS: Final[Mapping[str, Any]] = {
    wire_name(field.name): _wire_default(field.default)
    for field in _wire_fields(Person)
    if field.default is not attrs.NOTHING
}
_TOP_DEFAULTS: Final[Mapping[str, Any]] = {"other_processes": [], "responsible_body": None}
_PERSON_BOOLEANS: Final = (
    "learning_disability",
    "lived_in_england",
    "died_in_england",
    "gp_registered",
    "national_data_opt_out",
)
_DATE_FIELDS: Final = (
    ("notified_on", "$.notified_on"),
    ("date_of_birth", "$.person.date_of_birth"),
    ("date_of_death", "$.person.date_of_death"),
)

_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_DIGITS: Final = "0123456789"
_ODS_CHARACTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ID_CHARACTERS: Final = _ODS_CHARACTERS + "abcdefghijklmnopqrstuvwxyz_.:/- "
_SIMPLE_KEY: Final = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")


# --- JSON ---------------------------------------------------------------------------------


def json_values(*, max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value: ``null``, booleans, numbers, strings, arrays and objects, nested.

    Floats are finite (JSON has no NaN or infinity). Useful to check that a loader refuses
    anything with :class:`~leder_core.InvalidInput` and never with another exception.
    """
    scalars: st.SearchStrategy[Any] = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(st.text(max_size=12), children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


# --- NHS numbers --------------------------------------------------------------------------


def _check_digit(first_nine: str) -> int | None:
    # Written independently of leder_core.models.nhs_number, which these strategies test.
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    remainder = 11 - total % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def _spaced(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _with_check_digit(first_nine: str) -> str | None:
    check = _check_digit(first_nine)
    if check is None:
        return None
    digits = first_nine + str(check)
    return None if digits == digits[0] * 10 else digits


@st.composite
def _valid_digits(draw: st.DrawFn, test_range_only: bool) -> str:
    if test_range_only:
        first_nine = f"999{draw(st.integers(0, 999_999)):06d}"
    else:
        first_nine = f"{draw(st.integers(0, 999_999_999)):09d}"
    digits = _with_check_digit(first_nine)
    if digits is None:
        reject()
    return digits


def nhs_numbers(
    *, spaced: bool | None = None, test_range_only: bool = True
) -> st.SearchStrategy[str]:
    """Valid NHS numbers as strings: 10 digits that pass the modulus 11 check, not all one digit.

    ``spaced``: ``False`` gives ``"9990001234"``, ``True`` gives ``"999 000 1234"`` (3-3-4 with
    single spaces), ``None`` (the default) either. ``test_range_only`` (the default) keeps to
    999 000 0000 – 999 999 9999, a range never issued to real people; ``False`` draws from
    every valid number, which may be a real person's.
    """
    digits = _valid_digits(test_range_only)
    if spaced is None:
        return st.tuples(digits, st.booleans()).map(
            lambda drawn: _spaced(drawn[0]) if drawn[1] else drawn[0]
        )
    return digits.map(_spaced) if spaced else digits


@st.composite
def _check_digit_ten(draw: st.DrawFn) -> str:
    # Nine digits whose weighted sum leaves remainder 1, so the check digit would be 10.
    first_eight = f"{draw(st.integers(0, 99_999_999)):08d}"
    partial = sum(int(digit) * weight for digit, weight in zip(first_eight, _WEIGHTS, strict=False))
    ninth = ((1 - partial) * 6) % 11  # 2 * 6 == 1 (mod 11)
    assume(ninth < 10)
    last = draw(st.integers(0, 9))
    digits = f"{first_eight}{ninth}{last}"
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _wrong_check_digit(draw: st.DrawFn) -> str:
    digits = draw(_valid_digits(draw(st.booleans())))
    wrong = draw(st.integers(0, 9).filter(lambda digit: str(digit) != digits[9]))
    digits = digits[:9] + str(wrong)
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _repeated_digit(draw: st.DrawFn) -> str:
    digits = draw(st.sampled_from("0123456789")) * 10
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _wrong_length(draw: st.DrawFn) -> str:
    length = draw(st.integers(0, 13).filter(lambda count: count != 10))
    digits = draw(st.text(_DIGITS, min_size=length, max_size=length))
    if len(digits) >= 7 and draw(st.booleans()):
        return _spaced(digits)  # spaced, but 3-3-n with n != 4
    return digits


@st.composite
def _not_digits(draw: st.DrawFn) -> str:
    digits = draw(nhs_numbers(spaced=False, test_range_only=False))
    position = draw(st.integers(0, 9))
    # Letters, and digits of other scripts that ``str.isdigit`` accepts but an NHS number
    # (ASCII digits only) does not.
    replacement = draw(
        st.sampled_from(("O", "o", "l", "I", "A", "x", "٣", "३", "３", "¹", "½", "-", "+", "."))
    )
    changed = digits[:position] + replacement + digits[position + 1 :]
    return _spaced(changed) if draw(st.booleans()) else changed


_FULLWIDTH: Final = str.maketrans("0123456789", "０１２３４５６７８９")
_ARABIC_INDIC: Final = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def _bad_spacing(draw: st.DrawFn) -> str:
    d = draw(nhs_numbers(spaced=False, test_range_only=False))
    spaced = _spaced(d)
    forms = (
        f"{d[:4]} {d[4:7]} {d[7:]}",  # 4-3-3, "9434 765 919"
        f"{d[:3]} {d[3:7]} {d[7:]}",  # 3-4-3
        f"{d[:2]} {d[2:5]} {d[5:]}",
        f"{d[:3]}  {d[3:6]} {d[6:]}",  # double spaces
        f"{d[:3]} {d[3:6]}  {d[6:]}",
        f"{d[:3]} {d[3:]}",  # one space only
        f"{d[:6]} {d[6:]}",
        " " + d,  # leading and trailing spaces
        d + " ",
        " " + spaced,
        spaced + " ",
        d + "\n",
        "\t" + d,
        " ".join(d),
        f"{d[:3]}-{d[3:6]}-{d[6:]}",
        f"{d[:3]}.{d[3:6]}.{d[6:]}",
        f"{d[:3]}\t{d[3:6]}\t{d[6:]}",
        f"{d[:3]}\u00a0{d[3:6]}\u00a0{d[6:]}",  # no-break spaces
        f"{d[:3]}\u2009{d[3:6]}\u2009{d[6:]}",  # thin spaces
        d.translate(_FULLWIDTH),
        d.translate(_ARABIC_INDIC),
    )
    return draw(st.sampled_from(forms))


def invalid_nhs_numbers() -> st.SearchStrategy[str]:
    """Strings that must be refused as NHS numbers.

    They cover: the wrong number of digits (with or without spaces); letters and non-ASCII
    digits; a check digit that does not match; nine digits whose check digit would be 10
    (never valid, whatever the last digit); all ten digits the same (``"0000000000"``,
    ``"1111111111"``, ... every one of which passes the modulus 11 check); and spacing other
    than single spaces 3-3-4 (``"9434 765 919"``, double, leading or trailing spaces, tabs,
    no-break spaces, hyphens).
    """
    return st.one_of(
        _wrong_length(),
        _not_digits(),
        _wrong_check_digit(),
        _check_digit_ten(),
        _repeated_digit(),
        _bad_spacing(),
    )


# --- dates --------------------------------------------------------------------------------


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
        date_of_birth=_strategy(date_of_birth),
        date_of_death=_strategy(date_of_death),
        notified_on=_strategy(notified_on),
        age_at_death=_strategy(age_at_death),
        programme_era=programme_era,
        edges=edges,
    )


# --- codes and identifiers ----------------------------------------------------------------


def ods_codes() -> st.SearchStrategy[str]:
    """ODS organisation codes a document accepts as ``responsible_body``.

    Real ICB codes (``QE1``, ``QHM``, ``QOP`` ...), three-character codes shaped like the former
    CCG codes (``00Q``, ``15N`` ...), and any other code of the accepted shape: 3 to 10
    upper-case letters and digits.
    """
    return st.one_of(
        st.sampled_from(_ICB_CODES),
        st.sampled_from(_CCG_LIKE_CODES),
        st.text(_ODS_CHARACTERS, min_size=3, max_size=10),
    )


def _document_ids() -> st.SearchStrategy[str]:
    """1–64 printable characters: usually ``N-2024-000123``, sometimes any printable text."""
    return st.one_of(
        st.builds("N-{}-{:06d}".format, st.integers(2016, 2030), st.integers(0, 999_999)),
        st.text(_ID_CHARACTERS, min_size=1, max_size=64),
        # Letters, marks, numbers, punctuation, symbols and the space: all printable.
        st.text(
            st.characters(categories=("L", "M", "N", "P", "S"), include_characters=" "),
            min_size=1,
            max_size=64,
        ),
    )


# --- notification documents ---------------------------------------------------------------


def _strategy(value: Pin[_T] | None) -> st.SearchStrategy[_T] | None:
    if value is None:
        return None
    if isinstance(value, st.SearchStrategy):
        return value
    return st.just(value)


def _wire(value: object) -> Any:
    """A pinned value as it is written in a document."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_wire(item) for item in value]
    return value


def _wired(
    value: Pin[Any] | None, default: st.SearchStrategy[Any]
) -> tuple[bool, st.SearchStrategy[Any]]:
    pinned = _strategy(value)
    if pinned is None:
        return False, default
    return True, pinned.map(_wire)


@st.composite
def _documents(
    draw: st.DrawFn,
    dates: st.SearchStrategy[NotificationDates],
    fields: Mapping[str, tuple[bool, st.SearchStrategy[Any]]],
    schema: bool | None,
) -> dict[str, Any]:
    def value_of(key: str) -> Any:
        return draw(fields[key][1])

    def optional(target: dict[str, Any], key: str) -> None:
        pinned, strategy = fields[key]
        if pinned or draw(st.booleans()):
            target[key] = draw(strategy)

    born, died, notified = draw(dates)
    person: dict[str, Any] = {}
    optional(person, "nhs_number")
    person["date_of_birth"] = born.isoformat()
    person["date_of_death"] = died.isoformat()
    person["learning_disability"] = value_of("learning_disability")
    person["autism"] = value_of("autism")
    optional(person, "ethnicity")
    person["lived_in_england"] = value_of("lived_in_england")
    for key in ("died_in_england", "gp_registered", "national_data_opt_out", "detention"):
        optional(person, key)
    document: dict[str, Any] = {}
    if schema or (schema is None and draw(st.booleans())):
        document["schema"] = SCHEMA
    document["id"] = value_of("id")
    document["notified_on"] = notified.isoformat()
    document["notifier_role"] = value_of("notifier_role")
    document["person"] = person
    optional(document, "other_processes")
    optional(document, "responsible_body")
    return document


def notification_documents(
    *,
    id: Pin[str] | None = None,
    notified_on: Pin[date] | None = None,
    notifier_role: Pin[NotifierRole | str] | None = None,
    nhs_number: Pin[str | None] | None = None,
    date_of_birth: Pin[date] | None = None,
    date_of_death: Pin[date] | None = None,
    age_at_death: Pin[int] | None = None,
    learning_disability: Pin[bool] | None = None,
    autism: Pin[AutismStatus | str] | None = None,
    ethnicity: Pin[EthnicCategory | str | None] | None = None,
    lived_in_england: Pin[bool] | None = None,
    died_in_england: Pin[bool] | None = None,
    gp_registered: Pin[bool] | None = None,
    national_data_opt_out: Pin[bool] | None = None,
    detention: Pin[Detention | str] | None = None,
    other_processes: Pin[Sequence[OtherProcess | str]] | None = None,
    responsible_body: Pin[str | None] | None = None,
    schema: bool | None = None,
    programme_era: bool = True,
    edges: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``leder.notification/1`` documents as plain JSON-compatible dicts.

    Each keyword pins a fact, as a value or a strategy (enumeration members and dates are
    written as their wire strings); ``None`` leaves it free, and ``st.none()`` pins a nullable
    field to ``null``. A pinned optional field is always present in the document.

    Unpinned, optional keys are sometimes present (with any allowed value, defaults included)
    and sometimes absent; the NHS number is absent, ``null``, or a synthetic number written
    with or without spaces (:func:`nhs_numbers`); ``other_processes`` holds distinct names;
    ``responsible_body`` is ``null`` or an ODS code (:func:`ods_codes`). ``schema``: ``True``
    always writes ``"schema": "leder.notification/1"``, ``False`` never, ``None`` sometimes.
    Dates and ages are drawn by :func:`notification_dates` with ``age_at_death``,
    ``programme_era`` and ``edges``.
    """
    dates = notification_dates(
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        notified_on=notified_on,
        age_at_death=age_at_death,
        programme_era=programme_era,
        edges=edges,
    )
    fields = {
        "id": _wired(id, _document_ids()),
        "notifier_role": _wired(notifier_role, st.sampled_from(_NOTIFIER_ROLES)),
        "nhs_number": _wired(nhs_number, st.one_of(nhs_numbers(), st.none())),
        "learning_disability": _wired(learning_disability, st.booleans()),
        "autism": _wired(autism, st.sampled_from(_AUTISM)),
        "ethnicity": _wired(ethnicity, st.sampled_from((*_ETHNICITY, None))),
        "lived_in_england": _wired(lived_in_england, st.booleans()),
        "died_in_england": _wired(died_in_england, st.booleans()),
        "gp_registered": _wired(gp_registered, st.booleans()),
        "national_data_opt_out": _wired(national_data_opt_out, st.booleans()),
        "detention": _wired(detention, st.sampled_from(_DETENTION)),
        "other_processes": _wired(
            other_processes, st.lists(st.sampled_from(_PROCESSES), unique=True)
        ),
        "responsible_body": _wired(responsible_body, st.one_of(ods_codes(), st.none())),
    }
    return _documents(dates, fields, schema)


def notifications(
    documents: st.SearchStrategy[dict[str, Any]] | None = None,
    *,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
) -> st.SearchStrategy[Notification]:
    """:class:`~leder_core.models.Notification` models, loaded with
    :func:`~leder_core.load_notification` from ``documents`` (by default
    :func:`notification_documents`). To pin facts, pass documents with them pinned:
    ``notifications(notification_documents(age_at_death=st.integers(4, 17)))``.

    ``opening`` keeps only notifications assessed (under ``interpretation``, by default the
    rulebook's) with that outcome, so that a review opens in a chosen way: ``"leder_review"``
    (awaiting allocation), ``"regional_decision"`` (awaiting a regional decision), or any other
    outcome (closed at once). Without ``documents`` the facts that lead to that outcome are
    pinned first, so few draws are thrown away."""
    if opening is None:
        chosen = documents if documents is not None else notification_documents()
        return chosen.map(load_notification)
    outcome = Outcome(opening)
    chosen = documents if documents is not None else _documents_opening(outcome)
    under = interpretation if interpretation is not None else Interpretation()

    def opens_so(notification: Notification) -> bool:
        return _assess(notification, interpretation=under).outcome is outcome

    return chosen.map(load_notification).filter(opens_so)


_LEFT_OUT_WHEN_ABSENT: Final = frozenset(
    {"died_in_england", "gp_registered", "national_data_opt_out", "detention"}
)


def normalised(document: Mapping[str, Any]) -> dict[str, Any]:
    """What ``dump(load_notification(document))`` must equal for a valid ``document``.

    The schema name first, every default filled in except for the person facts a notification
    may leave out (``died_in_england``, ``gp_registered``, ``national_data_opt_out``,
    ``detention``: assumed, and left out again), the NHS number as 10 digits without spaces,
    ``other_processes`` as a list, and everything else exactly as given, keys in the order of
    docs/notification-format.md. Written from that page, independently of the loader, to serve as
    an oracle. ``document`` must be valid; an invalid one gives a meaningless result.
    """
    person = document["person"]
    number = person.get("nhs_number")
    normal_person: dict[str, Any] = {
        "nhs_number": None if number is None else number.replace(" ", "")
    }
    for key in _PERSON_KEYS[1:]:
        if key in person:
            normal_person[key] = person[key]
        elif key not in _LEFT_OUT_WHEN_ABSENT:
            normal_person[key] = _PERSON_DEFAULTS[key]
    normal: dict[str, Any] = {"schema": SCHEMA}
    for key in _TOP_KEYS:
        if key == "person":
            normal[key] = normal_person
        elif key in document:
            normal[key] = document[key]
        else:
            normal[key] = _TOP_DEFAULTS[key]
    normal["other_processes"] = list(normal["other_processes"])
    return normal


# --- corrupted documents ------------------------------------------------------------------

_Corruption = Callable[[st.DrawFn, dict[str, Any]], str]


def _member_path(parent: str, key: str) -> str:
    if _SIMPLE_KEY.match(key):
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def _remove_required(draw: st.DrawFn, document: dict[str, Any]) -> str:
    key = draw(st.sampled_from(_TOP_REQUIRED + _PERSON_REQUIRED))
    if key in _TOP_REQUIRED:
        del document[key]
        return f"$.{key}"
    del document["person"][key]
    return f"$.person.{key}"


_UNKNOWN_KEYS: Final = (
    "foo",
    "nhsNumber",
    "NHS_number",
    "ID",
    "Schema",
    "schema",
    "notes",
    "date_of_birth",
    "notified_on",
    "person",
    "id",
    "responsible_body",
    "nhs number",
    "date-of-death",
    "person.id",
    "1st",
    "it's",
    "back\\slash",
    "",
    "ünïcode",
    "$",
)


def _add_unknown_key(draw: st.DrawFn, document: dict[str, Any]) -> str:
    in_person = draw(st.booleans())
    target: dict[str, Any] = document["person"] if in_person else document
    known = _PERSON_KEYS if in_person else (*_TOP_KEYS, "schema")
    key = draw(st.sampled_from([key for key in _UNKNOWN_KEYS if key not in known]))
    target[key] = draw(json_values(max_leaves=4))
    return _member_path("$.person" if in_person else "$", key)


_NOT_STRINGS: Final[tuple[Any, ...]] = (
    None,
    True,
    False,
    0,
    3,
    -1,
    1.5,
    [],
    ["x"],
    {},
    {"value": "x"},
)
_NOT_BOOLEANS: Final[tuple[Any, ...]] = (
    None,
    "yes",
    "true",
    "True",
    "false",
    "",
    0,
    1,
    1.0,
    [],
    [True],
    {},
    {"value": True},
)
_NOT_DATES: Final[tuple[Any, ...]] = (
    *_NOT_STRINGS,
    20240305,
    {"year": 2024, "month": 3, "day": 5},
    [2024, 3, 5],
    ["2024-03-05"],
)
_NOT_ARRAYS: Final[tuple[Any, ...]] = (
    None,
    "coroner_inquest",
    "",
    0,
    True,
    {},
    {"coroner_inquest": True},
)
_NOT_OBJECTS: Final[tuple[Any, ...]] = (None, "person", "", 0, 1.5, True, [], [{}])


def _wrong_type(draw: st.DrawFn, document: dict[str, Any]) -> str:
    person = document["person"]
    field = draw(
        st.sampled_from(
            (
                "id",
                "notified_on",
                "notifier_role",
                "person",
                "other_processes",
                "responsible_body",
                "schema",
                *_PERSON_KEYS,
            )
        )
    )
    # null is a wrong type everywhere except where the default is null.
    nullable = field in ("nhs_number", "ethnicity", "responsible_body")
    if field in ("notified_on", "date_of_birth", "date_of_death"):
        candidates = _NOT_DATES
    elif field in _PERSON_BOOLEANS:
        candidates = _NOT_BOOLEANS
    elif field == "other_processes":
        candidates = _NOT_ARRAYS
    elif field == "person":
        candidates = _NOT_OBJECTS
    else:
        candidates = (*_NOT_STRINGS, 9434765919) if field == "nhs_number" else _NOT_STRINGS
    if field in ("notifier_role", "autism", "detention", "ethnicity"):
        # A list or object holding a valid value is still the wrong type.
        candidates = (*candidates, ["none"], ["A"], {"none": True})
    value = draw(
        st.sampled_from([value for value in candidates if not (nullable and value is None)])
    )
    if field in _PERSON_KEYS:
        person[field] = value
        return f"$.person.{field}"
    document[field] = value
    return f"$.{field}"


_IMPOSSIBLE_DATES: Final = (
    "2023-02-29",
    "2100-02-29",
    "1900-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-06-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-32",
    "0000-01-01",
)
_OUT_OF_RANGE_DATES: Final = (
    "1879-12-31",
    "2200-01-01",
    "0001-01-01",
    "1800-06-15",
    "9999-12-31",
)
_LOOSE_DATES: Final = (
    "2024-3-05",
    "2024-03-5",
    "24-03-05",
    "20240305",
    "2024-03-05T00:00",
    "2024-W10-2",
    "2024-065",
    "2024/03/05",
    "05/03/2024",
    "5 March 2024",
    "2024-03-05Z",
    "+2024-03-05",
    "２０２４-０３-０５",
    "",
)


def _loosened(iso: str) -> st.SearchStrategy[str]:
    year, month, day = iso.split("-")
    return st.sampled_from(
        (
            f"{year}-{int(month)}-{int(day)}" if int(month) < 10 or int(day) < 10 else iso + " ",
            f"{year}{month}{day}",
            f"{iso}T00:00",
            f"{iso}T00:00:00Z",
            f" {iso}",
            f"{iso}\n",
            f"{year}/{month}/{day}",
            f"{day}/{month}/{year}",
            *_LOOSE_DATES,
        )
    )


def _date_field(draw: st.DrawFn, document: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    field, path = draw(st.sampled_from(_DATE_FIELDS))
    target: dict[str, Any] = document if field == "notified_on" else document["person"]
    return target, field, path


def _impossible_date(draw: st.DrawFn, document: dict[str, Any]) -> str:
    target, field, path = _date_field(draw, document)
    target[field] = draw(st.sampled_from(_IMPOSSIBLE_DATES))
    return path


def _loose_date(draw: st.DrawFn, document: dict[str, Any]) -> str:
    target, field, path = _date_field(draw, document)
    target[field] = draw(_loosened(target[field]))
    return path


def _date_out_of_range(draw: st.DrawFn, document: dict[str, Any]) -> str:
    target, field, path = _date_field(draw, document)
    target[field] = draw(st.sampled_from(_OUT_OF_RANGE_DATES))
    return path


def _bad_nhs_number(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["person"]["nhs_number"] = draw(invalid_nhs_numbers())
    return "$.person.nhs_number"


def _dates_of(document: dict[str, Any]) -> tuple[date, date, date]:
    person = document["person"]
    return (
        date.fromisoformat(person["date_of_birth"]),
        date.fromisoformat(person["date_of_death"]),
        date.fromisoformat(document["notified_on"]),
    )


def _death_before_birth(draw: st.DrawFn, document: dict[str, Any]) -> str:
    born, _, notified = _dates_of(document)
    if born == EARLIEST_DATE:
        # No day before: move the birth later, keeping the death on or before notification.
        born = draw(st.dates(EARLIEST_DATE + timedelta(days=1), LATEST_DATE))
    latest_death = min(born - timedelta(days=1), notified)
    died = draw(st.one_of(st.just(latest_death), st.dates(EARLIEST_DATE, latest_death)))
    document["person"]["date_of_birth"] = born.isoformat()
    document["person"]["date_of_death"] = died.isoformat()
    return "$.person.date_of_death"


def _notified_before_death(draw: st.DrawFn, document: dict[str, Any]) -> str:
    _, died, _ = _dates_of(document)
    if died == EARLIEST_DATE:
        # No day before: move the death later (it stays on or after the birth).
        died = draw(st.dates(EARLIEST_DATE + timedelta(days=1), LATEST_DATE))
    latest_notification = died - timedelta(days=1)
    notified = draw(
        st.one_of(st.just(latest_notification), st.dates(EARLIEST_DATE, latest_notification))
    )
    document["person"]["date_of_death"] = died.isoformat()
    document["notified_on"] = notified.isoformat()
    return "$.notified_on"


@st.composite
def _with_control_character(draw: st.DrawFn, text: str) -> str:
    text = text[:63]
    control = draw(
        st.one_of(
            st.characters(max_codepoint=0x1F), st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
        )
    )
    position = draw(st.integers(0, len(text)))
    return text[:position] + control + text[position:]


def _bad_id(draw: st.DrawFn, document: dict[str, Any]) -> str:
    valid = document["id"]
    document["id"] = draw(
        st.one_of(
            st.just(""),
            st.just("N" * 65),
            st.just((valid * 65)[:65]),
            st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=65, max_size=200),
            _with_control_character(valid),
        )
    )
    return "$.id"


def _not_in(values: Sequence[str]) -> Callable[[str], bool]:
    return lambda value: value not in values


def _near_misses(values: Sequence[str]) -> st.SearchStrategy[str]:
    near = {
        variant
        for value in values
        for variant in (
            value.upper(),
            value.title(),
            f" {value}",
            f"{value} ",
            value.replace("_", "-"),
            value.replace("_", " "),
            value + "s",
        )
    }
    return st.one_of(st.sampled_from(sorted(near)), st.text(max_size=20), st.just("")).filter(
        _not_in(values)
    )


def _bad_enum(draw: st.DrawFn, document: dict[str, Any]) -> str:
    field = draw(
        st.sampled_from(("notifier_role", "autism", "ethnicity", "detention", "other_processes"))
    )
    if field == "notifier_role":
        document[field] = draw(_near_misses(_NOTIFIER_ROLES))
        return "$.notifier_role"
    if field == "other_processes":
        processes = list(document.get("other_processes", []))
        index = draw(st.integers(0, len(processes)))
        bad: Any = draw(st.one_of(_near_misses(_PROCESSES), st.sampled_from(_NOT_OBJECTS[:-1])))
        processes.insert(index, bad)
        document[field] = processes
        return f"$.other_processes[{index}]"
    values = {"autism": _AUTISM, "ethnicity": _ETHNICITY, "detention": _DETENTION}[field]
    extra = st.sampled_from(("a", "O", "I", "T", "9", "099", "99 ", "A1"))
    document["person"][field] = draw(st.one_of(_near_misses(values), extra.filter(_not_in(values))))
    return f"$.person.{field}"


def _bad_responsible_body(draw: st.DrawFn, document: dict[str, Any]) -> str:
    code = draw(ods_codes())
    document["responsible_body"] = draw(
        st.sampled_from(
            [
                bad
                for bad in (
                    code.lower(),
                    code[:2],
                    code + "X" * (11 - len(code)),
                    f" {code}",
                    f"{code[:2]} {code[2:]}",
                    f"{code}-",
                    "QÉ1",
                    "",
                )
                if not ODS_CODE_SHAPE.match(bad)
            ]
        )
    )
    return "$.responsible_body"


def _bad_schema(draw: st.DrawFn, document: dict[str, Any]) -> str:
    document["schema"] = draw(
        st.sampled_from(
            (
                "leder.notification/2",
                "leder.notification",
                "LEDER.NOTIFICATION/1",
                "leder.review/1",
                " leder.notification/1",
                "",
                None,
                1,
                ["leder.notification/1"],
                {"name": "leder.notification/1"},
            )
        )
    )
    return "$.schema"


#: The name of one way :func:`corrupted_notification_documents` can spoil a document.
CorruptionKind: TypeAlias = Literal[
    "missing_key",
    "unknown_key",
    "wrong_type",
    "impossible_date",
    "loose_date",
    "date_out_of_range",
    "invalid_nhs_number",
    "death_before_birth",
    "notified_before_death",
    "invalid_id",
    "invalid_enum",
    "invalid_responsible_body",
    "wrong_schema",
]

_CORRUPTIONS: Final[Mapping[CorruptionKind, _Corruption]] = {
    "missing_key": _remove_required,
    "unknown_key": _add_unknown_key,
    "wrong_type": _wrong_type,
    "impossible_date": _impossible_date,
    "loose_date": _loose_date,
    "date_out_of_range": _date_out_of_range,
    "invalid_nhs_number": _bad_nhs_number,
    "death_before_birth": _death_before_birth,
    "notified_before_death": _notified_before_death,
    "invalid_id": _bad_id,
    "invalid_enum": _bad_enum,
    "invalid_responsible_body": _bad_responsible_body,
    "wrong_schema": _bad_schema,
}

#: Every kind of corruption, in the order of docs/notification-format.md.
CORRUPTION_KINDS: Final[tuple[CorruptionKind, ...]] = get_args(CorruptionKind)


@st.composite
def _corrupted(
    draw: st.DrawFn,
    documents: st.SearchStrategy[dict[str, Any]],
    corruptions: st.SearchStrategy[_Corruption],
) -> tuple[dict[str, Any], str]:
    document = copy.deepcopy(draw(documents))
    corruption = draw(corruptions)
    path = corruption(draw, document)
    return document, path


def corrupted_notification_documents(
    documents: st.SearchStrategy[dict[str, Any]] | None = None,
    *,
    kinds: Iterable[CorruptionKind] | None = None,
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """Pairs ``(document, path)``: a valid document with exactly one thing wrong, and the
    JSONPath at which :func:`~leder_core.load_notification` must report it.

    The corruptions (docs/notification-format.md): a required key missing; an unknown key at the
    top level or in ``person`` (``$.person.foo``, or ``$['nhs number']`` for a key that is not
    a plain name); a wrong type (a string for a boolean, a number for a string, an object for
    a date, a list for an enumeration, ``null`` where the default is not ``null`` ...); an
    impossible date (``2023-02-29``); a loosely written date (``2024-3-05``, ``20240305``,
    ``2024-03-05T00:00``, ``2024-W10-2``); a date outside 1880-01-01 … 2199-12-31; an invalid
    NHS number (:func:`invalid_nhs_numbers`); a death before the birth
    (``$.person.date_of_death``); a notification before the death (``$.notified_on``); an
    ``id`` that is empty, longer than 64 characters or holds a control character; a value
    outside an enumeration; a malformed ``responsible_body``; a wrong ``schema``.

    Each corruption leaves every other fact valid and consistent, so the loader should report
    exactly one problem, at ``path``. ``documents`` (default :func:`notification_documents`)
    must give valid documents; they are copied, never changed. ``kinds`` (default: all of
    :data:`CORRUPTION_KINDS`) limits the corruptions to those named, such as
    ``kinds=["death_before_birth", "notified_before_death"]``.
    """
    chosen = tuple(CORRUPTION_KINDS if kinds is None else kinds)
    unknown = sorted(set(chosen) - set(CORRUPTION_KINDS))
    if unknown or not chosen:
        raise ValueError(f"kinds must be some of: {', '.join(CORRUPTION_KINDS)}")
    return _corrupted(
        documents if documents is not None else notification_documents(),
        st.sampled_from([_CORRUPTIONS[kind] for kind in chosen]),
    )


# --- interpretations ----------------------------------------------------------------------


def _timeliness_shares() -> st.SearchStrategy[float]:
    """INT-TIMELINESS shares 0 < p <= 1, the ends and the usual targets often."""
    return st.one_of(
        st.sampled_from([1.0, 0.8, 0.5, 0.35, 5e-324]),
        st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False),
    )


def interpretations() -> st.SearchStrategy[Interpretation]:
    """:class:`~leder_core.Interpretation` objects covering every ``INT-*`` choice of
    docs/rules.md#interpretations, with due-soon windows of 0–366 days, annual report deadlines
    of 1–24 months and timeliness standards of every review or a share 0 < p <= 1."""
    return st.builds(
        Interpretation,
        autism_start_key=st.sampled_from(AutismStartKey),
        autism_focused=st.sampled_from(AutismFocused),
        minority_ethnic=st.sampled_from(MinorityEthnic),
        residence=st.sampled_from(Residence),
        leap_day=st.sampled_from(LeapDay),
        clock=st.sampled_from(Clock),
        due_soon_days=st.integers(0, 366),
        annual_report_months=st.integers(1, 24),
        timeliness=st.one_of(st.just(Timeliness.EVERY_REVIEW), _timeliness_shares()),
        event_order=st.sampled_from(EventOrder),
    )


def interpretation_documents() -> st.SearchStrategy[dict[str, Any]]:
    """``leder.interpretation/1`` documents (docs/schemas.md): any subset of the keys, each
    with an allowed wire value."""
    return st.fixed_dictionaries(
        {},
        optional={
            "autism_start_key": st.sampled_from([member.value for member in AutismStartKey]),
            "autism_focused": st.sampled_from([member.value for member in AutismFocused]),
            "minority_ethnic": st.sampled_from([member.value for member in MinorityEthnic]),
            "residence": st.sampled_from([member.value for member in Residence]),
            "leap_day": st.sampled_from([member.value for member in LeapDay]),
            "clock": st.sampled_from([member.value for member in Clock]),
            "due_soon_days": st.integers(0, 366),
            "annual_report_months": st.integers(1, 24),
            "timeliness": st.one_of(st.just(Timeliness.EVERY_REVIEW.value), _timeliness_shares()),
            "event_order": st.sampled_from([member.value for member in EventOrder]),
        },
    )


# --- whole reviews ------------------------------------------------------------------------
#
# A review is drawn as a walk through the workflow: from a notification that opens it in the
# chosen way, each step is an event the review accepts there (``next_events``). A walk that
# picks among the enabled events at random mostly ends closed (a ``closed`` event is enabled in
# every open state); ``reviews(reaching=...)`` instead steers: at each step it takes either the
# event that moves the review on towards the chosen state, or (a bounded number of times) an
# event that keeps it where it is (contacts, holds placed and lifted, a family's request).

#: The notification facts that lead to each opening outcome (then checked by assessment).
_ADULT_WITH_LD: Final[dict[str, Any]] = {
    "learning_disability": True,
    "age_at_death": st.integers(18, 95),
    "lived_in_england": True,
    "died_in_england": True,
    "national_data_opt_out": False,
    "programme_era": False,
}


def _documents_opening(outcome: Outcome) -> st.SearchStrategy[dict[str, Any]]:
    era = plausible_dates(date(2022, 1, 1), date(2029, 12, 31), edges=False)
    if outcome is Outcome.LEDER_REVIEW:
        return notification_documents(**_ADULT_WITH_LD, gp_registered=True, notified_on=era)
    if outcome is Outcome.REGIONAL_DECISION:
        return notification_documents(**_ADULT_WITH_LD, gp_registered=False, notified_on=era)
    if outcome is Outcome.NO_REVIEW_OPT_OUT:
        pinned = {**_ADULT_WITH_LD, "national_data_opt_out": True}
        return notification_documents(**pinned, notified_on=era)
    if outcome is Outcome.CHILD_DEATH_REVIEW:
        return notification_documents(
            learning_disability=True,
            age_at_death=st.integers(4, 17),
            lived_in_england=True,
            died_in_england=True,
            notified_on=era,
            programme_era=False,
        )
    return notification_documents(learning_disability=False, autism="none", notified_on=era)


#: The longest gap, in days, between one drawn event and the next.
_MAX_GAP: Final = 45


def _dates_from(first: date) -> st.SearchStrategy[date]:
    last = min(LATEST_DATE, first + timedelta(days=_MAX_GAP))
    return st.dates(first, last)


def _next_day(review: Review) -> date:
    history = review.history
    return history[-1].event.on if history else review.notification.notified_on


def _sign_off(review: Review, on: date) -> st.SearchStrategy[SignedOff]:
    actions = st.lists(
        st.builds(
            Action,
            description=st.sampled_from(["Share the learning", "Review the care plan"]),
            owner=st.sampled_from(["ICB quality lead", "Practice manager"]),
            due_on=st.dates(on, min(LATEST_DATE, on + timedelta(days=365))),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple)
    reasoned = st.builds(
        SignedOff,
        on=st.just(on),
        by=st.just(SignOffBy.GOVERNANCE_GROUP),
        no_actions_reason=st.just("No learning requiring action"),
    )
    with_actions = st.builds(
        SignedOff, on=st.just(on), by=st.just(SignOffBy.GOVERNANCE_GROUP), actions=actions
    )
    if review.review_level is ReviewLevel.INITIAL:
        return st.one_of(
            with_actions,
            reasoned,
            st.builds(SignedOff, on=st.just(on), by=st.sampled_from(SignOffBy)),
        )
    return st.one_of(with_actions, reasoned)


def _events_of(review: Review, kind: EventType, on: date) -> st.SearchStrategy[Event]:
    """Events of one enabled type that ``review`` accepts on ``on``."""
    day = st.just(on)
    if kind is EventType.REGIONAL_DECISION:
        return st.builds(RegionalDecision, on=day, proceed=st.booleans())
    if kind is EventType.ALLOCATED:
        reviewers = st.sampled_from(["R-1", "R-17", "REV-204", "LAC-9"])
        return st.builds(Allocated, on=day, reviewer=reviewers)
    if kind is EventType.CONTACT_RECORDED:
        return st.builds(ContactRecorded, on=day, contact=st.sampled_from(ContactKind))
    if kind is EventType.FAMILY_NOT_INVOLVED:
        reasons = st.sampled_from(FamilyNotInvolvedReason)
        return st.builds(FamilyNotInvolved, on=day, reason=reasons)
    if kind is EventType.INITIAL_REVIEW_COMPLETED:
        flags = st.booleans()
        return st.builds(InitialReviewCompleted, on=day, concerns=flags, further_learning=flags)
    if kind is EventType.FOCUSED_REVIEW_REQUESTED:
        return st.builds(FocusedReviewRequested, on=day)
    if kind is EventType.FOCUSED_REVIEW_COMPLETED:
        return st.builds(FocusedReviewCompleted, on=day)
    if kind is EventType.HOLD_PLACED:
        held = set(review.open_holds)
        free = [process for process in HoldReason if process not in held]
        return st.builds(HoldPlaced, on=day, process=st.sampled_from(free))
    if kind is EventType.HOLD_LIFTED:
        return st.builds(HoldLifted, on=day, process=st.sampled_from(review.open_holds))
    if kind is EventType.SIGNED_OFF:
        return _sign_off(review, on)
    return st.builds(Closed, on=day, reason=st.sampled_from(ClosureReason))


def next_events(review: Review, *, on: date | None = None) -> st.SearchStrategy[Event]:
    """Event models that :func:`~leder_core.apply` accepts next on ``review``: every enabled
    event type (``enabled_events``), with fields that pass its guards (an independent
    reviewer, a sign-off by the right people with actions or a reason, a hold of a process not
    held, a lift of one that is).

    Each is dated ``on``, or, without it, on a day from the review's last event (or its
    notification) to 45 days after. A completed or closed review has no next event: the
    strategy is then empty (``hypothesis.errors.Unsatisfiable`` if drawn from alone)."""
    kinds = enabled_events(review)
    if not kinds:
        return st.nothing()
    days = st.just(on) if on is not None else _dates_from(_next_day(review))

    @st.composite
    def draw_event(draw: st.DrawFn) -> Event:
        day = draw(days)
        kind = draw(st.sampled_from(kinds))
        return draw(_events_of(review, kind, day))

    return draw_event()


_STATES: Final = tuple(ReviewState)
_RANK: Final = {
    ReviewState.AWAITING_REGIONAL_DECISION: 0,
    ReviewState.AWAITING_ALLOCATION: 1,
    ReviewState.INITIAL_REVIEW: 2,
    ReviewState.FOCUSED_REVIEW: 3,
    ReviewState.AWAITING_SIGN_OFF: 4,
    ReviewState.COMPLETED: 5,
}
_MINIMUM_CONTACTS: Final = (
    (ContactKind.FAMILY, ContactKind.CLOSE_PERSON),
    (ContactKind.GP, ContactKind.GP_RECORDS),
    (ContactKind.OTHER_PROFESSIONAL,),
)


def _missing_contact(review: Review) -> st.SearchStrategy[ContactKind] | None:
    for kinds in _MINIMUM_CONTACTS:
        if not any(kind in review.contacts for kind in kinds):
            if kinds[0] is ContactKind.FAMILY and review.family_not_involved:
                continue
            return st.sampled_from(kinds)
    return None


def _onward(review: Review, target: ReviewState, on: date) -> st.SearchStrategy[Event]:
    """The event that moves ``review`` on towards ``target`` (an open or completed state)."""
    state = review.state
    if review.open_holds and state in (
        ReviewState.INITIAL_REVIEW,
        ReviewState.FOCUSED_REVIEW,
        ReviewState.AWAITING_SIGN_OFF,
    ):
        return st.builds(HoldLifted, on=st.just(on), process=st.sampled_from(review.open_holds))
    if state is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.just(RegionalDecision(on=on, proceed=True))
    if state is ReviewState.AWAITING_ALLOCATION:
        return _events_of(review, EventType.ALLOCATED, on)
    if state is ReviewState.INITIAL_REVIEW:
        missing = _missing_contact(review)
        if missing is not None:
            return st.builds(ContactRecorded, on=st.just(on), contact=missing)
        deeper = target is ReviewState.FOCUSED_REVIEW
        flags = st.just(True) if deeper else st.booleans()
        return st.builds(
            InitialReviewCompleted, on=st.just(on), concerns=flags, further_learning=st.booleans()
        )
    if state is ReviewState.FOCUSED_REVIEW:
        return st.just(FocusedReviewCompleted(on=on))
    return _sign_off(review, on)  # awaiting sign-off


def _aside(review: Review, on: date) -> st.SearchStrategy[Event] | None:
    """An event that keeps ``review`` in its state (a contact, a hold placed or lifted)."""
    state = review.state
    choices: list[st.SearchStrategy[Event]] = []
    if state in (ReviewState.INITIAL_REVIEW, ReviewState.FOCUSED_REVIEW):
        choices.append(_events_of(review, EventType.CONTACT_RECORDED, on))
        choices.append(_events_of(review, EventType.FAMILY_NOT_INVOLVED, on))
    if not state.terminal:
        if len(review.open_holds) < len(HoldReason):
            choices.append(_events_of(review, EventType.HOLD_PLACED, on))
        if review.open_holds:
            choices.append(_events_of(review, EventType.HOLD_LIFTED, on))
    return st.one_of(choices) if choices else None


def _opening_for(target: ReviewState) -> st.SearchStrategy[Outcome]:
    if target is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.just(Outcome.REGIONAL_DECISION)
    if target is ReviewState.CLOSED:
        return st.sampled_from(Outcome)
    return st.sampled_from([Outcome.LEDER_REVIEW, Outcome.LEDER_REVIEW, Outcome.REGIONAL_DECISION])


def _reachable_from(opening: Outcome) -> tuple[ReviewState, ...]:
    """The states a review opened with this outcome can end in."""
    if opening is Outcome.REGIONAL_DECISION:
        return _STATES
    if opening is Outcome.LEDER_REVIEW:
        return tuple(state for state in _STATES if state is not _STATES[0])
    return (ReviewState.CLOSED,)


def _close(review: Review, on: date) -> st.SearchStrategy[Event]:
    closing = st.builds(Closed, on=st.just(on), reason=st.sampled_from(ClosureReason))
    if review.state is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.one_of(closing, st.just(RegionalDecision(on=on, proceed=False)))
    return closing


@st.composite
def _reviews(
    draw: st.DrawFn,
    reaching: ReviewState | None,
    opening: Outcome | None,
    interpretation: Interpretation | None,
    asides: int,
) -> Review:
    if reaching is not None:
        target = reaching
    elif opening is not None:
        target = draw(st.sampled_from(_reachable_from(opening)))
    else:
        target = draw(st.sampled_from(_STATES))
    outcome = opening if opening is not None else draw(_opening_for(target))
    notification = draw(notifications(opening=outcome, interpretation=interpretation))
    review = open_review(notification, interpretation=interpretation)
    # Closed: some way along the workflow first, then closed (or closed at once on opening).
    stop_at = target
    if target is ReviewState.CLOSED and not review.state.terminal:
        reachable = [s for s in _RANK if _RANK[s] >= _RANK[review.state] and not s.terminal]
        stop_at = draw(st.sampled_from(reachable))
    budget = draw(st.integers(0, asides))
    while review.state is not stop_at and not review.state.terminal:
        on = draw(_dates_from(_next_day(review)))
        aside = _aside(review, on) if budget else None
        if aside is not None and draw(st.booleans()):
            budget -= 1
            event = draw(aside)
        else:
            event = draw(_onward(review, stop_at, on))
        review = _apply(review, event)
    if target is ReviewState.CLOSED and not review.state.terminal:
        review = _apply(review, draw(_close(review, draw(_dates_from(_next_day(review))))))
    elif not review.state.terminal:
        for _ in range(draw(st.integers(0, budget))):  # a few more that keep it there
            aside = _aside(review, draw(_dates_from(_next_day(review))))
            if aside is None:
                break
            review = _apply(review, draw(aside))
    return review


def reviews(
    *,
    reaching: ReviewState | str | None = None,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
    asides: int = 6,
) -> st.SearchStrategy[Review]:
    """Whole :class:`~leder_core.models.review.Review` objects, built with
    :func:`~leder_core.apply` one accepted event at a time (every one valid as a document).

    ``reaching`` chooses the state the review ends in (any of ``ReviewState``:
    ``"completed"`` draws only completed reviews, each reached in a different way). Without
    it the state is drawn first, so a test sees completed, closed and every open state; the
    how-to on testing with strategies gives the share of each.

    ``opening`` pins the outcome that opened the review (``"leder_review"``,
    ``"regional_decision"``, or any other outcome, which closes it at once); by default it is
    drawn among those that can reach the state. ``interpretation`` is the review's own (it is
    opened with it, so ``dump`` records it). ``asides`` bounds the events that keep a review
    where it is (contacts, holds placed and lifted) besides those that move it on. Dates never
    go backwards, so a review is valid under either event order.
    """
    state = None if reaching is None else ReviewState(reaching)
    outcome = None if opening is None else Outcome(opening)
    if state is not None and outcome is not None and state not in _reachable_from(outcome):
        raise InvalidArgument(f"a review opened by {outcome.value!r} cannot reach {state.value!r}")
    if asides < 0:
        raise InvalidArgument("asides must be at least 0")
    return _reviews(state, outcome, interpretation, asides)


def review_documents(
    *,
    reaching: ReviewState | str | None = None,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
    asides: int = 6,
) -> st.SearchStrategy[dict[str, Any]]:
    """``leder.review/1`` documents of :func:`reviews` (same arguments): ``dump`` of each."""
    return reviews(
        reaching=reaching, opening=opening, interpretation=interpretation, asides=asides
    ).map(dump)
