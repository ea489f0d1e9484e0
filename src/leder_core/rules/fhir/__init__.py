"""Facts from clinical records: the ``FHIR-*`` rules (catalogue §14; docs: how-to/fhir).

A FHIR R4 record profiled by UK Core (a Bundle of any type, a list of resources, or one
Patient, as parsed JSON) is read into a ``leder.notification/1`` document, fact by fact. Each
rule reads one fact and says where it found it; a fact the caller supplies is taken as given
and its FHIR elements are not read at all. The rules are lenient where national data is known
to deviate (partial dates, date-times without an offset, the ``https`` SNOMED CT address,
retired code systems) and refuse where a fact would otherwise be guessed.

The record is read whole (entries, nested Bundles, ``contained`` resources), and what is read
and not used is listed with why. A record holding no Condition or Observation of the patient
says nothing about diagnoses, so learning disability and autism are then refused unless
supplied. Every date-time a rule turns into a date is read as a date in England.

The rules decide over the record as a model: :mod:`leder_core.fhir.record` reads the input into
a :class:`~leder_core.models.fhir.PatientRecord`, :mod:`leder_core.fhir.clinical` and
:mod:`leder_core.fhir.demographics` find what its resources say, and each decider
(:mod:`.patient`, :mod:`.diagnoses`, :mod:`.detention`) gives a
:class:`~leder_core.models.fhir.Decision`. Elements a rule reads only as far as it needs (a
practice's identifier period, the Encounters covering the death) are read as the rule reaches
them, through the same element reader, so a supplied fact's elements are never read at all.
Nothing here reads the caller's files or the clock: code lists come in as
:class:`~leder_core.fhir.CodeLists` values (``leder_core.fhir.load_code_lists`` reads the
files a service holds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

import attrs

from leder_core.fhir.codelists import CodeLists
from leder_core.fhir.dates import parse_fhir_date
from leder_core.fhir.elements import ElementReader
from leder_core.fhir.systems import (
    DEATH_STATUS_EXTENSION,
    ETHNIC_ENGLAND,
    ETHNIC_EXTENSION,
    LEGAL_STATUS_ENGLAND,
    LEGAL_STATUS_EXTENSION,
    LOCATION_TYPE_ENGLAND,
    NHS_NUMBER_SYSTEM,
    NHS_NUMBER_SYSTEM_STU3,
    ODS_SYSTEM,
    SNOMED,
    SUSPECTED_AUTISM,
)
from leder_core.models.fhir import ClinicalRecord, Decision, PatientRecord
from leder_core.rules.fhir.detention import detention
from leder_core.rules.fhir.diagnoses import autism, learning_disability
from leder_core.rules.fhir.patient import (
    date_of_birth,
    date_of_death,
    ethnicity,
    gp_registered,
    nhs_number,
)
from leder_core.rules.registry import Confidence, define_rule

__all__ = [
    "FHIR_AUTISM",
    "FHIR_BIRTH",
    "FHIR_DEATH",
    "FHIR_DETENTION",
    "FHIR_ETHNICITY",
    "FHIR_GP",
    "FHIR_LEARNING_DISABILITY",
    "FHIR_NHS_NUMBER",
    "FHIR_RULES",
    "FIELDS",
    "FIELD_NAMES",
    "MAPPING",
    "REQUIRED",
    "FhirMapping",
    "decide_facts",
]

FHIR_NHS_NUMBER: Final = define_rule(
    "FHIR-NHS-NUMBER",
    title="NHS number from the Patient's identifier",
    text="The NHS number is the value of the Patient's identifier with system "
    f"{NHS_NUMBER_SYSTEM} (the retired STU3 system "
    f"{NHS_NUMBER_SYSTEM_STU3} is read, with a note), and must pass the "
    "notification's NHS number checks; no such identifier gives none, two different values "
    "are refused.",
    section="§14",
    sources=("uk-core-ig", "pds-fhir-api"),
    confidence=Confidence.CONFIRMED,
)
FHIR_BIRTH: Final = define_rule(
    "FHIR-BIRTH",
    title="Date of birth from Patient.birthDate",
    text="The date of birth is Patient.birthDate, a full date; a partial date (a year, or a "
    "year and month) or none is refused unless the caller supplies the date.",
    section="§14",
    sources=("uk-core-ig", "pds-fhir-api"),
    confidence=Confidence.CONFIRMED,
)
FHIR_DEATH: Final = define_rule(
    "FHIR-DEATH",
    title="Date of death from Patient.deceasedDateTime",
    text="The date of death is the calendar date in England of Patient.deceasedDateTime: a "
    "date-time with an offset is converted to Europe/London (GMT or BST) first, one without "
    "an offset is taken as written, and an impossible time is refused. A partial date, "
    "deceasedBoolean, no deceased element, or a death notification whose UK Core status is "
    "U (removed) is refused unless the caller supplies the date; status 1 (informal) or 2 "
    "(formal, registered) is recorded in the fact.",
    section="§14",
    sources=(
        "uk-core-ig",
        "pds-fhir-api",
        "fhir-r4-datatypes",
        "gov-uk-register-a-death",
        "gov-uk-clocks-change",
    ),
    confidence=Confidence.CONFIRMED,
)
FHIR_ETHNICITY: Final = define_rule(
    "FHIR-ETHNICITY",
    title="Ethnic category from the UK Core extension (England codes only)",
    text="The ethnic category is the code of the UK Core Ethnic Category extension coded in "
    "the England category system (A-S, Z, 99). A code of any other system (Wales uses the "
    "same letters with other meanings) is not mapped; no extension gives none. Different "
    "England codes are refused unless the caller supplies the category.",
    section="§14",
    sources=("uk-core-ig", "nhs-data-dictionary-ethnic-category"),
    confidence=Confidence.CONFIRMED,
)
FHIR_LEARNING_DISABILITY: Final = define_rule(
    "FHIR-LEARNING-DISABILITY",
    title="Learning disability from coded Conditions and Observations",
    text="The person had a learning disability when a Condition or Observation of the patient "
    "has a SNOMED CT code in the learning disability code list (LD_COD), is neither "
    "entered in error nor refuted, counts (an Observation only when final, amended, "
    "corrected or preliminary), and is dated in England on or before the death (no date "
    "counts as before). Otherwise not, when the record holds at least one Condition or "
    "Observation of the patient (the fact says how many were searched); with none, a "
    "demographic record alone says nothing about diagnoses and the fact is refused unless "
    "the caller supplies it.",
    section="§14",
    sources=(
        "pcd-refsets",
        "opencodelists-ld-cod",
        "fhir-r4-condition",
        "fhir-r4-observation-status",
        "fhir-r4-references",
        "uk-core-ig",
    ),
    confidence=Confidence.INFERRED,
)
FHIR_AUTISM: Final = define_rule(
    "FHIR-AUTISM",
    title="Autism from coded Conditions and Observations",
    text="A code of the autism code list (AUTISM_COD), read as for learning disability, "
    "whose verification status is absent or confirmed means diagnosed; only provisional, "
    "unconfirmed or differential ones (a status given as text only is unconfirmed), or "
    "SNOMED CT 401204006 (suspected autism), mean suspected; none means none, and a record "
    "with no Condition or Observation of the patient is refused unless the caller supplies "
    "the fact. Awaiting assessment is never inferred: supply it.",
    section="§14",
    sources=(
        "pcd-refsets",
        "opencodelists-autism-cod",
        "fhir-r4-condition",
        "fhir-r4-observation-status",
        "uk-core-ig",
    ),
    confidence=Confidence.INFERRED,
)
FHIR_GP = define_rule(
    "FHIR-GP",
    title="GP registration from Patient.generalPractitioner",
    text="The person was registered with a GP when Patient.generalPractitioner names a "
    "practice by its ODS code (directly, or through an Organization in the input) whose "
    "identifier period, if any, covers the date of death. A practice the input does not "
    "identify, or a restricted record with no practice, is refused unless the caller "
    "supplies the fact.",
    section="§14",
    sources=("pds-fhir-api", "uk-core-ig"),
    confidence=Confidence.CONFIRMED,
)
FHIR_DETENTION: Final = define_rule(
    "FHIR-DETENTION",
    title="Detention from an Encounter covering the date of death",
    text="An Encounter of the patient whose period covers the date of death shows a "
    "detention: a UK Core legal status (England) of 02-20, 31, 37 or 38 is the Mental Health "
    "Act; a location type M01, M04, M06 or M07 is prison, M03 police custody, M05 "
    "immigration detention. Several kinds are refused unless supplied; deprivation of "
    "liberty has no FHIR code.",
    section="§14",
    sources=(
        "uk-core-ig",
        "nhs-data-dictionary-mha-legal-status",
        "nhs-data-dictionary-activity-location-type",
    ),
    confidence=Confidence.INFERRED,
)

#: The ``FHIR-*`` rules, in the order of the facts they read.
FHIR_RULES: Final = (
    FHIR_NHS_NUMBER,
    FHIR_BIRTH,
    FHIR_DEATH,
    FHIR_LEARNING_DISABILITY,
    FHIR_AUTISM,
    FHIR_ETHNICITY,
    FHIR_GP,
    FHIR_DETENTION,
)


@attrs.frozen(kw_only=True)
class FhirMapping:
    """Where a ``FHIR-*`` rule reads its fact (the mapping table of the documentation)."""

    field: str
    rule: str
    reads: str
    """The elements read, in FHIR's own dotted names."""
    refused: str
    """When the rule refuses (the fact must then be supplied)."""


