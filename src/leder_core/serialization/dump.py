"""Models and results out as documents: :func:`dump` and :func:`dump_json`.

The general way is the converter's. The documents written in bulk (an assessment per
notification) also have a direct way, generated from their attrs fields when this module is
imported: one function building the document in a single dict display and one writing its
compact JSON text piece by piece, each field written by the rule for its declared type. A
class whose fields include a type without such a rule is dumped the general way only, so a
field added to a model reaches both ways without another edit; equal documents and texts are
checked by tests/property/test_dump_properties.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import Enum
from operator import methodcaller
from typing import Any, Final, get_args, get_type_hints

import attrs

from leder_core.generated import compiled
from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Assessment
from leder_core.models.explanation import Reason
from leder_core.models.wire import NOT_ON_WIRE, OMIT_IF_ASSUMED, OMIT_IF_DEFAULT, OMIT_IF_NONE
from leder_core.serialization.converter import (
    fast_converter,
    is_homogeneous_tuple,
    optional_inner,
)
from leder_core.serialization.primitives import Remembered, wire_name
from leder_core.serialization.registry import SCHEMAS
from leder_core.serialization.shared import (
    INTERPRETATIONS,
    compact,
    reasons_document,
    reasons_text,
    remembered,
)

__all__ = ["DIRECT_DUMP_KINDS", "dump", "dump_json", "install_direct_dumps"]

#: The documents written in bulk, given a direct way out when their fields allow one.
DIRECT_DUMP_KINDS: Final = (Assessment,)
#: The direct document and the direct JSON text of each class that has them.
DIRECT_DUMPS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {}
DIRECT_TEXTS: dict[type[Any], Callable[[Any], str]] = {}


def dump(obj: object) -> dict[str, Any]:
    """Any model or result to its JSON-compatible document (docs/schemas.md).

    Top-level documents carry their ``"schema"`` name first. Every call returns a new document:
    no dict or list in it is shared with any other document ``dump`` returned or will return.
    """
    direct = DIRECT_DUMPS.get(type(obj))
    if direct is not None:
        return direct(obj)
    unstructured = fast_converter().unstructure(obj)
    if not isinstance(unstructured, dict):
        raise TypeError(f"{type(obj).__name__} is not a document")
    schema = SCHEMAS.get(type(obj))
    if schema is None:
        return unstructured
    return {"schema": schema, **unstructured}


def dump_json(obj: object) -> str:
    """The document of ``obj`` as compact JSON text: exactly
    ``json.dumps(dump(obj), ensure_ascii=False, separators=(",", ":"))``, one line.

    Faster for an assessment: it is written out piece by piece, and the text of each shared
    reason and interpretation is written once and reused (text is immutable, so nothing is
    shared that a caller could change).
    """
    direct = DIRECT_TEXTS.get(type(obj))
    if direct is not None:
        return direct(obj)
    text: str = compact(dump(obj))
    return text


# --- the pieces the direct ways are written with ------------------------------------------

#: A date written out: a few thousand days recur in every file, each written once.
iso_day: Final[Callable[[date], str]] = Remembered(methodcaller("isoformat")).__getitem__
#: A string as JSON text, exactly as ``compact`` writes it (``ensure_ascii=False``).
json_string: Final[Callable[[str], str]] = json.encoder.encode_basestring


def _quoted_day(day: date) -> str:
    return f'"{day.isoformat()}"'


#: A date as JSON text, written once per day.
day_json: Final[Callable[[date], str]] = Remembered(_quoted_day).__getitem__
_INTERPRETATION_TEXTS: dict[int, tuple[Interpretation, str]] = {}


def interpretation_document(interpretation: Interpretation) -> dict[str, Any]:
    """An interpretation's document, a fresh copy of the one remembered for it."""
    entry = INTERPRETATIONS.get(id(interpretation))
    if entry is None or entry[0] is not interpretation:
        template = fast_converter().unstructure(interpretation)
        return template  # type: ignore[no-any-return]  # the hook remembered it; fresh
    return entry[1].copy()


def interpretation_text(interpretation: Interpretation) -> str:
    """An interpretation's document as compact JSON text, written once per object."""
    entry = _INTERPRETATION_TEXTS.get(id(interpretation))
    if entry is None or entry[0] is not interpretation:
        text = compact(interpretation_document(interpretation))
        return remembered(_INTERPRETATION_TEXTS, interpretation, text)  # type: ignore[no-any-return]
    return entry[1]


def members_json(members: tuple[Enum, ...]) -> str:
    """Enumeration members as the JSON text of the list of their values."""
    if not members:
        return "[]"
    return "[" + ",".join([json_string(member._value_) for member in members]) + "]"


# --- the direct ways, generated from the fields --------------------------------------------

#: The JSON text of the values written into a document as they are, by their declared type
#: (the text is right only for a value of exactly that type).
_WRITTEN_AS_IT_IS: Final = {
    str: "json_string({v})",
    int: "{v}",
    bool: '("true" if {v} else "false")',
}


