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
import types
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from typing import Any, Final

import attrs

from leder_core.errors import InvalidInput
from leder_core.schema.walker import SchemaWalker

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
    walker = SchemaWalker(output=spec.direction is Direction.OUTPUT)
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
