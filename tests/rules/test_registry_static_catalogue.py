"""The static catalogue against the definitions: every ``define_rule`` of the library is in the
catalogue at the module that calls it, and the catalogue names nothing else; rules load when
first read, and ``import leder_core`` loads none of the heavy rules.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import leder_core
from leder_core.rules.registry import CATALOGUE, RULES, Confidence, define_rule, iter_rules

SOURCE_ROOT = Path(leder_core.__file__).parent.parent


def module_name(path: Path) -> str:
    """The dotted name of a module of ``src/`` (``leder_core.rules.age``)."""
    parts = path.relative_to(SOURCE_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_define_rule(call: ast.Call) -> bool:
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name == "define_rule"


def definitions() -> list[tuple[str, object]]:
    """Every ``define_rule(...)`` call in the library: its module and its first argument (the
    rule id when it is written as a string, else the syntax node)."""
    found: list[tuple[str, object]] = []
    for path in sorted(SOURCE_ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and is_define_rule(node) and node.args:
                first = node.args[0]
                rule_id = first.value if isinstance(first, ast.Constant) else first
                found.append((module_name(path), rule_id))
    return found


DEFINITIONS = definitions()


def test_the_library_defines_rules() -> None:
    assert len(DEFINITIONS) == len(CATALOGUE) == 52


def test_every_rule_id_is_written_out_where_it_is_defined() -> None:
    """A computed id could not be checked against the catalogue without running the module."""
    computed = [module for module, rule_id in DEFINITIONS if not isinstance(rule_id, str)]
    assert computed == []


def test_every_definition_is_in_the_catalogue_at_its_module() -> None:
    defined: dict[str, list[str]] = {}
    for module, rule_id in DEFINITIONS:
        defined.setdefault(str(rule_id), []).append(module)
    assert {rule_id: modules for rule_id, modules in defined.items() if len(modules) > 1} == {}
    assert {rule_id: modules[0] for rule_id, modules in defined.items()} == dict(CATALOGUE)


def test_the_catalogue_names_only_modules_that_exist() -> None:
    modules = {module_name(path) for path in SOURCE_ROOT.rglob("*.py")}
    assert set(CATALOGUE.values()) <= modules


def test_the_registry_lists_the_catalogue_in_its_order() -> None:
    assert list(RULES) == list(CATALOGUE)
    assert [rule.id for rule in iter_rules()] == list(CATALOGUE)
    assert len(RULES) == len(CATALOGUE)


def test_an_id_outside_the_catalogue_is_unknown() -> None:
    assert "NOT-A-RULE" not in RULES
    with pytest.raises(KeyError):
        RULES["NOT-A-RULE"]
    assert RULES.get("NOT-A-RULE") is None


def test_a_rule_outside_the_catalogue_cannot_be_defined() -> None:
    with pytest.raises(ValueError, match="TEST-UNLISTED"):
        define_rule(
            "TEST-UNLISTED",
            title="A rule the catalogue does not name",
            text="Never registered.",
            section="§0",
            sources=("leder-policy-2021",),
            confidence=Confidence.INFERRED,
        )
    assert "TEST-UNLISTED" not in RULES


def fresh_interpreter(script: str) -> object:
    """What ``script`` prints as JSON, run in a new interpreter so that modules other tests
    imported cannot hide a missing import."""
    result = subprocess.run(  # noqa: S603 - the interpreter running the tests
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


def test_listing_the_rules_imports_no_rule_module_and_reading_one_imports_its_module() -> None:
    script = (
        "import json, sys\n"
        "from leder_core.rules.registry import CATALOGUE, RULES\n"
        "loaded = lambda: sorted(set(CATALOGUE.values()) & set(sys.modules))\n"
        "listed = (list(RULES), 'FHIR-GP' in RULES, len(RULES))\n"
        "before = loaded()\n"
        "title = RULES['FHIR-GP'].title\n"
        "after = loaded()\n"
        "every = [RULES[rule_id].id for rule_id in CATALOGUE]\n"
        "print(json.dumps({'before': before, 'after': after, 'every': every}))\n"
    )
    seen = fresh_interpreter(script)
    assert isinstance(seen, dict)
    assert "leder_core.rules.fhir" not in seen["before"]
    assert "leder_core.rules.fhir" in seen["after"]
    assert seen["every"] == list(CATALOGUE)


HEAVY_MODULES = (
    "leder_core.bodies",
    "leder_core.fhir",
    "leder_core.reference",
    "leder_core.rules.assess",
    "leder_core.rules.fhir",
    "leder_core.rules.governance",
    "leder_core.rules.indicators",
    "leder_core.rules.workflow",
)


def test_importing_the_package_loads_no_heavy_module_until_a_function_needs_it() -> None:
    script = (
        "import json, sys\n"
        "import leder_core\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "before = sorted(set(heavy) & set(sys.modules))\n"
        "leder_core.indicators([], as_of=__import__('datetime').date(2025, 7, 31))\n"
        "after = sorted(set(heavy) & set(sys.modules))\n"
        "print(json.dumps({'before': before, 'after': after}))\n"
    )
    seen = fresh_interpreter(script)
    assert isinstance(seen, dict)
    assert seen["before"] == []
    assert {"leder_core.bodies", "leder_core.rules.indicators"} <= set(seen["after"])
