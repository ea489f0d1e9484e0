"""The values every part of serialization shares: a refused value, wire names, dates and
JSON paths.

:class:`InvalidValue` is what a structure hook raises; :func:`problems_of` turns the
converter's errors into ``(path, message)`` problems, placed by :func:`key_path`. Messages
never quote a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Final, TypeVar

from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from leder_core.errors import InvalidInput
from leder_core.models.identifiers import CONTROL_CHARACTERS, EARLIEST_DATE, LATEST_DATE

__all__ = [
    "CONTROL",
    "InvalidValue",
    "Remembered",
    "as_of_date",
    "key_path",
    "new_day",
    "parse_computed_date",
    "parse_date",
    "parse_date_text",
    "problems_of",
    "wire_name",
]

_DATE_SHAPE: Final = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_SIMPLE_KEY: Final = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
#: Control characters (Unicode category Cc).
CONTROL: Final = re.compile(CONTROL_CHARACTERS)

_K = TypeVar("_K")
_V = TypeVar("_V")


class InvalidValue(ValueError):
    """A value refused by a structure hook; ``message`` never quotes the value.

    ``subpath`` (such as ``.type``) places the problem below the value being structured.
    """

    def __init__(self, message: str, subpath: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.subpath = subpath


def wire_name(attribute_name: str) -> str:
    """The JSON key of a Python field: ``from_`` is written ``from``."""
    return attribute_name.rstrip("_")


def parse_date(value: object) -> date:
    """A strict ``YYYY-MM-DD`` date within 1880-01-01 … 2199-12-31."""
    if type(value) is not str:
        if isinstance(value, str):  # a str subclass: judge its plain text
            return parse_date_text(str(value))
        raise InvalidValue("expected a date as a YYYY-MM-DD string")
    return parse_date_text(value)


def _calendar_date(value: str) -> date:
    """The real calendar date ``value`` writes as ``YYYY-MM-DD``, of any year."""
    if not _DATE_SHAPE.match(value):
        raise InvalidValue("not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue("not a real calendar date") from None


def new_day(value: str) -> date:
    """The date ``value`` writes, checked; :class:`InvalidValue` when it is not one."""
    parsed = _calendar_date(value)
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise InvalidValue("date outside 1880-01-01 … 2199-12-31")
    return parsed


def parse_computed_date(value: object) -> date:
    """A strict ``YYYY-MM-DD`` date of any year a date may have: a date the rules computed
    (:data:`~leder_core.models.wire.COMPUTED_DATE`), read back from an output document."""
    if type(value) is not str:
        if isinstance(value, str):  # a str subclass: judge its plain text
            return parse_computed_date(str(value))
        raise InvalidValue("expected a date as a YYYY-MM-DD string")
    return _calendar_date(value)


class Remembered(dict[_K, _V]):
    """Values made once per key and remembered: a key seen before is found by the dict's own
    lookup, with no Python call; a new one is made by ``__missing__``. A key whose making
    raises is never kept. Emptied when full, so it never grows without bound."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[_K], _V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: _K) -> _V:
        value = self._make(key)
        if len(self) >= REMEMBERED_LIMIT:
            self.clear()
        self[key] = value
        return value


#: How many values a :class:`Remembered` keeps before it starts afresh.
REMEMBERED_LIMIT = 1 << 16

#: The date a ``YYYY-MM-DD`` text writes (:class:`InvalidValue` when it is not one); anything
#: but text raises TypeError. Documents repeat the same few thousand days over and over, so
#: each is parsed once.
parse_date_text: Final[Callable[[str], date]] = Remembered(new_day).__getitem__


def as_of_date(value: object) -> date:
    """An as-of date argument, or :class:`InvalidInput` at ``$.as_of``.

    A ``datetime`` is refused too: it is a ``date`` to ``isinstance``, but comparing one with
    a date raises ``TypeError``.
    """
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput([("$.as_of", "expected a date (not a datetime)")])
    return value


def key_path(path: str, key: object) -> str:
    """The JSON path of member ``key`` of the value at ``path``: ``$.person``, ``$.events[2]``,
    or a quoted name (``$['two words']``) for a key that is not a plain name."""
    if isinstance(key, str) and _SIMPLE_KEY.match(key):
        return f"{path}.{key}"
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}[{_quoted(str(key))}]"


_PATH_ESCAPES: Final = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quoted(key: str) -> str:
    """A key as a JSONPath string (RFC 9535 normalized paths): no raw control character, so
    a problem always fits on one line."""
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    escaped = CONTROL.sub(
        lambda match: _PATH_ESCAPES.get(match.group(), f"\\u{ord(match.group()):04x}"), escaped
    )
    return f"'{escaped}'"


def problems_of(error: BaseException, path: str = "$") -> Iterator[tuple[str, str]]:
    """Walk a cattrs structuring error and yield ``(path, message)`` for each leaf problem."""
    if isinstance(error, IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            yield from problems_of(inner, f"{path}[{note.index}]")
        for inner in without:
            yield from problems_of(inner, path)
    elif isinstance(error, ClassValidationError):
        attribute_notes, unplaced = error.group_exceptions()
        for inner, attribute_note in attribute_notes:
            yield from problems_of(inner, key_path(path, wire_name(attribute_note.name)))
        for inner in unplaced:
            yield from problems_of(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields, key=str):
            yield (key_path(path, key), "unknown key")
    elif isinstance(error, InvalidValue):
        yield (path + error.subpath, error.message)
    elif isinstance(error, InvalidInput):
        for problem in error.problems:
            yield (path + problem.path[1:], problem.message)
    elif isinstance(error, KeyError):
        yield (path, "required key missing")
    else:
        yield (path, "invalid value")
