"""The review workflow (docs/workflow.md): states, events, guards that say why.

The transition table :data:`TRANSITIONS` is plain data: the code that moves a review, the
list of enabled events and the diagrams are all read from it. ``leder-2016`` uses the same
machine, with ``multi_agency`` as its deeper level where ``leder-2021`` has ``focused``.

:func:`apply` is pure: it returns a new review with one more audit entry, or raises
:class:`~leder_core.TransitionRefused` naming every failed check, in the rulebook's order:
FLOW-TERMINAL alone for a completed or closed review; otherwise FLOW-DATES, the event's own
rule when the state does not accept the event (its guards are then not checked),
FLOW-HOLD-BLOCKS, then the event's guards.

Under INT-EVENT-ORDER ``dated`` an event dated before the review's last event is placed by
its date and the events after it are replayed (FLOW-LATE-ENTRY): the history is kept in date
order, each entry with the position its event was recorded in (``recorded``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from leder_core.errors import TransitionRefused
from leder_core.interpretation import EventOrder, Interpretation
from leder_core.models._construct import constructor
from leder_core.models.assessment import Assessment, Outcome, ReviewLevel
from leder_core.models.explanation import Reason
from leder_core.models.notification import Notification
from leder_core.models.review import (
    Action,
    Allocated,
    AuditEntry,
    Closed,
    ClosureReason,
    ContactKind,
    ContactRecorded,
    Event,
    EventType,
    FamilyNotInvolved,
    HoldLifted,
    HoldPeriod,
    HoldPlaced,
    HoldReason,
    InitialReviewCompleted,
    Refusal,
    RegionalDecision,
    Review,
    ReviewDocument,
    ReviewState,
    SignedOff,
    SignOffBy,
)
from leder_core.rules.assess import DEFAULT_INTERPRETATION, assess
from leder_core.rules.registry import Confidence, Rule, as_decisive, define_rule
from leder_core.rules.rulesets import RULESETS

__all__ = [
    "OPEN_STATES",
    "TRANSITIONS",
    "Transition",
    "apply",
    "enabled_events",
    "events_until",
    "open_review",
    "replay",
    "review_of",
]

S = ReviewState
OPEN_STATES: Final = (
    S.AWAITING_REGIONAL_DECISION,
    S.AWAITING_ALLOCATION,
    S.INITIAL_REVIEW,
    S.FOCUSED_REVIEW,
    S.AWAITING_SIGN_OFF,
)

# --- the rules ----------------------------------------------------------------------------

FLOW_REGIONAL: Final = define_rule(
    "FLOW-REGIONAL",
    title="Regional decision on a death with no GP registration",
    text="A review awaiting a regional decision goes to allocation when the NHS England regional "
    "coordinator decides to proceed, and is closed when they decide not to. The decision is "
    "accepted only in that state.",
    section="§8",
    sources=("leder-faq",),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_ALLOCATE: Final = define_rule(
    "FLOW-ALLOCATE",
    title="Allocation to an independent reviewer",
    text="The local area contact allocates a review awaiting allocation to a reviewer, who must "
    "not have been involved in the person's care and must not be from the service where the "
    "person died.",
    section="§8",
    sources=("reviewer-independence", "leder-roles"),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_CONTACT: Final = define_rule(
    "FLOW-CONTACT",
    title="Contacts during a review",
    text="During an initial or focused review the reviewer records who they spoke to (family, "
    "someone close to the person, the GP, other professionals), that the GP records were "
    "reviewed, or why the family is not involved.",
    section="§8",
    sources=("leder-process", "leder-working-with-families"),
    confidence=Confidence.CONFIRMED,
)
FLOW_INITIAL_COMPLETE: Final = define_rule(
    "FLOW-INITIAL-COMPLETE",
    title="Completing the initial review",
    text="When the initial review is completed the review goes on to a focused review if a "
    "mandatory trigger applies, the family asked for one, or the reviewer found concerns or "
    "further learning; otherwise it awaits sign-off.",
    section="§8",
    sources=("leder-process", "leder-faq"),
    confidence=Confidence.CONFIRMED,
)
FLOW_MIN_CONTACTS: Final = define_rule(
    "FLOW-MIN-CONTACTS",
    title="The minimum contacts of an initial review",
    text="An initial review can be completed only when a family member or someone close to the "
    "person was contacted (or the reason the family is not involved was recorded), the GP was "
    "spoken to or the GP records reviewed, and at least one other professional involved in the "
    "person's care was contacted.",
    section="§8",
    sources=("leder-process", "mip-2021-autism"),
    confidence=Confidence.CONFIRMED,
)
FLOW_FAMILY_REQUEST: Final = define_rule(
    "FLOW-FAMILY-REQUEST",
    title="A family can always ask for a focused review",
    text="A family's request for a focused review is accepted in any open state and raises the "
    "level at once; a review awaiting sign-off at the initial level goes back to a focused "
    "review, elsewhere the focused review follows when the initial review is completed.",
    section="§8",
    sources=("leder-process", "nhse-announcement-2021", "mip-2021-autism"),
    confidence=Confidence.CONFIRMED,
)
FLOW_FOCUSED_COMPLETE: Final = define_rule(
    "FLOW-FOCUSED-COMPLETE",
    title="Completing the focused review",
    text="A completed focused review awaits sign-off.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.CONFIRMED,
)
FLOW_SIGN_OFF: Final = define_rule(
    "FLOW-SIGN-OFF",
    title="Sign-off",
    text="A focused review is signed off by the local governance group, with at least one "
    "agreed action (each with an owner and a due date) or the reason no action is needed. An "
    "initial-level review is signed off by a senior reviewer or the governance group. In the "
    "2016 rule set the local steering group signs as the governance group and multi-agency "
    "reviews follow the focused rule.",
    section="§8",
    sources=("leder-who-is-involved", "leder-roles"),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_HOLD: Final = define_rule(
    "FLOW-HOLD",
    title="Placing and lifting holds",
    text="An open review may be put on hold for another formal process, or at the family's "
    "request; there is one open hold per process, and only an open hold can be lifted.",
    section="§8",
    sources=("leder-process", "pq-hl10253"),
    confidence=Confidence.CONFIRMED,
)
FLOW_HOLD_BLOCKS: Final = define_rule(
    "FLOW-HOLD-BLOCKS",
    title="A hold blocks completion and sign-off",
    text="While any hold is open, the initial review cannot be completed, the focused review "
    "cannot be completed and the review cannot be signed off: the LeDeR review waits for the "
    "other process.",
    section="§8",
    sources=("leder-process", "pq-hl10254"),
    confidence=Confidence.CONFIRMED,
)
FLOW_CLOSE: Final = define_rule(
    "FLOW-CLOSE",
    title="Closing a review without completion",
    text="An open review may be closed as a duplicate, as withdrawn because it was not eligible, "
    "or because the regional coordinator decided not to proceed.",
    section="§8",
    sources=("leder-faq", "lincs-lmc-opt-out"),
    confidence=Confidence.INFERRED,
)
FLOW_DATES: Final = define_rule(
    "FLOW-DATES",
    title="Events in date order",
    text="An event may not be dated before the notification date nor before the previous "
    "event's date: the history is a record, in order, of what happened. Under the `dated` "
    "event order an event need only not be dated before the notification date.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.INFERRED,
    interpretations=("INT-EVENT-ORDER",),
)
FLOW_LATE_ENTRY: Final = define_rule(
    "FLOW-LATE-ENTRY",
    title="Late entries placed by their date",
    text="Under the `dated` event order, an event dated before the review's last event is "
    "placed after every event dated on or before its date, and the events after it are "
    "replayed; it is accepted only if it and every later event are still accepted there, "
    "otherwise it is refused with the rule of the first event that would fail and that "
    "event's position.",
    section="§8",
    sources=("leder-process", "leder-who-is-involved"),
    confidence=Confidence.INFERRED,
    interpretations=("INT-EVENT-ORDER",),
)
FLOW_TERMINAL: Final = define_rule(
    "FLOW-TERMINAL",
    title="Completed and closed reviews accept nothing",
    text="No event is accepted once a review is completed or closed: its history is final.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.INFERRED,
)

# --- the transition table -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Transition:
    """What an event does: the rule that governs it, and where it may lead from each state."""

    event: EventType
    rule: Rule
    targets: Mapping[ReviewState, tuple[ReviewState, ...]]
    """For each state that accepts the event, the states it may lead to."""
    guards: tuple[Rule, ...] = ()
    """Rules checked besides the event's own, when the state accepts the event."""
    blocked_by_holds: bool = False
    when: Mapping[ReviewState, str] = attrs.field(factory=dict)
    """When the event may lead to more than one state: the condition for each target."""

    @property
    def sources(self) -> tuple[ReviewState, ...]:
        """The states that accept the event."""
        return tuple(self.targets)


