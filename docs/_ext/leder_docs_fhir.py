"""leder_docs_fhir: where a FHIR record gives each notification field (``leder-fhir-mapping``),
read from the FHIR rules at build time (see ``leder_docs``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders and the FHIR rule, shared
    FHIR_RULE,
    literal_node,
    paragraph_node,
    text_node,
)
from leder_docs_nodes import (
    RULE,
    LederDirective,
    bullet_list_node,
    link_node,
    table_node,
    xref_node,
)
from sphinx.application import Sphinx

from leder_core.rules import registry

__all__ = ["FhirMapping", "register_fhir"]


# --- facts from FHIR records --------------------------------------------------------------
# Self-contained: the directive imports the module of the FHIR-* rules, found through the
# catalogue, only when it runs, so this extension still loads in a version without them.


def _code_lists() -> list[nodes.Node]:
    """The built-in code lists, concept by concept (the ``:codes:`` option)."""
    result: list[nodes.Node] = []
    lists = importlib.import_module("leder_core.fhir").CodeLists()
    for code_list in (lists.learning_disability, lists.autism):
        result.append(
            paragraph_node(
                text_node("Built-in "),
                literal_node(code_list.name),
                text_node(f" (refset {code_list.refset_id}), {len(code_list)} core concepts:"),
            )
        )
        if code_list.citations:
            result.append(
                bullet_list_node(
                    paragraph_node(link_node(c.title, c.url)) for c in code_list.citations
                )
            )
        result.append(
            table_node(
                ["SNOMED CT", "Term"],
                ([paragraph_node(literal_node(code)), term] for code, term in code_list.concepts),
                widths=[30, 70],
            )
        )
    return result


class FhirMapping(LederDirective):
    """``leder-fhir-mapping``: every notification field and where a FHIR record gives it.

    Read from the module defining the ``FHIR-*`` rules (:data:`leder_casebook.FHIR_RULE`): the
    fields in the order of the notification, the ``FHIR-*`` rule reading each (linked to the
    catalogue), the elements read and when the rule refuses; the fields no FHIR element holds
    say whether they must be supplied or take their default. Option ``:codes:`` adds the
    built-in code lists, concept by concept.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "codes": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        if FHIR_RULE not in registry.CATALOGUE:
            return [paragraph_node("Reading FHIR records is not in this version.")]
        fhir = registry.rule_module(FHIR_RULE)
        self._depends_on(fhir)
        docname = self.env.docname
        mapping = {entry.field: entry for entry in fhir.MAPPING}
        rows = []
        for field, _rule_id, default in fhir.FIELDS:
            entry = mapping.get(field)
            if entry is not None:
                rule_cell: nodes.Node = paragraph_node(xref_node(docname, RULE, entry.rule))
                rows.append(
                    [paragraph_node(literal_node(field)), rule_cell, entry.reads, entry.refused]
                )
            elif default is fhir.REQUIRED:
                rows.append(
                    [
                        paragraph_node(literal_node(field)),
                        "—",
                        "no FHIR element: must be supplied",
                        "—",
                    ]
                )
            else:
                shown = json.dumps(default)
                rows.append(
                    [
                        paragraph_node(literal_node(field)),
                        "—",
                        paragraph_node(
                            text_node("no FHIR element: supplied, or the default "),
                            literal_node(shown),
                        ),
                        "—",
                    ]
                )
        result: list[nodes.Node] = [
            table_node(
                ["Notification field", "Rule", "Read from", "Refused (unless supplied) when"],
                rows,
                widths=[20, 18, 40, 22],
            )
        ]
        if "codes" in self.options:
            result += _code_lists()
        return result


def register_fhir(app: Sphinx) -> None:
    app.add_directive("leder-fhir-mapping", FhirMapping)
