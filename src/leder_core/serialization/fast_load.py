"""The fast way in for valid documents, generated from the models' fields.

Why: loading dominated the cost of ``dump(assess(load_notification(json.loads(line))))``;
even the converter without detailed validation spends most of its time in generic hooks.
Almost every document a service loads is valid, so each kind of :data:`FAST_LOAD_KINDS` (and
each workflow event) gets a structuring function generated from its attrs fields when the
documents are registered, as attrs generates ``__init__``: plain dicts and lists, exact types
(a ``bool`` is not an ``int``, a ``str`` subclass is not a ``str``), exact key sets, dates
through the same strict parser, NHS numbers, identifiers and ODS codes by the same rules as the
converter's hooks, absent fields as their defaults (the same objects), the facts a person
leaves out recorded as the converter records them, and then the model check registered for the
document. A field added to a model reaches the fast way without another edit; a field of a
type the generator has no rule for gives the kind no fast way at all.

The functions never explain anything: on ANY doubt (an unknown or missing key, a type they do
not expect, a value they would refuse) they decline by raising ``ValueError``, ``KeyError`` or
``TypeError`` (:data:`DECLINE`), and :func:`~leder_core.serialization.loading.load` takes the
converter's way, which accepts or refuses with every problem and its path.
tests/property/test_fast_load_properties.py checks the two ways agree on valid and corrupted
documents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from inspect import isgeneratorfunction
from typing import Any, Final, TypeVar, get_args, get_type_hints

import attrs

from leder_core.generated import compiled
from leder_core.interpretation import Interpretation
from leder_core.models.construct import constructor
from leder_core.models.identifiers import DocumentId, OdsCode
from leder_core.models.nhs_number import NhsNumber, valid_digits_of
from leder_core.models.notification import Notification
from leder_core.models.review import EVENT_CLASSES, Event, ReviewDocument
from leder_core.models.wire import COMPUTED_DATE, NOT_ON_WIRE
from leder_core.serialization.converter import (
    assumable_facts,
    assumed_by_presence,
    assumed_of,
    is_homogeneous_tuple,
    optional_inner,
    structure_document_id,
    structure_ods_code,
)
from leder_core.serialization.interpretation import load_interpretation
from leder_core.serialization.primitives import parse_date_text, wire_name
from leder_core.serialization.registry import CROSS_CHECKS, FAST_LOADS, MODEL_CHECKS, SCHEMAS

__all__ = ["DECLINE", "FAST_LOAD_KINDS", "fast_load", "fast_structuring", "install_fast_loads"]

T = TypeVar("T")

#: The documents loaded in bulk, given a fast way in when their fields allow one.
FAST_LOAD_KINDS: Final = (Notification, ReviewDocument)


class Declined(ValueError):
    """The fast way declines a document; the converter's way decides."""


_DECLINED: Final = Declined()
#: What the fast way raises when it declines: its own refusal, a bad date or NHS number
#: (ValueError), a missing key or a value outside an enumeration (KeyError), an unhashable
#: value looked up in an enumeration's table (TypeError).
DECLINE: Final = (ValueError, KeyError, TypeError)
_ABSENT: Final = object()


def fast_load(structure: Callable[[object], T], data: object) -> T | None:
    """``structure(data)``, or ``None`` when the fast way declines."""
    try:
        return structure(data)
    except DECLINE:  # declined: the converter's way decides
        return None


# --- the values, by the rules of the converter's hooks ---------------------------------------


#: ODS codes already accepted (a few hundred bodies recur in every file), so a plain ``str``
#: found here needs no second look. Emptied when full.
_ODS_SEEN: Final[dict[str, None]] = {}


def _ods_code(value: object) -> None:
    """Check an ODS code of exactly ``str`` by the converter's own hook, and remember it."""
    if type(value) is not str:
        raise _DECLINED
    structure_ods_code(value, None)
    if len(_ODS_SEEN) >= 4096:
        _ODS_SEEN.clear()
    _ODS_SEEN[value] = None


_new_object: Final = object.__new__
#: What ``object.__setattr__(number, "digits", ...)`` calls: the slot's own setter.
_set_nhs_digits: Final = NhsNumber.__dict__["digits"].__set__


def _nhs_number(value: object) -> NhsNumber:
    if type(value) is not str:
        raise _DECLINED
    digits = valid_digits_of(value)
    if digits is None:
        raise _DECLINED
    # The digits passed NhsNumber's own checks just now: set them without running its field
    # validator a second time (the same frozen value NhsNumber.parse returns).
    number = _new_object(NhsNumber)
    _set_nhs_digits(number, digits)
    return number


def _fast_event(data: object) -> Event:
    if type(data) is not dict:
        raise _DECLINED
    tag = data.get("type")
    structure = _FAST_EVENTS.get(tag) if type(tag) is str else None
    if structure is None:
        raise _DECLINED
    event: Event = structure(data)
    return event


_FAST_EVENTS: dict[str, Callable[[object], Any]] = {}