def _stays(*states: ReviewState) -> dict[ReviewState, tuple[ReviewState, ...]]:
    return {state: (state,) for state in states}


TRANSITIONS: Final[Mapping[EventType, Transition]] = MappingProxyType(
    {
        transition.event: transition
        for transition in (
            Transition(
                event=EventType.REGIONAL_DECISION,
                rule=FLOW_REGIONAL,
                targets={S.AWAITING_REGIONAL_DECISION: (S.AWAITING_ALLOCATION, S.CLOSED)},
                when={S.AWAITING_ALLOCATION: "proceed", S.CLOSED: "not to proceed"},
            ),
            Transition(
                event=EventType.ALLOCATED,
                rule=FLOW_ALLOCATE,
                targets={S.AWAITING_ALLOCATION: (S.INITIAL_REVIEW,)},
            ),
            Transition(
                event=EventType.CONTACT_RECORDED,
                rule=FLOW_CONTACT,
                targets=_stays(S.INITIAL_REVIEW, S.FOCUSED_REVIEW),
            ),
            Transition(
                event=EventType.FAMILY_NOT_INVOLVED,
                rule=FLOW_CONTACT,
                targets=_stays(S.INITIAL_REVIEW, S.FOCUSED_REVIEW),
            ),
            Transition(
                event=EventType.INITIAL_REVIEW_COMPLETED,
                rule=FLOW_INITIAL_COMPLETE,
                targets={S.INITIAL_REVIEW: (S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF)},
                guards=(FLOW_MIN_CONTACTS,),
                blocked_by_holds=True,
                when={
                    S.FOCUSED_REVIEW: "a trigger, a family request, concerns or further learning",
                    S.AWAITING_SIGN_OFF: "otherwise",
                },
            ),
            Transition(
                event=EventType.FOCUSED_REVIEW_REQUESTED,
                rule=FLOW_FAMILY_REQUEST,
                targets={
                    **_stays(
                        S.AWAITING_REGIONAL_DECISION,
                        S.AWAITING_ALLOCATION,
                        S.INITIAL_REVIEW,
                        S.FOCUSED_REVIEW,
                    ),
                    S.AWAITING_SIGN_OFF: (S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF),
                },
                when={S.FOCUSED_REVIEW: "at the initial level"},
            ),
            Transition(
                event=EventType.FOCUSED_REVIEW_COMPLETED,
                rule=FLOW_FOCUSED_COMPLETE,
                targets={S.FOCUSED_REVIEW: (S.AWAITING_SIGN_OFF,)},
                blocked_by_holds=True,
            ),
            Transition(
                event=EventType.HOLD_PLACED,
                rule=FLOW_HOLD,
                targets=_stays(*OPEN_STATES),
            ),
            Transition(
                event=EventType.HOLD_LIFTED,
                rule=FLOW_HOLD,
                targets=_stays(*OPEN_STATES),
            ),
            Transition(
                event=EventType.SIGNED_OFF,
                rule=FLOW_SIGN_OFF,
                targets={S.AWAITING_SIGN_OFF: (S.COMPLETED,)},
                blocked_by_holds=True,
            ),
            Transition(
                event=EventType.CLOSED,
                rule=FLOW_CLOSE,
                targets=dict.fromkeys(OPEN_STATES, (S.CLOSED,)),
            ),
        )
    }
)

