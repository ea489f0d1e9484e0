"""leder_docs_documents: the keys of a document object (``leder-fields``) and the JSON Schema
of a document (``leder-json-schema``), read from the code at build time (see ``leder_docs``).
"""

from __future__ import annotations

import enum
import importlib
import json
import re
import types
import typing
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders, shared
    literal_node,
    paragraph_node,
    text_node,
)
from leder_docs_nodes import (
    ENUMERATION,
    LederDirective,
    first_sentence,
    import_dotted,
    joined_nodes,
    json_text,
    table_node,
    xref_node,
)

from leder_core.models.wire import NOT_ON_WIRE
from leder_core.serialization import wire_name

__all__ = ["DocumentFields", "JsonSchema"]


# --- document fields ----------------------------------------------------------------------


def _type_text(docname: str, kind: Any) -> list[nodes.Node]:
    """How a Python annotation looks on the wire."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        others = [arg for arg in args if arg is not type(None)]
        parts = joined_nodes((_group(_type_text(docname, arg)) for arg in others), " or ")
        return (
            [*parts, text_node(" or "), literal_node("null")] if len(others) < len(args) else parts
        )
    if origin is typing.Annotated:
        base, *extras = args
        shape = next((first_sentence(extra.__doc__) for extra in extras if extra.__doc__), "")
        return [*_type_text(docname, base), *_shape(shape)]
    if origin is tuple:
        return [text_node("array of "), *_type_text(docname, args[0])]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [text_node("one of "), xref_node(docname, ENUMERATION, kind.__name__)]
    if isinstance(kind, type) and attrs.has(kind):
        if callable(getattr(kind, "parse", None)):  # a value object read from its text form
            return [text_node("string"), *_shape(first_sentence(kind.__doc__))]
        return [text_node("object")]
    if kind is bool:
        return [text_node("boolean")]
    if kind is int:
        return [text_node("whole number")]
    if kind is float:
        return [text_node("number")]
    if kind is str:
        return [text_node("string")]
    if kind is date:
        return [text_node("date "), literal_node("YYYY-MM-DD")]
    return [text_node(getattr(kind, "__name__", str(kind)))]


def _shape(sentence: str) -> list[nodes.Node]:
    """``": a valid NHS number"`` from ``"A valid NHS number."``."""
    sentence = sentence.rstrip(".")
    return [text_node(f": {sentence[0].lower()}{sentence[1:]}")] if sentence else []


def _group(children: list[nodes.Node]) -> nodes.inline:
    return nodes.inline("", "", *children)


def _descriptions(lines: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """``key: text`` lines (a text may continue on indented lines) and any lines not parsed."""
    found: dict[str, str] = {}
    stray: list[str] = []
    current: str | None = None
    for line in lines:
        if not line.strip():
            current = None
            continue
        match = re.match(r"\A([A-Za-z_][A-Za-z0-9_]*):\s+(.*)\Z", line)
        if match and not line[0].isspace():
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif current is not None and line[0].isspace():
            found[current] += " " + line.strip()
        else:
            stray.append(line)
    return found, stray


class DocumentFields(LederDirective):
    """The keys of a document object, checked against the attrs class."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "path": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        reporter = self.state.document.reporter
        path = self.arguments[0]
        try:
            cls = import_dotted(path)
        except (ImportError, AttributeError):
            return [reporter.warning(f"leder-fields: cannot import {path}", line=self.lineno)]
        if not (isinstance(cls, type) and attrs.has(cls)):
            return [
                reporter.warning(f"leder-fields: {path} is not an attrs class", line=self.lineno)
            ]
        self._depends_on(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = [
            field
            for field in attrs.fields(cls)
            if field.init and not field.metadata.get(NOT_ON_WIRE)  # never a key (Person.assumed)
        ]
        keys = [wire_name(field.name) for field in fields]
        described, stray = _descriptions(self.content)
        problems = [f"line not understood: {line.strip()!r}" for line in stray]
        problems += [f"key {key!r} is not described" for key in keys if key not in described]
        problems += [
            f"{key!r} is not a key of {cls.__name__}" for key in described if key not in keys
        ]
        if problems:
            return [
                reporter.warning(f"leder-fields {path}: {problem}", line=self.lineno)
                for problem in problems
            ]
        prefix = self.options.get("path", "$")
        rows = []
        for field, key in zip(fields, keys, strict=True):
            if field.default is attrs.NOTHING:
                presence: list[nodes.Node] = [text_node("required")]
            else:
                default = field.default
                if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    default = default.factory()
                presence = [text_node("optional, default "), literal_node(json_text(default))]
            text_nodes, messages = self.parse_inline(described[key], lineno=self.lineno)
            rows.append(
                [
                    paragraph_node(literal_node(f"{prefix}.{key}")),
                    paragraph_node(*_type_text(self.env.docname, hints[field.name])),
                    paragraph_node(*presence),
                    paragraph_node(*text_nodes, *messages),
                ]
            )
        return [table_node(["Key", "Type", "Presence", "Meaning"], rows, widths=[24, 22, 16, 38])]


# --- JSON Schemas -------------------------------------------------------------------------


class JsonSchema(LederDirective):
    """The JSON Schema of a document, from ``leder_core.schema.json_schema``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        reporter = self.state.document.reporter
        name = self.arguments[0]
        try:
            # Imported here, not at the top: the extension must load in versions without it.
            schema_module = importlib.import_module("leder_core.schema")
        except ImportError:
            return [reporter.warning("leder-json-schema: no leder_core.schema", line=self.lineno)]
        self._depends_on(schema_module)
        try:
            schema = schema_module.json_schema(name)
        except schema_module.SchemaUnavailable:
            return [paragraph_node(f"The {name} document does not exist in this version.")]
        except ValueError as error:
            return [reporter.warning(f"leder-json-schema {name}: {error}", line=self.lineno)]
        text = json.dumps(schema, indent=2, ensure_ascii=False)
        block = nodes.literal_block(text, text, language="json")
        self.set_source_info(block)
        return [block]
