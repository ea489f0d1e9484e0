"""leder_core.fhir: the real example records, the XML path, code lists, documents and privacy.

The policy cases (tests/cases/fhir.toml) cover each FHIR-* rule's edges; these tests cover
what the cases cannot: real national files, code list files, the XML extra and the wire form.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from leder_core import InvalidInput, assess, dump
from leder_core.fhir import (
    CodeList,
    CodeLists,
    Fact,
    FactSource,
    FhirExtract,
    extract_notification,
    load_code_lists,
    parse_fhir_xml,
)
from leder_core.fhir.dates import parse_fhir_date
from leder_core.rules.fhir import FIELDS
from leder_core.rules.registry import RULES
from leder_core.schema import json_schema

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "domain" / "reference"
EXAMPLES = SHARED / "fhir-examples"
CODELISTS = SHARED / "codelists"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="the reference data (../shared/domain/reference) is absent"
)
HAS_XML = importlib.util.find_spec("lxml") is not None
needs_xml = pytest.mark.skipif(not HAS_XML, reason="the optional extra fhir (lxml) is absent")

SUPPLIED: dict[str, Any] = {
    "id": "N-FHIR-1",
    "notified_on": "2026-01-05",
    "notifier_role": "health_professional",
    "person": {"lived_in_england": True},
}
#: The same, with the diagnoses known: for a demographic record alone, which says nothing
#: about them (FHIR-LEARNING-DISABILITY, FHIR-AUTISM refuse them unless supplied).
KNOWN: dict[str, Any] = copy.deepcopy(SUPPLIED)
KNOWN["person"] |= {"learning_disability": False, "autism": "none"}
NHS_NUMBER = "9434765919"
#: SNOMED CT 38341003 Hypertensive disorder: a clinical record with nothing on the lists.
UNLISTED = "38341003"


def patient(**fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "pat-1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}],
        "birthDate": "1970-01-01",
        "deceasedDateTime": "2024-03-10",
        **fields,
    }


def condition(code: str, *, subject: str = "Patient/pat-1", **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"c-{code}",
        "subject": {"reference": subject},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": code}]},
    } | fields


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [{"resource": resource} for resource in resources],
    }


def fact(extract: FhirExtract, field: str) -> Fact:
    return next(item for item in extract.facts if item.field == field)


# --- the shape of an extract ----------------------------------------------------------------


def test_one_fact_per_notification_field_in_document_order() -> None:
    extract = extract_notification(patient(), supplied=KNOWN)
    assert [item.field for item in extract.facts] == [name for name, _rule, _d in FIELDS]
    document = dump(extract.notification)
    flat = [key for key in document if key not in ("schema", "person")]
    person = [f"person.{key}" for key in document["person"]]
    assert sorted(item.field for item in extract.facts) == sorted(flat + person)


def test_fact_sources_rules_and_paths_follow_the_settled_details() -> None:
    extract = extract_notification(bundle(patient(), condition(UNLISTED)), supplied=SUPPLIED)
    for item in extract.facts:
        if item.source is FactSource.FHIR:
            assert item.rule in RULES
            assert item.rule is not None
            assert item.rule.startswith("FHIR-")
        else:
            assert item.rule is None
            assert item.path is None
    # Finding nothing still decides the fact: source fhir, its rule, path null.
    nothing = fact(extract, "person.learning_disability")
    assert (nothing.source, nothing.rule, nothing.path) == (
        FactSource.FHIR,
        "FHIR-LEARNING-DISABILITY",
        None,
    )
    assert "no coded learning disability found" in nothing.text.lower()


def test_any_bundle_type_is_read() -> None:
    for kind in ("collection", "searchset", "transaction", "document", "message"):
        extract = extract_notification(bundle(patient(), kind=kind), supplied=KNOWN)
        assert extract.notification.person.date_of_birth.isoformat() == "1970-01-01"


def test_entries_without_a_resource_and_other_resource_types_are_skipped_silently() -> None:
    record = bundle(patient(), {"resourceType": "Medication", "id": "m-1"})
    record["entry"].append({"request": {"method": "GET", "url": "Patient/pat-1"}})
    extract = extract_notification(record, supplied=KNOWN)
    assert extract.ignored == ()


def test_ignored_unpacks_as_path_and_why() -> None:
    record = bundle(patient(), condition("110359009", subject="Patient/other"))
    extract = extract_notification(record, supplied=KNOWN)
    assert extract.ignored == (("$.entry[1].resource", "a Condition about another patient"),)
    [(path, why)] = extract.ignored
    assert (extract.ignored[0].path, extract.ignored[0].why) == (path, why)
    assert fact(extract, "person.learning_disability").source is FactSource.SUPPLIED


def test_a_supplied_fact_is_recorded_as_supplied() -> None:
    supplied = copy.deepcopy(SUPPLIED)
    supplied["person"] |= {"learning_disability": True, "autism": "none"}
    extract = extract_notification(patient(), supplied=supplied)
    item = fact(extract, "person.learning_disability")
    assert (item.source, item.rule, item.path) == (FactSource.SUPPLIED, None, None)
    assert extract.notification.person.learning_disability is True


def test_the_extract_is_frozen() -> None:
    extract = extract_notification(patient(), supplied=KNOWN)
    with pytest.raises(AttributeError):
        extract.facts = ()  # type: ignore[misc]


# --- documents --------------------------------------------------------------------------


def test_dump_gives_the_extract_document_valid_against_its_schema() -> None:
    record = bundle(
        patient(), condition("110359009", id="ld-1"), condition("1", subject="Patient/x")
    )
    document = dump(extract_notification(record, supplied=SUPPLIED))
    assert list(document) == ["schema", "notification", "facts", "ignored"]
    assert document["schema"] == "leder.fhir-extract/1"
    assert document["notification"]["schema"] == "leder.notification/1"
    assert document["facts"][6] == {
        "field": "person.learning_disability",
        "source": "fhir",
        "rule": "FHIR-LEARNING-DISABILITY",
        "path": "$.entry[1].resource.code.coding[0]",
        "text": "Condition at $.entry[1] is coded SNOMED CT 110359009 Intellectual disability "
        "(LD_COD, built-in core concepts), no verification status, undated (counted as before).",
    }
    assert document["ignored"] == [
        {"path": "$.entry[2].resource", "why": "a Condition about another patient"}
    ]
    jsonschema.Draft202012Validator(json_schema("fhir-extract")).validate(document)


def test_the_notification_of_an_extract_loads_as_a_notification() -> None:
    from leder_core import load_notification

    extract = extract_notification(patient(), supplied=KNOWN)
    document = dump(extract)["notification"]
    assert load_notification(document) == extract.notification
    jsonschema.Draft202012Validator(json_schema("notification")).validate(document)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fhir", "paths"),
    [
        (42, ["$"]),
        ("Patient", ["$"]),
        ({}, ["$.resourceType"]),
        ({"resourceType": "Bundle", "entry": "x"}, ["$.entry"]),
        (
            {"resourceType": "Bundle", "entry": [3, {"resource": []}]},
            ["$.entry[0]", "$.entry[1].resource"],
        ),
        ([{"resourceType": "Patient"}, {"resourceType": "Patient"}], ["$[1]"]),
        ([], ["$"]),
        (
            {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Bundle"}}]},
            ["$"],
        ),
    ],
)
def test_input_that_is_not_one_patient_s_record_is_refused_with_paths(
    fhir: object, paths: list[str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_notification(fhir, supplied=SUPPLIED)
    assert [problem.path for problem in refused.value.problems] == paths


def test_elements_of_the_wrong_type_are_problems_at_their_paths() -> None:
    record = bundle(
        patient(birthDate=19700101, identifier="x", extension={}, generalPractitioner=[7]),
        {"resourceType": "Condition", "subject": {"reference": "Patient/pat-1"}, "code": []},
    )
    with pytest.raises(InvalidInput) as refused:
        extract_notification(record, supplied=SUPPLIED)
    paths = [problem.path for problem in refused.value.problems]
    assert "$.entry[0].resource.birthDate" in paths
    assert "$.entry[0].resource.identifier" in paths
    assert "$.entry[0].resource.extension" in paths
    assert "$.entry[0].resource.generalPractitioner[0]" in paths
    assert "$.entry[1].resource.code" in paths


def test_problems_of_fhir_and_supplied_are_listed_together() -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_notification(patient(birthDate="1970"), supplied={"person": {"autism": "maybe"}})
    paths = [problem.path for problem in refused.value.problems]
    assert paths[0] == "$.birthDate"
    assert "supplied.id" in paths
    assert "supplied.person.lived_in_england" in paths
    assert "supplied.person.autism" in paths  # a bad supplied value, listed with the rest
    assert len(paths) == len(set(paths))


def test_a_stand_in_for_an_unsupplied_fact_is_never_reported() -> None:
    """Only the supplied facts are checked when the record is refused: the supplied date of
    birth is not compared with anything the caller did not give."""
    supplied = {"id": "N-1", "person": {"date_of_birth": "2024-01-01"}}
    with pytest.raises(InvalidInput) as refused:
        extract_notification({"resourceType": "Patient"}, supplied=supplied)
    paths = [problem.path for problem in refused.value.problems]
    assert paths == [
        "$",
        "supplied.person.learning_disability",
        "supplied.person.autism",
        "supplied.notified_on",
        "supplied.notifier_role",
        "supplied.person.lived_in_england",
    ]


def test_supplied_must_be_an_object() -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_notification(patient(), supplied=[])  # type: ignore[arg-type]
    assert refused.value.problems[0].path == "supplied"


def test_no_problem_or_text_shows_a_person_s_values() -> None:
    bad = patient(
        birthDate="1970-02",
        name=[{"family": "Smith", "given": ["Jayne"]}],
        address=[{"line": ["1 Trevelyan Square"], "postalCode": "LS1 6AE"}],
    )
    bad["identifier"].append({"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"})
    with pytest.raises(InvalidInput) as refused:
        extract_notification(bad, supplied=SUPPLIED)
    shown = str(refused.value) + repr(refused.value)
    for value in ("1970", "9434765919", "9000000009", "Smith", "Jayne", "Trevelyan", "LS1"):
        assert value not in shown
    good = extract_notification(patient(id=NHS_NUMBER), supplied=KNOWN)
    texts = " ".join(item.text + (item.path or "") for item in good.facts) + repr(good)
    for value in (NHS_NUMBER, "1970-01-01", "2024-03-10"):
        assert value not in texts


@pytest.mark.parametrize("sender_id", [NHS_NUMBER, "943-476-5919", "Smith", "1970-01-01", "ld-1"])
def test_a_resource_is_named_by_its_type_and_position_never_its_id(sender_id: str) -> None:
    record = bundle(patient(), condition("110359009") | {"id": sender_id})
    extract = extract_notification(record, supplied=SUPPLIED)
    texts = " ".join(item.text for item in extract.facts)
    assert sender_id not in texts
    assert fact(extract, "person.learning_disability").text.startswith(
        "Condition at $.entry[1] is coded"
    )


# --- records read whole ---------------------------------------------------------------------


def test_a_subject_naming_an_absolute_full_url_with_a_version_counts() -> None:
    url = "https://pds.example.nhs.uk/FHIR/R4/Patient/pat-1"
    record = {
        "resourceType": "Bundle",
        "entry": [
            {"fullUrl": url, "resource": patient()},
            {"resource": condition("110359009", subject=f"{url}/_history/7")},
        ],
    }
    extract = extract_notification(record, supplied=SUPPLIED)
    assert extract.notification.person.learning_disability is True
    assert extract.ignored == ()


def test_a_condition_contained_in_the_patient_refers_to_it_by_hash() -> None:
    record = patient(contained=[condition("110359009", subject="#")])
    extract = extract_notification(record, supplied=SUPPLIED)
    assert fact(extract, "person.learning_disability").path == "$.contained[0].code.coding[0]"
    assert fact(extract, "person.learning_disability").text.startswith(
        "Condition at $.contained[0] is coded"
    )


def test_a_local_reference_resolves_only_within_its_container() -> None:
    """``#p`` in one resource never names a Patient contained in another."""
    other = {
        "resourceType": "Encounter",
        "subject": {"reference": "Patient/pat-1"},
        "contained": [
            {"resourceType": "Patient", "id": "p", "identifier": patient()["identifier"]}
        ],
    }
    stray = condition("110359009", subject="#p")
    extract = extract_notification(
        bundle(patient(), other, stray, condition(UNLISTED)), supplied=SUPPLIED
    )
    assert extract.notification.person.learning_disability is False
    assert extract.ignored == (
        (
            "$.entry[2].resource",
            "a Condition whose subject is a local reference its container does not hold",
        ),
    )


