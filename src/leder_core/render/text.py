"""Plain-text explanations a policy lead can follow: assessments, reviews, the rule catalogue.

Every line comes from the reasons the rules produced when they were evaluated; nothing here
decides anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation
from leder_core.models.assessment import Assessment, Outcome
from leder_core.models.bodies import BodyOnDate
from leder_core.models.explanation import Citation, Reason
from leder_core.models.review import ReviewResult, StatusCode
from leder_core.rules.registry import Rule
from leder_core.rules.rulesets import RULESETS

__all__ = [
    "format_assessment_text",
    "format_body_text",
    "format_interpretation_text",
    "format_review_result_text",
    "format_rules_text",
]

_OUTCOME_WORDS = {
    Outcome.LEDER_REVIEW: "LeDeR review",
    Outcome.CHILD_DEATH_REVIEW: "child death review (no separate LeDeR review)",
    Outcome.OUT_OF_SCOPE: "out of scope",
    Outcome.REGIONAL_DECISION: "regional decision (NHS England regional coordinator)",
    Outcome.NO_REVIEW_OPT_OUT: "no review (national data opt-out)",
}

_STATUS_WORDS = {
    StatusCode.CLOSED: "closed",
    StatusCode.COMPLETED_ON_TIME: "completed on time",
    StatusCode.COMPLETED_LATE: "completed late",
    StatusCode.ON_HOLD: "on hold",
    StatusCode.OVERDUE: "overdue",
    StatusCode.DUE_SOON: "due soon",
    StatusCode.ON_TRACK: "on track",
}


def _listed(values: Iterable[object]) -> str:
    items = [str(value) for value in values]
    return ", ".join(items) if items else "none"


def _iso_day_or_none(value: date | None) -> str:
    return value.isoformat() if value is not None else "none"


class _Sources:
    """Numbers each distinct citation once, in order of first use."""

    def __init__(self) -> None:
        self.numbers: dict[Citation, int] = {}

    def refs(self, citations: Sequence[Citation]) -> str:
        numbers = []
        for citation in citations:
            if citation not in self.numbers:
                self.numbers[citation] = len(self.numbers) + 1
            numbers.append(self.numbers[citation])
        return "".join(f"[{number}]" for number in numbers)

    def lines(self) -> list[str]:
        return [
            f"  [{number}] {citation.title}\n      {citation.url}"
            for citation, number in self.numbers.items()
        ]


def _reason_lines(reasons: Sequence[Reason], sources: _Sources) -> list[str]:
    width = max((len(reason.rule) for reason in reasons), default=0)
    lines = []
    for number, reason in enumerate(reasons, start=1):
        mark = "yes" if reason.holds else "no "
        decisive = "  <- decisive" if reason.decisive else ""
        lines.append(
            f"  {number:>2}. {reason.rule:<{width}}  {mark}  {reason.text} "
            f"{sources.refs(reason.citations)}{decisive}"
        )
    return lines


def format_interpretation_text(interpretation: Interpretation) -> str:
    """The interpretation in one line: the defaults, or which choices were overridden."""
    default = DEFAULT_INTERPRETATION
    changed = [
        f"{field.name}={getattr(interpretation, field.name)}"
        for field in attrs.fields(Interpretation)
        if getattr(interpretation, field.name) != getattr(default, field.name)
    ]
    if not changed:
        return "the rulebook's defaults"
    return "defaults except " + ", ".join(changed)


def format_assessment_text(assessment: Assessment) -> str:
    """An assessment as a readable explanation, rule by rule, with its sources."""
    ruleset = assessment.ruleset
    ruleset_words = f"{ruleset.value} ({RULESETS[ruleset].title})" if ruleset else "none"
    sources = _Sources()
    lines = [
        f"Notification {assessment.notification_id}",
        f"  Outcome:         {_OUTCOME_WORDS[assessment.outcome]} [{assessment.outcome.value}]",
        f"  Rule set:        {ruleset_words}",
        f"  Age at death:    {assessment.age_at_death}",
    ]
    if assessment.outcome.in_scope:
        level = assessment.review_level.value if assessment.review_level else "none"
        lines += [
            f"  Review level:    {level}",
            f"  Triggers:        {_listed(assessment.mandatory_triggers)}",
            f"  Expected holds:  {_listed(assessment.expected_holds)}",
            f"  Due:             {_iso_day_or_none(assessment.due_on)}",
            f"  Warnings:        {_listed(assessment.warnings)}",
        ]
    lines += [
        f"  Interpretation:  {format_interpretation_text(assessment.interpretation)}",
        "",
        "  How this was decided (rule, whether it held, why):",
        *_reason_lines(assessment.reasons, sources),
        "",
        "  Sources:",
        *sources.lines(),
    ]
    return "\n".join(lines)


def format_review_result_text(result: ReviewResult) -> str:
    """A review as of a date: where it is, its status, its history and any refusal."""
    status = result.status
    status_words = _STATUS_WORDS[status.code]
    if status.code in (StatusCode.OVERDUE, StatusCode.COMPLETED_LATE):
        status_words += " (excused)" if status.excused else " (not excused)"
    level = result.review_level.value if result.review_level else "none"
    ruleset = result.ruleset.value if result.ruleset else "none"
    lines = [
        f"Review {result.notification_id} as of {status.as_of.isoformat()}",
        f"  Rule set:        {ruleset}",
        f"  State:           {result.state.value}",
        f"  Review level:    {level}",
        f"  Due:             {_iso_day_or_none(result.due_on)}",
        f"  Status:          {status_words} [{status.code.value}]",
        f"  Open holds:      {_listed(result.open_holds)}",
        f"  Can happen next: {_listed(result.enabled_events)}",
        f"  Interpretation:  {format_interpretation_text(result.interpretation)}",
        "",
        "  History:",
    ]
    if not result.history:
        lines.append("    (no events)")
    for number, entry in enumerate(result.history, start=1):
        event = entry.event
        lines.append(
            f"  {number:>3}. {event.on.isoformat()}  {event.type.value:<26} "
            f"{entry.from_.value} -> {entry.to.value}   ({', '.join(entry.rules)})"
        )
    refused = result.refused
    if refused is not None:
        sources = _Sources()
        lines += [
            "",
            f"  Refused: event {refused.index} ({refused.event.type.value}, "
            f"{refused.event.on.isoformat()}); replay stopped there:",
            *_reason_lines(refused.reasons, sources),
            "",
            "  Sources:",
            *sources.lines(),
        ]
    return "\n".join(lines)


def format_rules_text(rules: Iterable[Rule]) -> str:
    """The rule catalogue: id, title, rule sets, effective dates, citations."""
    blocks = []
    for rule in rules:
        dates = "always"
        if rule.effective_from or rule.effective_to:
            start = rule.effective_from.isoformat() if rule.effective_from else "…"
            end = rule.effective_to.isoformat() if rule.effective_to else "…"
            dates = f"{start} to {end}"
        lines = [
            f"{rule.id}  {rule.title}",
            f"  {rule.text}",
            f"  Rule sets: {_listed(ruleset.value for ruleset in rule.rulesets)};"
            f" in force: {dates}; confidence: [{rule.confidence.value}]"
            f"; rulebook {rule.section}",
        ]
        if rule.interpretations:
            lines.append(f"  Interpretations: {', '.join(rule.interpretations)}")
        lines += [f"  - {citation.title} <{citation.url}>" for citation in rule.citations]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_body_text(found: BodyOnDate, *, names: Mapping[str, str] | None = None) -> str:
    """BODY-AS-OF for one code in words: the body on the date, then each step on a line,
    naming both codes; for an unresolved body, its candidates (``names`` gives their names)."""
    day = found.on.isoformat()
    recorded = found.recorded if found.recorded else "(no code)"
    if found.code is not None and found.kind is not None:
        lines = [f"{recorded} on {day}: {found.code} {found.name} ({found.kind.value})"]
    elif found.candidates:
        lines = [
            f"{recorded} on {day}: {found.key}: split, and the code cannot settle which "
            "successor took the review (never guessed)",
            "candidates: "
            + ", ".join(
                f"{code} {names[code]}" if names and code in names else code
                for code in found.candidates
            ),
        ]
    else:
        lines = [
            f"{recorded} on {day}: {found.key}: the directory does not know this code on {day}"
        ]
    for step in found.steps:
        lines.append(
            f"  {step.on.isoformat()}  {step.kind.value:<9}  {step.from_code} -> {step.to_code}"
        )
    return "\n".join(lines) + "\n"
