"""JSON Schemas (draft 2020-12) of every document, generated from the models when asked for.

:func:`json_schema` walks the attrs classes of a document with ``attrs.fields`` and
``typing.get_type_hints``, following the same rules as the converter of
``leder_core.serialization``, so the schema cannot drift from what :func:`~leder_core.dump`
writes and the loaders accept. Nothing here reads or writes files; the command line prints
``json_schema(name)`` (``leder schema NAME``).

Two kinds of document, two kinds of schema:

*input* documents (``notification``, ``review``, ``governance``, ``fhir-request``,
    ``interpretation``)
    are what the loaders accept: keys with a default may be left out (the schema gives the
    default), ``"schema"`` is an optional constant, NHS numbers may be spaced 3-3-4.
*output* documents (``assessment``, ``review-result``, ``indicators``, ``governance-report``,
    ``fhir-extract``)
    are what :func:`~leder_core.dump` writes: every key is always present (except the optional
    extensions marked ``OMIT_IF_NONE``), ``"schema"`` is a required constant, NHS numbers are 10
    digits. What ``dump`` writes for an input document (a notification, a review) is valid
    against its input schema.

Every object refuses unknown keys (``additionalProperties: false``). Each schema's ``$id`` is
``https://leder-core.invalid/schemas/<document>.json`` where ``<document>`` is the document
name with ``/`` written ``-`` (``leder.notification-1.json``): a stable name, not an address;
the ``.invalid`` domain (RFC 2606) can never resolve, so nothing implies network access.

Regular expressions are ECMA-262 as JSON Schema prescribes, use only features every common
engine has (no look-around, no back-references, no ``\\d``), and are exact under Python's
``re`` too: its ``$`` also matches before a final newline, so strings that can never contain
a newline also say so (``"not": {"pattern": "\\n"}``) or have a fixed length.

Dates are real calendar dates (the pattern knows month lengths and leap years): from
1880-01-01 to 2199-12-31 in input documents, and any date up to 9999-12-31 in output documents,
whose computed dates (a due date) may fall after the last date an input may hold.

What a schema cannot express (an NHS number's modulus 11 check, a death before a birth, ...) is
listed in the ``description`` of the document; the loader still checks it.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import re
import types
from calendar import isleap
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from enum import Enum, StrEnum
from functools import cache, partial
from typing import Annotated, Any, Final, Union, get_args, get_origin, get_type_hints

import attrs

from leder_core.errors import InvalidInput
from leder_core.models.identifiers import (
    CONTROL_CHARACTERS,
    DOCUMENT_ID_MAX_LENGTH,
    EARLIEST_DATE,
    LATEST_DATE,
    ODS_CODE_PATTERN,
    DocumentId,
    OdsCode,
)
from leder_core.models.nhs_number import NHS_NUMBER_PATTERN, NhsNumber
from leder_core.models.wire import NOT_ON_WIRE, OMIT_IF_ASSUMED, OMIT_IF_DEFAULT, OMIT_IF_NONE
from leder_core.serialization import (
    make_converter,
    registered_documents,
    wire_name,
)

__all__ = [
    "DIALECT",
    "SCHEMA_BASE",
    "SCHEMA_NAMES",
    "Direction",
    "DocumentSpec",
    "SchemaUnavailable",
    "available_schema_names",
    "json_schema",
    "schema_id",
    "schema_name",
]

#: The JSON Schema dialect of every schema.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
#: The prefix of every schema's ``$id`` (a name, never fetched: ``.invalid`` does not resolve).
SCHEMA_BASE: Final = "https://leder-core.invalid/schemas/"


class Direction(StrEnum):
    """Whether a document comes in (loaded, keys with defaults optional) or goes out (dumped,
    every key present)."""

    INPUT = "input"
    OUTPUT = "output"


@attrs.frozen(kw_only=True)
class DocumentSpec:
    """Where the class of a document lives and how its schema is made."""

    document: str
    """The document name written in its ``"schema"`` key: ``leder.notification/1``."""
    module: str
    """The module defining the class; imported only when the schema is asked for."""
    class_name: str
    direction: Direction
    schema_key: bool = True
    """Whether the document carries (input: may carry) a ``"schema"`` key."""
    schema_required: bool = False
    """Whether an input document must carry its ``"schema"`` key (it tells the document apart
    from another accepted in the same place)."""
    notes: tuple[str, ...] = ()
    """Rules of the document that the loader checks and a schema cannot express."""

    @property
    def id(self) -> str:
        """The schema's ``$id``."""
        return schema_id(self.document)


