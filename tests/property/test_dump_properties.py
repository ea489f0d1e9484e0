"""``dump`` is exact and shares nothing between the documents it returns.

Reasons, citations and interpretations are values shared between results, and ``dump`` builds
their documents once and reuses the immutable parts. These properties hold it to the slow,
obvious document built from the models without any sharing (the oracle below), key order
included, and check that changing one returned document never changes another, for
assessments and for review results.
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leder_core import Interpretation, assess, dump, load_review, review_result, serialization
from leder_core.models.assessment import Assessment
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.review import EVENT_CLASSES, ReviewResult
from leder_core.models.wire import OMIT_IF_DEFAULT, OMIT_IF_NONE
from leder_core.sample import sample_reviews
from leder_core.serialization import document_schema, dump_json
from leder_core.testing import interpretations, notification_documents

_EVENT_CLASSES = tuple(EVENT_CLASSES.values())


def oracle(value: Any) -> Any:
    """The document of a value, built from scratch by walking its fields: no cache, no sharing."""
    if attrs.has(type(value)):
        document: dict[str, Any] = {}
        if isinstance(value, _EVENT_CLASSES):
            document["type"] = value.type.value
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.metadata.get(OMIT_IF_NONE) and item is None:
                continue
            if field.metadata.get(OMIT_IF_DEFAULT) and item == field.default:
                continue
            document[field.name.rstrip("_")] = oracle(item)
        return document
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [oracle(item) for item in value]
    if isinstance(value, dict):
        return {key: oracle(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, NhsNumber):
        return value.digits
    return value


def oracle_document(value: Any) -> dict[str, Any]:
    schema = document_schema(type(value))
    body = oracle(value)
    return body if schema is None else {"schema": schema, **body}


def same(left: Any, right: Any) -> bool:
    """Equal, key order included (as JSON text)."""
    return json.dumps(left) == json.dumps(right)


def vandalise(document: Any) -> None:
    """Change every dict and list reachable from ``document``, in place."""
    if isinstance(document, dict):
        for key in list(document):
            vandalise(document[key])
            if isinstance(document[key], str | bool | int | float):
                document[key] = "changed"
        document["vandalised"] = True
    elif isinstance(document, list):
        for item in document:
            vandalise(item)
        document.append("vandalised")


def containers(document: Any) -> list[Any]:
    found = []
    if isinstance(document, dict | list):
        found.append(document)
        for item in document.values() if isinstance(document, dict) else document:
            found += containers(item)
    return found


def shares_no_container(left: Any, right: Any) -> bool:
    ours = {id(container) for container in containers(left)}
    return not any(id(container) in ours for container in containers(right))


@settings(max_examples=150)
@given(notification_documents(), st.none() | interpretations())
def test_dump_of_an_assessment_is_the_document_built_without_sharing(
    document: dict[str, Any], interpretation: Interpretation | None
) -> None:
    assessment = assess(document, interpretation=interpretation)
    assert same(dump(assessment), oracle_document(assessment))
    # The compact text the command line writes, reusing each reason's text, is the same.
    assert dump_json(assessment) == json.dumps(
        oracle_document(assessment), ensure_ascii=False, separators=(",", ":")
    )


@settings(max_examples=100)
@given(notification_documents(), notification_documents())
def test_changing_one_assessment_document_changes_no_other(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    one, other = assess(first), assess(second)
    documents = [dump(one), dump(one), dump(other)]
    assert shares_no_container(documents[0], documents[1])
    assert shares_no_container(documents[0], documents[2])
    vandalise(documents[0])
    assert same(documents[1], oracle_document(one))
    assert same(documents[2], oracle_document(other))
    assert same(dump(one), oracle_document(one))


def test_assessments_do_share_their_reasons() -> None:
    # The premise of the cache: the same answer in the same words is the same Reason object.
    documents = [entry["notification"] for entry in sample_reviews(count=50)]
    first, second = (assess(document) for document in documents[:2])
    shared = {id(reason) for reason in first.reasons} & {id(reason) for reason in second.reasons}
    assert shared
    assert same(dump(first), oracle_document(first))


SAMPLE = list(sample_reviews(count=300))


@settings(max_examples=100)
@given(
    st.sampled_from(SAMPLE),
    st.dates(date(2016, 1, 1), date(2027, 12, 31)),
    st.none() | interpretations(),
)
def test_dump_of_a_review_result_is_the_document_built_without_sharing(
    document: dict[str, Any], as_of: date, interpretation: Interpretation | None
) -> None:
    result = review_result(load_review(document), as_of=as_of, interpretation=interpretation)
    assert isinstance(result, ReviewResult)
    assert same(dump(result), oracle_document(result))
    assert dump_json(result) == json.dumps(
        oracle_document(result), ensure_ascii=False, separators=(",", ":")
    )


@settings(max_examples=60)
@given(
    st.sampled_from(SAMPLE), st.sampled_from(SAMPLE), st.dates(date(2020, 1, 1), date(2027, 1, 1))
)
def test_changing_one_review_result_document_changes_no_other(
    first: dict[str, Any], second: dict[str, Any], as_of: date
) -> None:
    one = review_result(load_review(first), as_of=as_of)
    other = review_result(load_review(second), as_of=as_of)
    documents = [dump(one), dump(one), dump(other)]
    assert shares_no_container(documents[0], documents[1])
    assert shares_no_container(documents[0], documents[2])
    vandalise(documents[0])
    assert same(documents[1], oracle_document(one))
    assert same(documents[2], oracle_document(other))


def test_a_refused_review_result_shares_nothing_either() -> None:
    # An allocation failing both checks of FLOW-ALLOCATE: a refusal with two shared reasons.
    document = next(
        entry for entry in SAMPLE if entry["events"] and entry["events"][0]["type"] == "allocated"
    )
    allocation = {**document["events"][0], "independent": False, "from_service_where_died": True}
    refused = load_review({**document, "events": [allocation]})
    assert refused.refused is not None
    assert len(refused.refused.reasons) == 2
    results = [review_result(refused, as_of=date(2027, 1, 1)) for _ in range(2)]
    first, second = dump(results[0]), dump(results[1])
    assert shares_no_container(first, second)
    vandalise(first)
    assert same(second, oracle_document(results[1]))
    assert same(dump(results[0]), oracle_document(results[0]))


@settings(max_examples=150)
@given(
    notification_documents(),
    st.text(),
    st.integers(min_value=-(10**20), max_value=10**20) | st.booleans(),
)
def test_the_command_line_text_of_an_assessment_is_exact_for_any_id_and_age(
    document: dict[str, Any], notification_id: str, age: int
) -> None:
    # dump_json writes an assessment piece by piece: quotes, backslashes, control and
    # non-ASCII characters in an id must come out exactly as json.dumps writes them, and an
    # age of another type (a bool is an int) exactly as the general way writes it.
    assessment = attrs.evolve(assess(document), notification_id=notification_id, age_at_death=age)
    assert dump_json(assessment) == json.dumps(
        oracle_document(assessment), ensure_ascii=False, separators=(",", ":")
    )


def test_documents_stay_exact_when_the_remembered_reasons_are_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The remembered makers and texts are emptied when full; with room for only three, they
    # are emptied again and again within one assessment, and every document is still exact.
    monkeypatch.setattr(serialization.shared, "SHARED_LIMIT", 3)
    for entry in SAMPLE[:40]:
        assessment = assess(entry["notification"])
        assert same(dump(assessment), oracle_document(assessment))
        assert dump_json(assessment) == json.dumps(
            oracle_document(assessment), ensure_ascii=False, separators=(",", ":")
        )
    assert len(serialization.shared.KEPT_REASONS) <= 3


def test_the_oracle_is_not_dump_itself() -> None:
    # A check that the oracle can fail: a document with a changed key order is not the same.
    assessment = assess(SAMPLE[0]["notification"])
    document = dump(assessment)
    reordered = dict(reversed(list(document.items())))
    assert not same(reordered, oracle_document(assessment))
    assert isinstance(assessment, Assessment)