def test_resources_contained_in_a_contained_resource_are_listed_not_read() -> None:
    inner = {"resourceType": "Basic", "contained": [condition("110359009")]}
    outer = {"resourceType": "Basic", "contained": [inner]}
    extract = extract_notification(bundle(patient(), outer, condition(UNLISTED)), supplied=SUPPLIED)
    assert extract.notification.person.learning_disability is False
    assert [entry.path for entry in extract.ignored] == [
        "$.entry[1].resource.contained[0].contained"
    ]


def test_nested_bundles_are_read_at_any_depth() -> None:
    """The walk keeps its own stack (no recursion). Each Bundle level is three JSON levels
    (the Bundle, its entry list, the entry), so 25 Bundles stay within the public entry point's
    limit of 100 nested arrays and objects."""
    record: dict[str, Any] = {
        "resourceType": "Bundle",
        "entry": [{"resource": condition("110359009")}],
    }
    for _ in range(25):
        record = {"resourceType": "Bundle", "entry": [{"resource": record}]}
    record["entry"].insert(0, {"resource": patient()})
    extract = extract_notification(record, supplied=SUPPLIED)
    assert extract.notification.person.learning_disability is True
    path = fact(extract, "person.learning_disability").path
    assert path is not None
    assert path.count(".entry[") == 26  # the outer Bundle and the 25 inside it


