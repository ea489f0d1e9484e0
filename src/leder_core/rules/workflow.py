"""The review workflow (docs/workflow.md): states, events, guards that say why.

The transition table :data:`TRANSITIONS` says everything about each event once: the states
that accept it and where it leads (with the condition that picks one of several targets),
whether a hold blocks it, its guards, and what it establishes in the history. The state after
an event, the refusal reasons, replay's quick path, the enabled events and the diagrams are
all read from it. ``leder-2016`` uses the same
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
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final, NamedTuple

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
    "OPENING_STATES",
    "OPEN_STATES",
    "TRANSITIONS",
    "Branch",
    "Guard",
    "Transition",
    "apply",
    "enabled_events",
    "events_until",
    "open_review",
    "opening_state",
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
#
# Each transition states, once, everything about its event: the states that accept it and
# where it leads from each (with the condition that picks a target when there are several),
# whether an open hold blocks it, the guards it must pass, and what it establishes in the
# review's history. Moving a review, its checks, the quick acceptance test of replay,
# enabled_events and the diagrams are all read from here.


def _always(progress: _Progress) -> bool:
    return True


@attrs.frozen(kw_only=True)
class Guard:
    """A check an event must pass in a state that accepts it, governed by ``rule``."""

    rule: Rule
    problems: Callable[[_Progress, Any], list[str]]
    """One sentence per failed check of the event in this progress; empty when it passes."""
    possible: Callable[[_Progress], bool] = _always
    """Whether some event of the type would pass here (:func:`enabled_events`); a guard on the
    event's own fields only is passed by some event always."""


@attrs.frozen
class Branch:
    """The condition under which an event leads to one of several targets."""

    text: str
    test: Callable[[_Progress, Any], bool] | None = None
    """Read before the event's effect; ``None`` for the last target, taken otherwise."""


@attrs.frozen(kw_only=True)
class Transition:
    """What an event does: the rule that governs it, and where it may lead from each state."""

    event: EventType
    rule: Rule
    targets: Mapping[ReviewState, tuple[ReviewState, ...]]
    """For each state that accepts the event, the states it may lead to."""
    checks: tuple[Guard, ...] = ()
    """The event's guards, in the order their failures are named."""
    blocked_by_holds: bool = False
    branches: Mapping[ReviewState, Branch] = attrs.field(factory=dict)
    """When the event may lead to more than one state: the condition for each target."""
    effect: Callable[[_Progress, Any], None] | None = None
    """What an accepted event establishes in the history (contacts, holds, level, closure)."""

    @property
    def sources(self) -> tuple[ReviewState, ...]:
        """The states that accept the event."""
        return tuple(self.targets)

    @property
    def guards(self) -> tuple[Rule, ...]:
        """Rules checked besides the event's own, when the state accepts the event."""
        return tuple(dict.fromkeys(g.rule for g in self.checks if g.rule is not self.rule))

    @property
    def when(self) -> Mapping[ReviewState, str]:
        """The condition for each target, in words."""
        return {target: branch.text for target, branch in self.branches.items()}

    def after(self, progress: _Progress, event: Event) -> ReviewState:
        """The state the event leads to from the current one: the first target whose
        condition holds, the last otherwise."""
        targets = self.targets[progress.state]
        for target in targets[:-1]:
            branch = self.branches.get(target)
            if branch is None or branch.test is None or branch.test(progress, event):
                return target
        return targets[-1]


def _stays(*states: ReviewState) -> dict[ReviewState, tuple[ReviewState, ...]]:
    return {state: (state,) for state in states}


# --- the guards ---------------------------------------------------------------------------


def _allocation_problems(progress: _Progress, event: Allocated) -> list[str]:
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


def _min_contacts_problems(progress: _Progress, event: Event) -> list[str]:
    """The minimum contacts, in one sentence naming each that is missing."""
    missing = _missing_contacts(progress)
    if not missing:
        return []
    return ["The initial review's minimum contacts are not met: " + "; ".join(missing) + "."]


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


def _second_hold_problems(progress: _Progress, event: HoldPlaced) -> list[str]:
    if progress.open_hold(event.process) is None:
        return []
    return [f"A hold for {event.process.value} is already open: one open hold per process."]


def _lift_problems(progress: _Progress, event: HoldLifted) -> list[str]:
    if progress.open_hold(event.process) is not None:
        return []
    return [f"There is no open hold for {event.process.value} to lift."]


def _some_process_not_held(progress: _Progress) -> bool:
    return any(progress.open_hold(process) is None for process in HoldReason)


def _some_hold_open(progress: _Progress) -> bool:
    return any(hold.lifted_on is None for hold in progress.holds)


# --- what an accepted event establishes ---------------------------------------------------


def _contacted(progress: _Progress, event: ContactRecorded) -> None:
    progress.contacts.add(event.contact)


