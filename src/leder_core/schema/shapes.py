"""The JSON Schemas of the shapes the converter checks with hooks of its own: dates, NHS
numbers, document ids and ODS codes, each read from its one definition in
:mod:`leder_core.models.identifiers` and :mod:`leder_core.models.nhs_number`.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Callable, Iterable
from typing import Any, Final

from leder_core.models.identifiers import (
    CONTROL_CHARACTERS,
    DOCUMENT_ID_MAX_LENGTH,
    EARLIEST_DATE,
    LATEST_DATE,
    ODS_CODE_PATTERN,
    DocumentId,
    OdsCode,
)
from leder_core.models.nhs_number import NHS_NUMBER_PATTERN

__all__ = [
    "FEATURE_NOTES",
    "NAMED_STRINGS",
    "date_schema",
    "nhs_number_schema",
    "year_alternation",
]

_NEWLINE: Final = {"pattern": "\\n"}


def _digits(values: Iterable[int]) -> str:
    """A character class of decimal digits: ``[0-9]``, ``[048]``, ``[2-5]``, or one digit."""
    chosen = sorted(set(values))
    if len(chosen) == 1:
        return str(chosen[0])
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"[{chosen[0]}-{chosen[-1]}]"
    return "[" + "".join(str(digit) for digit in chosen) + "]"


def year_alternation(years: Iterable[int]) -> str:
    """An alternation matching exactly these years written with four digits (``0001``–``9999``),
    grouped by century and decade."""
    by_century: dict[str, dict[int, set[int]]] = {}
    for year in years:
        if not 1 <= year <= 9999:
            raise ValueError("only years 1 to 9999")
        text = f"{year:04d}"
        by_century.setdefault(text[:2], {}).setdefault(int(text[2]), set()).add(int(text[3]))
    centuries: dict[str, list[str]] = {}
    for century, decades in sorted(by_century.items()):
        by_units: dict[str, list[int]] = {}
        for decade, units in sorted(decades.items()):
            by_units.setdefault(_digits(units), []).append(decade)
        body = "|".join(f"{_digits(dec)}{units}" for units, dec in by_units.items())
        centuries.setdefault(body if len(by_units) == 1 else f"(?:{body})", []).append(century)
    parts = []
    for body, numbers in centuries.items():
        by_tens: dict[str, list[int]] = {}
        for number in numbers:
            by_tens.setdefault(number[0], []).append(int(number[1]))
        by_unit_class: dict[str, list[int]] = {}
        for tens, century_units in by_tens.items():
            by_unit_class.setdefault(_digits(century_units), []).append(int(tens))
        prefixes = [f"{_digits(tens_digits)}{cls}" for cls, tens_digits in by_unit_class.items()]
        prefix = prefixes[0] if len(prefixes) == 1 else f"(?:{'|'.join(prefixes)})"
        parts.append(prefix + body)
    return "|".join(parts)


def _date_pattern(first: int, last: int) -> str:
    """A pattern matching exactly the real calendar dates of the years ``first`` to ``last``."""
    years = range(first, last + 1)
    leap = [year for year in years if isleap(year)]
    month_day = (
        "(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        "|02-(?:0[1-9]|1[0-9]|2[0-8])"
    )
    leap_day = f"|(?:{year_alternation(leap)})-02-29" if leap else ""
    return f"^(?:(?:{year_alternation(years)})-(?:{month_day}){leap_day})$"


def date_schema(output: bool) -> dict[str, Any]:
    """Input dates lie within the range every document may hold; output dates computed from
    them (a due date, a due date moved by holds) may lie beyond it, up to 9999-12-31."""
    whole_years = (EARLIEST_DATE.month, EARLIEST_DATE.day, LATEST_DATE.month, LATEST_DATE.day)
    if output:
        pattern = _date_pattern(1, 9999)
        description = "A real calendar date written YYYY-MM-DD."
    elif whole_years == (1, 1, 12, 31):
        pattern = _date_pattern(EARLIEST_DATE.year, LATEST_DATE.year)
        description = (
            f"A real calendar date written YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} "
            f"to {LATEST_DATE.isoformat()} inclusive."
        )
    else:  # a range of part years: the loader checks the ends
        pattern = _date_pattern(EARLIEST_DATE.year, LATEST_DATE.year)
        description = (
            f"A real calendar date written YYYY-MM-DD, from {EARLIEST_DATE.isoformat()} "
            f"to {LATEST_DATE.isoformat()} inclusive (the loader checks the first and last "
            "days; this schema only their years)."
        )
    return {
        "title": "Date",
        "description": description,
        "type": "string",
        "format": "date",
        # A fixed length also keeps Python's ``$`` from admitting a final newline.
        "minLength": 10,
        "maxLength": 10,
        "pattern": pattern,
    }


def _same_digit_numbers(spaced: bool) -> list[str]:
    numbers = []
    for digit in "0123456789":
        numbers.append(digit * 10)
        if spaced:
            numbers.append(f"{digit * 3} {digit * 3} {digit * 4}")
    return numbers


def nhs_number_schema(output: bool) -> dict[str, Any]:
    if output:
        return {
            "title": "NhsNumber",
            "description": "An NHS number as 10 digits, never all one digit. "
            "It also passes the modulus 11 check, which this schema cannot express.",
            "type": "string",
            "minLength": 10,
            "maxLength": 10,
            "pattern": "^[0-9]{10}$",
            "not": {"enum": _same_digit_numbers(spaced=False)},
        }
    return {
        "title": "NhsNumber",
        "description": "An NHS number: 10 digits, or 3-3-4 digits separated by single spaces, "
        "never all one digit. It must also pass the modulus 11 check, which this schema "
        "cannot express.",
        "type": "string",
        "pattern": f"^(?:{NHS_NUMBER_PATTERN})$",
        "not": {"anyOf": [dict(_NEWLINE), {"enum": _same_digit_numbers(spaced=True)}]},
    }


def _document_id_schema() -> dict[str, Any]:
    return {
        "title": "DocumentId",
        "description": "An identifier chosen by the caller: 1 to 64 characters, no control "
        "characters.",
        "type": "string",
        "minLength": 1,
        "maxLength": DOCUMENT_ID_MAX_LENGTH,
        "not": {"pattern": CONTROL_CHARACTERS},
    }


def _ods_code_schema() -> dict[str, Any]:
    return {
        "title": "OdsCode",
        "description": "An ODS organisation code (CCG, ICS or ICB): 3 to 10 upper-case letters "
        "and digits.",
        "type": "string",
        "pattern": f"^{ODS_CODE_PATTERN}$",
        "not": dict(_NEWLINE),
    }


#: Annotated string types the converter checks with a hook of its own: name, schema, and a
#: feature whose note the document's description then carries.
NAMED_STRINGS: Final[tuple[tuple[object, str, Callable[[], dict[str, Any]], str | None], ...]] = (
    (DocumentId, "DocumentId", _document_id_schema, None),
    (OdsCode, "OdsCode", _ods_code_schema, None),
)

FEATURE_NOTES: Final = {
    "nhs_number": "Every NHS number passes the modulus 11 check.",
    "integer": "Whole numbers are written without a fraction (`28`, not `28.0`, which the "
    "JSON Schema `integer` type allows).",
}
