"""The NHS number as a value object that cannot leak into a log by accident."""

from __future__ import annotations

import re
from operator import mul
from typing import Final

import attrs

__all__ = [
    "NHS_NUMBER_PATTERN",
    "NhsNumber",
    "valid_digits_of",
]

#: An NHS number as a person may write it, as a regular expression without anchors: 10 digits,
#: or 3-3-4 digits separated by single spaces (the modulus 11 check is made apart).
NHS_NUMBER_PATTERN: Final = "[0-9]{10}|[0-9]{3} [0-9]{3} [0-9]{4}"
_SHAPE: Final = re.compile(rf"\A(?:{NHS_NUMBER_PATTERN})\Z", re.ASCII)
_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
MASK: Final = "*** *** ****"


def check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of nine digits, or ``None`` when no valid one exists.

    NHS Data Dictionary, NHS NUMBER: weight the digits 10 down to 2, take the sum modulo 11
    and subtract from 11; 11 becomes 0 and 10 means the number can never be valid.
    """
    total: int = sum(map(mul, map(int, first_nine), _WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def problem_with(text: str) -> str | None:
    """Why ``text`` is not a valid NHS number, or ``None`` when it is. Never echoes the value."""
    if not _SHAPE.match(text):
        return "not a valid NHS number: expected 10 digits, optionally spaced 3-3-4"
    return _digits_problem(text.replace(" ", ""))


def _digits_problem(digits: str) -> str | None:
    """Why ten ASCII digits are not a valid NHS number, or ``None`` when they are."""
    if digits == digits[0] * 10:
        return "not a valid NHS number: all ten digits are the same"
    # check_digit written out on the digits' character codes (each 48 more than its digit,
    # and the weights sum to 54): every document with a number comes through here.
    codes = digits.encode("ascii")
    total = (
        10 * codes[0]
        + 9 * codes[1]
        + 8 * codes[2]
        + 7 * codes[3]
        + 6 * codes[4]
        + 5 * codes[5]
        + 4 * codes[6]
        + 3 * codes[7]
        + 2 * codes[8]
        - 54 * 48
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check != codes[9] - 48:  # 10, no valid check digit, never matches a digit
        return "not a valid NHS number: the modulus 11 check digit does not match"
    return None


def valid_digits_of(text: str) -> str | None:
    """The ten digits of ``text`` when it is a valid NHS number (``problem_with`` finds no
    problem), else ``None``: the same checks without a regular expression, for loading."""
    if len(text) == 12 and text[3] == " " and text[7] == " ":
        digits = text.replace(" ", "")  # ten characters left only if those were the spaces
    elif len(text) == 10:
        digits = text
    else:
        return None
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return None
    return None if _digits_problem(digits) is not None else digits


def _valid_digits(instance: NhsNumber, attribute: attrs.Attribute[str], value: str) -> None:
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        raise ValueError("not a valid NHS number: expected exactly 10 digits")
    message = _digits_problem(value)
    if message is not None:
        raise ValueError(message)


@attrs.frozen(repr=False)
class NhsNumber:
    """A valid NHS number: 10 digits that pass the modulus 11 check, not all one digit.

    Its ``repr`` and ``str`` are masked, so a number can never reach a log line, an error
    message or a traceback by accident. Use :attr:`digits` or :meth:`formatted` on purpose.

    >>> number = NhsNumber.parse("943 476 5919")
    >>> number
    NhsNumber(*** *** ****)
    >>> number.formatted()
    '943 476 5919'
    """

    digits: str = attrs.field(validator=_valid_digits)

    @classmethod
    def parse(cls, text: str) -> NhsNumber:
        """Read ``"9434765919"`` or ``"943 476 5919"``; raise :class:`ValueError` otherwise."""
        if not isinstance(text, str) or not _SHAPE.match(text):
            raise ValueError("not a valid NHS number: expected 10 digits, optionally spaced 3-3-4")
        return cls(text.replace(" ", ""))  # the field validator does the remaining checks

    def formatted(self) -> str:
        """The number spaced 3-3-4 for display to a person who needs it."""
        return f"{self.digits[:3]} {self.digits[3:6]} {self.digits[6:]}"

    def __repr__(self) -> str:
        return f"NhsNumber({MASK})"

    def __str__(self) -> str:
        return MASK
