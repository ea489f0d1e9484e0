"""What the Patient resource says of the person, found element by element.

Each function reads one fact's elements of the Patient when a rule asks for it (a supplied
fact's elements are never read), recording a problem for each element of the wrong type, and
gives what it found as values: the NHS numbers of the identifiers, the codings of the UK Core
Ethnic Category extension, the UK Core death notification status.
"""

from __future__ import annotations

import attrs

from leder_core.fhir.elements import ElementReader
from leder_core.fhir.systems import (
    DEATH_STATUS_EXTENSION,
    DEATH_STATUS_SYSTEM,
    ETHNIC_EXTENSION,
    NHS_NUMBER_SYSTEM_STU3,
    is_nhs_number_system,
)
from leder_core.models.fhir import Resource
from leder_core.models.nhs_number import NhsNumber

__all__ = [
    "FoundCoding",
    "FoundNhsNumber",
    "death_notification_status",
    "ethnic_codings",
    "nhs_numbers",
]


@attrs.frozen
class FoundNhsNumber:
    """A valid NHS number given by an identifier of the Patient."""

    path: str
    """The JSON path of the identifier's value."""
    digits: str = attrs.field(repr=False)  # a person's value: never shown
    retired: bool
    """Given under the retired STU3 system."""


@attrs.frozen
class FoundCoding:
    """A coding found in an element: where the element is, its system and code."""

    path: str
    """The JSON path of the element holding the coding (the extension)."""
    system: str | None
    code: str | None


def nhs_numbers(patient: Resource, reader: ElementReader) -> list[FoundNhsNumber]:
    """The NHS numbers of the Patient's identifiers of either NHS number system, in order; a
    value failing the NHS number checks is a problem."""
    found = []
    for path, identifier in reader.objects(patient.data, "identifier", patient.path):
        system = identifier.get("system")
        if not is_nhs_number_system(system):
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
        found.append(
            FoundNhsNumber(f"{path}.value", number.digits, system == NHS_NUMBER_SYSTEM_STU3)
        )
    return found


def ethnic_codings(patient: Resource, reader: ElementReader) -> list[FoundCoding]:
    """Every coding of every UK Core Ethnic Category extension of the Patient, in order."""
    found = []
    for path, extension in reader.objects(patient.data, "extension", patient.path):
        if extension.get("url") != ETHNIC_EXTENSION:
            continue
        for _coding_path, system, code in reader.codings(extension, "valueCodeableConcept", path):
            found.append(FoundCoding(path, system, code))
    return found


def death_notification_status(patient: Resource, reader: ElementReader) -> FoundCoding | None:
    """The first UK Core death notification status code of the Patient, if it has one."""
    for path, _coding_path, system, code in reader.extension_codings(
        patient.data, patient.path, DEATH_STATUS_EXTENSION, "deathNotificationStatus"
    ):
        if system == DEATH_STATUS_SYSTEM and code is not None:
            return FoundCoding(path, system, code)
    return None
