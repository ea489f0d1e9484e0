"""``leder fhir``: a notification read from a FHIR record, fact by fact, with the facts FHIR
does not hold supplied by ``--supplied`` and ``--set-fact``, and assessed with ``--assess``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any, Final

import attrs

from leder_core.api import assess
from leder_core.cli.options import interpretation_of
from leder_core.cli.reading import UTF8_BOM, TooDeep, loads, read_bytes, read_json_file
from leder_core.cli.reporting import EXIT_OK, EmptyInput, Output, Problems
from leder_core.errors import InvalidInput
from leder_core.fhir import (
    CodeLists,
    FhirExtract,
    extract_notification,
    load_code_lists,
    parse_fhir_xml,
)
from leder_core.fhir.request import (
    extract_request,
    is_fhir_request,
    load_fhir_request,
    notification_as_read,
)
from leder_core.fhir.text import format_fhir_extract_text
from leder_core.render.text import format_assessment_text
from leder_core.serialization import TOO_DEEP, dump, nesting_problem

__all__ = ["run_fhir"]


def read_record(path: str) -> object:
    """FHIR JSON, or FHIR XML (with the extra) when the file starts with ``<``."""
    raw = read_bytes(path)
    text = raw.removeprefix(UTF8_BOM)
    if not text.strip():
        name = "stdin" if path == "-" else path
        raise EmptyInput(f"{name}: empty input, no documents to read")
    if text.lstrip()[:1] == b"<":  # XML, perhaps after a BOM
        return parse_fhir_xml(raw)
    try:
        return loads(text)
    except UnicodeDecodeError:
        raise InvalidInput([("$", "not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput([("$", f"not valid JSON (line {error.lineno})")]) from None
    except TooDeep:
        raise InvalidInput([("$", TOO_DEEP)]) from None


def _supplied(path: str | None, settings: Sequence[str]) -> dict[str, Any]:
    """The supplied facts: the ``--supplied`` document, then each ``--set-fact``."""
    supplied: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    if path is not None:
        document = read_record(path) if path == "-" else read_json_file(path, "supplied")
        if not isinstance(document, dict):
            raise InvalidInput([("supplied", "expected a partial notification document")])
        supplied = document
    for setting in settings:
        field, sep, text = setting.partition("=")
        field = field.strip()
        if not sep or not field or any(not part for part in field.split(".")):
            problems.append(("--set-fact", "expected FIELD=VALUE, e.g. person.autism=none"))
            continue
        try:
            value: object = loads(text)
        except json.JSONDecodeError:
            value = text  # a bare string
        except TooDeep:
            problems.append((f"--set-fact {field}", TOO_DEEP))
            continue
        if nesting_problem(value) is not None:
            problems.append((f"--set-fact {field}", TOO_DEEP))
            continue
        *parents, last = field.split(".")
        target = supplied
        for parent in parents:
            child = target.setdefault(parent, {})
            if not isinstance(child, dict):
                problems.append((f"--set-fact {field}", "its parent is not an object"))
                break
            target = child
        else:
            target[last] = value
    if problems:
        raise InvalidInput(problems)
    return supplied


#: The lists ``--codelist NAME=FILE`` may name: the fields of :class:`CodeLists`.
_CODELIST_NAMES: Final = tuple(field.name for field in attrs.fields(CodeLists))


def _code_lists(settings: Sequence[str]) -> CodeLists | None:
    """The code lists of ``--codelist NAME=FILE`` options; ``None`` without any."""
    files: dict[str, str] = {}
    for setting in settings:
        name, sep, path = setting.partition("=")
        if not sep or name.strip() not in _CODELIST_NAMES or not path:
            expected = " or ".join(f"{listed}=FILE" for listed in _CODELIST_NAMES)
            raise InvalidInput([("--codelist", f"expected {expected}")])
        files[name.strip()] = path
    try:
        return load_code_lists(**files) if files else None
    except InvalidInput as error:  # each problem's path starts with the file's
        raise InvalidInput(
            (f"--codelist {path}", message) for path, message in error.problems
        ) from None


def _named_by_set_fact(error: InvalidInput, settings: Sequence[str]) -> InvalidInput:
    """The problems with a fact given by ``--set-fact FIELD=VALUE`` named by that option
    (``--set-fact person.lived_in_england: expected a boolean``), the others as they are."""
    fields = {setting.partition("=")[0].strip() for setting in settings}

    def named(path: str) -> str:
        for field in fields:
            where = f"supplied.{field}"
            if path == where or path.startswith((where + ".", where + "[")):
                return f"--set-fact {field}{path[len(where) :]}"
        return path

    return InvalidInput((named(path), message) for path, message in error.problems)


def run_fhir(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    interpretation = interpretation_of(args.set)
    codes = _code_lists(args.codelist)
    supplied = _supplied(args.supplied, args.set_fact)
    record = read_record(args.file)
    try:
        extract = _fhir_extract(record, supplied, codes)
    except InvalidInput as error:
        raise _named_by_set_fact(error, args.set_fact) from None
    assessment = (
        assess(notification_as_read(extract), interpretation=interpretation)
        if args.assess
        else None
    )
    if args.format == "json":
        document = dump(extract)
        if assessment is not None:
            document = {"extract": document, "assessment": dump(assessment)}
        out.json(document)
    else:
        out.text(format_fhir_extract_text(extract))
        if assessment is not None:
            out.text(format_assessment_text(assessment))
    return EXIT_OK


def _fhir_extract(
    document: object, supplied: dict[str, Any], codes: CodeLists | None
) -> FhirExtract:
    """The extract of FILE: a FHIR record, or a ``leder.fhir-request/1`` whose own supplied
    facts ``--supplied`` and ``--set-fact`` add to and override."""
    if is_fhir_request(document):
        return extract_request(load_fhir_request(document), supplied=supplied, codes=codes)
    return extract_notification(document, supplied=supplied, codes=codes)
