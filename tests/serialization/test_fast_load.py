"""The fast way in for valid documents, at its edges: it accepts exactly what it should, and
whatever it declines the converter decides as before (tests/property/test_fast_load_properties.py
checks the same over generated documents)."""

from __future__ import annotations

import copy
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from leder_core import InvalidInput, load_notification
from leder_core import serialization as wire
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import Detention, Notification, OtherProcess
from leder_core.models.review import Allocated, Event, ReviewDocument, SignedOff
from leder_core.serialization import registry
from leder_core.serialization.fast_load import fast_load
from leder_core.serialization.loading import load_by_converter

DOCUMENT: dict[str, Any] = {
    "id": "N-1",
    "notified_on": "2024-03-15",
    "notifier_role": "gp",
    "person": {
        "nhs_number": "9434765919",
        "date_of_birth": "1970-01-01",
        "date_of_death": "2024-03-10",
        "learning_disability": True,
        "autism": "none",
        "lived_in_england": True,
    },
}


def changed(**changes: Any) -> dict[str, Any]:
    """DOCUMENT with top-level keys (``person__key`` for the person's) set, or removed when
    the value is ``...``."""
    document = copy.deepcopy(DOCUMENT)
    for name, value in changes.items():
        target, key = (
            (document["person"], name[8:])
            if name.startswith("person__")
            else (
                document,
                name,
            )
        )
        if value is ...:
            del target[key]
        else:
            target[key] = value
    return document


def fast(document: object, kind: Any = Notification) -> object:
    return fast_load(registry.FAST_LOADS[kind], document)


def accepted(document: dict[str, Any]) -> Notification:
    """The fast way's model, checked equal to the converter's."""
    model = fast(document)
    assert isinstance(model, Notification)
    assert model == load_by_converter(document, Notification)
    assert load_notification(document) == model
    return model


def declined_and_refused(document: object) -> list[tuple[str, str]]:
    """The fast way declines; the public loader raises exactly the converter's problems."""
    assert fast(document) is None
    with pytest.raises(InvalidInput) as by_converter:
        load_by_converter(document, Notification)
    with pytest.raises(InvalidInput) as public:
        load_notification(document)  # type: ignore[arg-type]
    assert public.value.problems == by_converter.value.problems
    return [(problem.path, problem.message) for problem in public.value.problems]


def test_a_plain_valid_document_takes_the_fast_way_with_its_defaults() -> None:
    model = accepted(DOCUMENT)
    assert model.person.died_in_england is True
    assert model.person.detention is Detention.NONE
    assert model.other_processes == ()
    assert model.responsible_body is None


@pytest.mark.parametrize("key", ["learning_disability", "lived_in_england", "gp_registered"])
@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_a_number_or_text_is_not_a_boolean(key: str, value: object) -> None:
    paths = [path for path, _ in declined_and_refused(changed(**{f"person__{key}": value}))]
    assert paths == [f"$.person.{key}"]


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        ("1880-01-01", True),
        ("1879-12-31", False),
        ("2000-02-29", True),
        ("2023-02-29", False),
        ("1970-1-01", False),
        ("19700101", False),
    ],
)
def test_dates_take_the_strict_rules(born: str, ok: bool) -> None:
    document = changed(person__date_of_birth=born)
    if ok:
        assert accepted(document).person.date_of_birth == date.fromisoformat(born)
    else:
        assert declined_and_refused(document)[0][0] == "$.person.date_of_birth"


def test_the_latest_date_and_a_leap_day_death() -> None:
    model = accepted(changed(notified_on="2199-12-31", person__date_of_death="2024-02-29"))
    assert model.notified_on == date(2199, 12, 31)
    declined_and_refused(changed(notified_on="2200-01-01"))


@pytest.mark.parametrize("written", ["9434765919", "943 476 5919"])
def test_an_nhs_number_with_or_without_spaces(written: str) -> None:
    model = accepted(changed(person__nhs_number=written))
    assert model.person.nhs_number == NhsNumber.parse("943 476 5919")
    assert type(model.person.nhs_number) is NhsNumber


@pytest.mark.parametrize(
    "written",
    [
        "9434765918",
        "943 4765919",
        " 943476591",
        "943 476 591 ",
        "1111111111",
        "94347659１9",
        9434765919,
    ],
)
def test_an_invalid_nhs_number_is_declined(written: object) -> None:
    problems = declined_and_refused(changed(person__nhs_number=written))
    assert [path for path, _ in problems] == ["$.person.nhs_number"]


def test_the_schema_key() -> None:
    accepted(changed(schema="leder.notification/1"))
    assert declined_and_refused(changed(schema="leder.review/1"))[0][0] == "$.schema"


@pytest.mark.parametrize("name", ["person__nhs_number", "person__ethnicity", "responsible_body"])
def test_null_where_the_default_is_null(name: str) -> None:
    accepted(changed(**{name: None}))


@pytest.mark.parametrize(
    "name",
    ["person__died_in_england", "person__detention", "other_processes", "id", "person__autism"],
)
def test_null_where_it_is_not_allowed(name: str) -> None:
    declined_and_refused(changed(**{name: None}))


