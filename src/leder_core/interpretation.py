"""Interpretation: the rulebook's named choices where the public policy is silent or split.

Each field is one ``INT-*`` choice (docs/rules.md#interpretations), with a default; a caller
may override any of them, and every output records the interpretation it was computed under.

>>> Interpretation().clock
<Clock.EXCUSE: 'excuse'>
>>> Interpretation(clock="stop", due_soon_days=14).due_soon_days
14
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, Final, TypeVar

import attrs

from leder_core.errors import InvalidInput

__all__ = [
    "DEFAULT_INTERPRETATION",
    "AutismFocused",
    "AutismStartKey",
    "Clock",
    "EventOrder",
    "Interpretation",
    "LeapDay",
    "MinorityEthnic",
    "Residence",
    "Timeliness",
]


class AutismStartKey(StrEnum):
    """INT-AUTISM-START-KEY: which date must fall on or after the autism start date."""

    DATE_OF_DEATH = "date_of_death"
    NOTIFIED_ON = "notified_on"


class AutismFocused(StrEnum):
    """INT-AUTISM-FOCUSED: when autistic adults without a learning disability get a mandatory
    focused review."""

    UNTIL_2023 = "until_2023"
    ALWAYS = "always"
    NEVER = "never"


class MinorityEthnic(StrEnum):
    """INT-MINORITY-ETHNIC: which ETHNIC CATEGORY codes count as a minority ethnic background."""

    EXCLUDING_WHITE_MINORITIES = "excluding_white_minorities"
    ALL_EXCEPT_WHITE_BRITISH = "all_except_white_british"


class Residence(StrEnum):
    """INT-RESIDENCE: which link to England brings a death into scope."""

    LIVED_IN_ENGLAND = "lived_in_england"
    DIED_IN_ENGLAND = "died_in_england"
    EITHER = "either"


class LeapDay(StrEnum):
    """INT-LEAP-DAY: the birthday, in a common year, of a person born on 29 February."""

    MARCH_1 = "march_1"
    FEBRUARY_28 = "february_28"


class Clock(StrEnum):
    """INT-CLOCK: what a hold does to the six-month due date."""

    EXCUSE = "excuse"
    STOP = "stop"


class Timeliness(StrEnum):
    """INT-TIMELINESS: the standard GOV-TIMELINESS judges against, when it is not a share."""

    EVERY_REVIEW = "every_review"
    """Every review due is completed within six months, or its lateness is excused."""


class EventOrder(StrEnum):
    """INT-EVENT-ORDER: where an event dated before the review's last event goes."""

    RECORDED = "recorded"
    DATED = "dated"


_E = TypeVar("_E", bound=StrEnum)


def _choice(kind: type[_E], key: str, value: object) -> _E:
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in kind)
    raise InvalidInput([(f"$.{key}", f"expected one of: {allowed}")])