@pytest.mark.parametrize(
    "system", ["https://fhir.nhs.uk/Id/nhs-number", "http://fhir.nhs.net/Id/nhs-number"]
)
def test_a_subject_identifier_names_the_patient_by_nhs_number(system: str) -> None:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"identifier": {"system": system, "value": "943 476 5919"}},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "416075005"}]},
    }
    extract = extract_notification(bundle(patient(), observation), supplied=SUPPLIED)
    assert extract.notification.person.learning_disability is True


def test_an_unreadable_reference_still_decides_over_an_identifier() -> None:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "subject": {
            "reference": 7,
            "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER},
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "416075005"}]},
    }
    extract = extract_notification(
        bundle(patient(), observation, condition(UNLISTED)), supplied=SUPPLIED
    )
    assert extract.notification.person.learning_disability is False
    assert extract.ignored == (
        ("$.entry[1].resource", "an Observation whose subject reference is not a string"),
    )


def test_a_supplied_nhs_number_also_names_the_patient_in_a_subject() -> None:
    observation = {
        "resourceType": "Observation",
        "status": "amended",
        "subject": {
            "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "416075005"}]},
    }
    supplied = copy.deepcopy(SUPPLIED)
    supplied["person"]["nhs_number"] = NHS_NUMBER
    record = bundle(patient(identifier=[]), observation)
    assert extract_notification(record, supplied=supplied).notification.person.learning_disability
    with pytest.raises(InvalidInput) as refused:
        extract_notification(record, supplied=SUPPLIED)  # about someone else: no clinical record
    assert "supplied.person.learning_disability" in [p.path for p in refused.value.problems]


def test_no_ignored_why_or_fact_text_echoes_the_sender_s_text() -> None:
    sender = ["943-476-5919", "Smith", "1970-01-01", "https://example.org/Smith"]
    observation = {
        "resourceType": "Observation",
        "id": sender[0],
        "status": "Smith",
        "subject": {"reference": "Patient/pat-1"},
        "code": {"coding": [{"system": sender[3], "code": "1970-01-01"}]},
    }
    ethnic = {
        "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
        "valueCodeableConcept": {"coding": [{"system": sender[3], "code": "A"}]},
    }
    record = bundle(
        patient(extension=[ethnic]),
        observation,
        condition("110359009", subject="Patient/Smith") | {"id": sender[1]},
        condition("110359009") | {"id": sender[2], "verificationStatus": {"text": "Smith"}},
    )
    extract = extract_notification(record, supplied=SUPPLIED)
    shown = " ".join(item.text for item in extract.facts)
    shown += " ".join(entry.why for entry in extract.ignored)
    for text in sender:
        assert text not in shown
    assert "an unrecognised code system" in shown


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "full", "no_offset"),
    [
        ("2024", "2024-01-01", "2024-12-31", False, False),
        ("2024-02", "2024-02-01", "2024-02-29", False, False),
        ("2024-03-10", "2024-03-10", "2024-03-10", True, False),
        ("2024-03-10T23:59:59.123+01:00", "2024-03-10", "2024-03-10", True, False),
        ("2024-03-10T23:59:59Z", "2024-03-10", "2024-03-10", True, False),
        ("2024-03-10T23:59:00", "2024-03-10", "2024-03-10", True, True),
        ("2025-06-30T23:30:00Z", "2025-07-01", "2025-07-01", True, False),
        ("2025-07-01T00:30:00+01:00", "2025-07-01", "2025-07-01", True, False),
        ("2010-10-22T00:00:00+00:00", "2010-10-22", "2010-10-22", True, False),
        ("2025-03-30T00:59:59Z", "2025-03-30", "2025-03-30", True, False),
        ("2025-10-25T23:00:00Z", "2025-10-26", "2025-10-26", True, False),
        ("2025-10-26T23:00:00Z", "2025-10-26", "2025-10-26", True, False),
        ("2060-06-30T23:30:00Z", "2060-07-01", "2060-07-01", True, False),
    ],
)
def test_fhir_dates_are_read_leniently(
    text: str, first: str, last: str, full: bool, no_offset: bool
) -> None:
    parsed = parse_fhir_date(text)
    assert parsed is not None
    assert (parsed.first.isoformat(), parsed.last.isoformat()) == (first, last)
    assert (parsed.full, parsed.no_offset) == (full, no_offset)


