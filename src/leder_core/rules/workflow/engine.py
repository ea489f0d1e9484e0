"""The workflow engine: opening a review, checking and applying events, replaying a history.

Every step reads the transition table (:data:`~leder_core.rules.workflow.table.TRANSITIONS`):
:func:`failed_checks` names what an event fails in the rulebook's order, :func:`step` accepts
an event at once when a quick test drawn from the same table finds nothing wrong (and asks
:func:`failed_checks` otherwise), and a late event under INT-EVENT-ORDER ``dated`` is placed
by its date with the events after it replayed (FLOW-LATE-ENTRY).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Final, NamedTuple

from leder_core.errors import TransitionRefused
from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Assessment
from leder_core.models.construct import constructor
from leder_core.models.explanation import Reason
from leder_core.models.notification import Notification
from leder_core.models.review import (
    AuditEntry,
    Event,
    EventType,
    Refusal,
    Review,
    ReviewDocument,
    ReviewState,
)
from leder_core.rules.assess import DEFAULT_INTERPRETATION, assess
from leder_core.rules.registry import as_decisive
from leder_core.rules.workflow.flow_rules import (
    FLOW_DATES,
    FLOW_HOLD_BLOCKS,
    FLOW_LATE_ENTRY,
    FLOW_TERMINAL,
)
from leder_core.rules.workflow.progress import ReviewProgress
from leder_core.rules.workflow.states import TERMINAL_STATES, opening_state
from leder_core.rules.workflow.table import TRANSITIONS, Transition

__all__ = [
    "apply",
    "enabled_events",
    "events_until",
    "failed_checks",
    "open_review",
    "replay",
    "review_of",
    "step",
]

# Audit entries are built by the million in bulk replay: from their fields in order, the same
# objects as the class's own constructor gives (leder_core.models.construct).
_audit_entry: Final = constructor(AuditEntry)


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
        closure=assessment.outcome if state is ReviewState.CLOSED else None,
        interpretation_given=given,
    )


def _rules_applied(transition: Transition) -> tuple[str, ...]:
    """The rules an accepted event of this kind was checked against, in order."""
    applied = ["FLOW-DATES", transition.rule.id]
    if transition.blocked_by_holds:
        applied.append(FLOW_HOLD_BLOCKS.id)
    return (*applied, *(guard.id for guard in transition.guards))


def _guard_failures(progress: ReviewProgress, event: Event, transition: Transition) -> list[Reason]:
    """The failures of the event's guards, in the table's order."""
    return [
        guard.rule.reason(False, text)
        for guard in transition.checks
        for text in guard.problems(progress, event)
    ]


def failed_checks(progress: ReviewProgress, event: Event) -> list[Reason]:
    """The failed checks of an event, in the rulebook's order; empty when it is accepted."""
    state = progress.state
    if state in TERMINAL_STATES:
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
    """One event type's row of the table as :func:`step` reads it, unpacked once per event."""

    accepting: frozenset[ReviewState]
    """The states that accept the event (never a terminal one)."""
    blocked_by_holds: bool
    problems: tuple[Callable[[ReviewProgress, Any], list[str]], ...]
    """The problem finders of its guards."""
    single: Mapping[ReviewState, ReviewState]
    """The target of each accepting state that has only one."""
    transition: Transition
    effect: Callable[[ReviewProgress, Any], None] | None
    applied: tuple[str, ...]


def _plan(transition: Transition) -> _Plan:
    return _Plan(
        accepting=frozenset(transition.targets) - TERMINAL_STATES,
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


def step(progress: ReviewProgress, event: Event, recorded: int | None = None) -> None:
    on = event.on
    before = progress.state
    accepting, blocked_by_holds, guards, single, transition, effect, applied = _PLANS[event.type]
    # Accepted at once when every check of failed_checks passes (the common case); otherwise
    # failed_checks names the failures, and an event it finds nothing wrong with is accepted.
    refused = on < progress.last_on or on < progress.notified_on or before not in accepting
    if not refused and blocked_by_holds and progress.holds:
        refused = any(hold.lifted_on is None for hold in progress.holds)
    if not refused:
        for problems in guards:
            if problems(progress, event):
                refused = True
                break
    if refused:
        failures = failed_checks(progress, event)
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


def _record(progress: ReviewProgress, event: Event) -> None:
    """Record one event on the review: appended in order, or under INT-EVENT-ORDER ``dated``
    placed by its date (FLOW-LATE-ENTRY) when it is dated before the last event."""
    if not progress.dated:
        step(progress, event)
        return
    recorded = len(progress.history)  # every accepted event has one entry
    if (
        event.on < progress.last_on
        and event.on >= progress.notified_on  # else FLOW-DATES refuses it, as ever
        # else FLOW-TERMINAL refuses it, whatever its date
        and progress.state not in TERMINAL_STATES
    ):
        _place_late(progress, event, recorded)
    else:
        step(progress, event, recorded)


def _place_late(progress: ReviewProgress, event: Event, recorded: int) -> None:
    """FLOW-LATE-ENTRY: the event after every event dated on or before its date, the events
    after it replayed; all accepted, or refused naming the first event that would fail."""
    history = progress.history
    place = bisect_right([entry.event.on for entry in history], event.on)
    replay = progress.restart()
    for entry in history[:place]:  # accepted before, in the same order: accepted again
        step(replay, entry.event, entry.recorded)
    try:
        step(replay, event, recorded)
    except TransitionRefused as refusal:
        raise _late_refusal(event, refusal, place, place) from None
    for position, entry in enumerate(history[place:], start=place + 1):
        try:
            step(replay, entry.event, entry.recorded)
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
    progress = ReviewProgress(review)
    _record(progress, event)
    return progress.freeze(refused=None)


def replay(review: Review, events: Iterable[Event]) -> Review:
    """Apply events in order; the first refused event stops the replay and is kept in
    ``refused`` with its position, and the review is left as it was before that event."""
    return _replayed(ReviewProgress(review), events)


def _replayed(progress: ReviewProgress, events: Iterable[Event]) -> Review:
    # In recorded order every event is appended: step itself, without _record's test.
    record: Callable[[ReviewProgress, Event], None] = _record if progress.dated else step
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
    given = interpretation is not None
    opening = ReviewProgress.opening(notification, chosen, assessment, given=given)
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
    progress: ReviewProgress | None = None
    enabled = []
    for event_type, transition in TRANSITIONS.items():
        if state not in transition.targets:
            continue
        if transition.blocked_by_holds and on_hold:
            continue
        if transition.checks:
            progress = ReviewProgress(review) if progress is None else progress
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
    progress = ReviewProgress(review).restart()
    for entry in history:
        if entry.event.on > as_of:
            break
        step(progress, entry.event, entry.recorded)
    return progress.freeze(refused=review.refused)