#: The notification fields the ``FHIR-*`` rules read, in the order of the notification.
MAPPING: Final = (
    FhirMapping(
        field="person.nhs_number",
        rule=FHIR_NHS_NUMBER.id,
        reads=f"Patient.identifier.value where system is {NHS_NUMBER_SYSTEM} (or the retired "
        f"{NHS_NUMBER_SYSTEM_STU3}, with a note); none gives null",
        refused="two different values; a value failing the NHS number checks",
    ),
    FhirMapping(
        field="person.date_of_birth",
        rule=FHIR_BIRTH.id,
        reads="Patient.birthDate (a full date)",
        refused="a partial date (YYYY, YYYY-MM) or none",
    ),
    FhirMapping(
        field="person.date_of_death",
        rule=FHIR_DEATH.id,
        reads="Patient.deceasedDateTime: its calendar date in England (with an offset: in "
        "Europe/London time; without one: as written); the status in "
        f"{DEATH_STATUS_EXTENSION} is noted",
        refused="a partial date, an impossible time, deceasedBoolean, no deceased element, or "
        "death notification status U (removed)",
    ),
    FhirMapping(
        field="person.learning_disability",
        rule=FHIR_LEARNING_DISABILITY.id,
        reads=f"Condition.code and Observation.code codings of system {SNOMED} in the learning "
        "disability code list (LD_COD), of the patient (in entries, nested Bundles or "
        "contained), not entered-in-error or refuted, Observation.status final, amended, "
        "corrected or preliminary, dated in England (Condition.recordedDate or onsetDateTime; "
        "Observation.effectiveDateTime or issued) on or before the death",
        refused="no Condition or Observation of the patient in the input; an unreadable date "
        "on a matching Condition or Observation",
    ),
    FhirMapping(
        field="person.autism",
        rule=FHIR_AUTISM.id,
        reads="as for learning disability, with the autism code list (AUTISM_COD): "
        "verificationStatus absent or confirmed is diagnosed; provisional, unconfirmed, "
        f"differential or text only, or SNOMED CT {SUSPECTED_AUTISM}, is suspected",
        refused="no Condition or Observation of the patient in the input; an unreadable date "
        "on a matching Condition or Observation",
    ),
    FhirMapping(
        field="person.ethnicity",
        rule=FHIR_ETHNICITY.id,
        reads=f"{ETHNIC_EXTENSION} valueCodeableConcept coding of system {ETHNIC_ENGLAND}; "
        "any other system is not mapped (null)",
        refused="England codes that differ",
    ),
    FhirMapping(
        field="person.gp_registered",
        rule=FHIR_GP.id,
        reads=f"Patient.generalPractitioner identifier of system {ODS_SYSTEM} (or that of a "
        "referenced Organization in the input, or contained in the Patient), its period "
        "covering the date of death",
        refused="a practice the input does not identify; a restricted record (meta.security R "
        "or V) with no practice",
    ),
    FhirMapping(
        field="person.detention",
        rule=FHIR_DETENTION.id,
        reads="an Encounter of the patient whose period (dates in England) covers the death: "
        f"{LEGAL_STATUS_EXTENSION} classification ({LEGAL_STATUS_ENGLAND}) 02-20, 31, 37, 38; "
        f"Encounter.location.physicalType ({LOCATION_TYPE_ENGLAND}) M01, M04, M06, M07, M03, M05",
        refused="different detention kinds among the covering Encounters",
    ),
)

