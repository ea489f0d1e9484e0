"""leder_docs: documentation generated from the code of ``leder_core`` at build time.

The pages say what the code says because they are made from it when Sphinx runs:

``leder-rule-catalogue``
    Every rule in :data:`leder_core.rules.registry.RULES`, in registry order: a summary table,
    then one section per rule (anchor: the rule id) with its text, rulebook section, rule sets,
    effective dates, confidence, interpretations and citations. Options ``:section:`` (such as
    ``§4``) and ``:ruleset:`` (such as ``leder-2021``) select rules.
``leder-interpretations``
    Every ``INT-*`` choice of :class:`leder_core.Interpretation`, read from its fields' metadata:
    a summary table, then one section per choice (anchor: the choice id) with its question, key,
    default, alternatives, reasoning and confidence.
``leder-enum``
    A table of an enumeration's wire values, Python names and (where the source documents
    members) meanings. Argument: the dotted path of the Enum class. Options ``:caption:`` and
    ``:no-index:``.
``leder-json-schema``
    The JSON Schema of a document, as ``leder_core.schema.json_schema(NAME)`` gives it, in a
    JSON code block. Argument: the schema name (``notification``, ``review``, ...).
``leder-fields``
    The keys of a document object (an attrs class): JSON path, type, required or default, and a
    meaning written in the directive's content as ``key: text`` lines. Every key must be
    described and no other, so a new field fails the build until it is documented. Argument:
    the dotted path of the class; option ``:path:`` (default ``$``).

Roles ``{rule}`` and ``{interpretation}`` link to a rule or an interpretation by its id, and
``{enumeration}`` to an enumeration table by its class name.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, ClassVar

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

import leder_core.rules  # noqa: F401 - importing the package registers every rule
from leder_core import interpretation
from leder_core.rules import registry
from leder_core.rules.registry import Confidence
from leder_core.serialization import wire_name

__all__ = ["setup"]

# Object types of the standard domain that the roles resolve against.
RULE = "leder-rule-anchor"
INTERPRETATION = "leder-interpretation-anchor"
ENUMERATION = "leder-enum-anchor"


# --- small node builders ------------------------------------------------------------------


def _text(value: str) -> nodes.Text:
    return nodes.Text(value)


def _literal(value: str) -> nodes.literal:
    return nodes.literal(value, value)


def _para(*children: nodes.Node | str) -> nodes.paragraph:
    return nodes.paragraph(
        "", "", *(_text(child) if isinstance(child, str) else child for child in children)
    )


def _joined(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for item in items:
        if joined:
            joined.append(_text(separator))
        joined.append(item)
    return joined


def _link(title: str, url: str) -> nodes.reference:
    return nodes.reference(title, title, refuri=url)


def _xref(docname: str, objtype: str, target: str) -> nodes.Node:
    """A link to a generated anchor, shown as code; plain code if no page defines the anchor
    (a warning only when ``nitpicky`` is on)."""
    return addnodes.pending_xref(
        "",
        _literal(target),
        refdomain="std",
        reftype=_ROLE_OF[objtype],
        reftarget=target,
        refexplicit=True,
        refwarn=False,
        refdoc=docname,
    )


_ROLE_OF = {RULE: "rule", INTERPRETATION: "interpretation", ENUMERATION: "enumeration"}


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[nodes.Node | str]],
    widths: Sequence[int],
    caption: str | None = None,
) -> nodes.table:
    table = nodes.table(classes=["leder-table"])
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table


def _row(cells: Sequence[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += _para(cell)
        elif isinstance(cell, nodes.Body):
            entry += cell
        else:
            entry += _para(cell)
        row += entry
    return row


_Field = tuple[str, nodes.Node | Sequence[nodes.Node]]


def _field_list(fields: Iterable[_Field]) -> nodes.field_list:
    field_list = nodes.field_list()
    for name, value in fields:
        body = nodes.field_body()
        children = [value] if isinstance(value, nodes.Node) else list(value)
        for child in children:
            body += child if isinstance(child, nodes.Body) else _para(child)
        field_list += nodes.field("", nodes.field_name(name, name), body)
    return field_list


def _bullets(items: Iterable[nodes.Node]) -> nodes.bullet_list:
    bullets = nodes.bullet_list()
    for item in items:
        bullets += nodes.list_item("", item if isinstance(item, nodes.Body) else _para(item))
    return bullets


def _section(node_id: str, title: Sequence[nodes.Node], index_entry: str) -> nodes.section:
    section = nodes.section(ids=[node_id])
    section += nodes.title("", "", *title)
    section += addnodes.index(entries=[("single", index_entry, node_id, "", None)])
    return section


def _import(dotted: str) -> Any:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def _attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings written below class attributes (``#:`` or a string), by name."""
    try:
        analyzer = ModuleAnalyzer.for_module(cls.__module__)
        found = analyzer.find_attr_docs()
    except Exception:  # no source (a compiled or frozen module): no attribute docs
        return {}
    return {
        attribute: " ".join(line.strip() for line in lines if line.strip())
        for (scope, attribute), lines in found.items()
        if scope == cls.__qualname__
    }


