"""Properties of whole reviews: what apply returns always dumps and loads back, assessments
load back, and under INT-EVENT-ORDER ``dated`` the order events were recorded in does not
change the review (FLOW-LATE-ENTRY)."""

from __future__ import annotations

from collections import Counter

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from leder_core import (
    Interpretation,
    TransitionRefused,
    apply,
    assess,
    dump,
    load_assessment,
    load_review,
    review_result,
)
from leder_core.models.review import (
    ContactRecorded,
    Event,
    FamilyNotInvolved,
    InitialReviewCompleted,
    Review,
    ReviewResult,
)
from leder_core.rules.workflow import OPEN_STATES, open_review
from leder_core.testing import interpretations, next_events, notifications, reviews

DATED = Interpretation(event_order="dated")


@given(st.data())
def test_every_review_apply_returns_dumps_to_a_document_that_loads_back_equal(
    data: st.DataObject,
) -> None:
    interpretation = data.draw(st.one_of(st.none(), interpretations()))
    state = data.draw(st.sampled_from(OPEN_STATES))
    review = data.draw(reviews(reaching=state, interpretation=interpretation))
    after = apply(review, data.draw(next_events(review)))
    assert load_review(dump(after)) == after


@given(notifications(), st.one_of(st.none(), interpretations()))
def test_load_assessment_brings_back_what_dump_wrote(
    notification: object, interpretation: Interpretation | None
) -> None:
    assessment = assess(notification, interpretation=interpretation)  # type: ignore[arg-type]
    assert load_assessment(dump(assessment)) == assessment


def _recorded_in(review: Review, order: list[Event]) -> Review:
    """The review opened afresh with its events recorded in ``order`` (may raise a refusal)."""
    recorded = open_review(review.notification, interpretation=review.interpretation)
    for one in order:
        recorded = apply(recorded, one)
    return recorded


def _result(review: Review) -> ReviewResult:
    last = review.history[-1].event.on if review.history else review.notification.notified_on
    return review_result(review, as_of=last)


def _without_recorded(result: ReviewResult) -> list[object]:
    return [attrs.evolve(entry, recorded=None) for entry in result.history]


@given(reviews(interpretation=DATED), st.data())
def test_under_dated_any_accepted_recording_order_gives_the_same_review(
    review: Review, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(review.events))
    try:
        recorded = _recorded_in(review, order)
    except TransitionRefused:
        # An order whose recording is refused at some step is no history of this review (a
        # sign-off recorded before the allocation): FLOW-LATE-ENTRY refuses it, nothing else.
        event("refused while recording")
        return
    event("accepted")
    expected, found = _result(review), _result(recorded)
    assert (found.state, found.review_level, found.due_on) == (
        expected.state,
        expected.review_level,
        expected.due_on,
    )
    # Events of one date keep the order they were recorded in: compare them as a multiset.
    assert [entry.event.on for entry in found.history] == [e.event.on for e in expected.history]
    assert Counter(e.event for e in found.history) == Counter(e.event for e in expected.history)
    assert load_review(dump(recorded)) == recorded


@given(reviews(interpretation=DATED), st.data())
def test_under_dated_a_contact_recorded_after_the_next_event_changes_nothing(
    review: Review, data: st.DataObject
) -> None:
    # A contact recorded just after the event that followed it (a later date; not the
    # completion of the initial review, the one event that counts contacts) is always accepted
    # in its place: the result is the review's, entry for entry, but for ``recorded``.
    events = list(review.events)
    order: list[Event] = []
    index = 0
    while index < len(events):
        one = events[index]
        following = events[index + 1] if index + 1 < len(events) else None
        swappable = (
            isinstance(one, ContactRecorded | FamilyNotInvolved)
            and following is not None
            and following.on > one.on
            and not isinstance(following, InitialReviewCompleted)
        )
        if swappable and following is not None and data.draw(st.booleans()):
            order += [following, one]
            index += 2
        else:
            order.append(one)
            index += 1
    event(f"{sum(a is not b for a, b in zip(order, events, strict=True)) // 2} contacts late")
    recorded = _recorded_in(review, order)
    expected, found = _result(review), _result(recorded)
    assert (found.state, found.review_level, found.due_on) == (
        expected.state,
        expected.review_level,
        expected.due_on,
    )
    assert _without_recorded(found) == _without_recorded(expected)
    assert all(order[entry.recorded or 0] is entry.event for entry in found.history)
    assert sorted(entry.recorded or 0 for entry in found.history) == list(range(len(order)))
    assert load_review(dump(recorded)) == recorded
