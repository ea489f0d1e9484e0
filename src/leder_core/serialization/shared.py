"""Shared values written once: the documents and JSON texts of reasons and interpretations.

Reasons and interpretations are values shared between results: the rules hand out the same
Reason object whenever a rule gives the same answer in the same words, and most results carry
the default Interpretation. Their documents are built once per object and kept as immutable
parts only (strings, numbers, booleans, None, tuples); every dump builds fresh dicts and lists
from those parts. So no two documents returned by ``dump`` share a container, and no caller
can change what another caller receives (tests/property/test_dump_properties.py).

The caches are keyed by the object's identity and keep the object itself, so an id cannot be
reused while its entry lives; each is cleared when full, so memory stays bounded.

A reason's document is made by a function generated from the fields of
:class:`~leder_core.models.explanation.Reason` and of its nested models: a copy of a template
of its scalars, with a fresh list of fresh copies for each field holding models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Any, Final

import attrs

from leder_core.generated import binder
from leder_core.interpretation import Interpretation
from leder_core.models.explanation import Reason
from leder_core.serialization.primitives import wire_name

__all__ = [
    "INTERPRETATIONS",
    "KEPT_REASONS",
    "compact",
    "reason_document",
    "reason_text",
    "reasons_document",
    "remembered",
    "scalars_only",
]

#: How many shared values each cache keeps before it starts afresh.
SHARED_LIMIT = 1 << 14
DocumentMaker = Callable[[], Any]
#: The compact JSON text of a document, exactly as ``leder`` writes it.
compact: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# A reason's maker by the reason's id. The reasons themselves are kept alive beside them, so
# an id in the table always names the reason it was made for (no live object shares an id).
_REASON_MAKERS: dict[int, DocumentMaker] = {}
#: Each reason's compact JSON text, by the reason's id, beside its maker.
_REASON_TEXTS: dict[int, str] = {}
KEPT_REASONS: list[Reason] = []
#: Each interpretation's document template (scalars only), by the interpretation's id.
INTERPRETATIONS: dict[int, tuple[Interpretation, dict[str, Any]]] = {}
_SCALARS: Final = (str, int, bool, float, type(None))


def scalars_only(document: dict[str, Any]) -> bool:
    """Whether every value of ``document`` is a string, number, boolean or ``None``."""
    return all(type(value) in _SCALARS for value in document.values())


def remembered(cache: dict[int, tuple[Any, Any]], value: Any, made: Any) -> Any:
    """Keep ``made`` for ``value`` (by its identity, the value kept alive) and return it."""
    if len(cache) >= SHARED_LIMIT:
        cache.clear()
    cache[id(value)] = (value, made)
    return made


#: Each model class's fields as (wire key, field name), in order: read once per class.
_WIRE_FIELDS: dict[type[Any], tuple[tuple[str, str], ...]] = {}


def _wire_fields(kind: type[Any]) -> tuple[tuple[str, str], ...]:
    fields = _WIRE_FIELDS.get(kind)
    if fields is None:
        fields = tuple((wire_name(field.name), field.name) for field in attrs.fields(kind))
        _WIRE_FIELDS[kind] = fields
    return fields


def _parts(model: Any) -> tuple[dict[str, Any], list[tuple[str, tuple[Callable[[], Any], ...]]]]:
    """The template of ``model``'s document (its scalars and enumeration values) and, for each
    field holding a tuple of models, its key and a maker of each item's fresh document."""
    template: dict[str, Any] = {}
    nested: list[tuple[str, tuple[Callable[[], Any], ...]]] = []
    for key, name in _wire_fields(type(model)):
        value = getattr(model, name)
        if type(value) in _SCALARS:
            template[key] = value
        elif isinstance(value, Enum):
            template[key] = value._value_
        elif type(value) is tuple and all(attrs.has(type(item)) for item in value):
            template[key] = None  # each document gets its own list, set by the maker
            nested.append((key, tuple(_item_maker(item) for item in value)))
        else:
            raise TypeError(f"a shared {type(model).__name__} holds only scalars and models")
    return template, nested


