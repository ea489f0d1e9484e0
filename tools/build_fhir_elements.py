"""Build ``src/leder_core/data/fhir_elements.json`` from the FHIR library's models (run by hand).

FHIR XML says nothing in a document about which elements repeat or what type an element has;
FHIR JSON does (arrays, numbers, booleans). To read XML into the JSON the rules read, the
package ships, for every resource and data type of FHIR R4, each element's type and whether it
repeats. This script takes them from the models of ``fhir.resources`` (its R4B package, whose
elements are those of R4 for every resource outside the medication-definition and evidence
families), so that the package needs no FHIR library at run time.

The file maps each type to its elements; an element's entry is a kind, prefixed ``*`` when the
element repeats: ``s`` a string primitive, ``b`` boolean, ``i`` integer (``integer``,
``positiveInt``, ``unsignedInt``), ``d`` decimal, ``x`` the XHTML of a narrative, ``@`` a
resource (``contained``, ``Bundle.entry.resource``), or the name of a complex type. ``id`` of a
data type or backbone element and ``url`` of an Extension are XML attributes and are left out.

    python tools/build_fhir_elements.py [--check]

``--check`` compares with the shipped file instead of writing it (exit 1 when they differ).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import types
import typing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "leder_core" / "data" / "fhir_elements.json"
PACKAGE = "fhir.resources.R4B"


def expect(holds: bool, problem: str) -> None:
    """Stop with ``problem`` when the models are not what this script was written for."""
    if not holds:
        raise SystemExit(f"build_fhir_elements: {problem}")


def inner(annotation: Any) -> tuple[Any, bool]:
    """The element's own type, and whether it repeats, from a model field's annotation."""
    repeats = False
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            expect(len(args) == 1, f"a union of several types: {annotation!r}")
            annotation = args[0]
        elif origin in (list, typing.List):  # noqa: UP006 - the models use typing.List
            repeats = True
            (annotation,) = typing.get_args(annotation)
        else:
            return annotation, repeats


def kind_of(annotation: Any) -> str:
    """The kind code of one element type (see the module docstring)."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *marks = typing.get_args(annotation)
        mark = type(marks[0]).__name__ if marks else ""
        if mark == "Xhtml":
            return "x"
        if mark in ("Integer", "PositiveInt", "UnsignedInt"):
            return "i"
        if mark == "Decimal":
            return "d"
        if mark == "Boolean" or base is bool:
            return "b"
        return "s"
    if annotation is bool:
        return "b"
    get_model = getattr(annotation, "get_model_klass", None)
    expect(get_model is not None, f"an element of unknown type {annotation!r}")
    model = get_model()
    if model.__name__ == "Resource":
        return "@"
    return str(model.__name__)


def is_resource(model: type) -> bool:
    return any(base.__name__ == "Resource" for base in model.__mro__)


def build() -> dict[str, Any]:
    package = importlib.import_module(PACKAGE)
    models: dict[str, type] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{PACKAGE}.{info.name}")
        for value in vars(module).values():
            model = isinstance(value, type) and hasattr(value, "model_fields")
            if model and value.__module__ == module.__name__:
                models[value.__name__] = value
    resources = sorted(
        name
        for name, model in models.items()
        if is_resource(model)
        and name not in ("Resource", "DomainResource")
        and getattr(model, "get_resource_type", lambda: None)() == name
    )
    table: dict[str, dict[str, str]] = {}
    wanted = [*resources]
    seen: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        model = models[name]
        resource = is_resource(model)
        elements: dict[str, str] = {}
        for field_name, field in model.model_fields.items():
            extra = field.json_schema_extra
            if not isinstance(extra, dict) or not extra.get("element_property"):
                continue
            element = field.alias or field_name
            if not resource and element == "id":
                continue  # an attribute in XML
            if name == "Extension" and element == "url":
                continue  # an attribute in XML
            annotation, repeats = inner(field.annotation)
            kind = kind_of(annotation)
            if kind not in ("s", "b", "i", "d", "x", "@"):
                expect(kind in models, f"{name}.{element}: type {kind} has no model")
                wanted.append(kind)
            elements[element] = ("*" if repeats else "") + kind
        table[name] = dict(sorted(elements.items()))
    expect("Patient" in resources and "Bundle" in resources, "no Patient or Bundle model")
    expect(table["Narrative"].get("div") == "x", "Narrative.div is not XHTML")
    expect(table["BundleEntry"].get("resource") == "@", "Bundle.entry.resource is no resource")
    return {
        "source": f"the FHIR R4 models of {PACKAGE}, by tools/build_fhir_elements.py",
        "resources": resources,
        "types": dict(sorted(table.items())),
    }


def render(table: dict[str, Any]) -> str:
    """Compact JSON, one type a line (so that a change to the models reads as a small diff)."""
    compact = {"separators": (",", ":")}
    head = ",\n".join(
        f"{json.dumps(key)}:{json.dumps(table[key], **compact)}" for key in ("source", "resources")
    )
    types = ",\n".join(
        f"{json.dumps(name)}:{json.dumps(elements, **compact)}"
        for name, elements in table["types"].items()
    )
    return "{" + head + ',\n"types":{\n' + types + "\n}}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument(
        "--file",
        type=Path,
        default=OUT,
        help="with --check: the table to compare (default: the one in src/; the tests pass the "
        "installed package's, so that a built wheel is checked too)",
    )
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        shipped: Path = args.file
        same = shipped.exists() and shipped.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{shipped.name} differs from the models: rebuild it")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
