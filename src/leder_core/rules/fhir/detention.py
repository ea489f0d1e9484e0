"""The ``FHIR-DETENTION`` decider: a detention from an Encounter covering the date of death."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from leder_core.fhir.dates import period_covers
from leder_core.fhir.elements import ElementReader
from leder_core.fhir.systems import (
    LEGAL_STATUS_ENGLAND,
    LEGAL_STATUS_EXTENSION,
    LOCATION_DETENTION,
    LOCATION_TYPE_ENGLAND,
    MHA_DETENTION_CODES,
)
from leder_core.models.fhir import Decision, PatientRecord, Resource
from leder_core.models.notification import Detention

__all__ = ["detention"]


def detention(record: PatientRecord, reader: ElementReader, died: date | None) -> Decision | None:
    """FHIR-DETENTION."""
    kinds: list[tuple[Detention, str, str]] = []
    covering = 0
    for encounter in record.about["Encounter"]:
        period = reader.mapping(encounter.data, "period", encounter.path)
        if period is None or period.get("start") is None:
            continue  # an Encounter without a start covers nothing
        covers = period_covers(reader, period, f"{encounter.path}.period", died)
        if not covers:
            continue
        covering += 1
        kinds += _detentions(encounter, reader)
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


def _detentions(encounter: Resource, reader: ElementReader) -> Iterator[tuple[Detention, str, str]]:
    """``(kind, path, text)`` of each detention an Encounter shows: its UK Core legal statuses
    (England), then its locations' types."""
    for path, _coding_path, system, code in reader.extension_codings(
        encounter.data, encounter.path, LEGAL_STATUS_EXTENSION, "legalStatusClassification"
    ):
        if system == LEGAL_STATUS_ENGLAND and code in MHA_DETENTION_CODES:
            yield (
                Detention.MENTAL_HEALTH_ACT,
                path,
                f"{encounter.named} covers the date of death with a UK Core legal status "
                f"(England) of {code}, a detention under the Mental Health Act or related acts",
            )
    for path, location in reader.objects(encounter.data, "location", encounter.path):
        for coding_path, system, code in reader.codings(location, "physicalType", path):
            if system == LOCATION_TYPE_ENGLAND and code is not None and code in LOCATION_DETENTION:
                kind = LOCATION_DETENTION[code]
                yield (
                    kind,
                    coding_path,
                    f"{encounter.named} covers the date of death at a location of type {code} "
                    f"(England), {kind.value.replace('_', ' ')}",
                )
