"""Models a caller builds are checked exactly as their documents would be (apply, assess),
and a review document keeps the interpretation it was opened under."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest

import leder_core
from helpers import MINIMAL_NOTIFICATION
from leder_core import InvalidInput, apply, assess, dump, load_assessment, load_review
from leder_core.models import Action, Allocated, ContactRecorded, SignedOff
from leder_core.models.review import SignOffBy

NOTIFICATION: dict[str, Any] = MINIMAL_NOTIFICATION


def opened(**document: Any) -> leder_core.models.review.Review:
    return load_review({"notification": NOTIFICATION, **document})


def paths(error: InvalidInput) -> list[str]:
    return [problem.path for problem in error.problems]


@pytest.mark.parametrize(
    ("event", "path"),
    [
        (Allocated(on=date(2024, 3, 20), reviewer=""), "$.reviewer"),
        (Allocated(on=date(2024, 3, 20), reviewer="R\n1"), "$.reviewer"),
        (Allocated(on=datetime(2024, 3, 20, 9, 30, tzinfo=UTC), reviewer="R-1"), "$.on"),  # type: ignore[arg-type]
        (Allocated(on="2024-03-20", reviewer="R-1"), "$.on"),  # type: ignore[arg-type]
        (Allocated(on=date(2024, 3, 20), reviewer=17), "$.reviewer"),  # type: ignore[arg-type]
        (Allocated(on=date(2024, 3, 20), reviewer="R-1", independent=1), "$.independent"),  # type: ignore[arg-type]
        (Allocated(on=date(1870, 3, 20), reviewer="R-1"), "$.on"),
        (ContactRecorded(on=date(2024, 3, 20), contact="neighbour"), "$.contact"),  # type: ignore[arg-type]
        (
            SignedOff(
                on=date(2024, 3, 20),
                by=SignOffBy.SENIOR_REVIEWER,
                actions=(Action(description="x", due_on=datetime(2024, 5, 1, tzinfo=UTC)),),  # type: ignore[arg-type]
            ),
            "$.actions[0].due_on",
        ),
        (
            SignedOff(on=date(2024, 3, 20), by=SignOffBy.SENIOR_REVIEWER, actions=({"a": 1},)),  # type: ignore[arg-type]
            "$.actions[0].a",
        ),
    ],
)
def test_an_event_model_is_refused_at_the_path_its_document_gives(event: object, path: str) -> None:
    review = opened()
    with pytest.raises(InvalidInput) as caught:
        apply(review, event)  # type: ignore[arg-type]
    assert path in paths(caught.value)


def test_a_model_gets_the_same_problems_as_its_document() -> None:
    review = opened()
    event = Allocated(on=date(2024, 3, 20), reviewer="")
    with pytest.raises(InvalidInput) as from_model:
        apply(review, event)
    with pytest.raises(InvalidInput) as from_document:
        apply(review, {"type": "allocated", "on": "2024-03-20", "reviewer": ""})
    assert from_model.value.problems == from_document.value.problems


def test_a_blank_reviewer_no_longer_poisons_the_stored_review() -> None:
    review = opened()
    with pytest.raises(InvalidInput):
        apply(review, Allocated(on=date(2024, 3, 20), reviewer=""))
    accepted = apply(review, Allocated(on=date(2024, 3, 20), reviewer="R-17"))
    assert load_review(dump(accepted)) == accepted


@pytest.mark.parametrize("event", ["allocated", None, 17, NOTIFICATION["person"]])
def test_anything_but_an_event_is_invalid_input(event: object) -> None:
    with pytest.raises(InvalidInput):
        apply(opened(), event)  # type: ignore[arg-type]


def test_apply_needs_a_review() -> None:
    with pytest.raises(InvalidInput) as caught:
        apply(dump(opened()), {"type": "allocated", "on": "2024-03-20", "reviewer": "R"})  # type: ignore[arg-type]
    assert paths(caught.value) == ["$"]


def test_an_enumeration_given_as_its_text_is_taken_as_its_member() -> None:
    review = apply(
        apply(opened(), Allocated(on=date(2024, 3, 20), reviewer="R-1")),
        ContactRecorded(on=date(2024, 3, 21), contact="family"),  # type: ignore[arg-type]
    )
    assert type(review.history[-1].event.contact).__name__ == "ContactKind"
    assert load_review(dump(review)) == review


def test_a_notification_model_is_checked_as_its_document() -> None:
    notification = leder_core.load_notification(NOTIFICATION)
    blank = attrs.evolve(notification, id="")
    with pytest.raises(InvalidInput) as caught:
        assess(blank)
    assert paths(caught.value) == ["$.id"]
    person = attrs.evolve(notification.person, date_of_death=date(1960, 1, 1))
    with pytest.raises(InvalidInput) as caught:
        assess(attrs.evolve(notification, person=person))
    assert paths(caught.value) == ["$.person.date_of_death"]
    person = attrs.evolve(notification.person, date_of_death=datetime(2024, 3, 10, tzinfo=UTC))
    with pytest.raises(InvalidInput) as caught:
        assess(attrs.evolve(notification, person=person))
    assert paths(caught.value) == ["$.person.date_of_death"]
    rebuilt = attrs.evolve(notification, id="N-2")  # valid, though not from the loader
    assert assess(rebuilt).notification_id == "N-2"
    assert assess(notification) == assess(NOTIFICATION)


# --- the review keeps its interpretation -------------------------------------------------


def test_a_review_opened_with_an_interpretation_writes_it() -> None:
    review = opened(interpretation={"clock": "stop"})
    document = dump(review)
    assert document["interpretation"]["clock"] == "stop"
    assert load_review(document) == review
    given = load_review({"notification": NOTIFICATION}, interpretation={"clock": "stop"})
    assert dump(given) == document
    assert given == review


def test_a_review_opened_without_one_writes_none() -> None:
    review = opened()
    assert "interpretation" not in dump(review)
    assert load_review(dump(review)) == review


def test_an_interpretation_that_differs_from_the_documents_is_refused() -> None:
    document = {"notification": NOTIFICATION, "interpretation": {"clock": "stop"}}
    with pytest.raises(InvalidInput) as caught:
        load_review(document, interpretation={"clock": "excuse"})
    assert paths(caught.value) == ["$.interpretation"]
    # The same, key by key with the defaults: accepted.
    same = load_review(document, interpretation={"clock": "stop", "due_soon_days": 28})
    assert same == load_review(document)


def test_an_invalid_interpretation_in_the_document_is_placed_under_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_review({"notification": NOTIFICATION, "interpretation": {"clock": "sometimes"}})
    assert paths(caught.value) == ["$.interpretation.clock"]


def test_indicators_take_a_documents_own_interpretation() -> None:
    document = {"notification": NOTIFICATION, "interpretation": {"clock": "stop"}}
    counted = leder_core.indicators(
        [document], as_of=date(2024, 6, 1), interpretation={"clock": "excuse"}
    )
    assert counted.total.unallocated == 1  # loaded under its own, not refused


# --- load_assessment -----------------------------------------------------------------------


def test_load_assessment_brings_an_assessment_back() -> None:
    assessment = assess(NOTIFICATION, interpretation={"leap_day": "february_28"})
    assert load_assessment(dump(assessment)) == assessment
    document = dump(assessment)
    del document["schema"]
    assert load_assessment(document) == assessment


def test_load_assessment_refuses_a_bad_document() -> None:
    document = dump(assess(NOTIFICATION))
    document["outcome"] = "maybe"
    document["extra"] = 1
    with pytest.raises(InvalidInput) as caught:
        load_assessment(document)
    assert {"$.outcome", "$.extra"} <= set(paths(caught.value))


def _notified_late_in_2199() -> dict[str, Any]:
    person = {**NOTIFICATION["person"], "date_of_death": "2199-09-01"}
    return {**NOTIFICATION, "notified_on": "2199-10-01", "person": person}


def test_a_due_date_after_the_last_input_date_comes_back() -> None:
    # Six months after a notification late in 2199 is in 2200: after the last date an input
    # document may hold, but a date the rules computed, which an assessment writes and reads.
    assessment = assess(_notified_late_in_2199())
    assert assessment.due_on == date(2200, 4, 1)
    assert dump(assessment)["due_on"] == "2200-04-01"
    assert load_assessment(dump(assessment)) == assessment


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("2200-02-30", "not a real calendar date"),
        ("2200-4-1", "not a date in the form YYYY-MM-DD"),
        (20200401, "expected a date as a YYYY-MM-DD string"),
    ],
)
def test_a_computed_date_read_back_is_still_a_real_date(due_on: object, message: str) -> None:
    document = dump(assess(_notified_late_in_2199()))
    document["due_on"] = due_on
    with pytest.raises(InvalidInput) as caught:
        load_assessment(document)
    assert [(problem.path, problem.message) for problem in caught.value.problems] == [
        ("$.due_on", message)
    ]


def test_an_input_date_after_2199_is_still_refused() -> None:
    document = _notified_late_in_2199()
    document["notified_on"] = "2200-01-02"
    with pytest.raises(InvalidInput) as caught:
        leder_core.load_notification(document)
    assert paths(caught.value) == ["$.notified_on"]


def test_a_value_of_the_wrong_type_that_its_document_would_hold_is_still_refused() -> None:
    notification = leder_core.load_notification(
        {**NOTIFICATION, "person": {**NOTIFICATION["person"], "nhs_number": "9434765919"}}
    )
    person = attrs.evolve(notification.person, nhs_number="9434765919")  # text, not NhsNumber
    with pytest.raises(InvalidInput) as caught:
        assess(attrs.evolve(notification, person=person))
    assert paths(caught.value) == ["$.person.nhs_number"]
    assert "9434765919" not in str(caught.value)
