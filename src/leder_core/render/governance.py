"""The sentences of a governance compliance report: each finding's ``text`` and ``evidence``.

The GOV-* rules decide (:mod:`leder_core.rules.governance`) and say what they found
(:mod:`leder_core.rules.governance.findings`); this module only words it. Dates are written in
their ``YYYY-MM-DD`` form (``str(date)``). Evidence names dates, counts, reviewer and
notification ids, never the value of a person field (the named executive lead or local area
contact is never repeated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Final

from leder_core.interpretation import Timeliness
from leder_core.models.governance import ComplianceReport, Requirement
from leder_core.models.governance import RequirementStatus as Status
from leder_core.rules.governance.findings import (
    ActionPlanFinding,
    ActionsFinding,
    AnnualReportFinding,
    AnnualReportYear,
    DatedFinding,
    DeadlineFinding,
    Finding,
    GovernanceFindings,
    NamedRoleFinding,
    NotJudgedFinding,
    TimelinessCounts,
    TimelinessFinding,
    TrainedReviewersFinding,
)
from leder_core.rules.governance.lifetime import BodyLifetime

__all__ = ["compliance_report", "requirement"]

Sentences = tuple[str, str]
"""A requirement's ``text`` and ``evidence``."""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 review``, ``2 reviews``: a count with its noun."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def listed(items: Iterable[str]) -> str:
    """Ids or years in a list, comma-separated."""
    return ", ".join(items)


# --- GOV-SUCCESSION and the directory ------------------------------------------------------------


def _named_bodies(holders: Iterable[tuple[str, str | None]]) -> str:
    return ", ".join(code if name is None else f"{code} ({name})" for code, name in holders)


def _formed(life: BodyLifetime) -> str:
    formed_from = listed(life.predecessors)
    return f"GOV-SUCCESSION: {life.code} was formed on {life.formed_on} from {formed_from}"


def _moved(finding: DatedFinding) -> str:
    """What GOV-SUCCESSION did to a dated requirement's date ("" when the body was not formed
    by a succession)."""
    life, day = finding.lifetime, finding.own_day
    if life.formed_on is None:
        return ""
    what = "due by" if isinstance(finding, DeadlineFinding) else "required from"
    if life.formed_on > day:
        return f"{_formed(life)}, so {what} {life.formed_on}, not {day}"
    return f"{_formed(life)}, not after {day}, so {what} {day} stands"


def _not_judged(finding: NotJudgedFinding) -> Sentences:
    life = finding.lifetime
    code, on = life.code, life.on.isoformat()
    if life.ceased_on is not None:
        how = "split" if life.split else "merged"
        return (
            f"{code} ceased on {life.ceased_on}; nothing is required of it on {on}.",
            f"GOV-SUCCESSION: {code} ceased on {life.ceased_on} ({how}); its area is held "
            f"on {on} by {_named_bodies(life.holders)}",
        )
    return (
        f"{code} is formed on {life.formed_on}; nothing is required of it on {on}.",
        f"GOV-SUCCESSION: {code} is formed on {life.formed_on} from {listed(life.predecessors)}; "
        f"{on} is before that day",
    )


# --- GOV-GROUP, GOV-QUALITY-REPORTING: a thing due by a fixed day --------------------------------

#: Per rule: what is in place, the evidence of its date, the evidence when none is recorded.
_DEADLINE_WORDS: Final = {
    "GOV-GROUP": (
        "A local LeDeR governance group has been in place",
        "governance group established on",
        "no governance group establishment date recorded",
    ),
    "GOV-QUALITY-REPORTING": (
        "LeDeR has been part of routine quality reporting",
        "LeDeR in routine quality reporting from",
        "no date recorded for LeDeR in routine quality reporting",
    ),
}


def _deadline(finding: DeadlineFinding) -> Sentences:
    what, evidence_of, evidence_none = _DEADLINE_WORDS[finding.rule.id]
    happened_on, deadline, as_of = finding.happened_on, finding.day, finding.as_of
    if finding.status in (Status.MET, Status.LATE):
        when = "on or before" if finding.status is Status.MET else "after"
        return (
            f"{what} since {happened_on}, {when} the deadline of {deadline}.",
            f"{evidence_of} {happened_on}",
        )
    if happened_on is None:
        evidence = evidence_none
    else:
        evidence = f"{evidence_of} {happened_on}, after {as_of}: not yet happened"
    if finding.status is Status.NOT_YET_DUE:
        return f"Not in place by {as_of}; due by {deadline}.", evidence
    return f"Not in place by {as_of}; it was due by {deadline}.", evidence