def _family_not_involved(progress: _Progress, event: FamilyNotInvolved) -> None:
    progress.family_not_involved = True


def _initial_completed(progress: _Progress, event: InitialReviewCompleted) -> None:
    if event.concerns or event.further_learning:
        progress.review_level = progress.deeper_level


def _goes_deeper(progress: _Progress, event: InitialReviewCompleted) -> bool:
    return bool(
        event.concerns or event.further_learning or progress.review_level is progress.deeper_level
    )


def _family_requested(progress: _Progress, event: Event) -> None:
    progress.family_requested = True
    progress.review_level = progress.deeper_level


def _at_initial_level(progress: _Progress, event: Event) -> bool:
    return progress.review_level is ReviewLevel.INITIAL


def _signed_off(progress: _Progress, event: SignedOff) -> None:
    progress.completed_on = event.on


def _hold_placed(progress: _Progress, event: HoldPlaced) -> None:
    progress.holds.append(HoldPeriod(process=event.process, placed_on=event.on))


def _hold_lifted(progress: _Progress, event: HoldLifted) -> None:
    index = progress.open_hold(event.process)
    if index is not None:  # FLOW-HOLD has refused the event otherwise
        held = progress.holds[index]
        progress.holds[index] = HoldPeriod(
            process=held.process, placed_on=held.placed_on, lifted_on=event.on
        )


def _closed(progress: _Progress, event: Closed) -> None:
    progress.closure = event.reason


def _regional_decision(progress: _Progress, event: RegionalDecision) -> None:
    if not event.proceed:
        progress.closure = ClosureReason.REGIONAL_DECISION_NOT_TO_PROCEED


def _proceeds(progress: _Progress, event: RegionalDecision) -> bool:
    return event.proceed


TRANSITIONS: Final[Mapping[EventType, Transition]] = MappingProxyType(
    {
        transition.event: transition
        for transition in (
            Transition(
                event=EventType.REGIONAL_DECISION,
                rule=FLOW_REGIONAL,
                targets={S.AWAITING_REGIONAL_DECISION: (S.AWAITING_ALLOCATION, S.CLOSED)},
                branches={
                    S.AWAITING_ALLOCATION: Branch("proceed", _proceeds),
                    S.CLOSED: Branch("not to proceed"),
                },
                effect=_regional_decision,
            ),
            Transition(
                event=EventType.ALLOCATED,
                rule=FLOW_ALLOCATE,
                targets={S.AWAITING_ALLOCATION: (S.INITIAL_REVIEW,)},
                checks=(Guard(rule=FLOW_ALLOCATE, problems=_allocation_problems),),
            ),
            Transition(
                event=EventType.CONTACT_RECORDED,
                rule=FLOW_CONTACT,
                targets=_stays(S.INITIAL_REVIEW, S.FOCUSED_REVIEW),
                effect=_contacted,
            ),
            Transition(
                event=EventType.FAMILY_NOT_INVOLVED,
                rule=FLOW_CONTACT,
                targets=_stays(S.INITIAL_REVIEW, S.FOCUSED_REVIEW),
                effect=_family_not_involved,
            ),
            Transition(
                event=EventType.INITIAL_REVIEW_COMPLETED,
                rule=FLOW_INITIAL_COMPLETE,
                targets={S.INITIAL_REVIEW: (S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF)},
                checks=(
                    Guard(
                        rule=FLOW_MIN_CONTACTS,
                        problems=_min_contacts_problems,
                        possible=lambda progress: not _missing_contacts(progress),
                    ),
                ),
                blocked_by_holds=True,
                branches={
                    S.FOCUSED_REVIEW: Branch(
                        "a trigger, a family request, concerns or further learning", _goes_deeper
                    ),
                    S.AWAITING_SIGN_OFF: Branch("otherwise"),
                },
                effect=_initial_completed,
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
                branches={S.FOCUSED_REVIEW: Branch("at the initial level", _at_initial_level)},
                effect=_family_requested,
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
                checks=(
                    Guard(
                        rule=FLOW_HOLD,
                        problems=_second_hold_problems,
                        possible=_some_process_not_held,
                    ),
                ),
                effect=_hold_placed,
            ),
            Transition(
                event=EventType.HOLD_LIFTED,
                rule=FLOW_HOLD,
                targets=_stays(*OPEN_STATES),
                checks=(Guard(rule=FLOW_HOLD, problems=_lift_problems, possible=_some_hold_open),),
                effect=_hold_lifted,
            ),
            Transition(
                event=EventType.SIGNED_OFF,
                rule=FLOW_SIGN_OFF,
                targets={S.AWAITING_SIGN_OFF: (S.COMPLETED,)},
                checks=(Guard(rule=FLOW_SIGN_OFF, problems=_sign_off_problems),),
                blocked_by_holds=True,
                effect=_signed_off,
            ),
            Transition(
                event=EventType.CLOSED,
                rule=FLOW_CLOSE,
                targets=dict.fromkeys(OPEN_STATES, (S.CLOSED,)),
                effect=_closed,
            ),
        )
    }
)

