"""The addresses and codes FHIR R4 and UK Core publish that the ``FHIR-*`` rules read.

Every system, extension address and code set a rule compares against is named here once; the
rules, their documentation table and the fact texts read them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from leder_core.models.notification import Detention

__all__ = [
    "DEATH_STATUS_EXTENSION",
    "DEATH_STATUS_SYSTEM",
    "ETHNIC_ENGLAND",
    "ETHNIC_EXTENSION",
    "EXCLUDED_VERIFICATION",
    "KNOWN_SYSTEMS",
    "LEGAL_STATUS_ENGLAND",
    "LEGAL_STATUS_EXTENSION",
    "LOCATION_DETENTION",
    "LOCATION_TYPE_ENGLAND",
    "MHA_DETENTION_CODES",
    "NHS_NUMBER_SYSTEM",
    "NHS_NUMBER_SYSTEMS",
    "NHS_NUMBER_SYSTEM_STU3",
    "OBSERVATION_COUNTED",
    "OBSERVATION_STATUSES",
    "ODS_SYSTEM",
    "RESTRICTED_SECURITY",
    "SNOMED",
    "SNOMED_HTTPS",
    "SUBJECT_TYPES",
    "SUSPECTED_AUTISM",
    "SUSPECTED_VERIFICATION",
    "is_nhs_number_system",
    "is_snomed",
]

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
#: Security labels (``meta.security``) of a restricted record, which hides the GP practice.
RESTRICTED_SECURITY: Final = frozenset({"R", "V"})
#: The resource types whose ``subject`` must be the patient for the rules to read them.
SUBJECT_TYPES: Final = ("Condition", "Observation", "Encounter", "Flag")

#: Observation statuses under which a coded result counts.
OBSERVATION_COUNTED: Final = frozenset({"final", "amended", "corrected", "preliminary"})
#: Every Observation status FHIR R4 defines (a fact text may name one of these, never another).
OBSERVATION_STATUSES: Final = frozenset(
    {*OBSERVATION_COUNTED, "registered", "cancelled", "entered-in-error", "unknown"}
)
#: Condition verification statuses that leave a diagnosis suspected.
SUSPECTED_VERIFICATION: Final = frozenset({"provisional", "unconfirmed", "differential"})
#: Condition verification statuses under which a Condition does not count at all.
EXCLUDED_VERIFICATION: Final = frozenset({"entered-in-error", "refuted"})


def is_snomed(system: str | None) -> bool:
    """Whether a coding's system is SNOMED CT (its ``https`` address is read too)."""
    return system in (SNOMED, SNOMED_HTTPS)


def is_nhs_number_system(system: object) -> bool:
    """Whether an identifier's system is the NHS number (UK Core's, or the retired STU3 one)."""
    return isinstance(system, str) and system in NHS_NUMBER_SYSTEMS
