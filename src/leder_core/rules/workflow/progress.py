"""A review being moved by the workflow engine: mutable while events are applied.

:class:`ReviewProgress` holds what the transition table's guards read and its effects change
(contacts, holds, the review level, the closure); the engine freezes it into a
:class:`~leder_core.models.review.Review` when the step or the replay is done.
"""

from __future__ import annotations

from typing import Final

from leder_core.interpretation import EventOrder, Interpretation
from leder_core.models.assessment import Assessment, ReviewLevel
from leder_core.models.construct import constructor
from leder_core.models.notification import Notification
from leder_core.models.review import HoldReason, Refusal, Review, ReviewState
from leder_core.rules.rulesets import RULESETS
from leder_core.rules.workflow.states import opening_state

__all__ = ["ReviewProgress"]

# Reviews are built by the million in bulk replay: from their fields in order, the same
# objects as the class's own constructor gives (leder_core.models.construct).
_review: Final = constructor(Review)


class ReviewProgress:
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
    ) -> ReviewProgress:
        """The progress of the review :func:`~leder_core.rules.workflow.engine.open_review`
        gives, without building that review."""
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
        progress.closure = assessment.outcome if state is ReviewState.CLOSED else None
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

    def restart(self) -> ReviewProgress:
        """The progress of this review as it opened, before any event."""
        return ReviewProgress.opening(
            self.notification,
            self.interpretation,
            self.assessment,
            given=self.interpretation_given,
        )

    def take(self, other: ReviewProgress) -> None:
        """Become ``other`` (a replay of this review that was accepted)."""
        for name in ReviewProgress.__slots__:
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