def _whole_number(key: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput([(f"$.{key}", f"expected a whole number of at least {minimum}")])
    if value < minimum:
        raise InvalidInput([(f"$.{key}", f"expected a whole number of at least {minimum}")])
    return value


def _autism_start_key(value: AutismStartKey | str) -> AutismStartKey:
    return _choice(AutismStartKey, "autism_start_key", value)


def _autism_focused(value: AutismFocused | str) -> AutismFocused:
    return _choice(AutismFocused, "autism_focused", value)


def _minority_ethnic(value: MinorityEthnic | str) -> MinorityEthnic:
    return _choice(MinorityEthnic, "minority_ethnic", value)


def _residence(value: Residence | str) -> Residence:
    return _choice(Residence, "residence", value)


def _leap_day(value: LeapDay | str) -> LeapDay:
    return _choice(LeapDay, "leap_day", value)


def _clock(value: Clock | str) -> Clock:
    return _choice(Clock, "clock", value)


def _event_order(value: EventOrder | str) -> EventOrder:
    return _choice(EventOrder, "event_order", value)


def _due_soon_days(value: int) -> int:
    return _whole_number("due_soon_days", value, 0)


def _annual_report_months(value: int) -> int:
    return _whole_number("annual_report_months", value, 1)


_SHARE_EXPECTED = "expected every_review or a number greater than 0 and at most 1"


def _timeliness(value: object) -> Timeliness | float:
    if isinstance(value, Timeliness):
        return value
    if isinstance(value, str):
        if value == Timeliness.EVERY_REVIEW.value:
            return Timeliness.EVERY_REVIEW
        raise InvalidInput([("$.timeliness", _SHARE_EXPECTED)])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput([("$.timeliness", _SHARE_EXPECTED)])
    share = float(value)
    if not math.isfinite(share) or not 0 < share <= 1:
        raise InvalidInput([("$.timeliness", _SHARE_EXPECTED)])
    return share


def _about(rule: str, question: str, why: str, confidence: str = "I") -> dict[str, Any]:
    return {"id": rule, "question": question, "why": why, "confidence": confidence}


@attrs.frozen(kw_only=True)
class Interpretation:
    """The ``INT-*`` choices a computation is made under (docs/rules.md#interpretations).

    Values may be given as their enumerations or as the strings of the wire format; a value
    that is not allowed raises :class:`~leder_core.InvalidInput` at ``$.<field>``.
    """

    autism_start_key: AutismStartKey = attrs.field(
        default=AutismStartKey.DATE_OF_DEATH,
        converter=_autism_start_key,
        metadata=_about(
            "INT-AUTISM-START-KEY",
            "Which date must be on or after 1 January 2022 for an autistic adult without a "
            "learning disability to be in scope?",
            "Sources give June 2021, late 2021 and 1 January 2022 for the start; the programme "
            "reports deaths by year of death and 2022 is the first year reported, so the date "
            "of death is the default key.",
        ),
    )
    autism_focused: AutismFocused = attrs.field(
        default=AutismFocused.UNTIL_2023,
        converter=_autism_focused,
        metadata=_about(
            "INT-AUTISM-FOCUSED",
            "Does an autistic adult without a learning disability get a mandatory focused "
            "review, and until when?",
            "The policy launch promised a focused review for every such death 'in the years "
            "2021-2023'; nothing public says what happened after, so the default ends it on "
            "31 December 2023 (by notification date).",
            "S",
        ),
    )
    minority_ethnic: MinorityEthnic = attrs.field(
        default=MinorityEthnic.EXCLUDING_WHITE_MINORITIES,
        converter=_minority_ethnic,
        metadata=_about(
            "INT-MINORITY-ETHNIC",
            "Which ethnic categories count as a 'Black, Asian or minority ethnic background' "
            "for the mandatory focused review?",
            "The policy's wording names Black, Asian and minority ethnic people; whether White "
            "Irish (B) and any other White background (C) count is not settled, so the default "
            "takes the mixed, Asian, Black, Chinese and other categories (D to S).",
        ),
    )
    residence: Residence = attrs.field(
        default=Residence.LIVED_IN_ENGLAND,
        converter=_residence,
        metadata=_about(
            "INT-RESIDENCE",
            "Which link to England brings a death into scope: where the person lived, where "
            "they died, or either?",
            "NHS England's own wording ties eligibility to a person who 'lives in England'; the "
            "annual reports speak of people who died in England. Residence is the default.",
        ),
    )
    leap_day: LeapDay = attrs.field(
        default=LeapDay.MARCH_1,
        converter=_leap_day,
        metadata=_about(
            "INT-LEAP-DAY",
            "In a common year, on which day does a person born on 29 February attain a new age?",
            "The Family Law Reform Act 1969 s9 has a person attain an age at the start of the "
            "anniversary of their birth; in a common year there is none, and the default "
            "follows the usual English reading that the anniversary falls on 1 March.",
        ),
    )
    clock: Clock = attrs.field(
        default=Clock.EXCUSE,
        converter=_clock,
        metadata=_about(
            "INT-CLOCK",
            "Does a hold for another process (or a family's request) stop the six-month clock, "
            "or only excuse a late review?",
            "No public source says the clock stops; NHS England reports completion within six "
            "months of notification and accepts holds as reasons for exceeding it, so the "
            "default keeps the due date fixed and excuses the lateness.",
        ),
    )
    due_soon_days: int = attrs.field(
        default=28,
        converter=_due_soon_days,
        metadata=_about(
            "INT-DUE-SOON",
            "How many days before its due date is a review reported as due soon?",
            "A local management choice with no national rule; four weeks is the default.",
        ),
    )
    annual_report_months: int = attrs.field(
        default=6,
        converter=_annual_report_months,
        metadata=_about(
            "INT-ANNUAL-REPORT",
            "How many months after the end of a financial year must the annual LeDeR report be "
            "published?",
            "ICBs must publish an annual report but no deadline is published; six months after "
            "the year ends (30 September) is the default.",
        ),
    )
    timeliness: Timeliness | float = attrs.field(
        default=Timeliness.EVERY_REVIEW,
        converter=_timeliness,
        metadata={
            **_about(
                "INT-TIMELINESS",
                "Against which standard is GOV-TIMELINESS judged: every review due completed "
                "within six months (or excused), or a share of them?",
                "Six months is the programme's standard for every review, so every_review is "
                "the default; the measure NHS England publishes is a share (35% completed "
                "within six months at the end of July 2025), so a share p (0 < p <= 1) judges "
                "a body met when at least that share of its due reviews was completed on time "
                "or excused.",
            ),
            "number": {"exclusiveMinimum": 0, "maximum": 1},
        },
    )
    event_order: EventOrder = attrs.field(
        default=EventOrder.RECORDED,
        converter=_event_order,
        metadata=_about(
            "INT-EVENT-ORDER",
            "Where does an event dated before the review's last event go: is it refused, or "
            "placed by its date?",
            "Case systems record events after the fact and several people record on one "
            "review; the first releases kept a strict append-only order, which stays the "
            "default (FLOW-DATES refuses a back-dated event); `dated` places it by its date "
            "and checks the events after it again (FLOW-LATE-ENTRY).",
        ),
    )


#: The rulebook's default choices, for a caller who gives none.
DEFAULT_INTERPRETATION: Final = Interpretation()