#: The default of a notification field nothing can stand in for: the caller must supply it.
REQUIRED: Final = object()
#: Every notification field in the order of the document, with the rule reading it (if any)
#: and the default when neither FHIR nor the caller gives it (:data:`REQUIRED`: it must be
#: supplied).
FIELDS: Final[tuple[tuple[str, str | None, object], ...]] = (
    ("id", None, REQUIRED),
    ("notified_on", None, REQUIRED),
    ("notifier_role", None, REQUIRED),
    ("person.nhs_number", FHIR_NHS_NUMBER.id, None),
    ("person.date_of_birth", FHIR_BIRTH.id, None),
    ("person.date_of_death", FHIR_DEATH.id, None),
    ("person.learning_disability", FHIR_LEARNING_DISABILITY.id, None),
    ("person.autism", FHIR_AUTISM.id, None),
    ("person.ethnicity", FHIR_ETHNICITY.id, None),
    ("person.lived_in_england", None, REQUIRED),
    ("person.died_in_england", None, True),
    ("person.gp_registered", FHIR_GP.id, None),
    ("person.national_data_opt_out", None, False),
    ("person.detention", FHIR_DETENTION.id, None),
    ("other_processes", None, []),
    ("responsible_body", None, None),
)
FIELD_NAMES: Final = frozenset(name for name, _rule, _default in FIELDS)