#: The maker of each item of a shared value (a citation), by the item's identity, the item kept
#: alive beside it: the reasons citing one source share its template, so the few dozen
#: templates every dump copies stay together in the processor's cache rather than one copy
#: per reason scattered through memory.
_ITEM_MAKERS: dict[int, tuple[Any, DocumentMaker]] = {}


def _item_maker(item: Any) -> DocumentMaker:
    entry = _ITEM_MAKERS.get(id(item))
    if entry is None or entry[0] is not item:
        return remembered(_ITEM_MAKERS, item, _document_maker(item))  # type: ignore[no-any-return]
    return entry[1]


def _document_maker(model: Any) -> DocumentMaker:
    """A function building a fresh document of ``model``: a copy of its template (copying a
    dict costs less than building it key by key), each list written out item by item."""
    template, nested = _parts(model)
    if not nested:
        return template.copy
    shape = tuple((key, len(makers)) for key, makers in nested)
    bind = _MAKER_BINDERS.get(shape)
    if bind is None:
        bind = _MAKER_BINDERS[shape] = _maker_binder(shape)
    return bind(template.copy, *(maker for _, makers in nested for maker in makers))  # type: ignore[no-any-return]


#: The binder of the makers of each shape (each nested key and its number of items): a new
#: reason of a known shape only binds its template and items, with nothing written or compiled.
_MAKER_BINDERS: dict[tuple[tuple[str, int], ...], Callable[..., Any]] = {}


def _maker_binder(shape: tuple[tuple[str, int], ...]) -> Callable[..., Any]:
    """The binder of :func:`_document_maker`'s functions of ``shape``: it takes the template's
    ``copy``, then each item's maker in order."""
    names = ["copy"]
    lines = ["def make():", "    made = copy()"]
    for number, (key, count) in enumerate(shape):
        items = [f"m{number}_{index}" for index in range(count)]
        names += items
        lines.append(f"    made[{key!r}] = [{', '.join(item + '()' for item in items)}]")
    lines.append("    return made")
    return binder("make", "\n".join(lines) + "\n", tuple(names))


def _remember_reason(reason: Reason) -> None:
    """Make and keep ``reason``'s document maker and its compact JSON text, by its id. The
    reason is kept alive beside them, so its id names no other object while they are kept."""
    if len(KEPT_REASONS) >= SHARED_LIMIT:
        _REASON_MAKERS.clear()
        _REASON_TEXTS.clear()
        KEPT_REASONS.clear()
    maker = _document_maker(reason)
    _REASON_MAKERS[id(reason)] = maker
    _REASON_TEXTS[id(reason)] = compact(maker())
    KEPT_REASONS.append(reason)


def reason_document(reason: Reason) -> dict[str, Any]:
    """One reason as its document, as it stands in every document that carries reasons."""
    maker = _REASON_MAKERS.get(id(reason))
    if maker is None:
        _remember_reason(reason)
        maker = _REASON_MAKERS[id(reason)]
    return maker()  # type: ignore[no-any-return]


def reason_text(reason: Reason) -> str:
    """One reason's document as compact JSON text."""
    text = _REASON_TEXTS.get(id(reason))
    if text is None:
        _remember_reason(reason)
        text = _REASON_TEXTS[id(reason)]
    return text


def reasons_document(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """Reasons as the list of their documents."""
    makers = _REASON_MAKERS
    try:
        return [make() for make in map(makers.__getitem__, map(id, reasons))]
    except KeyError:  # a reason not seen before: remember it
        return [reason_document(reason) for reason in reasons]


def reasons_text(reasons: tuple[Reason, ...]) -> str:
    """Reasons as the compact JSON text of their list."""
    try:
        written = ",".join(map(_REASON_TEXTS.__getitem__, map(id, reasons)))
    except KeyError:  # a reason not seen before: remember it
        written = ",".join([reason_text(reason) for reason in reasons])
    return f"[{written}]"
