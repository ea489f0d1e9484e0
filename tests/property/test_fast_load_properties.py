"""The fast way in for valid documents agrees exactly with the converter's way.

``load`` first tries hand-written structuring for valid documents and, whenever that declines,
lets the converter decide. These properties hold over valid and corrupted notification, review
and event documents: when the fast way gives a model, the converter gives an equal model whose
every field has the same type; the fast way accepts every valid document; whenever the converter
refuses, the fast way declined, and the public loader raises exactly the converter's
:class:`~leder_core.InvalidInput`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, get_args, get_type_hints

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leder_core import InvalidInput, load_notification
from leder_core import serialization as wire
from leder_core.models.notification import Notification
from leder_core.models.review import EVENT_CLASSES, Event, ReviewDocument
from leder_core.serialization.converter import is_homogeneous_tuple, optional_inner
from leder_core.serialization.fast_load import fast_load
from leder_core.serialization.loading import load_by_converter
from leder_core.serialization.registry import FAST_LOADS
from leder_core.testing import (
    corrupted_notification_documents,
    json_values,
    notification_documents,
    plausible_dates,
)


def same_model(fast: object, slow: object) -> None:
    """Equal, and the same type all the way down (``True`` is not ``1``, a member not a str)."""
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert type(fast) is type(slow)
    if attrs.has(type(fast)):
        for field in attrs.fields(type(fast)):
            same_model(getattr(fast, field.name), getattr(slow, field.name))
    elif isinstance(fast, tuple):
        assert isinstance(slow, tuple)
        for fast_item, slow_item in zip(fast, slow, strict=True):
            same_model(fast_item, slow_item)


def converter_outcome(document: object, kind: Any) -> object:
    """The converter's model of ``document``, or its refusal."""
    try:
        return load_by_converter(document, kind)
    except InvalidInput as refusal:
        return refusal


def check_agreement(document: object, kind: Any, public: Callable[[Any], object]) -> object:
    """Check the two ways agree on ``document``; return the fast way's model (or ``None``)."""
    snapshot = copy.deepcopy(document)
    fast = fast_load(FAST_LOADS[kind], document)
    slow = converter_outcome(document, kind)
    assert document == snapshot  # neither way changes what it is given
    if fast is not None:
        same_model(fast, slow)
    if isinstance(slow, InvalidInput):
        assert fast is None
        with pytest.raises(InvalidInput) as refusal:
            public(document)
        assert refusal.value.problems == slow.problems
    else:
        same_model(public(document), slow)
    return fast


# --- documents ------------------------------------------------------------------------------


def _field_values(kind: Any) -> st.SearchStrategy[Any]:
    """Wire values of a field type of an event (or of an action in one)."""
    if kind is date:
        return plausible_dates().map(date.isoformat)
    if kind is bool:
        return st.booleans()
    if kind is str:
        return st.text(max_size=20)
    if get_args(kind) and get_args(kind)[0] is str:  # an identifier (typing.Annotated)
        return st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=64)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from([member.value for member in kind])
    inner = optional_inner(kind)
    if inner is not None:
        return st.one_of(st.none(), _field_values(inner))
    if is_homogeneous_tuple(kind):
        return st.lists(_field_values(get_args(kind)[0]), max_size=3)
    if attrs.has(kind):
        return _attrs_documents(kind)
    raise TypeError(f"no values for {kind!r}")


def _attrs_documents(kind: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    hints = get_type_hints(kind, include_extras=True)
    required = {}
    optional = {}
    for field in attrs.fields(kind):
        values = _field_values(hints[field.name])
        target = required if field.default is attrs.NOTHING else optional
        target[wire.wire_name(field.name)] = values
    return st.fixed_dictionaries(required, optional=optional)


def _event_documents(tag: str, kind: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return _attrs_documents(kind).map(lambda body: {"type": tag, **body})


event_documents = st.one_of(
    [_event_documents(tag.value, kind) for tag, kind in EVENT_CLASSES.items()]
)


@st.composite
def review_documents(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = {"notification": draw(notification_documents())}
    if draw(st.booleans()):
        document["events"] = draw(st.lists(event_documents, max_size=6))
    if draw(st.booleans()):
        document["schema"] = "leder.review/1"
    return document


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> Any:
    """A document with one place changed: a value replaced (by any JSON value, or a value of
    a near type), a key removed or added."""
    document = copy.deepcopy(draw(documents))
    places: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            places.append((node, None))
            for key, value in node.items():
                places.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                places.append((node, index))
                walk(value)

    walk(document)
    container, key = draw(st.sampled_from(places))
    near = st.sampled_from([None, True, False, 0, 1, 1.0, "", "none", [], {}, "2024-02-29"])
    if key is None:
        container[draw(st.sampled_from(["schema", "type", "extra", "person", "events"]))] = draw(
            st.one_of(near, json_values(max_leaves=3))
        )
    elif draw(st.booleans()) and isinstance(container, dict):
        del container[key]
    else:
        container[key] = draw(st.one_of(near, json_values(max_leaves=3)))
    return document


# --- properties -----------------------------------------------------------------------------


@given(notification_documents())
def test_fast_way_accepts_every_valid_notification(document: dict[str, Any]) -> None:
    assert check_agreement(document, Notification, load_notification) is not None


@given(corrupted_notification_documents())
def test_fast_way_declines_every_corrupted_notification(case: tuple[dict[str, Any], str]) -> None:
    document, _ = case
    assert check_agreement(document, Notification, load_notification) is None


@given(mutated(notification_documents()))
def test_ways_agree_on_changed_notifications(document: dict[str, Any]) -> None:
    check_agreement(document, Notification, load_notification)


@given(review_documents())
def test_fast_way_accepts_every_valid_review_document(document: dict[str, Any]) -> None:
    fast = check_agreement(document, ReviewDocument, wire.load_review_document)
    assert fast is not None


@given(mutated(review_documents()))
def test_ways_agree_on_changed_review_documents(document: dict[str, Any]) -> None:
    check_agreement(document, ReviewDocument, wire.load_review_document)


@given(st.one_of(event_documents, mutated(event_documents)))
def test_ways_agree_on_events(document: dict[str, Any]) -> None:
    check_agreement(document, Event, wire.load_event)