# --- GOV-EXEC-LEAD, GOV-LAC: a named role from a day ---------------------------------------------

#: Per rule: the article and the role.
_ROLES: Final = {
    "GOV-EXEC-LEAD": ("an", "executive lead for LeDeR"),
    "GOV-LAC": ("a", "local area contact"),
}


def _named_role(finding: NamedRoleFinding) -> Sentences:
    article, role = _ROLES[finding.rule.id]
    start = finding.day
    said = f"{article} {role} is named" if finding.named else f"no {role} is named"
    if finding.status is Status.NOT_YET_DUE:
        return f"A named {role} is required from {start}.", f"{said}; required from {start}"
    if finding.status is Status.MET:
        return f"{article.capitalize()} {role} is named.", said
    return f"No {role} is named; one is required from {start}.", said


# --- GOV-TRAINED-REVIEWERS -----------------------------------------------------------------------


def _trained_reviewers(finding: TrainedReviewersFinding) -> Sentences:
    start, as_of = finding.day, finding.as_of
    if finding.status is Status.NOT_YET_DUE:
        return f"Reviews must go to trained reviewers from {start}.", f"required from {start}"
    if finding.reviews_given:
        return _trained_allocations(finding)
    reviewers = f"{plural(finding.listed, 'reviewer')} listed, no reviews given"
    if not finding.listed:
        return (
            "No reviewers are listed and no reviews were given, so there is nothing to judge.",
            reviewers,
        )
    untrained = finding.untrained_listed
    if untrained:
        return (
            f"{plural(len(untrained), 'listed reviewer has', 'listed reviewers have')} no "
            f"training date on or before {as_of}.",
            f"{reviewers}; not trained by {as_of}: {listed(untrained)}",
        )
    return (
        f"Every listed reviewer was trained by {as_of}.",
        f"{reviewers}; every one trained by {as_of}",
    )


def _trained_allocations(finding: TrainedReviewersFinding) -> Sentences:
    counted = f"{plural(finding.allocations, 'allocation')} from {finding.day} to {finding.as_of}"
    if not finding.allocations:
        return "No review was allocated in the period, so there is nothing to judge.", counted
    untrained = []
    for allocation in finding.untrained_allocations:
        if not allocation.listed:
            when = "not listed"
        elif allocation.trained_on is None:
            when = "no training date"
        else:
            when = f"trained {allocation.trained_on}"
        untrained.append(
            f"{allocation.reviewer} allocated {allocation.notification_id} on {allocation.on} "
            f"({when})"
        )
    if untrained:
        return (
            f"{plural(len(untrained), 'allocation')} went to a reviewer not trained by "
            "the day of allocation.",
            f"{counted}; to an untrained reviewer: " + "; ".join(untrained),
        )
    return (
        "Every review allocated went to a reviewer trained by the day of allocation.",
        f"{counted}; every reviewer trained by then",
    )


# --- GOV-ANNUAL-REPORT ---------------------------------------------------------------------------


def _year_phrase(part: AnnualReportYear) -> str:
    due = f"due {part.due_on}"
    if part.published_on is None:
        return f"{part.year} not published, {due}: {part.status.value.replace('_', ' ')}"
    return f"{part.year} published {part.published_on}, {due}: {part.status.value}"


def _annual_report(finding: AnnualReportFinding) -> Sentences:
    rule_of_due = (
        f"each report due {plural(finding.months, 'month')} after its financial year ends "
        "(INT-ANNUAL-REPORT)"
    )
    if not finding.years:
        first = finding.first_year
        return (
            f"No financial year needing a report has begun: the first is {first}.",
            f"{rule_of_due}; {first} begins {first.starts_on}",
        )
    status = finding.status
    years_with = [str(part.year) for part in finding.years if part.status is status]
    if status is Status.MISSING:
        text = f"Not published by {finding.as_of}, after the due date: {listed(years_with)}."
    elif status is Status.LATE:
        text = f"Published after the due date: {listed(years_with)}."
    elif status is Status.MET:
        text = "Every annual report due has been published on time."
    else:
        verb = "is" if len(years_with) == 1 else "are"
        text = f"No annual report is due yet: {listed(years_with)} {verb} due later."
    evidence = f"{rule_of_due}; " + "; ".join(_year_phrase(part) for part in finding.years)
    return text, evidence + _predecessors_years(finding)


