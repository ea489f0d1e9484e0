"""Assessing a notification (docs/assessment.md): ``assess``.

The assessment evaluates the rules in the rulebook's order and keeps every rule's reason, so
the explanation is the evaluation itself and can never disagree with the decision.
"""

from __future__ import annotations

from typing import Final

from leder_core.interpretation import Interpretation
from leder_core.models.assessment import (
    Assessment,
    AssessmentWarning,
    Outcome,
    ReviewLevel,
    RuleSetId,
    Trigger,
)
from leder_core.models.explanation import Reason
from leder_core.models.notification import Notification, OtherProcess
from leder_core.rules._case import Case
from leder_core.rules.age import age_at_death, age_reason
from leder_core.rules.deadlines import six_month_due_date
from leder_core.rules.eligibility import ELIGIBILITY_RULES, OUTCOME_IF_NOT_PASSED
from leder_core.rules.holds import declared_holds, detention_holds
from leder_core.rules.pathway import PATHWAY_RULES
from leder_core.rules.registry import as_decisive
from leder_core.rules.rulesets import select_ruleset

__all__ = ["DEFAULT_INTERPRETATION", "assess"]

#: The rulebook's default choices, for a caller who gives none.
DEFAULT_INTERPRETATION: Final = Interpretation()

_NO_TRIGGERS: Final[tuple[Trigger, ...]] = ()
_NO_HOLDS: Final[tuple[OtherProcess, ...]] = ()
_NO_WARNINGS: Final[tuple[AssessmentWarning, ...]] = ()


def _without_review(
    notification: Notification,
    *,
    ruleset: RuleSetId | None,
    age: int,
    outcome: Outcome,
    interpretation: Interpretation,
    reasons: list[Reason],
) -> Assessment:
    """An outcome with no LeDeR review: no level, triggers, holds, due date or warnings (§5-§7
    are evaluated only for reviews)."""
    return Assessment(
        notification_id=notification.id,
        ruleset=ruleset,
        age_at_death=age,
        outcome=outcome,
        review_level=None,
        mandatory_triggers=_NO_TRIGGERS,
        expected_holds=_NO_HOLDS,
        due_on=None,
        warnings=_NO_WARNINGS,
        interpretation=interpretation,
        reasons=tuple(reasons),
    )


def assess(
    notification: Notification, *, interpretation: Interpretation | None = None
) -> Assessment:
    """Eligibility, route, level, triggers, expected holds, due date and every reason.

    Takes the model only; :func:`leder_core.assess` also accepts a notification document.
    ``interpretation`` overrides the rulebook's default choices.
    """
    chosen = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    person = notification.person
    leap_day = chosen.leap_day
    age = age_at_death(person.date_of_birth, person.date_of_death, leap_day)
    ruleset, selection = select_ruleset(notification.notified_on)
    if ruleset is None:
        return _without_review(
            notification,
            ruleset=None,
            age=age,
            outcome=Outcome.OUT_OF_SCOPE,
            interpretation=chosen,
            reasons=[selection],
        )

    leap_day_birth = person.date_of_birth.month == 2 and person.date_of_birth.day == 29
    reasons: list[Reason] = [selection, age_reason(age, leap_day_birth, leap_day)]
    case = Case(
        notification=notification, person=person, ruleset=ruleset, age=age, interpretation=chosen
    )
    outcome = Outcome.LEDER_REVIEW
    for rule_id in ruleset.eligibility:
        passed, reason = ELIGIBILITY_RULES[rule_id](case)
        reasons.append(reason)
        if not passed:
            outcome = OUTCOME_IF_NOT_PASSED[rule_id]
            break
    else:
        # For a LeDeR review the decisive rule is the last eligibility rule evaluated (§3).
        reasons[-1] = as_decisive(reasons[-1])

    if not outcome.in_scope:
        return _without_review(
            notification,
            ruleset=ruleset.id,
            age=age,
            outcome=outcome,
            interpretation=chosen,
            reasons=reasons,
        )

    triggers: list[Trigger] = []
    warnings: list[AssessmentWarning] = []
    for rule_id in ruleset.pathway:
        trigger, warning, reason = PATHWAY_RULES[rule_id](case)
        reasons.append(reason)
        if trigger is not None:
            triggers.append(trigger)
        if warning is not None:
            warnings.append(warning)
    declared, declared_reason = declared_holds(case)
    detained, detained_reason = detention_holds(case)
    due_on, due_reason = six_month_due_date(notification.notified_on)
    reasons += (declared_reason, detained_reason, due_reason)
    return Assessment(
        notification_id=notification.id,
        ruleset=ruleset.id,
        age_at_death=age,
        outcome=outcome,
        review_level=ruleset.deeper_level if triggers else ReviewLevel.INITIAL,
        mandatory_triggers=tuple(sorted(triggers)),
        expected_holds=tuple(sorted(declared | detained)),
        due_on=due_on,
        warnings=tuple(sorted(warnings)),
        interpretation=chosen,
        reasons=tuple(reasons),
    )