def schema_id(document: str) -> str:
    """The ``$id`` of a document's schema: ``leder.notification/1`` →
    ``https://leder-core.invalid/schemas/leder.notification-1.json``."""
    return f"{SCHEMA_BASE}{document.replace('/', '-')}.json"


_NOTIFICATION_NOTES: Final = (
    "`person.date_of_death` is not before `person.date_of_birth`.",
    "`notified_on` is not before `person.date_of_death`.",
)

#: The names ``leder schema NAME`` takes (docs/cli.md), and the document each one is.
SCHEMA_NAMES: Final[Mapping[str, DocumentSpec]] = types.MappingProxyType(
    {
        "notification": DocumentSpec(
            document="leder.notification/1",
            module="leder_core.models.notification",
            class_name="Notification",
            direction=Direction.INPUT,
            notes=_NOTIFICATION_NOTES,
        ),
        "assessment": DocumentSpec(
            document="leder.assessment/1",
            module="leder_core.models.assessment",
            class_name="Assessment",
            direction=Direction.OUTPUT,
        ),
        "review": DocumentSpec(
            document="leder.review/1",
            module="leder_core.models.review",
            class_name="ReviewDocument",
            direction=Direction.INPUT,
            notes=(
                "`notification.person.date_of_death` is not before "
                "`notification.person.date_of_birth`.",
                "`notification.notified_on` is not before `notification.person.date_of_death`.",
                "Events are replayed in order: an event the workflow does not allow is refused "
                "when the review is replayed (`refused` of the review result), not here.",
                "`events` is the log, in the order the events were recorded; under "
                "`interpretation.event_order` `dated` each is placed by its date when replayed.",
                "`interpretation`, when present, is the interpretation the review was opened "
                "under: an interpretation given when loading must not differ from it.",
            ),
        ),
        "review-result": DocumentSpec(
            document="leder.review-result/1",
            module="leder_core.models.review",
            class_name="ReviewResult",
            direction=Direction.OUTPUT,
        ),
        "indicators": DocumentSpec(
            document="leder.indicators/1",
            module="leder_core.models.indicators",
            class_name="Indicators",
            direction=Direction.OUTPUT,
        ),
        "governance": DocumentSpec(
            document="leder.governance/1",
            module="leder_core.models.governance",
            class_name="Arrangements",
            direction=Direction.INPUT,
            notes=(
                "`annual_reports[].year` is a financial year `YYYY/YY` whose second part is the "
                "year after the first, from 1880/81 to 2198/99.",
                "`action_plan.to` is not before `action_plan.from`.",
            ),
        ),
        "governance-report": DocumentSpec(
            document="leder.governance-report/1",
            module="leder_core.models.governance",
            class_name="ComplianceReport",
            direction=Direction.OUTPUT,
        ),
        "body": DocumentSpec(
            document="leder.body/1",
            module="leder_core.models.bodies",
            class_name="BodyOnDate",
            direction=Direction.OUTPUT,
        ),
        "rules": DocumentSpec(
            document="leder.rules/1",
            module="leder_core.models.catalogue",
            class_name="RuleCatalogue",
            direction=Direction.OUTPUT,
        ),
        "fhir-extract": DocumentSpec(
            document="leder.fhir-extract/1",
            module="leder_core.models.fhir",
            class_name="FhirExtract",
            direction=Direction.OUTPUT,
            notes=(
                "`facts` has one fact for every notification field, in the order of the "
                "notification document.",
                "`rule` and `path` are null for `supplied` and `default` facts.",
            ),
        ),
        "fhir-request": DocumentSpec(
            document="leder.fhir-request/1",
            module="leder_core.models.fhir",
            class_name="FhirRequest",
            direction=Direction.INPUT,
            schema_required=True,
            notes=(
                "`fhir` is read as `leder fhir` reads a FHIR record; `supplied` is checked as "
                "the notification fields it gives.",
            ),
        ),
        "interpretation": DocumentSpec(
            document="leder.interpretation/1",
            module="leder_core.interpretation",
            class_name="Interpretation",
            direction=Direction.INPUT,
            schema_key=False,
        ),
    }
)


