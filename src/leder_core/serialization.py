"""The one way documents come in and go out.

:func:`make_converter` is the single cattrs converter factory. It is strict where JSON is
loose: strings must be strings, booleans booleans, dates ``YYYY-MM-DD`` within 1880-01-01 …
2199-12-31, arrays arrays, and unknown keys are refused. A field written with a trailing
underscore in Python (``from_``) is ``from`` on the wire.

Loading is three-speed: a valid notification, review or event document takes a hand-written
fast way in (see "the fast way in" below), which declines anything it is not sure of; then a
document is structured by a converter without detailed validation, and only when that fails
is it structured again with detailed validation, so that :class:`~leder_core.InvalidInput`
can list every problem with its JSON path. Messages never quote a value.

No document the library reads is nested more than :data:`MAX_DEPTH` arrays and objects deep
(the deepest real one, a FHIR Bundle, is about a dozen). A deeper input is bad input, found by
a walk that does not recurse, so that nesting of any depth gives
:class:`~leder_core.InvalidInput` and never :class:`RecursionError`.
"""

from __future__ import annotations

import json
import math
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum, StrEnum
from functools import cache
from operator import methodcaller
from types import UnionType
from typing import Any, Final, TypeVar, Union, cast, get_args, get_origin, get_type_hints

import attrs
from cattrs import Converter
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as make_json_converter

from leder_core.errors import InvalidInput
from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation
from leder_core.models._construct import constructor
from leder_core.models.assessment import Assessment
from leder_core.models.bodies import BodyOnDate
from leder_core.models.catalogue import RuleCatalogue
from leder_core.models.explanation import Citation, Reason
from leder_core.models.fhir import FhirExtract, FhirRequest
from leder_core.models.governance import Arrangements, ComplianceReport, FinancialYear
from leder_core.models.identifiers import (
    CONTROL_CHARACTERS,
    DOCUMENT_ID_MAX_LENGTH,
    EARLIEST_DATE,
    LATEST_DATE,
    ODS_CODE_SHAPE,
    DocumentId,
    OdsCode,
)
from leder_core.models.indicators import Indicators
from leder_core.models.nhs_number import NhsNumber, valid_digits_of
from leder_core.models.notification import (
    ASSUMABLE_FACTS,
    AutismStatus,
    Detention,
    EthnicCategory,
    Notification,
    NotifierRole,
    OtherProcess,
    Person,
)
from leder_core.models.review import (
    EVENT_CLASSES,
    Event,
    EventType,
    Review,
    ReviewDocument,
    ReviewResult,
)
from leder_core.models.wire import NOT_ON_WIRE, OMIT_IF_DEFAULT, OMIT_IF_NONE

__all__ = [
    "MAX_DEPTH",
    "TOO_DEEP",
    "InvalidValue",
    "arrangements_problems",
    "as_of_date",
    "check_nesting",
    "checked_event",
    "checked_notification",
    "coerce_interpretation",
    "document_schema",
    "dump",
    "dump_json",
    "governance_cross_checks",
    "interpretation_from_text",
    "key_path",
    "load",
    "load_assessment",
    "load_event",
    "load_governance",
    "load_interpretation",
    "load_notification",
    "load_review_document",
    "make_converter",
    "nesting_problem",
    "parse_date",
    "reason_document",
    "register_document",
    "registered_documents",
    "structure_document_id",
    "wire_name",
]

_DATE_SHAPE: Final = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_SIMPLE_KEY: Final = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
#: Control characters (Unicode category Cc).
_CONTROL: Final = re.compile(CONTROL_CHARACTERS)

#: How many arrays and objects deep an input may be nested (the document itself is level 1).
MAX_DEPTH: Final = 100
#: The message of a problem nested deeper than :data:`MAX_DEPTH`.
TOO_DEEP: Final = f"nested more than {MAX_DEPTH} arrays and objects deep"

T = TypeVar("T")
_K = TypeVar("_K")
_V = TypeVar("_V")


