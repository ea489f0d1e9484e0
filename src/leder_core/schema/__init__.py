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
from functools import cache
from typing import Any

import attrs

from leder_core.errors import InvalidInput
from leder_core.schema.documents import (
    DIALECT,
    SCHEMA_BASE,
    SCHEMA_NAMES,
    Direction,
    DocumentSpec,
    schema_id,
)
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
