"""Reviews, their workflow events, audit trail and status (docs/schemas.md).

The event classes are the wire events of ``leder.review/1``; each has a ``type`` (a class
variable) and the date it happened (``on``). A :class:`Review` holds the notification, the
assessment it was opened with, its state and the audit trail of accepted events; what the
history has established (contacts made, holds open, completion) is kept beside it so each step
is cheap, and is always exactly what replaying the history gives.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Assessment, Outcome, ReviewLevel, RuleSetId
from leder_core.models.explanation import Reason
from leder_core.models.identifiers import DocumentId
from leder_core.models.notification import Notification
from leder_core.models.wire import OMIT_IF_DEFAULT, OMIT_IF_NONE

__all__ = [
    "EVENT_CLASSES",
    "Action",
    "Allocated",
    "AuditEntry",
    "Closed",
    "ClosureReason",
    "ContactKind",
    "ContactRecorded",
    "Event",
    "EventType",
    "FamilyNotInvolved",
    "FamilyNotInvolvedReason",
    "FocusedReviewCompleted",
    "FocusedReviewRequested",
    "HoldLifted",
    "HoldPeriod",
    "HoldPlaced",
    "HoldReason",
    "InitialReviewCompleted",
    "Refusal",
    "RegionalDecision",
    "RequestedBy",
    "Review",
    "ReviewDocument",
    "ReviewResult",
    "ReviewState",
    "SignOffBy",
    "SignedOff",
    "Status",
    "StatusCode",
]


class ReviewState(StrEnum):
    """Where a review is in the workflow (docs/workflow.md)."""

    AWAITING_REGIONAL_DECISION = "awaiting_regional_decision"
    AWAITING_ALLOCATION = "awaiting_allocation"
    INITIAL_REVIEW = "initial_review"
    FOCUSED_REVIEW = "focused_review"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    COMPLETED = "completed"
    CLOSED = "closed"

    @property
    def terminal(self) -> bool:
        """Whether the review can accept no further event."""
        return self in (ReviewState.COMPLETED, ReviewState.CLOSED)


class EventType(StrEnum):
    """The workflow events of ``leder.review/1``."""

    REGIONAL_DECISION = "regional_decision"
    ALLOCATED = "allocated"
    CONTACT_RECORDED = "contact_recorded"
    FAMILY_NOT_INVOLVED = "family_not_involved"
    INITIAL_REVIEW_COMPLETED = "initial_review_completed"
    FOCUSED_REVIEW_REQUESTED = "focused_review_requested"
    FOCUSED_REVIEW_COMPLETED = "focused_review_completed"
    HOLD_PLACED = "hold_placed"
    HOLD_LIFTED = "hold_lifted"
    SIGNED_OFF = "signed_off"
    CLOSED = "closed"


class ContactKind(StrEnum):
    """Who the reviewer spoke to, or what they reviewed."""

    FAMILY = "family"
    CLOSE_PERSON = "close_person"
    GP = "gp"
    GP_RECORDS = "gp_records"
    OTHER_PROFESSIONAL = "other_professional"


class FamilyNotInvolvedReason(StrEnum):
    """Why the family was not involved in the review."""

    DECLINED = "declined"
    NO_FAMILY = "no_family"
    PERSON_WISHED = "person_wished"
    NOT_CONTACTABLE = "not_contactable"


class RequestedBy(StrEnum):
    """Who asked for a focused review."""

    FAMILY = "family"


class HoldReason(StrEnum):
    """Why a review is held: another formal process, or the family's request (DEAD-HOLDS)."""

    CORONER_INQUEST = "coroner_inquest"
    POLICE_INVESTIGATION = "police_investigation"
    SAFEGUARDING_ADULTS_REVIEW = "safeguarding_adults_review"
    SAFEGUARDING_ENQUIRY = "safeguarding_enquiry"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review"
    PATIENT_SAFETY_INVESTIGATION = "patient_safety_investigation"
    PRISONS_OMBUDSMAN = "prisons_ombudsman"
    IOPC_INVESTIGATION = "iopc_investigation"
    FAMILY_REQUESTED_DELAY = "family_requested_delay"


class SignOffBy(StrEnum):
    """Who signed a review off."""

    SENIOR_REVIEWER = "senior_reviewer"
    GOVERNANCE_GROUP = "governance_group"


