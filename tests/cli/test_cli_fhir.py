"""``leder fhir``: a FHIR record in, the extract (and assessment) out; exit codes 0 and 2."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import write
from leder_core.cli import main

NHS_NUMBER = "9434765919"
PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "pat-1",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}],
    "birthDate": "1970-01-01",
    "deceasedDateTime": "2024-03-10T09:30:00Z",
    "generalPractitioner": [
        {"identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "Y1"}}
    ],
}
CONDITION: dict[str, Any] = {
    "resourceType": "Condition",
    "id": "ld-1",
    "subject": {"reference": "Patient/pat-1"},
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "110359009"}]},
}
BUNDLE = {
    "resourceType": "Bundle",
    "type": "searchset",
    "entry": [{"resource": PATIENT}, {"resource": CONDITION}],
}
SUPPLIED = {"id": "N-1", "notified_on": "2024-03-15", "notifier_role": "gp"}


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fhir_prints_the_extract_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = write(tmp_path, "record.json", BUNDLE)
    supplied = write(tmp_path, "supplied.json", SUPPLIED)
    code, out, err = run(
        capsys, "fhir", record, "--supplied", supplied, "--set-fact", "person.lived_in_england=true"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["schema"] == "leder.fhir-extract/1"
    assert document["notification"]["person"]["learning_disability"] is True
    sources = {fact["field"]: fact["source"] for fact in document["facts"]}
    assert sources["person.lived_in_england"] == "supplied"
    assert sources["person.learning_disability"] == "fhir"
    assert sources["responsible_body"] == "default"


def test_fhir_assess_prints_extract_and_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = write(tmp_path, "record.json", BUNDLE)
    code, out, _ = run(
        capsys,
        "fhir",
        record,
        "--assess",
        "--set-fact",
        "id=N-7",
        "--set-fact",
        "notified_on=2024-03-15",
        "--set-fact",
        "notifier_role=family",
        "--set-fact",
        "person.lived_in_england=true",
        "--set",
        "clock=stop",
    )
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["extract", "assessment"]
    assert document["extract"]["notification"]["id"] == "N-7"
    assert document["assessment"]["outcome"] == "leder_review"
    assert document["assessment"]["interpretation"]["clock"] == "stop"


def test_set_fact_wins_over_the_supplied_file_and_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = write(tmp_path, "record.json", BUNDLE)
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": {"lived_in_england": False}})
    code, out, _ = run(
        capsys,
        "fhir",
        record,
        "--supplied",
        supplied,
        "--set-fact",
        "person.lived_in_england=true",
        "--set-fact",
        "person.autism=suspected",
    )
    assert code == 0
    person = json.loads(out)["notification"]["person"]
    assert person["lived_in_england"] is True
    assert person["autism"] == "suspected"


def test_fhir_text_shows_facts_with_sources_then_the_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = write(tmp_path, "record.json", BUNDLE)
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": {"lived_in_england": True}})
    code, out, _ = run(
        capsys, "fhir", record, "--supplied", supplied, "--assess", "--format", "text"
    )
    assert code == 0
    facts, assessment = out.split("\n\n", 1)
    assert facts.startswith("Notification N-1: facts read from the FHIR record")
    assert "person.learning_disability" in facts
    assert "FHIR-LEARNING-DISABILITY ($.entry[1].resource.code.coding[0])" in facts
    assert "supplied" in facts
    assert "default" in facts
    assert assessment.startswith("Notification N-1")
    for value in (NHS_NUMBER, "1970-01-01", "2024-03-10"):
        assert value not in out


def test_fhir_reads_stdin(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": {"lived_in_england": True}})
    code, out, _ = run(
        capsys, "fhir", "-", "--supplied", supplied, stdin=json.dumps(BUNDLE).encode()
    )
    assert code == 0
    assert json.loads(out)["notification"]["person"]["date_of_death"] == "2024-03-10"


def test_fhir_codelist_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ld = write(tmp_path, "ld.csv", "code,term\n68618008,Rett syndrome\n")
    autism = write(tmp_path, "autism.csv", "code,term\n68618008,Rett's disorder\n")
    rett = {**CONDITION, "code": {"coding": [{"system": SNOMED, "code": "68618008"}]}}
    record = write(tmp_path, "r.json", [PATIENT, rett])
    code, out, err = run(
        capsys,
        "fhir",
        record,
        "--codelist",
        f"learning_disability={ld}",
        "--codelist",
        f"autism={autism}",
        "--set-fact",
        "id=N-1",
        "--set-fact",
        "notified_on=2024-03-15",
        "--set-fact",
        "notifier_role=gp",
        "--set-fact",
        "person.lived_in_england=true",
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["notification"]["person"]["learning_disability"] is True
    assert document["notification"]["person"]["autism"] == "diagnosed"
    texts = {fact["field"]: fact["text"] for fact in document["facts"]}
    assert "(LD_COD, file ld.csv)" in texts["person.learning_disability"]


SNOMED = "http://snomed.info/sct"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--set-fact", "nonsense"], ["--set-fact: expected FIELD=VALUE, e.g. person.autism=none"]),
        (
            ["--codelist", "asthma=x.csv"],
            ["--codelist: expected learning_disability=FILE or autism=FILE"],
        ),
        (["--set", "clock=sometimes"], None),
    ],
)
def test_bad_options_exit_2_with_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: list[str] | None
) -> None:
    record = write(tmp_path, "record.json", BUNDLE)
    code, out, err = run(capsys, "fhir", record, *argv)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    if expected is not None:
        assert err.splitlines() == expected


def test_a_refused_record_lists_every_problem_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patient = {**PATIENT, "birthDate": "1970-02", "meta": {"security": [{"code": "R"}]}}
    del patient["generalPractitioner"]
    record = write(
        tmp_path, "record.json", {"resourceType": "Bundle", "entry": [{"resource": patient}]}
    )
    code, out, err = run(capsys, "fhir", record, "--set-fact", "person.lived_in_england=maybe")
    assert code == 2
    assert out == ""
    problems = err.splitlines()
    assert problems[:3] == [
        "$.entry[0].resource.birthDate: a partial date of birth (year, or year and month): "
        "supply person.date_of_birth",
        "supplied.person.learning_disability: the record holds no Condition or Observation of "
        "the patient, and a demographic record alone says nothing about diagnoses: supply "
        "person.learning_disability",
        "supplied.person.autism: the record holds no Condition or Observation of the patient, "
        "and a demographic record alone says nothing about diagnoses: supply person.autism",
    ]
    assert (
        "$.entry[0].resource.meta.security: a restricted record hides the GP practice: supply "
        "person.gp_registered"
    ) in problems
    assert "supplied.id: no FHIR element holds this fact: it must be supplied" in problems
    for value in ("1970", NHS_NUMBER):
        assert value not in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "$: not valid JSON (line 1)"),
        ("42", "$: expected a FHIR Bundle, a list of resources or a Patient"),
        (
            '{"resourceType": "Condition"}',
            "$: no Patient resource: the input must be about one person",
        ),
    ],
)
def test_input_that_is_not_fhir_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    record = write(tmp_path, "record.json", content)
    code, _, err = run(capsys, "fhir", record, "--set-fact", "id=N-1")
    assert code == 2
    assert err.splitlines()[0] == problem


def test_a_missing_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "fhir", str(tmp_path / "absent.json"))
    assert code == 2
    assert err.startswith("leder: cannot read")


needs_xml = pytest.mark.skipif(
    importlib.util.find_spec("lxml") is None,
    reason="the optional extra leder-core[fhir] (lxml) is absent",
)


@needs_xml
def test_fhir_reads_xml_with_the_extra(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xml = (
        '<Patient xmlns="http://hl7.org/fhir"><id value="pat-1"/>'
        '<birthDate value="1970-01-01"/><deceasedDateTime value="2024-03-10T09:00:00Z"/>'
        "</Patient>"
    )
    record = write(tmp_path, "record.xml", "\n  " + xml)
    person = {"lived_in_england": True, "learning_disability": False, "autism": "none"}
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": person})
    code, out, err = run(capsys, "fhir", record, "--supplied", supplied)
    assert (code, err) == (0, "")
    assert json.loads(out)["notification"]["person"]["date_of_death"] == "2024-03-10"


XML_PATIENT = (
    '<Patient xmlns="http://hl7.org/fhir"><id value="pat-1"/>'
    '<identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/>'
    f'<value value="{NHS_NUMBER}"/></identifier>'
    '<birthDate value="1970-01-01"/><deceasedDateTime value="2024-03-10T09:30:00Z"/>'
    "</Patient>"
)


@needs_xml
@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY nhs "9434765919">]>'
            + XML_PATIENT.replace(NHS_NUMBER, "&nhs;"),
            "$: a document type declaration (<!DOCTYPE>) is not allowed in FHIR XML; "
            "nothing in the document was read",
        ),
        (
            XML_PATIENT.replace('<id value="pat-1"/>', '<id value="pat-1"/><?pi x?><bogus/>'),
            "$.bogus: an element FHIR does not define here",
        ),
        (
            XML_PATIENT.replace("<birthDate", '<x:birthDate xmlns:x="urn:x" value="1"/><birthDate'),
            "$.birthDate: an element outside the FHIR namespace",
        ),
        (
            XML_PATIENT.replace(
                "<birthDate",
                '<text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml">'
                '<o:p xmlns:o="urn:o"/></div></text><birthDate',
            ),
            "$.text.div: a narrative may hold only XHTML elements",
        ),
        (
            XML_PATIENT.replace(
                "<birthDate", '<extension url="u">' * 300 + "</extension>" * 300 + "<birthDate"
            ),
            "$: nested more than 256 elements deep",
        ),
    ],
    ids=["entity", "unknown-element", "foreign-element", "foreign-narrative", "deep"],
)
def test_fhir_xml_that_fhir_does_not_allow_exits_2_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], xml: str, problem: str
) -> None:
    record = write(tmp_path, "record.xml", xml)
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": {"lived_in_england": True}})
    code, out, err = run(capsys, "fhir", record, "--supplied", supplied)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == problem
    assert NHS_NUMBER not in err


@needs_xml
def test_fhir_xml_with_a_comment_before_id_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xml = XML_PATIENT.replace('<id value="pat-1"/>', '<!-- a comment --><id value="pat-1"/>')
    record = write(tmp_path, "record.xml", '<?xml version="1.0" encoding="UTF-8"?>\n' + xml)
    person = {"lived_in_england": True, "learning_disability": True, "autism": "none"}
    supplied = write(tmp_path, "s.json", {**SUPPLIED, "person": person})
    code, out, err = run(capsys, "fhir", record, "--supplied", supplied)
    assert (code, err) == (0, "")
    person = json.loads(out)["notification"]["person"]
    assert (person["nhs_number"], person["date_of_death"]) == (NHS_NUMBER, "2024-03-10")


def test_schema_fhir_extract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "fhir-extract")
    assert code == 0
    schema = json.loads(out)
    assert schema["$id"] == "https://leder-core.invalid/schemas/leder.fhir-extract-1.json"
    assert schema["properties"]["schema"] == {"const": "leder.fhir-extract/1"}
