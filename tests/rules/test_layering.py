"""The rules take models only: no module of ``leder_core.rules`` reaches back to the wire.

Documents become models at the public entry points (:mod:`leder_core.api`); the rules never
import the serialization, the command line or the shipped test strategies.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import leder_core.rules

RULES_FOLDER = Path(leder_core.rules.__file__).parent
FORBIDDEN = ("leder_core.serialization", "leder_core.cli", "leder_core.testing")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, absolute or relative, at any depth of its syntax tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = "leder_core.rules"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            found.update(
                arg.value
                for arg in node.args[:1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return found


def forbidden_in(modules: set[str]) -> list[str]:
    return sorted(
        module
        for module in modules
        for banned in FORBIDDEN
        if module == banned or module.startswith(banned + ".")
    )


RULE_FILES = sorted(RULES_FOLDER.rglob("*.py"))


def test_there_are_rule_modules_to_check() -> None:
    assert len(RULE_FILES) >= 10


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda path: path.name)
def test_no_rule_module_imports_the_wire_the_cli_or_the_strategies(path: Path) -> None:
    assert forbidden_in(imported_modules(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "from leder_core.serialization import dump",
        "import leder_core.cli",
        "from leder_core import testing",
        "from .. import serialization",
        "def late():\n    from leder_core.testing.strategies import notifications",
    ],
)
def test_the_check_finds_every_way_of_importing(source: str, tmp_path: Path) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert forbidden_in(imported_modules(path))


MODEL_FILES = sorted((RULES_FOLDER.parent / "models").rglob("*.py"))
MODELS_MAY_NOT_IMPORT = (*FORBIDDEN, "leder_core.rules", "leder_core.api")


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda path: path.name)
def test_no_model_module_imports_the_wire_the_rules_or_the_entry_points(path: Path) -> None:
    """Models are data: the serialization reads them, never the other way round."""
    modules = imported_modules(path)
    assert (
        sorted(
            module
            for module in modules
            for banned in MODELS_MAY_NOT_IMPORT
            if module == banned or module.startswith(banned + ".")
        )
        == []
    )
