"""The random draws the synthetic programme is made of: each takes the programme's seeded
:class:`random.Random` and draws from it in a fixed order, so that a seed gives one programme."""

from __future__ import annotations

import math
import operator
import random
from bisect import bisect
from datetime import date, timedelta
from typing import Any, Final, TypeVar

__all__ = ["between", "born_on", "log_normal_days", "nhs_number", "one_of", "pick"]

T = TypeVar("T")

_NHS_WEIGHTS: Final = (7, 6, 5, 4, 3, 2)


def nhs_number(rng: random.Random) -> str | None:
    """A valid NHS number from the synthetic test range, or ``None`` (about 8%)."""
    if rng.random() < 0.08:
        return None
    while True:
        digits = f"999{int(rng.random() * 1_000_000):06d}"
        # Modulus 11 with weights 10 down to 2; the leading 999 weighs 9 * (10 + 9 + 8).
        total = 243 + sum(map(operator.mul, map(int, digits[3:]), _NHS_WEIGHTS))
        check = (11 - total % 11) % 11
        if check == 10 or digits == "999999999":  # no valid check digit; all one digit
            continue
        number = digits + str(check)
        return number if rng.random() < 0.5 else f"{number[:3]} {number[3:6]} {number[6:]}"


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` inclusive: one draw, unlike ``randint``."""
    return low + int(rng.random() * (high - low + 1))


def one_of(rng: random.Random, values: tuple[T, ...]) -> T:
    """One of ``values``, each as likely."""
    return values[int(rng.random() * len(values))]


def pick(rng: random.Random, table: tuple[tuple[Any, ...], list[float]]) -> Any:
    """One value of a table made by :func:`~leder_core.sample.figures.cumulative`, by weight."""
    values, cumulative = table
    return values[min(bisect(cumulative, rng.random()), len(values) - 1)]


def log_normal_days(rng: random.Random, median: float, spread: float) -> int:
    """Whole days, at least 1, log-normally spread around ``median``."""
    return max(1, round(median * math.exp(spread * rng.gauss(0.0, 1.0))))


def born_on(died: int, age: int, rng: random.Random) -> int:
    """A date of birth at which a person dying on ``died`` is ``age`` (never 29 February)."""
    death = date.fromordinal(died)
    year = death.year - age
    anniversary = date(year, death.month, 28 if death.month == 2 and death.day == 29 else death.day)
    born = anniversary - timedelta(days=between(rng, 0, 364))
    if born.month == 2 and born.day == 29:
        born = born - timedelta(days=1)  # 28 February: the same age under either leap rule
    return born.toordinal()
