"""The review workflow drawn from the same transition table the code runs on.

>>> print(workflow_mermaid().splitlines()[0])
stateDiagram-v2
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from leder_core.models.assessment import Outcome, ReviewLevel, RuleSetId
from leder_core.models.review import EventType, ReviewState
from leder_core.rules.rulesets import RULESETS
from leder_core.rules.workflow import OPEN_STATES, OPENING_STATES, TRANSITIONS, opening_state

__all__ = ["workflow_dot", "workflow_edges", "workflow_mermaid"]


def _opened_by() -> dict[ReviewState, str]:
    """How a review opens, read from the workflow: the state for each outcome named in its
    table, and the state every other outcome opens in."""
    opened = {state: outcome.value for outcome, state in OPENING_STATES.items()}
    for outcome in Outcome:
        if outcome not in OPENING_STATES:
            opened.setdefault(opening_state(outcome), "any other outcome")
    return opened


_OPENED_BY: Final = _opened_by()


def workflow_edges(
    ruleset: RuleSetId = RuleSetId.LEDER_2021,
) -> list[tuple[ReviewState, ReviewState, list[str]]]:
    """Every move between states, with the events (and rule ids) that make it, in table order.

    Events that leave every open state where it is (contacts, holds) are kept out of the
    edges and listed by :func:`_self_loops`, so the diagram stays readable.
    """
    edges: dict[tuple[ReviewState, ReviewState], list[str]] = defaultdict(list)
    for event, transition in TRANSITIONS.items():
        for source, targets in transition.targets.items():
            for target in targets:
                if source is target:
                    continue
                label = _event_label(event, ruleset)
                condition = transition.when.get(target)
                if condition:
                    label += f" ({condition})"
                edges[source, target].append(f"{label} [{transition.rule.id}]")
    return [(source, target, labels) for (source, target), labels in edges.items()]


def _event_label(event: EventType, ruleset: RuleSetId) -> str:
    label = event.value
    if event is EventType.REGIONAL_DECISION:
        return label
    if event is EventType.FOCUSED_REVIEW_REQUESTED and _deeper(ruleset) is ReviewLevel.MULTI_AGENCY:
        return "focused_review_requested (multi-agency in leder-2016)"
    return label


def _deeper(ruleset: RuleSetId) -> ReviewLevel:
    return RULESETS[ruleset].deeper_level


def _self_loops() -> dict[ReviewState, list[str]]:
    loops: dict[ReviewState, list[str]] = defaultdict(list)
    for event, transition in TRANSITIONS.items():
        for source, targets in transition.targets.items():
            if source in targets:
                loops[source].append(event.value)
    return loops


def _guard_note(ruleset: RuleSetId) -> list[str]:
    deeper = _deeper(ruleset).value
    notes = []
    for transition in TRANSITIONS.values():
        parts = [guard.id for guard in transition.guards]
        if transition.blocked_by_holds:
            parts.append("FLOW-HOLD-BLOCKS")
        if parts:
            notes.append(f"{transition.event.value}: {', '.join(parts)}")
    notes.append(f"deeper review level in {ruleset.value}: {deeper}")
    return notes


def workflow_dot(ruleset: RuleSetId = RuleSetId.LEDER_2021) -> str:
    """The workflow as a Graphviz DOT digraph."""
    lines = [
        "digraph leder_review_workflow {",
        '  graph [rankdir=TB, fontname="Helvetica", labelloc=t,',
        f'         label="LeDeR review workflow ({ruleset.value})"];',
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  notified [shape=point, width=0.15, label=""];',
    ]
    for state in ReviewState:
        shape = ", peripheries=2" if state.terminal else ""
        loops = _self_loops().get(state, [])
        extra = ""
        if loops:
            # One event a line keeps the boxes narrow enough to read on a page.
            extra = "\\n" + "".join(f"\\l  + {loop}" for loop in loops) + "\\l"
        lines.append(f'  {state.value} [label="{state.value}{extra}"{shape}];')
    for state, outcome in _OPENED_BY.items():
        lines.append(f'  notified -> {state.value} [label="{outcome}", style=dashed];')
    for source, target, labels in workflow_edges(ruleset):
        # Event, condition and rule on lines of their own keep the drawing narrow.
        label = "\\n".join(text.replace(" (", "\\n(").replace(" [", "\\n[") for text in labels)
        lines.append(f'  {source.value} -> {target.value} [label="{label}"];')
    note = "\\l".join(_guard_note(ruleset)) + "\\l"
    lines.append(f'  guards [shape=note, label="Guards\\l{note}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def workflow_mermaid(ruleset: RuleSetId = RuleSetId.LEDER_2021) -> str:
    """The workflow as a Mermaid state diagram."""
    lines = ["stateDiagram-v2", f"    %% LeDeR review workflow ({ruleset.value})"]
    for state, outcome in _OPENED_BY.items():
        lines.append(f"    [*] --> {state.value}: {outcome}")
    for source, target, labels in workflow_edges(ruleset):
        lines.append(f"    {source.value} --> {target.value}: {'<br/>'.join(labels)}")
    for state in ReviewState:
        if state.terminal:
            lines.append(f"    {state.value} --> [*]")
    for state, loops in _self_loops().items():
        if state in OPEN_STATES:
            lines.append(f"    note right of {state.value}: also {', '.join(loops)}")
    return "\n".join(lines) + "\n"