#: Values taken by a function of the same rule as the converter's hook, by declared type.
_BY_FUNCTION: Final[dict[Any, Callable[[Any], Any]]] = {
    NhsNumber: _nhs_number,
    Interpretation: load_interpretation,  # InvalidInput (a ValueError) declines
}
#: Statements taking a value of exactly the type the document holds, by the declared type.
_EXACT: Final = {
    bool: "if {v} is not True and {v} is not False: raise DECLINED",
    str: "if type({v}) is not str: raise DECLINED",
    int: "if type({v}) is not int: raise DECLINED",
    date: "if type({v}) is not str: raise DECLINED\n{v} = parse_date_text({v})",
}


class _Writer:
    """The source of one kind's structuring function and the names it refers to."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "DECLINED": _DECLINED,
            "ABSENT": _ABSENT,
            "ODS_SEEN": _ODS_SEEN,
            "ods_code": _ods_code,
            "parse_date_text": parse_date_text,
        }

    def name(self, value: object, hint: str) -> str:
        """A name in the generated source standing for ``value``."""
        name = f"{hint}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def value(self, kind: Any, v: str) -> list[str] | None:
        """Statements structuring the value held in variable ``v`` as ``kind`` in place, or
        ``None`` when the generator has no rule for ``kind``."""
        if kind in _EXACT:
            return _EXACT[kind].format(v=v).splitlines()
        if kind in _BY_FUNCTION:
            return [f"{v} = {self.name(_BY_FUNCTION[kind], 'structure')}({v})"]
        if kind == DocumentId:  # exactly text, then the converter's own hook
            hook = self.name(structure_document_id, "document_id")
            return [f"if type({v}) is not str: raise DECLINED", f"{hook}({v}, None)"]
        if kind == OdsCode:
            return [f"if type({v}) is not str or {v} not in ODS_SEEN: ods_code({v})"]
        if kind == Event:
            return [f"{v} = {self.name(_fast_event, 'event')}({v})"]
        if isinstance(kind, type) and issubclass(kind, Enum):
            if not all(type(member.value) is str for member in kind):
                return None
            members = {member.value: member for member in kind}
            return [f"{v} = {self.name(members, 'members')}[{v}]"]
        inner = optional_inner(kind)
        if inner is not None:
            statements = self.value(inner, v)
            if statements is None:
                return None
            return [f"if {v} is not None:", *(f"    {line}" for line in statements)]
        if is_homogeneous_tuple(kind):
            return self._items(get_args(kind)[0], v)
        if isinstance(kind, type) and attrs.has(kind):
            structure = fast_structuring(kind)
            return (
                None if structure is None else [f"{v} = {self.name(structure, 'structure')}({v})"]
            )
        return None

    def _items(self, item_kind: Any, v: str) -> list[str] | None:
        """Statements structuring an array in ``v`` as a tuple of ``item_kind``."""
        if _string_enumeration(item_kind):
            members = {member.value: member for member in item_kind}
            each = f"{self.name(members, 'members')}[item]"  # the table, read in line
        else:
            statements = self.value(item_kind, "item")
            if statements is None:
                return None
            if len(statements) == 1 and statements[0].startswith("item = "):
                each = statements[0].removeprefix("item = ")  # one call: made in line
            else:
                source = "\n".join(
                    [
                        "def convert(item):",
                        *(f"    {line}" for line in statements),
                        "    return item",
                    ]
                )
                convert = compiled("convert", source + "\n", self.namespace)
                each = f"{self.name(convert, 'convert')}(item)"
        return [
            f"if type({v}) is not list and type({v}) is not tuple: raise DECLINED",
            f"{v} = tuple([{each} for item in {v}]) if {v} else ()",
        ]


def _string_enumeration(kind: Any) -> bool:
    """Whether ``kind`` is an enumeration whose every value is a string."""
    return (
        isinstance(kind, type)
        and issubclass(kind, Enum)
        and all(type(member.value) is str for member in kind)
    )


# --- a kind's structuring, generated from its fields ----------------------------------------

#: Each kind's generated structuring (``None``: the kind has no fast way), made once.
_STRUCTURINGS: dict[tuple[Any, str | None], Callable[[object], Any] | None] = {}


def fast_structuring(kind: type[Any], *, tag: str | None = None) -> Callable[[object], Any] | None:
    """The fast structuring of ``kind``'s document generated from its fields, or ``None`` when
    a field's type has no rule here, or a cross-field check has no model form.

    ``tag`` is one more key the document carries (an event's ``type``), checked by the caller.
    A top-level document may name its schema; its registered model check runs on the model.
    """
    key = (kind, tag)
    if key not in _STRUCTURINGS:
        _STRUCTURINGS[key] = _generate(kind, tag)
    return _STRUCTURINGS[key]


def _generate(kind: type[Any], tag: str | None) -> Callable[[object], Any] | None:
    """The source of :func:`fast_structuring`'s function, compiled; ``None`` as it says."""
    if kind in CROSS_CHECKS and kind not in MODEL_CHECKS:
        return None  # its checks read the raw document: the converter's way makes them
    writer = _Writer()
    hints = get_type_hints(kind, include_extras=True)
    schema = SCHEMAS.get(kind)
    keys = {
        wire_name(field.name) for field in attrs.fields(kind) if not field.metadata.get(NOT_ON_WIRE)
    }
    keys |= {name for name in (tag, None if schema is None else "schema") if name is not None}
    lines = [
        "def structure(data):",
        f"    if type(data) is not dict or not {writer.name(frozenset(keys), 'keys')}"
        ".issuperset(data):",
        "        raise DECLINED",
        "    get = data.get",
    ]
    if schema is not None:
        lines.append(f"    if get('schema', {schema!r}) != {schema!r}: raise DECLINED")
    arguments = []
    for number, field in enumerate(attrs.fields(kind)):
        v = f"v{number}"
        arguments.append(v)
        field_lines = _field_lines(writer, kind, field, hints[field.name], v)
        if field_lines is None:
            return None
        lines += field_lines
    built = f"{writer.name(constructor(kind), 'build')}({', '.join(arguments)})"
    if kind in MODEL_CHECKS:  # problems found: declined, the converter's way lists them
        check = MODEL_CHECKS[kind]
        problems = f"{writer.name(check, 'check')}(model)"
        if isgeneratorfunction(check):  # a generator is true even when it yields nothing
            problems = f"tuple({problems})"
        lines += [f"    model = {built}", f"    if {problems}: raise DECLINED", "    return model"]
    else:
        lines.append(f"    return {built}")
    return compiled("structure", "\n".join(lines) + "\n", writer.namespace)


def _field_lines(
    writer: _Writer, kind: type[Any], field: attrs.Attribute[Any], hint: Any, v: str
) -> list[str] | None:
    """The lines of :func:`_generate`'s function that read ``field`` into the name ``v``;
    ``None`` when the field has no fast way."""
    if field.metadata.get(COMPUTED_DATE):
        return None  # read back whatever its year: the converter's way (no input holds one)
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return None
        default_source = f"{writer.name(default.factory, 'factory')}()"
    else:
        default_source = writer.name(default, "default")
    if field.metadata.get(NOT_ON_WIRE):
        if field.name == "assumed" and assumable_facts(kind):
            return _assumed_lines(writer, kind, v)
        return [f"    {v} = {default_source}"]
    statements = writer.value(hint, v)
    if statements is None:
        return None
    key = wire_name(field.name)
    if default is attrs.NOTHING:  # required: a missing key raises KeyError (declined)
        return [f"    {v} = data[{key!r}]", *(f"    {line}" for line in statements)]
    wire_default = _wire_form(default, hint)
    if wire_default is not _ABSENT:  # the default as its document writes it, structured
        return [
            f"    {v} = get({key!r}, {writer.name(wire_default, 'wire_default')})",
            *(f"    {line}" for line in statements),
        ]
    return [
        f"    {v} = get({key!r}, ABSENT)",
        f"    if {v} is ABSENT: {v} = {default_source}",
        "    else:",
        *(f"        {line}" for line in statements),
    ]


def _wire_form(default: object, kind: Any) -> object:
    """The value a document writes for ``default`` of declared type ``kind`` when structuring
    it gives ``default`` itself back (the same object), or ``_ABSENT`` when none is known."""
    if default is None and optional_inner(kind) is not None:
        return None
    if type(default) is kind and (kind in _EXACT or default == ()):
        return default  # the value itself (the empty tuple: as an empty array)
    if default == () and is_homogeneous_tuple(kind):
        return ()
    if isinstance(default, Enum) and type(default) is kind and type(default.value) is str:
        return default.value  # its enumeration's table gives the member back
    return _ABSENT


def _assumed_lines(writer: _Writer, kind: type[Any], v: str) -> list[str]:
    """The facts a document leaves out, as :func:`assumed_of` finds them, in line."""
    presence = ", ".join(f"{fact!r} in data" for fact in assumable_facts(kind))
    kind_name = writer.name(kind, "kind")
    table = writer.name(assumed_by_presence(kind), "assumed_by_presence")
    return [
        f"    {v} = {table}.get(({presence},))",
        f"    if {v} is None: {v} = {writer.name(assumed_of, 'assumed_of')}({kind_name}, data)",
    ]


def install_fast_loads() -> None:
    """Generate the fast way in of each kind of :data:`FAST_LOAD_KINDS` and of each event
    (after the documents are registered: the model checks are the registry's)."""
    _STRUCTURINGS.clear()
    _FAST_EVENTS.clear()
    for tag, event_kind in EVENT_CLASSES.items():
        structure = fast_structuring(event_kind, tag="type")
        if structure is not None:
            _FAST_EVENTS[tag.value] = structure
    FAST_LOADS[Event] = _fast_event
    for kind in FAST_LOAD_KINDS:
        structure = fast_structuring(kind)
        if structure is None:
            FAST_LOADS.pop(kind, None)
        else:
            FAST_LOADS[kind] = structure