class SchemaUnavailable(InvalidInput):
    """A schema name of the contract whose document this version of ``leder_core`` lacks."""

    def __init__(self, name: str, module: str) -> None:
        super().__init__(
            [("$", f"schema {name!r} is not available in this version: no module {module}")]
        )
        self.name = name
        self.module = module


def schema_name(name: str) -> str:
    """The short name of a document called either way: ``leder.notification/1`` (the name it
    carries in its ``"schema"`` key) or ``notification`` both give ``notification``; any other
    name is returned as it is.

    >>> schema_name("leder.review-result/1")
    'review-result'
    """
    if name in SCHEMA_NAMES:
        return name
    for short, spec in SCHEMA_NAMES.items():
        if spec.document == name:
            return short
    return name


def _spec(name: str) -> DocumentSpec:
    spec = SCHEMA_NAMES.get(schema_name(name))
    if spec is None:
        raise InvalidInput(
            [("$", f"unknown schema name; expected one of: {', '.join(SCHEMA_NAMES)}")]
        )
    return spec


def _document_class(name: str) -> type[Any]:
    """The class of the document called ``name`` (a key of :data:`SCHEMA_NAMES`).

    Raises :class:`~leder_core.InvalidInput` for an unknown name and :class:`SchemaUnavailable`
    when the module of the document does not exist in this version.
    """
    spec = _spec(name)
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as error:
        if error.name is not None and spec.module.startswith(error.name):
            raise SchemaUnavailable(name, spec.module) from None
        raise
    kind = getattr(module, spec.class_name)
    if not (isinstance(kind, type) and attrs.has(kind)):
        raise TypeError(f"{spec.module}.{spec.class_name} is not an attrs class")
    return kind


def available_schema_names() -> tuple[str, ...]:
    """The names of :data:`SCHEMA_NAMES` whose documents exist in this version."""
    available = []
    for name in SCHEMA_NAMES:
        try:
            _document_class(name)
        except SchemaUnavailable:
            continue
        available.append(name)
    return tuple(available)


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document called ``name``, as a fresh dict.

    ``name`` is one of ``leder schema``'s names: ``notification``, ``assessment``, ``review``,
    ``review-result``, ``indicators``, ``governance``, ``governance-report``,
    ``fhir-extract``, ``fhir-request``, ``body``, ``interpretation``, or the document's own name
    (``leder.notification/1``). An unknown name raises :class:`~leder_core.InvalidInput`.

    >>> schema = json_schema("notification")
    >>> schema["$id"]
    'https://leder-core.invalid/schemas/leder.notification-1.json'
    >>> schema["required"]
    ['id', 'notified_on', 'notifier_role', 'person']
    >>> schema["$defs"]["Person"]["properties"]["autism"]
    {'$ref': '#/$defs/AutismStatus'}
    """
    spec = _spec(name)
    return copy.deepcopy(_built(schema_name(name), spec))


@cache
def _built(name: str, spec: DocumentSpec) -> dict[str, Any]:
    kind = _document_class(name)
    walker = _Walker(output=spec.direction is Direction.OUTPUT)
    root = walker.object_schema(kind, document=spec.document if spec.schema_key else None)
    if spec.schema_required:
        root["required"] = ["schema", *root["required"]]
    notes = [*spec.notes, *walker.notes()]
    description = root.pop("description", None) or ""
    if notes:
        checked = "\n".join(f"- {note}" for note in notes)
        description += (
            "\n\n" if description else ""
        ) + f"The loader also checks, and this schema cannot express:\n{checked}"
    schema: dict[str, Any] = {"$schema": DIALECT, "$id": spec.id, "title": root.pop("title")}
    if description:
        schema["description"] = description
    schema.update(root)
    schema["$defs"] = dict(sorted(walker.defs.items()))
    return schema


# --- text from the code -------------------------------------------------------------------

_ROLE: Final = re.compile(r":[a-z]+(?::[a-z]+)?:`(~?)([^`<]+?)(?:\s*<([^>]+)>)?`")


def _plain(text: str) -> str:
    """reStructuredText roles and literals as Markdown code spans."""

    def role(match: re.Match[str]) -> str:
        shown = match.group(2).strip()
        if match.group(3) is None and match.group(1):
            shown = shown.rsplit(".", 1)[-1]
        return f"`{shown}`"

    return _ROLE.sub(role, text).replace("``", "`")


def _first_paragraph(kind: type[Any]) -> str | None:
    """The first paragraph of a class's own docstring, on one line."""
    doc = kind.__dict__.get("__doc__")
    if not isinstance(doc, str) or not doc.strip():
        return None
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    return _plain(" ".join(paragraph.split()))


