"""The reviews a governance check is given, as they stood at the end of the date checked.

GOV-TRAINED-REVIEWERS, GOV-TIMELINESS and GOV-ACTIONS (:mod:`leder_core.rules.governance`)
read each review's events dated on or before the date checked, with its clock (INT-CLOCK).
GOV-TIMELINESS counts each review given once, by notification id, the first given; the
reviewers an arrangements document lists count as trained from the earliest date given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.assessment import ReviewLevel
from leder_core.models.governance import Arrangements
from leder_core.models.review import Allocated, Review, ReviewState, SignedOff
from leder_core.rules.clock import clocked, effective_interpretation
from leder_core.rules.governance.findings import SignOff, TimelinessCounts, UntrainedAllocation
from leder_core.rules.workflow import events_until

__all__ = [
    "ReviewAsOf",
    "focused_sign_offs",
    "reviews_as_of",
    "timeliness_counts",
    "training_dates",
    "untrained_allocations",
]


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


def training_dates(arrangements: Arrangements) -> dict[str, date | None]:
    """Each reviewer listed, with the day they were trained (``None``: no date). A reviewer
    listed more than once counts as trained from the earliest date given."""
    trained: dict[str, date | None] = {}
    for reviewer in arrangements.reviewers:
        earlier = trained.get(reviewer.id)
        dates = [day for day in (earlier, reviewer.trained_on) if day is not None]
        trained[reviewer.id] = min(dates) if dates else None
    return trained


def untrained_allocations(
    trained: dict[str, date | None], reviews: tuple[ReviewAsOf, ...], start: date, as_of: date
) -> tuple[int, tuple[UntrainedAllocation, ...]]:
    """How many reviews were allocated from ``start`` to ``as_of``, and which of those went to
    a reviewer not trained by the day of allocation."""
    allocations = sorted(
        (entry.event.on, item.id, entry.event.reviewer)
        for item in reviews
        for entry in item.review.history
        if isinstance(entry.event, Allocated) and start <= entry.event.on <= as_of
    )
    untrained = []
    for on, notification_id, reviewer in allocations:
        trained_on = trained.get(reviewer)
        if trained_on is None or trained_on > on:
            untrained.append(
                UntrainedAllocation(
                    reviewer=reviewer,
                    notification_id=notification_id,
                    on=on,
                    listed=reviewer in trained,
                    trained_on=trained_on,
                )
            )
    return len(allocations), tuple(untrained)


_FOCUSED_LEVELS: Final = frozenset({ReviewLevel.FOCUSED, ReviewLevel.MULTI_AGENCY})


def _sign_off(review: Review) -> SignedOff | None:
    for entry in reversed(review.history):
        if isinstance(entry.event, SignedOff):
            return entry.event
    return None


def focused_sign_offs(
    reviews: tuple[ReviewAsOf, ...], start: date, as_of: date
) -> tuple[SignOff, ...]:
    """The focused (or multi-agency) reviews completed and signed off from ``start`` to
    ``as_of``, by the day of sign-off then notification id (GOV-ACTIONS)."""
    signed: list[SignOff] = []
    for item in reviews:
        review = item.review
        sign_off = _sign_off(review)
        if (
            review.state is ReviewState.COMPLETED
            and review.review_level in _FOCUSED_LEVELS
            and sign_off is not None
            and start <= sign_off.on <= as_of
        ):
            signed.append(
                SignOff(notification_id=item.id, on=sign_off.on, actions=sign_off.actions)
            )
    signed.sort(key=lambda entry: (entry.on, entry.notification_id))
    return tuple(signed)
