"""leder_docs_workflow: the review workflow's diagram, transition table and states, read from
the transition table at build time (see ``leder_docs``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders, shared
    literal_node,
    paragraph_node,
    text_node,
)
from leder_docs_nodes import (
    RULE,
    LederDirective,
    bullet_list_node,
    joined_nodes,
    table_node,
    xref_node,
)
from sphinx.ext.graphviz import figure_wrapper, graphviz, html_visit_graphviz
from sphinx.writers.html5 import HTML5Translator

from leder_core.models.assessment import Outcome, RuleSetId
from leder_core.models.review import ReviewState
from leder_core.render import diagram
from leder_core.rules import workflow

__all__ = ["TransitionTable", "WorkflowDiagram", "WorkflowStates", "visit_graphviz_html"]


# --- the review workflow ------------------------------------------------------------------


def _ruleset(argument: str | None) -> str:
    return directives.choice(argument, [ruleset.value for ruleset in RuleSetId])


class WorkflowDiagram(LederDirective):
    """The review workflow drawn by Graphviz from ``leder_core.render.diagram.workflow_dot``."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "ruleset": _ruleset,
        "caption": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        ruleset = RuleSetId(self.options.get("ruleset", RuleSetId.LEDER_2021.value))
        self._depends_on(diagram, workflow)
        node = graphviz()
        node["code"] = diagram.workflow_dot(ruleset)
        node["options"] = {"docname": self.env.docname}
        node["alt"] = (
            f"State diagram of the LeDeR review workflow under {ruleset.value}: "
            f"{len(ReviewState)} states and the events that move a review between them. "
            "The transition table on this page says the same in words."
        )
        node["classes"] = ["leder-workflow-diagram"]
        caption = self.options.get(
            "caption",
            f"The review workflow under ``{ruleset.value}``, drawn from the transition table "
            "when these pages were built.",
        )
        figure = figure_wrapper(self, node, caption)
        figure["ids"].append(f"workflow-diagram-{ruleset.value}")
        return [figure]


def visit_graphviz_html(translator: HTML5Translator, node: graphviz) -> None:
    """Graphviz's own HTML, and under a workflow diagram a link to the drawing at full size.

    The diagram is scaled down to the width of the page; a reader who wants to read its labels
    opens the SVG on its own, where the browser can zoom.
    """
    start = len(translator.body)
    try:
        html_visit_graphviz(translator, node)
    except nodes.SkipNode:
        if "leder-workflow-diagram" in node.get("classes", []):
            rendered = "".join(translator.body[start:])
            found = re.search(r'<object data="([^"]+\.svg)"', rendered)
            if found:
                translator.body.append(
                    f'<p class="leder-diagram-link"><a href="{found.group(1)}">'
                    "Open the diagram at full size</a></p>\n"
                )
        raise


def _states(states: Iterable[ReviewState]) -> list[nodes.Node]:
    return joined_nodes(literal_node(state.value) for state in states)


def _accepted_in(sources: Sequence[ReviewState]) -> list[nodes.Node]:
    if set(sources) == set(workflow.OPEN_STATES):
        return [text_node("any open state")]
    return _states(sources)


def _leads_to(transition: workflow.Transition) -> nodes.Node:
    """Where the event leads, from each group of states that it moves alike."""
    outcomes: dict[tuple[tuple[ReviewState | None, str | None], ...], list[ReviewState]] = {}
    for source, targets in transition.targets.items():
        # A condition tells apart the targets of one state; None: the review stays where it is.
        several = len(targets) > 1
        moves = tuple(
            (
                None if target is source else target,
                (transition.when.get(target) or "otherwise") if several else None,
            )
            for target in targets
        )
        outcomes.setdefault(moves, []).append(source)
    lines: list[nodes.Node] = []
    for moves, sources in outcomes.items():
        parts: list[nodes.Node] = []
        for target, condition in moves:
            if parts:
                parts.append(text_node("; or "))
            parts.append(
                text_node("stays where it is") if target is None else literal_node(target.value)
            )
            if condition:
                parts.append(text_node(f" ({condition})"))
        lines.append(
            paragraph_node(text_node("from "), *_accepted_in(sources), text_node(": "), *parts)
        )
    return lines[0] if len(lines) == 1 else bullet_list_node(lines)


def _checks(docname: str, transition: workflow.Transition) -> nodes.Node:
    """The guards of an event, and whether an open hold blocks it."""
    lines = []
    if transition.guards:
        lines.append(
            paragraph_node(
                text_node("Guard: " if len(transition.guards) == 1 else "Guards: "),
                *joined_nodes(xref_node(docname, RULE, guard.id) for guard in transition.guards),
            )
        )
    if transition.blocked_by_holds:
        lines.append(
            paragraph_node(
                text_node("An open hold blocks it ("),
                xref_node(docname, RULE, workflow.FLOW_HOLD_BLOCKS.id),
                text_node(")."),
            )
        )
    else:
        lines.append(paragraph_node("An open hold does not block it."))
    container = nodes.container()
    container.extend(lines)
    return container


class TransitionTable(LederDirective):
    """The transition table the workflow runs on, one row per event."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self._depends_on(workflow)
        docname = self.env.docname
        rows = []
        for event, transition in workflow.TRANSITIONS.items():
            name = nodes.container()
            name += paragraph_node(literal_node(event.value))
            name += paragraph_node(
                text_node("rule: "), xref_node(docname, RULE, transition.rule.id)
            )
            rows.append([name, _leads_to(transition), _checks(docname, transition)])
        table = table_node(
            ["Event", "Accepted in, and where it leads", "Guards and holds"],
            rows,
            widths=[30, 45, 25],
        )
        table["classes"].append("leder-transitions")
        every = paragraph_node(
            text_node("Every event is also checked against "),
            xref_node(docname, RULE, workflow.FLOW_DATES.id),
            text_node(" (not dated before the notification or the previous event) and "),
            xref_node(docname, RULE, workflow.FLOW_TERMINAL.id),
            text_node(" (nothing is accepted once a review is "),
            *joined_nodes(
                (literal_node(state.value) for state in ReviewState if state.terminal), " or "
            ),
            text_node(")."),
        )
        return [table, every]


def _opened_by() -> dict[ReviewState, list[Outcome]]:
    """The outcomes of an assessment that open a review in each state."""
    found: dict[ReviewState, list[Outcome]] = {}
    for outcome in Outcome:
        found.setdefault(workflow.opening_state(outcome), []).append(outcome)
    return found


class WorkflowStates(LederDirective):
    """The review states, how a review opens in them, and what each accepts."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self._depends_on(workflow)
        opened_by = _opened_by()
        rows = []
        for state in ReviewState:
            accepted = [
                literal_node(event.value)
                for event, transition in workflow.TRANSITIONS.items()
                if state in transition.targets
            ]
            outcomes = opened_by.get(state, [])
            rows.append(
                [
                    paragraph_node(literal_node(state.value)),
                    "final" if state.terminal else "open",
                    paragraph_node(
                        *(joined_nodes(literal_node(o.value) for o in outcomes) or [text_node("—")])
                    ),
                    paragraph_node(*(joined_nodes(accepted) or [text_node("nothing")])),
                ]
            )
        table = table_node(
            ["State", "Open or final", "A review opens here when the outcome is", "Accepts"],
            rows,
            widths=[22, 12, 26, 40],
        )
        table["classes"].append("leder-workflow-states")
        return [table]
