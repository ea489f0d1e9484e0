"""Every way in and out is derived from a model's fields: a field added to a model reaches the
converter, the fast way in, the direct dump and its JSON text, and the positional constructor
without another edit.

Shown on models made for the test: :class:`Visit`, and :class:`VisitWithNewFields`, the same
model after fields were added to it. Each is registered as a document for the test alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Any

import attrs
import pytest

from leder_core import InvalidInput
from leder_core.models.construct import constructor, replacer
from leder_core.models.identifiers import DocumentId, OdsCode
from leder_core.models.notification import OtherProcess
from leder_core.serialization import dump, dump_json, load, register_document, registry
from leder_core.serialization.converter import fast_converter
from leder_core.serialization.dump import DIRECT_DUMPS, direct_ways, install_direct_dumps
from leder_core.serialization.fast_load import fast_load, fast_structuring
from leder_core.serialization.loading import load_by_converter


class VisitKind(StrEnum):
    HOME = "home"
    CLINIC = "clinic"


@attrs.frozen(kw_only=True)
class Visit:
    id: DocumentId
    on: date
    kind: VisitKind
    processes: tuple[OtherProcess, ...] = ()
    body: OdsCode | None = None


@attrs.frozen(kw_only=True)
class VisitWithNewFields:
    """:class:`Visit` with three fields added, nothing else edited anywhere."""

    id: DocumentId
    on: date
    kind: VisitKind
    processes: tuple[OtherProcess, ...] = ()
    body: OdsCode | None = None
    urgent: bool = False
    follow_up_on: date | None = None
    visitor: str


VISIT: dict[str, Any] = {
    "id": "V-1",
    "on": "2024-03-05",
    "kind": "clinic",
    "processes": ["coroner_inquest", "police_investigation"],
    "body": "QE1",
}
NEW_FIELDS: dict[str, Any] = {"urgent": True, "follow_up_on": "2024-04-01", "visitor": "R-7"}


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both models registered as documents, with their fast ways; all undone afterwards."""
    for kind, schema in ((Visit, "test.visit/1"), (VisitWithNewFields, "test.visit/2")):
        monkeypatch.setitem(registry.SCHEMAS, kind, schema)
        register_document(kind, schema)
        structure = fast_structuring(kind)
        assert structure is not None
        monkeypatch.setitem(registry.FAST_LOADS, kind, structure)
    yield
    for kind in (Visit, VisitWithNewFields):
        DIRECT_DUMPS.pop(kind, None)
    install_direct_dumps()


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    ("kind", "document"),
    [(Visit, VISIT), (VisitWithNewFields, {**VISIT, **NEW_FIELDS})],
)
def test_the_fast_way_in_takes_every_field_and_agrees_with_the_converter(
    kind: type[Any], document: dict[str, Any]
) -> None:
    structure = fast_structuring(kind)
    assert structure is not None
    fast = fast_load(structure, document)
    assert fast is not None  # the fast way took it
    assert fast == load_by_converter(document, kind) == load(document, kind)
    for field in attrs.fields(kind):  # every field read from its key, none left as default
        assert getattr(fast, field.name) != attrs.NOTHING
    assert fast.processes == (OtherProcess.CORONER_INQUEST, OtherProcess.POLICE_INVESTIGATION)
    named = {"schema": registry.SCHEMAS[kind], **document}
    assert fast_load(structure, named) == fast


@pytest.mark.usefixtures("registered")
def test_a_new_field_is_read_checked_and_refused_like_the_others() -> None:
    loaded = load({**VISIT, **NEW_FIELDS}, VisitWithNewFields)
    assert loaded.urgent is True
    assert loaded.follow_up_on == date(2024, 4, 1)
    assert loaded.visitor == "R-7"
    structure = fast_structuring(VisitWithNewFields)
    assert structure is not None
    without_required = {**VISIT, "urgent": True}  # the new required field missing
    assert fast_load(structure, without_required) is None
    with pytest.raises(InvalidInput) as missing:
        load(without_required, VisitWithNewFields)
    assert [(problem.path, problem.message) for problem in missing.value.problems] == [
        ("$.visitor", "required key missing")
    ]
    wrong = {**VISIT, **NEW_FIELDS, "urgent": 1, "follow_up_on": "2024-02-30"}
    assert fast_load(structure, wrong) is None
    with pytest.raises(InvalidInput) as refused:
        load(wrong, VisitWithNewFields)
    assert {problem.path for problem in refused.value.problems} == {"$.urgent", "$.follow_up_on"}
    # The older model never learnt the new keys: for it they are unknown.
    old_structure = fast_structuring(Visit)
    assert old_structure is not None
    assert fast_load(old_structure, {**VISIT, **NEW_FIELDS}) is None
    with pytest.raises(InvalidInput, match="unknown key"):
        load({**VISIT, **NEW_FIELDS}, Visit)


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    ("kind", "document"),
    [(Visit, VISIT), (VisitWithNewFields, {**VISIT, **NEW_FIELDS})],
)
def test_the_direct_dump_writes_every_field_as_the_general_way(
    kind: type[Any], document: dict[str, Any]
) -> None:
    model = load(document, kind)
    general = {"schema": registry.SCHEMAS[kind], **fast_converter().unstructure(model)}
    assert dump(model) == general  # the general way, before a direct way is installed
    ways = direct_ways(kind)
    assert ways is not None
    make_document, make_text = ways
    assert make_document(model) == general
    assert list(make_document(model)) == ["schema", *(field.name for field in attrs.fields(kind))]
    expected_text = json.dumps(general, ensure_ascii=False, separators=(",", ":"))
    assert make_text(model) == expected_text
    install_direct_dumps((kind,))
    assert dump(model) == general
    assert dump_json(model) == expected_text
    assert make_document(model) is not make_document(model)  # a fresh document every call


@pytest.mark.usefixtures("registered")
def test_the_direct_text_of_a_value_of_another_type_is_written_the_general_way() -> None:
    model = load({**VISIT, **NEW_FIELDS}, VisitWithNewFields)
    ways = direct_ways(VisitWithNewFields)
    assert ways is not None
    odd = attrs.evolve(model, visitor='quote " and \u00e9', urgent=False)
    assert ways[1](odd) == json.dumps(dump(odd), ensure_ascii=False, separators=(",", ":"))
    not_a_bool = attrs.evolve(model, urgent=0)  # written as json.dumps writes it: 0
    assert json.loads(ways[1](not_a_bool))["urgent"] == 0


def test_the_constructor_and_the_replacer_follow_the_fields() -> None:
    fields = {
        "id": "V-1",
        "on": date(2024, 3, 5),
        "kind": VisitKind.HOME,
        "processes": (),
        "body": None,
        "urgent": True,
        "follow_up_on": None,
        "visitor": "R-7",
    }
    built = constructor(VisitWithNewFields)(*fields.values())
    assert built == VisitWithNewFields(**fields)  # type: ignore[arg-type]
    replace = replacer(VisitWithNewFields, ("visitor", "urgent"))
    assert replace(built, "R-8", False) == attrs.evolve(built, visitor="R-8", urgent=False)
    with pytest.raises(TypeError, match="no field"):
        replacer(Visit, ("urgent",))
