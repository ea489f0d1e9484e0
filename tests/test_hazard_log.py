"""The clinical safety hazard log (docs/hazard-log.md) keeps its evidence.

Every control in the log names the tests that show it works: test functions as
``tests/<file>.py::<test>`` (or ``::<Class>::<method>``; a parametrized id in ``[...]`` is
allowed) and policy cases as ``tests/cases/<file>.toml::<case id>``. These tests read the log
and fail when a named test or case no longer exists, when a hazard has no evidence, when a
risk rating disagrees with the log's own risk matrix or its summary, or when the library does
something a control says it never does.
"""

from __future__ import annotations

import ast
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

import leder_core

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "hazard-log.md"

HAZARD_HEADING = re.compile(r"^### (H-\d{2}) (.+)$", re.MULTILINE)
REFERENCE = re.compile(r"`(tests/[\w/.-]+?\.(?:py|toml))::([^`\s]+)`")
RISK = re.compile(
    r"\*\*(Initial|Residual) risk:\*\* severity (\w+), likelihood ([\w ]+?) — risk \*\*(\d)\*\*"
)
SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
LIKELIHOODS = ("Very high", "High", "Medium", "Low", "Very low")


@cache
def log_text() -> str:
    return LOG.read_text(encoding="utf-8")


@cache
def hazards() -> dict[str, str]:
    """Each hazard's id and its section of the log (up to the next hazard or section)."""
    text = log_text()
    found = {}
    headings = list(HAZARD_HEADING.finditer(text))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        section = text[heading.start() : end]
        section = re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]
        found[heading.group(1)] = section
    return found


def references(section: str) -> list[tuple[str, str]]:
    return REFERENCE.findall(section)


def all_references() -> list[tuple[str, str, str]]:
    return [
        (hazard, path, name)
        for hazard, section in hazards().items()
        for path, name in references(section)
    ]


@cache
def defined_tests(path: str) -> frozenset[str]:
    """The tests a Python test file defines: functions, ``Class::method``, and test classes
    made by assignment (``TestWorkflow = WorkflowMachine.TestCase``)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return frozenset(names)


@cache
def case_ids(path: str) -> frozenset[str]:
    data = tomllib.loads((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(case["id"] for case in data.get("case", []))


def exists(path: str, name: str) -> bool:
    if not (ROOT / path).is_file():
        return False
    if path.endswith(".toml"):
        return name in case_ids(path)
    return re.sub(r"\[.*\]$", "", name) in defined_tests(path)


# --- the log's structure -----------------------------------------------------------------------


def test_the_log_names_its_hazards_in_order() -> None:
    ids = list(hazards())
    assert ids, "the hazard log names no hazards"
    assert ids == [f"H-{number:02d}" for number in range(1, len(ids) + 1)]
    assert len(ids) >= 11


def test_the_log_names_tests_at_all() -> None:
    refs = all_references()
    assert refs, "the hazard log names no tests"
    assert any(path.endswith(".py") for _, path, _ in refs)
    assert any(path.endswith(".toml") for _, path, _ in refs)


@pytest.mark.parametrize("hazard", list(hazards()))
def test_every_hazard_has_its_parts_and_evidence(hazard: str) -> None:
    section = hazards()[hazard]
    for part in ("**Cause.**", "**Effect.**", "**Potential harm.**", "**Controls and"):
        assert part in section, f"{hazard} has no {part}"
    assert references(section), f"{hazard} names no test as evidence"


@pytest.mark.parametrize(("hazard", "path", "name"), all_references())
def test_every_named_test_exists(hazard: str, path: str, name: str) -> None:
    assert exists(path, name), f"{hazard} names {path}::{name}, which does not exist"


def test_a_missing_test_or_case_is_noticed() -> None:
    # The check itself: names that do not exist are found out, whatever their kind.
    assert exists("tests/cli/test_cli.py", "test_no_person_value_reaches_stderr")
    assert exists("tests/property/test_workflow_stateful.py", "TestWorkflow")
    assert exists("tests/cli/test_cli.py", "test_schema_prints_every_document_schema[review]")
    assert exists("tests/cases/worked_examples.toml", "example-02")
    assert not exists("tests/cases/worked_examples.toml", "example-99")
    assert not exists("tests/cli/test_cli.py", "test_that_was_never_written")
    assert not exists("tests/no_such_file.py", "test_anything")


# --- the risk ratings ----------------------------------------------------------------------


def risk_matrix() -> dict[tuple[str, str], int]:
    """The log's risk matrix: (severity, likelihood) -> rating."""
    lines = log_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Likelihood \\ Severity"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")][1:]
    assert tuple(header) == SEVERITIES
    matrix = {}
    for line in lines[start + 2 : start + 2 + len(LIKELIHOODS)]:
        likelihood, *ratings = [cell.strip() for cell in line.strip("|").split("|")]
        for severity, rating in zip(SEVERITIES, ratings, strict=True):
            matrix[severity, likelihood] = int(rating)
    assert {likelihood for _, likelihood in matrix} == set(LIKELIHOODS)
    return matrix