def _first_sentence(doc: str | None) -> str:
    if not doc:
        return ""
    paragraph = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())
    return re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]


def _json(value: object) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


_ID = re.compile(r"\b([A-Z]+(?:-[A-Z0-9]+)+)\b")


def _known_ids() -> dict[str, str]:
    """Every rule id and interpretation id, with the object type its anchor is noted as."""
    known = dict.fromkeys(registry.RULES, RULE)
    for field in attrs.fields(interpretation.Interpretation):
        if "id" in field.metadata:
            known[field.metadata["id"]] = INTERPRETATION
    return known


def _inline(value: str, docname: str) -> list[nodes.Node]:
    """Plain text with ````literal```` spans kept as code and rule and interpretation ids linked."""
    known = _known_ids()
    found: list[nodes.Node] = []
    for index, part in enumerate(re.split(r"``(.+?)``", value)):
        if index % 2:
            found.append(_literal(part))
            continue
        for position, piece in enumerate(_ID.split(part)):
            if position % 2 and piece in known:
                found.append(_xref(docname, known[piece], piece))
            elif piece:
                found.append(_text(piece))
    return found


class _LederDirective(SphinxDirective):
    def _depends_on(self, *objects: object) -> None:
        """Re-read this page when the source of any of these objects changes."""
        for obj in objects:
            module = inspect.getmodule(obj)
            path = inspect.getsourcefile(module) if module is not None else None
            if path:
                self.env.note_dependency(path)

    def _note(self, objtype: str, name: str, node: nodes.Element) -> None:
        std = typing.cast("StandardDomain", self.env.get_domain("std"))
        std.note_object(objtype, name, name, location=node)


# --- rules --------------------------------------------------------------------------------


def _effective(rule: Any) -> str:
    start, end = rule.effective_from, rule.effective_to
    if start and end:
        return f"from {start.isoformat()} to {end.isoformat()} inclusive"
    if start:
        return f"from {start.isoformat()}"
    if end:
        return f"until {end.isoformat()} inclusive"
    return "whenever its rule sets apply"


def _confidence_meanings() -> dict[str, str]:
    docs = _attribute_docs(Confidence)
    return {member.value: docs.get(member.name, member.name) for member in Confidence}