def _field_description(field: attrs.Attribute[Any]) -> str | None:
    """``metadata={"doc": ...}``, or an interpretation's id and question; nothing invented."""
    doc = field.metadata.get("doc")
    if isinstance(doc, str):
        return _plain(" ".join(doc.split()))
    rule, question = field.metadata.get("id"), field.metadata.get("question")
    if isinstance(rule, str) and isinstance(question, str):
        return f"{rule}: {question}"
    return None


# --- shapes the converter checks ----------------------------------------------------------

_NEWLINE: Final = {"pattern": "\\n"}


def _digits(values: Iterable[int]) -> str:
    """A character class of decimal digits: ``[0-9]``, ``[048]``, ``[2-5]``, or one digit."""
    chosen = sorted(set(values))
    if len(chosen) == 1:
        return str(chosen[0])
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"[{chosen[0]}-{chosen[-1]}]"
    return "[" + "".join(str(digit) for digit in chosen) + "]"


def _years(years: Iterable[int]) -> str:
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
    leap_day = f"|(?:{_years(leap)})-02-29" if leap else ""
    return f"^(?:(?:{_years(years)})-(?:{month_day}){leap_day})$"


def _date_schema(output: bool) -> dict[str, Any]:
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


def _nhs_number_schema(output: bool) -> dict[str, Any]:
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
_NAMED_STRINGS: Final[tuple[tuple[object, str, Callable[[], dict[str, Any]], str | None], ...]] = (
    (DocumentId, "DocumentId", _document_id_schema, None),
    (OdsCode, "OdsCode", _ods_code_schema, None),
)

_FEATURE_NOTES: Final = {
    "nhs_number": "Every NHS number passes the modulus 11 check.",
    "integer": "Whole numbers are written without a fraction (`28`, not `28.0`, which the "
    "JSON Schema `integer` type allows).",
}


# --- the walker ---------------------------------------------------------------------------


def _tag(kind: object) -> Enum | None:
    """The ``type`` class variable of a tagged-union member (a workflow event), if any."""
    if not (isinstance(kind, type) and attrs.has(kind)):
        return None
    if "type" in attrs.fields_dict(kind):
        return None
    tag = getattr(kind, "type", None)
    return tag if isinstance(tag, Enum) else None


def _without_none(kind: Any) -> Any:
    """``X | None`` as ``X`` (any other type as it is)."""
    if get_origin(kind) is Union or get_origin(kind) is types.UnionType:
        present = tuple(member for member in get_args(kind) if member is not type(None))
        if len(present) == 1:
            return present[0]
        return Union[present]  # noqa: UP007 - built from a tuple of types
    return kind


def _least_accepted(converter: Callable[[Any], Any]) -> int | None:
    """The least whole number a field converter accepts, if the accepted numbers are exactly
    those from some least one upwards; ``None`` otherwise."""

    def accepts(value: int) -> bool:
        try:
            converter(value)
        except (ValueError, TypeError):
            return False
        return True

    low, high = -(2**63), 2**63
    if accepts(low) or not accepts(high):
        return None
    while high - low > 1:  # invariant: low refused, high accepted
        middle = (low + high) // 2
        if accepts(middle):
            high = middle
        else:
            low = middle
    if all(accepts(high + step) for step in (1, 2, 10, 1_000, 10**9)):
        return high
    return None


