"""The patient's clinical record: the Conditions and Observations the code lists are searched in.

Each Condition and Observation of the patient is judged usable or not (an Observation status
that does not count, a Condition entered in error or refuted, no SNOMED CT coding), and every
coding a code list accepts on the usable ones is found with what decides whether it counts:
its verification status and its date in England beside the date of death.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from leder_core.fhir.dates import FhirDate, date_at
from leder_core.fhir.elements import ElementReader
from leder_core.fhir.record import a_kind
from leder_core.fhir.systems import (
    EXCLUDED_VERIFICATION,
    OBSERVATION_COUNTED,
    OBSERVATION_STATUSES,
    SNOMED_HTTPS,
    is_snomed,
)
from leder_core.models.fhir import ClinicalRecord, Ignored, PatientRecord, Resource

__all__ = ["TEXT_ONLY", "Coded", "clinical_record", "coded_findings"]


def clinical_record(record: PatientRecord, reader: ElementReader) -> ClinicalRecord:
    """The patient's Conditions and Observations, each judged usable or not (and why)."""
    usable = []
    unusable = []
    for resource in record.clinical:
        why = _unusable(resource, reader)
        if why is None:
            usable.append(resource)
        else:
            unusable.append(Ignored(path=resource.path, why=why))
    return ClinicalRecord(tuple(usable), tuple(unusable), len(record.clinical))


def _unusable(resource: Resource, reader: ElementReader) -> str | None:
    kind = resource.kind
    if kind == "Observation":
        status = reader.string(resource.data, "status", resource.path)
        if status is None:
            return "an Observation of the patient without a status"
        if status not in OBSERVATION_COUNTED:
            shown = f"status {status}" if status in OBSERVATION_STATUSES else "a status"
            return (
                f"an Observation of the patient with {shown}, which does not count "
                "(only final, amended, corrected or preliminary do)"
            )
    else:
        verification = _verification(resource, reader)
        if verification in EXCLUDED_VERIFICATION:
            return f"a Condition of the patient whose verification status is {verification}"
    codings = list(reader.codings(resource.data, "code", resource.path))
    if not any(is_snomed(system) and code is not None for _path, system, code in codings):
        return f"{a_kind(kind)} of the patient with no SNOMED CT coding"
    return None


@attrs.frozen
class Coded:
    """A SNOMED CT coding a code list accepts, found on a usable resource of the patient,
    with what decides whether it counts."""

    resource: Resource
    path: str
    """The JSON path of the coding."""
    code: str
    https: bool
    """Its system is written ``https://snomed.info/sct`` (read as ``http://``)."""
    verification: str | None
    """The Condition's verification status code (:data:`TEXT_ONLY` when given as text only);
    None when absent, and for an Observation."""
    date: FhirDate | None
    """The resource's date in England, when one was there and readable."""
    dated: bool
    """A date element was there to read (readable or not)."""


def _verification(resource: Resource, reader: ElementReader) -> str | None:
    """A Condition's verification status code: absent is None; one given as text only (no
    code) is ``unconfirmed``, never read as confirmed. Observations have none."""
    if resource.kind == "Observation":
        return None
    for _path, _system, code in reader.codings(resource.data, "verificationStatus", resource.path):
        if code is not None:
            return code
    if reader.mapping(resource.data, "verificationStatus", resource.path) is not None:
        return TEXT_ONLY
    return None


#: A verification status given as text only (no code): read as unconfirmed.
TEXT_ONLY: Final = "text only"


def _resource_date(resource: Resource, reader: ElementReader) -> tuple[FhirDate | None, bool]:
    """The date of a Condition or Observation, and whether an element was there to read."""
    keys = (
        ("recordedDate", "onsetDateTime")
        if resource.kind == "Condition"
        else ("effectiveDateTime", "issued")
    )
    for key in keys:
        if resource.data.get(key) is not None:
            return date_at(reader, resource.data, key, resource.path), True
    return None, False


def coded_findings(
    searched: ClinicalRecord, reader: ElementReader, wanted: Callable[[str], bool]
) -> list[Coded]:
    """Every SNOMED CT coding the ``wanted`` test accepts on the patient's usable Conditions
    and Observations, in input order, with its resource's verification status and date."""
    found = []
    for resource in searched.usable:
        for path, system, code in reader.codings(resource.data, "code", resource.path):
            if code is None or not is_snomed(system) or not wanted(code):
                continue
            verification = _verification(resource, reader)
            when, dated = _resource_date(resource, reader)
            found.append(
                Coded(resource, path, code, system == SNOMED_HTTPS, verification, when, dated)
            )
    return found