class RuleCatalogue(_LederDirective):
    """Every rule of the registry, from the code."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "section": directives.unchanged_required,
        "ruleset": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        rules = list(registry.RULES.values())
        if "section" in self.options:
            rules = [rule for rule in rules if rule.section == self.options["section"]]
        if "ruleset" in self.options:
            wanted = self.options["ruleset"]
            rules = [rule for rule in rules if wanted in {str(r) for r in rule.rulesets}]
        # The rules live in many modules: a change to any of them re-reads this page.
        for name, module in list(sys.modules.items()):
            if name.startswith("leder_core.rules") and module is not None:
                self._depends_on(module)
        if not rules:
            if self.options:
                return [
                    self.state.document.reporter.warning(
                        "leder-rule-catalogue: no rule matches the options", line=self.lineno
                    )
                ]
            return [_para("No rules are registered yet.")]
        meanings = _confidence_meanings()
        docname = self.env.docname
        summary = _table(
            ["Rule", "Title", "Section", "Rule sets", "Confidence"],
            (
                [
                    _xref(docname, RULE, rule.id),
                    rule.title,
                    rule.section,
                    ", ".join(str(ruleset) for ruleset in rule.rulesets),
                    f"[{rule.confidence.value}]",
                ]
                for rule in rules
            ),
            widths=[22, 40, 10, 18, 10],
        )
        result: list[nodes.Node] = [summary]
        for rule in rules:
            section = _section(
                rule.id, [_literal(rule.id), _text(f" — {rule.title}")], f"{rule.id} (rule)"
            )
            section += _para(*_inline(rule.text, docname))
            fields: list[_Field] = [
                ("Rulebook", _para(f"RULEBOOK.md {rule.section}")),
                ("Rule sets", _para(*_joined(_literal(str(r)) for r in rule.rulesets))),
                ("Applies", _para(_effective(rule))),
                (
                    "Confidence",
                    _para(f"[{rule.confidence.value}] {meanings[rule.confidence.value]}"),
                ),
            ]
            if rule.interpretations:
                fields.append(
                    (
                        "Interpretations",
                        _para(
                            *_joined(
                                _xref(docname, INTERPRETATION, i) for i in rule.interpretations
                            )
                        ),
                    )
                )
            fields.append(
                ("Citations", _bullets(_para(_link(c.title, c.url)) for c in rule.citations))
            )
            section += _field_list(fields)
            self._note(RULE, rule.id, section)
            result.append(section)
        return result


# --- interpretations ----------------------------------------------------------------------


def _alternatives(cls: type, field: attrs.Attribute[Any], kind: Any) -> list[nodes.Node]:
    """The values other than the default (enumerations), or the range a number may take."""
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        others = [member for member in kind if member != field.default]
        return _joined(_literal(str(member.value)) for member in others) or [_text("none")]
    if kind is int:
        minimum = _smallest_accepted(cls, field.name)
        if minimum is None:
            return [_text("any whole number")]
        return [_text(f"any whole number ≥ {minimum}")]
    return [_text(str(kind))]


def _value(value: object) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def _smallest_accepted(cls: type, name: str) -> int | None:
    """The least whole number the class accepts for ``name`` (its converter decides)."""
    for candidate in range(-100, 10_000):
        try:
            cls(**{name: candidate})
        except ValueError:
            continue
        return None if candidate == -100 else candidate
    return None


class Interpretations(_LederDirective):
    """Every INT-* choice, from the metadata of Interpretation's fields."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        cls = interpretation.Interpretation
        self._depends_on(interpretation)
        hints = typing.get_type_hints(cls)
        meanings = _confidence_meanings()
        docname = self.env.docname
        fields = [field for field in attrs.fields(cls) if "id" in field.metadata]
        summary = _table(
            ["Choice", "Key", "Default", "Alternatives"],
            (
                [
                    _xref(docname, INTERPRETATION, field.metadata["id"]),
                    _para(_literal(field.name)),
                    _para(_literal(_value(field.default))),
                    _para(*_alternatives(cls, field, hints[field.name])),
                ]
                for field in fields
            ),
            widths=[24, 20, 22, 34],
        )
        result: list[nodes.Node] = [summary]
        for field in fields:
            about = field.metadata
            section = _section(
                about["id"], [_literal(about["id"])], f"{about['id']} (interpretation)"
            )
            section += _para(nodes.emphasis(about["question"], about["question"]))
            confidence = Confidence(about.get("confidence", "I")).value
            section += _field_list(
                [
                    ("Key", _para(_literal(field.name))),
                    ("Default", _para(_literal(_value(field.default)))),
                    ("Alternatives", _para(*_alternatives(cls, field, hints[field.name]))),
                    ("Why", _para(*_inline(about["why"], docname))),
                    ("Confidence", _para(f"[{confidence}] {meanings[confidence]}")),
                ]
            )
            self._note(INTERPRETATION, about["id"], section)
            result.append(section)
        return result


# --- enumerations -------------------------------------------------------------------------


