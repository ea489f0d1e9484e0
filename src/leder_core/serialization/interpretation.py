"""Interpretation choices read from documents and from text (``--set KEY=VALUE``, a query)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from leder_core.errors import InvalidInput
from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation
from leder_core.serialization.primitives import key_path, wire_name

__all__ = ["coerce_interpretation", "interpretation_from_text", "load_interpretation"]

_INTERPRETATION_KEYS: Final = tuple(field.name for field in attrs.fields(Interpretation))


def load_interpretation(data: object) -> Interpretation:
    """An :class:`~leder_core.Interpretation` from a mapping of its document's keys."""
    if isinstance(data, Interpretation):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput([("$", "expected an object of interpretation choices")])
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _INTERPRETATION_KEYS:
            problems.append((key_path("$", key), "unknown interpretation"))
            continue
        try:
            Interpretation(**{key: value})
        except InvalidInput as error:
            problems.extend(error.problems)
        else:
            values[key] = value
    if problems:
        raise InvalidInput(problems)
    return Interpretation(**values)


def coerce_interpretation(value: Interpretation | Mapping[str, Any] | None) -> Interpretation:
    """The interpretation a caller meant: an object, a mapping of choices, or the defaults."""
    if value is None:
        return DEFAULT_INTERPRETATION
    return load_interpretation(value)


#: The interpretation's choices that are whole numbers (the others are names or, for
#: INT-TIMELINESS, a name or a share), read from the model's own fields.
_WHOLE_NUMBER_CHOICES: Final = frozenset(
    wire_name(field.name) for field in attrs.fields(Interpretation) if field.type in (int, "int")
)


def interpretation_from_text(
    settings: Iterable[tuple[str, str]], where: Callable[[str], str]
) -> Interpretation:
    """The interpretation of choices given as text (``--set KEY=VALUE``, a query string):
    a whole number where the choice is one, a name, or a share written as a number
    (INT-TIMELINESS). Every bad choice is reported, at ``where(key)`` (``--set clock``,
    ``query.clock``), with the message :func:`coerce_interpretation` gives.
    """
    problems: list[tuple[str, str]] = []
    choices: dict[str, object] = {}
    for key, text in settings:
        value: object = text.strip()
        if key in _WHOLE_NUMBER_CHOICES:
            try:
                value = int(text)
            except ValueError:
                problems.append((where(key), "expected a whole number"))
                continue
        refused = _choice_problems(key, value)
        if refused:
            share = _finite_number(text)  # a choice that is a number (a share) comes as text
            if share is None or _choice_problems(key, share):
                problems += [(where(key), message) for message in refused]
                continue
            value = share
        choices[key] = value
    if problems:
        raise InvalidInput(problems)
    return coerce_interpretation(choices)


def _choice_problems(key: str, value: object) -> list[str]:
    try:
        coerce_interpretation({key: value})
    except InvalidInput as error:
        return [problem.message for problem in error.problems]
    return []


def _finite_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
