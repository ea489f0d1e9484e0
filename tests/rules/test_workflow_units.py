"""Unit tests of the review workflow (rules §8, §13; docs/api.md, docs/workflow.md).

The transition table is checked against the rulebook's table written out here by hand; the
policy cases in ``tests/cases/workflow*.toml`` cover each guard on whole reviews.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from leder_core import (
    InvalidInput,
    TransitionRefused,
    apply,
    dump,
    load_review,
    review_result,
)
from leder_core.models.assessment import Outcome
from leder_core.models.review import (
    Allocated,
    ContactKind,
    ContactRecorded,
    EventType,
    HoldPlaced,
    HoldReason,
    ReviewState,
)
from leder_core.render.diagram import workflow_mermaid
from leder_core.rules.workflow import (
    OPEN_STATES,
    OPENING_STATES,
    TRANSITIONS,
    enabled_events,
    open_review,
    opening_state,
)
from leder_core.serialization import load_event, load_notification

NHS_NUMBER = "943 476 5919"
NOTIFICATION: dict[str, Any] = {
    "id": "N-2025-000020",
    "notified_on": "2025-02-05",
    "notifier_role": "family",
    "person": {
        "nhs_number": NHS_NUMBER,
        "date_of_birth": "1968-04-12",
        "date_of_death": "2025-02-01",
        "learning_disability": True,
        "autism": "none",
        "ethnicity": "A",
        "lived_in_england": True,
    },
    "responsible_body": "QHM",
}
EVENTS: list[dict[str, Any]] = [
    {"type": "allocated", "on": "2025-02-12", "reviewer": "R-20"},
    {"type": "contact_recorded", "on": "2025-02-20", "contact": "family"},
    {"type": "contact_recorded", "on": "2025-03-10", "contact": "gp_records"},
    {"type": "contact_recorded", "on": "2025-04-02", "contact": "other_professional"},
    {
        "type": "initial_review_completed",
        "on": "2025-05-01",
        "concerns": False,
        "further_learning": False,
    },
    {"type": "signed_off", "on": "2025-05-20", "by": "senior_reviewer"},
]


def review_document(events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "notification": copy.deepcopy(NOTIFICATION),
        "events": copy.deepcopy(EVENTS if events is None else events),
    }


S = ReviewState
OPEN = set(OPEN_STATES)

#: Rules §8 (docs/workflow.md), written out by hand: for each event, each state that accepts it
#: and the states it may lead to.
TRANSITION_TABLE: dict[str, dict[ReviewState, set[ReviewState]]] = {
    "regional_decision": {S.AWAITING_REGIONAL_DECISION: {S.AWAITING_ALLOCATION, S.CLOSED}},
    "allocated": {S.AWAITING_ALLOCATION: {S.INITIAL_REVIEW}},
    "contact_recorded": {
        S.INITIAL_REVIEW: {S.INITIAL_REVIEW},
        S.FOCUSED_REVIEW: {S.FOCUSED_REVIEW},
    },
    "family_not_involved": {
        S.INITIAL_REVIEW: {S.INITIAL_REVIEW},
        S.FOCUSED_REVIEW: {S.FOCUSED_REVIEW},
    },
    "initial_review_completed": {S.INITIAL_REVIEW: {S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF}},
    "focused_review_requested": {
        S.AWAITING_REGIONAL_DECISION: {S.AWAITING_REGIONAL_DECISION},
        S.AWAITING_ALLOCATION: {S.AWAITING_ALLOCATION},
        S.INITIAL_REVIEW: {S.INITIAL_REVIEW},
        S.FOCUSED_REVIEW: {S.FOCUSED_REVIEW},
        S.AWAITING_SIGN_OFF: {S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF},
    },
    "focused_review_completed": {S.FOCUSED_REVIEW: {S.AWAITING_SIGN_OFF}},
    "hold_placed": {state: {state} for state in OPEN},
    "hold_lifted": {state: {state} for state in OPEN},
    "signed_off": {S.AWAITING_SIGN_OFF: {S.COMPLETED}},
    "closed": {state: {S.CLOSED} for state in OPEN},
}
EVENT_RULES = {
    "regional_decision": "FLOW-REGIONAL",
    "allocated": "FLOW-ALLOCATE",
    "contact_recorded": "FLOW-CONTACT",
    "family_not_involved": "FLOW-CONTACT",
    "initial_review_completed": "FLOW-INITIAL-COMPLETE",
    "focused_review_requested": "FLOW-FAMILY-REQUEST",
    "focused_review_completed": "FLOW-FOCUSED-COMPLETE",
    "hold_placed": "FLOW-HOLD",
    "hold_lifted": "FLOW-HOLD",
    "signed_off": "FLOW-SIGN-OFF",
    "closed": "FLOW-CLOSE",
}


# --- the transition table ------------------------------------------------------------------


def test_the_open_states_are_those_of_the_rulebook() -> None:
    assert set(OPEN_STATES) == set(S) - {S.COMPLETED, S.CLOSED}
    assert {state for state in S if state.terminal} == {S.COMPLETED, S.CLOSED}


def test_every_event_type_has_a_transition() -> None:
    assert set(TRANSITIONS) == set(EventType)
    assert {kind.value for kind in EventType} == set(TRANSITION_TABLE)


@pytest.mark.parametrize("kind", sorted(TRANSITION_TABLE))
def test_the_states_accepting_each_event_and_their_targets(kind: str) -> None:
    transition = TRANSITIONS[EventType(kind)]
    table = {state: set(targets) for state, targets in transition.targets.items()}
    assert table == TRANSITION_TABLE[kind]
    assert set(transition.sources) == set(TRANSITION_TABLE[kind])


@pytest.mark.parametrize("kind", sorted(EVENT_RULES))
def test_each_event_is_governed_by_its_rule(kind: str) -> None:
    assert TRANSITIONS[EventType(kind)].rule.id == EVENT_RULES[kind]


def test_no_terminal_state_accepts_anything() -> None:
    for transition in TRANSITIONS.values():
        assert not any(state.terminal for state in transition.targets)


def test_holds_block_exactly_completion_and_sign_off() -> None:
    blocked = {
        kind.value for kind, transition in TRANSITIONS.items() if transition.blocked_by_holds
    }
    assert blocked == {"initial_review_completed", "focused_review_completed", "signed_off"}


def test_only_initial_completion_has_the_minimum_contacts_guard() -> None:
    guarded = {
        kind.value: [guard.id for guard in transition.guards]
        for kind, transition in TRANSITIONS.items()
        if transition.guards
    }
    assert guarded == {"initial_review_completed": ["FLOW-MIN-CONTACTS"]}


def test_where_a_state_has_several_targets_each_but_the_last_has_a_condition() -> None:
    # The last target is where the event leads otherwise; every other one is taken only when
    # its condition, stated once on the transition, holds.
    for transition in TRANSITIONS.values():
        for targets in transition.targets.values():
            if len(targets) == 1:
                continue
            for target in targets[:-1]:
                assert transition.branches[target].test is not None, transition.event
            assert transition.when.get(targets[-1]) != transition.when.get(targets[0])


def test_the_guards_named_are_the_checks_of_rules_besides_the_events_own() -> None:
    owned = {
        kind.value: sorted({guard.rule.id for guard in transition.checks})
        for kind, transition in TRANSITIONS.items()
        if transition.checks
    }
    assert owned == {
        "allocated": ["FLOW-ALLOCATE"],
        "hold_lifted": ["FLOW-HOLD"],
        "hold_placed": ["FLOW-HOLD"],
        "initial_review_completed": ["FLOW-MIN-CONTACTS"],
        "signed_off": ["FLOW-SIGN-OFF"],
    }


def test_the_diagrams_open_a_review_where_the_workflow_does() -> None:
    opened = {state: label for label, state in _opened_by_label().items()}
    assert set(opened) == {opening_state(outcome) for outcome in Outcome}
    for outcome, state in OPENING_STATES.items():
        assert opened[state] == outcome.value
    others = {opening_state(outcome) for outcome in Outcome if outcome not in OPENING_STATES}
    assert others == {S.CLOSED}
    assert opened[S.CLOSED] == "any other outcome"


def _opened_by_label() -> dict[str, S]:
    lines = workflow_mermaid().splitlines()
    arrows = [line.split("[*] --> ", 1)[1] for line in lines if "[*] --> " in line]
    return {label: S(state) for state, label in (arrow.split(": ", 1) for arrow in arrows)}


# --- apply ---------------------------------------------------------------------------------


def test_apply_takes_an_event_document_or_an_event_model_alike() -> None:
    review = load_review(review_document([]))
    document = {"type": "allocated", "on": "2025-02-12", "reviewer": "R-20"}
    model = Allocated(on=date(2025, 2, 12), reviewer="R-20")
    assert load_event(document) == model
    from_document = apply(review, document)
    from_model = apply(review, model)
    assert from_document == from_model
    assert from_document.state is S.INITIAL_REVIEW
    assert from_document.events == (model,)


def test_apply_returns_a_new_review_and_leaves_its_input_alone() -> None:
    review = load_review(review_document(EVENTS[:3]))
    untouched = copy.deepcopy(review)
    moved = apply(review, {"type": "contact_recorded", "on": "2025-04-02", "contact": "gp"})
    assert review == untouched
    assert moved is not review
    assert moved.history[:-1] == review.history
    assert len(moved.history) == len(review.history) + 1


def test_an_accepted_event_is_audited() -> None:
    review = load_review(review_document(EVENTS[:4]))
    event = EVENTS[4]
    moved = apply(review, event)
    entry = moved.history[-1]
    assert entry.event == load_event(event)
    assert entry.from_ is S.INITIAL_REVIEW
    assert entry.to is S.AWAITING_SIGN_OFF
    assert entry.ruleset is not None
    assert entry.ruleset.value == "leder-2021"
    assert entry.rules == (
        "FLOW-DATES",
        "FLOW-INITIAL-COMPLETE",
        "FLOW-HOLD-BLOCKS",
        "FLOW-MIN-CONTACTS",
    )


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ({"type": "allocated", "on": "2025-02-30", "reviewer": "R-1"}, "$.on"),
        ({"type": "allocated", "on": "2025-02-12"}, "$.reviewer"),
        ({"type": "allocated", "on": "2025-02-12", "reviewer": "R-1", "colour": "red"}, "$.colour"),
        (
            {"type": "allocated", "on": "2025-02-12", "reviewer": "R-1", "independent": "no"},
            "$.independent",
        ),
        ({"type": "allocation", "on": "2025-02-12", "reviewer": "R-1"}, "$.type"),
        ({"on": "2025-02-12", "reviewer": "R-1"}, "$.type"),
        ({"type": "hold_placed", "on": "2025-02-12", "process": "inquest"}, "$.process"),
        (
            {"type": "signed_off", "on": "2025-02-12", "by": "governance_group", "actions": [{}]},
            "$.actions[0].description",
        ),
    ],
)
def test_apply_refuses_an_invalid_event_document_as_invalid_input(
    event: dict[str, Any], path: str
) -> None:
    review = load_review(review_document([]))
    with pytest.raises(InvalidInput) as caught:
        apply(review, event)
    assert not isinstance(caught.value, TransitionRefused)
    assert path in [problem.path for problem in caught.value.problems]


def test_an_invalid_event_document_is_invalid_input_even_on_a_completed_review() -> None:
    review = load_review(review_document())
    assert review.state is S.COMPLETED
    with pytest.raises(InvalidInput) as caught:
        apply(review, {"type": "contact_recorded", "on": "2025-13-01", "contact": "gp"})
    assert [problem.path for problem in caught.value.problems] == ["$.on"]


def test_a_refusal_gives_its_reasons_with_rule_text_and_citations() -> None:
    review = load_review(review_document([]))
    with pytest.raises(TransitionRefused) as caught:
        apply(
            review,
            {"type": "allocated", "on": "2025-01-01", "reviewer": "R-1", "independent": False},
        )
    refusal = caught.value
    assert isinstance(refusal, ValueError)
    assert refusal.rules == ("FLOW-DATES", "FLOW-ALLOCATE")
    assert [reason.rule for reason in refusal.reasons] == list(refusal.rules)
    for reason in refusal.reasons:
        assert reason.text.strip()
        assert len(reason.citations) >= 1
        for citation in reason.citations:
            assert citation.title
            assert citation.url.startswith("https://")
        assert reason.holds is False
    # The first failed check, in the rulebook's order, settled the refusal.
    assert [reason.decisive for reason in refusal.reasons] == [True, False]
    text = str(refusal)
    assert "FLOW-DATES" in text
    assert "FLOW-ALLOCATE" in text
    assert "allocated" in text
    assert "FLOW-ALLOCATE" in repr(refusal)


def test_a_refused_event_leaves_the_review_as_it_was() -> None:
    review = load_review(review_document(EVENTS[:2]))
    untouched = copy.deepcopy(review)
    with pytest.raises(TransitionRefused):
        apply(review, EVENTS[4])  # minimum contacts not met
    assert review == untouched


def test_completed_and_closed_reviews_refuse_with_flow_terminal_alone() -> None:
    completed = load_review(review_document())
    closed = load_review(
        review_document([{"type": "closed", "on": "2025-02-10", "reason": "duplicate"}])
    )
    event = {"type": "signed_off", "on": "2024-01-01", "by": "senior_reviewer"}
    for review in (completed, closed):
        with pytest.raises(TransitionRefused) as caught:
            apply(review, event)
        assert caught.value.rules == ("FLOW-TERMINAL",)


def test_holds_still_open_when_a_review_closes_stay_open() -> None:
    review = load_review(
        review_document(
            [
                {"type": "hold_placed", "on": "2025-02-10", "process": "police_investigation"},
                {"type": "closed", "on": "2025-02-11", "reason": "withdrawn_ineligible"},
            ]
        )
    )
    assert review.state is S.CLOSED
    assert [hold.value for hold in review.open_holds] == ["police_investigation"]
    assert enabled_events(review) == ()


# --- load_review and replay ----------------------------------------------------------------


def test_load_review_replays_the_events() -> None:
    review = load_review(review_document())
    assert review.state is S.COMPLETED
    assert review.refused is None
    assert review.completed_on == date(2025, 5, 20)
    assert [entry.to for entry in review.history] == [
        S.INITIAL_REVIEW,
        S.INITIAL_REVIEW,
        S.INITIAL_REVIEW,
        S.INITIAL_REVIEW,
        S.AWAITING_SIGN_OFF,
        S.COMPLETED,
    ]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ((2, "type", "contact"), "$.events[2].type"),
        ((1, "on", "2025/02/20"), "$.events[1].on"),
        ((3, "contact", "social_worker"), "$.events[3].contact"),
        ((0, "independent", 1), "$.events[0].independent"),
        ((4, "extra", True), "$.events[4].extra"),
    ],
)
def test_load_review_refuses_an_invalid_document_with_paths(
    change: tuple[int, str, Any], path: str
) -> None:
    document = review_document()
    index, key, value = change
    document["events"][index][key] = value
    with pytest.raises(InvalidInput) as caught:
        load_review(document)
    assert path in [problem.path for problem in caught.value.problems]


def test_load_review_lists_every_problem() -> None:
    document = review_document()
    document["events"][2]["type"] = "contact"
    document["events"][5]["by"] = "chair"
    document["notification"]["person"]["date_of_death"] = "2025-02-31"
    with pytest.raises(InvalidInput) as caught:
        load_review(document)
    paths = [problem.path for problem in caught.value.problems]
    assert "$.events[2].type" in paths
    assert "$.events[5].by" in paths
    assert "$.notification.person.date_of_death" in paths


def test_load_review_refuses_a_missing_event_type_at_its_path() -> None:
    document = review_document()
    del document["events"][2]["type"]
    with pytest.raises(InvalidInput) as caught:
        load_review(document)
    assert [problem.path for problem in caught.value.problems] == ["$.events[2].type"]


def test_a_refused_event_stops_the_replay_with_the_state_before_it() -> None:
    events = copy.deepcopy(EVENTS)
    # The sign-off is dated before the initial completion: FLOW-DATES refuses it.
    events[5]["on"] = "2025-04-30"
    events.append({"type": "closed", "on": "2025-06-01", "reason": "duplicate"})
    review = load_review(review_document(events))
    assert review.refused is not None
    assert review.refused.index == 5
    assert review.refused.event == load_event(events[5])
    assert [reason.rule for reason in review.refused.reasons] == ["FLOW-DATES"]
    assert review.state is S.AWAITING_SIGN_OFF
    assert len(review.history) == 5
    assert review.completed_on is None


def test_a_refusal_in_replay_is_reported_in_the_result_whatever_the_date() -> None:
    events = [
        *copy.deepcopy(EVENTS[:1]),
        {"type": "allocated", "on": "2025-02-13", "reviewer": "R-2"},
    ]
    review = load_review(review_document(events))
    result = review_result(review, as_of=date(2025, 2, 6))
    assert result.state is S.AWAITING_ALLOCATION
    assert result.refused is not None
    assert result.refused.index == 1
    assert dump(result)["refused"]["index"] == 1
    assert [reason["rule"] for reason in dump(result)["refused"]["reasons"]] == ["FLOW-ALLOCATE"]


def test_dump_gives_the_notification_and_only_the_accepted_events() -> None:
    events = [
        *copy.deepcopy(EVENTS[:3]),
        {"type": "signed_off", "on": "2025-03-11", "by": "senior_reviewer"},
    ]
    events.append({"type": "contact_recorded", "on": "2025-03-12", "contact": "gp"})
    review = load_review(review_document(events))
    assert review.refused is not None
    document = dump(review)
    assert document["schema"] == "leder.review/1"
    assert list(document) == ["schema", "notification", "events"]
    assert document["notification"] == {
        key: value
        for key, value in dump(load_notification(NOTIFICATION)).items()
        if key != "schema"
    }
    assert document["events"] == [dump(load_event(event)) for event in events[:3]]
    assert [next(iter(event)) for event in document["events"]] == ["type"] * 3
    again = load_review(document)
    assert again.refused is None
    assert again.history == review.history


def test_a_dumped_review_loads_back_equal() -> None:
    review = load_review(review_document(), interpretation={"clock": "stop", "due_soon_days": 14})
    again = load_review(dump(review), interpretation=review.interpretation)
    assert again == review


# --- opening --------------------------------------------------------------------------------


def test_an_out_of_scope_notification_opens_closed_with_its_outcome() -> None:
    notification = copy.deepcopy(NOTIFICATION)
    notification["person"]["learning_disability"] = False
    review = open_review(load_notification(notification))
    assert review.state is S.CLOSED
    assert review.closure is not None
    assert review.closure.value == "out_of_scope"
    assert enabled_events(review) == ()
    with pytest.raises(TransitionRefused) as caught:
        apply(review, {"type": "allocated", "on": "2025-02-12", "reviewer": "R-1"})
    assert caught.value.rules == ("FLOW-TERMINAL",)


def test_a_review_without_gp_registration_awaits_a_regional_decision() -> None:
    notification = copy.deepcopy(NOTIFICATION)
    notification["person"]["gp_registered"] = False
    review = open_review(load_notification(notification))
    assert review.state is S.AWAITING_REGIONAL_DECISION
    assert set(enabled_events(review)) == {
        EventType.REGIONAL_DECISION,
        EventType.FOCUSED_REVIEW_REQUESTED,
        EventType.HOLD_PLACED,
        EventType.CLOSED,
    }


# --- person values stay hidden ---------------------------------------------------------------


def _hidden_values() -> list[str]:
    values = [NHS_NUMBER, NHS_NUMBER.replace(" ", "")]
    for day in (date(1968, 4, 12), date(2025, 2, 1)):
        values += [
            day.isoformat(),
            repr(day),
            day.strftime("%d/%m/%Y"),
            f"{day.day} {day:%B %Y}",
            f"{day:%B} {day.day}, {day.year}",
        ]
    return values


def _assert_hidden(text: str) -> None:
    for value in _hidden_values():
        assert value not in text, f"a person value appears: {value!r}"


def test_no_person_value_appears_in_a_review_or_its_results() -> None:
    events = [
        *copy.deepcopy(EVENTS[:2]),
        {"type": "hold_placed", "on": "2025-03-01", "process": "coroner_inquest"},
        {
            "type": "initial_review_completed",
            "on": "2025-03-02",
            "concerns": True,
            "further_learning": False,
        },
    ]
    review = load_review(review_document(events))
    assert review.refused is not None
    result = review_result(review, as_of=date(2025, 12, 1))
    texts = [
        repr(review),
        str(review),
        repr(review.notification),
        repr(review.assessment),
        repr(review.refused),
        str(review.refused),
        repr(result),
        str(result),
        str(dump(result)),
    ]
    for text in texts:
        _assert_hidden(text)


def test_no_person_value_appears_in_a_refusal() -> None:
    review = load_review(review_document(EVENTS[:2]))
    with pytest.raises(TransitionRefused) as caught:
        apply(review, HoldPlaced(on=date(2025, 2, 1), process=HoldReason.CORONER_INQUEST))
    refusal = caught.value
    for text in (str(refusal), repr(refusal), *(repr(reason) for reason in refusal.reasons)):
        _assert_hidden(text)


def test_the_contact_event_model_is_frozen() -> None:
    event = ContactRecorded(on=date(2025, 2, 20), contact=ContactKind.FAMILY)
    with pytest.raises(AttributeError):
        event.on = date(2025, 2, 21)  # type: ignore[misc]