class InvalidValue(ValueError):
    """A value refused by a structure hook; ``message`` never quotes the value.

    ``subpath`` (such as ``.type``) places the problem below the value being structured.
    """

    def __init__(self, message: str, subpath: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.subpath = subpath


def wire_name(attribute_name: str) -> str:
    """The JSON key of a Python field: ``from_`` is written ``from``."""
    return attribute_name.rstrip("_")


def parse_date(value: object) -> date:
    """A strict ``YYYY-MM-DD`` date within 1880-01-01 … 2199-12-31."""
    if type(value) is not str:
        if isinstance(value, str):  # a str subclass: judge its plain text
            return _parse_date_text(str(value))
        raise InvalidValue("expected a date as a YYYY-MM-DD string")
    return _parse_date_text(value)


def _new_day(value: str) -> date:
    """The date ``value`` writes, checked; :class:`InvalidValue` when it is not one."""
    if not _DATE_SHAPE.match(value):
        raise InvalidValue("not a date in the form YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidValue("not a real calendar date") from None
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise InvalidValue("date outside 1880-01-01 … 2199-12-31")
    return parsed


class _Remembered(dict[_K, _V]):
    """Values made once per key and remembered: a key seen before is found by the dict's own
    lookup, with no Python call; a new one is made by ``__missing__``. A key whose making
    raises is never kept. Emptied when full, so it never grows without bound."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[_K], _V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: _K) -> _V:
        value = self._make(key)
        if len(self) >= _REMEMBERED_LIMIT:
            self.clear()
        self[key] = value
        return value


_REMEMBERED_LIMIT: Final = 1 << 16

#: The date a ``YYYY-MM-DD`` text writes (:class:`InvalidValue` when it is not one); anything
#: but text raises TypeError. Documents repeat the same few thousand days over and over, so
#: each is parsed once.
_parse_date_text: Final[Callable[[str], date]] = _Remembered(_new_day).__getitem__


def as_of_date(value: object) -> date:
    """An as-of date argument, or :class:`InvalidInput` at ``$.as_of``.

    A ``datetime`` is refused too: it is a ``date`` to ``isinstance``, but comparing one with
    a date raises ``TypeError``.
    """
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput([("$.as_of", "expected a date (not a datetime)")])
    return value


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue("expected a string")
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("expected true or false")
    return value


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue("expected a whole number")
    return value


def structure_document_id(value: object, _: object) -> str:
    """A caller's identifier (:data:`~leder_core.models.identifiers.DocumentId`) checked: the
    converter's hook, and the check of an id given outside a document (a URL's review id).
    Raises :class:`InvalidValue` without showing the value."""
    if not isinstance(value, str):
        raise InvalidValue("expected a string")
    if not 1 <= len(value) <= DOCUMENT_ID_MAX_LENGTH:
        raise InvalidValue("expected 1 to 64 characters")
    if _CONTROL.search(value):
        raise InvalidValue("must not contain control characters")
    return value


def _structure_ods_code(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue("expected an ODS code as a string")
    if not ODS_CODE_SHAPE.match(value):
        raise InvalidValue("not an ODS code: expected 3 to 10 upper-case letters and digits")
    return value


def _structure_nhs_number(value: object, _: object) -> NhsNumber:
    if not isinstance(value, str):
        raise InvalidValue("expected an NHS number as a string")
    try:
        return NhsNumber.parse(value)
    except ValueError as error:
        raise InvalidValue(str(error)) from None


def _structure_date(value: object, _: object) -> date:
    return _parse_date_text(value) if type(value) is str else parse_date(value)


def _enum_hook(kind: type[Enum]) -> Callable[[object, object], Enum]:
    members = {member.value: member for member in kind}
    allowed = ", ".join(str(value) for value in members)
    message = f"expected one of: {allowed}"

    def structure(value: object, _: object) -> Enum:
        # Hashable check first: a list or object as an enum value is a wrong type, not a crash.
        if isinstance(value, str | int) and not isinstance(value, bool):
            member = members.get(value)
            if member is not None:
                return member
        raise InvalidValue(message)

    return structure


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = get_args(kind)
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(kind: Any, converter: Converter) -> Callable[[object, object], tuple[Any, ...]]:
    item_type = get_args(kind)[0]
    structure_item = converter.get_structure_hook(item_type)
    detailed = converter.detailed_validation

    def structure(value: object, _: object) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise InvalidValue("expected an array")
        if not detailed:
            return tuple([structure_item(item, item_type) for item in value])
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(structure_item(item, item_type))
            except Exception as error:  # every problem is collected, not raised
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    IterableValidationNote(f"Structuring item @ index {index}", index, item_type),
                ]
                errors.append(error)
        if errors:
            raise IterableValidationError("While structuring an array", errors, kind)
        return tuple(items)

    return structure


def _optional_inner(kind: Any) -> Any:
    """``X`` for ``X | None`` (a union of exactly one type and ``None``), else ``None``."""
    args = get_args(kind)
    if len(args) == 2 and type(None) in args and get_origin(kind) in (Union, UnionType):
        return args[0] if args[1] is type(None) else args[1]
    return None


def _optional_hook(kind: Any, converter: Converter) -> Callable[[object, object], Any]:
    # The inner hook is looked up once, not on every value as cattrs' generic hook does.
    inner = _optional_inner(kind)
    structure_inner = converter.get_structure_hook(inner)

    def structure(value: object, _: object) -> Any:
        return None if value is None else structure_inner(value, inner)

    return structure


def _is_attrs_class(kind: Any) -> bool:
    return isinstance(kind, type) and attrs.has(kind)


def _attrs_structure_hook(kind: type[Any], converter: Converter) -> Callable[[object, object], Any]:
    generated: Any = make_dict_structure_fn(
        kind,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=converter.detailed_validation,
        **_renames(kind),
    )

    if kind is Person:
        generated = _with_assumed(generated)
    if not converter.detailed_validation and kind not in _SCHEMAS:
        # The fast pass needs no friendlier message: anything it refuses (a list where an
        # object belongs) is explained by the detailed pass.
        return generated  # type: ignore[no-any-return]

    def structure(value: object, _: object) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise InvalidValue("expected an object")
        if "schema" in value and kind in _SCHEMAS:
            # A document nested in another (the notification of a review) may name its schema.
            return _structure_named(value, kind, generated, converter.detailed_validation)
        return generated(value, kind)

    return structure


def _structure_named(
    value: Mapping[str, Any],
    kind: type[Any],
    generated: Callable[[Mapping[str, Any], Any], Any],
    detailed: bool,
) -> Any:
    expected = _SCHEMAS[kind]
    body = {key: item for key, item in value.items() if key != "schema"}
    if value["schema"] == expected:
        return generated(body, kind)
    wrong_schema = InvalidValue(f"expected {expected!r}")
    if not detailed:
        raise wrong_schema
    wrong_schema.__notes__ = [AttributeValidationNote("Structuring @ schema", "schema", str)]
    others: list[Exception] = []
    try:
        generated(body, kind)
    except ClassValidationError as error:
        others = list(error.exceptions)
    raise ClassValidationError(f"While structuring {kind.__name__}", [wrong_schema, *others], kind)


def _assumed_of(data: Mapping[str, Any]) -> frozenset[str]:
    """The facts a person document leaves out (each taken as its default)."""
    present = tuple(fact in data for fact in ASSUMABLE_FACTS)
    assumed = _ASSUMED_BY_PRESENCE.get(present)
    if assumed is None:
        assumed = frozenset(fact for fact in ASSUMABLE_FACTS if fact not in data)
        _ASSUMED_BY_PRESENCE[present] = assumed
    return assumed


# The assumed facts by which of them a document gives: at most 16 sets, each made once.
_ASSUMED_BY_PRESENCE: dict[tuple[bool, ...], frozenset[str]] = {}


def _with_assumed(
    generated: Callable[[Mapping[str, Any], Any], Any],
) -> Callable[[Mapping[str, Any], Any], Any]:
    """A person's structuring that records the facts its document leaves out."""

    def structure(value: Mapping[str, Any], kind: Any) -> Any:
        person = generated(value, kind)
        assumed = _assumed_of(value)
        return attrs.evolve(person, assumed=assumed) if assumed else person

    return structure


def _attrs_unstructure_hook(kind: type[Any], converter: Converter) -> Callable[[Any], Any]:
    generated = make_dict_unstructure_fn(kind, converter, **_renames(kind))
    if kind is not Person:
        return generated

    def unstructure(person: Person) -> dict[str, Any]:
        document: dict[str, Any] = generated(person)
        for fact in person.assumed:  # left out as the document left it out
            document.pop(fact, None)
        return document

    return unstructure


def _renames(kind: type[Any]) -> dict[str, Any]:
    overrides = {}
    for field in attrs.fields(kind):
        if field.metadata.get(NOT_ON_WIRE):
            overrides[field.name] = override(omit=True)
            continue
        omit = bool(field.metadata.get(OMIT_IF_NONE) or field.metadata.get(OMIT_IF_DEFAULT))
        if wire_name(field.name) != field.name or omit:
            overrides[field.name] = override(
                rename=wire_name(field.name), omit_if_default=omit or None
            )
    return overrides


def make_converter(*, detailed_validation: bool = True) -> Converter:
    """The converter every document goes through, in and out.

    With ``detailed_validation`` (the default) structuring errors carry the path of every
    problem; without it structuring stops at the first problem but is faster.
    """
    converter = make_json_converter(forbid_extra_keys=True, detailed_validation=detailed_validation)
    # Single dispatch picks the most specific class in the MRO, so the ``StrEnum`` hook wins
    # over the ``str`` hook for enumerations, and ``bool`` over ``int``.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(Enum, _structure_enum)
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_unstructure_hook(Enum, _unstructure_enum)
    converter.register_unstructure_hook(StrEnum, _unstructure_enum)
    converter.register_structure_hook(date, _structure_date)
    converter.register_structure_hook_func(lambda kind: kind == DocumentId, structure_document_id)
    converter.register_structure_hook_func(lambda kind: kind == OdsCode, _structure_ods_code)
    converter.register_structure_hook(NhsNumber, _structure_nhs_number)
    converter.register_unstructure_hook(NhsNumber, lambda number: number.digits)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(Interpretation, lambda value, _: load_interpretation(value))
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    converter.register_structure_hook_factory(
        lambda kind: _optional_inner(kind) is not None, _optional_hook
    )
    converter.register_unstructure_hook_factory(_is_homogeneous_tuple, _tuple_unstructure_hook)
    converter.register_structure_hook_factory(_is_attrs_class, _attrs_structure_hook)
    converter.register_unstructure_hook_factory(_is_attrs_class, _attrs_unstructure_hook)
    _register_shared_documents(converter)
    _register_review_hooks(converter)
    _register_fhir_extract_hook(converter)
    return converter


def _unstructure_enum(member: Enum) -> Any:
    return member._value_


def _tuple_unstructure_hook(kind: Any, converter: Converter) -> Callable[[Any], list[Any]]:
    """A tuple as a fresh list, the items' hook looked up once rather than for every item."""
    item_type = get_args(kind)[0]
    if isinstance(item_type, type) and issubclass(item_type, Enum):
        return lambda items: [item._value_ for item in items]
    if item_type is str or item_type is int or item_type is bool:
        return list
    item_hook = converter.get_unstructure_hook(item_type)
    return lambda items: [item_hook(item) for item in items]


# --- shared values, written once ----------------------------------------------------------
#
# Reasons and interpretations are values shared between results: the rules hand out the same
# Reason object whenever a rule gives the same answer in the same words, and most results carry
# the default Interpretation. Their documents are built once per object and kept as immutable
# parts only (strings, numbers, booleans, None, tuples); every dump builds fresh dicts and lists
# from those parts. So no two documents returned by ``dump`` share a container, and no caller
# can change what another caller receives (tests/property/test_dump_properties.py).
#
# The caches are keyed by the object's identity and keep the object itself, so an id cannot be
# reused while its entry lives; each is cleared when full, so memory stays bounded.

_SHARED_LIMIT: Final = 1 << 14
DocumentMaker = Callable[[], Any]
# A reason's maker by the reason's id. The reasons themselves are kept alive beside them, so
# an id in the table always names the reason it was made for (no live object shares an id).
_REASON_MAKERS: dict[int, DocumentMaker] = {}
#: Each reason's compact JSON text, by the reason's id, beside its maker.
_REASON_TEXTS: dict[int, str] = {}
_KEPT_REASONS: list[Reason] = []
_INTERPRETATIONS: dict[int, tuple[Interpretation, dict[str, Any]]] = {}


def _scalars_only(document: Mapping[str, Any]) -> bool:
    return all(type(value) in (str, int, bool, float, type(None)) for value in document.values())


def _remembered(cache: dict[int, tuple[Any, Any]], value: Any, made: Any) -> Any:
    if len(cache) >= _SHARED_LIMIT:
        cache.clear()
    cache[id(value)] = (value, made)
    return made


def _reason_maker(reason: Reason) -> DocumentMaker:
    """A function building a fresh document of ``reason``: a new dict, a new citations list of
    new dicts.

    Each is a copy of a private template that holds only strings and booleans (copying a dict
    is cheaper than building it key by key); the commonest shapes (one to four citations) are
    written out, so that a document costs its allocations and nothing else.
    """
    document = {
        "rule": reason.rule,
        "holds": reason.holds,
        "decisive": reason.decisive,
        "text": reason.text,
        "citations": None,  # each document gets its own list, set below
    }
    copy = document.copy
    citations = tuple(
        {"title": citation.title, "url": citation.url}.copy for citation in reason.citations
    )
    if len(citations) == 1:
        (c0,) = citations

        def one() -> dict[str, Any]:
            made = copy()
            made["citations"] = [c0()]
            return made

        return one
    if len(citations) == 2:
        c0, c1 = citations

        def two() -> dict[str, Any]:
            made = copy()
            made["citations"] = [c0(), c1()]
            return made

        return two
    if len(citations) == 3:
        c0, c1, c2 = citations

        def three() -> dict[str, Any]:
            made = copy()
            made["citations"] = [c0(), c1(), c2()]
            return made

        return three
    if len(citations) == 4:
        c0, c1, c2, c3 = citations

        def four() -> dict[str, Any]:
            made = copy()
            made["citations"] = [c0(), c1(), c2(), c3()]
            return made

        return four

    def any_number() -> dict[str, Any]:
        made = copy()
        made["citations"] = [copy_citation() for copy_citation in citations]
        return made

    return any_number


def _remember_reason(reason: Reason) -> None:
    """Make and keep ``reason``'s document maker and its compact JSON text, by its id. The
    reason is kept alive beside them, so its id names no other object while they are kept."""
    if len(_KEPT_REASONS) >= _SHARED_LIMIT:
        _REASON_MAKERS.clear()
        _REASON_TEXTS.clear()
        _KEPT_REASONS.clear()
    maker = _reason_maker(reason)
    _REASON_MAKERS[id(reason)] = maker
    _REASON_TEXTS[id(reason)] = _compact(maker())
    _KEPT_REASONS.append(reason)


def reason_document(reason: Reason) -> dict[str, Any]:
    """One reason as its document, as it stands in every document that carries reasons."""
    maker = _REASON_MAKERS.get(id(reason))
    if maker is None:
        _remember_reason(reason)
        maker = _REASON_MAKERS[id(reason)]
    return maker()  # type: ignore[no-any-return]


def _reason_text(reason: Reason) -> str:
    text = _REASON_TEXTS.get(id(reason))
    if text is None:
        _remember_reason(reason)
        text = _REASON_TEXTS[id(reason)]
    return text


def _reasons_document(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    makers = _REASON_MAKERS
    try:
        return [make() for make in map(makers.__getitem__, map(id, reasons))]
    except KeyError:  # a reason not seen before: remember it
        return [reason_document(reason) for reason in reasons]


def _register_shared_documents(converter: Converter) -> None:
    if tuple(field.name for field in attrs.fields(Reason)) != (
        "rule",
        "holds",
        "decisive",
        "text",
        "citations",
    ) or tuple(field.name for field in attrs.fields(Citation)) != ("title", "url"):
        raise TypeError("the reason document makers are written for the fields of Reason")
    unstructure_interpretation = _attrs_unstructure_hook(Interpretation, converter)

    def interpretation_document(interpretation: Interpretation) -> dict[str, Any]:
        entry = _INTERPRETATIONS.get(id(interpretation))
        if entry is None or entry[0] is not interpretation:
            template = unstructure_interpretation(interpretation)
            if not _scalars_only(template):
                raise TypeError("an interpretation document may hold only scalars")
            entry = (interpretation, _remembered(_INTERPRETATIONS, interpretation, template))
        return entry[1].copy()  # scalars only: a shallow copy shares nothing mutable

    converter.register_unstructure_hook(Reason, reason_document)
    converter.register_unstructure_hook_func(
        lambda kind: kind == tuple[Reason, ...], _reasons_document
    )
    converter.register_unstructure_hook(Interpretation, interpretation_document)


def _structure_enum(value: object, kind: type[Enum]) -> Enum:
    if type(value) is str:  # the usual case, answered from the enumeration's own table
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member
    return _cached_enum_hook(kind)(value, kind)


@cache
def _cached_enum_hook(kind: type[Enum]) -> Callable[[object, object], Enum]:
    return _enum_hook(kind)


@cache
def _fast() -> Converter:
    return make_converter(detailed_validation=False)


@cache
def _detailed() -> Converter:
    return make_converter(detailed_validation=True)


# --- documents ----------------------------------------------------------------------------

_SCHEMAS: dict[type[Any], str] = {}
CrossCheck = Callable[[Any], Iterable[tuple[str, str]]]
_CROSS_CHECKS: dict[type[Any], CrossCheck] = {}
_MODEL_CHECKS: dict[type[Any], CrossCheck] = {}
#: The fast way in for each document kind that has one (filled below, "the fast way in").
_FAST_LOADS: dict[Any, Callable[[object], Any]] = {}


def register_document(
    kind: type[Any],
    schema: str,
    cross_check: CrossCheck | None = None,
    *,
    model_check: CrossCheck | None = None,
) -> None:
    """Declare ``kind`` a top-level document called ``schema`` (``leder.notification/1``).

    ``cross_check`` receives the raw mapping and yields ``(path, message)`` problems that
    involve more than one field; it runs whether or not the fields themselves were valid.
    ``model_check``, when given, makes the same checks on the structured document instead,
    which is cheaper on the fast path where every field was valid.
    """
    _SCHEMAS[kind] = schema
    # The fast way for valid documents makes only the checks it was written with: a document
    # registered again (its checks perhaps changed) is left to the converter.
    _FAST_LOADS.pop(kind, None)
    if cross_check is not None:
        _CROSS_CHECKS[kind] = cross_check
    if model_check is not None:
        _MODEL_CHECKS[kind] = model_check


def document_schema(kind: type[Any]) -> str | None:
    """The schema name of a top-level document class, if it is one."""
    return _SCHEMAS.get(kind)


def registered_documents() -> dict[type[Any], str]:
    """Every top-level document class and its schema name."""
    return dict(_SCHEMAS)


def nesting_problem(data: object, path: str = "$") -> tuple[str, str] | None:
    """The problem with ``data`` if it is nested deeper than :data:`MAX_DEPTH`, else ``None``.

    The walk keeps its own stack (it never recurses), so any depth is safe to check. The
    problem's path names the member of ``data`` that holds the deep nesting
    (``$.person.notes``), as far as two levels down.
    """
    if not _is_container(data):
        return None
    stack: list[tuple[Any, int, str]] = [(data, 1, path)]
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            return (where, TOO_DEEP)
        kind = type(value)
        members: Iterable[tuple[object, object]]
        if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
            members = value.items()
        else:
            members = enumerate(value)
        deeper = depth + 1
        for key, child in members:
            # Exact types first: the parsed JSON this walks is plain dicts, lists and scalars,
            # and an ABC check on every member would cost more than the walk itself.
            child_kind = type(child)
            if child_kind in _SCALARS:
                continue
            if child_kind is dict or child_kind is list or _is_container(child):
                stack.append((child, deeper, key_path(where, key) if depth < 3 else where))
    return None


_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def _is_container(value: object) -> bool:
    return isinstance(value, (Mapping, list, tuple))


def check_nesting(data: object, path: str = "$") -> None:
    """Raise :class:`~leder_core.InvalidInput` if ``data`` is nested deeper than
    :data:`MAX_DEPTH` (see :func:`nesting_problem`)."""
    problem = nesting_problem(data, path)
    if problem is not None:
        raise InvalidInput([problem])


def load(data: object, kind: type[T], *, path: str = "$") -> T:
    """Structure ``data`` as ``kind``, or raise :class:`InvalidInput` listing every problem.

    A document may name its own schema (``"schema": "leder.notification/1"``); any other
    value of that key is a problem.
    """
    if type(data) is dict:
        valid_fast = _FAST_LOADS.get(kind)
        if valid_fast is not None:
            loaded = _fast_load(valid_fast, data)
            if loaded is not None:
                return loaded  # type: ignore[no-any-return]
    return _load_by_converter(data, kind, path)


def _load_by_converter(data: object, kind: type[T], path: str = "$") -> T:
    """:func:`load` without the fast way for valid documents: the converter decides."""
    if type(data) is not dict and not isinstance(data, Mapping):
        raise InvalidInput([(path, "expected a JSON object")])
    check_nesting(data, path)  # no valid document is deep: the fast ways never pay for this
    result = _structure_fast(data, kind)
    if result is _FAILED:
        # The detailed pass either lists every problem, or structures a document the fast
        # pass could not (it stops at the first surprise).
        try:
            result = _detailed().structure(data, kind)
        except Exception as error:  # turned into problems with paths
            problems = list(problems_of(error, path))
            cross_check = _CROSS_CHECKS.get(kind)
            if cross_check is not None:
                problems += [(path + sub[1:], message) for sub, message in cross_check(data)]
            raise InvalidInput(problems or [(path, "invalid document")]) from None
    model_check = _MODEL_CHECKS.get(kind)
    if model_check is not None:
        cross_problems = list(model_check(result))
    else:
        cross_check = _CROSS_CHECKS.get(kind)
        cross_problems = list(cross_check(data)) if cross_check is not None else []
    if cross_problems:
        raise InvalidInput((path + sub[1:], message) for sub, message in cross_problems)
    return result  # type: ignore[return-value]


_FAILED: Final = object()


def _structure_fast(body: Mapping[str, Any], kind: type[T]) -> T | object:
    """The document structured, or ``_FAILED`` for the detailed pass to explain why."""
    hook = _FAST_HOOKS.get(kind)
    if hook is None:
        hook = _FAST_HOOKS[kind] = _fast().get_structure_hook(kind)
    try:
        return hook(body, kind)  # type: ignore[no-any-return]
    except Exception:  # explained by the detailed pass
        return _FAILED


# The fast converter's structure hook of each document class, looked up once.
_FAST_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {}


def key_path(path: str, key: object) -> str:
    """The JSON path of member ``key`` of the value at ``path``: ``$.person``, ``$.events[2]``,
    or a quoted name (``$['two words']``) for a key that is not a plain name."""
    if isinstance(key, str) and _SIMPLE_KEY.match(key):
        return f"{path}.{key}"
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}[{_quoted(str(key))}]"


_PATH_ESCAPES: Final = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quoted(key: str) -> str:
    """A key as a JSONPath string (RFC 9535 normalized paths): no raw control character, so
    a problem always fits on one line."""
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    escaped = _CONTROL.sub(
        lambda match: _PATH_ESCAPES.get(match.group(), f"\\u{ord(match.group()):04x}"), escaped
    )
    return f"'{escaped}'"


def problems_of(error: BaseException, path: str = "$") -> Iterator[tuple[str, str]]:
    """Walk a cattrs structuring error and yield ``(path, message)`` for each leaf problem."""
    if isinstance(error, IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            yield from problems_of(inner, f"{path}[{note.index}]")
        for inner in without:
            yield from problems_of(inner, path)
    elif isinstance(error, ClassValidationError):
        attribute_notes, unplaced = error.group_exceptions()
        for inner, attribute_note in attribute_notes:
            yield from problems_of(inner, key_path(path, wire_name(attribute_note.name)))
        for inner in unplaced:
            yield from problems_of(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields, key=str):
            yield (key_path(path, key), "unknown key")
    elif isinstance(error, InvalidValue):
        yield (path + error.subpath, error.message)
    elif isinstance(error, InvalidInput):
        for problem in error.problems:
            yield (path + problem.path[1:], problem.message)
    elif isinstance(error, KeyError):
        yield (path, "required key missing")
    else:
        yield (path, "invalid value")


# --- interpretation -----------------------------------------------------------------------

_INTERPRETATION_KEYS: Final = tuple(field.name for field in attrs.fields(Interpretation))


def load_interpretation(data: object) -> Interpretation:
    """An :class:`~leder_core.Interpretation` from a mapping of its document's keys."""
    if isinstance(data, Interpretation):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput([("$", "expected an object of interpretation choices")])
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _INTERPRETATION_KEYS:
            problems.append((key_path("$", key), "unknown interpretation"))
            continue
        try:
            Interpretation(**{key: value})
        except InvalidInput as error:
            problems.extend(error.problems)
        else:
            values[key] = value
    if problems:
        raise InvalidInput(problems)
    return Interpretation(**values)


def coerce_interpretation(value: Interpretation | Mapping[str, Any] | None) -> Interpretation:
    """The interpretation a caller meant: an object, a mapping of choices, or the defaults."""
    if value is None:
        return DEFAULT_INTERPRETATION
    return load_interpretation(value)


#: The interpretation's choices that are whole numbers (the others are names or, for
#: INT-TIMELINESS, a name or a share), read from the model's own fields.
_WHOLE_NUMBER_CHOICES: Final = frozenset(
    wire_name(field.name) for field in attrs.fields(Interpretation) if field.type in (int, "int")
)


def interpretation_from_text(
    settings: Iterable[tuple[str, str]], where: Callable[[str], str]
) -> Interpretation:
    """The interpretation of choices given as text (``--set KEY=VALUE``, a query string):
    a whole number where the choice is one, a name, or a share written as a number
    (INT-TIMELINESS). Every bad choice is reported, at ``where(key)`` (``--set clock``,
    ``query.clock``), with the message :func:`coerce_interpretation` gives.
    """
    problems: list[tuple[str, str]] = []
    choices: dict[str, object] = {}
    for key, text in settings:
        value: object = text.strip()
        if key in _WHOLE_NUMBER_CHOICES:
            try:
                value = int(text)
            except ValueError:
                problems.append((where(key), "expected a whole number"))
                continue
        refused = _choice_problems(key, value)
        if refused:
            share = _finite_number(text)  # a choice that is a number (a share) comes as text
            if share is None or _choice_problems(key, share):
                problems += [(where(key), message) for message in refused]
                continue
            value = share
        choices[key] = value
    if problems:
        raise InvalidInput(problems)
    return coerce_interpretation(choices)


def _choice_problems(key: str, value: object) -> list[str]:
    try:
        coerce_interpretation({key: value})
    except InvalidInput as error:
        return [problem.message for problem in error.problems]
    return []


def _finite_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def dump(obj: object) -> dict[str, Any]:
    """Any model or result to its JSON-compatible document (docs/schemas.md).

    Top-level documents carry their ``"schema"`` name first. Every call returns a new document:
    no dict or list in it is shared with any other document ``dump`` returned or will return.
    """
    direct = _DIRECT_DUMPS.get(type(obj))
    if direct is not None:
        return direct(obj)
    unstructured = _fast().unstructure(obj)
    if not isinstance(unstructured, dict):
        raise TypeError(f"{type(obj).__name__} is not a document")
    schema = _SCHEMAS.get(type(obj))
    if schema is None:
        return unstructured
    return {"schema": schema, **unstructured}


_ASSESSMENT_FIELDS: Final = (
    "notification_id",
    "ruleset",
    "age_at_death",
    "outcome",
    "review_level",
    "mandatory_triggers",
    "expected_holds",
    "due_on",
    "warnings",
    "interpretation",
    "reasons",
)


def _assessment_document(assessment: Assessment) -> dict[str, Any]:
    """The ``leder.assessment/1`` document, written out field by field: the commonest dump.

    Used only while the fields of :class:`Assessment` are exactly those it writes (checked when
    the module loads); otherwise ``dump`` goes the general way. Equal to the general way's
    document, which tests/property/test_dump_properties.py checks.
    """
    ruleset = assessment.ruleset
    level = assessment.review_level
    due_on = assessment.due_on
    triggers, holds, warnings = (
        assessment.mandatory_triggers,
        assessment.expected_holds,
        assessment.warnings,
    )
    interpretation = _interpretation_document(assessment.interpretation)
    return {
        "schema": "leder.assessment/1",
        "notification_id": assessment.notification_id,
        "ruleset": None if ruleset is None else ruleset._value_,
        "age_at_death": assessment.age_at_death,
        "outcome": assessment.outcome._value_,
        "review_level": None if level is None else level._value_,
        # Most lists are empty: a new empty list costs less than a comprehension.
        "mandatory_triggers": [item._value_ for item in triggers] if triggers else [],
        "expected_holds": [item._value_ for item in holds] if holds else [],
        "due_on": None if due_on is None else _iso_day(due_on),
        "warnings": [item._value_ for item in warnings] if warnings else [],
        "interpretation": interpretation,
        "reasons": _reasons_document(assessment.reasons),
    }


#: A due date written out: a few thousand days recur in every file, each written once.
_iso_day: Final[Callable[[date], str]] = _Remembered(methodcaller("isoformat")).__getitem__


def _interpretation_document(interpretation: Interpretation) -> dict[str, Any]:
    entry = _INTERPRETATIONS.get(id(interpretation))
    if entry is None or entry[0] is not interpretation:
        template = _fast().unstructure(interpretation)
        return template  # type: ignore[no-any-return]  # the hook remembered it; fresh
    return entry[1].copy()


_compact: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: A string as JSON text, exactly as ``_compact`` writes it (``ensure_ascii=False``).
_json_string: Final[Callable[[str], str]] = json.encoder.encode_basestring


def _quoted_day(day: date) -> str:
    return f'"{day.isoformat()}"'


#: A due date as JSON text, written once per day.
_due_json: Final[Callable[[date], str]] = _Remembered(_quoted_day).__getitem__
_INTERPRETATION_TEXTS: dict[int, tuple[Interpretation, str]] = {}


def dump_json(obj: object) -> str:
    """The document of ``obj`` as compact JSON text: exactly
    ``json.dumps(dump(obj), ensure_ascii=False, separators=(",", ":"))``, one line.

    Faster for an assessment: it is written out piece by piece, and the text of each shared
    reason and interpretation is written once and reused (text is immutable, so nothing is
    shared that a caller could change).
    """
    if type(obj) is Assessment and Assessment in _DIRECT_DUMPS:
        return _assessment_json(obj)
    text: str = _compact(dump(obj))
    return text


def _interpretation_text(interpretation: Interpretation) -> str:
    entry = _INTERPRETATION_TEXTS.get(id(interpretation))
    if entry is None or entry[0] is not interpretation:
        text = _compact(_interpretation_document(interpretation))
        return _remembered(_INTERPRETATION_TEXTS, interpretation, text)  # type: ignore[no-any-return]
    return entry[1]


def _members_json(members: tuple[Enum, ...]) -> str:
    if not members:
        return "[]"
    return "[" + ",".join([_json_string(member._value_) for member in members]) + "]"


def _assessment_json(assessment: Assessment) -> str:
    """``_compact(_assessment_document(assessment))``, written out: the ``leder assess``
    output. Only for an id of type ``str`` and an age of type ``int`` (what a loaded
    notification gives); anything else is encoded the general way."""
    notification_id = assessment.notification_id
    age = assessment.age_at_death
    if type(notification_id) is not str or type(age) is not int:
        text: str = _compact(_assessment_document(assessment))
        return text
    ruleset = assessment.ruleset
    level = assessment.review_level
    due_on = assessment.due_on
    texts = _REASON_TEXTS
    reasons = assessment.reasons
    try:
        written = ",".join(map(texts.__getitem__, map(id, reasons)))
    except KeyError:  # a reason not seen before: remember it
        written = ",".join([_reason_text(reason) for reason in reasons])
    return (
        '{"schema":"leder.assessment/1"'
        f',"notification_id":{_json_string(notification_id)}'
        f',"ruleset":{"null" if ruleset is None else _json_string(ruleset._value_)}'
        f',"age_at_death":{age}'
        f',"outcome":{_json_string(assessment.outcome._value_)}'
        f',"review_level":{"null" if level is None else _json_string(level._value_)}'
        f',"mandatory_triggers":{_members_json(assessment.mandatory_triggers)}'
        f',"expected_holds":{_members_json(assessment.expected_holds)}'
        f',"due_on":{"null" if due_on is None else _due_json(due_on)}'
        f',"warnings":{_members_json(assessment.warnings)}'
        f',"interpretation":{_interpretation_text(assessment.interpretation)}'
        f',"reasons":[{written}]}}'
    )


_DIRECT_DUMPS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {}
if tuple(field.name for field in attrs.fields(Assessment)) == _ASSESSMENT_FIELDS:
    _DIRECT_DUMPS[Assessment] = _assessment_document


# --- notification -------------------------------------------------------------------------


def _optional_date(mapping: object, key: str) -> date | None:
    if not isinstance(mapping, Mapping):
        return None
    try:
        return parse_date(mapping.get(key))
    except InvalidValue:
        return None


def _date_order(
    born: date | None, died: date | None, notified: date | None
) -> Iterator[tuple[str, str]]:
    """Death not before birth, notification not before death (docs/notification-format.md)."""
    if born is not None and died is not None and died < born:
        yield ("$.person.date_of_death", "the date of death is before the date of birth")
    if died is not None and notified is not None and notified < died:
        yield ("$.notified_on", "the notification date is before the date of death")


def notification_cross_checks(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The cross-field checks of a notification document, on its raw mapping."""
    person = data.get("person")
    yield from _date_order(
        _optional_date(person, "date_of_birth"),
        _optional_date(person, "date_of_death"),
        _optional_date(data, "notified_on"),
    )


def _notification_model_checks(notification: Notification) -> Iterator[tuple[str, str]]:
    person = notification.person
    return _date_order(person.date_of_birth, person.date_of_death, notification.notified_on)


def load_notification(data: Mapping[str, Any]) -> Notification:
    """Structure and validate a notification document (``leder.notification/1``).

    Raises :class:`~leder_core.InvalidInput` listing every problem, each with its JSON path.

    >>> notification = load_notification(
    ...     {
    ...         "id": "N-1",
    ...         "notified_on": "2024-03-15",
    ...         "notifier_role": "gp",
    ...         "person": {
    ...             "date_of_birth": "1970-01-01",
    ...             "date_of_death": "2024-03-10",
    ...             "learning_disability": True,
    ...             "autism": "none",
    ...             "lived_in_england": True,
    ...         },
    ...     }
    ... )
    >>> notification.person.gp_registered
    True
    """
    if type(data) is dict and Notification in _FAST_LOADS:
        try:
            # The common case, a valid document; marked valid for assess (see _mark_valid).
            notification = _fast_notification(data)
        except _DECLINE:
            pass  # declined: the converter's way explains (or, rarely, accepts) it
        else:
            _mark_valid(notification)
            return notification
    return _mark_valid(_load_by_converter(data, Notification))


register_document(
    Notification,
    "leder.notification/1",
    notification_cross_checks,
    model_check=_notification_model_checks,
)
register_document(Assessment, "leder.assessment/1")


def load_assessment(data: Mapping[str, Any]) -> Assessment:
    """Structure a ``leder.assessment/1`` document back into its model.

    ``load_assessment(dump(a)) == a`` for every assessment; an invalid document raises
    :class:`~leder_core.InvalidInput` listing every problem with its JSON path.
    """
    return load(data, Assessment)


register_document(FhirExtract, "leder.fhir-extract/1")
register_document(FhirRequest, "leder.fhir-request/1")
register_document(FhirRequest, "leder.fhir-request/1")


def _register_fhir_extract_hook(converter: Converter) -> None:
    """``leder.fhir-extract/1``: its notification is a whole document, named as such."""

    def unstructure_extract(extract: FhirExtract) -> dict[str, Any]:
        return {
            "notification": {
                "schema": _SCHEMAS[Notification],
                **converter.unstructure(extract.notification),
            },
            "facts": [converter.unstructure(fact) for fact in extract.facts],
            "ignored": [entry._asdict() for entry in extract.ignored],
        }

    converter.register_unstructure_hook(FhirExtract, unstructure_extract)


# --- reviews and events -------------------------------------------------------------------

_EVENT_TYPES: Final = ", ".join(kind.value for kind in EVENT_CLASSES)


def _register_review_hooks(converter: Converter) -> None:
    """Events are a tagged union on ``type``; a review is written as its document."""

    detailed = converter.detailed_validation
    # type -> (class, structure hook, the keys an event of that type may have)
    table: dict[object, tuple[type[Any], Callable[[Any, Any], Any], frozenset[str]]] = {}
    for tag, kind in EVENT_CLASSES.items():
        keys = frozenset({"type", *(wire_name(field.name) for field in attrs.fields(kind))})
        if detailed:
            hook = converter.get_structure_hook(kind)
        else:
            # The fast pass checks the keys itself (allowing "type") instead of copying the
            # event without it; anything it refuses is explained by the detailed pass.
            hook = make_dict_structure_fn(
                kind, converter, _cattrs_forbid_extra_keys=False, **_renames(kind)
            )
        table[tag.value] = (kind, hook, keys)

    def structure_event(value: object, _: object) -> Event:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise InvalidValue("expected an event object")
        if "type" not in value:
            raise InvalidValue("required key missing", ".type")
        tag = value["type"]
        found = table.get(tag) if isinstance(tag, str) else None
        if found is None:
            raise InvalidValue(f"expected one of: {_EVENT_TYPES}", ".type")
        kind, structure, keys = found
        if detailed:
            body = {key: item for key, item in value.items() if key != "type"}
            return structure(body, kind)  # type: ignore[no-any-return]
        if not value.keys() <= keys:
            raise InvalidValue("unknown key")
        return structure(value, kind)  # type: ignore[no-any-return]

    def unstructure_event(event: Event) -> dict[str, Any]:
        return converter.unstructure(event, type(event))  # type: ignore[no-any-return]

    def unstructure_review(review: Review) -> dict[str, Any]:
        # The document is the log: the events in the order they were recorded (under
        # INT-EVENT-ORDER ``dated`` the history itself is in date order).
        document = {
            "notification": converter.unstructure(review.notification),
            "events": [unstructure_event(event) for event in review.recorded_events],
        }
        if review.interpretation_given:
            document["interpretation"] = converter.unstructure(
                review.interpretation, Interpretation
            )
        return document

    for kind in EVENT_CLASSES.values():
        generated = _attrs_unstructure_hook(kind, converter)
        converter.register_unstructure_hook(kind, _typed_first(generated))
    converter.register_structure_hook_func(lambda kind: kind == Event, structure_event)
    converter.register_unstructure_hook_func(lambda kind: kind == Event, unstructure_event)
    converter.register_unstructure_hook(Review, unstructure_review)


def _typed_first(generated: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    # An event is written with its type first, wherever it appears.
    def unstructure(event: Any) -> dict[str, Any]:
        return {"type": event.type.value, **generated(event)}

    return unstructure


def _review_cross_checks(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    notification = data.get("notification")
    if isinstance(notification, Mapping):
        for path, message in notification_cross_checks(notification):
            yield "$.notification" + path[1:], message


def load_review_document(data: Mapping[str, Any]) -> ReviewDocument:
    """Structure a ``leder.review/1`` document without replaying it."""
    return load(data, ReviewDocument)


def load_event(data: Mapping[str, Any], *, path: str = "$") -> Event:
    """Structure one workflow event document (docs/schemas.md)."""
    event: Event = load(data, Event, path=path)  # type: ignore[arg-type]
    return _mark_valid(event)


# --- models a caller built, checked as their documents ---------------------------------------
#
# A model a caller builds (``Allocated(on=..., reviewer="")``) is checked exactly as its
# document would be: it is written out as the document it stands for, without judging any
# value (a wrong type is written as it is), and that document goes through the one loader.
# The loader's problems are the model's, at the same paths; a field whose value the document
# cannot carry as given (text for a date, a plain string for an NHS number) is a problem at
# its path too. So there is one definition of what is valid: the document's.
#
# Models the loaders built are valid already: each is marked (by identity, held weakly) and
# not checked again, so ``assess(load_notification(...))`` does not check one document twice.

_VALID: dict[int, weakref.ref[Any]] = {}
_VALID_LIMIT: Final = 1 << 16
_M = TypeVar("_M")


def _mark_valid(model: _M) -> _M:
    """Remember that ``model`` came from the loader (held weakly: a dead one is forgotten)."""
    if len(_VALID) >= _VALID_LIMIT:
        _VALID.clear()
    _VALID[id(model)] = weakref.ref(model)
    return model


def _marked_valid(model: object) -> bool:
    found = _VALID.get(id(model))
    return found is not None and found() is model


#: Values written as they are, by their exact type (the commonest in a model).
_AS_THEY_ARE: Final = frozenset({str, bool, int, float, type(None)})
#: For each model class: its event type (or ``None``) and its fields' names and wire names.
_MODEL_FIELDS: dict[type[Any], tuple[str | None, tuple[tuple[str, str], ...]]] = {}


def _model_fields(kind: type[Any]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    found = _MODEL_FIELDS.get(kind)
    if found is None:
        tag = getattr(kind, "type", None)
        names = tuple(
            (field.name, wire_name(field.name))
            for field in attrs.fields(kind)
            if not field.metadata.get(NOT_ON_WIRE)
        )
        found = _MODEL_FIELDS[kind] = (tag.value if isinstance(tag, EventType) else None, names)
    return found


def _model_document(value: object) -> Any:
    """The document a model stands for, every value written as it is (never judged here)."""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    if kind is date:
        return cast("date", value).isoformat()
    if kind is NhsNumber:
        return cast("NhsNumber", value).digits
    if attrs.has(kind):
        tag, names = _model_fields(kind)
        document: dict[str, Any] = {} if tag is None else {"type": tag}  # an event: type first
        for name, key in names:
            document[key] = _model_document(getattr(value, name, None))
        for fact in getattr(value, "assumed", ()):  # a defaulted fact its document left out
            document.pop(fact, None)
        return document
    if isinstance(value, Enum):
        return value._value_
    if isinstance(value, datetime):
        return value  # refused by the date's own check: a datetime is not a date
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_model_document(item) for item in value]
    return value


def _differences(given: object, loaded: object, path: str) -> Iterator[tuple[str, str]]:
    """Where a model's value is not the value its document loads as (never quoting it)."""
    kind = type(loaded)
    if attrs.has(kind):
        if type(given) is not kind:
            yield (path, f"expected {kind.__name__}")
            return
        for field in attrs.fields(kind):
            if field.metadata.get(NOT_ON_WIRE):
                continue  # what the document cannot hold is the loader's to set
            yield from _differences(
                getattr(given, field.name),
                getattr(loaded, field.name),
                key_path(path, wire_name(field.name)),
            )
    elif isinstance(loaded, tuple):
        if not isinstance(given, list | tuple) or len(given) != len(loaded):
            yield (path, "expected an array")
            return
        for index, (one, other) in enumerate(zip(given, loaded, strict=True)):
            yield from _differences(one, other, f"{path}[{index}]")
    elif kind is date:
        if type(given) is not date:
            yield (path, "expected a date (not a datetime or text)")
    elif given != loaded or (type(given) is not kind and not isinstance(loaded, Enum)):
        yield (path, "expected a value of the field's type")


def _checked_model(model: _M, loader: Callable[[Mapping[str, Any]], _M]) -> _M:
    if _marked_valid(model):
        return model
    loaded = loader(_model_document(model))  # InvalidInput: the document's own problems
    # Models compare field by field and class by class, and a date never equals a datetime
    # or text, so an equal model held only values its document holds (an enumeration may have
    # been given as its text); only an unequal one is walked to say where it differs.
    if loaded != model:
        problems = list(_differences(model, loaded, "$"))
        if problems:
            raise InvalidInput(problems)
    return _mark_valid(loaded)


def checked_event(event: object) -> Event:
    """An event model a caller built, checked exactly as its document would be.

    Returns the event as its document loads (equal to it, with any enumeration given as its
    text turned into its member); raises :class:`~leder_core.InvalidInput` with the paths the
    document would give (``$.reviewer``), for anything but a valid event model.
    """
    return _checked_model(cast("Event", event), load_event)


def checked_notification(notification: Notification) -> Notification:
    """A notification model a caller built, checked exactly as its document would be
    (:func:`checked_event` for notifications; paths as ``$.person.date_of_death``)."""
    return _checked_model(notification, load_notification)


def _review_model_checks(document: ReviewDocument) -> Iterator[tuple[str, str]]:
    for path, message in _notification_model_checks(document.notification):
        yield "$.notification" + path[1:], message


register_document(
    ReviewDocument, "leder.review/1", _review_cross_checks, model_check=_review_model_checks
)
register_document(Review, "leder.review/1")
register_document(ReviewResult, "leder.review-result/1")


# --- the fast way in for valid documents ----------------------------------------------------
#
# Why: loading dominated the cost of ``dump(assess(load_notification(json.loads(line))))``;
# even the converter without detailed validation spends most of its time in generic hooks.
# Almost every document a service loads is valid, so these functions structure the common
# shape directly: plain dicts and lists, exact types (a ``bool`` is not an ``int``, a ``str``
# subclass is not a ``str``), exact key sets, dates through the same strict parser, NHS
# numbers through :meth:`NhsNumber.parse`, identifiers and ODS codes by the same rules as the
# converter's hooks, and the same cross-field checks. They build the same models with the
# same constructors, leaving absent fields to the models' defaults as the converter does.
#
# They never explain anything: on ANY doubt (an unknown or missing key, a type they do not
# expect, a value they would refuse) they decline by raising ``ValueError`` inside and
# returning ``None`` outside, and :func:`load` takes the converter's way, which accepts or
# refuses with every problem and its path.
# tests/property/test_fast_load_properties.py checks the two ways agree on valid and
# corrupted documents.

_ABSENT: Final = object()


class _Declined(ValueError):
    """The fast way declines a document; the converter's way decides."""


_DECLINED: Final = _Declined()
#: What the fast way raises when it declines: its own refusal, a bad date or NHS number
#: (ValueError), a missing key or a value outside an enumeration (KeyError), an unhashable
#: value looked up in an enumeration's table (TypeError).
_DECLINE: Final = (ValueError, KeyError, TypeError)


def _members(kind: type[Enum]) -> dict[str, Any]:
    return {member.value: member for member in kind}


_NOTIFIER_ROLES: Final = _members(NotifierRole)
_AUTISM: Final = _members(AutismStatus)
_ETHNICITY: Final = _members(EthnicCategory)
_DETENTION: Final = _members(Detention)
_OTHER_PROCESSES: Final = _members(OtherProcess)
_NOTIFICATION_SCHEMA: Final = "leder.notification/1"
_REVIEW_SCHEMA: Final = "leder.review/1"


def _fast_bool(value: object) -> bool:
    if value is True or value is False:
        return value
    raise _DECLINED


def _fast_str(value: object) -> str:
    if type(value) is not str:
        raise _DECLINED
    return value


def _fast_document_id(value: object) -> str:
    if type(value) is not str or not 1 <= len(value) <= DOCUMENT_ID_MAX_LENGTH:
        raise _DECLINED
    # Printable text has no control character; only other text needs the converter's search.
    if not value.isprintable() and _CONTROL.search(value):
        raise _DECLINED
    return value


def _fast_ods_code(value: object) -> str:
    if type(value) is not str or not ODS_CODE_SHAPE.match(value):
        raise _DECLINED
    return value


#: ODS codes already accepted by :func:`_fast_ods_code` (a few hundred bodies recur in every
#: file), so a plain ``str`` found here needs no second look. Emptied when full.
_ODS_SEEN: Final[dict[str, None]] = {}


def _fast_nhs_number(value: object) -> NhsNumber:
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


_new_object: Final = object.__new__
#: What ``object.__setattr__(number, "digits", ...)`` calls: the slot's own setter.
_set_nhs_digits: Final = NhsNumber.__dict__["digits"].__set__


def _fast_member(members: dict[str, Any]) -> Callable[[object], Any]:
    def structure(value: object) -> Any:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
        raise _DECLINED

    return structure


_PERSON_KEYS: Final = frozenset(
    wire_name(field.name) for field in attrs.fields(Person) if not field.metadata.get(NOT_ON_WIRE)
)
_NOTIFICATION_KEYS: Final = frozenset(
    ["schema", *(wire_name(field.name) for field in attrs.fields(Notification))]
)


def _fast_person(data: object) -> Person:
    # Every field is passed, an absent one as its default, so the model is the one the
    # converter builds (the defaults are the same objects). A missing required key raises
    # KeyError, a value outside an enumeration KeyError (or TypeError when unhashable).
    if type(data) is not dict or not _PERSON_KEYS.issuperset(data):
        raise _DECLINED
    get = data.get
    number = get("nhs_number")
    if number is not None:
        number = _fast_nhs_number(number)
    born = data["date_of_birth"]
    died = data["date_of_death"]
    if type(born) is not str or type(died) is not str:
        raise _DECLINED
    born = _parse_date_text(born)  # InvalidValue, a ValueError, for a bad date
    died = _parse_date_text(died)
    if died < born:  # the cross-field check of docs/notification-format.md
        raise _DECLINED
    disability = data["learning_disability"]
    lived = data["lived_in_england"]
    died_in = get("died_in_england", True)
    registered = get("gp_registered", True)
    opted_out = get("national_data_opt_out", False)
    if (
        (disability is not True and disability is not False)
        or (lived is not True and lived is not False)
        or (died_in is not True and died_in is not False)
        or (registered is not True and registered is not False)
        or (opted_out is not True and opted_out is not False)
    ):
        raise _DECLINED
    ethnicity = get("ethnicity")
    assumed = _ASSUMED_BY_PRESENCE.get(
        (
            "died_in_england" in data,
            "gp_registered" in data,
            "national_data_opt_out" in data,
            "detention" in data,
        )
    )
    if assumed is None:
        assumed = _assumed_of(data)
    return _person(  # every field checked above: the fields in their order (_PERSON_FIELDS)
        number,
        born,
        died,
        disability,
        _AUTISM[data["autism"]],
        None if ethnicity is None else _ETHNICITY[ethnicity],
        lived,
        died_in,
        registered,
        opted_out,
        _DETENTION[get("detention", "none")],
        assumed,
    )


# The fast way builds the models from their fields in order, without their keyword __init__
# (which would only set the same fields): written for exactly these fields, checked here.
_PERSON_FIELDS: Final = (
    "nhs_number",
    "date_of_birth",
    "date_of_death",
    "learning_disability",
    "autism",
    "ethnicity",
    "lived_in_england",
    "died_in_england",
    "gp_registered",
    "national_data_opt_out",
    "detention",
    "assumed",
)
_NOTIFICATION_FIELDS: Final = (
    "id",
    "notified_on",
    "notifier_role",
    "person",
    "other_processes",
    "responsible_body",
)
if (
    ASSUMABLE_FACTS != ("died_in_england", "gp_registered", "national_data_opt_out", "detention")
    or tuple(field.name for field in attrs.fields(Person)) != _PERSON_FIELDS
    or tuple(field.name for field in attrs.fields(Notification)) != _NOTIFICATION_FIELDS
):
    raise TypeError("the fast way in is written for the fields of Person and Notification")
_person: Final = constructor(Person)
_notification: Final = constructor(Notification)


def _fast_notification(data: object) -> Notification:
    if type(data) is not dict or not _NOTIFICATION_KEYS.issuperset(data):
        raise _DECLINED
    get = data.get
    if get("schema", _NOTIFICATION_SCHEMA) != _NOTIFICATION_SCHEMA:
        raise _DECLINED
    notified = data["notified_on"]
    if type(notified) is not str:
        raise _DECLINED
    notified = _parse_date_text(notified)
    person = _fast_person(data["person"])
    if notified < person.date_of_death:  # the cross-field check of the notification
        raise _DECLINED
    processes = get("other_processes", ())
    if type(processes) is not list and type(processes) is not tuple:
        raise _DECLINED
    body = get("responsible_body")
    if body is not None and (type(body) is not str or body not in _ODS_SEEN):
        if len(_ODS_SEEN) >= 4096:
            _ODS_SEEN.clear()
        _ODS_SEEN[_fast_ods_code(body)] = None
    return _notification(  # the fields in their order (_NOTIFICATION_FIELDS)
        _fast_document_id(data["id"]),
        notified,
        _NOTIFIER_ROLES[data["notifier_role"]],
        person,
        tuple([_OTHER_PROCESSES[process] for process in processes]) if processes else (),
        body,
    )


_FastHook = Callable[[object], Any]


def _fast_hook(kind: Any) -> _FastHook | None:
    """The fast structuring of a field type, or ``None`` when it has none (never fast)."""
    if kind is date:
        # The parser itself: anything but text raises TypeError in it (declined), and text
        # of a str subclass gives the date the converter gives.
        return cast("_FastHook", _parse_date_text)
    if kind is bool:
        return _fast_bool
    if kind is str:
        return _fast_str
    if kind == DocumentId:
        return _fast_document_id
    if kind == OdsCode:
        return _fast_ods_code
    if isinstance(kind, type) and issubclass(kind, Enum):
        if not all(type(member.value) is str for member in kind):
            return None
        return _fast_member(_members(kind))
    inner = _optional_inner(kind)
    if inner is not None:
        inner_hook = _fast_hook(inner)
        if inner_hook is None:
            return None
        return lambda value: None if value is None else inner_hook(value)
    if _is_homogeneous_tuple(kind):
        item_hook = _fast_hook(get_args(kind)[0])
        if item_hook is None:
            return None

        def structure_items(value: object) -> tuple[Any, ...]:
            if type(value) is not list and type(value) is not tuple:
                raise _DECLINED
            return tuple([item_hook(item) for item in value])

        return structure_items
    if _is_attrs_class(kind) and kind not in _SCHEMAS:
        return _fast_attrs(kind)
    return None


def _fast_attrs(kind: type[Any], *, tag: str | None = None) -> _FastHook | None:
    """The fast structuring of a flat attrs class from its fields; ``tag`` is one more key
    the document carries (an event's ``type``), checked by the caller."""
    hints = get_type_hints(kind, include_extras=True)
    fields = []
    for field in attrs.fields(kind):
        hook = _fast_hook(hints[field.name])
        if hook is None:
            return None
        required = field.default is attrs.NOTHING
        fields.append((wire_name(field.name), field.alias, hook, required))
    extra = 0 if tag is None else 1

    def structure(value: object) -> Any:
        if type(value) is not dict:
            raise _DECLINED
        get = value.get
        values = {}
        found = extra
        for key, name, hook, required in fields:
            item = get(key, _ABSENT)
            if item is _ABSENT:
                if required:
                    raise _DECLINED
            else:
                found += 1
                values[name] = hook(item)
        if found != len(value):  # an unknown key
            raise _DECLINED
        return kind(**values)

    return structure


def _fast_event_table() -> dict[str, _FastHook]:
    table = {}
    for tag, kind in EVENT_CLASSES.items():
        hook = _fast_attrs(kind, tag="type")
        if hook is not None:
            table[tag.value] = hook
    return table


_FAST_EVENTS: Final = _fast_event_table()


def _fast_event(data: object) -> Event:
    if type(data) is not dict:
        raise _DECLINED
    tag = data.get("type")
    structure = _FAST_EVENTS.get(tag) if type(tag) is str else None
    if structure is None:
        raise _DECLINED
    event: Event = structure(data)
    return event


def _fast_review_document(data: object) -> ReviewDocument:
    if type(data) is not dict:
        raise _DECLINED
    get = data.get
    notification = get("notification", _ABSENT)
    if notification is _ABSENT:
        raise _DECLINED
    found = 1
    schema = get("schema", _ABSENT)
    if schema is not _ABSENT:
        found += 1
        if schema != _REVIEW_SCHEMA:
            raise _DECLINED
    events = get("events", _ABSENT)
    if events is not _ABSENT:
        found += 1
        if type(events) is not list and type(events) is not tuple:
            raise _DECLINED
    interpretation = get("interpretation")
    if interpretation is not None:
        found += 1
        # An invalid one raises InvalidInput (a ValueError): declined, the converter explains.
        interpretation = load_interpretation(interpretation)
    if found != len(data):  # an unknown key
        raise _DECLINED
    # The review's cross-field checks are its notification's, made by _fast_notification.
    loaded = _fast_notification(notification)
    if events is _ABSENT:
        return ReviewDocument(notification=loaded, interpretation=interpretation)
    table = _FAST_EVENTS
    structured = []
    for event in events:  # _fast_event, written in line: a review has several
        tag = event.get("type") if type(event) is dict else None
        structure = table.get(tag) if type(tag) is str else None
        if structure is None:
            raise _DECLINED
        structured.append(structure(event))
    return ReviewDocument(
        notification=loaded, events=tuple(structured), interpretation=interpretation
    )


def _fast_load(structure: Callable[[object], T], data: object) -> T | None:
    """``structure(data)``, or ``None`` when the fast way declines."""
    try:
        return structure(data)
    except _DECLINE:  # declined: the converter's way decides
        return None


_FAST_LOADS.update(
    {Notification: _fast_notification, ReviewDocument: _fast_review_document, Event: _fast_event}
)


# --- governance arrangements ---------------------------------------------------------------


def _year_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return None  # the converter reports a value of the wrong type
    try:
        FinancialYear.parse(value)
    except ValueError as error:
        return str(error)
    return None


def _raw_date(value: object) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None  # the converter reports it


def governance_cross_checks(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Financial years written ``YYYY/YY`` and action plans that end no earlier than they start.

    Receives the raw document, so these problems are listed whatever else is wrong with it.
    """
    reports = data.get("annual_reports")
    if isinstance(reports, list | tuple):
        for index, report in enumerate(reports):
            if isinstance(report, Mapping):
                problem = _year_problem(report.get("year"))
                if problem is not None:
                    yield (f"$.annual_reports[{index}].year", problem)
    plan = data.get("action_plan")
    if isinstance(plan, Mapping):
        start, end = _raw_date(plan.get("from")), _raw_date(plan.get("to"))
        if start is not None and end is not None and end < start:
            yield ("$.action_plan.to", "the action plan ends before it starts")


def arrangements_problems(arrangements: Arrangements) -> Iterator[tuple[str, str]]:
    """The same checks for arrangements built in Python rather than loaded from a document."""
    for index, report in enumerate(arrangements.annual_reports):
        try:
            FinancialYear.parse(report.year)
        except ValueError as error:
            yield (f"$.annual_reports[{index}].year", str(error))
    plan = arrangements.action_plan
    if plan is not None and plan.to < plan.from_:
        yield ("$.action_plan.to", "the action plan ends before it starts")


register_document(
    Arrangements,
    "leder.governance/1",
    governance_cross_checks,
    model_check=arrangements_problems,
)
register_document(ComplianceReport, "leder.governance-report/1")
register_document(Indicators, "leder.indicators/1")
register_document(BodyOnDate, "leder.body/1")
register_document(RuleCatalogue, "leder.rules/1")


def load_governance(data: Mapping[str, Any]) -> Arrangements:
    """Structure and validate a governance arrangements document (``leder.governance/1``).

    Raises :class:`~leder_core.InvalidInput` listing every problem, each with its JSON path.

    >>> arrangements = load_governance({"body": {"code": "QE1", "kind": "icb"}})
    >>> arrangements.reviewers
    ()
    """
    return load(data, Arrangements)