def test_england_s_time_zone_comes_with_the_library() -> None:
    """The zone is read from python-dateutil's own copy of the database, not the system's
    (which Windows may lack), so every platform reads the same dates."""
    from zoneinfo import ZoneInfo

    from leder_core.fhir.dates import london_zone

    zone = london_zone()
    assert isinstance(zone, ZoneInfo)
    assert zone.key == "Europe/London"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24",
        "2024-13",
        "2024-02-30",
        "2024-03-10 10:00",
        "spring",
        "2024-03-10T23:59",
        "2024-03-10T24:00:00",
        "2019-02-07T25:99:00Z",
        "2024-03-10T10:60:00Z",
        "2024-03-10T10:00:60",
        "2024-03-10T10:00:00+15:00",
        "2024-03-10T10:00:00+01:60",
        "9999-12-31T23:00:00-10:00",
    ],
)
def test_unreadable_fhir_dates(text: str) -> None:
    assert parse_fhir_date(text) is None


# --- code lists -----------------------------------------------------------------------------


def test_the_built_in_lists_are_exactly_the_core_concepts() -> None:
    codes = CodeLists()
    assert [code for code, _term in codes.learning_disability.concepts] == sorted(
        [
            "110359009", "416075005", "984661000000105", "984671000000103", "508171000000105",
            "984681000000101", "86765009", "61152003", "40700009", "31216003",
            "931001000000105", "1239331000000100", "41040004",
        ]
    )  # fmt: skip
    assert [code for code, _term in codes.autism.concepts] == sorted(
        [
            "35919005", "408856003", "23560001", "43614003", "408857007", "231536004",
            "702732007", "373618009",
        ]
    )  # fmt: skip
    assert codes.learning_disability.described == "LD_COD, built-in core concepts"
    assert codes.autism.refset_id == "999016611000230107"
    assert codes == CodeLists()
    assert hash(codes) == hash(CodeLists())
    assert "13 concepts" in repr(codes.learning_disability)
    for code_list in (codes.learning_disability, codes.autism):
        assert code_list.citations, f"the built-in {code_list.name} cites no release"
        assert all(c.url.startswith("https://") for c in code_list.citations)


