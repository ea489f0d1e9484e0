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
    The review workflow drawn by Graphviz from :func:`leder_core.render.diagram.workflow_dot`, as a
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
    Every notification field and where a FHIR R4 (UK Core) record gives it, read from the
    module of the ``FHIR-*`` rules (found through the rule catalogue): the ``FHIR-*`` rule, the
    elements read, when it refuses; option ``:codes:`` adds the built-in code lists.
``leder-cli``
    The ``leder`` command, read from :func:`leder_core.cli.build_parser`: the usage, a table of
    the commands, then one section per command (anchor and label ``leder-<command>``) with its
    usage and a table of its arguments: meaning, values, default. An argument without help in
    the parser is described in the content, as ``COMMAND ARGUMENT: text`` lines; an argument
    with neither, or a description of an argument that does not exist, fails the build.
    Option ``:parser:``: the dotted path of another parser factory.

Roles ``{rule}`` and ``{interpretation}`` link to a rule or an interpretation by its id, and
``{enumeration}`` to an enumeration table by its class name.

This module holds the rules, interpretations and enumerations directives and ``setup``; the
others live in ``leder_docs_documents`` (fields, JSON Schemas), ``leder_docs_workflow``,
``leder_docs_cli``, ``leder_docs_fhir`` and ``leder_docs_rulesets`` (``leder-ruleset-changes``,
described with the casebook), on the node builders of ``leder_docs_nodes``.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

import attrs
import leder_casebook
from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders, shared
    literal_node,
    paragraph_node,
    text_node,
)
from leder_docs_cli import CommandLine
from leder_docs_documents import DocumentFields, JsonSchema
from leder_docs_fhir import register_fhir
from leder_docs_nodes import (
    ENUMERATION,
    INTERPRETATION,
    RULE,
    FieldItem,
    LederDirective,
    attribute_docs,
    bullet_list_node,
    field_list_node,
    import_dotted,
    inline_nodes,
    joined_nodes,
    link_node,
    section_node,
    table_node,
    xref_node,
)
from leder_docs_rulesets import RulesetChanges
from leder_docs_workflow import (
    TransitionTable,
    WorkflowDiagram,
    WorkflowStates,
    visit_graphviz_html,
)
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util.typing import ExtensionMetadata

from leder_core import interpretation
from leder_core.rules import registry
from leder_core.rules.registry import Confidence, Rule

__all__ = ["section_page", "setup"]


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
    docs = attribute_docs(Confidence)
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
    links = paragraph_node(
        *joined_nodes(leder_casebook.case_link(docname, case.id) for case in cases)
    )
    if len(cases) <= 12:
        return links
    block = leder_casebook.details(summary=f"{len(cases)} policy cases")
    block += links
    return block


