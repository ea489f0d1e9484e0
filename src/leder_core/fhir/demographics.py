"""What the Patient resource says of the person, found element by element.

Each function reads one fact's elements of the Patient when a rule asks for it (a supplied
fact's elements are never read), recording a problem for each element of the wrong type, and
gives what it found as values: the NHS numbers of the identifiers, the codings of the UK Core
Ethnic Category extension, the UK Core death notification status, the GP practice an entry
identifies (directly or through a referenced Organization) and the security labels.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from leder_core.fhir.elements import ElementReader, is_list, reference_of
from leder_core.fhir.systems import (
    DEATH_STATUS_EXTENSION,
    DEATH_STATUS_SYSTEM,
    ETHNIC_EXTENSION,
    NHS_NUMBER_SYSTEM_STU3,
    ODS_SYSTEM,
    is_nhs_number_system,
)
from leder_core.models.fhir import PatientRecord, Resource
from leder_core.models.nhs_number import NhsNumber

__all__ = [
    "FoundCoding",
    "FoundNhsNumber",
    "FoundPractice",
    "death_notification_status",
    "ethnic_codings",
    "nhs_numbers",
    "practice",
    "security_codes",
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


@attrs.frozen
class FoundPractice:
    """A GP practice a ``generalPractitioner`` entry identifies by its ODS code."""

    path: str
    """The JSON path of the ODS identifier."""
    how: str
    """``directly``, or ``through Organization at $.entry[4]``."""
    period: object = attrs.field(repr=False)
    """The identifier's ``period`` element as given (None when absent)."""


def practice(
    record: PatientRecord, reader: ElementReader, path: str, entry: Mapping[str, Any]
) -> FoundPractice | None:
    """The practice a ``generalPractitioner`` entry at ``path`` identifies by its ODS code:
    its own identifier, else that of the Organization of the input it references (in the
    input, or contained in the Patient); None when the input does not identify it."""
    found = _ods_identifier(reader, entry, path, "identifier")
    if found is not None:
        return FoundPractice(found[0], "directly", found[1].get("period"))
    reference = reference_of(entry)
    organization = record.resolve(reference, record.patient) if reference else None
    if organization is None or organization.kind != "Organization":
        return None
    found = _ods_identifier(reader, organization.data, organization.path, "identifier")
    if found is None:
        return None
    return FoundPractice(found[0], f"through {organization.named}", found[1].get("period"))


def _ods_identifier(
    reader: ElementReader, identifiers_of: Mapping[str, Any], path: str, key: str
) -> tuple[str, Mapping[str, Any]] | None:
    """``(path, identifier)`` of the first ODS organisation code under ``key``."""
    value = identifiers_of.get(key)
    if isinstance(value, Mapping):
        candidates: Iterator[tuple[str, Mapping[str, Any]]] = iter([(f"{path}.{key}", value)])
    elif value is None:
        return None
    elif is_list(value):
        candidates = reader.objects(identifiers_of, key, path)
    else:
        reader.problems.append((f"{path}.{key}", "expected an identifier"))
        return None
    for identifier_path, identifier in candidates:
        if identifier.get("system") == ODS_SYSTEM and isinstance(identifier.get("value"), str):
            return identifier_path, identifier
    return None


def security_codes(patient: Resource, reader: ElementReader) -> set[str]:
    """The codes of the Patient's security labels (``meta.security``)."""
    meta = reader.mapping(patient.data, "meta", patient.path)
    codes = set()
    if meta is not None:
        for _path, label in reader.objects(meta, "security", f"{patient.path}.meta"):
            code = label.get("code")
            if isinstance(code, str):
                codes.add(code)
    return codes
