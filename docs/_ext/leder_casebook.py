"""leder_casebook: the policy cases as a page, at build time.

Why this is long: reading the case files, their node builders and the page are one casebook,
and its tests read these names from this module.

``leder-casebook``
    Every policy case of ``tests/cases/*.toml`` (the files the test suite runs), one section per
    file in file-name order and one section per case in file order (anchor: the case id): its
    title, its note, the facts it starts from as a table (a case written ``like`` another shows
    what it changes and links the case it starts from), anything else it supplies, the expected
    outcome and the rules that decide it, each linked to its catalogue entry. A kind of case
    this page has not seen is shown the same way: every key as a row, nested values under
    dotted keys, large inputs in a block the reader opens.
``leder-ruleset-changes`` (registered by ``leder_docs``, made in ``leder_docs_rulesets``)
    What changed between the rule sets: their dates and sources, the rules each one has, the
    order of eligibility rules and the mandatory triggers, the level a trigger raises a review
    to, and every dated parameter whose value changed, with the date and the rule set in force
    from then. The rule parameters it shows are read here (:data:`RULE_PARAMETERS`).

The role ``{case}`` links to a case by its id. :func:`cases_by_rule` gives, for each rule id,
the cases whose expectations name it: the rule catalogue lists them under each rule.

The case files are read here as ``tests/cases/conftest.py`` reads them for the tests
(``like``/``change`` inheritance, ``"__absent__"`` removes a key); the key that holds a kind's
input is read from that file's ``INPUT_KEYS`` table, so a new kind added there is understood
here without an edit. ``tests/docs/test_docs_generated.py`` checks that the two readings agree.
"""

from __future__ import annotations

import ast
import copy
import functools
import re
import tomllib
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final

import attrs
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from leder_core.rules import parameters, registry
from leder_core.rules.parameters import Parameter

__all__ = [
    "CASE",
    "CASES_DIR",
    "RULE_PARAMETERS",
    "CaseFile",
    "PolicyCase",
    "all_parameters",
    "cases_by_rule",
    "labelled_paragraph",
    "load_case_file",
    "load_cases",
    "parameter_problems",
    "rule_parameters",
    "setup",
    "shown_value",
]

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "cases"

#: The object type of a case's anchor; the role ``{case}`` links to it.
CASE = "leder-case-anchor"

# Keys of a case that are about the case, not its input (as the tests' reader has them).
_META = ("id", "title", "note", "kind", "like", "change", "expect")
_ABSENT = "__absent__"
_NONE = "__none__"
# Inputs with more rows than this are shown in a block the reader opens.
_LARGE = 24


# --- reading the case files ---------------------------------------------------------------


@functools.cache
def _input_keys() -> dict[str, str]:
    """The key that holds each kind's input, from the ``INPUT_KEYS`` table of the tests."""
    return input_keys_from((CASES_DIR / "conftest.py").read_text(encoding="utf-8"))


def input_keys_from(source: str) -> dict[str, str]:
    """The ``INPUT_KEYS`` table of a conftest's source, read, not imported (the conftest needs
    pytest): the literal table, then any ``INPUT_KEYS["kind"] = "key"`` or
    ``INPUT_KEYS.update({...})`` after it."""
    tree = ast.parse(source)
    found: dict[str, str] = {}

    def literal(node: ast.expr) -> Any:
        try:
            return ast.literal_eval(node)
        except ValueError:
            return None

    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                value = literal(statement.value) if statement.value else None
                if isinstance(target, ast.Name) and target.id == "INPUT_KEYS":
                    if isinstance(value, dict):
                        found.update({str(k): str(v) for k, v in value.items()})
                elif (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "INPUT_KEYS"
                    and isinstance(value, str)
                ):
                    kind = literal(target.slice)
                    if isinstance(kind, str):
                        found[kind] = value
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and isinstance(statement.value.func.value, ast.Name)
            and statement.value.func.value.id == "INPUT_KEYS"
            and statement.value.func.attr == "update"
            and statement.value.args
        ):
            value = literal(statement.value.args[0])
            if isinstance(value, dict):
                found.update({str(k): str(v) for k, v in value.items()})
    return found


def _guess_input_key(case: dict[str, Any]) -> str | None:
    """For a kind the tests' table does not name: the case's first table that is not meta."""
    for key, value in case.items():
        if key not in _META and isinstance(value, dict) and "interpretation" not in key:
            return key
    return None


