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

Nothing here reads the caller's files or the clock: code lists come in as :class:`CodeLists`
values (``leder_core.fhir.load_code_lists`` reads the files a service holds). England's time
zone is the one python-dateutil carries, read once from the package itself.
"""

from __future__ import annotations

import calendar
import functools
import io
import re
import tarfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.tz import gettz

from leder_core.errors import InvalidInput
from leder_core.models.explanation import Citation
from leder_core.models.fhir import Fact, FactSource, FhirExtract, Ignored
from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import AutismStatus, Detention, EthnicCategory, Notification
from leder_core.rules.registry import Confidence, define_rule
from leder_core.rules.sources import cite

__all__ = [
    "AUTISM_REFSET",
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
    "LD_REFSET",
    "MAPPING",
    "REQUIRED",
    "CodeList",
    "CodeLists",
    "FhirMapping",
    "built_in_autism",
    "built_in_learning_disability",
    "read_notification",
]

# --- the addresses UK Core uses -------------------------------------------------------------

SNOMED: Final = "http://snomed.info/sct"
SNOMED_HTTPS: Final = "https://snomed.info/sct"
NHS_NUMBER_SYSTEM: Final = "https://fhir.nhs.uk/Id/nhs-number"
#: The NHS number system of STU3 (Care Connect) systems, retired; read with a note.
NHS_NUMBER_SYSTEM_STU3: Final = "http://fhir.nhs.net/Id/nhs-number"
NHS_NUMBER_SYSTEMS: Final = frozenset({NHS_NUMBER_SYSTEM, NHS_NUMBER_SYSTEM_STU3})
ODS_SYSTEM: Final = "https://fhir.nhs.uk/Id/ods-organization-code"
ETHNIC_EXTENSION: Final = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory"
)
ETHNIC_ENGLAND: Final = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"
DEATH_STATUS_EXTENSION: Final = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus"
)
DEATH_STATUS_SYSTEM: Final = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus"
LEGAL_STATUS_EXTENSION: Final = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-LegalStatus"
)
LEGAL_STATUS_ENGLAND: Final = (
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-LegalStatusClassificationEngland"
)
LOCATION_TYPE_ENGLAND: Final = (
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-EncounterLocationTypeEngland"
)

#: SNOMED CT 401204006 Suspected autism (situation): not in AUTISM_COD, read on its own.
SUSPECTED_AUTISM: Final = "401204006"
#: Mental Health Act legal status classifications that are a formal detention.
MHA_DETENTION_CODES: Final = frozenset(
    {f"{number:02d}" for number in range(2, 21)} | {"31", "37", "38"}
)
#: Activity location types (England) that are a place of state detention.
LOCATION_DETENTION: Final[Mapping[str, Detention]] = {
    "M01": Detention.PRISON,
    "M04": Detention.PRISON,
    "M06": Detention.PRISON,
    "M07": Detention.PRISON,
    "M03": Detention.POLICE_CUSTODY,
    "M05": Detention.IMMIGRATION_DETENTION,
}
_ETHNIC_CODES: Final = frozenset(category.value for category in EthnicCategory)
_RESTRICTED: Final = frozenset({"R", "V"})
_SUBJECT_TYPES: Final = ("Condition", "Observation", "Encounter", "Flag")

# --- the rules ------------------------------------------------------------------------------

FHIR_NHS_NUMBER: Final = define_rule(
    "FHIR-NHS-NUMBER",
    title="NHS number from the Patient's identifier",
    text="The NHS number is the value of the Patient's identifier with system "
    "https://fhir.nhs.uk/Id/nhs-number (the retired STU3 system "
    "http://fhir.nhs.net/Id/nhs-number is read, with a note), and must pass the "
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

# --- code lists -----------------------------------------------------------------------------


def _concepts(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(code), str(term)) for code, term in dict(value).items()))


@attrs.frozen(kw_only=True, repr=False)
class CodeList:
    """A SNOMED CT code list (a primary care domain reference set) and where it came from."""

    name: str
    """The cluster name: ``LD_COD`` or ``AUTISM_COD``."""
    refset_id: str
    """The reference set the list is, such as ``999002611000230109``."""
    concepts: tuple[tuple[str, str], ...] = attrs.field(converter=_concepts)
    """``(code, term)`` pairs, sorted by code."""
    source: str = "built-in"
    """``built-in``, or the name of the file it was read from."""
    file_refset_id: str | None = None
    """The refset id the file gives (an RF2 file does; a CSV does not)."""
    version: str | None = None
    """The release the file gives (an RF2 file's latest effective time), if any."""
    citations: tuple[Citation, ...] = ()
    """The public sources of a built-in list: the releases each of its concepts is in."""
    _terms: dict[str, str] = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_terms", dict(self.concepts))

    def term(self, code: str) -> str | None:
        """The term of a code in the list, or None when the code is not in it."""
        return self._terms.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._terms

    def __len__(self) -> int:
        return len(self.concepts)

    @property
    def described(self) -> str:
        """The list and where it came from, as fact texts name it."""
        if self.source == "built-in":
            return f"{self.name}, built-in core concepts"
        details = [f"file {self.source}"]
        if self.file_refset_id is not None:
            details.append(f"refset {self.file_refset_id}")
        if self.version is not None:
            details.append(f"version {self.version}")
        return f"{self.name}, " + ", ".join(details)

    def __repr__(self) -> str:
        return f"CodeList({self.described}, {len(self)} concepts)"


LD_REFSET: Final = "999002611000230109"
AUTISM_REFSET: Final = "999016611000230107"

#: The built-in learning disability concepts: each is in the 2021-01-27 and 2024-12-05
#: releases of LD_COD (OpenCodelists, ``nhsd-primary-care-domain-refsets/ld_cod``).
BUILT_IN_LEARNING_DISABILITY: Final = (
    ("110359009", "Intellectual disability"),
    ("416075005", "On learning disability register"),
    ("984661000000105", "Mild learning disability"),
    ("984671000000103", "Moderate learning disability"),
    ("508171000000105", "Severe learning disability"),
    ("984681000000101", "Profound learning disability"),
    ("86765009", "Mild intellectual disability"),
    ("61152003", "Moderate intellectual disability"),
    ("40700009", "Severe intellectual disability"),
    ("31216003", "Profound intellectual disability"),
    ("931001000000105", "Significant learning disability"),
    ("1239331000000100", "Significant intellectual disability"),
    ("41040004", "Complete trisomy 21 syndrome"),
)
#: The built-in autism concepts: each is in the 2021-01-27 release of AUTISM_COD
#: (OpenCodelists, ``nhsd-primary-care-domain-refsets/autism_cod``).
BUILT_IN_AUTISM: Final = (
    ("35919005", "Pervasive developmental disorder (autism spectrum disorder)"),
    ("408856003", "Autistic disorder"),
    ("23560001", "Asperger's disorder"),
    ("43614003", "Autistic disorder of childhood onset"),
    ("408857007", "Infantile autism"),
    ("231536004", "Atypical autism"),
    ("702732007", "High-functioning autism"),
    ("373618009", "Autistic spectrum disorder with isolated skills"),
)


def built_in_learning_disability() -> CodeList:
    """The built-in learning disability list (core concepts of LD_COD)."""
    return CodeList(
        name="LD_COD",
        refset_id=LD_REFSET,
        concepts=dict(BUILT_IN_LEARNING_DISABILITY),
        citations=cite("opencodelists-ld-cod", "pcd-refsets"),
    )


def built_in_autism() -> CodeList:
    """The built-in autism list (core concepts of AUTISM_COD)."""
    return CodeList(
        name="AUTISM_COD",
        refset_id=AUTISM_REFSET,
        concepts=dict(BUILT_IN_AUTISM),
        citations=cite("opencodelists-autism-cod", "pcd-refsets"),
    )


@attrs.frozen(kw_only=True)
class CodeLists:
    """The code lists the ``FHIR-*`` rules search.

    ``CodeLists()`` is the built-in core concepts of NHS England's primary care domain
    reference sets LD_COD (999002611000230109) and AUTISM_COD (999016611000230107); a service
    holding a release reads it with ``leder_core.fhir.load_code_lists``. Each list says where
    it came from, and every fact it decides names it.
    """

    learning_disability: CodeList = attrs.field(factory=built_in_learning_disability)
    autism: CodeList = attrs.field(factory=built_in_autism)


_BUILT_IN: Final = CodeLists()

# --- reading the record ---------------------------------------------------------------------

Problems = list[tuple[str, str]]


@attrs.frozen(kw_only=True)
class Resource:
    """A resource of the input and where it is."""

    path: str
    kind: str
    data: Mapping[str, Any] = attrs.field(repr=False)  # a person's record: never shown
    full_url: str | None = attrs.field(default=None, repr=False)  # the sender's text
    container: Resource | None = attrs.field(default=None, repr=False, eq=False)
    """The resource this one is ``contained`` in, if it is."""

    @property
    def place(self) -> str:
        """Its place in the input, as texts name it: its entry, or its place in ``contained``."""
        return self.path.removesuffix(".resource")


@attrs.frozen(kw_only=True)
class PatientRecord:
    """The input read as one patient's resources: the Patient, and the Conditions,
    Observations, Encounters and Flags about them, with the Organizations a reference may
    name."""

    patient: Resource
    about: Mapping[str, tuple[Resource, ...]]
    organizations: Mapping[str, Resource]
    """Organizations of the input by every reference that names them."""
    local: Mapping[str, Mapping[str, Resource]]
    """The ``contained`` resources of each container (by its path), by their ``id``."""
    ignored: tuple[Ignored, ...]

    def resolve(self, reference: str, holder: Resource) -> Resource | None:
        """The resource a reference made in ``holder`` names: a local ``#id`` within its
        container (``#`` alone is the container), else an Organization of the input."""
        if reference.startswith("#"):
            container = holder.container or holder
            if reference == "#":
                return container
            return self.local.get(container.path, {}).get(reference[1:])
        return self.organizations.get(_unversioned(reference))

    @property
    def clinical(self) -> tuple[Resource, ...]:
        """The Conditions and Observations of the patient, in input order."""
        return (*self.about["Condition"], *self.about["Observation"])


def _is_list(value: object) -> TypeGuard[Sequence[Any]]:
    if type(value) is list:  # parsed JSON: the quick answer
        return True
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _is_object(value: object) -> TypeGuard[Mapping[str, Any]]:
    return type(value) is dict or isinstance(value, Mapping)


_HISTORY: Final = re.compile(r"/_history/[^/]*\Z")


def _unversioned(reference: str) -> str:
    """A reference without its version: ``Patient/p1/_history/2`` is ``Patient/p1``."""
    return _HISTORY.sub("", reference)


@attrs.frozen
class _Found:
    """What walking the input finds: the resources, and those read and left out."""

    resources: list[Resource]
    ignored: list[Ignored]


def _resources(fhir: object, problems: Problems) -> _Found:
    """Every resource of the input with its path, or problems when it is not FHIR.

    Resources are found wherever FHIR puts them: a Bundle's entries, a Bundle nested in an
    entry (to any depth: the walk keeps its own stack), and ``contained`` resources.
    """
    found = _Found([], [])
    # (value, path, fullUrl, container) still to read, the next one last.
    pending: list[tuple[object, str, str | None, Resource | None]] = []
    if isinstance(fhir, Mapping):
        kind = fhir.get("resourceType")
        if not isinstance(kind, str) or not kind:
            problems.append(("$.resourceType", "expected a FHIR resource type"))
            return found
        pending.append((fhir, "$", None, None))
    elif _is_list(fhir):
        pending += reversed([(item, f"$[{index}]", None, None) for index, item in enumerate(fhir)])
    else:
        problems.append(("$", "expected a FHIR Bundle, a list of resources or a Patient"))
        return found
    while pending:
        value, path, full_url, container = pending.pop()
        resource = _one(value, path, full_url, container, problems)
        if resource is None:
            continue
        if resource.kind == "Bundle" and container is None:
            pending += reversed(_entries(resource, problems))
            continue
        found.resources.append(resource)
        contained = resource.data.get("contained")
        if contained is None:
            continue
        if not _is_list(contained):
            problems.append((f"{path}.contained", "expected an array of resources"))
            continue
        if container is not None:
            found.ignored.append(
                Ignored(
                    path=f"{path}.contained",
                    why="resources contained in a contained resource (FHIR does not allow it)",
                )
            )
            continue
        pending += reversed(
            [
                (item, f"{path}.contained[{index}]", None, resource)
                for index, item in enumerate(contained)
            ]
        )
    return found


def _entries(
    bundle: Resource, problems: Problems
) -> list[tuple[object, str, str | None, Resource | None]]:
    """The resources of a Bundle's entries, with their paths and fullUrls."""
    entries = bundle.data.get("entry", [])
    if not _is_list(entries):
        problems.append((f"{bundle.path}.entry", "expected an array of Bundle entries"))
        return []
    found: list[tuple[object, str, str | None, Resource | None]] = []
    prefix = "$" if bundle.path == "$" else bundle.path
    for index, entry in enumerate(entries):
        path = f"{prefix}.entry[{index}]"
        if not isinstance(entry, Mapping):
            problems.append((path, "expected a Bundle entry object"))
            continue
        full_url = entry.get("fullUrl")
        if full_url is not None and not isinstance(full_url, str):
            problems.append((f"{path}.fullUrl", "expected a string"))
            full_url = None
        if "resource" not in entry:
            continue  # a request or response without a resource holds no facts
        found.append((entry["resource"], f"{path}.resource", full_url, None))
    return found


def _one(
    value: object, path: str, full_url: str | None, container: Resource | None, problems: Problems
) -> Resource | None:
    if not _is_object(value):
        problems.append((path, "expected a FHIR resource object"))
        return None
    kind = value.get("resourceType")
    if not isinstance(kind, str) or not kind:
        problems.append((f"{path}.resourceType", "expected a FHIR resource type"))
        return None
    return Resource(path=path, kind=kind, data=value, full_url=full_url, container=container)


def _references(resource: Resource) -> set[str]:
    """Every reference that names this resource: ``Type/id``, its fullUrl, ``urn:uuid:id``
    (versions are taken off a reference before it is looked up)."""
    names = set()
    resource_id = resource.data.get("id")
    if isinstance(resource_id, str) and resource_id:
        names.add(f"{resource.kind}/{resource_id}")
        names.add(f"urn:uuid:{resource_id}")
    if resource.full_url:
        names.add(_unversioned(resource.full_url))
    return names


def _reference(value: object) -> str | None:
    if isinstance(value, Mapping):
        reference = value.get("reference")
        if isinstance(reference, str):
            return reference
    return None


def _nhs_numbers(resource: Resource) -> set[str]:
    """The valid NHS numbers of a Patient's identifiers (either system), read quietly: only to
    tell whether a reference names the same person."""
    numbers = set()
    identifiers = resource.data.get("identifier")
    if _is_list(identifiers):
        for identifier in identifiers:
            if isinstance(identifier, Mapping):
                number = _nhs_number_of(identifier)
                if number is not None:
                    numbers.add(number)
    return numbers


def _nhs_number_system(system: object) -> bool:
    return isinstance(system, str) and system in NHS_NUMBER_SYSTEMS


def _nhs_number_of(identifier: Mapping[str, Any]) -> str | None:
    """The NHS number an identifier gives (either system), or None."""
    value = identifier.get("value")
    if not _nhs_number_system(identifier.get("system")) or not isinstance(value, str):
        return None
    try:
        return NhsNumber.parse(value).digits
    except ValueError:
        return None


def read_record(fhir: object, *, nhs_number: str | None = None) -> PatientRecord:
    """The patient's resources, or :class:`InvalidInput` when the input is not one patient's
    FHIR record (no Patient at ``$``; a second Patient at its own path).

    ``nhs_number`` (a supplied one) also identifies the patient in a subject given by
    identifier.
    """
    problems: Problems = []
    found = _resources(fhir, problems)
    patients = [
        resource
        for resource in found.resources
        if resource.kind == "Patient" and resource.container is None
    ]
    if not patients and not problems:
        problems.append(("$", "no Patient resource: the input must be about one person"))
    problems += [
        (other.path, "a second Patient: the input must be about one person")
        for other in patients[1:]
    ]
    if problems:
        raise InvalidInput(problems)
    patient = patients[0]
    names = _references(patient)
    numbers = _nhs_numbers(patient)
    if nhs_number is not None:
        numbers.add(nhs_number)
    local: dict[str, dict[str, Resource]] = {}
    organizations: dict[str, Resource] = {}
    for resource in found.resources:
        if resource.container is not None:
            local_id = resource.data.get("id")
            if isinstance(local_id, str) and local_id:
                local.setdefault(resource.container.path, {}).setdefault(local_id, resource)
        elif resource.kind == "Organization":
            for name in _references(resource):
                organizations.setdefault(name, resource)
    record = PatientRecord(
        patient=patient, about={}, organizations=organizations, local=local, ignored=()
    )
    about: dict[str, list[Resource]] = {kind: [] for kind in _SUBJECT_TYPES}
    ignored = list(found.ignored)
    for resource in found.resources:
        if resource.kind not in _SUBJECT_TYPES:
            continue
        why = _not_about(record, resource, names, numbers)
        if why is None:
            about[resource.kind].append(resource)
        else:
            ignored.append(Ignored(path=resource.path, why=why))
    return attrs.evolve(
        record,
        about={kind: tuple(resources) for kind, resources in about.items()},
        ignored=tuple(ignored),
    )


def _not_about(
    record: PatientRecord, resource: Resource, names: set[str], numbers: set[str]
) -> str | None:
    """Why a resource's subject is not the Patient, or None when it is.

    A reference decides when there is one; otherwise an identifier equal to the Patient's
    NHS number names them.
    """
    kind = resource.kind
    subject = resource.data.get("subject")
    if not isinstance(subject, Mapping):
        return f"{_a(kind)} without a subject reference to the Patient"
    reference = subject.get("reference")
    if isinstance(reference, str):
        if reference.startswith("#"):
            target = record.resolve(reference, resource)
            if target is record.patient:
                return None
            if target is None:
                return f"{_a(kind)} whose subject is a local reference its container does not hold"
            if target.kind == "Patient" and _nhs_numbers(target) & numbers:
                return None  # a contained copy of the Patient, with their NHS number
            if target.kind == "Patient":
                return (
                    f"{_a(kind)} about a contained Patient not identified as the Patient "
                    "(no matching NHS number)"
                )
            return f"{_a(kind)} whose subject is not a Patient"
        if _unversioned(reference) in names:
            return None
        return f"{_a(kind)} about another patient"
    if reference is not None:  # the reference decides, and it cannot be read
        return f"{_a(kind)} whose subject reference is not a string"
    identifier = subject.get("identifier")
    if isinstance(identifier, Mapping):
        number = _nhs_number_of(identifier)
        if number is not None and number in numbers:
            return None
        if _nhs_number_system(identifier.get("system")):
            return f"{_a(kind)} whose subject identifier is not the Patient's NHS number"
        return f"{_a(kind)} whose subject identifier is not an NHS number"
    return f"{_a(kind)} without a subject reference to the Patient"


def _a(kind: str) -> str:
    """``a Condition``, ``an Observation``, ``an Encounter``."""
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"


@attrs.frozen
class Clinical:
    """The patient's Conditions and Observations the code lists are searched in, and those of
    the patient the rules cannot use (each with why)."""

    usable: tuple[Resource, ...]
    unusable: tuple[Ignored, ...]
    searched: int
    """All the Conditions and Observations of the patient: the clinical record read."""


#: Observation statuses under which a coded result counts.
OBSERVATION_COUNTED: Final = frozenset({"final", "amended", "corrected", "preliminary"})
_OBSERVATION_STATUSES: Final = frozenset(
    {*OBSERVATION_COUNTED, "registered", "cancelled", "entered-in-error", "unknown"}
)


def clinical(record: PatientRecord, reader: _Reader) -> Clinical:
    """The patient's Conditions and Observations, each judged usable or not (and why)."""
    usable = []
    unusable = []
    for resource in record.clinical:
        why = _unusable(resource, reader)
        if why is None:
            usable.append(resource)
        else:
            unusable.append(Ignored(path=resource.path, why=why))
    return Clinical(tuple(usable), tuple(unusable), len(record.clinical))


def _unusable(resource: Resource, reader: _Reader) -> str | None:
    kind = resource.kind
    if kind == "Observation":
        status = reader.string(resource.data, "status", resource.path)
        if status is None:
            return "an Observation of the patient without a status"
        if status not in OBSERVATION_COUNTED:
            shown = f"status {status}" if status in _OBSERVATION_STATUSES else "a status"
            return (
                f"an Observation of the patient with {shown}, which does not count "
                "(only final, amended, corrected or preliminary do)"
            )
    else:
        verification = _verification(resource, reader)
        if verification in _EXCLUDED_STATUSES:
            return f"a Condition of the patient whose verification status is {verification}"
    codings = list(reader.codings(resource.data, "code", resource.path))
    if not any(_snomed(system) and code is not None for _path, system, code in codings):
        return f"{_a(kind)} of the patient with no SNOMED CT coding"
    return None


# --- small readers (every element is checked for its type) --------------------------------


class _Reader:
    """Reads elements of parsed JSON, recording a problem for each of the wrong type."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def string(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append((f"{path}.{key}", "expected a string"))
            return None
        return value

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        value = obj.get(key)
        if value is None:
            return None
        if not _is_object(value):
            self.problems.append((f"{path}.{key}", "expected an object"))
            return None
        return value

    def objects(
        self, obj: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        value = obj.get(key)
        if value is None:
            return
        if not _is_list(value):
            self.problems.append((f"{path}.{key}", "expected an array"))
            return
        for index, item in enumerate(value):
            item_path = f"{path}.{key}[{index}]"
            if not _is_object(item):
                self.problems.append((item_path, "expected an object"))
                continue
            yield item_path, item

    def codings(
        self, obj: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, str | None, str | None]]:
        """``(path, system, code)`` of each coding of the CodeableConcept at ``key``."""
        concept = self.mapping(obj, key, path)
        if concept is None:
            return
        for coding_path, coding in self.objects(concept, "coding", f"{path}.{key}"):
            yield (
                coding_path,
                self.string(coding, "system", coding_path),
                self.string(coding, "code", coding_path),
            )


_FHIR_DATE: Final = re.compile(
    r"\A(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.\d+)?"
    r"(?P<zone>Z|(?P<sign>[+-])(?P<zone_hour>\d{2}):(?P<zone_minute>\d{2}))?)?)?)?\Z",
    re.ASCII,
)


@functools.cache
def _london() -> tzinfo:
    """England's time zone (GMT, BST in summer), read once, by the standard library's fast
    ``zoneinfo`` (which also follows the rule past 2037), offline on every platform.

    Where it finds it: the system's time zone database, or the ``tzdata`` package (which
    python-dateutil 4 depends on, for the platforms that have no database, such as Windows);
    with python-dateutil 2, which ships its own copy of the database instead, that copy;
    dateutil's own reader last. Europe/London's rule has not changed since 1996, so every
    source gives the same dates.
    """
    try:
        return ZoneInfo("Europe/London")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # pragma: no cover - platform
        pass
    bundled = _dateutil_bundled_london()  # pragma: no cover - platform
    if bundled is not None:  # pragma: no cover - platform
        return bundled
    zone = gettz("Europe/London")  # pragma: no cover - platform
    if zone is None:  # pragma: no cover - platform
        message = "no time zone data for Europe/London (install the tzdata package)"
        raise RuntimeError(message)
    return zone  # pragma: no cover - platform


def _dateutil_bundled_london() -> tzinfo | None:  # pragma: no cover - platform
    """Europe/London from the copy of the database python-dateutil 2 ships (None with
    python-dateutil 4, which ships none and deprecates the module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            from dateutil.zoneinfo import getzoneinfofile_stream  # noqa: PLC0415
        except ImportError:
            return None
    try:
        with tarfile.open(fileobj=getzoneinfofile_stream()) as bundle:
            member = bundle.extractfile("Europe/London")
            if member is not None:
                return ZoneInfo.from_file(io.BytesIO(member.read()), key="Europe/London")
    except (OSError, KeyError, ValueError, tarfile.TarError):
        return None
    return None


def england_date(moment: datetime) -> date:
    """The calendar date in England (Europe/London) of an aware date-time."""
    return moment.astimezone(_london()).date()


@attrs.frozen
class FhirDate:
    """A FHIR date or date-time as far as it is given: ``first`` and ``last`` possible day
    (for a date-time with an offset, its date in England)."""

    first: date
    last: date
    full: bool
    """A full calendar date was given."""
    no_offset: bool
    """A time was given without a time zone offset (not valid FHIR; read as written)."""
    offset: bool = False
    """A time was given with an offset: the date is its date in England (Europe/London)."""


def parse_fhir_date(text: str) -> FhirDate | None:
    """A FHIR ``date``/``dateTime``/``instant`` read leniently (partial dates, no offset), or
    None when it is not one (an impossible date or time, a time without seconds).

    A date-time with an offset gives its date in England (Europe/London, GMT or BST); one
    without an offset is taken as written.
    """
    match = _FHIR_DATE.match(text)
    if match is None:
        return None
    try:
        year = int(match["year"])
        if match["day"] is not None:
            day = date(year, int(match["month"]), int(match["day"]))
            if match["hour"] is None:
                return FhirDate(day, day, True, False)
            hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
            if hour > 23 or minute > 59 or second > 59:
                return None
            if match["zone"] is None:
                return FhirDate(day, day, True, True)
            offset = _offset(match)
            if offset is None:
                return None
            moment = datetime.combine(day, time(hour, minute, second), timezone(offset))
            local = england_date(moment)
            return FhirDate(local, local, True, False, True)
        if match["month"] is not None:
            month = int(match["month"])
            last = calendar.monthrange(year, month)[1]
            return FhirDate(date(year, month, 1), date(year, month, last), False, False)
        return FhirDate(date(year, 1, 1), date(year, 12, 31), False, False)
    except (ValueError, OverflowError):
        return None


def _offset(match: re.Match[str]) -> timedelta | None:
    """The offset of a date-time (``Z`` is none), or None when it is not a real one."""
    if match["zone"] == "Z":
        return timedelta(0)
    hours, minutes = int(match["zone_hour"]), int(match["zone_minute"])
    if hours > 14 or minutes > 59:
        return None
    size = timedelta(hours=hours, minutes=minutes)
    return -size if match["sign"] == "-" else size


def _date_at(reader: _Reader, obj: Mapping[str, Any], key: str, path: str) -> FhirDate | None:
    text = reader.string(obj, key, path)
    if text is None:
        return None
    parsed = parse_fhir_date(text)
    if parsed is None:
        reader.problems.append((f"{path}.{key}", "not a readable FHIR date or date-time"))
    return parsed


# --- facts ----------------------------------------------------------------------------------


@attrs.frozen
class Decision:
    """What a rule read: the value for the notification document (as written in JSON), the
    element read (or None when the rule found nothing), and the fact's sentence."""

    value: Any = attrs.field(repr=False)  # a person's value: never shown
    path: str | None
    text: str


#: Code systems a fact text may name: the addresses FHIR and UK Core publish. Any other
#: system string is the sender's text and is never quoted.
KNOWN_SYSTEMS: Final = frozenset(
    {
        SNOMED,
        SNOMED_HTTPS,
        ETHNIC_ENGLAND,
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryWales",
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory",
        "https://fhir.nhs.uk/R4/CodeSystem/UKCore-EthnicCategory",
        "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-EthnicCategory-1",
        "http://terminology.hl7.org/CodeSystem/v3-Race",
        "urn:oid:2.16.840.1.113883.6.238",
    }
)


def _system_named(system: str | None) -> str:
    """A code system as a fact text names it: a known address, else never the sender's text."""
    if system is not None and system in KNOWN_SYSTEMS:
        return f"the code system {system}"
    return "an unrecognised code system"


def _named(resource: Resource) -> str:
    """``Condition at $.entry[3]``: a resource by its type and place, never by its ``id``
    (an id is the sender's text and may hold a person's details)."""
    return f"{resource.kind} at {resource.place}"


def nhs_number(record: PatientRecord, reader: _Reader) -> Decision | None:
    """FHIR-NHS-NUMBER."""
    patient = record.patient
    found: list[tuple[str, str]] = []
    retired = False
    for path, identifier in reader.objects(patient.data, "identifier", patient.path):
        system = identifier.get("system")
        if not _nhs_number_system(system):
            continue
        value = reader.string(identifier, "value", path)
        if value is None:
            continue
        try:
            number = NhsNumber.parse(value)
        except ValueError:
            reader.problems.append(
                (
                    f"{path}.value",
                    "not a valid NHS number (10 digits passing the modulus 11 "
                    "check, not all one digit)",
                )
            )
            continue
        found.append((f"{path}.value", number.digits))
        retired = retired or (system == NHS_NUMBER_SYSTEM_STU3 and len(found) == 1)
    if not found:
        return Decision(
            None, None, f"The Patient has no identifier with system {NHS_NUMBER_SYSTEM}."
        )
    first_path, first = found[0]
    for other_path, other in found[1:]:
        if other != first:
            reader.problems.append(
                (other_path, "a second, different NHS number: supply person.nhs_number")
            )
            return None
    if retired:
        return Decision(
            first,
            first_path,
            f"The Patient's identifier with the retired STU3 system {NHS_NUMBER_SYSTEM_STU3} "
            f"(read as {NHS_NUMBER_SYSTEM}) gives a valid NHS number.",
        )
    return Decision(
        first,
        first_path,
        f"The Patient's identifier with system {NHS_NUMBER_SYSTEM} gives a valid NHS number.",
    )


def date_of_birth(record: PatientRecord, reader: _Reader) -> Decision | None:
    """FHIR-BIRTH."""
    patient = record.patient
    path = f"{patient.path}.birthDate"
    text = reader.string(patient.data, "birthDate", patient.path)
    if text is None:
        if "birthDate" not in patient.data:
            reader.problems.append((path, "no date of birth: supply person.date_of_birth"))
        return None
    parsed = parse_fhir_date(text)
    if parsed is None or parsed.no_offset or len(text) > 10:
        reader.problems.append((path, "not a FHIR date (YYYY-MM-DD)"))
        return None
    if not parsed.full:
        reader.problems.append(
            (path, "a partial date of birth (year, or year and month): supply person.date_of_birth")
        )
        return None
    return Decision(parsed.first.isoformat(), path, "Patient.birthDate gives a full date.")


_DEATH_STATUS: Final = {
    "1": "informal (reported by an NHS organisation, not yet registered)",
    "2": "formal (registered)",
}


def _death_status(record: PatientRecord, reader: _Reader) -> tuple[str | None, str | None]:
    """``(code, path)`` of the UK Core death notification status, if the record has one."""
    patient = record.patient
    for path, extension in reader.objects(patient.data, "extension", patient.path):
        if extension.get("url") != DEATH_STATUS_EXTENSION:
            continue
        for sub_path, sub in reader.objects(extension, "extension", path):
            if sub.get("url") != "deathNotificationStatus":
                continue
            for _coding_path, system, code in reader.codings(sub, "valueCodeableConcept", sub_path):
                if system == DEATH_STATUS_SYSTEM and code is not None:
                    return code, path
    return None, None


def date_of_death(record: PatientRecord, reader: _Reader) -> Decision | None:
    """FHIR-DEATH."""
    patient = record.patient
    status, status_path = _death_status(record, reader)
    if status == "U":
        reader.problems.append(
            (
                status_path or patient.path,
                "the death notification was removed (status U): supply person.date_of_death",
            )
        )
        return None
    path = f"{patient.path}.deceasedDateTime"
    text = reader.string(patient.data, "deceasedDateTime", patient.path)
    if text is None:
        if "deceasedDateTime" in patient.data:
            return None  # of the wrong type: already a problem
        if "deceasedBoolean" in patient.data:
            reader.problems.append(
                (
                    f"{patient.path}.deceasedBoolean",
                    "the record gives no date of death "
                    "(deceasedBoolean): supply person.date_of_death",
                )
            )
        else:
            reader.problems.append(
                (patient.path, "the record gives no date of death: supply person.date_of_death")
            )
        return None
    parsed = parse_fhir_date(text)
    if parsed is None:
        reader.problems.append((path, "not a readable FHIR date or date-time"))
        return None
    if not parsed.full:
        reader.problems.append(
            (path, "a partial date of death (year, or year and month): supply person.date_of_death")
        )
        return None
    if parsed.offset:
        sentence = (
            "Patient.deceasedDateTime gives the date of death in England: its time, with its "
            "offset, is read in Europe/London time (GMT or BST)"
        )
    elif parsed.no_offset:
        sentence = (
            "Patient.deceasedDateTime gives the date of death as written: its time has no "
            "time zone offset and is read as written"
        )
    else:
        sentence = "Patient.deceasedDateTime gives the date of death (a date)"
    if status is None:
        sentence += "; the record has no death notification status."
    elif status in _DEATH_STATUS:
        sentence += f"; death notification status {status}, {_DEATH_STATUS[status]}."
    else:
        sentence += "; its death notification status is not a known code."
    return Decision(parsed.first.isoformat(), path, sentence)


def ethnicity(record: PatientRecord, reader: _Reader) -> Decision | None:
    """FHIR-ETHNICITY."""
    patient = record.patient
    england: list[tuple[str, str]] = []
    other: list[tuple[str, str | None]] = []
    for path, extension in reader.objects(patient.data, "extension", patient.path):
        if extension.get("url") != ETHNIC_EXTENSION:
            continue
        for _coding_path, system, code in reader.codings(extension, "valueCodeableConcept", path):
            if system == ETHNIC_ENGLAND and code is not None:
                england.append((path, code))
            else:
                other.append((path, system))
    if england:
        first_path, first = england[0]
        for other_path, code in england[1:]:
            if code != first:
                reader.problems.append(
                    (other_path, "different ethnic categories (England): supply person.ethnicity")
                )
                return None
        if first not in _ETHNIC_CODES:
            return Decision(
                None,
                first_path,
                "The UK Core Ethnic Category extension has an England-system code that is not "
                "an ethnic category (A-S, Z, 99): not mapped.",
            )
        return Decision(
            first,
            first_path,
            f"The UK Core Ethnic Category extension is coded {first} in the England category "
            f"system ({EthnicCategory(first).name.replace('_', ' ').lower()}).",
        )
    if other:
        path, system = other[0]
        where = _system_named(system)
        return Decision(
            None,
            path,
            f"The UK Core Ethnic Category extension is coded in {where}, not the England "
            "category system: not mapped (other systems give the same letters other meanings).",
        )
    return Decision(None, None, "The Patient has no UK Core Ethnic Category extension.")


def _snomed(system: str | None) -> bool:
    return system in (SNOMED, SNOMED_HTTPS)


_SUSPECTED_STATUSES: Final = frozenset({"provisional", "unconfirmed", "differential"})
_EXCLUDED_STATUSES: Final = frozenset({"entered-in-error", "refuted"})


@attrs.frozen
class _Coded:
    """A coding of a code list on a resource of the patient, and whether it counts."""

    resource: Resource
    path: str
    code: str
    https: bool
    verification: str | None
    counted: bool
    why_not: str | None
    dated: bool


def _verification(resource: Resource, reader: _Reader) -> str | None:
    """A Condition's verification status code: absent is None; one given as text only (no
    code) is ``unconfirmed``, never read as confirmed. Observations have none."""
    if resource.kind == "Observation":
        return None
    for _path, _system, code in reader.codings(resource.data, "verificationStatus", resource.path):
        if code is not None:
            return code
    if reader.mapping(resource.data, "verificationStatus", resource.path) is not None:
        return _TEXT_ONLY
    return None


#: A verification status given as text only (no code): read as unconfirmed.
_TEXT_ONLY: Final = "text only"


def _status_text(verification: str | None) -> str:
    if verification is None:
        return "no verification status"
    if verification == _TEXT_ONLY:
        return "a verification status given as text only (read as unconfirmed)"
    return verification


def _resource_date(resource: Resource, reader: _Reader) -> tuple[FhirDate | None, bool]:
    """The date of a Condition or Observation, and whether an element was there to read."""
    keys = (
        ("recordedDate", "onsetDateTime")
        if resource.kind == "Condition"
        else ("effectiveDateTime", "issued")
    )
    for key in keys:
        if resource.data.get(key) is not None:
            return _date_at(reader, resource.data, key, resource.path), True
    return None, False


def _coded(
    searched: Clinical,
    reader: _Reader,
    wanted: Callable[[str], bool],
    died: date | None,
) -> list[_Coded]:
    """Every SNOMED CT coding the ``wanted`` test accepts on the patient's usable Conditions
    and Observations, in input order, each judged: counted or not, and why not."""
    found = []
    for resource in searched.usable:
        for path, system, code in reader.codings(resource.data, "code", resource.path):
            if code is None or not _snomed(system) or not wanted(code):
                continue
            verification = _verification(resource, reader)
            when, dated = _resource_date(resource, reader)
            counted, why_not = True, None
            if verification in _EXCLUDED_STATUSES:
                counted, why_not = False, verification
            elif verification is not None and verification not in (
                "confirmed",
                _TEXT_ONLY,
                *_SUSPECTED_STATUSES,
            ):
                counted, why_not = False, "an unrecognised verification status"
            elif dated and when is None:
                counted, why_not = False, "an unreadable date"
            elif when is not None and died is not None and when.first > died:
                counted, why_not = False, "dated after the death"
            found.append(
                _Coded(
                    resource,
                    path,
                    code,
                    system == SNOMED_HTTPS,
                    verification,
                    counted,
                    why_not,
                    dated,
                )
            )
    return found


def _how_dated(coded: _Coded) -> str:
    return "dated on or before the death" if coded.dated else "undated (counted as before)"


def _https_note(coded: _Coded) -> str:
    return " (its SNOMED CT system is written https://, read as http://)" if coded.https else ""


def _not_counted(coded: Sequence[_Coded]) -> str:
    skipped = [item for item in coded if not item.counted]
    if not skipped:
        return ""
    reasons = sorted({item.why_not or "" for item in skipped})
    return f" {len(skipped)} matching coding(s) not counted: {', '.join(reasons)}."


def _searched(searched: Clinical) -> str:
    """How many Conditions and Observations were searched, and how many could not be used."""
    text = f"{searched.searched} Condition(s) and Observation(s) of the patient searched"
    if searched.unusable:
        text += f" ({len(searched.unusable)} of them not usable: listed as ignored)"
    return text


def _absent(reader: _Reader, field: str) -> None:
    """No Condition or Observation of the patient: the fact is unknown, never "no"."""
    reader.problems.append(
        (
            f"supplied.{field}",
            "the record holds no Condition or Observation of the patient, and a demographic "
            f"record alone says nothing about diagnoses: supply {field}",
        )
    )


def learning_disability(
    searched: Clinical, reader: _Reader, codes: CodeLists, died: date | None
) -> Decision | None:
    """FHIR-LEARNING-DISABILITY."""
    if not searched.searched:
        _absent(reader, "person.learning_disability")
        return None
    code_list = codes.learning_disability
    coded = _coded(searched, reader, code_list.__contains__, died)
    counted = [item for item in coded if item.counted]
    if counted:
        first = counted[0]
        return Decision(
            True,
            first.path,
            f"{_named(first.resource)} is coded SNOMED CT {first.code} "
            f"{code_list.term(first.code)} ({code_list.described}), "
            f"{_status_text(first.verification)}, {_how_dated(first)}{_https_note(first)}.",
        )
    return Decision(
        False,
        None,
        f"No coded learning disability found: {_searched(searched)} against "
        f"{code_list.described} ({len(code_list)} concepts)." + _not_counted(coded),
    )


def autism(
    searched: Clinical, reader: _Reader, codes: CodeLists, died: date | None
) -> Decision | None:
    """FHIR-AUTISM."""
    if not searched.searched:
        _absent(reader, "person.autism")
        return None
    code_list = codes.autism

    def wanted(code: str) -> bool:
        return code in code_list or code == SUSPECTED_AUTISM

    coded = _coded(searched, reader, wanted, died)
    counted = [item for item in coded if item.counted]
    diagnosed = [
        item
        for item in counted
        if item.code != SUSPECTED_AUTISM and item.verification in (None, "confirmed")
    ]
    if diagnosed:
        first = diagnosed[0]
        return Decision(
            AutismStatus.DIAGNOSED.value,
            first.path,
            f"{_named(first.resource)} is coded SNOMED CT {first.code} "
            f"{code_list.term(first.code)} ({code_list.described}), "
            f"{_status_text(first.verification)}, {_how_dated(first)}{_https_note(first)}: "
            "diagnosed.",
        )
    if counted:
        first = counted[0]
        if first.code == SUSPECTED_AUTISM:
            what = f"SNOMED CT {SUSPECTED_AUTISM} Suspected autism"
        else:
            what = (
                f"SNOMED CT {first.code} {code_list.term(first.code)} ({code_list.described}), "
                f"{_status_text(first.verification)}"
            )
        return Decision(
            AutismStatus.SUSPECTED.value,
            first.path,
            f"{_named(first.resource)} is coded {what}, {_how_dated(first)}"
            f"{_https_note(first)}: suspected.",
        )
    return Decision(
        AutismStatus.NONE.value,
        None,
        f"No coded autism found: {_searched(searched)} against {code_list.described} "
        f"({len(code_list)} concepts) and SNOMED CT {SUSPECTED_AUTISM} Suspected autism."
        + _not_counted(coded),
    )


def _covers(
    reader: _Reader, period: Mapping[str, Any] | None, path: str, died: date | None
) -> bool | None:
    """Whether a period (absent: always) covers the date of death; None if unreadable."""
    if period is None:
        return True
    start_given = period.get("start") is not None
    end_given = period.get("end") is not None
    start = _date_at(reader, period, "start", path)
    end = _date_at(reader, period, "end", path)
    if (start_given and start is None) or (end_given and end is None):
        return None
    if died is None:
        return True
    return (start is None or start.first <= died) and (end is None or end.last >= died)


def _ods_identifier(
    reader: _Reader, identifiers_of: Mapping[str, Any], path: str, key: str
) -> tuple[str, Mapping[str, Any]] | None:
    """``(path, identifier)`` of the first ODS organisation code under ``key``."""
    value = identifiers_of.get(key)
    if isinstance(value, Mapping):
        candidates: Iterator[tuple[str, Mapping[str, Any]]] = iter([(f"{path}.{key}", value)])
    elif value is None:
        return None
    elif _is_list(value):
        candidates = reader.objects(identifiers_of, key, path)
    else:
        reader.problems.append((f"{path}.{key}", "expected an identifier"))
        return None
    for identifier_path, identifier in candidates:
        if identifier.get("system") == ODS_SYSTEM and isinstance(identifier.get("value"), str):
            return identifier_path, identifier
    return None


def gp_registered(record: PatientRecord, reader: _Reader, died: date | None) -> Decision | None:
    """FHIR-GP."""
    patient = record.patient
    practices = list(reader.objects(patient.data, "generalPractitioner", patient.path))
    unknown: list[str] = []
    outside = 0
    for path, entry in practices:
        found = _ods_identifier(reader, entry, path, "identifier")
        how = "directly"
        if found is None:
            reference = _reference(entry)
            organization = record.resolve(reference, patient) if reference else None
            if organization is not None and organization.kind != "Organization":
                organization = None
            if organization is not None:
                found = _ods_identifier(reader, organization.data, organization.path, "identifier")
                how = f"through {_named(organization)}"
        if found is None:
            unknown.append(path)
            continue
        identifier_path, identifier = found
        period = identifier.get("period")
        if period is not None and not isinstance(period, Mapping):
            reader.problems.append((f"{identifier_path}.period", "expected an object"))
            return None
        covers = _covers(reader, period, f"{identifier_path}.period", died)
        if covers is None:
            return None
        if covers:
            when = (
                "its identifier has no period"
                if period is None
                else ("its identifier period covers the date of death")
            )
            return Decision(
                True,
                identifier_path,
                f"Patient.generalPractitioner names a practice by its ODS code ({how}); {when}.",
            )
        outside += 1
    if unknown:
        reader.problems.append(
            (
                unknown[0],
                "a practice the input does not identify by ODS code: supply person.gp_registered",
            )
        )
        return None
    if not practices:
        security = reader.mapping(patient.data, "meta", patient.path)
        codes = set()
        if security is not None:
            for _path, label in reader.objects(security, "security", f"{patient.path}.meta"):
                code = label.get("code")
                if isinstance(code, str):
                    codes.add(code)
        if codes & _RESTRICTED:
            reader.problems.append(
                (
                    f"{patient.path}.meta.security",
                    "a restricted record hides the GP practice: supply person.gp_registered",
                )
            )
            return None
        return Decision(False, None, "The Patient has no generalPractitioner.")
    return Decision(
        False,
        None,
        f"Patient.generalPractitioner names {outside} practice(s), none registered on the "
        "date of death (identifier period).",
    )


def detention(record: PatientRecord, reader: _Reader, died: date | None) -> Decision | None:
    """FHIR-DETENTION."""
    kinds: list[tuple[Detention, str, str]] = []
    covering = 0
    for encounter in record.about["Encounter"]:
        period = reader.mapping(encounter.data, "period", encounter.path)
        if period is None or period.get("start") is None:
            continue  # an Encounter without a start covers nothing
        covers = _covers(reader, period, f"{encounter.path}.period", died)
        if not covers:
            continue
        covering += 1
        for path, extension in reader.objects(encounter.data, "extension", encounter.path):
            if extension.get("url") != LEGAL_STATUS_EXTENSION:
                continue
            for sub_path, sub in reader.objects(extension, "extension", path):
                if sub.get("url") != "legalStatusClassification":
                    continue
                for _c, system, code in reader.codings(sub, "valueCodeableConcept", sub_path):
                    if system == LEGAL_STATUS_ENGLAND and code in MHA_DETENTION_CODES:
                        kinds.append(
                            (
                                Detention.MENTAL_HEALTH_ACT,
                                path,
                                f"{_named(encounter)} covers the date of death with a UK Core "
                                f"legal status (England) of {code}, a detention under the "
                                "Mental Health Act or related acts",
                            )
                        )
        for path, location in reader.objects(encounter.data, "location", encounter.path):
            for coding_path, system, code in reader.codings(location, "physicalType", path):
                if (
                    system == LOCATION_TYPE_ENGLAND
                    and code is not None
                    and code in LOCATION_DETENTION
                ):
                    kind = LOCATION_DETENTION[code]
                    kinds.append(
                        (
                            kind,
                            coding_path,
                            f"{_named(encounter)} covers the date of death at a location of "
                            f"type {code} (England), {kind.value.replace('_', ' ')}",
                        )
                    )
    if not kinds:
        return Decision(
            Detention.NONE.value,
            None,
            f"No detention found: {covering} Encounter(s) of the patient cover the date of "
            "death, none with a detaining legal status (England) or location type.",
        )
    first_kind, first_path, first_text = kinds[0]
    for kind, path, _text in kinds[1:]:
        if kind is not first_kind:
            reader.problems.append(
                (
                    path,
                    "Encounters covering the date of death show different detentions: "
                    "supply person.detention",
                )
            )
            return None
    return Decision(first_kind.value, first_path, first_text + ".")


# --- the notification -----------------------------------------------------------------------

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
_FIELD_NAMES: Final = frozenset(name for name, _rule, _default in FIELDS)


def _supplied_values(supplied: object, problems: Problems) -> dict[str, Any]:
    """The supplied facts by dotted field (unknown keys are left for the loader to name)."""
    if not isinstance(supplied, Mapping):
        problems.append(("supplied", "expected a partial notification document (an object)"))
        return {}
    values: dict[str, Any] = {}
    for key, value in supplied.items():
        if key == "person":
            if not isinstance(value, Mapping):
                problems.append(("supplied.person", "expected an object"))
                continue
            for person_key, person_value in value.items():
                values[f"person.{person_key}"] = person_value
        else:
            values[str(key)] = value
    return values


def _document(values: Mapping[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    person: dict[str, Any] = {}
    for name, value in values.items():
        if name.startswith("person."):
            person[name.removeprefix("person.")] = value
        else:
            document[name] = value
    document["person"] = person
    return document


def _default_text(name: str, default: object) -> str:
    shown = "null" if default is None else ("[]" if default == [] else str(default).lower())
    return f"No FHIR element holds this fact and it was not supplied: the default ({shown})."


def read_notification(
    fhir: object,
    *,
    supplied: Mapping[str, Any],
    codes: CodeLists | None,
    load_notification: Callable[[Mapping[str, Any]], Notification],
) -> FhirExtract:
    """The ``FHIR-*`` rules over a parsed FHIR record: :func:`leder_core.fhir.extract_notification`.

    The notification document the facts make is structured by ``load_notification`` (the
    public entry point passes the serialization layer's loader), so that the rules never
    import the wire format.
    """
    code_lists = _BUILT_IN if codes is None else codes
    problems: Problems = []
    given = _supplied_values(supplied, problems)
    try:
        record = read_record(fhir, nhs_number=_supplied_nhs_number(given))
    except InvalidInput as error:
        raise InvalidInput([*error.problems, *problems]) from None
    reader = _Reader(problems)
    # The patient's Conditions and Observations are judged only when a fact reads them.
    searched = (
        clinical(record, reader)
        if {"person.learning_disability", "person.autism"} - given.keys()
        else Clinical((), (), 0)
    )

    def decide(name: str, read: Callable[[], Decision | None]) -> Decision | None:
        return None if name in given else read()

    decisions: dict[str, Decision | None] = {
        "person.nhs_number": decide("person.nhs_number", lambda: nhs_number(record, reader)),
        "person.date_of_birth": decide(
            "person.date_of_birth", lambda: date_of_birth(record, reader)
        ),
        "person.date_of_death": decide(
            "person.date_of_death", lambda: date_of_death(record, reader)
        ),
    }
    died = _date_of_death(given, decisions["person.date_of_death"])
    decisions["person.learning_disability"] = decide(
        "person.learning_disability",
        lambda: learning_disability(searched, reader, code_lists, died),
    )
    decisions["person.autism"] = decide(
        "person.autism", lambda: autism(searched, reader, code_lists, died)
    )
    decisions["person.ethnicity"] = decide("person.ethnicity", lambda: ethnicity(record, reader))
    decisions["person.gp_registered"] = decide(
        "person.gp_registered", lambda: gp_registered(record, reader, died)
    )
    decisions["person.detention"] = decide(
        "person.detention", lambda: detention(record, reader, died)
    )

    values: dict[str, Any] = {}
    facts: list[Fact] = []
    origin: dict[str, str] = {}  # notification field -> where a problem with it is reported
    for name, rule_id, default in FIELDS:
        if name in given:
            values[name] = given[name]
            origin[name] = f"supplied.{name}"
            facts.append(
                Fact(
                    field=name,
                    source=FactSource.SUPPLIED,
                    rule=None,
                    path=None,
                    text="Supplied by the caller; the FHIR record was not read for it.",
                )
            )
        elif rule_id is not None:
            decision = decisions[name]
            if decision is None:
                continue  # refused: the reason is among the problems
            values[name] = decision.value
            origin[name] = decision.path or f"supplied.{name}"
            facts.append(
                Fact(
                    field=name,
                    source=FactSource.FHIR,
                    rule=rule_id,
                    path=decision.path,
                    text=decision.text,
                )
            )
        elif default is REQUIRED:
            problems.append(
                (f"supplied.{name}", "no FHIR element holds this fact: it must be supplied")
            )
        else:
            values[name] = default
            facts.append(
                Fact(
                    field=name,
                    source=FactSource.DEFAULT,
                    rule=None,
                    path=None,
                    text=_default_text(name, default),
                )
            )
    # Keys the caller gave that are not notification fields: the loader names them.
    for name, value in given.items():
        if name not in _FIELD_NAMES:
            values[name] = value
            origin[name] = f"supplied.{name}"
    if problems:
        # Check the supplied facts too, so that every problem is listed at once.
        problems += _supplied_problems(given, load_notification)
        raise InvalidInput(dict.fromkeys(problems))  # the same problem once, in order
    try:
        notification = load_notification(_document(values))
    except InvalidInput as error:
        raise InvalidInput(
            _placed(problem.path, problem.message, origin) for problem in error.problems
        ) from None
    return FhirExtract(
        notification=notification,
        facts=tuple(facts),
        ignored=_in_input_order((*record.ignored, *searched.unusable)),
    )


def _in_input_order(ignored: Sequence[Ignored]) -> tuple[Ignored, ...]:
    """Ignored resources in the order of the input (paths compared index by index)."""

    def key(entry: Ignored) -> tuple[tuple[int, int | str], ...]:
        parts = re.findall(r"\[(\d+)\]|\.([A-Za-z_]+)", entry.path)
        return tuple((0, int(index)) if index else (1, name) for index, name in parts)

    return tuple(sorted(ignored, key=key))


def _supplied_nhs_number(given: Mapping[str, Any]) -> str | None:
    """A supplied NHS number, when it is one (it also names the patient in a subject)."""
    value = given.get("person.nhs_number")
    if isinstance(value, str):
        try:
            return NhsNumber.parse(value).digits
        except ValueError:
            return None
    return None


#: Valid values standing in for the facts not supplied, when only the supplied ones are checked.
#: The dates are the earliest and latest a document may hold, so no cross-check between a
#: supplied date and a stand-in fails on the supplied side.
_STAND_INS: Final[Mapping[str, Any]] = {
    "id": "stand-in",
    "notified_on": LATEST_DATE.isoformat(),
    "notifier_role": "other",
    "person.date_of_birth": EARLIEST_DATE.isoformat(),
    "person.date_of_death": EARLIEST_DATE.isoformat(),
    "person.learning_disability": False,
    "person.autism": "none",
    "person.lived_in_england": True,
}


def _supplied_problems(
    given: Mapping[str, Any], load: Callable[[Mapping[str, Any]], object]
) -> list[tuple[str, str]]:
    """The problems of the supplied facts alone (placed at ``supplied.*``)."""
    origin = {name: f"supplied.{name}" for name in given}
    try:
        load(_document({**_STAND_INS, **given}))
    except InvalidInput as error:
        found = []
        for problem in error.problems:
            path, message = _placed(problem.path, problem.message, origin)
            parts = re.split(r"[.\[]", path.removeprefix("supplied."))
            field = ".".join(parts[:2]) if parts[0] == "person" else parts[0]
            if field in given:  # a stand-in's problem is not the caller's
                found.append((path, message))
        return found
    return []


def _date_of_death(given: Mapping[str, Any], decision: Decision | None) -> date | None:
    value = given.get("person.date_of_death", decision.value if decision else None)
    if isinstance(value, str):
        parsed = parse_fhir_date(value)
        if parsed is not None and parsed.full and len(value) == 10:
            return parsed.first
    return None


def _placed(path: str, message: str, origin: Mapping[str, str]) -> tuple[str, str]:
    """A problem of the assembled notification placed where its value came from."""
    for prefix in ("$.person.", "$."):
        if path.startswith(prefix):
            rest = path.removeprefix(prefix)
            key = rest.split(".", 1)[0].split("[", 1)[0]
            field = ("person." if prefix == "$.person." else "") + key
            where = origin.get(field)
            if where is None:
                return (f"supplied{path[1:]}", message)
            if where.startswith("supplied"):
                return (f"supplied{path[1:]}", message)
            return (where, message)
    if path in {"$.person", "$"}:
        return ("supplied" + path[1:], message)
    return (path, message)
