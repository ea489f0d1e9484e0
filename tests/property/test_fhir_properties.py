"""Invariants of reading FHIR records (the FHIR-* rules).

- any input gives an extract or InvalidInput, never another exception;
- resources about another patient never change the notification or its facts;
- a supplied fact always wins, and its FHIR elements are not read at all;
- no NHS number ever appears in a fact, an ignored entry or a problem;
- without a Condition or Observation of the patient, learning disability and autism are
  never read as "no": they are supplied or refused;
- a record reads the same whether its resources stand in entries, in a nested Bundle, or
  contained in a resource.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from leder_core import InvalidInput
from leder_core.fhir import FactSource, FhirExtract, extract_notification

NHS_NUMBERS = ("9434765919", "9000000009", "9912003888")
SNOMED = ("http://snomed.info/sct", "https://snomed.info/sct")
SUPPLIED: dict[str, Any] = {
    "id": "N-PROP",
    "notified_on": "2199-12-31",
    "notifier_role": "carer",
    "person": {"lived_in_england": True},
}

# Values people hold: a generated record sprinkles them everywhere.
secrets = st.sampled_from(NHS_NUMBERS)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6), secrets)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
dates = st.one_of(
    st.sampled_from(
        [
            "1970-01-01",
            "2024-03-10",
            "2024-03",
            "2024",
            "2024-03-10T09:30:00",
            "2024-03-10T23:00:00-05:00",
            "2025-06-30T23:30:00Z",
            "2025-03-30T00:59:59Z",
            "2024-03-10T24:00:00",
            "2019-02-07T25:99:00Z",
            "2024-03-10T09:30",
            "1880-01-01",
            "2199-12-31",
            "0999-01-01",
            "2024-02-30",
            "soon",
        ]
    ),
    json_values,
)
codes = st.one_of(
    st.sampled_from(
        [
            "110359009",
            "408856003",
            "401204006",
            "41040004",
            "A",
            "N",
            "Z",
            "99",
            "T",
            "02",
            "03",
            "01",
            "38",
            "M01",
            "M03",
            "M05",
            "U",
            "1",
            "2",
            "R",
            "V",
        ]
    ),
    secrets,
    json_values,
)
systems = st.one_of(
    st.sampled_from(
        [
            *SNOMED,
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryWales",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-LegalStatusClassificationEngland",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-EncounterLocationTypeEngland",
            "https://fhir.nhs.uk/Id/nhs-number",
            "https://fhir.nhs.uk/Id/ods-organization-code",
        ]
    ),
    st.builds(lambda n: f"https://example.org/{n}", secrets),
    json_values,
)
coding = st.fixed_dictionaries({}, optional={"system": systems, "code": codes})
concept = st.one_of(st.fixed_dictionaries({"coding": st.lists(coding, max_size=2)}), json_values)
urls = st.sampled_from(
    [
        "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
        "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus",
        "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-LegalStatus",
        "deathNotificationStatus",
        "legalStatusClassification",
    ]
)
extension = st.recursive(
    st.fixed_dictionaries({"url": urls}, optional={"valueCodeableConcept": concept}),
    lambda inner: st.fixed_dictionaries(
        {"url": urls}, optional={"extension": st.lists(inner, max_size=2)}
    ),
    max_leaves=4,
)
period = st.one_of(st.fixed_dictionaries({}, optional={"start": dates, "end": dates}), json_values)
identifier = st.fixed_dictionaries(
    {}, optional={"system": systems, "value": st.one_of(secrets, json_values), "period": period}
)
references = st.one_of(
    st.sampled_from(["Patient/pat-1", "urn:uuid:pat-1", "Patient/other", "Organization/gp-1"]),
    st.builds(lambda n: f"Patient/{n}", secrets),
)
reference = st.fixed_dictionaries(
    {}, optional={"reference": st.one_of(references, json_values), "identifier": identifier}
)
resource_ids = st.one_of(st.sampled_from(["pat-1", "gp-1", "c-1", "e-1"]), secrets, json_values)


def resource(kind: str, fields: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"resourceType": st.just(kind)}, optional={"id": resource_ids, **fields}
    )


patients = resource(
    "Patient",
    {
        "identifier": st.lists(identifier, max_size=2),
        "birthDate": dates,
        "deceasedDateTime": dates,
        "deceasedBoolean": json_values,
        "extension": st.lists(extension, max_size=3),
        "generalPractitioner": st.lists(reference, max_size=2),
        "meta": st.fixed_dictionaries({}, optional={"security": st.lists(coding, max_size=2)}),
        "name": json_values,
    },
)
clinical = st.one_of(
    resource(
        "Condition",
        {
            "subject": reference,
            "code": concept,
            "verificationStatus": concept,
            "recordedDate": dates,
            "onsetDateTime": dates,
        },
    ),
    resource(
        "Observation",
        {
            "subject": reference,
            "code": concept,
            "status": st.one_of(st.sampled_from(["final", "entered-in-error"]), json_values),
            "effectiveDateTime": dates,
            "issued": dates,
        },
    ),
    resource(
        "Encounter",
        {
            "subject": reference,
            "period": period,
            "extension": st.lists(extension, max_size=2),
            "location": st.lists(
                st.fixed_dictionaries({}, optional={"physicalType": concept}), max_size=2
            ),
        },
    ),
    resource("Organization", {"identifier": st.lists(identifier, max_size=2)}),
    resource("Flag", {"subject": reference}),
)
anything = st.one_of(clinical, patients, json_values)


@st.composite
def records(draw: st.DrawFn) -> object:
    """A Bundle, a list, or a Patient; mostly FHIR-shaped, sometimes not at all; resources
    sometimes in a nested Bundle or contained in another."""
    items = draw(st.lists(st.one_of(clinical, patients, json_values), max_size=5))
    if items and draw(st.booleans()):
        split = draw(st.integers(0, len(items)))
        inner = items[split:]
        wrap = draw(st.sampled_from(["bundle", "contained"]))
        if wrap == "bundle":
            nested: object = {
                "resourceType": "Bundle",
                "entry": [{"resource": item} for item in inner],
            }
        else:
            nested = {"resourceType": "Encounter", "contained": inner}
        items = [*items[:split], nested]
    shape = draw(st.sampled_from(["bundle", "list", "patient", "junk"]))
    if shape == "list":
        return items
    if shape == "patient":
        return draw(patients)
    if shape == "junk":
        return draw(json_values)
    entries = [
        draw(
            st.one_of(
                st.fixed_dictionaries(
                    {"resource": st.just(item)}, optional={"fullUrl": references}
                ),
                json_values,
            )
        )
        for item in items
    ]
    return {"resourceType": "Bundle", "type": draw(json_values), "entry": entries}


supplied_documents = st.one_of(
    st.just(SUPPLIED),
    st.fixed_dictionaries(
        {},
        optional={
            "id": json_values,
            "notified_on": dates,
            "notifier_role": st.sampled_from(["gp", "family", "nobody"]),
            "person": st.dictionaries(
                st.sampled_from(
                    ["lived_in_england", "autism", "nhs_number", "date_of_birth", "bogus"]
                ),
                json_values,
                max_size=3,
            ),
        },
    ),
)


def shown(outcome: FhirExtract | InvalidInput) -> str:
    if isinstance(outcome, InvalidInput):
        return str(outcome) + repr(outcome)
    parts = [f"{fact.path} {fact.text}" for fact in outcome.facts]
    parts += [f"{entry.path} {entry.why}" for entry in outcome.ignored]
    return " ".join(parts)


def run(record: object, supplied: Any) -> FhirExtract | InvalidInput:
    try:
        return extract_notification(record, supplied=supplied)
    except InvalidInput as refused:
        return refused


@given(records(), supplied_documents)
def test_any_input_gives_an_extract_or_invalid_input(record: object, supplied: Any) -> None:
    outcome = run(record, supplied)  # any other exception fails the test
    if isinstance(outcome, InvalidInput):
        assert outcome.problems
        assert all(problem.path.startswith(("$", "supplied")) for problem in outcome.problems)
    else:
        assert isinstance(outcome, FhirExtract)


@given(records(), supplied_documents)
def test_no_nhs_number_ever_appears_in_a_fact_an_ignored_entry_or_a_problem(
    record: object, supplied: Any
) -> None:
    text = shown(run(record, supplied))
    for number in NHS_NUMBERS:
        assert number not in text
        assert f"{number[:3]} {number[3:6]} {number[6:]}" not in text


valid_patient = {
    "resourceType": "Patient",
    "id": "pat-1",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
    "birthDate": "1970-01-01",
    "deceasedDateTime": "2024-03-10",
}
another = st.one_of(clinical).map(
    lambda item: (
        {**item, "subject": {"reference": "Patient/someone-else"}}
        if item["resourceType"] != "Organization"
        else {**item, "id": "not-referenced"}
    )
)


@given(st.lists(clinical, max_size=4), st.lists(another, min_size=1, max_size=4), st.randoms())
def test_resources_about_another_patient_never_change_the_notification(
    own: list[dict[str, Any]], others: list[dict[str, Any]], random: Any
) -> None:
    mine = [{**item, "subject": {"reference": "Patient/pat-1"}} for item in own]
    mine = [item for item in mine if item["resourceType"] != "Organization"]
    before = run([valid_patient, *mine], SUPPLIED)
    mixed = [*mine, *others]
    random.shuffle(mixed)
    after = run([valid_patient, *mixed], SUPPLIED)
    if isinstance(before, InvalidInput):
        assert isinstance(after, InvalidInput)
        return
    assert isinstance(after, FhirExtract)
    assert after.notification == before.notification
    assert [(f.field, f.source, f.rule, f.text) for f in after.facts] == [
        (f.field, f.source, f.rule, f.text) for f in before.facts
    ]
    assert len(after.ignored) == len(before.ignored) + sum(
        item["resourceType"] != "Organization" for item in others
    )


@given(st.lists(clinical, max_size=4), st.sampled_from(["bundle", "list", "nested"]))
def test_without_a_clinical_record_the_diagnoses_are_never_read_as_no(
    resources: list[dict[str, Any]], form: str
) -> None:
    """Encounters, Flags, Organizations and other patients' resources say nothing about
    diagnoses: learning disability and autism are refused unless supplied."""
    kept = [
        item
        if item["resourceType"] not in ("Condition", "Observation")
        else {**item, "subject": {"reference": "Patient/someone-else"}}
        for item in resources
    ]
    items: list[Any] = [valid_patient, *kept]
    record: object = items
    if form == "bundle":
        record = {"resourceType": "Bundle", "entry": [{"resource": item} for item in items]}
    elif form == "nested":
        inner = {"resourceType": "Bundle", "entry": [{"resource": item} for item in kept]}
        record = {
            "resourceType": "Bundle",
            "entry": [{"resource": valid_patient}, {"resource": inner}],
        }
    outcome = run(record, SUPPLIED)
    assert isinstance(outcome, InvalidInput)
    paths = [problem.path for problem in outcome.problems]
    assert "supplied.person.learning_disability" in paths
    assert "supplied.person.autism" in paths


own_clinical = st.lists(clinical, max_size=4).map(
    lambda items: [
        {**item, "subject": {"reference": "Patient/pat-1"}}
        for item in items
        if item["resourceType"] != "Organization"
    ]
)


@given(own_clinical)
def test_a_record_reads_the_same_in_entries_nested_or_contained(
    resources: list[dict[str, Any]],
) -> None:
    """Where a resource stands changes its path, never the notification."""
    flat = run(
        {
            "resourceType": "Bundle",
            "entry": [{"resource": item} for item in [valid_patient, *resources]],
        },
        SUPPLIED,
    )
    nested = run(
        {
            "resourceType": "Bundle",
            "entry": [
                {"resource": valid_patient},
                {
                    "resource": {
                        "resourceType": "Bundle",
                        "entry": [{"resource": item} for item in resources],
                    },
                },
            ],
        },
        SUPPLIED,
    )
    contained = run(
        {
            "resourceType": "Bundle",
            "entry": [
                {"resource": valid_patient},
                {"resource": {"resourceType": "Basic", "contained": resources}},
            ],
        },
        SUPPLIED,
    )
    if isinstance(flat, InvalidInput):
        assert isinstance(nested, InvalidInput)
        assert isinstance(contained, InvalidInput)
        assert len(nested.problems) == len(flat.problems) == len(contained.problems)
        return
    assert isinstance(nested, FhirExtract)
    assert isinstance(contained, FhirExtract)
    assert nested.notification == flat.notification == contained.notification
    assert len(nested.ignored) == len(flat.ignored) == len(contained.ignored)


person_facts = st.fixed_dictionaries(
    {
        "nhs_number": st.sampled_from([None, "9434765919"]),
        "date_of_birth": st.sampled_from(["1950-06-30", "2000-02-29"]),
        "date_of_death": st.sampled_from(["2024-03-10", "2025-01-01"]),
        "learning_disability": st.booleans(),
        "autism": st.sampled_from(["diagnosed", "suspected", "awaiting_assessment", "none"]),
        "ethnicity": st.sampled_from([None, "A", "N", "99"]),
        "gp_registered": st.booleans(),
        "detention": st.sampled_from(["none", "prison", "deprivation_of_liberty"]),
        "lived_in_england": st.booleans(),
    }
)


@given(st.lists(st.one_of(clinical, patients), max_size=4), patients, person_facts, st.data())
def test_a_supplied_fact_always_wins_and_its_elements_are_not_read(
    resources: list[dict[str, Any]],
    patient: dict[str, Any],
    person: dict[str, Any],
    data: st.DataObject,
) -> None:
    """Every fact supplied: the Patient's elements, whatever they hold, are never read."""
    resources = [item for item in resources if item["resourceType"] != "Patient"]
    supplied = copy.deepcopy(SUPPLIED)
    supplied["person"] = dict(person)
    extract = extract_notification([patient, *resources], supplied=supplied)
    document = extract.notification.person
    for field, value in person.items():
        fact = next(item for item in extract.facts if item.field == f"person.{field}")
        assert fact.source is FactSource.SUPPLIED
        written = getattr(document, field)
        if field == "nhs_number":
            assert (written.digits if written else None) == value
        elif hasattr(written, "isoformat"):
            assert written.isoformat() == value
        elif hasattr(written, "value"):
            assert written.value == value
        else:
            assert written == value
    # Leave one FHIR fact to the record: it is read, the supplied ones still win.
    field = data.draw(st.sampled_from(sorted(person)))
    partial = copy.deepcopy(supplied)
    del partial["person"][field]
    outcome = run([patient, *resources], partial)
    if isinstance(outcome, FhirExtract):
        for other in person:
            if other != field:
                fact = next(item for item in outcome.facts if item.field == f"person.{other}")
                assert fact.source is FactSource.SUPPLIED
    else:
        # Only a cross-check of two dates (one supplied, one read) may name a supplied fact.
        supplied_paths = {f"supplied.person.{other}" for other in person if other != field}
        named = {
            problem.path
            for problem in outcome.problems
            if "is before the date of" not in problem.message
        }
        assert not supplied_paths & named