def decide_facts(
    record: PatientRecord,
    searched: ClinicalRecord,
    reader: ElementReader,
    codes: CodeLists,
    given: Mapping[str, Any],
) -> dict[str, Decision | None]:
    """The decision of every ``FHIR-*`` rule whose field the caller did not supply (None when
    the rule refuses: the reason is then among ``reader``'s problems), in the order of
    :data:`FIELDS`. A supplied fact is taken as given and its FHIR elements are not read.

    ``searched`` is the patient's clinical record (read only when a diagnosis is not
    supplied); the rules reading a date of death compare with the one supplied, else read.
    """
    decisions: dict[str, Decision | None] = {}

    def decide(name: str, read: Callable[[], Decision | None]) -> None:
        if name not in given:
            decisions[name] = read()

    decide("person.nhs_number", lambda: nhs_number(record, reader))
    decide("person.date_of_birth", lambda: date_of_birth(record, reader))
    decide("person.date_of_death", lambda: date_of_death(record, reader))
    died = _death_compared(given, decisions.get("person.date_of_death"))
    decide(
        "person.learning_disability",
        lambda: learning_disability(searched, reader, codes, died),
    )
    decide("person.autism", lambda: autism(searched, reader, codes, died))
    decide("person.ethnicity", lambda: ethnicity(record, reader))
    decide("person.gp_registered", lambda: gp_registered(record, reader, died))
    decide("person.detention", lambda: detention(record, reader, died))
    return decisions


def _death_compared(given: Mapping[str, Any], decision: Decision | None) -> date | None:
    """The date of death the rules compare against: the supplied one, else the one read (a
    full date), or None."""
    value = given.get("person.date_of_death", decision.value if decision else None)
    if isinstance(value, str):
        parsed = parse_fhir_date(value)
        if parsed is not None and parsed.full and len(value) == 10:
            return parsed.first
    return None
