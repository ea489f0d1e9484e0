"""The casebook shows the cases the tests run, and the catalogue links every rule to its cases.

The casebook (``docs/_ext/leder_casebook.py``) reads ``tests/cases/*.toml`` itself. These tests
check that it reads them as the test suite's collector does (same ids, same resolved facts),
that a built page has every case as an anchor with its facts as a table, that every rule's
catalogue entry links its cases or says none exercises it, that a kind of case the casebook has
never seen is still shown, and that the rule-set comparison shows every change.

They need Sphinx and the docs folder; without them (the tests run against a built wheel) they
are skipped.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import io
import itertools
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("sphinx")
ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "docs" / "_ext"
CASES = ROOT / "tests" / "cases"
if not (EXTENSION / "leder_casebook.py").is_file():  # pragma: no cover - the wheel's test run
    pytest.skip("the docs extension is not here", allow_module_level=True)

from docutils import nodes  # noqa: E402 - only once Sphinx is known to be installed
from sphinx import addnodes  # noqa: E402
from sphinx.application import Sphinx  # noqa: E402
from sphinx.util.docutils import docutils_namespace  # noqa: E402

from helpers import section  # noqa: E402
from leder_core.rules import parameters  # noqa: E402
from leder_core.rules.parameters import Parameter  # noqa: E402
from leder_core.rules.registry import iter_rules  # noqa: E402

sys.path.insert(0, str(EXTENSION))
try:
    import leder_casebook
    import leder_docs
finally:
    sys.path.remove(str(EXTENSION))


def _cases_conftest() -> ModuleType:
    """The policy cases' conftest, loaded as a plain module (its collector is what we compare)."""
    sys.path.insert(0, str(CASES))
    try:
        spec = importlib.util.spec_from_file_location(
            "_policy_cases_conftest", CASES / "conftest.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(CASES))


@pytest.mark.parametrize("path", sorted(CASES.glob("*.toml")), ids=lambda path: path.name)
def test_the_casebook_reads_each_file_as_the_tests_do(
    path: Path, request: pytest.FixtureRequest
) -> None:
    conftest = _cases_conftest()
    collector = conftest.PolicyCaseFile.from_parent(request.session, path=path)
    collected = [item.case for item in collector.collect()]
    shown = leder_casebook.load_case_file(path).cases
    assert [case.id for case in shown] == [case["id"] for case in collected]
    for case, tested in zip(shown, collected, strict=True):
        assert case.kind == tested["kind"]
        assert case.input_key == conftest.INPUT_KEYS[tested["kind"]]
        assert case.data[case.input_key] == tested[case.input_key]
        assert case.expect == tested["expect"]
        assert case.title == tested["title"]


# --- a page built with the casebook and the catalogue ----------------------------------------

PAGE = """\
Rules
=====

.. leder-rule-catalogue::

Rule sets
=========

.. leder-ruleset-changes::

Casebook
========

.. leder-casebook::
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[nodes.document, str]:
    """The page built once with the dummy builder: its resolved doctree and the warnings.

    The doctree is the one the build resolves (caught from ``doctree-resolved``), not a second
    resolution of the pickled page: the page has hundreds of thousands of nodes, and reading
    and resolving it again doubled the cost. The collector of cyclic garbage is paused while
    the build makes those nodes, and run once afterwards. Typographic quotes are off: these
    tests read the page's structure, and the real docs build keeps them.
    """
    folder = tmp_path_factory.mktemp("casebook")
    (folder / "src").mkdir()
    (folder / "src" / "rules.rst").write_text(PAGE, encoding="utf-8")
    warnings = io.StringIO()
    resolved: dict[str, nodes.document] = {}
    sys.path.insert(0, str(EXTENSION))
    # A namespace of its own: other tests build pages with Sphinx in this process too.
    gc.disable()
    try:
        with docutils_namespace():
            app = Sphinx(
                srcdir=folder / "src",
                confdir=None,
                outdir=folder / "out",
                doctreedir=folder / "doctrees",
                buildername="dummy",
                confoverrides={
                    "extensions": ["leder_docs", "leder_casebook"],
                    "root_doc": "rules",
                    "smartquotes": False,
                },
                status=None,
                warning=warnings,
                freshenv=True,
            )
            app.connect(
                "doctree-resolved", lambda _app, tree, name: resolved.setdefault(name, tree)
            )
            app.build()
    finally:
        gc.enable()
        sys.path.remove(str(EXTENSION))
    gc.collect()
    return resolved["rules"], warnings.getvalue()


@functools.cache
def all_cases() -> tuple[Any, ...]:
    """Every policy case as the casebook reads it, read once for the module (never changed)."""
    return tuple(case for case_file in leder_casebook.load_cases() for case in case_file.cases)


def test_the_page_builds_without_a_warning(built: tuple[nodes.document, str]) -> None:
    assert built[1] == ""


def test_every_policy_case_is_an_anchor(built: tuple[nodes.document, str]) -> None:
    ids = {anchor for found in built[0].findall(nodes.section) for anchor in found["ids"]}
    cases = [case.id for case in all_cases()]
    assert len(cases) == len(set(cases)) > 0
    assert [case for case in cases if case not in ids] == []


def test_a_case_shows_its_facts_as_a_table_and_links_its_rules(
    built: tuple[nodes.document, str],
) -> None:
    case = next(case for case in all_cases() if case.like is None and case.input_key)
    found = section(built[0], case.id)
    tables = [t for t in found.findall(nodes.table) if "leder-input" in t["classes"]]
    assert tables, "no facts table"
    keys = [row.children[0].astext() for row in tables[0].findall(nodes.row)][1:]
    assert keys == [key for key, _ in leder_casebook._flatten(leder_casebook.case_facts(case))]
    linked = {
        ref["refuri"].split("#")[-1] for ref in found.findall(nodes.reference) if "refuri" in ref
    }
    linked |= {ref.get("refid", "") for ref in found.findall(nodes.reference)}
    assert set(case.rules) <= linked


def test_a_case_like_another_links_it_and_shows_its_change(
    built: tuple[nodes.document, str],
) -> None:
    case = next(case for case in all_cases() if case.like is not None and case.change)
    found = section(built[0], case.id)
    assert case.like in found.astext()
    changed = [t for t in found.findall(nodes.table) if "leder-change" in t["classes"]]
    assert changed
    first_key = next(iter(leder_casebook._flatten(case.change)))[0]
    assert first_key in changed[0].astext()
    assert list(found.findall(leder_casebook.details)), "all the facts are not in a block"


@pytest.mark.parametrize("rule", [rule.id for rule in iter_rules()])
def test_every_rule_entry_lists_its_cases_or_says_none(
    built: tuple[nodes.document, str], rule: str
) -> None:
    found = section(built[0], rule)
    fields = {field.children[0].astext(): field.children[1] for field in found.findall(nodes.field)}
    exercised = [case.id for case in all_cases() if rule in case.rules]
    text = fields["Cases"].astext()
    if exercised:
        assert all(case_id in text for case_id in exercised)
    else:
        assert text == "No policy case exercises this rule yet."


def test_every_rule_entry_links_the_page_of_its_section(built: tuple[nodes.document, str]) -> None:
    for rule in iter_rules():
        fields = {
            f.children[0].astext(): f.children[1]
            for f in section(built[0], rule.id).findall(nodes.field)
        }
        assert fields["Section"].astext().startswith(rule.section)
        assert list(fields["Section"].findall(nodes.reference)), rule.id
        assert not list(fields["Section"].findall(addnodes.pending_xref))


def test_the_ruleset_comparison_shows_every_parameter_change(
    built: tuple[nodes.document, str],
) -> None:
    table = next(t for t in built[0].findall(nodes.table) if "parameter-changes" in t["ids"])
    rows = [row.astext() for row in table.findall(nodes.row)][1:]
    expected = [
        (parameter.name, after.effective_from.isoformat())
        for parameter in vars(parameters).values()
        if isinstance(parameter, Parameter)
        for before, after in itertools.pairwise(parameter.timeline)
        if before.value != after.value
    ]
    assert len(rows) == len(expected)
    for (name, start), row in zip(expected, rows, strict=True):
        assert name in row
        assert start in row


def test_every_dated_parameter_is_read_by_a_listed_rule() -> None:
    assert leder_casebook.parameter_problems() == []


# --- what the casebook does with files it has not seen ---------------------------------------

NEW_KIND = """\
[[case]]
id = "new-01"
kind = "something-new"
title = "A kind the casebook has not seen"
note = "It is shown all the same, and GOV-GROUP in the note is linked."
as_of = "2025-01-01"
[case.record]
code = "X1"
nested = { deeper = { value = 3 }, items = [{ a = 1 }, { a = 2 }] }
[case.expect]
rule = "ELIG-GP"
steps = [{ rule = "ELIG-ENGLAND" }, { text = "ELIG-NOT-A-RULE" }]
by_rule = { "GOV-GROUP" = "met" }

[[case]]
id = "new-02"
like = "new-01"
kind = "something-new"
title = "Like the first, one value changed"
note = "Inherits as the tests do."
change = { code = "X2", nested = { deeper = "__absent__" } }
[case.expect]
holding = ["PATH-AUTISM"]
"""


def test_an_unknown_kind_is_read_generically(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    path.write_text(NEW_KIND, encoding="utf-8")
    first, second = leder_casebook.load_case_file(path).cases
    assert first.input_key == "record"
    assert first.rules == ("ELIG-GP", "ELIG-ENGLAND", "GOV-GROUP")
    assert second.data["record"] == {"code": "X2", "nested": {"items": [{"a": 1}, {"a": 2}]}}
    assert second.data["as_of"] == "2025-01-01"
    assert second.rules == ("PATH-AUTISM",)
    assert list(leder_casebook._flatten(first.data["record"])) == [
        ("code", "X1"),
        ("nested.deeper.value", 3),
        ("nested.items[0].a", 1),
        ("nested.items[1].a", 2),
    ]


def test_the_input_keys_of_new_kinds_are_read_from_the_tests_conftest() -> None:
    source = """
INPUT_KEYS = {"assessment": "notification", "review": "review"}
INPUT_KEYS["fhir"] = "bundle"
INPUT_KEYS.update({"body": "record"})
"""
    assert leder_casebook.input_keys_from(source) == {
        "assessment": "notification",
        "review": "review",
        "fhir": "bundle",
        "body": "record",
    }


def test_a_review_s_expected_status_is_decided_by_the_status_and_hold_rules() -> None:
    cases = {case.id: case for case in all_cases()}
    excused = cases["example-20-excuse"]
    assert "excused" in excused.expect["status"]
    assert {"DEAD-STATUS", "DEAD-HOLDS"} <= set(excused.rules)
    without_status = [c for c in cases.values() if c.kind == "review" and "status" not in c.expect]
    assert all("DEAD-STATUS" not in case.rules for case in without_status)


@pytest.mark.parametrize(
    ("section_mark", "pages", "expected"),
    [
        ("§4", {"rules", "assessment"}, "assessment"),
        ("§14", {"rules"}, "rules"),
        ("§14", {"rules", "fhir"}, "fhir"),
        ("§9a", {"rules", "bodies", "governance"}, "bodies"),
        ("§9a", {"rules", "governance"}, "governance"),
        ("§99", {"rules", "assessment"}, "rules"),
    ],
)
def test_a_section_links_the_first_page_the_site_has(
    section_mark: str, pages: set[str], expected: str
) -> None:
    assert leder_docs.section_page(section_mark, pages)[1] == expected


# --- the reference is complete ---------------------------------------------------------------


def test_every_wire_format_has_its_schema_on_the_schemas_page() -> None:
    from leder_core.schema import SCHEMA_NAMES

    text = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^```\{leder-json-schema\} (\S+)$", text, flags=re.MULTILINE))
    assert sorted(set(SCHEMA_NAMES) - shown) == []


def test_the_reference_lists_the_casebook_and_the_ruleset_comparison() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    reference = index.split(":caption: Reference", 1)[1].split("```", 1)[0].split()
    assert {"rules", "rulesets", "casebook", "cli", "schemas"} <= set(reference)


#: Folders that are not the repository's own text: version control, environments, caches and
#: build output (a name skipped wherever it is, or a path from the root).
NOT_OURS = frozenset(
    {
        ".git",
        ".venv",
        ".ci-venv",
        ".ci-screenshots",
        "__pycache__",
        ".hypothesis",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "node_modules",
        "build",
        "dist",
    }
)
NOT_OURS_PATHS = frozenset({("docs", "_build"), ("docs", "_generated")})

# The upstream specification's two files, named in pieces so that this file does not name them:
# the upper-case stems anywhere, and either file name in any case. A lower-case "rulebook" on
# its own is the project's word for its own rules, and is not an outside document.
_STEM, _OTHER = "RULE" + "BOOK", "CON" + "TRACT"
OUTSIDE_DOCUMENT = re.compile(rf"{_STEM}|(?i:{_STEM}|{_OTHER})\.md")


def repository_text_files(root: Path = ROOT) -> list[Path]:
    """Every UTF-8 file under ``root`` outside :data:`NOT_OURS`, walked (no git needed)."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder).relative_to(root).parts
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in NOT_OURS
            and not name.endswith(".egg-info")
            and (*here, name) not in NOT_OURS_PATHS
        )
        for name in sorted(files):
            path = Path(folder, name)
            if name == ".git" or path.is_symlink():
                continue
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            found.append(path)
    return found


