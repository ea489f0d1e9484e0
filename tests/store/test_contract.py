"""The store's contract, the same for every database (the ``store`` fixture runs each test on
SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import count, islice
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from leder_core import InvalidInput, TransitionRefused, dump, load_review
from leder_core.models.review import Allocated
from leder_core.sample import sample_reviews
from leder_core.store import (
    ImportRefused,
    ReviewExists,
    ReviewNotFound,
    ReviewStore,
    StoreError,
    VersionConflict,
    _database,
    _schema,
    open_store,
)
from leder_core.testing.strategies import review_documents

DOCUMENTS: list[dict[str, Any]] = list(islice(sample_reviews(count=3000), 120))
#: Review documents with at least three events, for appending.
LONG = [document for document in DOCUMENTS if len(document["events"]) >= 3]
DRAWN = count()
STRICTER = {"minority_ethnic": "all_except_white_british"}


def opened(store: ReviewStore, document: dict[str, Any], **options: Any) -> str:
    stored = store.open_review(document["notification"], **options)
    assert stored.version == 0
    return stored.review.notification.id


def replayed(store: ReviewStore, document: dict[str, Any]) -> str:
    review_id = opened(store, document)
    for version, event in enumerate(document["events"]):
        store.append(review_id, event, expected_version=version)
    return review_id


def test_a_review_opens_at_version_zero_under_its_interpretation(store: ReviewStore) -> None:
    document = DOCUMENTS[0]
    stored = store.open_review(document["notification"], interpretation=STRICTER)
    assert stored.version == 0
    assert stored.interpretation is not None
    assert dump(stored.interpretation)["minority_ethnic"] == "all_except_white_british"
    assert stored.review == load_review(
        {"notification": document["notification"], "events": []}, interpretation=STRICTER
    )
    again = store.get(stored.review.notification.id)
    assert again == stored


def test_a_review_opened_without_interpretation_records_none(store: ReviewStore) -> None:
    stored = store.open_review(DOCUMENTS[1]["notification"])
    assert stored.interpretation is None
    assert store.get(stored.review.notification.id).interpretation is None


def test_a_notification_model_is_accepted(store: ReviewStore) -> None:
    model = load_review({"notification": DOCUMENTS[2]["notification"]}).notification
    stored = store.open_review(model)
    assert stored.review.notification == model


def test_an_id_is_stored_once(store: ReviewStore) -> None:
    review_id = opened(store, DOCUMENTS[0])
    with pytest.raises(ReviewExists) as raised:
        store.open_review(DOCUMENTS[0]["notification"])
    assert raised.value.review_id == review_id
    assert review_id not in str(raised.value)
    assert review_id not in repr(raised.value)


def test_a_bad_notification_stores_nothing(store: ReviewStore) -> None:
    notification = {**DOCUMENTS[0]["notification"], "notified_on": "yesterday"}
    with pytest.raises(InvalidInput) as raised:
        store.open_review(notification)
    assert [problem.path for problem in raised.value.problems] == ["$.notified_on"]
    assert list(store.reviews()) == []


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"recorded_at": datetime(2024, 3, 20, 9, 30)}, "$.recorded_at"),  # noqa: DTZ001  # naive on purpose
        ({"recorded_at": date(2024, 3, 20)}, "$.recorded_at"),
        ({"recorded_by": ""}, "$.recorded_by"),
        ({"recorded_by": "x" * 65}, "$.recorded_by"),
        ({"interpretation": {"clock": "sometimes"}}, "$.clock"),
    ],
)
def test_recording_details_are_checked(
    store: ReviewStore, options: dict[str, Any], path: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        store.open_review(DOCUMENTS[0]["notification"], **options)
    assert [problem.path for problem in raised.value.problems] == [path]


def test_appending_every_event_rebuilds_the_review(store: ReviewStore) -> None:
    document = LONG[0]
    review_id = opened(store, document)
    for version, event in enumerate(document["events"]):
        stored = store.append(review_id, event, expected_version=version)
        assert stored.version == version + 1
    assert stored.review == load_review(document)
    assert store.get(review_id) == stored


def test_a_fresh_store_rebuilds_the_same_review(store_url: str) -> None:
    document = LONG[1]
    with open_store(store_url) as store:
        replayed(store, document)
    with open_store(store_url) as store:
        stored = store.get(document["notification"]["id"])
    assert stored.version == len(document["events"])
    assert stored.review == load_review(document)


def test_an_event_model_is_accepted_and_stored_as_its_document(store: ReviewStore) -> None:
    document = next(d for d in LONG if d["events"][0]["type"] == "allocated")
    review_id = opened(store, document)
    first = document["events"][0]
    event = Allocated(on=date.fromisoformat(first["on"]), reviewer=first["reviewer"])
    store.append(review_id, event, expected_version=0)
    [entry] = store.history(review_id)
    assert entry.event == event
    assert dump(entry.event) == {**first, "independent": True}


def test_an_event_model_its_document_could_not_hold_is_invalid(store: ReviewStore) -> None:
    review_id = opened(store, LONG[0])
    with pytest.raises(InvalidInput):
        store.append(review_id, Allocated(on=date(2024, 3, 20), reviewer=""), expected_version=0)
    assert store.get(review_id).version == 0


def test_the_wrong_expected_version_is_a_conflict(store: ReviewStore) -> None:
    document = LONG[0]
    review_id = opened(store, document)
    store.append(review_id, document["events"][0], expected_version=0)
    with pytest.raises(VersionConflict) as raised:
        store.append(review_id, document["events"][1], expected_version=0)
    assert raised.value.current == 1
    assert raised.value.expected == 0
    assert review_id not in str(raised.value)
    with pytest.raises(VersionConflict) as ahead:
        store.append(review_id, document["events"][1], expected_version=5)
    assert ahead.value.current == 1
    assert store.get(review_id).version == 1


def test_an_unknown_review_is_not_found(store: ReviewStore) -> None:
    event = {"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}
    with pytest.raises(ReviewNotFound) as raised:
        store.append("N-2024-999999", event, expected_version=0)
    assert "N-2024-999999" not in str(raised.value)
    with pytest.raises(ReviewNotFound):
        store.get("N-2024-999999")
    with pytest.raises(ReviewNotFound):
        store.history("N-2024-999999")


def test_a_refused_event_stores_nothing(store: ReviewStore) -> None:
    document = LONG[0]
    review_id = opened(store, document)
    closing = {"type": "closed", "on": "2030-01-01", "reason": "duplicate"}
    store.append(review_id, closing, expected_version=0)
    with pytest.raises(TransitionRefused) as raised:
        store.append(review_id, document["events"][0], expected_version=1)
    assert "FLOW-TERMINAL" in raised.value.rules
    assert [entry.version for entry in store.history(review_id)] == [1]


def test_an_invalid_event_or_version_stores_nothing(store: ReviewStore) -> None:
    review_id = opened(store, LONG[0])
    with pytest.raises(InvalidInput) as raised:
        store.append(review_id, {"type": "allocated", "on": "2024-03-20"}, expected_version=0)
    assert [problem.path for problem in raised.value.problems] == ["$.reviewer"]
    for version in (-1, True, "0"):
        with pytest.raises(InvalidInput) as wrong:
            store.append(review_id, LONG[0]["events"][0], expected_version=version)  # type: ignore[arg-type]
        assert [problem.path for problem in wrong.value.problems] == ["$.expected_version"]
    assert store.history(review_id) == []


def test_history_keeps_who_recorded_each_event_and_when(store: ReviewStore) -> None:
    document = LONG[0]
    review_id = opened(store, document)
    london = timezone(timedelta(hours=1))
    moments = [datetime(2024, 4, day, 10, 0, tzinfo=london) for day in (1, 2)]
    store.append(
        review_id,
        document["events"][0],
        expected_version=0,
        recorded_by="LAC-3",
        recorded_at=moments[0],
    )
    store.append(review_id, document["events"][1], expected_version=1, recorded_at=moments[1])
    history = store.history(review_id)
    assert [entry.version for entry in history] == [1, 2]
    assert [entry.recorded_by for entry in history] == ["LAC-3", None]
    assert [entry.recorded_at for entry in history] == moments
    assert all(entry.recorded_at and entry.recorded_at.utcoffset() is not None for entry in history)
    assert [dump(entry.event) for entry in history] == [
        dump(event) for event in load_review(document).events[:2]
    ]


def test_reviews_streams_every_review_in_the_order_opened(store: ReviewStore) -> None:
    chosen = DOCUMENTS[:12]
    for document in chosen[:6]:
        replayed(store, document)
    for document in chosen[6:]:
        opened(store, document, interpretation=STRICTER)
    reviews = list(store.reviews())
    expected = [load_review(document) for document in chosen[:6]] + [
        load_review({"notification": d["notification"]}, interpretation=STRICTER)
        for d in chosen[6:]
    ]
    assert reviews == expected


def test_export_then_import_gives_the_same_reviews(store_url: str, tmp_path: Any) -> None:
    with open_store(store_url) as store:
        for document in DOCUMENTS[:10]:
            replayed(store, document)
        opened(store, DOCUMENTS[10], interpretation=STRICTER)
        exported = list(store.export())
        originals = list(store.reviews())
    assert [document["schema"] for document in exported] == ["leder.review/1"] * 11
    assert exported[10]["interpretation"]["minority_ethnic"] == "all_except_white_british"
    assert all("interpretation" not in document for document in exported[:10])
    assert [d["events"] for d in exported[:10]] == [
        [dump(event) for event in load_review(d).events] for d in DOCUMENTS[:10]
    ]
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
        assert copy.import_reviews(json.loads(json.dumps(d)) for d in exported) == 11
        assert list(copy.reviews()) == originals
        assert list(copy.export()) == exported


def test_import_is_all_or_nothing_bad_documents_first(store: ReviewStore) -> None:
    refused = {
        "notification": DOCUMENTS[1]["notification"],
        "events": [
            {"type": "closed", "on": "2030-01-01", "reason": "duplicate"},
            {"type": "closed", "on": "2030-01-02", "reason": "duplicate"},
        ],
    }
    bad = {"notification": DOCUMENTS[2]["notification"], "events": [{"type": "nonsense"}]}
    batch = [DOCUMENTS[0], refused, bad, DOCUMENTS[0], "text"]
    with pytest.raises(InvalidInput) as raised:
        store.import_reviews(batch)
    assert [problem.path for problem in raised.value.problems] == [
        "$[2].events[0].type",
        "$[4]",
    ]
    with pytest.raises(ImportRefused) as refusal:
        store.import_reviews([DOCUMENTS[0], refused, DOCUMENTS[0]])
    assert (refusal.value.document, refusal.value.index) == (1, 1)
    assert refusal.value.rules == ("FLOW-TERMINAL",)
    with pytest.raises(ReviewExists) as repeated:
        store.import_reviews([DOCUMENTS[0], DOCUMENTS[3], DOCUMENTS[0]])
    assert repeated.value.documents == (2,)
    assert list(store.reviews()) == []


def test_import_refuses_an_id_already_stored(store: ReviewStore) -> None:
    opened(store, DOCUMENTS[3])
    with pytest.raises(ReviewExists) as raised:
        store.import_reviews([DOCUMENTS[0], DOCUMENTS[3]])
    assert raised.value.documents == (1,)
    assert DOCUMENTS[3]["notification"]["id"] not in str(raised.value)
    assert len(list(store.reviews())) == 1


def _refused_by_the_database(store: ReviewStore, statement: str) -> None:
    database = store._db
    with pytest.raises(database.driver_error) as raised, database.write():
        database.execute(statement)
    assert "append-only" in str(raised.value)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET event = '{}'",
        "DELETE FROM events",
        "UPDATE reviews SET interpretation = NULL",
        "DELETE FROM reviews",
    ],
)
def test_the_database_refuses_to_change_what_is_stored(store: ReviewStore, statement: str) -> None:
    document = LONG[0]
    review_id = replayed(store, document)
    _refused_by_the_database(store, statement)
    assert store.get(review_id).review == load_review(document)


def test_a_store_of_schema_version_1_is_upgraded_when_opened(store_url: str) -> None:
    document = LONG[0]
    old = _database.connect(store_url)
    old.migrate(up_to=1)
    with ReviewStore(old) as store:
        assert store.schema_version == 1
        review_id = replayed(store, document)
    with open_store(store_url) as store:
        assert store.schema_version == _schema.CURRENT == 2
        assert store.get(review_id).review == load_review(document)
        _refused_by_the_database(store, "DELETE FROM reviews")
    with open_store(store_url) as store:  # opening again changes nothing
        assert store.schema_version == 2


def test_a_store_from_a_newer_release_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store._db.write():
        store._db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match="newer than this release"):
        open_store(store_url)


def test_store_errors_are_not_value_errors() -> None:
    assert not issubclass(StoreError, ValueError)
    for kind in (ReviewExists, ReviewNotFound, VersionConflict):
        assert issubclass(kind, StoreError)


@pytest.mark.parametrize("url", ["mysql://user:secret@host/db", "sqlite:///", "reviews.db", 17])
def test_an_unknown_url_is_invalid_input_and_never_quoted(url: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        open_store(url)  # type: ignore[arg-type]
    assert [problem.path for problem in raised.value.problems] == ["$.url"]
    assert "secret" not in str(raised.value)


def test_an_in_memory_store_works() -> None:
    with open_store("sqlite://") as store:
        review_id = replayed(store, LONG[0])
        assert store.get(review_id).review == load_review(LONG[0])


def test_an_event_model_with_a_datetime_for_its_date_is_invalid(store: ReviewStore) -> None:
    review_id = opened(store, LONG[0])
    moment = datetime(2024, 3, 20, 9, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput) as raised:
        store.append(review_id, Allocated(on=moment, reviewer="R-17"), expected_version=0)  # type: ignore[arg-type]
    assert [problem.path for problem in raised.value.problems] == ["$.on"]
    assert store.history(review_id) == []


def test_an_exported_review_carries_its_interpretation(store: ReviewStore) -> None:
    stored = store.open_review(DOCUMENTS[5]["notification"], interpretation=STRICTER)
    [exported] = store.export()
    assert load_review(exported) == stored.review
    assert exported["interpretation"] == dump(stored.review.interpretation)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=review_documents(asides=3))
def test_a_drawn_review_appended_event_by_event_rebuilds_as_its_document(
    store: ReviewStore, document: dict[str, Any]
) -> None:
    # A store lives across the examples: each drawn review gets an id of its own.
    notification = {**document["notification"], "id": f"N-DRAWN-{next(DRAWN):06d}"}
    document = {**document, "notification": notification}
    review_id = notification["id"]
    stored = store.open_review(notification, interpretation=document.get("interpretation"))
    for version, event in enumerate(document["events"]):
        stored = store.append(review_id, event, expected_version=version)
    assert stored.review == load_review(document)
    assert store.get(review_id) == stored
    [exported] = [d for d in store.export() if d["notification"]["id"] == review_id]
    assert load_review(exported) == stored.review