# --- opening and moving a review ----------------------------------------------------------

_OPENING_STATE: Final = {
    Outcome.LEDER_REVIEW: S.AWAITING_ALLOCATION,
    Outcome.REGIONAL_DECISION: S.AWAITING_REGIONAL_DECISION,
}


def open_review(
    notification: Notification,
    *,
    interpretation: Interpretation | None = None,
) -> Review:
    """A review as it opens on notification (§8): awaiting allocation for a LeDeR review,
    awaiting a regional decision, or closed with the outcome as its reason.

    An ``interpretation`` given is the review's own from now on (``dump`` writes it)."""
    chosen = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    return _opened(
        notification,
        chosen,
        assess(notification, interpretation=chosen),
        given=interpretation is not None,
    )


def _opened(
    notification: Notification,
    interpretation: Interpretation,
    assessment: Assessment,
    *,
    given: bool,
) -> Review:
    state = _OPENING_STATE.get(assessment.outcome, S.CLOSED)
    return Review(
        notification=notification,
        interpretation=interpretation,
        assessment=assessment,
        state=state,
        review_level=assessment.review_level,
        closure=assessment.outcome if state is S.CLOSED else None,
        interpretation_given=given,
    )


# Reviews and audit entries are built by the million in bulk replay: from their fields in
# order, the same objects as their classes' own constructors give (leder_core.rules._construct).
_review: Final = constructor(Review)
_audit_entry: Final = constructor(AuditEntry)