def references_outside(paths: list[Path], root: Path = ROOT) -> list[str]:
    """``path:line`` of every line naming an outside document."""
    return [
        f"{path.relative_to(root).as_posix()}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE_DOCUMENT.search(line)
    ]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        (_STEM + " §8", True),
        (f"{_STEM}_TABLE = {{}}", True),
        (f"see {_OTHER}.md §2", True),
        (f"../shared/domain/{_STEM.lower()}.md", True),
        (f"{_OTHER.lower()}.md", True),
        ("the rulebook's own reasoned choice", False),
        ("the public contract of leder_core", False),
        ("CONTRACT_KEYS = []", False),
    ],
)
def test_an_outside_document_is_recognised_by_its_name(line: str, named: bool) -> None:
    assert bool(OUTSIDE_DOCUMENT.search(line)) is named


def test_the_walk_finds_the_repository_s_text_and_skips_what_is_not_ours(tmp_path: Path) -> None:
    for relative, content in {
        "README.md": "ours",
        "tests/cases/a.toml": f"# {_STEM} §1",
        "docs/_build/html/index.html": f"{_STEM}",
        "build/lib/m.py": f"{_STEM}",
        ".venv/lib/x.py": f"{_STEM}",
        "pkg.egg-info/PKG-INFO": f"{_STEM}",
        "src/__pycache__/m.pyc": f"{_STEM}",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(content, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\xff\xfe" + _STEM.encode())
    paths = repository_text_files(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in paths] == [
        "README.md",
        "tests/cases/a.toml",
    ]
    assert references_outside(paths, tmp_path) == ["tests/cases/a.toml:1"]


def test_nothing_refers_to_a_document_outside_the_repository() -> None:
    """The project's own pages and rule ids are its specification: no file in the repository
    names the upstream documents it was written from."""
    paths = repository_text_files()
    scanned = {path.relative_to(ROOT).as_posix() for path in paths}
    assert {"README.md", "pyproject.toml", "tests/cases/workflow.toml"} <= scanned
    assert references_outside(paths) == []


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("fhir.toml", "FHIR"),
        ("holds_and_deadlines_edges.toml", "Holds and deadlines edges"),
        ("ods-icb_edges.toml", "ODS ICB edges"),
    ],
)
def test_a_case_file_s_heading_writes_acronyms_as_they_are(name: str, title: str) -> None:
    assert leder_casebook.CaseFile(Path(name), ()).title == title