def _predecessors_years(finding: AnnualReportFinding) -> str:
    """GOV-SUCCESSION's note for GOV-ANNUAL-REPORT: the years left to the predecessors."""
    life = finding.lifetime
    if life.formed_on is None:
        return ""
    earlier = [str(year) for year in finding.predecessors_years]
    if not earlier:
        return f"; {_formed(life)}; it owes every year due on or after that day"
    return (
        f"; {_formed(life)}; it owes the years due on or after that day; "
        f"{listed(earlier)} {'was' if len(earlier) == 1 else 'were'} its predecessors', not judged"
    )


# --- GOV-ACTION-PLAN -----------------------------------------------------------------------------


def _action_plan(finding: ActionPlanFinding) -> Sentences:
    plan, start, as_of = finding.plan, finding.day, finding.as_of
    covers = (
        "no action plan recorded" if plan is None else f"action plan from {plan.from_} to {plan.to}"
    )
    if finding.status is Status.NOT_YET_DUE:
        return (
            f"A three-year action plan is required from {start}.",
            f"{covers}; required from {start}",
        )
    if finding.status is Status.MET:
        return f"The three-year action plan covers {as_of}.", covers
    return (
        f"No action plan covers {as_of}.",
        covers if plan is None else f"{covers}, which does not cover {as_of}",
    )


# --- GOV-TIMELINESS ------------------------------------------------------------------------------


def _standard(standard: Timeliness | float) -> str:
    if isinstance(standard, Timeliness):
        return "every review due (INT-TIMELINESS every_review)"
    return f"a share of at least {standard * 100:g}% (INT-TIMELINESS {standard!r})"


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part * 100 / whole:.1f}%)" if whole else "none (no review due)"


def _timeliness_evidence(
    counts: TimelinessCounts, as_of: date, standard: Timeliness | float
) -> str:
    of_given = f"of {plural(counts.given, 'review')} given" + (
        f", {plural(counts.repeated, 'repeated notification id')} counted once"
        if counts.repeated
        else ""
    )
    today = len(counts.due_today)
    parts = [
        f"{plural(counts.due, 'review')} due by {as_of} ({of_given}): "
        f"{len(counts.on_time)} completed on time, {len(counts.excused)} late or overdue and "
        f"excused, {counts.not_excused} late or overdue and not excused"
        + (f", {today} due on {as_of} itself and still open" if today else ""),
        f"completed on time or excused: {_share(counts.good, counts.judged)}"
        + (f", not counting the {today} due on {as_of} itself" if today else ""),
        f"standard: {_standard(standard)}",
    ]
    if counts.late:
        parts.append(f"{len(counts.late)} completed late and not excused: {listed(counts.late)}")
    if counts.overdue:
        parts.append(f"{len(counts.overdue)} overdue and not excused: {listed(counts.overdue)}")
    if counts.excused:
        parts.append(
            f"{len(counts.excused)} late or overdue, excused by a hold placed by the due date: "
            f"{listed(counts.excused)}"
        )
    if counts.due_today:
        parts.append(f"{today} due on {as_of} itself: {listed(counts.due_today)}")
    return "; ".join(parts)