@needs_shared
def test_every_built_in_concept_is_in_the_published_releases() -> None:
    ld_2021 = load_code_lists(learning_disability=CODELISTS / "ld_cod-20210127.csv")
    ld_2024 = load_code_lists(learning_disability=CODELISTS / "ld_cod-20241205.csv")
    autism = load_code_lists(autism=CODELISTS / "autism_cod-20210127.csv")
    for code, _term in CodeLists().learning_disability.concepts:
        assert code in ld_2021.learning_disability
        assert code in ld_2024.learning_disability
    for code, _term in CodeLists().autism.concepts:
        assert code in autism.autism
    assert len(ld_2024.learning_disability) == 696
    assert len(ld_2021.learning_disability) == 333
    assert len(autism.autism) == 49
    assert ld_2024.autism == CodeLists().autism  # a list not given stays built-in


@needs_shared
def test_a_concept_in_both_lists_sets_both_facts() -> None:
    codes = load_code_lists(
        learning_disability=CODELISTS / "ld_cod-20241205.csv",
        autism=CODELISTS / "autism_cod-20210127.csv",
    )
    rett = "68618008"
    assert rett in codes.learning_disability
    assert rett in codes.autism
    extract = extract_notification(
        bundle(patient(), condition(rett)), supplied=SUPPLIED, codes=codes
    )
    assert extract.notification.person.learning_disability is True
    assert extract.notification.person.autism.value == "diagnosed"
    text = fact(extract, "person.learning_disability").text
    assert "(LD_COD, file ld_cod-20241205.csv)" in text
    # The built-in lists do not hold Rett syndrome.
    built_in = extract_notification(bundle(patient(), condition(rett)), supplied=SUPPLIED)
    assert built_in.notification.person.learning_disability is False


