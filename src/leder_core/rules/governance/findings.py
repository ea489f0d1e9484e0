"""What the governance rules found: a status and the facts it rests on, per requirement.

The GOV-* rules (:mod:`leder_core.rules.governance`) decide; each decision is one finding here,
a frozen record of the requirement, its status and the dates, counts and ids it was judged on.
:mod:`leder_core.render.governance` turns findings into the sentences of a
``leder.governance-report/1`` requirement. Nothing here decides or words anything.
"""

from __future__ import annotations

from datetime import date

import attrs

from leder_core.interpretation import Interpretation, Timeliness
from leder_core.models.governance import ActionPlan, Body, FinancialYear, RequirementStatus
from leder_core.models.review import Action
from leder_core.rules.governance.lifetime import BodyLifetime
from leder_core.rules.registry import Rule

__all__ = [
    "ActionPlanFinding",
    "ActionsFinding",
    "AnnualReportFinding",
    "AnnualReportYear",
    "DatedFinding",
    "DeadlineFinding",
    "Finding",
    "GovernanceFindings",
    "NamedRoleFinding",
    "NotJudgedFinding",
    "SignOff",
    "TimelinessCounts",
    "TimelinessFinding",
    "TrainedReviewersFinding",
    "UntrainedAllocation",
]


@attrs.frozen(kw_only=True)
class Finding:
    """One requirement judged as of a date, for a body over its lifetime (GOV-SUCCESSION)."""

    rule: Rule
    status: RequirementStatus
    as_of: date
    lifetime: BodyLifetime


@attrs.frozen(kw_only=True)
class NotJudgedFinding(Finding):
    """A requirement of a body not yet formed, or ceased, on the date: not applicable."""


@attrs.frozen(kw_only=True)
class DatedFinding(Finding):
    """A requirement with a date of its own, moved to the body's first day when later."""

    own_day: date
    """The requirement's own date (a deadline or the day it is required from)."""

    @property
    def day(self) -> date:
        """The date the body is judged by: its own, or the day the body was formed if later."""
        return self.lifetime.start_of(self.own_day)


@attrs.frozen(kw_only=True)
class DeadlineFinding(DatedFinding):
    """GOV-GROUP or GOV-QUALITY-REPORTING: a thing due by a fixed day."""

    happened_on: date | None
    """The day the arrangements say it happened, even after the date checked."""


@attrs.frozen(kw_only=True)
class NamedRoleFinding(DatedFinding):
    """GOV-EXEC-LEAD or GOV-LAC: a role named from a day (the name itself is not kept)."""

    named: bool


@attrs.frozen(kw_only=True)
class UntrainedAllocation:
    """A review allocated to a reviewer not trained by the day of allocation."""

    reviewer: str
    notification_id: str
    on: date
    listed: bool
    """Whether the arrangements list the reviewer at all."""
    trained_on: date | None


@attrs.frozen(kw_only=True)
class TrainedReviewersFinding(DatedFinding):
    """GOV-TRAINED-REVIEWERS: the allocations of the reviews given, else the reviewers listed."""

    reviews_given: bool
    allocations: int
    """Allocations from the requirement's date to the date checked (reviews given)."""
    untrained_allocations: tuple[UntrainedAllocation, ...]
    listed: int
    """Reviewers listed, each counted once (no reviews given)."""
    untrained_listed: tuple[str, ...]
    """Listed reviewers with no training date on or before the date checked, sorted."""


@attrs.frozen(kw_only=True)
class AnnualReportYear:
    """One financial year's part of GOV-ANNUAL-REPORT as of a date."""

    year: FinancialYear
    due_on: date
    published_on: date | None
    """The earliest publication for the year on or before the date checked."""
    status: RequirementStatus


@attrs.frozen(kw_only=True)
class AnnualReportFinding(Finding):
    """GOV-ANNUAL-REPORT: each year owed, the requirement standing at its worst year."""

    months: int
    """INT-ANNUAL-REPORT: each report is due this many months after its year ends."""
    first_year: FinancialYear
    years: tuple[AnnualReportYear, ...]
    predecessors_years: tuple[FinancialYear, ...]
    """Years due before the body was formed by a succession: its predecessors', not judged."""


@attrs.frozen(kw_only=True)
class ActionPlanFinding(DatedFinding):
    """GOV-ACTION-PLAN: the plan recorded, if any."""

    plan: ActionPlan | None


@attrs.frozen(kw_only=True)
class TimelinessCounts:
    """GOV-TIMELINESS's counts: each review given once, by notification id, the first given."""

    given: int
    repeated: int
    on_time: tuple[str, ...]
    late: tuple[str, ...]
    """Completed after the due date, not excused."""
    overdue: tuple[str, ...]
    """Still open after the due date, not excused."""
    excused: tuple[str, ...]
    due_today: tuple[str, ...]
    """Due on the date checked itself and still open: neither on time nor late yet."""

    @property
    def due(self) -> int:
        """The reviews due by the date checked."""
        return (
            len(self.on_time)
            + len(self.late)
            + len(self.overdue)
            + len(self.excused)
            + len(self.due_today)
        )

    @property
    def judged(self) -> int:
        """The reviews the share is taken over: due, less those due on the date itself and
        still open (so that a share of 1 is the same standard as every_review)."""
        return self.due - len(self.due_today)

    @property
    def good(self) -> int:
        """Completed on time or excused."""
        return len(self.on_time) + len(self.excused)

    @property
    def not_excused(self) -> int:
        """Completed late or overdue, not excused."""
        return len(self.late) + len(self.overdue)


@attrs.frozen(kw_only=True)
class TimelinessFinding(Finding):
    """GOV-TIMELINESS: the counts (``None`` with no reviews given) against the standard."""

    counts: TimelinessCounts | None
    standard: Timeliness | float


@attrs.frozen(kw_only=True)
class SignOff:
    """A focused review's sign-off within GOV-ACTIONS's window."""

    notification_id: str
    on: date
    actions: tuple[Action, ...] = attrs.field(repr=False)
    """The actions agreed: free text a person wrote, so never in a ``repr``."""


@attrs.frozen(kw_only=True)
class ActionsFinding(Finding):
    """GOV-ACTIONS: the focused reviews signed off in the window, by day then id."""

    reviews_given: bool
    window_from: date
    signed_off: tuple[SignOff, ...]


@attrs.frozen(kw_only=True)
class GovernanceFindings:
    """Every requirement's finding for a body as of a date, in the report's order."""

    body: Body
    as_of: date
    interpretation: Interpretation
    """The interpretation the report records."""
    findings: tuple[Finding, ...]
