"""Replay's quick paths give exactly what the rule-by-rule checks give.

``step`` accepts an event at once when a quick test finds nothing wrong, and asks
``failed_checks`` (the rule-by-rule checks, in the rulebook's order) otherwise; ``review_of`` opens
a review's progress without building the opened review. Over the synthetic programme's
documents, and the same documents with their events shuffled, dropped and repeated (so that
every kind of refusal occurs), each step must be accepted exactly when ``failed_checks`` finds no
failure, and ``review_of`` must equal replaying the events on ``open_review``.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import islice

import attrs
import pytest

from leder_core.errors import TransitionRefused
from leder_core.interpretation import Clock, EventOrder, Interpretation
from leder_core.models.review import Event, ReviewDocument
from leder_core.rules.registry import as_decisive
from leder_core.rules.workflow import TRANSITIONS, open_review, replay, review_of
from leder_core.rules.workflow.engine import failed_checks, step
from leder_core.rules.workflow.progress import ReviewProgress
from leder_core.sample import SAMPLE_SEED, sample_reviews
from leder_core.serialization import load_review_document


def _documents() -> list[ReviewDocument]:
    rng = random.Random(11)  # noqa: S311 (seeded test data)
    documents = []
    for raw in islice(sample_reviews(seed=SAMPLE_SEED, count=1500), 1500):
        document = load_review_document(raw)
        documents.append(document)
        events = list(document.events)
        if not events:
            continue
        for _ in range(2):
            varied: list[Event] = list(events)
            change = rng.randrange(4)
            if change == 0:
                rng.shuffle(varied)
            elif change == 1:
                del varied[rng.randrange(len(varied))]
            elif change == 2:
                varied.insert(rng.randrange(len(varied) + 1), rng.choice(events))
            else:
                varied.reverse()
            documents.append(attrs.evolve(document, events=tuple(varied)))
    return documents


DOCUMENTS = _documents()


def test_each_step_is_accepted_exactly_when_the_checks_find_nothing() -> None:
    refused: Counter[str] = Counter()
    for document in DOCUMENTS:
        progress = ReviewProgress(open_review(document.notification))
        for event in document.events:
            failures = failed_checks(progress, event)
            if not failures:
                step(progress, event)  # accepted: raises otherwise
                continue
            with pytest.raises(TransitionRefused) as raised:
                step(progress, event)
            assert raised.value.reasons == (as_decisive(failures[0]), *failures[1:])
            refused.update(reason.rule for reason in failures)
            break
    # The variations refused events for every kind of check the quick test stands for.
    assert {"FLOW-DATES", "FLOW-TERMINAL", "FLOW-HOLD", "FLOW-HOLD-BLOCKS"} <= set(refused)
    assert {"FLOW-ALLOCATE", "FLOW-MIN-CONTACTS", "FLOW-SIGN-OFF"} <= set(refused)


def test_under_dated_each_step_in_date_order_agrees_with_the_checks() -> None:
    # Under INT-EVENT-ORDER dated, step takes every event not dated before the last one
    # (late ones are placed by FLOW-LATE-ENTRY, which replays them through step too).
    dated = Interpretation(event_order=EventOrder.DATED)
    accepted = 0
    for document in DOCUMENTS:
        progress = ReviewProgress(open_review(document.notification, interpretation=dated))
        for event in sorted(document.events, key=lambda one: one.on):
            failures = failed_checks(progress, event)
            if not failures:
                step(progress, event, len(progress.history))
                accepted += 1
                continue
            with pytest.raises(TransitionRefused) as raised:
                step(progress, event, len(progress.history))
            assert raised.value.reasons == (as_decisive(failures[0]), *failures[1:])
            break
    assert accepted > len(DOCUMENTS)


def test_review_of_is_replay_on_the_opened_review() -> None:
    stop = Interpretation(clock=Clock.STOP)
    dated = Interpretation(event_order=EventOrder.DATED)
    for document in DOCUMENTS:
        for chosen in (None, stop, dated):
            opened = open_review(document.notification, interpretation=chosen)
            expected = replay(opened, document.events)
            assert review_of(document, interpretation=chosen) == expected


def test_every_move_in_a_replayed_history_is_one_the_table_allows() -> None:
    # The state after an event is read from the transition table: each audit entry's move is
    # one of the targets the table gives its event from the state before it.
    moves: Counter[tuple[str, str, str]] = Counter()
    for document in DOCUMENTS:
        for entry in replay(open_review(document.notification), document.events).history:
            assert entry.to in TRANSITIONS[entry.event.type].targets[entry.from_]
            moves[entry.event.type.value, entry.from_.value, entry.to.value] += 1
    # Both conditions of each event with two targets from one state were met.
    assert ("initial_review_completed", "initial_review", "focused_review") in moves
    assert ("initial_review_completed", "initial_review", "awaiting_sign_off") in moves