class _Progress:
    """A review being moved: mutable while one event or a whole replay is applied."""

    __slots__ = (
        "assessment",
        "closure",
        "completed_on",
        "contacts",
        "dated",
        "family_not_involved",
        "family_requested",
        "history",
        "holds",
        "interpretation",
        "interpretation_given",
        "last_on",
        "notification",
        "notified_on",
        "review_level",
        "ruleset",
        "state",
    )

    def __init__(self, review: Review) -> None:
        self.notification = review.notification
        self.interpretation = review.interpretation
        self.interpretation_given = review.interpretation_given
        self.dated = review.interpretation.event_order is EventOrder.DATED
        self.assessment = review.assessment
        self.ruleset = review.assessment.ruleset
        self.notified_on = review.notification.notified_on
        # The date the next event may not be before (FLOW-DATES).
        self.last_on = review.history[-1].event.on if review.history else self.notified_on
        self.state = review.state
        self.review_level = review.review_level
        self.history = list(review.history)
        self.family_requested = review.family_requested
        self.contacts = set(review.contacts)
        self.family_not_involved = review.family_not_involved
        self.holds = list(review.holds)
        self.completed_on = review.completed_on
        self.closure = review.closure

    @classmethod
    def opening(
        cls,
        notification: Notification,
        interpretation: Interpretation,
        assessment: Assessment,
        *,
        given: bool,
    ) -> _Progress:
        """The progress of the review :func:`_opened` gives, without building that review."""
        progress = cls.__new__(cls)
        progress.notification = notification
        progress.interpretation = interpretation
        progress.interpretation_given = given
        progress.dated = interpretation.event_order is EventOrder.DATED
        progress.assessment = assessment
        progress.ruleset = assessment.ruleset
        progress.notified_on = progress.last_on = notification.notified_on
        state = _OPENING_STATE.get(assessment.outcome, S.CLOSED)
        progress.state = state
        progress.review_level = assessment.review_level
        progress.history = []
        progress.family_requested = False
        progress.contacts = set()
        progress.family_not_involved = False
        progress.holds = []
        progress.completed_on = None
        progress.closure = assessment.outcome if state is S.CLOSED else None
        return progress

    def freeze(self, refused: Refusal | None = None) -> Review:
        # Built directly rather than with attrs.evolve, which is several times slower and
        # runs once per review loaded in bulk.
        return _review(
            self.notification,
            self.interpretation,
            self.assessment,
            self.state,
            self.review_level,
            tuple(self.history),
            refused,
            self.family_requested,
            frozenset(self.contacts),
            self.family_not_involved,
            tuple(self.holds),
            self.completed_on,
            self.closure,
            self.interpretation_given,
        )

    def restart(self) -> _Progress:
        """The progress of this review as it opened, before any event."""
        return _Progress.opening(
            self.notification,
            self.interpretation,
            self.assessment,
            given=self.interpretation_given,
        )

    def take(self, other: _Progress) -> None:
        """Become ``other`` (a replay of this review that was accepted)."""
        for name in _Progress.__slots__:
            setattr(self, name, getattr(other, name))

    @property
    def deeper_level(self) -> ReviewLevel:
        ruleset = self.assessment.ruleset
        if ruleset is None:  # pragma: no cover - an open review always has a rule set
            raise RuntimeError("an open review without a rule set")
        return RULESETS[ruleset].deeper_level

    def open_hold(self, process: HoldReason) -> int | None:
        for index, hold in enumerate(self.holds):
            if hold.process is process and hold.lifted_on is None:
                return index
        return None