def _merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif value == _ABSENT:
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@attrs.frozen
class PolicyCase:
    """One case, with everything it inherits resolved."""

    id: str
    title: str
    note: str
    kind: str
    file: str
    data: dict[str, Any]
    """Every key of the case as the tests see it (inherited ones included)."""
    input_key: str | None
    like: str | None
    change: dict[str, Any]
    expect: dict[str, Any]
    rules: tuple[str, ...]
    """The rule ids the expectations name, in the order they first appear, then those that
    decide an expectation without naming it (:data:`IMPLIED_RULES`)."""


@attrs.frozen
class CaseFile:
    path: Path
    cases: tuple[PolicyCase, ...]

    @property
    def title(self) -> str:
        """The heading of the file's section: its name in words, acronyms as written
        (``fhir.toml``: "FHIR")."""
        words = [
            _ACRONYMS.get(word, word)
            for word in self.path.stem.replace("_", " ").replace("-", " ").split()
        ]
        text = " ".join(words)
        return text[:1].upper() + text[1:]


#: Words of case file names that are acronyms, as they are written.
_ACRONYMS: Final = {"fhir": "FHIR", "ods": "ODS", "icb": "ICB", "ccg": "CCG", "gp": "GP"}


def _rule_ids(value: object) -> Iterator[str]:
    """Every registered rule id named in an expectation: as a value, in a list, or as a key."""
    if isinstance(value, str):
        if value in registry.RULES:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _rule_ids(key)
            yield from _rule_ids(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _rule_ids(item)


#: Expectations that a rule decides without naming it, by kind and dotted key: a review's
#: expected status is DEAD-STATUS's, and whether its lateness is excused is DEAD-HOLDS's.
IMPLIED_RULES: dict[tuple[str, str], tuple[str, ...]] = {
    ("review", "status"): ("DEAD-STATUS",),
    ("review", "status.excused"): ("DEAD-HOLDS",),
    # Every body case looks its code up in the directory and follows it to the date; one that
    # expects a kind is also decided by the kind responsible on that date.
    ("body", "*"): ("BODY-DIRECTORY", "BODY-AS-OF"),
    ("body", "kind"): ("BODY-KIND",),
    ("working_days", "*"): ("DEAD-WORKING-DAYS",),
}


#: A rule whose module, found through the catalogue, holds the FHIR rules' own tables
#: (``FIELDS``, ``MAPPING``, ``REQUIRED``).
FHIR_RULE: Final = "FHIR-NHS-NUMBER"


def _fhir_field_rules() -> dict[str, str]:
    """Each notification field a ``FHIR-*`` rule reads, with its rule: from the rules' own table
    (``FIELDS`` of the module the catalogue names for them, imported when the docs are built)."""
    fields = registry.rule_module(FHIR_RULE).FIELDS
    return {name: rule_id for name, rule_id, _default in fields if rule_id is not None}


def _implied(kind: str, expect: dict[str, Any]) -> Iterator[str]:
    keys = {key for key, _ in _flatten(expect)}
    keys |= {key.split(".", 1)[0] for key in keys}
    for (wanted_kind, key), rule_ids in IMPLIED_RULES.items():
        if kind == wanted_kind and (key == "*" or key in keys):
            yield from (rule_id for rule_id in rule_ids if rule_id in registry.RULES)
    if kind == "fhir":
        # A FHIR case exercises the rule of every field it expects something of
        # (``notification.person.autism``, ``sources.person.autism``, ``texts.person.autism``).
        for field, rule_id in _fhir_field_rules().items():
            if any(key == field or key.endswith(f".{field}") for key in keys):
                yield rule_id


def load_case_file(path: Path) -> CaseFile:
    """The cases of one file, inheritance resolved as the tests resolve it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    keys = _input_keys()
    resolved: dict[str, dict[str, Any]] = {}
    found: list[PolicyCase] = []
    for raw in data.get("case", []):
        case = dict(raw)
        kind = case.setdefault("kind", "assessment")
        input_key = keys.get(kind)
        if "like" in case:
            base = resolved[case["like"]]
            for key, value in base.items():
                if key not in case and key not in {"id", "title", "note", "expect", "change"}:
                    case[key] = copy.deepcopy(value)
            input_key = input_key or _guess_input_key(base)
            if input_key is not None and isinstance(base.get(input_key), dict):
                case[input_key] = _merge(base[input_key], raw.get("change", {}))
        input_key = input_key or _guess_input_key(case)
        case_id = str(case.get("id", ""))
        if not case_id or case_id in resolved:
            raise ValueError(f"{path.name}: a case without an id, or with one used twice")
        resolved[case_id] = case
        expect = dict(case.get("expect", {}))
        found.append(
            PolicyCase(
                id=case_id,
                title=str(case.get("title", "")),
                note=str(case.get("note", "")).strip(),
                kind=kind,
                file=path.name,
                data=case,
                input_key=input_key,
                like=raw.get("like"),
                change=dict(raw.get("change", {})),
                expect=expect,
                rules=tuple(dict.fromkeys([*_rule_ids(expect), *_implied(kind, expect)])),
            )
        )
    return CaseFile(path=path, cases=tuple(found))


def load_cases(folder: Path = CASES_DIR) -> list[CaseFile]:
    """Every case file of the folder, in file-name order."""
    return [load_case_file(path) for path in sorted(folder.glob("*.toml"))]


def cases_by_rule(files: list[CaseFile] | None = None) -> dict[str, list[PolicyCase]]:
    """For each rule id, the cases whose expectations name it (rules named by none absent)."""
    found: dict[str, list[PolicyCase]] = {}
    for case_file in load_cases() if files is None else files:
        for case in case_file.cases:
            for rule_id in case.rules:
                found.setdefault(rule_id, []).append(case)
    return found


# --- small node builders ------------------------------------------------------------------


def text_node(value: str) -> nodes.Text:
    return nodes.Text(value)


def literal_node(value: str) -> nodes.literal:
    return nodes.literal(value, value)


def paragraph_node(*children: nodes.Node | str) -> nodes.paragraph:
    return nodes.paragraph(
        "", "", *(text_node(child) if isinstance(child, str) else child for child in children)
    )


def _xref(docname: str, reftype: str, target: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        literal_node(target),
        refdomain="std",
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        refwarn=False,
        refdoc=docname,
    )


def case_link(docname: str, case_id: str) -> addnodes.pending_xref:
    """A link to a case of the casebook, shown as its id."""
    return _xref(docname, "case", case_id)


def _joined(items: list[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for item in items:
        if joined:
            joined.append(text_node(separator))
        joined.append(item)
    return joined


class details(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """A block the reader opens (HTML ``<details>``), with a ``summary`` attribute."""


def _visit_details(translator: HTML5Translator, node: details) -> None:
    classes = " ".join(["leder-details", *node.get("classes", [])])
    summary = translator.encode(node["summary"])
    translator.body.append(f'<details class="{classes}"><summary>{summary}</summary>\n')


def _depart_details(translator: HTML5Translator, node: details) -> None:
    translator.body.append("</details>\n")


def _visit_plain(translator: Any, node: nodes.Node) -> None:
    pass


def _collapsible(summary: str, *children: nodes.Node) -> details:
    block = details(summary=summary)
    block.extend(children)
    return block


def _value_nodes(value: object, docname: str) -> list[nodes.Node]:
    """A fact's value as a reader wants it: rule ids linked, codes as code."""
    if value == _NONE:
        return [nodes.emphasis("null", "null")]
    if value == _ABSENT:
        return [nodes.emphasis("removed", "removed")]
    if isinstance(value, bool):
        return [literal_node("true" if value else "false")]
    if isinstance(value, list):
        if not value:
            return [nodes.emphasis("none", "none")]
        return _joined([node for item in value for node in _value_nodes(item, docname)])
    if isinstance(value, date):
        return [literal_node(value.isoformat())]
    text = str(value)
    if text in registry.RULES:
        return [_xref(docname, "rule", text)]
    if isinstance(value, str) and ("\n" in text or len(text) > 60):
        return [text_node(" ".join(text.split()))]
    return [literal_node(text)]


def _flatten(value: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Nested tables as rows under dotted keys; lists of tables by position."""
    if isinstance(value, dict):
        if not value and prefix:
            yield prefix, []
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def case_facts(case: PolicyCase) -> object:
    """A case's input as a table's rows: a bare value (a ``body`` case's recorded code) is
    shown under its input key."""
    facts = case.data[case.input_key]
    return facts if isinstance(facts, dict | list) else {case.input_key: facts}


def _facts_table(value: object, docname: str, classes: str) -> nodes.table:
    table = nodes.table(classes=["leder-table", "leder-facts", classes])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=40)
    group += nodes.colspec(colwidth=60)
    head = nodes.thead()
    group += head
    head += _row([paragraph_node("Key"), paragraph_node("Value")])
    body = nodes.tbody()
    group += body
    for key, item in _flatten(value):
        body += _row(
            [
                paragraph_node(literal_node(key or "(value)")),
                paragraph_node(*_value_nodes(item, docname)),
            ]
        )
    return table


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell
        row += entry
    return row


def _rows(value: object) -> int:
    return sum(1 for _ in _flatten(value))


def labelled_paragraph(label: str, *children: nodes.Node) -> nodes.paragraph:
    return paragraph_node(nodes.strong(label, label), text_node(" "), *children)


# --- the casebook -------------------------------------------------------------------------

_ID = re.compile(r"\b([A-Z]+(?:-[A-Z0-9]+)+)\b")


def _prose(text: str, docname: str) -> list[nodes.Node]:
    """A note's paragraphs, with rule ids linked."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        children: list[nodes.Node] = []
        for index, piece in enumerate(_ID.split(" ".join(paragraph.split()))):
            if index % 2 and piece in registry.RULES:
                children.append(_xref(docname, "rule", piece))
            elif piece:
                children.append(text_node(piece))
        if children:
            found.append(paragraph_node(*children))
    return found


def _input_block(case: PolicyCase, docname: str) -> list[nodes.Node]:
    if case.input_key is None or case.input_key not in case.data:
        return []
    facts = case_facts(case)
    label = f"The facts ({case.input_key})"
    result: list[nodes.Node] = []
    if case.like is not None:
        result.append(
            labelled_paragraph(
                "Starts from",
                case_link(docname, case.like),
                text_node(", changing:" if case.change else ", with no change to its facts."),
            )
        )
        if case.change:
            result.append(_facts_table(case.change, docname, "leder-change"))
        result.append(
            _collapsible(
                f"All the facts ({_rows(facts)} rows)",
                _facts_table(facts, docname, "leder-input"),
            )
        )
        return result
    result.append(labelled_paragraph(label))
    table = _facts_table(facts, docname, "leder-input")
    if _rows(facts) > _LARGE:
        result.append(_collapsible(f"Show the facts ({_rows(facts)} rows)", table))
    else:
        result.append(table)
    return result


def _other_blocks(case: PolicyCase, docname: str) -> list[nodes.Node]:
    """Everything a case supplies besides its input: dates, interpretation choices, ..."""
    result: list[nodes.Node] = []
    for key, value in case.data.items():
        if key in _META or key == case.input_key:
            continue
        if not isinstance(value, dict | list) or (
            isinstance(value, list) and not any(isinstance(i, dict | list) for i in value)
        ):
            result.append(labelled_paragraph(f"{key}:", *_value_nodes(value, docname)))
            continue
        table = _facts_table(value, docname, "leder-supplied")
        if _rows(value) > _LARGE:
            result.append(labelled_paragraph(f"{key}:"))
            result.append(_collapsible(f"Show {key} ({_rows(value)} rows)", table))
        else:
            result += [labelled_paragraph(f"{key}:"), table]
    return result


def _case_section(case: PolicyCase, docname: str, std: StandardDomain) -> nodes.section:
    section = nodes.section(ids=[case.id], classes=["leder-case"])
    section += nodes.title("", "", literal_node(case.id), text_node(f" — {case.title}"))
    section += addnodes.index(entries=[("single", f"{case.id} (policy case)", case.id, "", None)])
    section.extend(_prose(case.note, docname))
    if case.kind != "assessment":
        section += labelled_paragraph("Kind:", literal_node(case.kind))
    section.extend(_input_block(case, docname))
    section.extend(_other_blocks(case, docname))
    section += labelled_paragraph("Expected:")
    section += _facts_table(case.expect, docname, "leder-expect")
    decided = [_xref(docname, "rule", rule_id) for rule_id in case.rules]
    section += labelled_paragraph(
        "Rules:", *(_joined(decided) or [text_node("the expectations name no rule")])
    )
    std.note_object(CASE, case.id, case.id, location=section)
    return section


class _Directive(SphinxDirective):
    def _std(self) -> StandardDomain:
        return typing.cast("StandardDomain", self.env.get_domain("std"))

    def _depends_on_cases(self) -> None:
        for path in sorted(CASES_DIR.glob("*.toml")):
            self.env.note_dependency(str(path))
        self.env.note_dependency(str(CASES_DIR / "conftest.py"))


class Casebook(_Directive):
    """Every policy case of the test suite, grouped as the files are."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self._depends_on_cases()
        try:
            files = load_cases()
        except (ValueError, KeyError, tomllib.TOMLDecodeError) as error:
            return [
                self.state.document.reporter.warning(
                    f"leder-casebook: cannot read the cases: {error}", line=self.lineno
                )
            ]
        docname = self.env.docname
        std = self._std()
        count = sum(len(case_file.cases) for case_file in files)
        summary = nodes.bullet_list()
        for case_file in files:
            item = paragraph_node(
                nodes.reference(
                    "", case_file.title, refid=f"cases-{case_file.path.stem.replace('_', '-')}"
                ),
                text_node(f" ({len(case_file.cases)} cases, "),
                literal_node(f"tests/cases/{case_file.path.name}"),
                text_node(")"),
            )
            summary += nodes.list_item("", item)
        result: list[nodes.Node] = [
            paragraph_node(f"{count} cases in {len(files)} files:"),
            summary,
        ]
        for case_file in files:
            anchor = f"cases-{case_file.path.stem.replace('_', '-')}"
            section = nodes.section(ids=[anchor], names=[anchor])
            section += nodes.title(case_file.title, case_file.title)
            self.state.document.note_explicit_target(section, section)
            section += paragraph_node(
                text_node(f"{len(case_file.cases)} cases, from "),
                literal_node(f"tests/cases/{case_file.path.name}"),
                text_node("."),
            )
            for case in case_file.cases:
                section += _case_section(case, docname, std)
            result.append(section)
        return result


# --- rule parameters ----------------------------------------------------------------------

#: The rules that read each dated parameter of :mod:`leder_core.rules.parameters`, by the
#: parameter's name. A parameter missing here, or a name that is no parameter, warns.
RULE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "ruleset": ("RS-SELECT",),
    "minimum_age": ("ELIG-AGE-MINIMUM",),
    "adult_age": ("ELIG-CHILD-ROUTE", "PATH-YOUNG-ADULT"),
    "young_adult_maximum_age": ("PATH-YOUNG-ADULT",),
    "autism_qualifies": ("ELIG-CONDITION",),
    "autism_focused_mandatory": ("PATH-AUTISM",),
    "dols_is_state_detention": ("HOLD-DETENTION",),
    "police_conduct_body": ("HOLD-DETENTION",),
    "review_months": ("DEAD-SIX-MONTHS",),
}


def all_parameters() -> list[Parameter[Any]]:
    """Every dated parameter the rules read, in the module's order."""
    return [value for value in vars(parameters).values() if isinstance(value, Parameter)]


def rule_parameters(rule_id: str) -> list[Parameter[Any]]:
    """The dated parameters a rule reads."""
    return [
        parameter
        for parameter in all_parameters()
        if rule_id in RULE_PARAMETERS.get(parameter.name, ())
    ]


def parameter_problems() -> list[str]:
    names = {parameter.name for parameter in all_parameters()}
    problems = [
        f"parameter {name!r} is read by no rule listed" for name in names - set(RULE_PARAMETERS)
    ]
    problems += [f"{name!r} is not a parameter" for name in set(RULE_PARAMETERS) - names]
    problems += [
        f"{name!r}: {rule_id} is not a rule"
        for name, rule_ids in RULE_PARAMETERS.items()
        for rule_id in rule_ids
        if rule_id not in registry.RULES
    ]
    return problems


def shown_value(value: object) -> str:
    if hasattr(value, "value"):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _start(day: date) -> str:
    return "always" if day == parameters.BEGINNING else f"from {day.isoformat()}"


def parameter_timeline(parameter: Parameter[Any]) -> list[nodes.Node]:
    """A parameter's values with their start dates and sources, as inline nodes."""
    parts: list[nodes.Node] = []
    for entry in parameter.timeline:
        if parts:
            parts.append(text_node("; "))
        parts += [
            literal_node(shown_value(entry.value)),
            text_node(f" {_start(entry.effective_from)} ("),
            nodes.reference(entry.citation.title, entry.citation.title, refuri=entry.citation.url),
            text_node(")"),
        ]
    return parts


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_crossref_type(CASE, "case", objname="policy case")
    app.add_node(
        details,
        html=(_visit_details, _depart_details),
        text=(_visit_plain, _visit_plain),
        latex=(_visit_plain, _visit_plain),
    )
    app.add_directive("leder-casebook", Casebook)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
