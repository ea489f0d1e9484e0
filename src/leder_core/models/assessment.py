"""The assessment of a notification (``leder.assessment/1``, docs/schemas.md)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.explanation import Reason
from leder_core.models.notification import OtherProcess
from leder_core.models.wire import COMPUTED_DATE

__all__ = [
    "Assessment",
    "AssessmentWarning",
    "Outcome",
    "ReviewLevel",
    "RuleSetId",
    "Trigger",
]


class RuleSetId(StrEnum):
    """The versions of the programme's rules (RS-SELECT)."""

    LEDER_2016 = "leder-2016"
    """University of Bristol programme, notifications 1 July 2016 to 31 May 2021."""
    LEDER_2021 = "leder-2021"
    """NHS England LeDeR policy 2021, notifications from 1 June 2021."""


class Outcome(StrEnum):
    """What happens to a notified death."""

    LEDER_REVIEW = "leder_review"
    CHILD_DEATH_REVIEW = "child_death_review"
    OUT_OF_SCOPE = "out_of_scope"
    REGIONAL_DECISION = "regional_decision"
    NO_REVIEW_OPT_OUT = "no_review_opt_out"

    @property
    def in_scope(self) -> bool:
        """Whether the death goes on to a LeDeR review (or a regional decision about one)."""
        return self in (Outcome.LEDER_REVIEW, Outcome.REGIONAL_DECISION)


class ReviewLevel(StrEnum):
    """How deep a review goes. ``multi_agency`` is the 2016 rule set's name for deeper review."""

    INITIAL = "initial"
    FOCUSED = "focused"
    MULTI_AGENCY = "multi_agency"


class Trigger(StrEnum):
    """A mandatory trigger that raises the minimum review level (the ``PATH-*`` rules)."""

    ETHNIC_MINORITY = "ethnic_minority"
    YOUNG_ADULT_18_24 = "young_adult_18_24"
    AUTISTIC_WITHOUT_LEARNING_DISABILITY = "autistic_without_learning_disability"


class AssessmentWarning(StrEnum):
    """Something a reviewer must establish because a decision may depend on it."""

    ETHNICITY_UNRECORDED = "ethnicity_unrecorded"


@attrs.frozen(kw_only=True, repr=False)
class Assessment:
    """The decision on a notification and every reason for it, in evaluation order."""

    notification_id: str
    ruleset: RuleSetId | None
    age_at_death: int
    outcome: Outcome
    review_level: ReviewLevel | None
    mandatory_triggers: tuple[Trigger, ...]
    expected_holds: tuple[OtherProcess, ...]
    #: Six months after the notification: it may fall after the last date an input holds.
    due_on: date | None = attrs.field(metadata={COMPUTED_DATE: True})
    warnings: tuple[AssessmentWarning, ...]
    interpretation: Interpretation
    reasons: tuple[Reason, ...]

    def __repr__(self) -> str:
        # The age at death is person-level data: named, never shown, in a repr.
        return (
            f"Assessment(notification_id={self.notification_id!r}, ruleset={self.ruleset!r}, "
            f"age_at_death=<masked>, outcome={self.outcome!r}, "
            f"review_level={self.review_level!r}, due_on={self.due_on!r}, "
            f"reasons=<{len(self.reasons)} reasons>)"
        )

    @property
    def decisive_reason(self) -> Reason:
        """The reason of the rule that settled the outcome."""
        return next(reason for reason in self.reasons if reason.decisive)
