"""The transition table of the review workflow: :data:`TRANSITIONS`, one row per event.

Each transition states, once, everything about its event: the states that accept it and
where it leads from each (with the condition that picks a target when there are several),
whether an open hold blocks it, the guards it must pass, and what it establishes in the
review's history. Moving a review, its checks, the quick acceptance test of replay,
:func:`~leder_core.rules.workflow.engine.enabled_events` and the diagrams are all read from
here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from leder_core.models.assessment import ReviewLevel
from leder_core.models.review import (
    Action,
    Allocated,
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
    RegionalDecision,
    ReviewState,
    SignedOff,
    SignOffBy,
)
from leder_core.rules.registry import Rule
from leder_core.rules.workflow.flow_rules import (
    FLOW_ALLOCATE,
    FLOW_CLOSE,
    FLOW_CONTACT,
    FLOW_FAMILY_REQUEST,
    FLOW_FOCUSED_COMPLETE,
    FLOW_HOLD,
    FLOW_INITIAL_COMPLETE,
    FLOW_MIN_CONTACTS,
    FLOW_REGIONAL,
    FLOW_SIGN_OFF,
)
from leder_core.rules.workflow.progress import ReviewProgress
from leder_core.rules.workflow.states import OPEN_STATES

__all__ = ["TRANSITIONS", "Branch", "Guard", "Transition"]

S = ReviewState


def _always(progress: ReviewProgress) -> bool:
    return True


@attrs.frozen(kw_only=True)
class Guard:
    """A check an event must pass in a state that accepts it, governed by ``rule``."""

    rule: Rule
    problems: Callable[[ReviewProgress, Any], list[str]]
    """One sentence per failed check of the event in this progress; empty when it passes."""
    possible: Callable[[ReviewProgress], bool] = _always
    """Whether some event of the type would pass here (:func:`enabled_events`); a guard on the
    event's own fields only is passed by some event always."""


@attrs.frozen
class Branch:
    """The condition under which an event leads to one of several targets."""

    text: str
    test: Callable[[ReviewProgress, Any], bool] | None = None
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
    effect: Callable[[ReviewProgress, Any], None] | None = None
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

    def after(self, progress: ReviewProgress, event: Event) -> ReviewState:
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


def _allocation_problems(progress: ReviewProgress, event: Allocated) -> list[str]:
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


def _missing_contacts(progress: ReviewProgress) -> list[str]:
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


def _min_contacts_problems(progress: ReviewProgress, event: Event) -> list[str]:
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


def _sign_off_problems(progress: ReviewProgress, event: SignedOff) -> list[str]:
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


def _second_hold_problems(progress: ReviewProgress, event: HoldPlaced) -> list[str]:
    if progress.open_hold(event.process) is None:
        return []
    return [f"A hold for {event.process.value} is already open: one open hold per process."]


def _lift_problems(progress: ReviewProgress, event: HoldLifted) -> list[str]:
    if progress.open_hold(event.process) is not None:
        return []
    return [f"There is no open hold for {event.process.value} to lift."]


def _some_process_not_held(progress: ReviewProgress) -> bool:
    return any(progress.open_hold(process) is None for process in HoldReason)


def _some_hold_open(progress: ReviewProgress) -> bool:
    return any(hold.lifted_on is None for hold in progress.holds)


# --- what an accepted event establishes ---------------------------------------------------


def _contacted(progress: ReviewProgress, event: ContactRecorded) -> None:
    progress.contacts.add(event.contact)


def _family_not_involved(progress: ReviewProgress, event: FamilyNotInvolved) -> None:
    progress.family_not_involved = True


def _initial_completed(progress: ReviewProgress, event: InitialReviewCompleted) -> None:
    if event.concerns or event.further_learning:
        progress.review_level = progress.deeper_level


def _goes_deeper(progress: ReviewProgress, event: InitialReviewCompleted) -> bool:
    return bool(
        event.concerns or event.further_learning or progress.review_level is progress.deeper_level
    )


def _family_requested(progress: ReviewProgress, event: Event) -> None:
    progress.family_requested = True
    progress.review_level = progress.deeper_level


def _at_initial_level(progress: ReviewProgress, event: Event) -> bool:
    return progress.review_level is ReviewLevel.INITIAL


def _signed_off(progress: ReviewProgress, event: SignedOff) -> None:
    progress.completed_on = event.on


def _hold_placed(progress: ReviewProgress, event: HoldPlaced) -> None:
    progress.holds.append(HoldPeriod(process=event.process, placed_on=event.on))


def _hold_lifted(progress: ReviewProgress, event: HoldLifted) -> None:
    index = progress.open_hold(event.process)
    if index is not None:  # FLOW-HOLD has refused the event otherwise
        held = progress.holds[index]
        progress.holds[index] = HoldPeriod(
            process=held.process, placed_on=held.placed_on, lifted_on=event.on
        )


def _closed(progress: ReviewProgress, event: Closed) -> None:
    progress.closure = event.reason


def _regional_decision(progress: ReviewProgress, event: RegionalDecision) -> None:
    if not event.proceed:
        progress.closure = ClosureReason.REGIONAL_DECISION_NOT_TO_PROCEED


def _proceeds(progress: ReviewProgress, event: RegionalDecision) -> bool:
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
