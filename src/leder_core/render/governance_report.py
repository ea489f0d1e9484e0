"""A governance compliance report as plain text, for a governance group to table at a meeting.

Presentation only: the judgements are :func:`~leder_core.check_governance`'s,
and the directory finding is :func:`~leder_core.reference.body_in_directory`'s (in the one
directory of responsible bodies over time, the one the judgements read). Nothing here decides
anything.
"""

from __future__ import annotations

import textwrap
from typing import Final

from leder_core.interpretation import Clock, Interpretation, Timeliness
from leder_core.models.governance import BodyKind, ComplianceReport, RequirementStatus
from leder_core.reference import DirectoryFinding
from leder_core.rules.registry import RULES

__all__ = ["format_governance_report"]

_WIDTH: Final = 100
_RULE_WIDTH: Final = 22
_STATUS_WIDTH: Final = 14
_KIND_NAMES: Final = {
    BodyKind.CCG: "clinical commissioning group (CCG)",
    BodyKind.ICS: "integrated care system (ICS)",
    BodyKind.ICB: "integrated care board (ICB)",
}
_STATUS_ORDER: Final = (
    RequirementStatus.MET,
    RequirementStatus.LATE,
    RequirementStatus.MISSING,
    RequirementStatus.NOT_YET_DUE,
    RequirementStatus.NOT_APPLICABLE,
)


def _status(status: RequirementStatus) -> str:
    return status.value.replace("_", " ")


def _wrapped(text: str, indent: str = "  ", subsequent: str | None = None) -> list[str]:
    # Addresses are never broken across lines, so they stay usable.
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _timeliness(interpretation: Interpretation) -> str:
    standard = interpretation.timeliness
    if isinstance(standard, Timeliness):
        return "timeliness judged on every review due (INT-TIMELINESS every_review)"
    return (
        f"timeliness met when at least {standard * 100:g}% of the reviews due were completed on "
        f"time or excused (INT-TIMELINESS {standard!r})"
    )


def _table(report: ComplianceReport) -> list[str]:
    evidence_width = _WIDTH - _RULE_WIDTH - _STATUS_WIDTH - 4
    lines = [
        f"{'Requirement':<{_RULE_WIDTH}}  {'Status':<{_STATUS_WIDTH}}  Evidence",
        f"{'-' * _RULE_WIDTH}  {'-' * _STATUS_WIDTH}  {'-' * evidence_width}",
    ]
    for requirement in report.requirements:
        evidence = textwrap.wrap(
            requirement.evidence,
            width=evidence_width,
            break_on_hyphens=False,
            break_long_words=False,
        ) or [""]
        first = f"{requirement.rule:<{_RULE_WIDTH}}  {_status(requirement.status):<{_STATUS_WIDTH}}"
        lines.append(f"{first}  {evidence[0]}")
        padding = " " * (_RULE_WIDTH + _STATUS_WIDTH + 4)
        lines.extend(f"{padding}{line}" for line in evidence[1:])
    return lines


def format_governance_report(
    report: ComplianceReport, directory_finding: DirectoryFinding | None = None
) -> str:
    """The report as text: heading, a table of requirement, status and evidence, then each
    requirement's sentence and sources, then what the directory says about the body's code.

    A code the directory does not know on the date is reported as such, never guessed.
    """
    body = report.body
    title = body.name or body.code
    interpretation = report.interpretation
    clock = (
        "a hold placed by the due date excuses a late review"
        if interpretation.clock is Clock.EXCUSE
        else "a hold stops the six-month clock"
    )
    counts = dict.fromkeys(_STATUS_ORDER, 0)
    for requirement in report.requirements:
        counts[requirement.status] += 1
    summary = ", ".join(f"{count} {_status(status)}" for status, count in counts.items() if count)
    lines = [
        f"LeDeR governance compliance: {title}",
        "=" * min(_WIDTH, len(f"LeDeR governance compliance: {title}")),
        "",
        f"Responsible body: {body.code}, {_KIND_NAMES[BodyKind(body.kind)]}",
        f"As of:            {report.as_of.isoformat()}",
        f"Summary:          {summary}",
        *_wrapped(
            f"Interpretation:   annual reports due {interpretation.annual_report_months} "
            f"months after the financial year ends (INT-ANNUAL-REPORT); {clock} "
            f"(INT-CLOCK {interpretation.clock.value}); {_timeliness(interpretation)}.",
            indent="",
            subsequent=" " * 18,
        ),
        "",
        *_table(report),
        "",
        "Requirements",
        "------------",
    ]
    for requirement in report.requirements:
        known = RULES.get(requirement.rule)
        heading = requirement.rule + (f": {known.title}" if known is not None else "")
        lines += ["", f"{heading} ({_status(requirement.status)})"]
        lines += _wrapped(requirement.text)
        lines += _wrapped(f"Evidence: {requirement.evidence}")
        lines.append("  Sources:")
        for citation in requirement.citations:
            lines += _wrapped(f"- {citation.title}", indent="    ", subsequent="      ")
            lines.append(f"      {citation.url}")
    if directory_finding is not None:
        lines += ["", "Directory", "---------"]
        for note in directory_finding.notes:
            lines += ["", *_wrapped(note)]
    return "\n".join(lines) + "\n"
