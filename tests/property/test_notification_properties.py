"""Properties of loading notification documents, over documents Hypothesis generates."""

from __future__ import annotations

import copy
import traceback
from collections.abc import Iterator
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from leder_core import InvalidInput, dump, load_notification
from leder_core.testing import (
    corrupted_notification_documents,
    json_values,
    nhs_numbers,
    normalised,
    notification_documents,
    notifications,
)

# Documents that always carry a synthetic NHS number, to look for it where it must not be.
numbered_documents = notification_documents(nhs_number=nhs_numbers())


def load_or_refuse(document: object) -> InvalidInput | None:
    """Load ``document``; return the refusal, or None when it loads. Anything else escapes."""
    refusal: InvalidInput | None = None
    try:
        load_notification(document)  # type: ignore[arg-type]
    except InvalidInput as error:
        refusal = error
    if refusal is not None:
        assert refusal.problems
        for path, message in refusal.problems:
            assert path.startswith("$")
            assert message
    return refusal


def renderings(error: BaseException) -> list[str]:
    """Every way an error reaches a person: str, repr, each message, a printed traceback."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(error, InvalidInput):
        texts.extend(f"{path} {message}" for path, message in error.problems)
    return texts


@given(notification_documents())
def test_a_valid_document_dumps_to_its_normal_form(document: dict[str, Any]) -> None:
    dumped = dump(load_notification(document))
    expected = normalised(document)
    assert dumped == expected
    assert list(dumped) == list(expected)
    assert list(dumped["person"]) == list(expected["person"])


@given(notifications())
def test_a_dumped_notification_loads_back_equal(notification: Any) -> None:
    dumped = dump(notification)
    assert load_notification(dumped) == notification
    assert dump(load_notification(dumped)) == dumped


@given(notification_documents())
def test_loading_never_changes_the_document(document: dict[str, Any]) -> None:
    before = copy.deepcopy(document)
    load_notification(document)
    assert document == before


@given(corrupted_notification_documents())
def test_every_corruption_is_refused_at_its_path(case: tuple[dict[str, Any], str]) -> None:
    document, expected_path = case
    error = load_or_refuse(document)
    assert error is not None, "a corrupted document was accepted"
    reported = [problem.path for problem in error.problems]
    assert expected_path in reported
    # One corruption, one problem: nothing else about the document is wrong.
    assert reported == [expected_path]


@given(json_values())
def test_any_json_value_is_refused_only_with_invalid_input(value: Any) -> None:
    assert load_or_refuse(value) is not None


@given(
    st.fixed_dictionaries(
        {},
        optional={
            key: json_values(max_leaves=8)
            for key in (
                "schema",
                "id",
                "notified_on",
                "notifier_role",
                "person",
                "other_processes",
                "responsible_body",
            )
        },
    )
)
def test_any_values_under_the_right_keys_are_refused_only_with_invalid_input(
    value: dict[str, Any],
) -> None:
    error = load_or_refuse(value)
    assert error is not None  # a person needs an object with five required keys


def positions(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value inside a JSON value, the root included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from positions(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from positions(item, (*path, index))


@given(notification_documents(), st.data())
def test_arbitrary_json_anywhere_in_a_document_loads_or_is_refused(
    document: dict[str, Any], data: st.DataObject
) -> None:
    changed: Any = copy.deepcopy(document)
    where = data.draw(st.sampled_from(list(positions(changed))), label="position")
    how = data.draw(st.sampled_from(("replace", "delete", "add")), label="change")
    if not where:
        changed = data.draw(json_values(), label="document")
    else:
        parent = changed
        for step in where[:-1]:
            parent = parent[step]
        if how == "replace":
            parent[where[-1]] = data.draw(json_values(), label="value")
        elif how == "delete":
            del parent[where[-1]]
        else:
            target = parent[where[-1]]
            assume(isinstance(target, dict | list))
            item = data.draw(json_values(max_leaves=5), label="item")
            if isinstance(target, dict):
                target[data.draw(st.text(max_size=10), label="key")] = item
            else:
                target.insert(data.draw(st.integers(0, len(target)), label="index"), item)
    refusal = load_or_refuse(changed)
    if refusal is None:
        # Whatever loads is valid, so it must dump to its normal form like any valid document.
        assert dump(load_notification(changed)) == normalised(changed)
    else:
        assert refusal.problems  # each with a "$" path and a message: load_or_refuse checks


@given(numbered_documents)
def test_a_loaded_nhs_number_never_shows_in_repr_or_str(document: dict[str, Any]) -> None:
    given_number = document["person"]["nhs_number"]
    digits = given_number.replace(" ", "")
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    assume(digits not in document["id"] and spaced not in document["id"])
    notification = load_notification(document)
    assert notification.person.nhs_number is not None
    assert notification.person.nhs_number.digits == digits  # it is there, on purpose
    for shown in (
        repr(notification),
        str(notification),
        repr(notification.person),
        str(notification.person),
        repr(notification.person.nhs_number),
        str(notification.person.nhs_number),
        f"{notification.person.nhs_number}",
    ):
        assert digits not in shown
        assert spaced not in shown


def nhs_number_forms(text: str) -> list[str]:
    """A number as given, as digits and spaced 3-3-4 (from any digits it holds)."""
    digits = "".join(character for character in text if character.isdigit())
    return [text.strip(), digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]


@given(numbered_documents, st.data())
def test_a_refusal_never_shows_the_nhs_number_or_dates_of_the_person(
    document: dict[str, Any], data: st.DataObject
) -> None:
    person = document["person"]
    secrets = nhs_number_forms(person["nhs_number"])
    # The range's own ends are named in the message about the range.
    secrets += [
        person[key]
        for key in ("date_of_birth", "date_of_death")
        if person[key] not in ("1880-01-01", "2199-12-31")
    ]
    corrupted, _ = data.draw(corrupted_notification_documents(st.just(document)))
    corrupted_person = corrupted.get("person")
    if isinstance(corrupted_person, dict):
        number = corrupted_person.get("nhs_number")
        if isinstance(number, str) and sum(character.isdigit() for character in number) >= 9:
            secrets += nhs_number_forms(number)  # an invalid number is not shown either
    assume(all(secret not in str(corrupted.get("id")) for secret in secrets))
    error = load_or_refuse(corrupted)
    assert error is not None
    for text in renderings(error):
        for secret in secrets:
            assert secret not in text