# --- opening and moving a review ----------------------------------------------------------

OPENING_STATES: Final[Mapping[Outcome, ReviewState]] = MappingProxyType(
    {
        Outcome.LEDER_REVIEW: S.AWAITING_ALLOCATION,
        Outcome.REGIONAL_DECISION: S.AWAITING_REGIONAL_DECISION,
    }
)
"""The state a review opens in for each outcome of the notification; closed for any other."""


def opening_state(outcome: Outcome) -> ReviewState:
    """The state a review opens in on a notification with this outcome."""
    return OPENING_STATES.get(outcome, S.CLOSED)


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
    state = opening_state(assessment.outcome)
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
# order, the same objects as their classes' own constructors give (leder_core.models._construct).
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
        state = opening_state(assessment.outcome)
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


# --- checking and moving one event --------------------------------------------------------


def _rules_applied(transition: Transition) -> tuple[str, ...]:
    """The rules an accepted event of this kind was checked against, in order."""
    applied = ["FLOW-DATES", transition.rule.id]
    if transition.blocked_by_holds:
        applied.append(FLOW_HOLD_BLOCKS.id)
    return (*applied, *(guard.id for guard in transition.guards))


_TERMINAL: Final = frozenset(state for state in S if state.terminal)


def _guard_failures(progress: _Progress, event: Event, transition: Transition) -> list[Reason]:
    """The failures of the event's guards, in the table's order."""
    return [
        guard.rule.reason(False, text)
        for guard in transition.checks
        for text in guard.problems(progress, event)
    ]


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
    if accepted_here:
        failures += _guard_failures(progress, event, transition)
    return failures


class _Plan(NamedTuple):
    """One event type's row of the table as :func:`_step` reads it, unpacked once per event."""

    accepting: frozenset[ReviewState]
    """The states that accept the event (never a terminal one)."""
    blocked_by_holds: bool
    problems: tuple[Callable[[_Progress, Any], list[str]], ...]
    """The problem finders of its guards."""
    single: Mapping[ReviewState, ReviewState]
    """The target of each accepting state that has only one."""
    transition: Transition
    effect: Callable[[_Progress, Any], None] | None
    applied: tuple[str, ...]


def _plan(transition: Transition) -> _Plan:
    return _Plan(
        accepting=frozenset(transition.targets) - _TERMINAL,
        blocked_by_holds=transition.blocked_by_holds,
        problems=tuple(guard.problems for guard in transition.checks),
        single={
            source: targets[0]
            for source, targets in transition.targets.items()
            if len(targets) == 1
        },
        transition=transition,
        effect=transition.effect,
        applied=_rules_applied(transition),
    )


_PLANS: Final = {event_type: _plan(transition) for event_type, transition in TRANSITIONS.items()}


def _step(progress: _Progress, event: Event, recorded: int | None = None) -> None:
    on = event.on
    before = progress.state
    accepting, blocked_by_holds, guards, single, transition, effect, applied = _PLANS[event.type]
    # Accepted at once when every check of _checks passes (the common case); otherwise
    # _checks names the failures, and an event it finds nothing wrong with is accepted.
    refused = on < progress.last_on or on < progress.notified_on or before not in accepting
    if not refused and blocked_by_holds and progress.holds:
        refused = any(hold.lifted_on is None for hold in progress.holds)
    if not refused:
        for problems in guards:
            if problems(progress, event):
                refused = True
                break
    if refused:
        failures = _checks(progress, event)
        if failures:
            # Every failed check is named; the first, in the rulebook's order, is decisive.
            raise TransitionRefused(event.type.value, [as_decisive(failures[0]), *failures[1:]])
    after = single.get(before)
    if after is None:
        after = transition.after(progress, event)
    if effect is not None:
        effect(progress, event)
    progress.state = after
    progress.last_on = on
    progress.history.append(_audit_entry(event, before, after, progress.ruleset, applied, recorded))


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
    # In recorded order every event is appended: _step itself, without _record's test.
    record: Callable[[_Progress, Event], None] = _record if progress.dated else _step
    for index, event in enumerate(events):
        try:
            record(progress, event)
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
    would be accepted now: the state, open holds and the guards that depend on the review
    (the minimum contacts, one open hold per process, lifting only an open hold) are
    considered; guards on an event's own fields are passed by some event.
    """
    state = review.state
    if state.terminal:
        return ()
    on_hold = bool(review.open_holds)
    progress: _Progress | None = None
    enabled = []
    for event_type, transition in TRANSITIONS.items():
        if state not in transition.targets:
            continue
        if transition.blocked_by_holds and on_hold:
            continue
        if transition.checks:
            progress = _Progress(review) if progress is None else progress
            if not all(guard.possible(progress) for guard in transition.checks):
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
