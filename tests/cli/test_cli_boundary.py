"""The boundary's last holes: nesting of any depth, a closed stdin, a broken pipe, flag names.

JSON nested deeper than the library reads (``MAX_DEPTH``) is bad input on every command that
reads a file, named by the document's position, and the rest of a batch is still read; the
Python API gives :class:`InvalidInput`, never :class:`RecursionError`. Closed streams and
broken pipes need a real process, so those tests run ``python -m leder_core``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import run, write
from leder_core import InvalidInput, assess, load_review
from leder_core.cli import EXIT_BROKEN_PIPE
from leder_core.fhir import extract_notification
from leder_core.sample import sample_reviews
from leder_core.serialization import (
    MAX_DEPTH,
    TOO_DEEP,
    load_governance,
    load_notification,
    nesting_problem,
)

DEEP = 100_000  # far past the parser's own limit
REVIEWS = list(sample_reviews(count=3))
NOTIFICATIONS = [document["notification"] for document in REVIEWS]
GOVERNANCE: dict[str, Any] = {"body": {"code": "QE1", "kind": "icb"}}
PATIENT: dict[str, Any] = {"resourceType": "Patient", "birthDate": "1970-01-01"}
AS_OF = ("--as-of", "2025-07-31")
SRC = Path(__file__).resolve().parents[2] / "src"


def deep_text(kind: str, depth: int = DEEP) -> str:
    """JSON text of arrays or objects nested ``depth`` deep (built without recursion)."""
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


def deep_value(kind: str, depth: int) -> object:
    value: object = [] if kind == "array" else {}
    for _ in range(depth - 1):
        value = [value] if kind == "array" else {"a": value}
    return value


Command = Callable[[str], list[str]]


def batch_commands(tmp_path: Path) -> dict[str, tuple[Command, list[dict[str, Any]]]]:
    """Every command that reads a batch of documents, with good documents for it."""
    arrangements = write(tmp_path, "arrangements.json", json.dumps(GOVERNANCE))
    return {
        "assess": (lambda path: ["assess", path], NOTIFICATIONS),
        "review": (lambda path: ["review", path, *AS_OF], REVIEWS),
        "report": (lambda path: ["report", path, *AS_OF, "--format", "json"], REVIEWS),
        "governance": (
            lambda path: ["governance", path, *AS_OF, "--format", "json"],
            [GOVERNANCE, GOVERNANCE, GOVERNANCE],
        ),
        "governance --reviews": (
            lambda path: ["governance", arrangements, *AS_OF, "--reviews", path],
            REVIEWS,
        ),
    }


BATCH_COMMANDS = ["assess", "review", "report", "governance", "governance --reviews"]
KINDS = ["array", "object"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", BATCH_COMMANDS)
def test_a_deep_single_document_is_bad_input(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, _ = batch_commands(tmp_path)[command]
    path = write(tmp_path, "deep.json", deep_text(kind))
    code, _, err = run(capsys, *argv(path))
    assert code == 2
    assert TOO_DEEP in err
    assert "internal error" not in err


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", BATCH_COMMANDS)
def test_a_deep_line_of_json_lines_is_named_and_the_rest_read(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, documents = batch_commands(tmp_path)[command]
    deep = deep_text("object") if kind == "object" else '{"a":' + deep_text("array") + "}"
    lines = [json.dumps(document) for document in documents]
    lines.insert(1, deep)
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    code, out, err = run(capsys, *argv(path))
    assert code == 2
    prefix = "--reviews $[1]" if command == "governance --reviews" else "$[1]"
    assert f"{prefix}: {TOO_DEEP}" in err
    if command == "report":
        assert json.loads(out)["total"]["notified"] == len(documents)
    elif command == "governance --reviews":
        assert "governance" in out.lower()
    else:
        assert len(out.splitlines()) == len(documents)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["assess", "review", "governance"])
def test_a_deep_item_of_an_array_is_named_and_the_rest_read(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, documents = batch_commands(tmp_path)[command]
    items = [json.dumps(document, indent=2) for document in documents]
    items.insert(2, deep_text(kind))
    path = write(tmp_path, "batch.json", "[\n" + ",\n".join(items) + "\n]\n")
    code, out, err = run(capsys, *argv(path))
    assert code == 2
    assert err.splitlines() == [f"$[2]: {TOO_DEEP}"]
    assert len(out.splitlines()) == len(documents)


def test_an_array_too_deep_to_read_that_is_not_json_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.json", "[\n" + deep_text("array") + ",\n  oops\n]\n")
    code, out, err = run(capsys, "assess", path)
    assert code == 2
    assert err.strip() == "$: not valid JSON (line 3, column 3)"
    assert out == ""


def test_nesting_within_the_limit_is_read_but_past_it_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Past MAX_DEPTH but well within what json.loads reads: the library refuses it.
    notification = dict(NOTIFICATIONS[0], extra=deep_value("array", MAX_DEPTH))
    path = write(tmp_path, "n.json", json.dumps(notification))
    code, _, err = run(capsys, "assess", path)
    assert code == 2
    assert err.strip() == f"$.extra[0]: {TOO_DEEP}"
    notification = dict(NOTIFICATIONS[0], extra=deep_value("array", MAX_DEPTH - 1))
    path = write(tmp_path, "n.json", json.dumps(notification))
    code, _, err = run(capsys, "assess", path)
    assert err.strip() == "$.extra: unknown key"


@pytest.mark.parametrize("kind", KINDS)
def test_fhir_refuses_a_deep_record_and_deep_supplied_facts(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = write(tmp_path, "deep.json", deep_text(kind))
    code, out, err = run(capsys, "fhir", deep, "--set-fact", "id=N-1")
    assert (code, out, err.strip()) == (2, "", f"$: {TOO_DEEP}")
    record = write(tmp_path, "patient.json", json.dumps(PATIENT))
    code, out, err = run(capsys, "fhir", record, "--supplied", deep)
    assert (code, out, err.strip()) == (2, "", f"supplied: {TOO_DEEP}")
    literal = deep_text(kind, 50_000)  # a command-line argument is at most 128 KiB
    code, out, err = run(capsys, "fhir", record, "--set-fact", f"person={literal}")
    assert (code, out, err.strip()) == (2, "", f"--set-fact person: {TOO_DEEP}")


@pytest.mark.parametrize("kind", KINDS)
def test_the_python_api_refuses_deep_input_with_invalid_input(kind: str) -> None:
    deep = deep_value(kind, DEEP)
    calls: list[Callable[[], object]] = [
        lambda: load_notification(dict(NOTIFICATIONS[0], extra=deep)),
        lambda: assess(dict(NOTIFICATIONS[0], person=deep)),
        lambda: load_review(dict(REVIEWS[0], events=[deep])),
        lambda: load_governance(dict(GOVERNANCE, reviewers=deep)),
        lambda: extract_notification(deep, supplied={}),
        lambda: extract_notification(PATIENT, supplied={"person": deep}),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert [problem.message for problem in caught.value.problems] == [TOO_DEEP]


def test_the_depth_walk_names_where_the_nesting_is() -> None:
    assert nesting_problem({"a": {"b": deep_value("array", DEEP)}}) == ("$.a.b", TOO_DEEP)
    assert nesting_problem([1, deep_value("object", DEEP)]) == ("$[1].a", TOO_DEEP)
    assert nesting_problem(deep_value("object", MAX_DEPTH)) is None
    assert nesting_problem(deep_value("object", MAX_DEPTH + 1)) == ("$.a.a", TOO_DEEP)
    assert nesting_problem("text") is None


# --- a real process: closed streams and broken pipes ------------------------------------------


def leder(*argv: str, **options: Any) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "leder_core", *argv], env=environment, **options
    )


def close(descriptor: int) -> Callable[[], None]:
    return lambda: os.close(descriptor)


@pytest.mark.parametrize("command", [["assess", "-"], ["fhir", "-"]])
def test_a_closed_stdin_is_bad_input(command: list[str]) -> None:
    process = leder(*command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=close(0))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.decode() == "leder: stdin: no input, stdin is closed\n"
    assert out == b""


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    process = leder("sample", "--count", "100000", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    with process.stdout, process.stderr:
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
    process.wait(timeout=120)
    assert "notification" in json.loads(first)
    assert (process.returncode, err) == (EXIT_BROKEN_PIPE, b"")


def test_a_broken_stderr_pipe_ends_quietly_not_as_a_refused_event(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.json", "")
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read what leder says on stderr
    try:
        process = leder("assess", empty, stdout=subprocess.PIPE, stderr=writer)
    finally:
        os.close(writer)
    out, _ = process.communicate(timeout=60)
    assert (process.returncode, out) == (EXIT_BROKEN_PIPE, b"")


@pytest.mark.parametrize("descriptor", [1, 2])
def test_a_closed_stream_ends_quietly(descriptor: int, tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.json", "")
    argv = ["sample", "--count", "3"] if descriptor == 1 else ["assess", empty]
    process = leder(
        *argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=close(descriptor)
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_BROKEN_PIPE
    assert (out, err) == (b"", b"")


def test_a_closed_stderr_is_no_matter_when_nothing_is_said() -> None:
    process = leder("sample", "--count", "3", stdout=subprocess.PIPE, preexec_fn=close(2))
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert len(out.splitlines()) == 3


# --- flags and empty input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["sample", "--until", "2024-13-01"], "--until: not a real calendar date"),
        (["sample", "--until", "2010-01-01"], "--until: must be from 2016-07-01"),
        (
            ["report", "--sample", *AS_OF, "--service-level", "a=notified:allocated:9" + "9" * 19],
            "--service-level a: takes the date past 9999-12-31",
        ),
        (["review", "x.json", "--as-of", "31/07/2025"], "--as-of: "),
        (["body", "QE1", "--as-of", "2025-02-30"], "--as-of: not a real calendar date"),
        (["report", "--sample", *AS_OF, "--set", "clock=never"], "--set clock: "),
        (["report", "--sample", *AS_OF, "--set", "due_soon_days=x"], "--set due_soon_days: "),
        (["report", "--sample", *AS_OF, "--service-level", "a=b"], "--service-level: "),
        (["report", "--sample", *AS_OF, "--service-level", "a=x:y:5"], "--service-level a: "),
        (["sample", "--count", "-1"], "leder: --count must not be negative"),
        (["sample", "--count", "x"], "leder: argument --count: invalid int value"),
        (["sample", "--seed", "x"], "leder: argument --seed: invalid int value"),
        (["report", "--sample", *AS_OF, "--ods", "NOT_ODS"], "--ods NOT_ODS: not an ODS"),
    ],
)
def test_errors_about_a_flag_name_the_flag(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    not_ods = write(tmp_path, "notes.csv", "# not ODS\n")
    argv = [not_ods if part == "NOT_ODS" else part for part in argv]
    expected = expected.replace("NOT_ODS", not_ods)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1].startswith(expected), err


def test_fhir_flags_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = write(tmp_path, "patient.json", json.dumps(PATIENT))
    code, _, err = run(capsys, "fhir", record, "--codelist", "autism")
    assert (code, err.strip()) == (
        2,
        "--codelist: expected learning_disability=FILE or autism=FILE",
    )
    missing = str(tmp_path / "missing.csv")
    code, _, err = run(capsys, "fhir", record, "--codelist", f"autism={missing}")
    assert code == 2
    assert err.startswith(f"--codelist {missing}: cannot read the file")
    code, _, err = run(capsys, "fhir", record, "--set-fact", "person..x=1")
    assert (code, err.strip()) == (2, "--set-fact: expected FIELD=VALUE, e.g. person.autism=none")


@pytest.mark.parametrize("content", ["", "\n \n", "\ufeff"])
def test_fhir_on_an_empty_file_says_empty_input(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "empty.json", content)
    code, out, err = run(capsys, "fhir", path)
    assert (code, out) == (2, "")
    assert err == f"leder: {path}: empty input, no documents to read\n"
    record = write(tmp_path, "patient.json", json.dumps(PATIENT))
    code, out, err = run(capsys, "fhir", record, "--supplied", path)
    assert (code, out) == (2, "")
    assert err == f"leder: {path}: empty input, no documents to read\n"


def test_a_bad_set_fact_value_is_named_by_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = write(tmp_path, "patient.json", json.dumps(PATIENT))
    supplied = write(tmp_path, "supplied.json", json.dumps({"notifier_role": "someone"}))
    argv = ["fhir", record, "--supplied", supplied, "--set-fact", "id=N-1"]
    argv += ["--set-fact", "notified_on=2024-13-01", "--set-fact", "person.lived_in_england=x"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    problems = err.splitlines()
    assert "--set-fact notified_on: not a real calendar date" in problems
    assert any(line.startswith("--set-fact person.lived_in_england: ") for line in problems)
    assert any(line.startswith("supplied.notifier_role: ") for line in problems)  # the file's


def test_fhir_assess_says_which_facts_took_their_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Said as it is: the opt-out is neither in FHIR nor supplied, so the reason says assumed;
    # the extract's own document is unchanged (every field, with its source).
    record = write(tmp_path, "patient.json", json.dumps(PATIENT))
    facts = ["id=N-1", "notified_on=2024-03-15", "notifier_role=gp"]
    facts += ["person.lived_in_england=true", "person.date_of_death=2024-03-10"]
    facts += ["person.learning_disability=true", "person.autism=none"]
    argv = ["fhir", record, "--assess", *(part for fact in facts for part in ("--set-fact", fact))]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    document = json.loads(out)
    reasons = {reason["rule"]: reason["text"] for reason in document["assessment"]["reasons"]}
    assert reasons["ELIG-OPT-OUT"].startswith("No national data opt-out was given; ")
    assert "national_data_opt_out" in document["extract"]["notification"]["person"]
    code, out, _ = run(capsys, *argv, "--set-fact", "person.national_data_opt_out=false")
    reasons = {
        reason["rule"]: reason["text"] for reason in json.loads(out)["assessment"]["reasons"]
    }
    assert reasons["ELIG-OPT-OUT"] == "No national data opt-out was registered."


HAS_XML = all(importlib.util.find_spec(name) for name in ("lxml", "fhir"))


@pytest.mark.skipif(not HAS_XML, reason="the optional extra fhir (fhir.resources, lxml) is absent")
@pytest.mark.parametrize("depth", [60, 99, 140, 200, 10_000])
def test_deep_fhir_xml_is_bad_input(
    depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Past 256 elements the XML is refused as it is parsed; under that, the FHIR JSON it gives
    # is refused as too deep (more than 100 arrays and objects); nothing recurses.
    nested = '<extension url="x">' * depth + '<valueString value="a"/>' + "</extension>" * depth
    record = write(tmp_path, "deep.xml", f'<Patient xmlns="http://hl7.org/fhir">{nested}</Patient>')
    code, out, err = run(capsys, "fhir", record, "--set-fact", "id=N-1")
    assert (code, out) == (2, "")
    assert re.search(r"nested more than \d+", err) or "not well-formed XML" in err
    assert "internal error" not in err
