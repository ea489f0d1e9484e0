"""The pages generated from the code say what the code says, and the docs use them.

The workflow diagrams, the tables of states and transitions and the command line reference are
made by the local Sphinx extension (``docs/_ext/leder_docs.py``) when the documentation is
built. These tests run the extension's directives on a small page (no Graphviz needed: the DOT
is read from the document tree, before it would be drawn) and compare what they made with the
code itself; then they check that the real pages use the directives, and that the changelog's
record of rule changes is the rule registry's.

They need Sphinx and the docs folder; without them (the tests run against a built wheel) they
are skipped.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("sphinx")
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXTENSION = DOCS / "_ext"
if not (EXTENSION / "leder_docs.py").is_file():  # pragma: no cover - the wheel's test run
    pytest.skip("the docs extension is not here", allow_module_level=True)

from docutils import nodes  # noqa: E402 - only once Sphinx is known to be installed
from sphinx.application import Sphinx  # noqa: E402
from sphinx.ext.graphviz import graphviz  # noqa: E402
from sphinx.util.docutils import docutils_namespace  # noqa: E402

from helpers import section  # noqa: E402
from leder_core.cli import build_parser  # noqa: E402
from leder_core.models.assessment import RuleSetId  # noqa: E402
from leder_core.models.review import ReviewState  # noqa: E402
from leder_core.render.diagram import workflow_dot  # noqa: E402
from leder_core.rules import parameters  # noqa: E402
from leder_core.rules.registry import iter_rules  # noqa: E402
from leder_core.rules.rulesets import RULESETS  # noqa: E402
from leder_core.rules.workflow import OPEN_STATES, TRANSITIONS  # noqa: E402

# --- building a page with the directives ----------------------------------------------------


def cli_descriptions() -> list[str]:
    """The descriptions docs/cli.md gives its ``leder-cli`` directive, one per line."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    found = re.search(r"^```\{leder-cli\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert found, "docs/cli.md has no leder-cli directive"
    return [line for line in found.group(1).splitlines() if line.strip()]


def page(cli_content: list[str]) -> str:
    described = "".join(f"   {line}\n" for line in cli_content)
    return f"""\
Workflow
========

.. leder-workflow-diagram::
   :ruleset: leder-2021

.. leder-workflow-diagram::
   :ruleset: leder-2016

.. leder-workflow-states::

.. leder-transition-table::

Command line
============

.. leder-cli::

{described}
"""


def build(folder: Path, source: str) -> tuple[nodes.document, str]:
    """The document tree of one page built with the extension, and the build's warnings."""
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "index.rst").write_text(source, encoding="utf-8")
    warnings = io.StringIO()
    sys.path.insert(0, str(EXTENSION))
    try:
        with docutils_namespace():  # its own registry: other tests run Sphinx here too
            app = Sphinx(
                srcdir=folder / "src",
                confdir=None,
                outdir=folder / "out",
                doctreedir=folder / "doctrees",
                buildername="dummy",
                confoverrides={"extensions": ["leder_docs"], "root_doc": "index"},
                status=None,
                warning=warnings,
                freshenv=True,
            )
            app.build()
            return app.env.get_doctree("index"), warnings.getvalue()
    finally:
        sys.path.remove(str(EXTENSION))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[nodes.document, str]:
    return build(tmp_path_factory.mktemp("docs"), page(cli_descriptions()))


@pytest.fixture(scope="module")
def doctree(built: tuple[nodes.document, str]) -> nodes.document:
    return built[0]


def tables(doctree: nodes.document, kind: str) -> list[nodes.table]:
    return [table for table in doctree.findall(nodes.table) if kind in table["classes"]]


def body_rows(table: nodes.table) -> list[list[str]]:
    """The text of each cell of each body row."""
    body = next(table.findall(nodes.tbody))
    return [
        [entry.astext() for entry in row.findall(nodes.entry)] for row in body.findall(nodes.row)
    ]


# --- the workflow ----------------------------------------------------------------------------


def test_the_directives_build_without_a_warning(built: tuple[nodes.document, str]) -> None:
    assert built[1] == ""


@pytest.mark.parametrize("ruleset", list(RuleSetId))
def test_each_diagram_is_drawn_from_the_code_s_dot(
    doctree: nodes.document, ruleset: RuleSetId
) -> None:
    figures = [
        figure
        for figure in doctree.findall(nodes.figure)
        if f"workflow-diagram-{ruleset.value}" in figure["ids"]
    ]
    assert len(figures) == 1
    drawings = list(figures[0].findall(graphviz))
    assert len(drawings) == 1
    assert drawings[0]["code"] == workflow_dot(ruleset)
    assert ruleset.value in drawings[0]["alt"]
    assert ruleset.value in next(figures[0].findall(nodes.caption)).astext()


def test_the_transition_table_has_a_row_per_event_in_table_order(
    doctree: nodes.document,
) -> None:
    (table,) = tables(doctree, "leder-transitions")
    rows = body_rows(table)
    assert [row[0].split()[0] for row in rows] == [event.value for event in TRANSITIONS]


@pytest.mark.parametrize("event", list(TRANSITIONS))
def test_each_row_says_what_the_transition_says(doctree: nodes.document, event: Any) -> None:
    (table,) = tables(doctree, "leder-transitions")
    transition = TRANSITIONS[event]
    name, moves, checks = next(row for row in body_rows(table) if row[0].split()[0] == event)
    assert transition.rule.id in name
    for source in transition.sources:  # named, or covered by "any open state"
        assert source.value in moves or (source in OPEN_STATES and "any open state" in moves)
    for source, targets in transition.targets.items():
        for target in targets:
            assert (target.value if target is not source else "stays where it is") in moves
            if len(targets) > 1 and target in transition.when:
                assert f"({transition.when[target]})" in moves
    for guard in transition.guards:
        assert guard.id in checks
    assert ("FLOW-HOLD-BLOCKS" in checks) is transition.blocked_by_holds
    assert ("does not block" in checks) is not transition.blocked_by_holds


def test_every_rule_of_the_workflow_is_linked_from_the_table(doctree: nodes.document) -> None:
    (table,) = tables(doctree, "leder-transitions")
    text = table.astext() + table.parent.astext()
    wanted = {t.rule.id for t in TRANSITIONS.values()}
    wanted |= {guard.id for t in TRANSITIONS.values() for guard in t.guards}
    wanted |= {"FLOW-HOLD-BLOCKS", "FLOW-DATES", "FLOW-TERMINAL"}
    assert sorted(rule for rule in wanted if rule not in text) == []


def test_the_states_table_has_every_state_with_what_it_accepts(doctree: nodes.document) -> None:
    (table,) = tables(doctree, "leder-workflow-states")
    rows = body_rows(table)
    assert [row[0] for row in rows] == [state.value for state in ReviewState]
    for state, (_, kind, _, accepts) in zip(ReviewState, rows, strict=True):
        assert kind == ("final" if state.terminal else "open")
        accepted = [event.value for event, t in TRANSITIONS.items() if state in t.targets]
        assert accepts.replace(",", " ").split() == (accepted or ["nothing"])


# --- the command line --------------------------------------------------------------------------


def commands() -> Iterator[tuple[str, Any]]:
    parser = build_parser()
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            yield from choices.items()


def test_the_cli_reference_has_a_section_for_every_command(doctree: nodes.document) -> None:
    names = [name for name, _ in commands()]
    assert names  # the parser has subcommands to document
    for name in names:
        assert section(doctree, f"leder-{name}").astext().startswith(f"leder {name}")


@pytest.mark.parametrize("name", [name for name, _ in commands()])
def test_each_command_s_section_shows_its_usage_and_every_argument(
    doctree: nodes.document, name: str
) -> None:
    parser = dict(commands())[name]
    text = section(doctree, f"leder-{name}").astext()
    assert f"usage: leder {name}" in text
    for action in parser._actions:
        if action.help == "show this help message and exit":
            continue
        label = action.option_strings[0] if action.option_strings else action.dest
        assert label in text
        for choice in action.choices or ():
            assert str(choice) in text


def test_an_argument_without_help_or_description_fails_the_build(tmp_path: Path) -> None:
    described = cli_descriptions()
    _, warnings = build(tmp_path, page(described[1:]))
    undescribed = described[0].split(":")[0]
    assert f"leder {undescribed} has no help and is not described" in warnings


def test_a_description_of_an_argument_that_does_not_exist_fails_the_build(
    tmp_path: Path,
) -> None:
    _, warnings = build(tmp_path, page([*cli_descriptions(), "rules --colour: in colour"]))
    assert "leder rules has no argument '--colour'" in warnings


# --- the pages use the directives ----------------------------------------------------------


def test_the_workflow_page_draws_both_rule_sets_and_the_tables() -> None:
    text = (DOCS / "workflow.md").read_text(encoding="utf-8")
    for ruleset in RuleSetId:
        assert f"```{{leder-workflow-diagram}}\n:ruleset: {ruleset.value}\n```" in text
    assert "```{leder-transition-table}\n```" in text
    assert "```{leder-workflow-states}\n```" in text


def test_the_index_lists_the_reference_and_safety_pages() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    toctrees = re.findall(r"^```\{toctree\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    listed = {
        line.strip() for tree in toctrees for line in tree.splitlines() if line.strip()[:1] != ":"
    }
    listed.discard("")
    for name in ("workflow", "cli", "rules", "hazard-log", "versioning", "changelog"):
        assert name in listed
    for name in listed:
        assert (DOCS / f"{name}.md").is_file(), f"the toctree lists {name}, which does not exist"


# --- the changelog records the rule changes the registry holds ------------------------------


def changelog_section(title: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert found, f"CHANGELOG.md has no section {title!r}"
    return found.group(1)


def table_rows(text: str, first_header: str) -> list[list[str]]:
    """The rows of the Markdown table whose first header cell is ``first_header``."""
    lines = text.splitlines()
    start = next(
        index
        for index, line in enumerate(lines)
        if line.startswith("|") and line.strip("| ").split("|")[0].strip() == first_header
    )
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
    return rows


def shown(value: object) -> str:
    return "—" if value is None else str(value)


def test_the_changelog_lists_every_rule_with_its_rule_sets_and_dates() -> None:
    rows = table_rows(changelog_section("Rule changes"), "Rule")
    expected = [
        [
            rule.id,
            ", ".join(ruleset.value for ruleset in rule.rulesets),
            shown(rule.effective_from or min(RULESETS[r].effective_from for r in rule.rulesets)),
            shown(rule.effective_to),
        ]
        for rule in iter_rules()
    ]
    assert [row[:4] for row in rows] == expected


def test_the_changelog_lists_the_rule_sets_with_their_dates() -> None:
    rows = table_rows(changelog_section("Rule changes"), "Rule set")
    expected = [
        [ruleset.id.value, shown(ruleset.effective_from), shown(ruleset.effective_to)]
        for ruleset in RULESETS.values()
    ]
    assert [[row[0], row[2], row[3]] for row in rows] == expected


def test_the_changelog_lists_every_dated_parameter_value() -> None:
    rows = table_rows(changelog_section("Rule changes"), "Parameter")
    expected = []
    for name in parameters.__all__:
        parameter = getattr(parameters, name)
        if not isinstance(parameter, parameters.Parameter):
            continue
        for entry in parameter.timeline:
            start = entry.effective_from
            value = getattr(entry.value, "value", entry.value)
            expected.append(
                [
                    parameter.name,
                    "always" if start == parameters.BEGINNING else start.isoformat(),
                    str(value).lower() if isinstance(value, bool) else str(value),
                ]
            )
    assert sorted(row[:3] for row in rows) == sorted(expected)


def test_the_docs_changelog_page_is_the_changelog() -> None:
    text = (DOCS / "changelog.md").read_text(encoding="utf-8")
    assert "```{include} ../CHANGELOG.md" in text