class _Walker:
    """Builds the schema of one document: every class and enumeration once, in ``$defs``."""

    def __init__(self, *, output: bool) -> None:
        self.output = output
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[object, str] = {}
        self._features: set[str] = set()
        self._unstructure = make_converter(detailed_validation=False).unstructure

    def notes(self) -> list[str]:
        return [text for feature, text in _FEATURE_NOTES.items() if feature in self._features]

    # definitions

    def _define(
        self, key: object, name: str, build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        existing = self._names.get(key)
        if existing is None:
            existing = name
            module = getattr(key, "__module__", "")
            if existing in self.defs:
                existing = f"{module.rsplit('.', 1)[-1]}.{name}"
            counter = 2
            while existing in self.defs:
                existing, counter = f"{name}{counter}", counter + 1
            self._names[key] = existing
            self.defs[existing] = {}  # reserved while building: recursion ends in a $ref
            self.defs[existing] = build()
        return {"$ref": f"#/$defs/{existing}"}

    # types

    def schema(self, kind: Any) -> dict[str, Any]:
        """The schema of a type hint (a fresh dict the caller may add keywords to)."""
        origin = get_origin(kind)
        if origin is Annotated:
            return self._annotated(kind)
        if origin is Union or origin is types.UnionType:
            return self._union(kind)
        if origin is tuple:
            return self._tuple(kind)
        if origin in (frozenset, set, AbstractSet):
            (item,) = get_args(kind)
            schema: dict[str, Any] = {"type": "array", "items": self.schema(item)}
            if self.output:  # the loader accepts repeats and drops them
                schema["uniqueItems"] = True
            return schema
        if origin in (dict, Mapping):
            return self._mapping(kind)
        if kind is type(None):
            return {"type": "null"}
        if kind is Any:  # any JSON value (the FHIR record of a request)
            return {}
        if kind is NhsNumber:
            if not self.output:
                self._features.add("nhs_number")
            return self._define(NhsNumber, "NhsNumber", lambda: _nhs_number_schema(self.output))
        if kind is date:
            return self._define(date, "Date", lambda: _date_schema(self.output))
        if isinstance(kind, type) and issubclass(kind, Enum):
            return self._define(kind, kind.__name__, lambda: self._enum(kind))
        if kind is bool:
            return {"type": "boolean"}
        if kind is int:
            if not self.output:
                self._features.add("integer")
            return {"type": "integer"}
        if kind is float:
            return {"type": "number"}
        if kind is str:
            return {"type": "string"}
        if isinstance(kind, type) and attrs.has(kind):
            return self._define(kind, kind.__name__, lambda: self.object_schema(kind))
        if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
            return self._define(kind, kind.__name__, lambda: self._named_tuple(kind))
        raise TypeError(
            f"leder_core.schema cannot describe {kind!r}: teach it the type "
            "(and the converter's rule for it) in leder_core/schema.py"
        )

    def _annotated(self, kind: Any) -> dict[str, Any]:
        for alias, name, build, feature in _NAMED_STRINGS:
            if kind == alias:
                if feature is not None and not self.output:
                    self._features.add(feature)
                return self._define(alias, name, build)
        raise TypeError(
            f"leder_core.schema does not know the shape of {kind!r}: add it to _NAMED_STRINGS "
            "with the pattern the converter checks"
        )

    def _union(self, kind: Any) -> dict[str, Any]:
        members = get_args(kind)
        present = [member for member in members if member is not type(None)]
        nullable = len(present) < len(members)
        tags = [_tag(member) for member in present]
        choices: list[dict[str, Any]]
        if len(present) > 1 and all(tag is not None for tag in tags):
            # A tagged union on "type" (the workflow events): exactly one branch matches.
            choices = [
                {
                    "oneOf": [
                        self._define(member, member.__name__, partial(self._tagged, member))
                        for member in present
                    ]
                }
            ]
        else:
            choices = [self.schema(member) for member in present]
        if nullable:
            return {"anyOf": [*choices, {"type": "null"}]}
        if len(choices) == 1:
            return choices[0]
        return {"anyOf": choices}

    def _named_tuple(self, kind: type[Any]) -> dict[str, Any]:
        """A named tuple, written as an object of its fields (every one present)."""
        hints = get_type_hints(kind)
        schema: dict[str, Any] = {"title": kind.__name__}
        description = _first_paragraph(kind)
        if description:
            schema["description"] = description
        schema["type"] = "object"
        schema["properties"] = {name: self.schema(hints[name]) for name in kind._fields}
        schema["required"] = list(kind._fields)
        schema["additionalProperties"] = False
        return schema

    def _tagged(self, kind: type[Any]) -> dict[str, Any]:
        tag = _tag(kind)
        assert tag is not None  # noqa: S101 - only tagged classes come here
        return self.object_schema(kind, tag=tag.value)

    def _tuple(self, kind: Any) -> dict[str, Any]:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.schema(args[0])}
        raise TypeError(f"leder_core.schema describes only tuple[X, ...], not {kind!r}")

    def _mapping(self, kind: Any) -> dict[str, Any]:
        key, value = get_args(kind)
        schema: dict[str, Any] = {"type": "object"}
        if key is not str:
            schema["propertyNames"] = self.schema(key)
        schema["additionalProperties"] = self.schema(value)
        return schema

    def _enum(self, kind: type[Enum]) -> dict[str, Any]:
        values = [member.value for member in kind]
        schema: dict[str, Any] = {"title": kind.__name__}
        description = _first_paragraph(kind)
        if description:
            schema["description"] = description
        if all(isinstance(value, str) for value in values):
            schema["type"] = "string"
        elif all(isinstance(value, int) and not isinstance(value, bool) for value in values):
            schema["type"] = "integer"
        schema["enum"] = values
        return schema

    # objects

    def object_schema(
        self, kind: type[Any], *, tag: str | None = None, document: str | None = None
    ) -> dict[str, Any]:
        """An attrs class as an object: its fields by wire name, unknown keys refused.

        ``tag``: the ``type`` constant of a tagged-union member, written first. ``document``:
        the ``"schema"`` constant of a top-level document, written first (required in output).
        """
        hints = get_type_hints(kind, include_extras=True)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if document is None:
            # A document nested in another (a review's notification) may name its schema too;
            # in an output document (an extract's notification) it always does.
            document = registered_documents().get(kind)
        if document is not None:
            properties["schema"] = {"const": document}
            if self.output:
                required.append("schema")
        if tag is not None:
            properties["type"] = {"const": tag}
            required.append("type")
        for field in attrs.fields(kind):
            if (not field.init and not self.output) or field.metadata.get(NOT_ON_WIRE):
                continue
            key = wire_name(field.name)
            kind_of_field = hints[field.name]
            omitted = bool(
                field.metadata.get(OMIT_IF_NONE)
                or field.metadata.get(OMIT_IF_DEFAULT)
                or field.metadata.get(OMIT_IF_ASSUMED)
            )
            if omitted and self.output:  # left out when None, so never written as null
                kind_of_field = _without_none(kind_of_field)
            prop = self.schema(kind_of_field)
            self._refine(prop, field, kind_of_field)
            has_default = field.default is not attrs.NOTHING
            if not self.output and has_default:
                prop["default"] = self._default(field)
            if (self.output and not omitted) or (not self.output and not has_default):
                required.append(key)
            properties[key] = prop
        schema: dict[str, Any] = {"title": kind.__name__}
        description = _first_paragraph(kind)
        if description:
            schema["description"] = description
        schema["type"] = "object"
        schema["properties"] = properties
        schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def _refine(self, prop: dict[str, Any], field: attrs.Attribute[Any], kind: Any) -> None:
        description = _field_description(field)
        if description:
            prop["description"] = description
        number = field.metadata.get("number")
        if isinstance(number, Mapping):  # the bounds a converter checks on a number branch
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "number":
                    branch.update(number)
        converter: Any = field.converter
        if kind is int and callable(converter) and not isinstance(converter, attrs.Converter):
            minimum = _least_accepted(converter)
            if minimum is not None:
                prop["minimum"] = minimum

    def _default(self, field: attrs.Attribute[Any]) -> Any:
        default: Any = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                raise TypeError(f"{field.name}: a default that takes self has no schema")
            default = default.factory()
        return self._unstructure(default)