def _missing_contacts(progress: _Progress) -> list[str]:
    contacts = progress.contacts
    missing = []
    if not (
        ContactKind.FAMILY in contacts
        or ContactKind.CLOSE_PERSON in contacts
        or progress.family_not_involved
    ):
        missing.append(
            "no family member or person close to them was contacted, and no reason for not "
            "involving the family was recorded"
        )
    if not (ContactKind.GP in contacts or ContactKind.GP_RECORDS in contacts):
        missing.append("the GP was not spoken to and the GP records were not reviewed")
    if ContactKind.OTHER_PROFESSIONAL not in contacts:
        missing.append("no other professional involved in the person's care was contacted")
    return missing


def _complete_actions(actions: Iterable[Action]) -> bool:
    listed = tuple(actions)
    return bool(listed) and all(
        action.owner is not None and action.owner.strip() and action.due_on is not None
        for action in listed
    )


def _sign_off_problems(progress: _Progress, event: SignedOff) -> list[str]:
    """What a sign-off fails, one sentence per failed check (none for an initial review)."""
    if progress.review_level is ReviewLevel.INITIAL:
        return []  # a senior reviewer or the governance group may sign an initial review
    level = (progress.review_level.value if progress.review_level else "deeper").replace("_", "-")
    problems = []
    if event.by is not SignOffBy.GOVERNANCE_GROUP:
        problems.append(
            f"Sign-off refused: a {level} review is signed off by the governance group, not "
            f"by the {event.by.value.replace('_', ' ')}."
        )
    reason = event.no_actions_reason
    if not (_complete_actions(event.actions) or (reason is not None and reason.strip())):
        problems.append(
            f"Sign-off refused: a {level} review needs at least one agreed action, each with an "
            "owner and a due date, or the reason no action is needed."
        )
    return problems


def _allocation_problems(event: Allocated) -> list[str]:
    """What an allocation fails, one sentence per failed check."""
    problems = []
    if not event.independent:
        problems.append(
            "The reviewer was involved in the person's care: a review must be allocated to an "
            "independent reviewer."
        )
    if event.from_service_where_died:
        problems.append(
            "The reviewer is from the service where the person died: a review must be allocated "
            "to a reviewer from another service."
        )
    return problems


