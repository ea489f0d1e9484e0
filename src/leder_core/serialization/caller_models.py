"""Models a caller built, checked as their documents.

A model a caller builds (``Allocated(on=..., reviewer="")``) is checked exactly as its
document would be: it is written out as the document it stands for, without judging any
value (a wrong type is written as it is), and that document goes through the one loader.
The loader's problems are the model's, at the same paths; a field whose value the document
cannot carry as given (text for a date, a plain string for an NHS number) is a problem at
its path too. So there is one definition of what is valid: the document's.

Models the loaders built are marked valid (:func:`~leder_core.serialization.loading.mark_valid`)
and not checked again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeVar, cast

import attrs

from leder_core.errors import InvalidInput
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import Notification
from leder_core.models.review import Event, EventType
from leder_core.models.wire import NOT_ON_WIRE
from leder_core.serialization.loading import (
    load_event,
    load_notification,
    mark_valid,
    marked_valid,
)
from leder_core.serialization.primitives import key_path, wire_name

__all__ = ["checked_event", "checked_notification"]

_M = TypeVar("_M")

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
    if marked_valid(model):
        return model
    loaded = loader(_model_document(model))  # InvalidInput: the document's own problems
    # Models compare field by field and class by class, and a date never equals a datetime
    # or text, so an equal model held only values its document holds (an enumeration may have
    # been given as its text); only an unequal one is walked to say where it differs.
    if loaded != model:
        problems = list(_differences(model, loaded, "$"))
        if problems:
            raise InvalidInput(problems)
    return mark_valid(loaded)


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
    if marked_valid(notification):  # the loader's, as every assess of a document is: at once
        return notification
    return _checked_model(notification, load_notification)