def _written(kind: Any) -> tuple[str, str, str | None] | None:
    """How a value of declared type ``kind`` is written directly: its document expression, its
    JSON text expression (both of the value ``{v}``) and, when the JSON text is right only for
    a value of an exact type, the condition of a value it is not right for; ``None`` when
    there is no direct way for the type."""
    if kind in _WRITTEN_AS_IT_IS:
        return "{v}", _WRITTEN_AS_IT_IS[kind], f"type({{v}}) is not {kind.__name__}"
    if isinstance(kind, type) and issubclass(kind, Enum):
        if not all(type(member.value) is str for member in kind):
            return None
        return "{v}._value_", "json_string({v}._value_)", None
    if kind is date:
        return "iso_day({v})", "day_json({v})", None
    if kind is Interpretation:
        return "interpretation_document({v})", "interpretation_text({v})", None
    if kind == tuple[Reason, ...]:
        return "reasons_document({v})", "reasons_text({v})", None
    inner = optional_inner(kind)
    if inner is not None:
        written = _written(inner)
        if written is None:
            return None
        document, text, other = written
        return (
            f"(None if {{v}} is None else {document})",
            f'("null" if {{v}} is None else {text})',
            None if other is None else f"({{v}} is not None and {other})",
        )
    if is_homogeneous_tuple(kind):
        item = get_args(kind)[0]
        if isinstance(item, type) and issubclass(item, Enum) and _written(item) is not None:
            return "([m._value_ for m in {v}] if {v} else [])", "members_json({v})", None
    return None


_NAMESPACE: Final = {
    "iso_day": iso_day,
    "day_json": day_json,
    "json_string": json_string,
    "interpretation_document": interpretation_document,
    "interpretation_text": interpretation_text,
    "reasons_document": reasons_document,
    "reasons_text": reasons_text,
    "members_json": members_json,
    "compact": compact,
}
_SHAPING: Final = (NOT_ON_WIRE, OMIT_IF_ASSUMED, OMIT_IF_DEFAULT, OMIT_IF_NONE)


def direct_ways(
    kind: type[Any],
) -> tuple[Callable[[Any], dict[str, Any]], Callable[[Any], str]] | None:
    """The direct document and JSON text of ``kind``, generated from its fields, or ``None``
    when a field's type (or a field left out of some documents) has no direct way."""
    hints = get_type_hints(kind)
    schema = SCHEMAS.get(kind)
    locals_: list[str] = []
    read_twice: list[str] = []  # the locals of the document function
    entries: list[str] = []
    pieces: list[str] = []
    exact: list[str] = []
    for number, field in enumerate(attrs.fields(kind)):
        written = _written(hints[field.name])
        if written is None or any(field.metadata.get(key) for key in _SHAPING):
            return None
        document, text, other = written
        value = f"v{number}"
        locals_.append(f"    {value} = obj.{field.name}")
        key = wire_name(field.name)
        # The document reads a value used once in line, one used twice (``None if v is None
        # else ...``) into a local first.
        read = f"obj.{field.name}"
        if document.count("{v}") > 1:
            read_twice.append(locals_[-1])
            read = value
        entries.append(f"        {key!r}: {document.format(v=read)},")
        if other is not None:
            exact.append(other.format(v=value))
        separator = "," if pieces or schema is not None else ""
        pieces += [_literal(separator + json_string(key) + ":"), f"{{{text.format(v=value)}}}"]
    head = [] if schema is None else [f"        'schema': {schema!r},"]
    document_source = "\n".join(
        ["def document(obj):", *read_twice, "    return {", *head, *entries, "    }"]
    )
    opening = "{" if schema is None else "{" + json_string("schema") + ":" + json_string(schema)
    template = _literal(opening) + "".join(pieces) + _literal("}")
    if "'" in template or "\\" in template:
        return None  # a key or schema name the text cannot be written with in line
    # A value of another type where the JSON text needs an exact one (a bool given for an
    # int) is written the general way, as json.dumps writes it.
    guard = [f"    if {' or '.join(exact)}:", "        return compact(document(obj))"]
    text_source = "\n".join(
        [
            "def text(obj):",
            *locals_,
            *(guard if exact else []),
            # One f-string: the text is built once, not piece by piece.
            f"    return f'''{template}'''",
        ]
    )
    make_document = compiled("document", document_source + "\n", _NAMESPACE)
    return make_document, compiled(
        "text", text_source + "\n", {**_NAMESPACE, "document": make_document}
    )


def _literal(text: str) -> str:
    """``text`` as it stands in an f-string's literal part."""
    return text.replace("{", "{{").replace("}", "}}")


def install_direct_dumps(kinds: tuple[type[Any], ...] = DIRECT_DUMP_KINDS) -> None:
    """Generate the direct ways of ``kinds`` (after their documents are registered)."""
    for kind in kinds:
        ways = direct_ways(kind)
        DIRECT_DUMPS.pop(kind, None)
        DIRECT_TEXTS.pop(kind, None)
        if ways is not None:
            DIRECT_DUMPS[kind], DIRECT_TEXTS[kind] = ways