def _guard_failures(progress: _Progress, event: Event) -> list[Reason]:
    """The failures of the event's own field guards and of its extra guard rules."""
    if isinstance(event, Allocated):
        return [FLOW_ALLOCATE.reason(False, text) for text in _allocation_problems(event)]
    elif isinstance(event, InitialReviewCompleted):
        missing = _missing_contacts(progress)
        if missing:
            text = "The initial review's minimum contacts are not met: " + "; ".join(missing)
            return [FLOW_MIN_CONTACTS.reason(False, text + ".")]
    elif isinstance(event, SignedOff):
        # One reason per failed check, each naming what failed (every failing check is given).
        return [FLOW_SIGN_OFF.reason(False, text) for text in _sign_off_problems(progress, event)]
    elif isinstance(event, HoldPlaced):
        if progress.open_hold(event.process) is not None:
            return [
                FLOW_HOLD.reason(
                    False,
                    f"A hold for {event.process.value} is already open: one open hold per process.",
                )
            ]
    elif isinstance(event, HoldLifted) and progress.open_hold(event.process) is None:
        return [
            FLOW_HOLD.reason(False, f"There is no open hold for {event.process.value} to lift.")
        ]
    return []


def _rules_applied(transition: Transition) -> tuple[str, ...]:
    """The rules an accepted event of this kind was checked against, in order."""
    applied = ["FLOW-DATES", transition.rule.id]
    if transition.blocked_by_holds:
        applied.append(FLOW_HOLD_BLOCKS.id)
    return (*applied, *(guard.id for guard in transition.guards))


# The same for every accepted event of a type, so computed once.
_RULES_APPLIED: Final = {event: _rules_applied(t) for event, t in TRANSITIONS.items()}
_TERMINAL: Final = frozenset({S.COMPLETED, S.CLOSED})


def _checks(progress: _Progress, event: Event) -> list[Reason]:
    """The failed checks of an event, in the rulebook's order; empty when it is accepted."""
    state = progress.state
    if state in _TERMINAL:
        return [FLOW_TERMINAL.reason(False, f"The review is {state.value}: no event is accepted.")]
    transition = TRANSITIONS[event.type]
    failures: list[Reason] = []
    if event.on < progress.notified_on:
        failures.append(FLOW_DATES.reason(False, "The event is dated before the notification."))
    elif event.on < progress.last_on and not progress.dated:
        failures.append(FLOW_DATES.reason(False, "The event is dated before the previous event."))
    accepted_here = state in transition.targets
    if not accepted_here:
        failures.append(
            transition.rule.reason(
                False,
                f"A {event.type.value} event is not accepted while the review is {state.value}.",
            )
        )
    if transition.blocked_by_holds:
        open_holds = [hold.process.value for hold in progress.holds if hold.lifted_on is None]
        if open_holds:
            failures.append(
                FLOW_HOLD_BLOCKS.reason(
                    False,
                    f"The review is on hold ({', '.join(open_holds)}): it cannot move on until "
                    "every hold is lifted.",
                )
            )
    if accepted_here and event.type in _GUARDED:
        failures += _guard_failures(progress, event)
    return failures


# Event types whose acceptance depends on more than the state and open holds.
_GUARDED: Final = frozenset(
    {
        EventType.ALLOCATED,
        EventType.INITIAL_REVIEW_COMPLETED,
        EventType.SIGNED_OFF,
        EventType.HOLD_PLACED,
        EventType.HOLD_LIFTED,
    }
)