RF2_HEADER = "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\n"


def rf2_row(component: str, *, refset: str = "999002611000230109", active: str = "1",
            effective: str = "20241205") -> str:  # fmt: skip
    return f"a-{component}\t{effective}\t{active}\t999000011000230102\t{refset}\t{component}\n"


def test_an_rf2_snapshot_is_read_in_its_refset_s_active_rows(tmp_path: Path) -> None:
    path = tmp_path / "der2_Refset_SimpleSnapshot_GB1000230_20241205.txt"
    path.write_text(
        RF2_HEADER
        + rf2_row("110359009", effective="20200401")
        + rf2_row("68618008")
        + rf2_row("86765009", active="0")
        + rf2_row("408856003", refset="999016611000230107"),
        encoding="utf-8",
    )
    codes = load_code_lists(learning_disability=path)
    ld = codes.learning_disability
    assert [code for code, _term in ld.concepts] == ["110359009", "68618008"]
    assert ld.version == "20241205"
    assert ld.file_refset_id == "999002611000230109"
    assert ld.described == (
        "LD_COD, file der2_Refset_SimpleSnapshot_GB1000230_20241205.txt, refset "
        "999002611000230109, version 20241205"
    )
    assert ld.term("110359009") == "Intellectual disability"
    extract = extract_notification(
        bundle(patient(), condition("68618008")), supplied=SUPPLIED, codes=codes
    )
    assert (
        "refset 999002611000230109, version 20241205"
        in fact(extract, "person.learning_disability").text
    )
    autism = load_code_lists(autism=path).autism
    assert [code for code, _term in autism.concepts] == ["408856003"]