def _timeliness(finding: TimelinessFinding) -> Sentences:
    counts, as_of, standard = finding.counts, finding.as_of, finding.standard
    if counts is None:
        return "No reviews were given, so timeliness is not judged.", "no reviews given"
    evidence = _timeliness_evidence(counts, as_of, standard)
    due, judged, good = counts.due, counts.judged, counts.good
    if due == 0:
        return f"No review given was due by {as_of}.", evidence
    if judged == 0:
        return (
            f"The {plural(due, 'review')} due by {as_of} "
            f"{'is' if due == 1 else 'are'} due that day itself and still open: none is late yet.",
            evidence,
        )
    if not isinstance(standard, Timeliness):
        share = f"{good} of the {plural(judged, 'review')} due by {as_of}"
        if counts.due_today:
            share += " and not due that day itself"
        met = finding.status is Status.MET
        return (
            f"{share} ({good * 100 / judged:.1f}%) were completed within six months or "
            f"excused by a hold: {'at least' if met else 'below'} the standard of "
            f"{standard * 100:g}%.",
            evidence,
        )
    count = counts.not_excused
    if count:
        was, is_ = ("was", "is") if count == 1 else ("were", "are")
        return (
            f"{count} of the {plural(due, 'review')} due by {as_of} {was} "
            f"completed late or {is_} overdue, with no hold placed by the due date to excuse it.",
            evidence,
        )
    return (
        f"Every review due by {as_of} was completed within six months, or its lateness "
        "is excused by a hold.",
        evidence,
    )


# --- GOV-ACTIONS ---------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()) + '"'


def _actions(finding: ActionsFinding) -> Sentences:
    if not finding.reviews_given:
        return "No reviews were given, so learning into action is not judged.", "no reviews given"
    as_of, signed = finding.as_of, finding.signed_off
    window = f"from {finding.window_from} to {as_of}"
    counted = f"{plural(len(signed), 'focused review')} signed off {window}"
    if not signed:
        return f"No focused review was signed off {window}.", counted
    with_actions = [sign_off for sign_off in signed if sign_off.actions]
    without = [f"{item.notification_id} ({item.on})" for item in signed if not item.actions]
    if not with_actions:
        return (
            f"Every focused review signed off {window} was signed off with no action.",
            f"{counted}; none with an agreed action: {listed(without)}",
        )
    described_reviews = []
    agreed = 0
    falling_due = 0
    for sign_off in with_actions:
        described = []
        for action in sign_off.actions:
            agreed += 1
            if action.due_on is None:
                described.append(f"{_quoted(action.description)} with no due date")
            else:
                described.append(f"{_quoted(action.description)} due {action.due_on}")
                falling_due += action.due_on <= as_of
        described_reviews.append(
            f"{sign_off.notification_id} (signed off {sign_off.on}): " + ", ".join(described)
        )
    evidence = (
        f"{counted}; {len(with_actions)} with agreed actions; "
        f"{plural(agreed, 'action')} agreed, {falling_due} falling due by {as_of}: "
        + "; ".join(described_reviews)
    )
    if without:
        evidence += f"; signed off with no action: {listed(without)}"
    return (
        f"{len(with_actions)} of the {plural(len(signed), 'focused review')} signed off "
        f"{window} led to an agreed action.",
        evidence,
    )


# --- a finding as a requirement of the report ----------------------------------------------------

_SENTENCES: Final[dict[type[Any], Callable[[Any], Sentences]]] = {
    NotJudgedFinding: _not_judged,
    DeadlineFinding: _deadline,
    NamedRoleFinding: _named_role,
    TrainedReviewersFinding: _trained_reviewers,
    AnnualReportFinding: _annual_report,
    ActionPlanFinding: _action_plan,
    TimelinessFinding: _timeliness,
    ActionsFinding: _actions,
}


def _noted(evidence: str, note: str) -> str:
    return f"{evidence}; {note}" if note else evidence


def requirement(finding: Finding) -> Requirement:
    """A finding as a requirement of ``leder.governance-report/1``: its sentence, its evidence
    (with what GOV-SUCCESSION and the directory add) and the rule's citations."""
    text, evidence = _SENTENCES[type(finding)](finding)
    if isinstance(finding, DatedFinding):
        evidence = _noted(evidence, _moved(finding))
    life = finding.lifetime
    if not life.known:
        evidence = _noted(
            evidence,
            f"the directory of responsible bodies does not know the code {life.code}: judged "
            "by the dates as they stand",
        )
    rule = finding.rule
    return Requirement(
        rule=rule.id,
        status=finding.status,
        text=text,
        evidence=evidence,
        citations=rule.citations,
    )


def compliance_report(found: GovernanceFindings) -> ComplianceReport:
    """The ``leder.governance-report/1`` document of the governance rules' findings."""
    return ComplianceReport(
        body=found.body,
        as_of=found.as_of,
        interpretation=found.interpretation,
        requirements=tuple(requirement(finding) for finding in found.findings),
    )