def _move(progress: _Progress, event: Event) -> ReviewState:
    """The state after an accepted event, updating what the history has established."""
    state = progress.state
    # The event classes are disjoint: tested from the commonest in a review's history down.
    if isinstance(event, ContactRecorded):
        progress.contacts.add(event.contact)
        return state
    if isinstance(event, Allocated):
        return S.INITIAL_REVIEW
    if isinstance(event, InitialReviewCompleted):
        deeper = progress.deeper_level
        if event.concerns or event.further_learning:
            progress.review_level = deeper
        if progress.review_level is deeper:
            return S.FOCUSED_REVIEW
        return S.AWAITING_SIGN_OFF
    if isinstance(event, SignedOff):
        progress.completed_on = event.on
        return S.COMPLETED
    if event.type is EventType.FOCUSED_REVIEW_COMPLETED:
        return S.AWAITING_SIGN_OFF
    if isinstance(event, FamilyNotInvolved):
        progress.family_not_involved = True
        return state
    if isinstance(event, HoldPlaced):
        progress.holds.append(HoldPeriod(process=event.process, placed_on=event.on))
        return state
    if isinstance(event, HoldLifted):
        index = progress.open_hold(event.process)
        if index is not None:  # FLOW-HOLD has refused the event otherwise
            held = progress.holds[index]
            progress.holds[index] = HoldPeriod(
                process=held.process, placed_on=held.placed_on, lifted_on=event.on
            )
        return state
    if event.type is EventType.FOCUSED_REVIEW_REQUESTED:
        progress.family_requested = True
        was_initial = progress.review_level is ReviewLevel.INITIAL
        progress.review_level = progress.deeper_level
        if state is S.AWAITING_SIGN_OFF and was_initial:
            return S.FOCUSED_REVIEW
        return state
    if isinstance(event, Closed):
        progress.closure = event.reason
        return S.CLOSED
    if isinstance(event, RegionalDecision):
        if event.proceed:
            return S.AWAITING_ALLOCATION
        progress.closure = ClosureReason.REGIONAL_DECISION_NOT_TO_PROCEED
        return S.CLOSED
    raise TypeError(f"not a workflow event: {type(event).__name__}")


# The states that accept each event type (never a terminal one), and the event types a hold
# blocks: read by the quick acceptance test of _step.
_ACCEPTING: Final = {
    event_type: frozenset(transition.targets) - _TERMINAL
    for event_type, transition in TRANSITIONS.items()
}
_BLOCKED_BY_HOLDS: Final = frozenset(
    event_type for event_type, transition in TRANSITIONS.items() if transition.blocked_by_holds
)


def _step(progress: _Progress, event: Event, recorded: int | None = None) -> None:
    event_type = event.type
    on = event.on
    # Accepted at once when every check of _checks passes (the common case); otherwise
    # _checks names the failures, and an event it finds nothing wrong with is accepted.
    if (
        on < progress.last_on
        or on < progress.notified_on
        or progress.state not in _ACCEPTING[event_type]
        or (
            event_type in _BLOCKED_BY_HOLDS
            and progress.holds
            and any(hold.lifted_on is None for hold in progress.holds)
        )
        or (event_type in _GUARDED and _guard_failures(progress, event))
    ):
        failures = _checks(progress, event)
        if failures:
            # Every failed check is named; the first, in the rulebook's order, is decisive.
            raise TransitionRefused(event.type.value, [as_decisive(failures[0]), *failures[1:]])
    before = progress.state
    after = _move(progress, event)
    progress.state = after
    progress.last_on = on
    progress.history.append(
        _audit_entry(event, before, after, progress.ruleset, _RULES_APPLIED[event_type], recorded)
    )


def _record(progress: _Progress, event: Event) -> None:
    """Record one event on the review: appended in order, or under INT-EVENT-ORDER ``dated``
    placed by its date (FLOW-LATE-ENTRY) when it is dated before the last event."""
    if not progress.dated:
        _step(progress, event)
        return
    recorded = len(progress.history)  # every accepted event has one entry
    if (
        event.on < progress.last_on
        and event.on >= progress.notified_on  # else FLOW-DATES refuses it, as ever
        and progress.state not in _TERMINAL  # else FLOW-TERMINAL refuses it, whatever its date
    ):
        _place_late(progress, event, recorded)
    else:
        _step(progress, event, recorded)


def _place_late(progress: _Progress, event: Event, recorded: int) -> None:
    """FLOW-LATE-ENTRY: the event after every event dated on or before its date, the events
    after it replayed; all accepted, or refused naming the first event that would fail."""
    history = progress.history
    place = bisect_right([entry.event.on for entry in history], event.on)
    replay = progress.restart()
    for entry in history[:place]:  # accepted before, in the same order: accepted again
        _step(replay, entry.event, entry.recorded)
    try:
        _step(replay, event, recorded)
    except TransitionRefused as refusal:
        raise _late_refusal(event, refusal, place, place) from None
    for position, entry in enumerate(history[place:], start=place + 1):
        try:
            _step(replay, entry.event, entry.recorded)
        except TransitionRefused as refusal:
            raise _late_refusal(event, refusal, place, position) from None
    progress.take(replay)


