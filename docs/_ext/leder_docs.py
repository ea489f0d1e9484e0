"""leder_docs: documentation generated from the code of ``leder_core`` at build time.

The pages say what the code says because they are made from it when Sphinx runs:

``leder-rule-catalogue``
    Every rule in :data:`leder_core.rules.registry.RULES`, in the catalogue's order: a summary
    table, then one section per rule (anchor: the rule id) with its text, its section (linked to
    the page that explains it, by :data:`SECTIONS`), rule sets, effective dates, confidence,
    interpretations, the dated parameters it reads, citations, and the policy cases of the
    casebook that exercise it (or a sentence saying none does yet). Options ``:section:`` (such
    as ``§4``) and ``:ruleset:`` (such as ``leder-2021``) select rules.
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

``leder-workflow-diagram``
    The review workflow drawn by Graphviz from :func:`leder_core.diagram.workflow_dot`, as a
    figure (anchor ``workflow-diagram-<ruleset>``) with a caption, a text alternative and, in
    HTML, a link to the drawing at full size. Option ``:ruleset:`` (``leder-2021``, the
    default, or ``leder-2016``); option ``:caption:`` replaces the caption.
``leder-transition-table``
    The transition table :data:`leder_core.rules.workflow.TRANSITIONS`, one row per event in
    table order: the rule that governs it, the states that accept it and where it leads from
    each (with the conditions), its guards, and whether an open hold blocks it.
``leder-workflow-states``
    The review states: open or final, the outcomes a review opens in each with, and the events
    each accepts (read from the transition table).
``leder-fhir-mapping``
    Every notification field and where a FHIR R4 (UK Core) record gives it, read from
    ``leder_core.rules.fhir``: the ``FHIR-*`` rule, the elements read, when it refuses; option
    ``:codes:`` adds the built-in code lists.
``leder-cli``
    The ``leder`` command, read from :func:`leder_core.cli.build_parser`: the usage, a table of
    the commands, then one section per command (anchor and label ``leder-<command>``) with its
    usage and a table of its arguments: meaning, values, default. An argument without help in
    the parser is described in the content, as ``COMMAND ARGUMENT: text`` lines; an argument
    with neither, or a description of an argument that does not exist, fails the build.
    Option ``:parser:``: the dotted path of another parser factory.

Roles ``{rule}`` and ``{interpretation}`` link to a rule or an interpretation by its id, and
``{enumeration}`` to an enumeration table by its class name.
"""

from __future__ import annotations

import argparse
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
import leder_casebook
from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders and the FHIR rule, shared
    FHIR_RULE,
    literal_node,
    paragraph_node,
    text_node,
)
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.ext.graphviz import figure_wrapper, graphviz, html_visit_graphviz
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.html5 import HTML5Translator

from leder_core import diagram, interpretation
from leder_core.models.assessment import Outcome, RuleSetId
from leder_core.models.review import ReviewState
from leder_core.models.wire import NOT_ON_WIRE
from leder_core.rules import registry, workflow
from leder_core.rules.registry import Confidence
from leder_core.serialization import wire_name

__all__ = ["setup"]

# Object types of the standard domain that the roles resolve against.
RULE = "leder-rule-anchor"
INTERPRETATION = "leder-interpretation-anchor"
ENUMERATION = "leder-enum-anchor"


# --- small node builders ------------------------------------------------------------------


