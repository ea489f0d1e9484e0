"""leder_docs_rulesets: what changed between the rule sets (``leder-ruleset-changes``).

The rule sets side by side (dates, source, eligibility rules in order, mandatory triggers, the
level a trigger raises a review to), the rules only one rule set has, the rules with dates of
their own and every dated parameter that changed value, read from the rule sets, the rule
catalogue and the parameters at build time (see ``leder_docs``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docutils import nodes
from leder_casebook import (  # the small node builders and the parameters' rules, shared
    RULE_PARAMETERS,
    all_parameters,
    labelled_paragraph,
    literal_node,
    paragraph_node,
    parameter_problems,
    shown_value,
    text_node,
)
from leder_docs_nodes import RULE, LederDirective, joined_nodes, table_node, xref_node

from leder_core.rules import parameters, registry
from leder_core.rules.rulesets import RULESETS, RuleSet

__all__ = ["RulesetChanges"]


def _ruleset_in_force(day: date) -> str:
    entry = parameters.RULESET_BY_NOTIFICATION_DATE.entry_at(day)
    return "before any rule set" if entry is None else entry.value.value


def _rule_list(docname: str, ids: Sequence[str]) -> nodes.paragraph:
    return paragraph_node(
        *(joined_nodes([xref_node(docname, RULE, i) for i in ids]) or [text_node("none")])
    )


def _source(title: str, url: str) -> nodes.paragraph:
    return paragraph_node(nodes.reference(title, title, refuri=url))


def _side_by_side(docname: str, rulesets: list[RuleSet]) -> nodes.table:
    def period(ruleset: RuleSet) -> str:
        until = f" to {ruleset.effective_to.isoformat()}" if ruleset.effective_to else ""
        return f"from {ruleset.effective_from.isoformat()}{until}"

    rows: list[list[nodes.Node]] = [
        [paragraph_node("Title"), *(paragraph_node(r.title) for r in rulesets)],
        [paragraph_node("Notified"), *(paragraph_node(period(r)) for r in rulesets)],
        [
            paragraph_node("Source"),
            *(_source(r.citation.title, r.citation.url) for r in rulesets),
        ],
        [
            paragraph_node("Eligibility, in order"),
            *(_rule_list(docname, r.eligibility) for r in rulesets),
        ],
        [
            paragraph_node("Mandatory triggers"),
            *(_rule_list(docname, r.pathway) for r in rulesets),
        ],
        [
            paragraph_node("A trigger raises a review to"),
            *(paragraph_node(literal_node(r.deeper_level.value)) for r in rulesets),
        ],
    ]
    names = [ruleset.id.value for ruleset in rulesets]
    table = table_node(["", *names], rows, [24, *([38] * len(rulesets))])
    table["ids"] = ["ruleset-side-by-side"]
    return table


def _rules_apart(docname: str, rulesets: list[RuleSet]) -> list[nodes.Node]:
    """The rules only one rule set has, then the rules with dates of their own."""
    result: list[nodes.Node] = []
    all_rules = list(registry.iter_rules())
    for ruleset in rulesets:
        others = [r for r in rulesets if r is not ruleset]
        only = [
            rule.id
            for rule in all_rules
            if ruleset.id in rule.rulesets
            and not any(other.id in rule.rulesets for other in others)
        ]
        result.append(
            labelled_paragraph(
                f"Rules only in {ruleset.id.value}:", *_rule_list(docname, only).children
            )
        )
    dated = [rule for rule in all_rules if rule.effective_from or rule.effective_to]
    if dated:
        result.append(labelled_paragraph("Rules with their own dates:"))
        dated_rows: list[list[nodes.Node]] = [
            [
                paragraph_node(xref_node(docname, RULE, rule.id)),
                paragraph_node(rule.effective_from.isoformat() if rule.effective_from else "—"),
                paragraph_node(rule.effective_to.isoformat() if rule.effective_to else "—"),
            ]
            for rule in dated
        ]
        result.append(
            table_node(["Rule", "Applies from", "Applies until"], dated_rows, [40, 30, 30])
        )
    return result


def _parameter_changes(docname: str) -> nodes.table:
    changes: list[list[nodes.Node]] = []
    for parameter in all_parameters():
        previous = None
        for entry in parameter.timeline:
            if previous is not None and entry.value != previous.value:
                readers = RULE_PARAMETERS.get(parameter.name, ())
                changes.append(
                    [
                        paragraph_node(literal_node(parameter.name)),
                        paragraph_node(entry.effective_from.isoformat()),
                        paragraph_node(
                            literal_node(shown_value(previous.value)),
                            text_node(" → "),
                            literal_node(shown_value(entry.value)),
                        ),
                        paragraph_node(_ruleset_in_force(entry.effective_from)),
                        paragraph_node(
                            *joined_nodes([xref_node(docname, RULE, i) for i in readers])
                        ),
                        _source(entry.citation.title, entry.citation.url),
                    ]
                )
            previous = entry
    table = table_node(
        ["Parameter", "From", "Change", "Rule set in force then", "Read by", "Source"],
        changes,
        [16, 12, 18, 16, 18, 20],
    )
    table["ids"] = ["parameter-changes"]
    return table


class RulesetChanges(LederDirective):
    """The rule sets side by side, and the dated parameters that changed."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        for module in (parameters, registry):
            self.env.note_dependency(str(Path(module.__file__ or "")))
        docname = self.env.docname
        rulesets = list(RULESETS.values())
        result: list[nodes.Node] = [
            _side_by_side(docname, rulesets),
            *_rules_apart(docname, rulesets),
            labelled_paragraph("Dated parameters that changed:"),
            _parameter_changes(docname),
        ]
        reporter = self.state.document.reporter
        result += [
            reporter.warning(f"leder-ruleset-changes: {p}", line=self.lineno)
            for p in parameter_problems()
        ]
        return result
