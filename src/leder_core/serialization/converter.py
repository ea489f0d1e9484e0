"""The converter and its hooks: :func:`make_converter`, the single cattrs converter factory.

It is strict where JSON is loose: strings must be strings, booleans booleans, dates
``YYYY-MM-DD`` within 1880-01-01 … 2199-12-31, arrays arrays, and unknown keys are refused. A
field written with a trailing underscore in Python (``from_``) is ``from`` on the wire. Every
hook raises :class:`~leder_core.serialization.primitives.InvalidValue`, whose message never
quotes the value.

Two converters are made once each: :func:`fast_converter` stops at the first problem,
:func:`detailed_converter` lists every problem with its path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from types import UnionType
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

import attrs
from cattrs import Converter
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as make_json_converter

from leder_core.interpretation import Interpretation
from leder_core.models.explanation import Reason
from leder_core.models.fhir import FhirExtract
from leder_core.models.identifiers import (
    DOCUMENT_ID_MAX_LENGTH,
    ODS_CODE_SHAPE,
    DocumentId,
    OdsCode,
)
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import Notification
from leder_core.models.review import EVENT_CLASSES, Event, Review
from leder_core.models.wire import (
    COMPUTED_DATE,
    NOT_ON_WIRE,
    OMIT_IF_ASSUMED,
    OMIT_IF_DEFAULT,
    OMIT_IF_NONE,
)
from leder_core.serialization.interpretation import load_interpretation
from leder_core.serialization.primitives import (
    CONTROL,
    InvalidValue,
    Remembered,
    parse_computed_date,
    parse_date,
    parse_date_text,
    wire_name,
)
from leder_core.serialization.registry import SCHEMAS
from leder_core.serialization.shared import (
    INTERPRETATIONS,
    reason_document,
    reasons_document,
    remembered,
    scalars_only,
)

__all__ = [
    "assumable_facts",
    "assumed_by_presence",
    "assumed_of",
    "detailed_converter",
    "fast_converter",
    "is_homogeneous_tuple",
    "make_converter",
    "optional_inner",
    "renames",
    "structure_document_id",
    "structure_ods_code",
]


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
    # Printable text has no control character; only other text needs the search.
    if not value.isprintable() and CONTROL.search(value):
        raise InvalidValue("must not contain control characters")
    return value


def structure_ods_code(value: object, _: object) -> str:
    """An ODS code (:data:`~leder_core.models.identifiers.OdsCode`) checked: the converter's
    hook. Raises :class:`InvalidValue` without showing the value."""
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
    return parse_date_text(value) if type(value) is str else parse_date(value)


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


def is_homogeneous_tuple(kind: Any) -> bool:
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


def optional_inner(kind: Any) -> Any:
    """``X`` for ``X | None`` (a union of exactly one type and ``None``), else ``None``."""
    args = get_args(kind)
    if len(args) == 2 and type(None) in args and get_origin(kind) in (Union, UnionType):
        return args[0] if args[1] is type(None) else args[1]
    return None


def _optional_hook(kind: Any, converter: Converter) -> Callable[[object, object], Any]:
    # The inner hook is looked up once, not on every value as cattrs' generic hook does.
    inner = optional_inner(kind)
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
        **renames(kind),
    )

    if _ASSUMABLE[kind]:
        generated = _with_assumed(generated)
    if not converter.detailed_validation and kind not in SCHEMAS:
        # The fast pass needs no friendlier message: anything it refuses (a list where an
        # object belongs) is explained by the detailed pass.
        return generated  # type: ignore[no-any-return]

    def structure(value: object, _: object) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise InvalidValue("expected an object")
        if "schema" in value and kind in SCHEMAS:
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
    expected = SCHEMAS[kind]
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


def assumable_facts(kind: type[Any]) -> tuple[str, ...]:
    """The facts a document of ``kind`` may leave out (fields marked ``OMIT_IF_ASSUMED``), in
    field order; the model records those its document left out in its ``assumed`` field."""
    return _ASSUMABLE[kind]


def _assumable(kind: type[Any]) -> tuple[str, ...]:
    return tuple(
        wire_name(field.name) for field in attrs.fields(kind) if field.metadata.get(OMIT_IF_ASSUMED)
    )


_ASSUMABLE: Final[dict[type[Any], tuple[str, ...]]] = Remembered(_assumable)


def assumed_of(kind: type[Any], data: Mapping[str, Any]) -> frozenset[str]:
    """The facts ``data``, a document of ``kind``, leaves out (each taken as its default)."""
    facts = _ASSUMABLE[kind]
    present = tuple([fact in data for fact in facts])
    by_presence = assumed_by_presence(kind)
    assumed = by_presence.get(present)
    if assumed is None:
        assumed = frozenset(fact for fact in facts if fact not in data)
        by_presence[present] = assumed
    return assumed


def assumed_by_presence(kind: type[Any]) -> dict[tuple[bool, ...], frozenset[str]]:
    """The facts a document of ``kind`` leaves out, by which of its assumable facts it gives
    (for a person, at most 16 sets, each made once)."""
    return _ASSUMED_BY_PRESENCE.setdefault(kind, {})


_ASSUMED_BY_PRESENCE: Final[dict[type[Any], dict[tuple[bool, ...], frozenset[str]]]] = {}


def _with_assumed(
    generated: Callable[[Mapping[str, Any], Any], Any],
) -> Callable[[Mapping[str, Any], Any], Any]:
    """A structuring that records the facts its document leaves out."""

    def structure(value: Mapping[str, Any], kind: Any) -> Any:
        model = generated(value, kind)
        assumed = assumed_of(kind, value)
        return attrs.evolve(model, assumed=assumed) if assumed else model

    return structure


def _attrs_unstructure_hook(kind: type[Any], converter: Converter) -> Callable[[Any], Any]:
    generated = make_dict_unstructure_fn(kind, converter, **renames(kind))
    if not _ASSUMABLE[kind]:
        return generated

    def unstructure(model: Any) -> dict[str, Any]:
        document: dict[str, Any] = generated(model)
        for fact in model.assumed:  # left out as the document left it out
            document.pop(fact, None)
        return document

    return unstructure


def renames(kind: type[Any]) -> dict[str, Any]:
    """The fields of ``kind`` whose document differs from the default way: renamed, omitted,
    left out when default, or a computed date read back whatever its year."""
    overrides = {}
    for field in attrs.fields(kind):
        if field.metadata.get(NOT_ON_WIRE):
            overrides[field.name] = override(omit=True)
            continue
        omit = bool(field.metadata.get(OMIT_IF_NONE) or field.metadata.get(OMIT_IF_DEFAULT))
        computed = None
        if field.metadata.get(COMPUTED_DATE):
            computed = _computed_date_hook(get_type_hints(kind)[field.name])
        if wire_name(field.name) != field.name or omit or computed:
            overrides[field.name] = override(
                rename=wire_name(field.name), omit_if_default=omit or None, struct_hook=computed
            )
    return overrides


def _computed_date_hook(kind: Any) -> Callable[[object, object], date | None]:
    """The structure hook of a computed date field of declared type ``kind`` (a ``date``, or
    an optional one): any real calendar date (:func:`parse_computed_date`)."""
    optional = optional_inner(kind) is date
    if not optional and kind is not date:
        raise TypeError("a computed date field is declared as a date or an optional date")

    def structure(value: object, _: object) -> date | None:
        if value is None and optional:
            return None
        return parse_computed_date(value)

    return structure


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
    converter.register_structure_hook_func(lambda kind: kind == OdsCode, structure_ods_code)
    converter.register_structure_hook(NhsNumber, _structure_nhs_number)
    converter.register_unstructure_hook(NhsNumber, lambda number: number.digits)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(Interpretation, lambda value, _: load_interpretation(value))
    converter.register_structure_hook_factory(is_homogeneous_tuple, _tuple_hook)
    converter.register_structure_hook_factory(
        lambda kind: optional_inner(kind) is not None, _optional_hook
    )
    converter.register_unstructure_hook_factory(is_homogeneous_tuple, _tuple_unstructure_hook)
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


def _register_shared_documents(converter: Converter) -> None:
    """Reasons and interpretations written from the documents remembered for each object."""
    unstructure_interpretation = _attrs_unstructure_hook(Interpretation, converter)

    def interpretation_document(interpretation: Interpretation) -> dict[str, Any]:
        entry = INTERPRETATIONS.get(id(interpretation))
        if entry is None or entry[0] is not interpretation:
            template = unstructure_interpretation(interpretation)
            if not scalars_only(template):
                raise TypeError("an interpretation document may hold only scalars")
            entry = (interpretation, remembered(INTERPRETATIONS, interpretation, template))
        return entry[1].copy()  # scalars only: a shallow copy shares nothing mutable

    converter.register_unstructure_hook(Reason, reason_document)
    converter.register_unstructure_hook_func(
        lambda kind: kind == tuple[Reason, ...], reasons_document
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
def fast_converter() -> Converter:
    """The converter without detailed validation, made once: it stops at the first problem."""
    return make_converter(detailed_validation=False)


@cache
def detailed_converter() -> Converter:
    """The converter with detailed validation, made once: it lists every problem."""
    return make_converter(detailed_validation=True)


def _register_fhir_extract_hook(converter: Converter) -> None:
    """``leder.fhir-extract/1``: its notification is a whole document, named as such."""

    def unstructure_extract(extract: FhirExtract) -> dict[str, Any]:
        return {
            "notification": {
                "schema": SCHEMAS[Notification],
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
                kind, converter, _cattrs_forbid_extra_keys=False, **renames(kind)
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
