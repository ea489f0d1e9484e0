"""Age at death (AGE-AT-DEATH)."""

from __future__ import annotations

from calendar import isleap
from datetime import date
from functools import lru_cache
from typing import Final

from leder_core.interpretation import LeapDay
from leder_core.models.explanation import Reason
from leder_core.rules.registry import Confidence, define_rule

__all__ = ["AGE_AT_DEATH", "age_at_death", "age_reason"]

AGE_AT_DEATH: Final = define_rule(
    "AGE-AT-DEATH",
    title="Age at death in completed years",
    text="Age is the number of completed years on the date of death: a person attains an age "
    "at the start of the anniversary of their birth. A person born on 29 February attains a new "
    "age on 1 March in a common year (INT-LEAP-DAY).",
    section="§3",
    sources=("family-law-reform-act-1969-s9",),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-LEAP-DAY",),
)


def age_at_death(born: date, died: date, leap_day: LeapDay = LeapDay.MARCH_1) -> int:
    """AGE-AT-DEATH: completed years on the date of death.

    >>> age_at_death(date(2004, 2, 29), date(2022, 2, 28))
    17
    >>> age_at_death(date(2004, 2, 29), date(2022, 3, 1))
    18
    >>> age_at_death(date(2004, 2, 29), date(2022, 2, 28), LeapDay.FEBRUARY_28)
    18
    """
    years = died.year - born.year
    # Comparing (month, day) puts a 29 February birthday after 28 February, so in a common
    # year the anniversary is reached on 1 March: the default convention.
    if (died.month, died.day) < (born.month, born.day):
        years -= 1
        if (
            leap_day is LeapDay.FEBRUARY_28
            and born.month == 2
            and born.day == 29
            and died.month == 2
            and died.day == 28
            and not isleap(died.year)
        ):
            years += 1
    return years


@lru_cache(maxsize=1024)
def age_reason(age: int, leap_day_birth: bool, leap_day: LeapDay) -> Reason:
    """The AGE-AT-DEATH reason for an age."""
    text = f"Age at death: {age} completed years."
    if leap_day_birth:
        day = "1 March" if leap_day is LeapDay.MARCH_1 else "28 February"
        text += f" Born on 29 February: in a common year the birthday is taken as {day}."
    return AGE_AT_DEATH.reason(True, text)