def _late_refusal(
    event: Event, refusal: TransitionRefused, place: int, position: int
) -> TransitionRefused:
    """The refusal of a late event: the failing event's reasons (its first decisive), then
    FLOW-LATE-ENTRY saying where the event went and which event failed there."""
    if position == place:
        text = f"Placed by its date at position {place} of the history, the event is refused there."
    else:
        text = (
            f"Placed by its date at position {place} of the history, the event would make the "
            f"{refusal.event_type} event at position {position} fail."
        )
    return TransitionRefused(
        event.type.value, [*refusal.reasons, FLOW_LATE_ENTRY.reason(False, text)], position=position
    )


def apply(review: Review, event: Event) -> Review:
    """One workflow step: a new review with one more audit entry.

    Takes the event model only; :func:`leder_core.apply` also accepts an event document. A
    refused event raises :class:`~leder_core.TransitionRefused` naming every failed check; the
    review is unchanged.
    """
    progress = _Progress(review)
    _record(progress, event)
    return progress.freeze(refused=None)


def replay(review: Review, events: Iterable[Event]) -> Review:
    """Apply events in order; the first refused event stops the replay and is kept in
    ``refused`` with its position, and the review is left as it was before that event."""
    return _replayed(_Progress(review), events)


def _replayed(progress: _Progress, events: Iterable[Event]) -> Review:
    for index, event in enumerate(events):
        try:
            _record(progress, event)
        except TransitionRefused as refusal:
            return progress.freeze(
                refused=Refusal(index=index, event=event, reasons=refusal.reasons)
            )
    return progress.freeze(refused=None)


def review_of(document: ReviewDocument, *, interpretation: Interpretation | None = None) -> Review:
    """A review document's notification opened under ``interpretation`` and its events replayed.

    Replay stops at the first refused event, which is kept in ``review.refused`` (else
    ``None``); :func:`leder_core.load_review` structures the document first.
    """
    chosen = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    notification = document.notification
    assessment = assess(notification, interpretation=chosen)
    # The same as replaying the events on open_review(...), without building the opened review.
    opening = _Progress.opening(notification, chosen, assessment, given=interpretation is not None)
    return _replayed(opening, document.events)


def enabled_events(review: Review) -> tuple[EventType, ...]:
    """The event types ``apply`` could accept next (docs/workflow.md), sorted.

    An event type is enabled when some event of that type, dated on or after the last event,
    would be accepted now: the state, open holds, the minimum contacts and lifting only an
    open hold are considered; guards on an event's own fields are not.
    """
    state = review.state
    if state.terminal:
        return ()
    open_holds = set(review.open_holds)
    enabled = []
    for event_type, transition in TRANSITIONS.items():
        if state not in transition.targets:
            continue
        if transition.blocked_by_holds and open_holds:
            continue
        if event_type is EventType.INITIAL_REVIEW_COMPLETED and _missing_contacts(
            _Progress(review)
        ):
            continue
        if event_type is EventType.HOLD_LIFTED and not open_holds:
            continue
        if event_type is EventType.HOLD_PLACED and len(open_holds) == len(HoldReason):
            continue
        enabled.append(event_type)
    return tuple(sorted(enabled))


def events_until(review: Review, as_of: date) -> Review:
    """The review as it stood at the end of a date: only events dated on or before it."""
    history = review.history
    if not history or history[-1].event.on <= as_of:
        return review
    # The history is in date order (FLOW-DATES, or by FLOW-LATE-ENTRY under ``dated``), so
    # the kept events are a prefix and replay cleanly, each with its recorded position.
    progress = _Progress(review).restart()
    for entry in history:
        if entry.event.on > as_of:
            break
        _step(progress, entry.event, entry.recorded)
    return progress.freeze(refused=review.refused)
