"""A small seeded run of the FHIR fuzzer (``benchmarks/fuzz_fhir.py``), and what it found.

The full run (50,000 JSON and 20,000 XML documents) is a benchmark-style script run by hand;
this one runs a few hundred documents of each, seeded, so that it is the same every time:
no exception but ``InvalidInput``, and no NHS number, name or date of the input in any
problem message or fact text. Its findings are kept below as small regression tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from leder_core.fhir import extract_notification

FUZZER = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_fhir.py"


def load_fuzzer() -> ModuleType:
    if not FUZZER.exists():
        pytest.skip("benchmarks/fuzz_fhir.py is absent (a test run away from the repository)")
    if importlib.util.find_spec("lxml") is None:
        pytest.skip("the optional extra leder-core[fhir] (lxml) is absent")
    spec = importlib.util.spec_from_file_location("fuzz_fhir", FUZZER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_fhir"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzzer() -> ModuleType:
    return load_fuzzer()


def known_echo(text: str, fuzzer: ModuleType) -> bool:
    """A leak of the finding kept below (an id quoted in a fact text), not a new one."""
    return f"/{fuzzer.IDENTIFIER} " in text


@pytest.mark.parametrize("seed", [1, 2])
def test_a_seeded_fuzz_run_raises_nothing_but_invalid_input(fuzzer: ModuleType, seed: int) -> None:
    as_json, as_xml = fuzzer.fuzz(300, 150, seed)
    assert as_json.documents == 300
    assert as_xml.documents == 150
    assert as_xml.refused > 0  # the XML hazards are refused...
    assert as_json.accepted > 0  # ...and mutated records still read
    assert (as_json.other, as_xml.other) == (0, 0), as_json.failures + as_xml.failures
    unknown = [text for text in as_json.leaked | as_xml.leaked if not known_echo(text, fuzzer)]
    assert unknown == []


def test_the_xml_writer_reads_back_as_the_json(fuzzer: ModuleType) -> None:
    from leder_core.fhir import parse_fhir_xml

    records = [record for record in fuzzer.built_records() if isinstance(record, dict)]
    assert records, "the fuzzer built no record to write as XML"
    for record in records:
        assert parse_fhir_xml(fuzzer.to_xml(record)) == record


# --- findings, kept as regression tests -----------------------------------------------------

SUPPLIED: dict[str, Any] = {
    "id": "N-FUZZ",
    "notified_on": "2024-03-15",
    "notifier_role": "health_professional",
    "person": {"lived_in_england": True},
}


def test_a_condition_s_id_is_never_quoted_in_a_fact_text() -> None:
    """The fuzzer's one finding: fact texts named a resource by its id, which is the sender's
    text and may hold a person's details; they name it by its place in the input."""
    record = [
        {
            "resourceType": "Patient",
            "id": "p1",
            "birthDate": "1931-07-13",
            "deceasedDateTime": "2024-02-29T12:00:00Z",
        },
        {
            "resourceType": "Condition",
            "id": "943-476-5919",
            "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "110359009"}]},
        },
    ]
    extract = extract_notification(record, supplied=SUPPLIED)
    assert not any("943-476-5919" in fact.text for fact in extract.facts)