class RuleCatalogue(LederDirective):
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
        by_rule = self._cases_by_rule()
        result: list[nodes.Node] = [self._summary(rules)]
        for rule in rules:
            section = section_node(
                rule.id, [literal_node(rule.id), text_node(f" — {rule.title}")], f"{rule.id} (rule)"
            )
            section += paragraph_node(*inline_nodes(rule.text, docname))
            fields = self._fields(rule, meanings[rule.confidence.value])
            fields.append(("Cases", _cases_of(docname, by_rule.get(rule.id, []))))
            section += field_list_node(fields)
            self._note(RULE, rule.id, section)
            result.append(section)
        return result

    def _cases_by_rule(self) -> dict[str, list[Any]]:
        """The policy cases exercising each rule (none, with a warning, if they cannot be read)."""
        for path in sorted(leder_casebook.CASES_DIR.glob("*.toml")):
            self.env.note_dependency(str(path))
        try:
            return leder_casebook.cases_by_rule()
        except (ValueError, KeyError) as error:
            self.state.document.reporter.warning(
                f"leder-rule-catalogue: cannot read the policy cases: {error}", line=self.lineno
            )
            return {}

    def _summary(self, rules: Sequence[Rule]) -> nodes.table:
        docname = self.env.docname
        return table_node(
            ["Rule", "Title", "Section", "Rule sets", "Confidence"],
            (
                [
                    xref_node(docname, RULE, rule.id),
                    rule.title,
                    paragraph_node(_section_link(self.env, docname, rule.section, short=True)),
                    ", ".join(str(ruleset) for ruleset in rule.rulesets),
                    f"[{rule.confidence.value}]",
                ]
                for rule in rules
            ),
            widths=[22, 40, 10, 18, 10],
        )

    def _fields(self, rule: Rule, meaning: str) -> list[FieldItem]:
        """A rule's fields, from its section to its citations."""
        docname = self.env.docname
        fields: list[FieldItem] = [
            ("Section", paragraph_node(_section_link(self.env, docname, rule.section))),
            (
                "Rule sets",
                paragraph_node(*joined_nodes(literal_node(str(r)) for r in rule.rulesets)),
            ),
            ("Applies", paragraph_node(_effective(rule))),
            ("Confidence", paragraph_node(f"[{rule.confidence.value}] {meaning}")),
        ]
        if rule.interpretations:
            interpretations = (xref_node(docname, INTERPRETATION, i) for i in rule.interpretations)
            fields.append(("Interpretations", paragraph_node(*joined_nodes(interpretations))))
        read = leder_casebook.rule_parameters(rule.id)
        if read:
            timelines = (
                paragraph_node(
                    literal_node(p.name), text_node(": "), *leder_casebook.parameter_timeline(p)
                )
                for p in read
            )
            fields.append(("Parameters", bullet_list_node(timelines)))
        citations = (paragraph_node(link_node(c.title, c.url)) for c in rule.citations)
        fields.append(("Citations", bullet_list_node(citations)))
        return fields


# --- interpretations ----------------------------------------------------------------------


def _alternatives(cls: type, field: attrs.Attribute[Any], kind: Any) -> list[nodes.Node]:
    """The values other than the default (enumerations), or the range a number may take."""
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        others = [member for member in kind if member != field.default]
        return joined_nodes(literal_node(str(member.value)) for member in others) or [
            text_node("none")
        ]
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
                parts += joined_nodes(
                    literal_node(str(member.value)) for member in branch if member != field.default
                )
        return joined_nodes(parts, " or ") if parts else [text_node("none")]
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


class Interpretations(LederDirective):
    """Every INT-* choice, from the metadata of Interpretation's fields."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        cls = interpretation.Interpretation
        self._depends_on(interpretation)
        hints = typing.get_type_hints(cls)
        meanings = _confidence_meanings()
        docname = self.env.docname
        fields = [field for field in attrs.fields(cls) if "id" in field.metadata]
        summary = table_node(
            ["Choice", "Key", "Default", "Alternatives"],
            (
                [
                    xref_node(docname, INTERPRETATION, field.metadata["id"]),
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
            section = section_node(
                about["id"], [literal_node(about["id"])], f"{about['id']} (interpretation)"
            )
            section += paragraph_node(nodes.emphasis(about["question"], about["question"]))
            confidence = Confidence(about.get("confidence", "I")).value
            section += field_list_node(
                [
                    ("Key", paragraph_node(literal_node(field.name))),
                    ("Default", paragraph_node(literal_node(_value(field.default)))),
                    ("Alternatives", paragraph_node(*_alternatives(cls, field, hints[field.name]))),
                    ("Why", paragraph_node(*inline_nodes(about["why"], docname))),
                    ("Confidence", paragraph_node(f"[{confidence}] {meanings[confidence]}")),
                ]
            )
            self._note(INTERPRETATION, about["id"], section)
            result.append(section)
        return result


# --- enumerations -------------------------------------------------------------------------


class EnumTable(LederDirective):
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
            kind = import_dotted(path)
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
        docs = attribute_docs(kind)
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
                row.append(
                    paragraph_node(*inline_nodes(docs.get(member.name, ""), self.env.docname))
                )
            rows.append(row)
        table = table_node(headers, rows, widths, caption=self.options.get("caption"))
        if "no-index" in self.options:
            return [table]
        anchor = f"enum-{kind.__name__}"
        target = nodes.target("", "", ids=[anchor])
        self._note(ENUMERATION, kind.__name__, target)
        return [target, table]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(graphviz, override=True, html=(visit_graphviz_html, None))
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
    app.add_directive("leder-ruleset-changes", RulesetChanges)
    register_fhir(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