def test_an_rf2_file_without_a_row_of_the_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "refset.txt"
    path.write_text(
        RF2_HEADER + rf2_row("408856003", refset="999016611000230107"), encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as refused:
        load_code_lists(learning_disability=path)
    assert [problem.path for problem in refused.value.problems] == [f"{path}:1"]


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        ("", [1]),
        ("snomed,description\n1,x\n", [1]),
        ("code,term\n110359009,Intellectual disability\nabc,Bad\n12,Short\n", [3, 4]),
        ("code,term\n110359009\n", [2]),
        ("code,term\n", [2]),
        (RF2_HEADER + "1\t2\n" + rf2_row("110359009", active="2"), [2, 3]),
        (RF2_HEADER + rf2_row("110359009", effective="2024-12-05"), [2]),
    ],
)
def test_bad_code_list_files_are_refused_with_file_and_line(
    tmp_path: Path, content: str, lines: list[int]
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_code_lists(learning_disability=path)
    assert [problem.path for problem in refused.value.problems] == [
        f"{path}:{line}" for line in lines
    ]


def test_a_missing_or_binary_code_list_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\xff\xfe\x00code")
    with pytest.raises(InvalidInput) as refused:
        load_code_lists(learning_disability=tmp_path / "absent.csv", autism=binary)
    assert [problem.path for problem in refused.value.problems] == [
        str(tmp_path / "absent.csv"),
        f"{binary}:1",
    ]


def test_a_code_list_can_be_built_in_code() -> None:
    custom = CodeList(name="LD_COD", refset_id="999002611000230109", concepts={"123456": "X"})
    codes = CodeLists(learning_disability=custom)
    extract = extract_notification(
        bundle(patient(), condition("123456")), supplied=SUPPLIED, codes=codes
    )
    assert extract.notification.person.learning_disability is True


# --- the real example records ---------------------------------------------------------------


def read_example(name: str) -> Any:
    path = EXAMPLES / name
    if path.suffix == ".xml":
        return parse_fhir_xml(path.read_bytes())
    return json.loads(path.read_text(encoding="utf-8"))


@needs_shared
def test_pds_deceased_patient_with_a_formal_death_and_a_past_practice() -> None:
    extract = extract_notification(read_example("pds-Patient.json"), supplied=KNOWN)
    person = extract.notification.person
    assert person.nhs_number is not None
    assert person.nhs_number.digits == "9000000009"
    assert person.date_of_death.isoformat() == "2010-10-22"
    assert "status 2, formal (registered)" in fact(extract, "person.date_of_death").text
    # The practice registration (2024-2025) does not cover the death in 2010.
    assert person.gp_registered is False
    assert assess(extract.notification).outcome.value == "out_of_scope"


@needs_shared
def test_pds_search_bundle_reads_like_the_patient() -> None:
    alone = extract_notification(read_example("pds-Patient.json"), supplied=KNOWN)
    searched = extract_notification(read_example("pds-PatientSearch.json"), supplied=KNOWN)
    assert searched.notification == alone.notification
    assert fact(searched, "person.date_of_birth").path == ("$.entry[0].resource.birthDate")


@needs_shared
def test_pds_restricted_record_needs_the_gp_registration_supplied() -> None:
    record = read_example("pds-Sensitive_Patient.json")
    with pytest.raises(InvalidInput) as refused:
        extract_notification(record, supplied=KNOWN)
    assert [problem.path for problem in refused.value.problems] == ["$.meta.security"]
    supplied = copy.deepcopy(KNOWN)
    supplied["person"]["gp_registered"] = True
    extract = extract_notification(record, supplied=supplied)
    assert fact(extract, "person.gp_registered").source is FactSource.SUPPLIED


@needs_shared
def test_pds_minimal_patient_needs_its_dates_supplied() -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_notification(read_example("pds-Minimal_Patient.json"), supplied=KNOWN)
    assert [problem.path for problem in refused.value.problems] == ["$.birthDate", "$"]


@needs_shared
@needs_xml
def test_uk_core_richard_smith_removed_death_and_england_ethnicity() -> None:
    record = read_example("UKCore-Patient-RichardSmith-Example.xml")
    with pytest.raises(InvalidInput) as refused:
        extract_notification(record, supplied=KNOWN)
    assert [problem.path for problem in refused.value.problems] == ["$.extension[2]"]
    supplied = copy.deepcopy(KNOWN)
    supplied["person"]["date_of_death"] = "2025-01-01"
    extract = extract_notification(record, supplied=supplied)
    assert extract.notification.person.ethnicity is not None
    assert extract.notification.person.ethnicity.value == "G"
    assert fact(extract, "person.nhs_number").path == "$.identifier[0].value"


@needs_shared
@needs_xml
def test_uk_core_baby_patient_s_nhs_number_fails_its_check_digit() -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_notification(
            read_example("UKCore-Patient-BabyPatient-Example.xml"), supplied=SUPPLIED
        )
    assert "$.identifier[0].value" in [problem.path for problem in refused.value.problems]


@needs_shared
@needs_xml
def test_uk_core_examples_in_one_list() -> None:
    """The Patient with the Condition, Organization and Wales legal status examples."""
    patient_xml = read_example("Extension-UKCore-DeathNotificationStatus-Example.xml")
    others = [
        read_example(name)
        for name in (
            "UKCore-Condition-BleedingFromEar-Example.xml",
            "UKCore-Organization-WhiteRoseMedicalCentre-Example.xml",
            "Extension-UKCore-LegalStatus-Example.xml",
        )
    ]
    supplied = copy.deepcopy(KNOWN)
    supplied["person"] |= {"date_of_birth": "1960-01-01", "date_of_death": "2025-01-01"}
    extract = extract_notification([patient_xml, *others], supplied=supplied)
    # The Condition and Encounter refer to other example patients: listed as ignored.
    assert [entry.path for entry in extract.ignored] == ["$[1]", "$[3]"]
    assert extract.notification.person.detention.value == "none"


@needs_xml
def test_xml_and_json_of_the_same_record_give_the_same_extract() -> None:
    xml = (
        '<Patient xmlns="http://hl7.org/fhir"><id value="pat-1"/>'
        '<identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/>'
        f'<value value="{NHS_NUMBER}"/></identifier>'
        '<birthDate value="1970-01-01"/><deceasedDateTime value="2024-03-10T09:00:00Z"/>'
        "</Patient>"
    )
    from_xml = extract_notification(parse_fhir_xml(xml), supplied=KNOWN)
    from_json = extract_notification(
        patient(deceasedDateTime="2024-03-10T09:00:00Z"), supplied=KNOWN
    )
    assert dump(from_xml) == dump(from_json)


@needs_xml
@pytest.mark.parametrize(
    ("xml", "path"),
    [
        ("<Patient", "$"),
        ("<Patient/>", "$"),
        ('<Nonsense xmlns="http://hl7.org/fhir"/>', "$"),
        (
            '<Patient xmlns="http://hl7.org/fhir"><active value="1970-02-30"/></Patient>',
            "$.active",
        ),
    ],
)
def test_bad_xml_is_refused_without_quoting_it(xml: str, path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_fhir_xml(xml)
    assert refused.value.problems[0].path == path
    assert "1970" not in str(refused.value)


def test_xml_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_fhir(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith(("fhir", "lxml")):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fhir)
    with pytest.raises(InvalidInput) as refused:
        parse_fhir_xml('<Patient xmlns="http://hl7.org/fhir"/>')
    message = refused.value.problems[0].message
    assert "optional extra 'fhir'" in message
    assert "python -m pip install -e '.[fhir]'" in message


@needs_xml
def test_an_xml_bundle_keeps_partial_dates_and_reads_offsets_in_england() -> None:
    xml = """<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
      <entry><fullUrl value="urn:uuid:p1"/><resource><Patient><id value="p1"/>
        <birthDate value="1970-05"/><deceasedDateTime value="2024-03-10T23:30:00-05:00"/>
      </Patient></resource></entry>
      <entry><resource><Condition><id value="c1"/>
        <code><coding><system value="http://snomed.info/sct"/>
          <code value="110359009"/></coding></code>
        <subject><reference value="urn:uuid:p1"/></subject><recordedDate value="2001"/>
      </Condition></resource></entry></Bundle>"""
    record = parse_fhir_xml(xml)
    assert record["entry"][0]["resource"]["birthDate"] == "1970-05"
    with pytest.raises(InvalidInput) as refused:
        extract_notification(record, supplied=SUPPLIED)
    assert [problem.path for problem in refused.value.problems] == ["$.entry[0].resource.birthDate"]
    supplied = copy.deepcopy(SUPPLIED)
    supplied["person"]["date_of_birth"] = "1970-05-17"
    extract = extract_notification(record, supplied=supplied)
    # 23:30 at -05:00 is 04:30 GMT on the 11th: the date in England.
    assert extract.notification.person.date_of_death.isoformat() == "2024-03-11"
    assert fact(extract, "person.learning_disability").path == (
        "$.entry[1].resource.code.coding[0]"
    )
