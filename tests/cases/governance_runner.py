"""The runner of ``kind = "governance"`` policy cases (rules §9).

A governance case has ``[case.arrangements]`` (a ``leder.governance/1`` document), ``as_of``,
optionally ``reviews`` (review documents, usually written as ``[[case.reviews]]`` tables) and
``[case.interpretation]``, and an ``[case.expect]`` table:

``requirements``
    statuses by rule id, such as ``{ "GOV-GROUP" = "met" }``; only the rules named are checked.
``evidence_contains`` / ``text_contains``
    by rule id, a string (or a list of strings) the requirement's evidence / text must contain.
``interpretation``
    keys the report's recorded interpretation must have, with these values.

The order of the report's requirements is always checked against the order of rules §9 (as
docs/governance.md lists them), and every review document must replay without a refused event (a
typo in a case's history would otherwise quietly change what the case tests).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from leder_core import check_governance, dump, load_review
from leder_core.rules.governance import GOVERNANCE_RULES

__all__ = ["run_governance"]

_RULE_ORDER = [rule.id for rule in GOVERNANCE_RULES]


def _strings(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def run_governance(case: dict[str, Any]) -> list[str]:
    """Check one governance case; the problems found, none when it passes."""
    report = check_governance(
        case["arrangements"],
        as_of=date.fromisoformat(case["as_of"]),
        reviews=case.get("reviews", []),
        interpretation=case.get("interpretation"),
    )
    document = dump(report)
    by_rule = {requirement["rule"]: requirement for requirement in document["requirements"]}
    problems = []
    for document_ in case.get("reviews", []):
        refused = load_review(document_, interpretation=case.get("interpretation")).refused
        if refused is not None:
            rules = [reason.rule for reason in refused.reasons]
            problems.append(
                f"review {document_['notification']['id']}: event {refused.index} refused {rules}"
            )
    order = [requirement["rule"] for requirement in document["requirements"]]
    if order != _RULE_ORDER:
        problems.append(f"requirements: expected the order {_RULE_ORDER!r}, got {order!r}")
    expect = case["expect"]
    unknown = set(expect) - {"requirements", "evidence_contains", "text_contains", "interpretation"}
    if unknown:
        problems.append(f"expect: unknown keys {sorted(unknown)!r}")
    for rule_id, status in expect.get("requirements", {}).items():
        if rule_id not in by_rule:
            problems.append(f"{rule_id}: not in the report")
        elif by_rule[rule_id]["status"] != status:
            requirement = by_rule[rule_id]
            problems.append(
                f"{rule_id}: expected {status!r}, got {requirement['status']!r} "
                f"({requirement['text']} Evidence: {requirement['evidence']})"
            )
    for key, field in (("evidence_contains", "evidence"), ("text_contains", "text")):
        for rule_id, wanted in expect.get(key, {}).items():
            actual = by_rule[rule_id][field] if rule_id in by_rule else ""
            for fragment in _strings(wanted):
                if fragment not in actual:
                    problems.append(f"{rule_id}: {field} {actual!r} lacks {fragment!r}")
    for key, value in expect.get("interpretation", {}).items():
        if document["interpretation"].get(key) != value:
            got = document["interpretation"].get(key)
            problems.append(f"interpretation.{key}: expected {value!r}, got {got!r}")
    return problems