def test_the_matrix_is_the_dcb0129_matrix() -> None:
    # Rows: likelihood from very high to very low; columns: severity from minor upwards.
    expected = [
        [3, 4, 4, 5, 5],
        [2, 3, 3, 4, 5],
        [2, 2, 3, 3, 4],
        [1, 2, 2, 3, 4],
        [1, 1, 2, 2, 3],
    ]
    matrix = risk_matrix()
    assert [[matrix[s, lk] for s in SEVERITIES] for lk in LIKELIHOODS] == expected


def ratings(hazard: str) -> dict[str, tuple[str, str, int]]:
    found = {
        kind: (severity, likelihood, int(rating))
        for kind, severity, likelihood, rating in RISK.findall(hazards()[hazard])
    }
    assert set(found) == {"Initial", "Residual"}, f"{hazard} needs an initial and a residual risk"
    return found


@pytest.mark.parametrize("hazard", list(hazards()))
def test_every_rating_follows_the_matrix_and_controls_do_not_raise_it(hazard: str) -> None:
    matrix = risk_matrix()
    found = ratings(hazard)
    for kind, (severity, likelihood, rating) in found.items():
        assert severity in SEVERITIES, (hazard, kind)
        assert likelihood in LIKELIHOODS, (hazard, kind)
        assert matrix[severity, likelihood] == rating, f"{hazard}: {kind} risk is not {rating}"
    assert found["Residual"][2] <= found["Initial"][2]
    assert found["Residual"][2] <= 2, f"{hazard}: a residual risk above 2 needs its own case"


def test_the_summary_agrees_with_each_hazard() -> None:
    rows = re.findall(r"^\| \[(H-\d{2})\]\(#h-\d{2}\) .+? \| (\d) \| (\d) \|$", log_text(), re.M)
    assert [row[0] for row in rows] == list(hazards())
    for hazard, initial, residual in rows:
        found = ratings(hazard)
        assert (int(initial), int(residual)) == (found["Initial"][2], found["Residual"][2])


# --- controls evidenced here -------------------------------------------------------------------

FORBIDDEN_IMPORTS = {"logging", "socket", "http", "urllib", "requests", "ftplib", "smtplib"}


#: The one room whose job is the network: ``leder serve`` writes an access log (method, route
#: template, status, duration; never a value) and quotes a header. Its own tests evidence that
#: no value reaches its log (tests/server).
NETWORK_ROOMS = {"server"}
#: The store reads its database URL with ``urllib.parse`` (no network code): allowed there alone.
PARSING_ONLY = {("store", "urllib.parse")}
#: The room of the command line (``leder_core.cli``): the one that writes to stdout and stderr.
COMMAND_LINE_ROOM = "cli"


def test_the_library_never_logs_prints_or_connects() -> None:
    """H-05: the library has no logging, no print and no network code to leak data through;
    only the command line writes, to its own stdout and stderr, and only the service
    (``leder_core.server``) serves HTTP and logs its access log."""
    package = Path(leder_core.__file__).resolve().parent
    problems = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package)
        if where.parts[0] in NETWORK_ROOMS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                modules = []
            problems += [
                f"{where}: imports {module}"
                for module in modules
                if module.split(".")[0] in FORBIDDEN_IMPORTS
                and (where.parts[0], module) not in PARSING_ONLY
            ]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                problems.append(f"{where}:{node.lineno}: print()")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"stdout", "stderr"}
                and getattr(node.value, "id", None) == "sys"
                and where.parts[0] != COMMAND_LINE_ROOM
            ):
                problems.append(f"{where}:{node.lineno}: sys.{node.attr}")
    assert problems == []
