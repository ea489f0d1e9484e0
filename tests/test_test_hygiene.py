"""The test suite's own hygiene: no test whose every ``assert`` an ``if`` can skip.

A test that asserts only under an ``if`` passes without checking anything whenever the
condition is false (for a property test: whenever Hypothesis never draws the case). Such a
test must draw what it needs (``assume``, a narrower strategy, a separate parametrised case)
or assert on every branch. An ``if`` counts as asserting when both it and its ``else`` do;
loops, ``with`` and ``try`` bodies count as reached (their own tests cover emptiness).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _always_asserts(statements: list[ast.stmt]) -> bool:
    """Whether running ``statements`` reaches an ``assert`` whatever the ``if`` conditions."""
    return any(_statement_always_asserts(statement) for statement in statements)


def _statement_always_asserts(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.If):
        return _always_asserts(statement.body) and _always_asserts(statement.orelse)
    if isinstance(statement, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith):
        return _always_asserts(statement.body)
    if isinstance(statement, ast.Try | ast.TryStar):
        return _always_asserts(statement.body) or _always_asserts(statement.finalbody)
    return False


def _has_assert(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Assert):
            return True
        if not isinstance(node, _SCOPES):
            pending.extend(ast.iter_child_nodes(node))
    return False


def blind_tests(source: str) -> list[str]:
    """The test functions in ``source`` that assert, but only where an ``if`` can skip it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test")
            and _has_assert(node)
            and not _always_asserts(node.body)
        ):
            found.append(f"{node.name} (line {node.lineno})")
    return found


def test_no_test_asserts_only_under_an_if() -> None:
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) > 20  # the walk found the suite
    blind = {
        str(path.relative_to(TESTS)): found
        for path in modules
        if (found := blind_tests(path.read_text(encoding="utf-8")))
    }
    assert blind == {}


@pytest.mark.parametrize(
    "body",
    [
        "if x:\n        assert x",
        "for y in x:\n        if y:\n            assert y",
        "if x:\n        assert x\n    elif y:\n        assert y",
        "with x:\n        if x:\n            assert x",
    ],
)
def test_an_assert_only_under_an_if_is_found(body: str) -> None:
    assert blind_tests(f"def test_it(x, y):\n    {body}\n") == ["test_it (line 1)"]


@pytest.mark.parametrize(
    "body",
    [
        "assert x",
        "if x:\n        assert x\n    else:\n        assert y",
        "if x:\n        assert x\n    elif y:\n        assert y\n    else:\n        assert not x",
        "if x:\n        assert x\n    assert y",
        "for y in x:\n        assert y",
        "with x:\n        assert x",
        "pass",  # no assert at all (pytest.raises, a call that checks): not this scan's concern
    ],
)
def test_an_assert_every_path_reaches_is_not_found(body: str) -> None:
    assert blind_tests(f"def test_it(x, y):\n    {body}\n") == []


def test_every_collected_test_has_an_id_of_its_own(request: pytest.FixtureRequest) -> None:
    """Two tests with one id are one test to whatever tells them apart by id: ``-k``, the
    reports, and pytest-xdist, whose scheduling then runs only the first."""
    ids = Counter(item.nodeid for item in request.session.items)
    assert request.node.nodeid in ids  # the collection this run made
    assert sorted(nodeid for nodeid, count in ids.items() if count > 1) == []
