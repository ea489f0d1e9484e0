"""The ``FHIR-*`` deciders that search the clinical record: learning disability and autism.

Each takes the patient's :class:`~leder_core.models.fhir.ClinicalRecord` (read by
:mod:`leder_core.fhir.clinical`), the code lists and the date of death, and gives a
:class:`~leder_core.models.fhir.Decision`, or None when it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from leder_core.fhir.clinical import TEXT_ONLY, Coded, coded_findings
from leder_core.fhir.codelists import CodeLists
from leder_core.fhir.elements import ElementReader
from leder_core.fhir.systems import (
    EXCLUDED_VERIFICATION,
    SUSPECTED_AUTISM,
    SUSPECTED_VERIFICATION,
)
from leder_core.models.fhir import ClinicalRecord, Decision
from leder_core.models.notification import AutismStatus

__all__ = ["autism", "learning_disability"]


def _status_text(verification: str | None) -> str:
    if verification is None:
        return "no verification status"
    if verification == TEXT_ONLY:
        return "a verification status given as text only (read as unconfirmed)"
    return verification


def _how_dated(coded: Coded) -> str:
    return "dated on or before the death" if coded.dated else "undated (counted as before)"


def _https_note(coded: Coded) -> str:
    return " (its SNOMED CT system is written https://, read as http://)" if coded.https else ""


def _why_not_counted(coded: Coded, died: date | None) -> str | None:
    """Why a matching coding does not count, or None when it does: excluded or unrecognised
    verification, an unreadable date, or dated after the death."""
    verification = coded.verification
    if verification in EXCLUDED_VERIFICATION:
        return verification
    if verification is not None and verification not in (
        "confirmed",
        TEXT_ONLY,
        *SUSPECTED_VERIFICATION,
    ):
        return "an unrecognised verification status"
    if coded.dated and coded.date is None:
        return "an unreadable date"
    if coded.date is not None and died is not None and coded.date.first > died:
        return "dated after the death"
    return None


def _counted(
    searched: ClinicalRecord,
    reader: ElementReader,
    wanted: Callable[[str], bool],
    died: date | None,
) -> tuple[list[Coded], str]:
    """The matching codings that count, in input order, and the sentence on those that do not
    (empty when all count)."""
    counted: list[Coded] = []
    skipped: set[str] = set()
    skipped_count = 0
    for coded in coded_findings(searched, reader, wanted):
        why_not = _why_not_counted(coded, died)
        if why_not is None:
            counted.append(coded)
        else:
            skipped.add(why_not)
            skipped_count += 1
    if not skipped_count:
        return counted, ""
    reasons = ", ".join(sorted(skipped))
    return counted, f" {skipped_count} matching coding(s) not counted: {reasons}."


def _searched(searched: ClinicalRecord) -> str:
    """How many Conditions and Observations were searched, and how many could not be used."""
    text = f"{searched.searched} Condition(s) and Observation(s) of the patient searched"
    if searched.unusable:
        text += f" ({len(searched.unusable)} of them not usable: listed as ignored)"
    return text


def _absent(reader: ElementReader, field: str) -> None:
    """No Condition or Observation of the patient: the fact is unknown, never "no"."""
    reader.problems.append(
        (
            f"supplied.{field}",
            "the record holds no Condition or Observation of the patient, and a demographic "
            f"record alone says nothing about diagnoses: supply {field}",
        )
    )


def learning_disability(
    searched: ClinicalRecord, reader: ElementReader, codes: CodeLists, died: date | None
) -> Decision | None:
    """FHIR-LEARNING-DISABILITY."""
    if not searched.searched:
        _absent(reader, "person.learning_disability")
        return None
    code_list = codes.learning_disability
    counted, not_counted = _counted(searched, reader, code_list.__contains__, died)
    if counted:
        first = counted[0]
        return Decision(
            True,
            first.path,
            f"{first.resource.named} is coded SNOMED CT {first.code} "
            f"{code_list.term(first.code)} ({code_list.described}), "
            f"{_status_text(first.verification)}, {_how_dated(first)}{_https_note(first)}.",
        )
    return Decision(
        False,
        None,
        f"No coded learning disability found: {_searched(searched)} against "
        f"{code_list.described} ({len(code_list)} concepts)." + not_counted,
    )


def autism(
    searched: ClinicalRecord, reader: ElementReader, codes: CodeLists, died: date | None
) -> Decision | None:
    """FHIR-AUTISM."""
    if not searched.searched:
        _absent(reader, "person.autism")
        return None
    code_list = codes.autism

    def wanted(code: str) -> bool:
        return code in code_list or code == SUSPECTED_AUTISM

    counted, not_counted = _counted(searched, reader, wanted, died)
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
            f"{first.resource.named} is coded SNOMED CT {first.code} "
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
            f"{first.resource.named} is coded {what}, {_how_dated(first)}"
            f"{_https_note(first)}: suspected.",
        )
    return Decision(
        AutismStatus.NONE.value,
        None,
        f"No coded autism found: {_searched(searched)} against {code_list.described} "
        f"({len(code_list)} concepts) and SNOMED CT {SUSPECTED_AUTISM} Suspected autism."
        + not_counted,
    )
