"""The clock of a review in progress (docs: deadlines-and-holds): DEAD-HOLDS, DEAD-STATUS.

Under ``INT-CLOCK`` ``excuse`` (the default) the due date never moves, and a review that ends
up late is excused when a hold was placed on or before its due date. Under ``stop`` the due
date moves later by the days on which at least one hold was open, counting holds placed on or
before the running due date; while a hold is open there is no due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

import attrs

from leder_core.interpretation import Clock, Interpretation
from leder_core.models.review import (
    HoldPeriod,
    Review,
    ReviewResult,
    ReviewState,
    Status,
    StatusCode,
)
from leder_core.rules.registry import Confidence, define_rule
from leder_core.rules.workflow import enabled_events, events_until

__all__ = [
    "DEAD_HOLDS",
    "DEAD_STATUS",
    "Clocked",
    "clocked",
    "due_and_excuse",
    "effective_interpretation",
    "review_result",
    "review_status",
    "stopped_due_date",
]

DEAD_HOLDS: Final = define_rule(
    "DEAD-HOLDS",
    title="Permitted reasons to exceed six months",
    text="A review may exceed six months when a statutory process prevents its completion or "
    "the family asked for it to be delayed. Whether a hold stops the clock is not published "
    "(INT-CLOCK): by default the due date stays and a late review is excused when a hold was "
    "placed on or before its due date; under 'stop' the due date moves later by the days on "
    "which a hold was open.",
    section="§7",
    sources=("pq-hl10253", "pq-hl10254", "leder-process"),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-CLOCK",),
)
DEAD_STATUS: Final = define_rule(
    "DEAD-STATUS",
    title="Status of a review on a date",
    text="As of a date, counting only events dated on or before it, a review is: closed; "
    "completed on time (on or before the due date); completed late; on hold (a hold is open); "
    "overdue (the date is after the due date); due soon (0 to 28 days left, INT-DUE-SOON); or "
    "on track. Late and overdue reviews say whether the lateness is excused.",
    section="§7",
    sources=("leder-process", "pq-hl10254"),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-CLOCK", "INT-DUE-SOON"),
)


def stopped_due_date(six_month_due: date, holds: Iterable[HoldPeriod]) -> date | None:
    """The due date under INT-CLOCK ``stop``, or ``None`` while any hold is open.

    Lifted holds are taken in order of placement; each placed on or before the running due
    date adds its days ``[placed, lifted)`` to the covered days, overlapping holds counting once.
    """
    periods = sorted(holds, key=lambda hold: hold.placed_on)
    if any(hold.lifted_on is None for hold in periods):
        return None
    covered: list[tuple[date, date]] = []  # disjoint, sorted [start, end) intervals
    covered_days = 0
    due = six_month_due
    for hold in periods:
        if hold.placed_on > due or hold.lifted_on is None:
            continue
        covered = _union(covered, (hold.placed_on, hold.lifted_on))
        covered_days = sum((end - start).days for start, end in covered)
        due = six_month_due + timedelta(days=covered_days)
    return due


def _union(intervals: list[tuple[date, date]], new: tuple[date, date]) -> list[tuple[date, date]]:
    start, end = new
    merged = []
    for low, high in intervals:
        if high < start or low > end:
            merged.append((low, high))
        else:
            start, end = min(start, low), max(end, high)
    merged.append((start, end))
    return sorted(merged)


@attrs.frozen(kw_only=True)
class Clocked:
    """A review's due date and whether lateness is excused, under one clock."""

    due_on: date | None
    """The due date; ``None`` for a review with none (out of scope, or held under ``stop``)."""
    excused: bool
    """Under ``excuse``: a hold was placed on or before the due date. Always false under
    ``stop``."""


def clocked(review: Review, clock: Clock) -> Clocked:
    """DEAD-HOLDS: the due date and excuse of a review (as far as its history goes)."""
    due_on, excused = due_and_excuse(review, clock)
    return Clocked(due_on=due_on, excused=excused)


def due_and_excuse(review: Review, clock: Clock) -> tuple[date | None, bool]:
    """The fields of :func:`clocked`, without building a :class:`Clocked` (for bulk use)."""
    six_month = review.assessment.due_on
    if six_month is None:
        return None, False
    holds = review.holds
    if clock is Clock.STOP:
        return stopped_due_date(six_month, holds), False
    return six_month, bool(holds) and any(hold.placed_on <= six_month for hold in holds)


def effective_interpretation(
    review: Review, interpretation: Interpretation | None
) -> Interpretation:
    """The review's own interpretation, with the clock and due-soon days of one given later.

    A review's interpretation is fixed when it is loaded, because it decided the outcome and
    level; one given to a status, a result or the indicators governs only the clock.
    """
    if interpretation is None:
        return review.interpretation
    own = review.interpretation
    if own.clock is interpretation.clock and own.due_soon_days == interpretation.due_soon_days:
        return own
    return attrs.evolve(own, clock=interpretation.clock, due_soon_days=interpretation.due_soon_days)


def _status(review: Review, as_of: date, interpretation: Interpretation) -> tuple[Status, Clocked]:
    timing = clocked(review, interpretation.clock)
    due = timing.due_on
    if review.state is ReviewState.CLOSED:
        return Status(as_of=as_of, code=StatusCode.CLOSED), timing
    completed_on = review.completed_on
    if review.state is ReviewState.COMPLETED and completed_on is not None and due is not None:
        if completed_on <= due:
            return Status(as_of=as_of, code=StatusCode.COMPLETED_ON_TIME), timing
        return Status(as_of=as_of, code=StatusCode.COMPLETED_LATE, excused=timing.excused), timing
    if review.open_holds or due is None:
        return Status(as_of=as_of, code=StatusCode.ON_HOLD), timing
    if as_of > due:
        return Status(as_of=as_of, code=StatusCode.OVERDUE, excused=timing.excused), timing
    if (due - as_of).days <= interpretation.due_soon_days:
        return Status(as_of=as_of, code=StatusCode.DUE_SOON), timing
    return Status(as_of=as_of, code=StatusCode.ON_TRACK), timing


def review_status(
    review: Review,
    *,
    as_of: date,
    interpretation: Interpretation | None = None,
) -> Status:
    """DEAD-STATUS: the status of a review as of a date, counting events on or before it."""
    chosen = effective_interpretation(review, interpretation)
    status, _ = _status(events_until(review, as_of), as_of, chosen)
    return status


def review_result(
    review: Review,
    *,
    as_of: date,
    interpretation: Interpretation | None = None,
) -> ReviewResult:
    """The review as of a date with its status; ``dump`` gives ``leder.review-result/1``.

    State, level, history, open holds and enabled events reflect only events dated on or
    before ``as_of``; a refusal found in replay is always reported.
    """
    chosen = effective_interpretation(review, interpretation)
    then = events_until(review, as_of)
    status, timing = _status(then, as_of, chosen)
    return ReviewResult(
        notification_id=review.notification.id,
        ruleset=review.assessment.ruleset,
        state=then.state,
        review_level=then.review_level,
        due_on=timing.due_on,
        status=status,
        open_holds=then.open_holds,
        enabled_events=enabled_events(then),
        history=then.history,
        interpretation=chosen,
        refused=review.refused,
    )
