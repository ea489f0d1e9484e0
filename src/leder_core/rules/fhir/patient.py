"""The ``FHIR-*`` deciders that read the Patient: NHS number, birth, death, ethnicity, GP.

Each takes the patient's record (a model read by :mod:`leder_core.fhir.record`) and an
:class:`~leder_core.fhir.elements.ElementReader` collecting the problems of what it reads, and
gives a :class:`~leder_core.models.fhir.Decision`, or None when it refuses (the reason is then
among the problems). The NHS numbers, ethnic category codings and death notification status
and each GP practice are found by :mod:`leder_core.fhir.demographics`; the practices are read
entry by entry, as far as the first one registered on the date of death.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from leder_core.fhir.dates import parse_fhir_date, period_covers
from leder_core.fhir.demographics import (
    death_notification_status,
    ethnic_codings,
    nhs_numbers,
    practice,
    security_codes,
)
from leder_core.fhir.elements import ElementReader
from leder_core.fhir.systems import (
    ETHNIC_ENGLAND,
    KNOWN_SYSTEMS,
    NHS_NUMBER_SYSTEM,
    NHS_NUMBER_SYSTEM_STU3,
    RESTRICTED_SECURITY,
)
from leder_core.models.fhir import Decision, PatientRecord
from leder_core.models.notification import EthnicCategory

__all__ = ["date_of_birth", "date_of_death", "ethnicity", "gp_registered", "nhs_number"]

_ETHNIC_CODES: Final = frozenset(category.value for category in EthnicCategory)


def _system_named(system: str | None) -> str:
    """A code system as a fact text names it: a known address, else never the sender's text."""
    if system is not None and system in KNOWN_SYSTEMS:
        return f"the code system {system}"
    return "an unrecognised code system"


def nhs_number(record: PatientRecord, reader: ElementReader) -> Decision | None:
    """FHIR-NHS-NUMBER."""
    found = nhs_numbers(record.patient, reader)
    if not found:
        return Decision(
            None, None, f"The Patient has no identifier with system {NHS_NUMBER_SYSTEM}."
        )
    first = found[0]
    for other in found[1:]:
        if other.digits != first.digits:
            reader.problems.append(
                (other.path, "a second, different NHS number: supply person.nhs_number")
            )
            return None
    if first.retired:
        return Decision(
            first.digits,
            first.path,
            f"The Patient's identifier with the retired STU3 system {NHS_NUMBER_SYSTEM_STU3} "
            f"(read as {NHS_NUMBER_SYSTEM}) gives a valid NHS number.",
        )
    return Decision(
        first.digits,
        first.path,
        f"The Patient's identifier with system {NHS_NUMBER_SYSTEM} gives a valid NHS number.",
    )


def date_of_birth(record: PatientRecord, reader: ElementReader) -> Decision | None:
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


def date_of_death(record: PatientRecord, reader: ElementReader) -> Decision | None:
    """FHIR-DEATH."""
    patient = record.patient
    found_status = death_notification_status(patient, reader)
    status = None if found_status is None else found_status.code
    if found_status is not None and status == "U":
        reader.problems.append(
            (
                found_status.path,
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


def ethnicity(record: PatientRecord, reader: ElementReader) -> Decision | None:
    """FHIR-ETHNICITY."""
    england: list[tuple[str, str]] = []
    other: list[tuple[str, str | None]] = []
    for coding in ethnic_codings(record.patient, reader):
        if coding.system == ETHNIC_ENGLAND and coding.code is not None:
            england.append((coding.path, coding.code))
        else:
            other.append((coding.path, coding.system))
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


def gp_registered(
    record: PatientRecord, reader: ElementReader, died: date | None
) -> Decision | None:
    """FHIR-GP."""
    patient = record.patient
    practices = list(reader.objects(patient.data, "generalPractitioner", patient.path))
    unknown: list[str] = []
    outside = 0
    for path, entry in practices:
        found = practice(record, reader, path, entry)
        if found is None:
            unknown.append(path)
            continue
        identifier_path, how, period = found.path, found.how, found.period
        if period is not None and not isinstance(period, Mapping):
            reader.problems.append((f"{identifier_path}.period", "expected an object"))
            return None
        covers = period_covers(reader, period, f"{identifier_path}.period", died)
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
        return _no_practice(record, reader)
    return Decision(
        False,
        None,
        f"Patient.generalPractitioner names {outside} practice(s), none registered on the "
        "date of death (identifier period).",
    )


def _no_practice(record: PatientRecord, reader: ElementReader) -> Decision | None:
    """A Patient with no ``generalPractitioner``: not registered, unless the record is
    restricted (``meta.security`` R or V), which hides the practice."""
    patient = record.patient
    if security_codes(patient, reader) & RESTRICTED_SECURITY:
        reader.problems.append(
            (
                f"{patient.path}.meta.security",
                "a restricted record hides the GP practice: supply person.gp_registered",
            )
        )
        return None
    return Decision(False, None, "The Patient has no generalPractitioner.")
