"""The positional constructors of leder_core.models.construct build exactly what the classes'
own constructors build, and defer to them for any class whose ``__init__`` does more."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given

from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Assessment
from leder_core.models.construct import constructor, is_plain
from leder_core.models.notification import Notification, Person
from leder_core.models.review import (
    AuditEntry,
    ContactKind,
    ContactRecorded,
    HoldPeriod,
    HoldReason,
    Review,
    ReviewState,
)
from leder_core.rules.assess import assess
from leder_core.testing import notifications


def _fields(instance: object) -> dict[str, object]:
    return {field.name: getattr(instance, field.name) for field in attrs.fields(type(instance))}


def _same(built: object, expected: object) -> None:
    assert type(built) is type(expected)
    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    assert _fields(built) == _fields(expected)


@given(notifications())
def test_an_assessment_and_a_review_are_the_same_objects(notification: Notification) -> None:
    assessment = assess(notification)
    _same(constructor(Assessment)(*_fields(assessment).values()), assessment)
    review = Review(
        notification=notification,
        interpretation=assessment.interpretation,
        assessment=assessment,
        state=ReviewState.INITIAL_REVIEW,
        review_level=assessment.review_level,
    )
    _same(constructor(Review)(*_fields(review).values()), review)


@given(notifications())
def test_a_notification_and_its_person_are_the_same_objects(notification: Notification) -> None:
    _same(constructor(Notification)(*_fields(notification).values()), notification)
    _same(constructor(Person)(*_fields(notification.person).values()), notification.person)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14])
def test_any_number_of_fields_sets_each_field_in_order(count: int) -> None:
    # Whether written out for its number of fields or not, the builder sets field i to the
    # i-th argument and refuses a wrong number of arguments.
    cls = attrs.make_class(
        f"Fields{count}", [f"f{index}" for index in range(count)], frozen=True, slots=True
    )
    assert is_plain(cls)
    values = [object() for _ in range(count)]
    _same(constructor(cls)(*values), cls(*values))
    with pytest.raises((TypeError, ValueError)):
        constructor(cls)(*values, None)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        constructor(cls)(*values).f0 = 1


def test_the_models_built_in_bulk_get_a_builder_generated_from_their_fields() -> None:
    # The speed of loading, assessing and replaying relies on the slots being set in line.
    for cls in (Notification, Person, Assessment, Review, AuditEntry):
        build = constructor(cls)
        assert build.__code__.co_filename == f"<leder_core constructor of {cls.__name__}>"
        assert "new(cls)" in build.__source__  # type: ignore[attr-defined]
        assert build.__code__.co_argcount == len(attrs.fields(cls))


def test_an_audit_entry_and_a_hold_are_the_same_objects() -> None:
    event = ContactRecorded(on=date(2024, 1, 2), contact=ContactKind.GP)
    entry = AuditEntry(
        event=event,
        from_=ReviewState.INITIAL_REVIEW,
        to=ReviewState.INITIAL_REVIEW,
        ruleset=None,
        rules=("FLOW-DATES", "FLOW-CONTACT"),
    )
    _same(constructor(AuditEntry)(*_fields(entry).values()), entry)
    hold = HoldPeriod(process=HoldReason.CORONER_INQUEST, placed_on=date(2024, 1, 2))
    _same(constructor(HoldPeriod)(*_fields(hold).values()), hold)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        constructor(HoldPeriod)(HoldReason.CORONER_INQUEST, date(2024, 1, 2), None).lifted_on = 1


@attrs.frozen
class _Validated:
    value: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen
class _Converted:
    value: int = attrs.field(converter=int)


@attrs.frozen
class _PostInit:
    value: int

    def __attrs_post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@attrs.frozen(cache_hash=True)
class _CachedHash:
    value: int


@attrs.frozen(slots=False)
class _NotSlotted:
    value: int


@pytest.mark.parametrize("cls", [_Validated, _Converted, _PostInit, _CachedHash, _NotSlotted])
def test_a_class_whose_init_does_more_is_built_by_its_own_init(cls: type) -> None:
    assert not is_plain(cls)
    build = constructor(cls)
    assert build(1) == cls(1)
    if cls is _Validated:
        with pytest.raises(TypeError):
            build("1")
    if cls is _Converted:
        assert build("7").value == 7
    if cls is _PostInit:
        with pytest.raises(ValueError, match="negative"):
            build(-1)
    if cls is _CachedHash:
        assert hash(build(3)) == hash(_CachedHash(3))


def test_an_interpretation_is_built_by_its_own_init() -> None:
    # Its fields convert strings to their choices: the constructor must not skip that.
    assert not is_plain(Interpretation)