class ClosureReason(StrEnum):
    """Why a review was closed by a ``closed`` event."""

    DUPLICATE = "duplicate"
    WITHDRAWN_INELIGIBLE = "withdrawn_ineligible"
    REGIONAL_DECISION_NOT_TO_PROCEED = "regional_decision_not_to_proceed"


@attrs.frozen(kw_only=True)
class RegionalDecision:
    """The NHS England regional coordinator decided whether to review (no GP registration)."""

    type: ClassVar[EventType] = EventType.REGIONAL_DECISION
    on: date
    proceed: bool


@attrs.frozen(kw_only=True)
class Allocated:
    """The local area contact allocated the review to a reviewer."""

    type: ClassVar[EventType] = EventType.ALLOCATED
    on: date
    reviewer: DocumentId
    independent: bool = True
    """The reviewer was not involved in the person's care."""
    from_service_where_died: bool = attrs.field(default=False, metadata={OMIT_IF_DEFAULT: True})
    """The reviewer is from the service where the person died (written only when true)."""


@attrs.frozen(kw_only=True)
class ContactRecorded:
    """The reviewer spoke to someone, or reviewed the GP records."""

    type: ClassVar[EventType] = EventType.CONTACT_RECORDED
    on: date
    contact: ContactKind


@attrs.frozen(kw_only=True)
class FamilyNotInvolved:
    """The reason the family is not involved was recorded."""

    type: ClassVar[EventType] = EventType.FAMILY_NOT_INVOLVED
    on: date
    reason: FamilyNotInvolvedReason


@attrs.frozen(kw_only=True)
class InitialReviewCompleted:
    """The initial review was completed, with or without concerns or further learning."""

    type: ClassVar[EventType] = EventType.INITIAL_REVIEW_COMPLETED
    on: date
    concerns: bool
    further_learning: bool


@attrs.frozen(kw_only=True)
class FocusedReviewRequested:
    """The family asked for a focused review."""

    type: ClassVar[EventType] = EventType.FOCUSED_REVIEW_REQUESTED
    on: date
    by: RequestedBy = RequestedBy.FAMILY


@attrs.frozen(kw_only=True)
class FocusedReviewCompleted:
    """The focused (or multi-agency) review was completed."""

    type: ClassVar[EventType] = EventType.FOCUSED_REVIEW_COMPLETED
    on: date


@attrs.frozen(kw_only=True)
class HoldPlaced:
    """The review was put on hold for another process or at the family's request."""

    type: ClassVar[EventType] = EventType.HOLD_PLACED
    on: date
    process: HoldReason


@attrs.frozen(kw_only=True)
class HoldLifted:
    """A hold was lifted."""

    type: ClassVar[EventType] = EventType.HOLD_LIFTED
    on: date
    process: HoldReason


@attrs.frozen(kw_only=True)
class Action:
    """An action agreed at sign-off: what, who owns it, and by when."""

    # What a person wrote (the action, who owns it) is never shown in a repr.
    description: str = attrs.field(repr=False)
    owner: str | None = attrs.field(default=None, repr=False)
    due_on: date | None = None


@attrs.frozen(kw_only=True)
class SignedOff:
    """The review was signed off, with the actions agreed or the reason there are none."""

    type: ClassVar[EventType] = EventType.SIGNED_OFF
    on: date
    by: SignOffBy
    actions: tuple[Action, ...] = ()
    no_actions_reason: str | None = attrs.field(default=None, repr=False)  # a person's words


@attrs.frozen(kw_only=True)
class Closed:
    """The review was closed without completion."""

    type: ClassVar[EventType] = EventType.CLOSED
    on: date
    reason: ClosureReason


#: Any workflow event.
Event = (
    RegionalDecision
    | Allocated
    | ContactRecorded
    | FamilyNotInvolved
    | InitialReviewCompleted
    | FocusedReviewRequested
    | FocusedReviewCompleted
    | HoldPlaced
    | HoldLifted
    | SignedOff
    | Closed
)

