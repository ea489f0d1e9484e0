"""Notification documents with exactly one thing wrong, each with the JSON path the loader must
name: a missing or unknown key, a wrong type, an impossible, loose or out-of-range date, a bad
NHS number, dates out of order, a bad id, enumeration value, responsible body or schema.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final, Literal, TypeAlias, get_args

from hypothesis import strategies as st

from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE, ODS_CODE_SHAPE
from leder_core.testing.base import json_values
from leder_core.testing.documents import (
    AUTISM_VALUES,
    DATE_FIELDS,
    DETENTION_VALUES,
    ETHNICITY_VALUES,
    NOTIFIER_ROLES,
    PERSON_BOOLEANS,
    PERSON_KEYS,
    PERSON_REQUIRED,
    PROCESS_VALUES,
    TOP_KEYS,
    TOP_REQUIRED,
    notification_documents,
)
from leder_core.testing.identifiers import invalid_nhs_numbers, ods_codes

__all__ = [
    "CORRUPTION_KINDS",
    "CorruptionKind",
    "corrupted_notification_documents",
]

_SIMPLE_KEY: Final = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")


_Corruption = Callable[[st.DrawFn, dict[str, Any]], str]


def _member_path(parent: str, key: str) -> str:
    if _SIMPLE_KEY.match(key):
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def _remove_required(draw: st.DrawFn, document: dict[str, Any]) -> str:
    key = draw(st.sampled_from(TOP_REQUIRED + PERSON_REQUIRED))
    if key in TOP_REQUIRED:
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
    known = PERSON_KEYS if in_person else (*TOP_KEYS, "schema")
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
    field = draw(st.sampled_from((*TOP_KEYS, "schema", *PERSON_KEYS)))
    # null is a wrong type everywhere except where the default is null.
    nullable = field in ("nhs_number", "ethnicity", "responsible_body")
    if field in ("notified_on", "date_of_birth", "date_of_death"):
        candidates = _NOT_DATES
    elif field in PERSON_BOOLEANS:
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
    if field in PERSON_KEYS:
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
    field, path = draw(st.sampled_from(DATE_FIELDS))
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
        document[field] = draw(_near_misses(NOTIFIER_ROLES))
        return "$.notifier_role"
    if field == "other_processes":
        processes = list(document.get("other_processes", []))
        index = draw(st.integers(0, len(processes)))
        bad: Any = draw(st.one_of(_near_misses(PROCESS_VALUES), st.sampled_from(_NOT_OBJECTS[:-1])))
        processes.insert(index, bad)
        document[field] = processes
        return f"$.other_processes[{index}]"
    values = {
        "autism": AUTISM_VALUES,
        "ethnicity": ETHNICITY_VALUES,
        "detention": DETENTION_VALUES,
    }[field]
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


# The name of one way :func:`corrupted_notification_documents` can spoil a document.
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

# Every kind of corruption, in the order of docs/notification-format.md.
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
