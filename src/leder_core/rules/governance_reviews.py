"""The reviews a governance check is given, as they stood at the end of the date checked.

GOV-TRAINED-REVIEWERS, GOV-TIMELINESS and GOV-ACTIONS (:mod:`leder_core.rules.governance`)
read each review's events dated on or before the date checked, with its clock (INT-CLOCK).
GOV-TIMELINESS counts each review given once, by notification id, the first given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.review import Review, ReviewState
from leder_core.rules.clock import clocked, effective_interpretation
from leder_core.rules.governance_findings import TimelinessCounts
from leder_core.rules.workflow import events_until

__all__ = ["ReviewAsOf", "reviews_as_of", "timeliness_counts"]


@attrs.frozen(kw_only=True)
class ReviewAsOf:
    """A review as it stood at the end of the date checked, with its clock."""

    id: str
    review: Review
    due_on: date | None
    excused: bool


def reviews_as_of(
    reviews: Iterable[Review], as_of: date, given: Interpretation | None
) -> tuple[ReviewAsOf, ...]:
    """Each review as of the date, clocked under the interpretation ``given`` (else its own)."""
    prepared: list[ReviewAsOf] = []
    for review in reviews:
        clock = effective_interpretation(review, given).clock
        then = events_until(review, as_of)
        timing = clocked(then, clock)
        prepared.append(
            ReviewAsOf(
                id=review.notification.id,
                review=then,
                due_on=timing.due_on,
                excused=timing.excused,
            )
        )
    return tuple(prepared)


def timeliness_counts(reviews: tuple[ReviewAsOf, ...], as_of: date) -> TimelinessCounts:
    """GOV-TIMELINESS's counts: overdue and excused judged from the dates, not the status."""
    found: dict[str, list[str]] = {
        key: [] for key in ("on_time", "late", "overdue", "excused", "due_today")
    }
    counted: set[str] = set()
    for item in reviews:
        if item.id in counted:  # a repeated notification id: the first given counts
            continue
        counted.add(item.id)
        review, due = item.review, item.due_on
        if due is None or review.state is ReviewState.CLOSED or due > as_of:
            continue
        completed_on = review.completed_on
        if review.state is ReviewState.COMPLETED and completed_on is not None:
            key = "on_time" if completed_on <= due else "excused" if item.excused else "late"
        elif as_of > due:
            key = "excused" if item.excused else "overdue"
        else:
            key = "due_today"
        found[key].append(item.id)
    return TimelinessCounts(
        given=len(counted),
        repeated=len(reviews) - len(counted),
        **{key: tuple(sorted(ids)) for key, ids in found.items()},
    )