#: The event class of each event type.
EVENT_CLASSES: dict[EventType, type[Event]] = {
    kind.type: kind
    for kind in (
        RegionalDecision,
        Allocated,
        ContactRecorded,
        FamilyNotInvolved,
        InitialReviewCompleted,
        FocusedReviewRequested,
        FocusedReviewCompleted,
        HoldPlaced,
        HoldLifted,
        SignedOff,
        Closed,
    )
}


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One accepted event in a review's history: what happened and which rules allowed it."""

    event: Event
    from_: ReviewState
    to: ReviewState
    ruleset: RuleSetId | None
    rules: tuple[str, ...]
    recorded: int | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    """Under INT-EVENT-ORDER ``dated``: the 0-based position in which the event was recorded
    (the history itself is in date order); ``None`` (and not written) under ``recorded``."""


@attrs.frozen(kw_only=True)
class Refusal:
    """An event refused while replaying a review document: its position, itself and why."""

    index: int
    event: Event
    reasons: tuple[Reason, ...]


@attrs.frozen(kw_only=True)
class HoldPeriod:
    """A hold from the day it was placed until the day it was lifted (``None``: still open)."""

    process: HoldReason
    placed_on: date
    lifted_on: date | None = None

    @property
    def open(self) -> bool:
        """Whether the hold has not been lifted."""
        return self.lifted_on is None


@attrs.frozen(kw_only=True)
class ReviewDocument:
    """A ``leder.review/1`` document as it arrives: the notification and its events."""

    notification: Notification
    events: tuple[Event, ...] = ()
    interpretation: Interpretation | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    """The interpretation the review was opened under (``leder.interpretation/1``), when it
    records one."""


@attrs.frozen(kw_only=True)
class Review:
    """A LeDeR review: the notification, how it was assessed, where it is, how it got there.

    Build one with :func:`~leder_core.load_review` and move it with :func:`~leder_core.apply`;
    both keep the fields after ``refused`` consistent with the history.
    """

    notification: Notification
    interpretation: Interpretation
    assessment: Assessment
    state: ReviewState
    review_level: ReviewLevel | None
    history: tuple[AuditEntry, ...] = ()
    refused: Refusal | None = None
    family_requested: bool = False
    """The family asked for a focused review."""
    contacts: frozenset[ContactKind] = frozenset()
    family_not_involved: bool = False
    holds: tuple[HoldPeriod, ...] = ()
    """Every hold placed, in the order placed."""
    completed_on: date | None = None
    """The sign-off date of a completed review."""
    closure: ClosureReason | Outcome | None = None
    """Why a closed review was closed: a ``closed`` event's reason, or the outcome that meant
    there was no review to do."""
    interpretation_given: bool = False
    """The review was opened or loaded with an interpretation given (as an argument or in its
    document): ``dump`` then writes it in the review document."""

    @property
    def ruleset(self) -> RuleSetId | None:
        """The rule set the review was assessed under."""
        return self.assessment.ruleset

    @property
    def events(self) -> tuple[Event, ...]:
        """The accepted events, in the order of the history (date order under INT-EVENT-ORDER
        ``dated``)."""
        return tuple(entry.event for entry in self.history)

    @property
    def recorded_events(self) -> tuple[Event, ...]:
        """The accepted events in the order they were recorded: the review document's log."""
        history = self.history
        if not history or history[0].recorded is None:
            return tuple(entry.event for entry in history)
        return tuple(entry.event for entry in sorted(history, key=_recorded_position))

    @property
    def open_holds(self) -> tuple[HoldReason, ...]:
        """The processes holding the review now, in the order placed."""
        return tuple(hold.process for hold in self.holds if hold.lifted_on is None)


def _recorded_position(entry: AuditEntry) -> int:
    return entry.recorded or 0


class StatusCode(StrEnum):
    """DEAD-STATUS: where a review stands against its due date on a given day."""

    CLOSED = "closed"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    ON_HOLD = "on_hold"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"


@attrs.frozen(kw_only=True)
class Status:
    """The status of a review as of a date; ``excused`` only for late or overdue reviews."""

    as_of: date
    code: StatusCode
    excused: bool = False


@attrs.frozen(kw_only=True)
class ReviewResult:
    """A review as of a date with its status (``leder.review-result/1``)."""

    notification_id: str
    ruleset: RuleSetId | None
    state: ReviewState
    review_level: ReviewLevel | None
    due_on: date | None
    status: Status
    open_holds: tuple[HoldReason, ...]
    enabled_events: tuple[EventType, ...]
    history: tuple[AuditEntry, ...]
    interpretation: Interpretation
    refused: Refusal | None
