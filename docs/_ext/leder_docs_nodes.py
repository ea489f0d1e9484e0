"""leder_docs_nodes: the small node builders and the directive base of the ``leder_docs``
extension's modules.

The object types of the standard domain that the roles resolve against, tables, links to
generated anchors, field lists and the text of docstrings as nodes.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import re
import typing
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs
from docutils import nodes
from leder_casebook import (  # the small node builders, shared
    literal_node,
    paragraph_node,
    text_node,
)
from sphinx import addnodes
from sphinx.domains.std import StandardDomain
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

from leder_core import interpretation
from leder_core.rules import registry

__all__ = [
    "ENUMERATION",
    "INTERPRETATION",
    "RULE",
    "FieldItem",
    "LederDirective",
    "attribute_docs",
    "bullet_list_node",
    "field_list_node",
    "first_sentence",
    "import_dotted",
    "inline_nodes",
    "joined_nodes",
    "json_text",
    "known_ids",
    "link_node",
    "row_node",
    "section_node",
    "table_node",
    "xref_node",
]


# Object types of the standard domain that the roles resolve against.
RULE = "leder-rule-anchor"
INTERPRETATION = "leder-interpretation-anchor"
ENUMERATION = "leder-enum-anchor"


# --- small node builders ------------------------------------------------------------------


def joined_nodes(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for item in items:
        if joined:
            joined.append(text_node(separator))
        joined.append(item)
    return joined


def link_node(title: str, url: str) -> nodes.reference:
    return nodes.reference(title, title, refuri=url)


def xref_node(docname: str, objtype: str, target: str) -> nodes.Node:
    """A link to a generated anchor, shown as code; plain code if no page defines the anchor
    (a warning only when ``nitpicky`` is on)."""
    return addnodes.pending_xref(
        "",
        literal_node(target),
        refdomain="std",
        reftype=_ROLE_OF[objtype],
        reftarget=target,
        refexplicit=True,
        refwarn=False,
        refdoc=docname,
    )


_ROLE_OF = {RULE: "rule", INTERPRETATION: "interpretation", ENUMERATION: "enumeration"}


def table_node(
    headers: Sequence[str],
    rows: Iterable[Sequence[nodes.Node | str]],
    widths: Sequence[int],
    caption: str | None = None,
) -> nodes.table:
    table = nodes.table(classes=["leder-table"])
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += row_node(headers)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += row_node(cells)
    return table


def row_node(cells: Sequence[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += paragraph_node(cell)
        elif isinstance(cell, nodes.Body):
            entry += cell
        else:
            entry += paragraph_node(cell)
        row += entry
    return row


FieldItem = tuple[str, nodes.Node | Sequence[nodes.Node]]


def field_list_node(fields: Iterable[FieldItem]) -> nodes.field_list:
    field_list = nodes.field_list()
    for name, value in fields:
        body = nodes.field_body()
        children = [value] if isinstance(value, nodes.Node) else list(value)
        for child in children:
            body += child if isinstance(child, nodes.Body) else paragraph_node(child)
        field_list += nodes.field("", nodes.field_name(name, name), body)
    return field_list


def bullet_list_node(items: Iterable[nodes.Node]) -> nodes.bullet_list:
    bullets = nodes.bullet_list()
    for item in items:
        bullets += nodes.list_item(
            "", item if isinstance(item, nodes.Body) else paragraph_node(item)
        )
    return bullets


def section_node(node_id: str, title: Sequence[nodes.Node], index_entry: str) -> nodes.section:
    section = nodes.section(ids=[node_id])
    section += nodes.title("", "", *title)
    section += addnodes.index(entries=[("single", index_entry, node_id, "", None)])
    return section


def import_dotted(dotted: str) -> Any:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings written below class attributes (``#:`` or a string), by name."""
    try:
        analyzer = ModuleAnalyzer.for_module(cls.__module__)
        found = analyzer.find_attr_docs()
    except Exception:  # no source (a compiled or frozen module): no attribute docs
        return {}
    return {
        attribute: " ".join(line.strip() for line in lines if line.strip())
        for (scope, attribute), lines in found.items()
        if scope == cls.__qualname__
    }


def first_sentence(doc: str | None) -> str:
    if not doc:
        return ""
    paragraph = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())
    return re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]


def json_text(value: object) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


_ID = re.compile(r"\b([A-Z]+(?:-[A-Z0-9]+)+)\b")


def known_ids() -> dict[str, str]:
    """Every rule id and interpretation id, with the object type its anchor is noted as."""
    known = dict.fromkeys(registry.RULES, RULE)
    for field in attrs.fields(interpretation.Interpretation):
        if "id" in field.metadata:
            known[field.metadata["id"]] = INTERPRETATION
    return known


def inline_nodes(value: str, docname: str) -> list[nodes.Node]:
    """Plain text with ````literal```` spans kept as code and rule and interpretation ids linked."""
    known = known_ids()
    found: list[nodes.Node] = []
    for index, part in enumerate(re.split(r"``(.+?)``", value)):
        if index % 2:
            found.append(literal_node(part))
            continue
        for position, piece in enumerate(_ID.split(part)):
            if position % 2 and piece in known:
                found.append(xref_node(docname, known[piece], piece))
            elif piece:
                found.append(text_node(piece))
    return found


class LederDirective(SphinxDirective):
    def _depends_on(self, *objects: object) -> None:
        """Re-read this page when the source of any of these objects changes."""
        for obj in objects:
            module = inspect.getmodule(obj)
            path = inspect.getsourcefile(module) if module is not None else None
            if path:
                self.env.note_dependency(path)

    def _note(self, objtype: str, name: str, node: nodes.Element) -> None:
        std = typing.cast("StandardDomain", self.env.get_domain("std"))
        std.note_object(objtype, name, name, location=node)