def _joined(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for item in items:
        if joined:
            joined.append(text_node(separator))
        joined.append(item)
    return joined


def _link(title: str, url: str) -> nodes.reference:
    return nodes.reference(title, title, refuri=url)


def _xref(docname: str, objtype: str, target: str) -> nodes.Node:
    """A link to a generated anchor, shown as code; plain code if no page defines the anchor
    (a warning only when ``nitpicky`` is on)."""
    return addnodes.pending_xref(
        "",
        literal_node(target),
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
            entry += paragraph_node(cell)
        elif isinstance(cell, nodes.Body):
            entry += cell
        else:
            entry += paragraph_node(cell)
        row += entry
    return row


_Field = tuple[str, nodes.Node | Sequence[nodes.Node]]


def _field_list(fields: Iterable[_Field]) -> nodes.field_list:
    field_list = nodes.field_list()
    for name, value in fields:
        body = nodes.field_body()
        children = [value] if isinstance(value, nodes.Node) else list(value)
        for child in children:
            body += child if isinstance(child, nodes.Body) else paragraph_node(child)
        field_list += nodes.field("", nodes.field_name(name, name), body)
    return field_list


def _bullets(items: Iterable[nodes.Node]) -> nodes.bullet_list:
    bullets = nodes.bullet_list()
    for item in items:
        bullets += nodes.list_item(
            "", item if isinstance(item, nodes.Body) else paragraph_node(item)
        )
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
            found.append(literal_node(part))
            continue
        for position, piece in enumerate(_ID.split(part)):
            if position % 2 and piece in known:
                found.append(_xref(docname, known[piece], piece))
            elif piece:
                found.append(text_node(piece))
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


#: What each section mark of :attr:`leder_core.rules.registry.Rule.section` is about, and the
#: pages that explain it, best first: the first page the site has is linked. A section this
#: table does not know, or whose pages are all absent, links to the rule catalogue.
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "§1": ("Effective dates", ("rulesets", "explanation/policy-and-history")),
    "§2": ("Rule sets", ("rulesets", "explanation/policy-and-history")),
    "§3": ("Inputs", ("notification-format",)),
    "§4": ("Eligibility and route", ("assessment",)),
    "§5": ("Review level and mandatory triggers", ("assessment",)),
    "§6": ("Other statutory processes (holds)", ("explanation/deadlines-and-holds",)),
    "§7": ("Deadlines", ("explanation/deadlines-and-holds",)),
    "§8": ("Review workflow", ("workflow",)),
    "§9": ("Governance requirements", ("governance",)),
    "§9a": ("Responsible bodies over time", ("bodies", "governance")),
    "§10": ("Indicators (the backlog)", ("indicators", "how-to/backlog-for-an-icb")),
    "§11": ("Interpretations", ("explanation/interpretations",)),
    "§12": ("Worked examples", ("casebook",)),
    "§13": ("Settled questions", ("explanation/interpretations",)),
    "§14": ("Facts from clinical records", ("fhir",)),
}
CATALOGUE_PAGE = "rules"


def section_page(section: str, found_docs: Iterable[str]) -> tuple[str, str]:
    """The title of a section mark and the page that explains it (the catalogue if none)."""
    title, pages = SECTIONS.get(section, ("", ()))
    present = set(found_docs)
    page = next((page for page in pages if page in present), CATALOGUE_PAGE)
    return title, page


def _section_link(env: Any, docname: str, section: str, *, short: bool = False) -> nodes.Node:
    title, page = section_page(section, env.found_docs)
    label = section if short or not title else f"{section} {title}"
    return addnodes.pending_xref(
        "",
        nodes.inline(label, label),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{page}",
        refexplicit=True,
        refwarn=True,
        refdoc=docname,
    )


def _cases_of(docname: str, cases: Sequence[Any]) -> nodes.Node:
    """The policy cases that exercise a rule, as links; a long list in a block to open."""
    if not cases:
        return paragraph_node("No policy case exercises this rule yet.")
    links = paragraph_node(*_joined(leder_casebook.case_link(docname, case.id) for case in cases))
    if len(cases) <= 12:
        return links
    block = leder_casebook.details(summary=f"{len(cases)} policy cases")
    block += links
    return block


class RuleCatalogue(_LederDirective):
    """Every rule of the registry, from the code."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "section": directives.unchanged_required,
        "ruleset": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        rules = list(registry.iter_rules())
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
            return [paragraph_node("No rules are registered yet.")]
        meanings = _confidence_meanings()
        docname = self.env.docname
        for path in sorted(leder_casebook.CASES_DIR.glob("*.toml")):
            self.env.note_dependency(str(path))
        try:
            by_rule = leder_casebook.cases_by_rule()
        except (ValueError, KeyError) as error:
            by_rule = {}
            self.state.document.reporter.warning(
                f"leder-rule-catalogue: cannot read the policy cases: {error}", line=self.lineno
            )
        summary = _table(
            ["Rule", "Title", "Section", "Rule sets", "Confidence"],
            (
                [
                    _xref(docname, RULE, rule.id),
                    rule.title,
                    paragraph_node(_section_link(self.env, docname, rule.section, short=True)),
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
                rule.id, [literal_node(rule.id), text_node(f" — {rule.title}")], f"{rule.id} (rule)"
            )
            section += paragraph_node(*_inline(rule.text, docname))
            fields: list[_Field] = [
                ("Section", paragraph_node(_section_link(self.env, docname, rule.section))),
                (
                    "Rule sets",
                    paragraph_node(*_joined(literal_node(str(r)) for r in rule.rulesets)),
                ),
                ("Applies", paragraph_node(_effective(rule))),
                (
                    "Confidence",
                    paragraph_node(f"[{rule.confidence.value}] {meanings[rule.confidence.value]}"),
                ),
            ]
            if rule.interpretations:
                fields.append(
                    (
                        "Interpretations",
                        paragraph_node(
                            *_joined(
                                _xref(docname, INTERPRETATION, i) for i in rule.interpretations
                            )
                        ),
                    )
                )
            read = leder_casebook.rule_parameters(rule.id)
            if read:
                fields.append(
                    (
                        "Parameters",
                        _bullets(
                            paragraph_node(
                                literal_node(p.name),
                                text_node(": "),
                                *leder_casebook.parameter_timeline(p),
                            )
                            for p in read
                        ),
                    )
                )
            fields.append(
                (
                    "Citations",
                    _bullets(paragraph_node(_link(c.title, c.url)) for c in rule.citations),
                )
            )
            fields.append(("Cases", _cases_of(docname, by_rule.get(rule.id, []))))
            section += _field_list(fields)
            self._note(RULE, rule.id, section)
            result.append(section)
        return result


# --- interpretations ----------------------------------------------------------------------


def _alternatives(cls: type, field: attrs.Attribute[Any], kind: Any) -> list[nodes.Node]:
    """The values other than the default (enumerations), or the range a number may take."""
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        others = [member for member in kind if member != field.default]
        return _joined(literal_node(str(member.value)) for member in others) or [text_node("none")]
    if kind is int:
        minimum = _smallest_accepted(cls, field.name)
        if minimum is None:
            return [text_node("any whole number")]
        return [text_node(f"any whole number ≥ {minimum}")]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        # A choice or a number (INT-TIMELINESS: every_review or a share): each branch in turn.
        parts: list[nodes.Node] = []
        for branch in typing.get_args(kind):
            if branch is float:
                parts.append(text_node(_number_range(field.metadata.get("number", {}))))
            elif isinstance(branch, type) and issubclass(branch, enum.Enum):
                parts += _joined(
                    literal_node(str(member.value)) for member in branch if member != field.default
                )
        return _joined(parts, " or ") if parts else [text_node("none")]
    return [text_node(str(kind))]


def _number_range(bounds: dict[str, float]) -> str:
    """``a number > 0 and ≤ 1`` from the bounds the schema gives a number branch."""
    words = []
    if "exclusiveMinimum" in bounds:
        words.append(f"> {bounds['exclusiveMinimum']:g}")
    if "minimum" in bounds:
        words.append(f"≥ {bounds['minimum']:g}")
    if "maximum" in bounds:
        words.append(f"≤ {bounds['maximum']:g}")
    return "a number " + " and ".join(words) if words else "any number"


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
                    paragraph_node(literal_node(field.name)),
                    paragraph_node(literal_node(_value(field.default))),
                    paragraph_node(*_alternatives(cls, field, hints[field.name])),
                ]
                for field in fields
            ),
            widths=[24, 20, 22, 34],
        )
        result: list[nodes.Node] = [summary]
        for field in fields:
            about = field.metadata
            section = _section(
                about["id"], [literal_node(about["id"])], f"{about['id']} (interpretation)"
            )
            section += paragraph_node(nodes.emphasis(about["question"], about["question"]))
            confidence = Confidence(about.get("confidence", "I")).value
            section += _field_list(
                [
                    ("Key", paragraph_node(literal_node(field.name))),
                    ("Default", paragraph_node(literal_node(_value(field.default)))),
                    ("Alternatives", paragraph_node(*_alternatives(cls, field, hints[field.name]))),
                    ("Why", paragraph_node(*_inline(about["why"], docname))),
                    ("Confidence", paragraph_node(f"[{confidence}] {meanings[confidence]}")),
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
                paragraph_node(literal_node(str(member.value))),
                paragraph_node(literal_node(member.name)),
            ]
            if docs:
                row.append(paragraph_node(*_inline(docs.get(member.name, ""), self.env.docname)))
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
        return (
            [*parts, text_node(" or "), literal_node("null")] if len(others) < len(args) else parts
        )
    if origin is typing.Annotated:
        base, *extras = args
        shape = next((_first_sentence(extra.__doc__) for extra in extras if extra.__doc__), "")
        return [*_type_text(docname, base), *_shape(shape)]
    if origin is tuple:
        return [text_node("array of "), *_type_text(docname, args[0])]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [text_node("one of "), _xref(docname, ENUMERATION, kind.__name__)]
    if isinstance(kind, type) and attrs.has(kind):
        if callable(getattr(kind, "parse", None)):  # a value object read from its text form
            return [text_node("string"), *_shape(_first_sentence(kind.__doc__))]
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
                presence = [text_node("optional, default "), literal_node(_json(default))]
            text_nodes, messages = self.parse_inline(described[key], lineno=self.lineno)
            rows.append(
                [
                    paragraph_node(literal_node(f"{prefix}.{key}")),
                    paragraph_node(*_type_text(self.env.docname, hints[field.name])),
                    paragraph_node(*presence),
                    paragraph_node(*text_nodes, *messages),
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
            return [paragraph_node(f"The {name} document does not exist in this version.")]
        except ValueError as error:
            return [reporter.warning(f"leder-json-schema {name}: {error}", line=self.lineno)]
        text = json.dumps(schema, indent=2, ensure_ascii=False)
        block = nodes.literal_block(text, text, language="json")
        self.set_source_info(block)
        return [block]


# --- the review workflow ------------------------------------------------------------------


def _ruleset(argument: str | None) -> str:
    return directives.choice(argument, [ruleset.value for ruleset in RuleSetId])


class WorkflowDiagram(_LederDirective):
    """The review workflow drawn by Graphviz from ``leder_core.diagram.workflow_dot``."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "ruleset": _ruleset,
        "caption": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        ruleset = RuleSetId(self.options.get("ruleset", RuleSetId.LEDER_2021.value))
        self._depends_on(diagram, workflow)
        node = graphviz()
        node["code"] = diagram.workflow_dot(ruleset)
        node["options"] = {"docname": self.env.docname}
        node["alt"] = (
            f"State diagram of the LeDeR review workflow under {ruleset.value}: "
            f"{len(ReviewState)} states and the events that move a review between them. "
            "The transition table on this page says the same in words."
        )
        node["classes"] = ["leder-workflow-diagram"]
        caption = self.options.get(
            "caption",
            f"The review workflow under ``{ruleset.value}``, drawn from the transition table "
            "when these pages were built.",
        )
        figure = figure_wrapper(self, node, caption)
        figure["ids"].append(f"workflow-diagram-{ruleset.value}")
        return [figure]


def _visit_graphviz_html(translator: HTML5Translator, node: graphviz) -> None:
    """Graphviz's own HTML, and under a workflow diagram a link to the drawing at full size.

    The diagram is scaled down to the width of the page; a reader who wants to read its labels
    opens the SVG on its own, where the browser can zoom.
    """
    start = len(translator.body)
    try:
        html_visit_graphviz(translator, node)
    except nodes.SkipNode:
        if "leder-workflow-diagram" in node.get("classes", []):
            rendered = "".join(translator.body[start:])
            found = re.search(r'<object data="([^"]+\.svg)"', rendered)
            if found:
                translator.body.append(
                    f'<p class="leder-diagram-link"><a href="{found.group(1)}">'
                    "Open the diagram at full size</a></p>\n"
                )
        raise


def _states(states: Iterable[ReviewState]) -> list[nodes.Node]:
    return _joined(literal_node(state.value) for state in states)


def _accepted_in(sources: Sequence[ReviewState]) -> list[nodes.Node]:
    if set(sources) == set(workflow.OPEN_STATES):
        return [text_node("any open state")]
    return _states(sources)


def _leads_to(transition: workflow.Transition) -> nodes.Node:
    """Where the event leads, from each group of states that it moves alike."""
    outcomes: dict[tuple[tuple[ReviewState | None, str | None], ...], list[ReviewState]] = {}
    for source, targets in transition.targets.items():
        # A condition tells apart the targets of one state; None: the review stays where it is.
        several = len(targets) > 1
        moves = tuple(
            (
                None if target is source else target,
                (transition.when.get(target) or "otherwise") if several else None,
            )
            for target in targets
        )
        outcomes.setdefault(moves, []).append(source)
    lines: list[nodes.Node] = []
    for moves, sources in outcomes.items():
        parts: list[nodes.Node] = []
        for target, condition in moves:
            if parts:
                parts.append(text_node("; or "))
            parts.append(
                text_node("stays where it is") if target is None else literal_node(target.value)
            )
            if condition:
                parts.append(text_node(f" ({condition})"))
        lines.append(
            paragraph_node(text_node("from "), *_accepted_in(sources), text_node(": "), *parts)
        )
    return lines[0] if len(lines) == 1 else _bullets(lines)


def _checks(docname: str, transition: workflow.Transition) -> nodes.Node:
    """The guards of an event, and whether an open hold blocks it."""
    lines = []
    if transition.guards:
        lines.append(
            paragraph_node(
                text_node("Guard: " if len(transition.guards) == 1 else "Guards: "),
                *_joined(_xref(docname, RULE, guard.id) for guard in transition.guards),
            )
        )
    if transition.blocked_by_holds:
        lines.append(
            paragraph_node(
                text_node("An open hold blocks it ("),
                _xref(docname, RULE, workflow.FLOW_HOLD_BLOCKS.id),
                text_node(")."),
            )
        )
    else:
        lines.append(paragraph_node("An open hold does not block it."))
    container = nodes.container()
    container.extend(lines)
    return container


class TransitionTable(_LederDirective):
    """The transition table the workflow runs on, one row per event."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self._depends_on(workflow)
        docname = self.env.docname
        rows = []
        for event, transition in workflow.TRANSITIONS.items():
            name = nodes.container()
            name += paragraph_node(literal_node(event.value))
            name += paragraph_node(text_node("rule: "), _xref(docname, RULE, transition.rule.id))
            rows.append([name, _leads_to(transition), _checks(docname, transition)])
        table = _table(
            ["Event", "Accepted in, and where it leads", "Guards and holds"],
            rows,
            widths=[30, 45, 25],
        )
        table["classes"].append("leder-transitions")
        every = paragraph_node(
            text_node("Every event is also checked against "),
            _xref(docname, RULE, workflow.FLOW_DATES.id),
            text_node(" (not dated before the notification or the previous event) and "),
            _xref(docname, RULE, workflow.FLOW_TERMINAL.id),
            text_node(" (nothing is accepted once a review is "),
            *_joined(
                (literal_node(state.value) for state in ReviewState if state.terminal), " or "
            ),
            text_node(")."),
        )
        return [table, every]


def _opened_by() -> dict[ReviewState, list[Outcome]]:
    """The outcomes of an assessment that open a review in each state."""
    found: dict[ReviewState, list[Outcome]] = {}
    for outcome in Outcome:
        found.setdefault(workflow.opening_state(outcome), []).append(outcome)
    return found


class WorkflowStates(_LederDirective):
    """The review states, how a review opens in them, and what each accepts."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self._depends_on(workflow)
        opened_by = _opened_by()
        rows = []
        for state in ReviewState:
            accepted = [
                literal_node(event.value)
                for event, transition in workflow.TRANSITIONS.items()
                if state in transition.targets
            ]
            outcomes = opened_by.get(state, [])
            rows.append(
                [
                    paragraph_node(literal_node(state.value)),
                    "final" if state.terminal else "open",
                    paragraph_node(
                        *(_joined(literal_node(o.value) for o in outcomes) or [text_node("—")])
                    ),
                    paragraph_node(*(_joined(accepted) or [text_node("nothing")])),
                ]
            )
        table = _table(
            ["State", "Open or final", "A review opens here when the outcome is", "Accepts"],
            rows,
            widths=[22, 12, 26, 40],
        )
        table["classes"].append("leder-workflow-states")
        return [table]


# --- the command line ---------------------------------------------------------------------

_USAGE_WIDTH = 88


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage line as ``--help`` prints it, at a fixed width (the terminal's is not known)."""
    formatter = argparse.HelpFormatter(prog=parser.prog, width=_USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _expanded_help(action: argparse.Action, prog: str) -> str:
    """An argument's help with its ``%(...)s`` placeholders filled in, as argparse does."""
    if not action.help or action.help is argparse.SUPPRESS:
        return ""
    params: dict[str, Any] = {
        key: value for key, value in vars(action).items() if value is not argparse.SUPPRESS
    }
    params["prog"] = prog
    if params.get("choices") is not None:
        params["choices"] = ", ".join(str(choice) for choice in params["choices"])
    for key, value in list(params.items()):
        if callable(value) and hasattr(value, "__name__"):
            params[key] = value.__name__
    return action.help % params


# Options, option settings and a lone "-" in a help text are shown as code (which also keeps
# "--set" from being typeset as an en dash).
_CODE_IN_HELP = re.compile(r"(--[a-z][\w-]*(?: [a-z_]+=[\w.-]+)?|(?<!\S)-(?!\S))")


def _help_nodes(text: str) -> list[nodes.Node]:
    found: list[nodes.Node] = []
    for index, part in enumerate(_CODE_IN_HELP.split(text)):
        if index % 2:
            found.append(literal_node(part))
        elif part:
            found.append(text_node(part))
    return found


def _argument_name(action: argparse.Action) -> list[nodes.Node]:
    if not action.option_strings:
        return [literal_node(action.metavar or action.dest)]
    name = ", ".join(action.option_strings)
    if action.nargs != 0:
        metavar = action.metavar or action.dest.upper()
        name += f" {metavar}"
    return [literal_node(name)]


def _required(action: argparse.Action) -> bool:
    if action.option_strings:
        return bool(action.required)
    return action.nargs not in ("?", "*")


def _values(action: argparse.Action) -> list[nodes.Node]:
    if action.choices is not None:
        return _joined(literal_node(str(choice)) for choice in action.choices)
    if action.type is int:
        return [text_node("a whole number")]
    if action.metavar == "DATE":
        return [text_node("a date "), literal_node("YYYY-MM-DD")]
    if action.nargs == 0:
        return [text_node("a flag")]
    return [text_node("—")]


def _default(action: argparse.Action) -> list[nodes.Node]:
    if _required(action) or isinstance(action, argparse._VersionAction):
        return [text_node("—")]
    default = action.default
    if action.nargs == 0 and default is False:
        return [text_node("off")]
    if default is None or default is argparse.SUPPRESS:
        return [text_node("none")]
    if isinstance(default, list) and not default:
        return [text_node("none")]
    return [literal_node(str(default))]


def _argument_key(action: argparse.Action) -> str:
    """How a description in the directive's content names an argument."""
    return action.option_strings[-1] if action.option_strings else action.dest


def _arguments_table(
    parser: argparse.ArgumentParser,
    meanings: dict[str, list[nodes.Node]],
    problems: list[str],
) -> nodes.table:
    """A row per argument; an argument without help takes its meaning from ``meanings``."""
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            if parser.prog.count(" ") == 0:
                continue  # the command's own table lists its commands
            # A command with actions of its own (leder store init|import|…): one row for the
            # action; each action has its own section below.
            rows.append(
                [
                    paragraph_node(
                        literal_node(action.dest),
                        text_node(" "),
                        nodes.emphasis("required", "required"),
                    ),
                    paragraph_node(*_help_nodes(_expanded_help(action, parser.prog))),
                    paragraph_node(
                        *_joined(literal_node(str(choice)) for choice in action.choices)
                    ),
                    paragraph_node(text_node("—")),
                ]
            )
            continue
        name = _argument_name(action)
        if _required(action):
            name += [text_node(" "), nodes.emphasis("required", "required")]
        key = _argument_key(action)
        help_text = _expanded_help(action, parser.prog)
        if isinstance(action, argparse._VersionAction):
            meaning: list[nodes.Node] = [text_node("print the version and exit")]
        elif help_text:
            meaning = _help_nodes(help_text)
            if key in meanings:
                problems.append(f"{parser.prog} {key} has its own help: describe it there")
        elif key in meanings:
            meaning = meanings[key]
        else:
            problems.append(f"{parser.prog} {key} has no help and is not described")
            meaning = [text_node("—")]
        rows.append(
            [
                paragraph_node(*name),
                paragraph_node(*meaning),
                paragraph_node(*_values(action)),
                paragraph_node(*_default(action)),
            ]
        )
    table = _table(["Argument", "Meaning", "Values", "Default"], rows, widths=[24, 40, 22, 14])
    table["classes"].append("leder-cli-arguments")
    return table


def _subcommands(
    parser: argparse.ArgumentParser,
) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """Each subcommand: its name, its one-line help, its parser (aliases once)."""
    found = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        seen: set[int] = set()
        for name, subparser in action.choices.items():
            if id(subparser) in seen:
                continue
            seen.add(id(subparser))
            found.append((name, helps.get(name, ""), subparser))
    return found


def _console(text: str) -> nodes.literal_block:
    return nodes.literal_block(text, text, language="text")


_DESCRIBED = re.compile(r"\A(\S+) (\S+):\s+(.*)\Z")


class CommandLine(_LederDirective):
    """The ``leder`` command, read from its argument parser.

    The help of each argument comes from the parser. An argument the parser gives no help is
    described in the directive's content, one ``COMMAND ARGUMENT: text`` line each (``leder``
    for the command's own options; an option by its long name, a positional by its name), and
    the build warns about any argument that has neither.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "parser": directives.unchanged_required,
    }

    def _actions_of(
        self, anchor: str, parser: argparse.ArgumentParser, problems: list[str]
    ) -> list[nodes.Node]:
        """A section for each action of a command that has some (``leder store init``)."""
        sections: list[nodes.Node] = []
        for name, help_text, action_parser in _subcommands(parser):
            nested_anchor = f"{anchor}-{name}"
            nested = nodes.section(ids=[nested_anchor], names=[nested_anchor])
            nested += nodes.title("", "", literal_node(action_parser.prog))
            self.state.document.note_explicit_target(nested, nested)
            if help_text:
                nested += paragraph_node(help_text[0].upper() + help_text[1:] + ".")
            nested += _console(_usage(action_parser))
            nested += _arguments_table(action_parser, {}, problems)
            sections.append(nested)
        return sections

    def run(self) -> list[nodes.Node]:
        path = self.options.get("parser", "leder_core.cli.build_parser")
        try:
            build = _import(path)
        except (ImportError, AttributeError):
            return [
                self.state.document.reporter.warning(
                    f"leder-cli: cannot import {path}", line=self.lineno
                )
            ]
        self._depends_on(build)
        parser: argparse.ArgumentParser = build()
        commands = _subcommands(parser)
        problems: list[str] = []
        described: dict[str, dict[str, list[nodes.Node]]] = {}
        for line in self.content:
            if not line.strip():
                continue
            match = _DESCRIBED.match(line)
            if match is None:
                problems.append(f"line not understood: {line.strip()!r}")
                continue
            command, key, text = match.groups()
            inline, messages = self.parse_inline(text, lineno=self.lineno)
            described.setdefault(command, {})[key] = [*inline, *messages]
        known = {parser.prog, *(name for name, _, _ in commands)}
        problems += [
            f"{command!r} is not a command" for command in described if command not in known
        ]
        result: list[nodes.Node] = [_console(_usage(parser))]
        if parser.description:
            result.append(paragraph_node(parser.description))
        result.append(
            _table(
                ["Command", "Does"],
                (
                    [
                        paragraph_node(
                            nodes.reference(
                                "", "", literal_node(f"{parser.prog} {name}"), refid=f"leder-{name}"
                            )
                        ),
                        help_text,
                    ]
                    for name, help_text, _ in commands
                ),
                widths=[25, 75],
            )
        )
        result.append(_arguments_table(parser, described.get(parser.prog, {}), problems))
        for name, help_text, subparser in commands:
            anchor = f"leder-{name}"
            section = nodes.section(ids=[anchor], names=[anchor])
            section += nodes.title("", "", literal_node(subparser.prog))
            section += addnodes.index(
                entries=[("single", f"{subparser.prog} (command)", anchor, "", None)]
            )
            self.state.document.note_explicit_target(section, section)
            if help_text:
                section += paragraph_node(help_text[0].upper() + help_text[1:] + ".")
            section += _console(_usage(subparser))
            section += _arguments_table(subparser, described.get(name, {}), problems)
            section += self._actions_of(anchor, subparser, problems)
            result.append(section)
        for command, meanings in described.items():
            if command not in known:
                continue
            prog = parser.prog if command == parser.prog else f"{parser.prog} {command}"
            target = next((sub for name, _, sub in commands if name == command), parser)
            keys = {_argument_key(action) for action in target._actions}
            problems += [f"{prog} has no argument {key!r}" for key in meanings if key not in keys]
        if problems:
            reporter = self.state.document.reporter
            return [
                reporter.warning(f"leder-cli: {problem}", line=self.lineno) for problem in problems
            ]
        return result


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(graphviz, override=True, html=(_visit_graphviz_html, None))
    app.add_crossref_type(RULE, "rule", objname="rule")
    app.add_crossref_type(INTERPRETATION, "interpretation", objname="interpretation")
    app.add_crossref_type(ENUMERATION, "enumeration", objname="enumeration")
    app.add_directive("leder-rule-catalogue", RuleCatalogue)
    app.add_directive("leder-interpretations", Interpretations)
    app.add_directive("leder-enum", EnumTable)
    app.add_directive("leder-fields", DocumentFields)
    app.add_directive("leder-json-schema", JsonSchema)
    app.add_directive("leder-workflow-diagram", WorkflowDiagram)
    app.add_directive("leder-transition-table", TransitionTable)
    app.add_directive("leder-workflow-states", WorkflowStates)
    app.add_directive("leder-cli", CommandLine)
    _setup_fhir(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# --- facts from FHIR records --------------------------------------------------------------
# Self-contained: the directive imports the module of the FHIR-* rules, found through the
# catalogue, only when it runs, so this extension still loads in a version without them.


class FhirMapping(_LederDirective):
    """``leder-fhir-mapping``: every notification field and where a FHIR record gives it.

    Read from the module defining the ``FHIR-*`` rules (:data:`leder_casebook.FHIR_RULE`): the
    fields in the order of the notification, the ``FHIR-*`` rule reading each (linked to the
    catalogue), the elements read and when the rule refuses; the fields no FHIR element holds
    say whether they must be supplied or take their default. Option ``:codes:`` adds the
    built-in code lists, concept by concept.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "codes": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        if FHIR_RULE not in registry.CATALOGUE:
            return [paragraph_node("Reading FHIR records is not in this version.")]
        fhir = registry.rule_module(FHIR_RULE)
        self._depends_on(fhir)
        docname = self.env.docname
        mapping = {entry.field: entry for entry in fhir.MAPPING}
        rows = []
        for field, _rule_id, default in fhir.FIELDS:
            entry = mapping.get(field)
            if entry is not None:
                rule_cell: nodes.Node = paragraph_node(_xref(docname, RULE, entry.rule))
                rows.append(
                    [paragraph_node(literal_node(field)), rule_cell, entry.reads, entry.refused]
                )
            elif default is fhir.REQUIRED:
                rows.append(
                    [
                        paragraph_node(literal_node(field)),
                        "—",
                        "no FHIR element: must be supplied",
                        "—",
                    ]
                )
            else:
                shown = json.dumps(default)
                rows.append(
                    [
                        paragraph_node(literal_node(field)),
                        "—",
                        paragraph_node(
                            text_node("no FHIR element: supplied, or the default "),
                            literal_node(shown),
                        ),
                        "—",
                    ]
                )
        result: list[nodes.Node] = [
            _table(
                ["Notification field", "Rule", "Read from", "Refused (unless supplied) when"],
                rows,
                widths=[20, 18, 40, 22],
            )
        ]
        if "codes" in self.options:
            lists = importlib.import_module("leder_core.fhir").CodeLists()
            for code_list in (lists.learning_disability, lists.autism):
                result.append(
                    paragraph_node(
                        text_node("Built-in "),
                        literal_node(code_list.name),
                        text_node(
                            f" (refset {code_list.refset_id}), {len(code_list)} core concepts:"
                        ),
                    )
                )
                if code_list.citations:
                    result.append(
                        _bullets(paragraph_node(_link(c.title, c.url)) for c in code_list.citations)
                    )
                result.append(
                    _table(
                        ["SNOMED CT", "Term"],
                        (
                            [paragraph_node(literal_node(code)), term]
                            for code, term in code_list.concepts
                        ),
                        widths=[30, 70],
                    )
                )
        return result


def _setup_fhir(app: Sphinx) -> None:
    app.add_directive("leder-fhir-mapping", FhirMapping)
