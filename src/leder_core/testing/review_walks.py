"""Strategies for whole reviews and the events they accept next.

A review is drawn as a walk through the workflow: from a notification that opens it in the
chosen way, each step is an event the review accepts there (``next_events``). A walk that
picks among the enabled events at random mostly ends closed (a ``closed`` event is enabled in
every open state); ``reviews(reaching=...)`` instead steers: at each step it takes either the
event that moves the review on towards the chosen state, or (a bounded number of times) an
event that keeps it where it is (contacts, holds placed and lifted, a family's request).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from leder_core.api import apply as _apply
from leder_core.interpretation import (
    Interpretation,
)
from leder_core.models.assessment import Outcome, ReviewLevel
from leder_core.models.identifiers import LATEST_DATE
from leder_core.models.review import (
    Action,
    Allocated,
    Closed,
    ClosureReason,
    ContactKind,
    ContactRecorded,
    Event,
    EventType,
    FamilyNotInvolved,
    FamilyNotInvolvedReason,
    FocusedReviewCompleted,
    FocusedReviewRequested,
    HoldLifted,
    HoldPlaced,
    HoldReason,
    InitialReviewCompleted,
    RegionalDecision,
    Review,
    ReviewState,
    SignedOff,
    SignOffBy,
)
from leder_core.rules.workflow import enabled_events, open_review
from leder_core.serialization import dump
from leder_core.testing.documents import notifications

__all__ = [
    "next_events",
    "review_documents",
    "reviews",
]

#: The longest gap, in days, between one drawn event and the next.
_MAX_GAP: Final = 45


def _dates_from(first: date) -> st.SearchStrategy[date]:
    last = min(LATEST_DATE, first + timedelta(days=_MAX_GAP))
    return st.dates(first, last)


def _next_day(review: Review) -> date:
    history = review.history
    return history[-1].event.on if history else review.notification.notified_on


def _sign_off(review: Review, on: date) -> st.SearchStrategy[SignedOff]:
    actions = st.lists(
        st.builds(
            Action,
            description=st.sampled_from(["Share the learning", "Review the care plan"]),
            owner=st.sampled_from(["ICB quality lead", "Practice manager"]),
            due_on=st.dates(on, min(LATEST_DATE, on + timedelta(days=365))),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple)
    reasoned = st.builds(
        SignedOff,
        on=st.just(on),
        by=st.just(SignOffBy.GOVERNANCE_GROUP),
        no_actions_reason=st.just("No learning requiring action"),
    )
    with_actions = st.builds(
        SignedOff, on=st.just(on), by=st.just(SignOffBy.GOVERNANCE_GROUP), actions=actions
    )
    if review.review_level is ReviewLevel.INITIAL:
        return st.one_of(
            with_actions,
            reasoned,
            st.builds(SignedOff, on=st.just(on), by=st.sampled_from(SignOffBy)),
        )
    return st.one_of(with_actions, reasoned)


def _events_of(review: Review, kind: EventType, on: date) -> st.SearchStrategy[Event]:
    """Events of one enabled type that ``review`` accepts on ``on``."""
    day = st.just(on)
    if kind is EventType.REGIONAL_DECISION:
        return st.builds(RegionalDecision, on=day, proceed=st.booleans())
    if kind is EventType.ALLOCATED:
        reviewers = st.sampled_from(["R-1", "R-17", "REV-204", "LAC-9"])
        return st.builds(Allocated, on=day, reviewer=reviewers)
    if kind is EventType.CONTACT_RECORDED:
        return st.builds(ContactRecorded, on=day, contact=st.sampled_from(ContactKind))
    if kind is EventType.FAMILY_NOT_INVOLVED:
        reasons = st.sampled_from(FamilyNotInvolvedReason)
        return st.builds(FamilyNotInvolved, on=day, reason=reasons)
    if kind is EventType.INITIAL_REVIEW_COMPLETED:
        flags = st.booleans()
        return st.builds(InitialReviewCompleted, on=day, concerns=flags, further_learning=flags)
    if kind is EventType.FOCUSED_REVIEW_REQUESTED:
        return st.builds(FocusedReviewRequested, on=day)
    if kind is EventType.FOCUSED_REVIEW_COMPLETED:
        return st.builds(FocusedReviewCompleted, on=day)
    if kind is EventType.HOLD_PLACED:
        held = set(review.open_holds)
        free = [process for process in HoldReason if process not in held]
        return st.builds(HoldPlaced, on=day, process=st.sampled_from(free))
    if kind is EventType.HOLD_LIFTED:
        return st.builds(HoldLifted, on=day, process=st.sampled_from(review.open_holds))
    if kind is EventType.SIGNED_OFF:
        return _sign_off(review, on)
    return st.builds(Closed, on=day, reason=st.sampled_from(ClosureReason))


def next_events(review: Review, *, on: date | None = None) -> st.SearchStrategy[Event]:
    """Event models that :func:`~leder_core.apply` accepts next on ``review``: every enabled
    event type (``enabled_events``), with fields that pass its guards (an independent
    reviewer, a sign-off by the right people with actions or a reason, a hold of a process not
    held, a lift of one that is).

    Each is dated ``on``, or, without it, on a day from the review's last event (or its
    notification) to 45 days after. A completed or closed review has no next event: the
    strategy is then empty (``hypothesis.errors.Unsatisfiable`` if drawn from alone)."""
    kinds = enabled_events(review)
    if not kinds:
        return st.nothing()
    days = st.just(on) if on is not None else _dates_from(_next_day(review))

    @st.composite
    def draw_event(draw: st.DrawFn) -> Event:
        day = draw(days)
        kind = draw(st.sampled_from(kinds))
        return draw(_events_of(review, kind, day))

    return draw_event()


_STATES: Final = tuple(ReviewState)
_RANK: Final = {
    ReviewState.AWAITING_REGIONAL_DECISION: 0,
    ReviewState.AWAITING_ALLOCATION: 1,
    ReviewState.INITIAL_REVIEW: 2,
    ReviewState.FOCUSED_REVIEW: 3,
    ReviewState.AWAITING_SIGN_OFF: 4,
    ReviewState.COMPLETED: 5,
}
_MINIMUM_CONTACTS: Final = (
    (ContactKind.FAMILY, ContactKind.CLOSE_PERSON),
    (ContactKind.GP, ContactKind.GP_RECORDS),
    (ContactKind.OTHER_PROFESSIONAL,),
)


def _missing_contact(review: Review) -> st.SearchStrategy[ContactKind] | None:
    for kinds in _MINIMUM_CONTACTS:
        if not any(kind in review.contacts for kind in kinds):
            if kinds[0] is ContactKind.FAMILY and review.family_not_involved:
                continue
            return st.sampled_from(kinds)
    return None


def _onward(review: Review, target: ReviewState, on: date) -> st.SearchStrategy[Event]:
    """The event that moves ``review`` on towards ``target`` (an open or completed state)."""
    state = review.state
    if review.open_holds and state in (
        ReviewState.INITIAL_REVIEW,
        ReviewState.FOCUSED_REVIEW,
        ReviewState.AWAITING_SIGN_OFF,
    ):
        return st.builds(HoldLifted, on=st.just(on), process=st.sampled_from(review.open_holds))
    if state is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.just(RegionalDecision(on=on, proceed=True))
    if state is ReviewState.AWAITING_ALLOCATION:
        return _events_of(review, EventType.ALLOCATED, on)
    if state is ReviewState.INITIAL_REVIEW:
        missing = _missing_contact(review)
        if missing is not None:
            return st.builds(ContactRecorded, on=st.just(on), contact=missing)
        deeper = target is ReviewState.FOCUSED_REVIEW
        flags = st.just(True) if deeper else st.booleans()
        return st.builds(
            InitialReviewCompleted, on=st.just(on), concerns=flags, further_learning=st.booleans()
        )
    if state is ReviewState.FOCUSED_REVIEW:
        return st.just(FocusedReviewCompleted(on=on))
    return _sign_off(review, on)  # awaiting sign-off


def _aside(review: Review, on: date) -> st.SearchStrategy[Event] | None:
    """An event that keeps ``review`` in its state (a contact, a hold placed or lifted)."""
    state = review.state
    choices: list[st.SearchStrategy[Event]] = []
    if state in (ReviewState.INITIAL_REVIEW, ReviewState.FOCUSED_REVIEW):
        choices.append(_events_of(review, EventType.CONTACT_RECORDED, on))
        choices.append(_events_of(review, EventType.FAMILY_NOT_INVOLVED, on))
    if not state.terminal:
        if len(review.open_holds) < len(HoldReason):
            choices.append(_events_of(review, EventType.HOLD_PLACED, on))
        if review.open_holds:
            choices.append(_events_of(review, EventType.HOLD_LIFTED, on))
    return st.one_of(choices) if choices else None


def _opening_for(target: ReviewState) -> st.SearchStrategy[Outcome]:
    if target is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.just(Outcome.REGIONAL_DECISION)
    if target is ReviewState.CLOSED:
        return st.sampled_from(Outcome)
    return st.sampled_from([Outcome.LEDER_REVIEW, Outcome.LEDER_REVIEW, Outcome.REGIONAL_DECISION])


def _reachable_from(opening: Outcome) -> tuple[ReviewState, ...]:
    """The states a review opened with this outcome can end in."""
    if opening is Outcome.REGIONAL_DECISION:
        return _STATES
    if opening is Outcome.LEDER_REVIEW:
        return tuple(state for state in _STATES if state is not _STATES[0])
    return (ReviewState.CLOSED,)


def _close(review: Review, on: date) -> st.SearchStrategy[Event]:
    closing = st.builds(Closed, on=st.just(on), reason=st.sampled_from(ClosureReason))
    if review.state is ReviewState.AWAITING_REGIONAL_DECISION:
        return st.one_of(closing, st.just(RegionalDecision(on=on, proceed=False)))
    return closing


@st.composite
def _reviews(
    draw: st.DrawFn,
    reaching: ReviewState | None,
    opening: Outcome | None,
    interpretation: Interpretation | None,
    asides: int,
) -> Review:
    if reaching is not None:
        target = reaching
    elif opening is not None:
        target = draw(st.sampled_from(_reachable_from(opening)))
    else:
        target = draw(st.sampled_from(_STATES))
    outcome = opening if opening is not None else draw(_opening_for(target))
    notification = draw(notifications(opening=outcome, interpretation=interpretation))
    review = open_review(notification, interpretation=interpretation)
    # Closed: some way along the workflow first, then closed (or closed at once on opening).
    stop_at = target
    if target is ReviewState.CLOSED and not review.state.terminal:
        reachable = [s for s in _RANK if _RANK[s] >= _RANK[review.state] and not s.terminal]
        stop_at = draw(st.sampled_from(reachable))
    budget = draw(st.integers(0, asides))
    while review.state is not stop_at and not review.state.terminal:
        on = draw(_dates_from(_next_day(review)))
        aside = _aside(review, on) if budget else None
        if aside is not None and draw(st.booleans()):
            budget -= 1
            event = draw(aside)
        else:
            event = draw(_onward(review, stop_at, on))
        review = _apply(review, event)
    if target is ReviewState.CLOSED and not review.state.terminal:
        review = _apply(review, draw(_close(review, draw(_dates_from(_next_day(review))))))
    elif not review.state.terminal:
        for _ in range(draw(st.integers(0, budget))):  # a few more that keep it there
            aside = _aside(review, draw(_dates_from(_next_day(review))))
            if aside is None:
                break
            review = _apply(review, draw(aside))
    return review


def reviews(
    *,
    reaching: ReviewState | str | None = None,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
    asides: int = 6,
) -> st.SearchStrategy[Review]:
    """Whole :class:`~leder_core.models.review.Review` objects, built with
    :func:`~leder_core.apply` one accepted event at a time (every one valid as a document).

    ``reaching`` chooses the state the review ends in (any of ``ReviewState``:
    ``"completed"`` draws only completed reviews, each reached in a different way). Without
    it the state is drawn first, so a test sees completed, closed and every open state; the
    how-to on testing with strategies gives the share of each.

    ``opening`` pins the outcome that opened the review (``"leder_review"``,
    ``"regional_decision"``, or any other outcome, which closes it at once); by default it is
    drawn among those that can reach the state. ``interpretation`` is the review's own (it is
    opened with it, so ``dump`` records it). ``asides`` bounds the events that keep a review
    where it is (contacts, holds placed and lifted) besides those that move it on. Dates never
    go backwards, so a review is valid under either event order.
    """
    state = None if reaching is None else ReviewState(reaching)
    outcome = None if opening is None else Outcome(opening)
    if state is not None and outcome is not None and state not in _reachable_from(outcome):
        raise InvalidArgument(f"a review opened by {outcome.value!r} cannot reach {state.value!r}")
    if asides < 0:
        raise InvalidArgument("asides must be at least 0")
    return _reviews(state, outcome, interpretation, asides)


def review_documents(
    *,
    reaching: ReviewState | str | None = None,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
    asides: int = 6,
) -> st.SearchStrategy[dict[str, Any]]:
    """``leder.review/1`` documents of :func:`reviews` (same arguments): ``dump`` of each."""
    return reviews(
        reaching=reaching, opening=opening, interpretation=interpretation, asides=asides
    ).map(dump)
