"""The death notification (``leder.notification/1``, docs/notification-format.md) as values."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

import attrs

from leder_core.models.identifiers import DocumentId, OdsCode
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.wire import NOT_ON_WIRE, OMIT_IF_ASSUMED

__all__ = [
    "ASSUMABLE_FACTS",
    "AutismStatus",
    "Detention",
    "EthnicCategory",
    "Notification",
    "NotifierRole",
    "OtherProcess",
    "Person",
]


class NotifierRole(StrEnum):
    """Who told LeDeR about the death. Anyone may notify; the role never changes a decision."""

    FAMILY = "family"
    CARER = "carer"
    FRIEND = "friend"
    GP = "gp"
    HEALTH_PROFESSIONAL = "health_professional"
    SOCIAL_CARE_PROFESSIONAL = "social_care_professional"
    OTHER = "other"


class AutismStatus(StrEnum):
    """What is known of the person's autism. Only a diagnosis can qualify on its own."""

    DIAGNOSED = "diagnosed"
    SUSPECTED = "suspected"
    AWAITING_ASSESSMENT = "awaiting_assessment"
    NONE = "none"


class EthnicCategory(StrEnum):
    """NHS Data Dictionary ETHNIC CATEGORY (2001 census categories)."""

    WHITE_BRITISH = "A"
    WHITE_IRISH = "B"
    WHITE_OTHER = "C"
    MIXED_WHITE_AND_BLACK_CARIBBEAN = "D"
    MIXED_WHITE_AND_BLACK_AFRICAN = "E"
    MIXED_WHITE_AND_ASIAN = "F"
    MIXED_OTHER = "G"
    ASIAN_INDIAN = "H"
    ASIAN_PAKISTANI = "J"
    ASIAN_BANGLADESHI = "K"
    ASIAN_OTHER = "L"
    BLACK_CARIBBEAN = "M"
    BLACK_AFRICAN = "N"
    BLACK_OTHER = "P"
    CHINESE = "R"
    OTHER = "S"
    NOT_STATED = "Z"
    NOT_KNOWN = "99"


class Detention(StrEnum):
    """Whether the person died detained by the state, and under what."""

    NONE = "none"
    MENTAL_HEALTH_ACT = "mental_health_act"
    PRISON = "prison"
    POLICE_CUSTODY = "police_custody"
    IMMIGRATION_DETENTION = "immigration_detention"
    DEPRIVATION_OF_LIBERTY = "deprivation_of_liberty"


class OtherProcess(StrEnum):
    """Another formal process about the same death, which a LeDeR review waits for."""

    CORONER_INQUEST = "coroner_inquest"
    POLICE_INVESTIGATION = "police_investigation"
    SAFEGUARDING_ADULTS_REVIEW = "safeguarding_adults_review"
    SAFEGUARDING_ENQUIRY = "safeguarding_enquiry"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review"
    PATIENT_SAFETY_INVESTIGATION = "patient_safety_investigation"
    PRISONS_OMBUDSMAN = "prisons_ombudsman"
    IOPC_INVESTIGATION = "iopc_investigation"


_ASSUMABLE: Final = {OMIT_IF_ASSUMED: True}


@attrs.frozen(kw_only=True, repr=False)
class Person:
    """The person who died: the facts the rules use, and nothing more.

    Every field is person-level data, so the ``repr`` names the fields but shows no value.

    ``assumed`` names the facts of ``ASSUMABLE_FACTS`` the notification did not give, so
    that each holds its default by assumption: a reason resting on one says so ("No GP
    registration was given; ..."), and ``dump`` leaves it out again. Loading a document sets
    it; it is never a key of the document. A person built in Python states every fact unless
    ``assumed`` names it.
    """

    nhs_number: NhsNumber | None = None
    date_of_birth: date
    date_of_death: date
    learning_disability: bool
    autism: AutismStatus
    ethnicity: EthnicCategory | None = None
    lived_in_england: bool
    died_in_england: bool = attrs.field(default=True, metadata=_ASSUMABLE)
    gp_registered: bool = attrs.field(default=True, metadata=_ASSUMABLE)
    national_data_opt_out: bool = attrs.field(default=False, metadata=_ASSUMABLE)
    detention: Detention = attrs.field(default=Detention.NONE, metadata=_ASSUMABLE)
    assumed: frozenset[str] = attrs.field(default=frozenset(), metadata={NOT_ON_WIRE: True})

    def __repr__(self) -> str:
        names = ", ".join(f"{field.name}=<masked>" for field in attrs.fields(Person))
        return f"Person({names})"


#: The facts about the person a notification may leave out: each is then taken as its default
#: (died in England, registered with a GP, no national data opt-out, not detained). Read from
#: the fields of :class:`Person` marked ``OMIT_IF_ASSUMED``.
ASSUMABLE_FACTS: Final = tuple(
    field.name for field in attrs.fields(Person) if field.metadata.get(OMIT_IF_ASSUMED)
)


@attrs.frozen(kw_only=True)
class Notification:
    """A death notified to LeDeR: who, when, and which other processes are known.

    ``responsible_body`` is the ODS code of the CCG, ICS or ICB responsible for the review.
    """

    id: DocumentId
    notified_on: date
    notifier_role: NotifierRole
    person: Person
    other_processes: tuple[OtherProcess, ...] = ()
    responsible_body: OdsCode | None = None
