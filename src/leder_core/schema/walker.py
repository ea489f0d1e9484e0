"""The walk from a document's attrs classes to its JSON Schema.

:class:`SchemaWalker` reads each class with ``attrs.fields`` and ``typing.get_type_hints``,
following the same rules as the converter of ``leder_core.serialization``: wire names, keys
left out, defaults, tagged unions, and the shapes of :mod:`leder_core.schema.shapes`.
Descriptions come from the classes' docstrings and the fields' metadata, nothing invented.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from enum import Enum
from functools import partial
from typing import Annotated, Any, Final, Union, get_args, get_origin, get_type_hints

import attrs

from leder_core.models.nhs_number import NhsNumber
from leder_core.models.wire import NOT_ON_WIRE, OMIT_IF_ASSUMED, OMIT_IF_DEFAULT, OMIT_IF_NONE
from leder_core.schema.shapes import FEATURE_NOTES, NAMED_STRINGS, date_schema, nhs_number_schema
from leder_core.serialization import make_converter, registered_documents, wire_name

__all__ = ["SchemaWalker"]

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


class SchemaWalker:
    """Builds the schema of one document: every class and enumeration once, in ``$defs``."""

    def __init__(self, *, output: bool) -> None:
        self.output = output
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[object, str] = {}
        self._features: set[str] = set()
        self._unstructure = make_converter(detailed_validation=False).unstructure

    def notes(self) -> list[str]:
        return [text for feature, text in FEATURE_NOTES.items() if feature in self._features]

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
            return self._define(NhsNumber, "NhsNumber", lambda: nhs_number_schema(self.output))
        if kind is date:
            return self._define(date, "Date", lambda: date_schema(self.output))
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
            "(and the converter's rule for it) in leder_core/schema/walker.py"
        )

    def _annotated(self, kind: Any) -> dict[str, Any]:
        for alias, name, build, feature in NAMED_STRINGS:
            if kind == alias:
                if feature is not None and not self.output:
                    self._features.add(feature)
                return self._define(alias, name, build)
        raise TypeError(
            f"leder_core.schema does not know the shape of {kind!r}: add it to "
            "leder_core.schema.shapes.NAMED_STRINGS with the pattern the converter checks"
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