class EnumTable(_LederDirective):
    """A table of an enumeration's values, from the Enum class."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "caption": directives.unchanged,
        "no-index": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        path = self.arguments[0]
        try:
            kind = _import(path)
        except (ImportError, AttributeError):
            return [
                self.state.document.reporter.warning(
                    f"leder-enum: cannot import {path}", line=self.lineno
                )
            ]
        if not (isinstance(kind, type) and issubclass(kind, enum.Enum)):
            return [
                self.state.document.reporter.warning(
                    f"leder-enum: {path} is not an Enum class", line=self.lineno
                )
            ]
        self._depends_on(kind)
        docs = _attribute_docs(kind)
        headers = ["Value", f"{kind.__name__} member"]
        widths = [25, 40]
        if docs:
            headers.append("Meaning")
            widths = [20, 30, 50]
        rows = []
        for member in kind:
            row: list[nodes.Node | str] = [
                _para(_literal(str(member.value))),
                _para(_literal(member.name)),
            ]
            if docs:
                row.append(_para(*_inline(docs.get(member.name, ""), self.env.docname)))
            rows.append(row)
        table = _table(headers, rows, widths, caption=self.options.get("caption"))
        if "no-index" in self.options:
            return [table]
        anchor = f"enum-{kind.__name__}"
        target = nodes.target("", "", ids=[anchor])
        self._note(ENUMERATION, kind.__name__, target)
        return [target, table]


# --- document fields ----------------------------------------------------------------------


def _type_text(docname: str, kind: Any) -> list[nodes.Node]:
    """How a Python annotation looks on the wire."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        others = [arg for arg in args if arg is not type(None)]
        parts = _joined((_group(_type_text(docname, arg)) for arg in others), " or ")
        return [*parts, _text(" or "), _literal("null")] if len(others) < len(args) else parts
    if origin is typing.Annotated:
        base, *extras = args
        shape = next((_first_sentence(extra.__doc__) for extra in extras if extra.__doc__), "")
        return [*_type_text(docname, base), *_shape(shape)]
    if origin is tuple:
        return [_text("array of "), *_type_text(docname, args[0])]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [_text("one of "), _xref(docname, ENUMERATION, kind.__name__)]
    if isinstance(kind, type) and attrs.has(kind):
        if callable(getattr(kind, "parse", None)):  # a value object read from its text form
            return [_text("string"), *_shape(_first_sentence(kind.__doc__))]
        return [_text("object")]
    if kind is bool:
        return [_text("boolean")]
    if kind is int:
        return [_text("whole number")]
    if kind is str:
        return [_text("string")]
    if kind is date:
        return [_text("date "), _literal("YYYY-MM-DD")]
    return [_text(getattr(kind, "__name__", str(kind)))]


def _shape(sentence: str) -> list[nodes.Node]:
    """``": a valid NHS number"`` from ``"A valid NHS number."``."""
    sentence = sentence.rstrip(".")
    return [_text(f": {sentence[0].lower()}{sentence[1:]}")] if sentence else []


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


class DocumentFields(_LederDirective):
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
            cls = _import(path)
        except (ImportError, AttributeError):
            return [reporter.warning(f"leder-fields: cannot import {path}", line=self.lineno)]
        if not (isinstance(cls, type) and attrs.has(cls)):
            return [
                reporter.warning(f"leder-fields: {path} is not an attrs class", line=self.lineno)
            ]
        self._depends_on(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = [field for field in attrs.fields(cls) if field.init]
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
                presence: list[nodes.Node] = [_text("required")]
            else:
                default = field.default
                if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                    default = default.factory()
                presence = [_text("optional, default "), _literal(_json(default))]
            text_nodes, messages = self.parse_inline(described[key], lineno=self.lineno)
            rows.append(
                [
                    _para(_literal(f"{prefix}.{key}")),
                    _para(*_type_text(self.env.docname, hints[field.name])),
                    _para(*presence),
                    _para(*text_nodes, *messages),
                ]
            )
        return [_table(["Key", "Type", "Presence", "Meaning"], rows, widths=[24, 22, 16, 38])]


# --- JSON Schemas -------------------------------------------------------------------------


class JsonSchema(_LederDirective):
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
            return [_para(f"The {name} document does not exist in this version.")]
        except ValueError as error:
            return [reporter.warning(f"leder-json-schema {name}: {error}", line=self.lineno)]
        text = json.dumps(schema, indent=2, ensure_ascii=False)
        block = nodes.literal_block(text, text, language="json")
        self.set_source_info(block)
        return [block]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_crossref_type(RULE, "rule", objname="rule")
    app.add_crossref_type(INTERPRETATION, "interpretation", objname="interpretation")
    app.add_crossref_type(ENUMERATION, "enumeration", objname="enumeration")
    app.add_directive("leder-rule-catalogue", RuleCatalogue)
    app.add_directive("leder-interpretations", Interpretations)
    app.add_directive("leder-enum", EnumTable)
    app.add_directive("leder-fields", DocumentFields)
    app.add_directive("leder-json-schema", JsonSchema)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