@pytest.mark.parametrize("place", ["top", "person"])
def test_an_extra_key_is_declined(place: str) -> None:
    name = "extra" if place == "top" else "person__extra"
    assert declined_and_refused(changed(**{name: 1}))[0][1] == "unknown key"


@pytest.mark.parametrize("person", [[], "person", None, 1])
def test_a_person_that_is_not_an_object(person: object) -> None:
    declined_and_refused(changed(person=person))


@pytest.mark.parametrize("key", ["id", "notified_on", "person__autism", "person__date_of_death"])
def test_a_missing_key_is_declined(key: str) -> None:
    declined_and_refused(changed(**{key: ...}))


@pytest.mark.parametrize("identifier", ["", "x" * 65, "N\x00-1", "N\x85-1"])
def test_identifier_rules(identifier: str) -> None:
    assert declined_and_refused(changed(id=identifier))[0][0] == "$.id"


def test_identifiers_at_the_edges_of_the_rules() -> None:
    accepted(changed(id="x" * 64))
    accepted(changed(id="N\u2028-1"))  # not printable, yet no control character


def test_cross_field_checks() -> None:
    assert declined_and_refused(changed(person__date_of_death="1960-01-01")) == [
        ("$.person.date_of_death", "the date of death is before the date of birth")
    ]
    assert declined_and_refused(changed(notified_on="2024-03-09")) == [
        ("$.notified_on", "the notification date is before the date of death")
    ]
    accepted(changed(notified_on="2024-03-10", person__date_of_birth="2024-03-10"))


def test_enumerations_and_lists() -> None:
    model = accepted(
        changed(
            other_processes=["coroner_inquest"], person__ethnicity="99", person__detention="prison"
        )
    )
    assert model.other_processes == (OtherProcess.CORONER_INQUEST,)
    assert model.person.detention is Detention.PRISON
    declined_and_refused(changed(person__ethnicity=99))
    declined_and_refused(changed(other_processes=[["coroner_inquest"]]))
    declined_and_refused(changed(notifier_role=True))


class Text(str):
    """A str subclass: the fast way leaves it to the converter, which accepts it."""


def test_what_only_the_converter_takes() -> None:
    for document in (
        changed(id=Text("N-1")),
        changed(person__date_of_birth=Text("1970-01-01")),
        MappingProxyType(DOCUMENT),
    ):
        assert fast(document) is None
        assert load_notification(document) == accepted(DOCUMENT)  # type: ignore[arg-type]


def test_review_documents_and_events() -> None:
    action = {"description": "Do it", "owner": None, "due_on": "2024-06-01"}
    events = [
        {"type": "allocated", "on": "2024-03-20", "reviewer": "R-1"},
        {"type": "signed_off", "on": "2024-05-01", "by": "senior_reviewer", "actions": [action]},
    ]
    document = {"schema": "leder.review/1", "notification": DOCUMENT, "events": events}
    model = fast(document, ReviewDocument)
    assert isinstance(model, ReviewDocument)
    assert model == load_by_converter(document, ReviewDocument)
    assert isinstance(model.events[0], Allocated)
    assert model.events[0].independent is True
    assert isinstance(model.events[1], SignedOff)
    assert fast({"notification": DOCUMENT}, ReviewDocument) == ReviewDocument(
        notification=accepted(DOCUMENT)
    )
    for wrong in (
        {**document, "extra": 1},
        {**document, "events": [{**events[0], "extra": 1}]},
        {**document, "events": [{"on": "2024-03-20", "reviewer": "R-1"}]},
        {**document, "events": [{**events[0], "type": "unknown"}]},
        {**document, "events": [{**events[0], "on": True}]},
        {**document, "events": [{**events[0], "on": 20240320}]},
        {**document, "events": [{**events[0], "on": ["2024-03-20"]}]},
        {**document, "events": [{**events[0], "independent": 1}]},
        {**document, "events": [{**events[1], "actions": [{**action, "owner": 1}]}]},
        {**document, "notification": {**DOCUMENT, "notified_on": "2024-03-01"}},
    ):
        assert fast(wrong, ReviewDocument) is None
        with pytest.raises(InvalidInput) as by_converter:
            load_by_converter(wrong, ReviewDocument)
        with pytest.raises(InvalidInput) as public:
            wire.load_review_document(wrong)
        assert public.value.problems == by_converter.value.problems
    assert fast(events[0], Event) == wire.load_event(events[0])


def test_a_document_registered_again_loses_the_fast_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its checks may have changed, and the fast way makes only those it was written with.
    for table in (
        registry.FAST_LOADS,
        registry.SCHEMAS,
        registry.MODEL_CHECKS,
        registry.CROSS_CHECKS,
    ):
        monkeypatch.setitem(table, Notification, table[Notification])  # restored afterwards
    refused = [("$.id", "refused by a new check")]
    wire.register_document(
        Notification,
        "leder.notification/1",
        lambda _: iter(refused),
        model_check=lambda _: iter(refused),
    )
    assert Notification not in registry.FAST_LOADS
    with pytest.raises(InvalidInput) as refusal:
        load_notification(DOCUMENT)
    assert [(problem.path, problem.message) for problem in refusal.value.problems] == refused
