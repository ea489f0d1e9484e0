"""Late entries through the public API and the command line (INT-EVENT-ORDER, FLOW-LATE-ENTRY);
the policy cases are in tests/cases/late_entries.toml."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import MINIMAL_NOTIFICATION, run, write
from leder_core import (
    Interpretation,
    InvalidInput,
    TransitionRefused,
    apply,
    dump,
    load_review,
    review_result,
    review_status,
)
from leder_core.models.review import Review, ReviewState
from leder_core.rules.workflow import enabled_events, events_until

NOTIFICATION: dict[str, Any] = MINIMAL_NOTIFICATION
EVENTS: list[dict[str, Any]] = [
    {"type": "allocated", "on": "2024-03-20", "reviewer": "R-1"},
    {"type": "contact_recorded", "on": "2024-04-10", "contact": "gp"},
    {"type": "contact_recorded", "on": "2024-04-12", "contact": "other_professional"},
]
LATE_FAMILY = {"type": "contact_recorded", "on": "2024-04-02", "contact": "family"}


def dated_review() -> Review:
    return load_review(
        {"notification": NOTIFICATION, "events": EVENTS},
        interpretation={"event_order": "dated"},
    )


def test_a_late_event_is_refused_by_flow_dates_without_a_position_by_default() -> None:
    review = load_review({"notification": NOTIFICATION, "events": EVENTS})
    with pytest.raises(TransitionRefused) as caught:
        apply(review, LATE_FAMILY)
    assert caught.value.rules == ("FLOW-DATES",)
    assert caught.value.position is None


def test_a_late_event_is_placed_by_its_date_under_dated() -> None:
    review = apply(dated_review(), LATE_FAMILY)
    assert [entry.recorded for entry in review.history] == [0, 3, 1, 2]
    assert [entry.event.on for entry in review.history] == sorted(
        e.event.on for e in review.history
    )
    assert [event["on"] for event in dump(review)["events"]] == [
        "2024-03-20",
        "2024-04-10",
        "2024-04-12",
        "2024-04-02",
    ]
    assert load_review(dump(review)) == review
    # Now the minimum contacts are met: the initial review can be completed.
    assert "initial_review_completed" in {kind.value for kind in enabled_events(review)}


def test_results_as_of_a_date_take_the_events_dated_until_then_in_date_order() -> None:
    review = apply(dated_review(), LATE_FAMILY)
    then = events_until(review, date(2024, 4, 5))
    assert [entry.recorded for entry in then.history] == [0, 3]
    assert then.contacts == frozenset({"family"})
    result = dump(review_result(review, as_of=date(2024, 4, 5)))
    assert [entry["recorded"] for entry in result["history"]] == [0, 3]
    assert result["interpretation"]["event_order"] == "dated"
    assert review_status(review, as_of=date(2024, 4, 5)).code.value == "on_track"


def test_the_result_has_no_recorded_under_the_default_order() -> None:
    review = load_review({"notification": NOTIFICATION, "events": EVENTS})
    result = dump(review_result(review, as_of=date(2024, 6, 1)))
    assert all("recorded" not in entry for entry in result["history"])


def test_a_refused_late_event_changes_nothing_and_gives_the_failing_position() -> None:
    review = apply(
        apply(dated_review(), LATE_FAMILY),
        {
            "type": "initial_review_completed",
            "on": "2024-05-01",
            "concerns": False,
            "further_learning": False,
        },
    )
    hold = {"type": "hold_placed", "on": "2024-04-11", "process": "police_investigation"}
    with pytest.raises(TransitionRefused) as caught:
        apply(review, hold)
    # allocated, family, gp, hold (3), other professional, initial completion (5) fails.
    assert caught.value.rules == ("FLOW-HOLD-BLOCKS", "FLOW-LATE-ENTRY")
    assert caught.value.position == 5
    assert caught.value.reasons[0].decisive
    assert review.state is ReviewState.AWAITING_SIGN_OFF
    assert len(review.history) == 5


def test_the_interpretation_is_the_reviews_own_and_fixed() -> None:
    review = dated_review()
    assert dump(review)["interpretation"]["event_order"] == "dated"
    with pytest.raises(InvalidInput, match="interpretation"):
        load_review(dump(review), interpretation=Interpretation())


def test_leder_review_takes_a_documents_own_interpretation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "notification": NOTIFICATION,
        "interpretation": {"event_order": "dated"},
        "events": [*EVENTS, LATE_FAMILY],
    }
    path = write(tmp_path, "review.json", json.dumps(document))
    code, out, err = run(capsys, "review", path, "--as-of", "2024-06-01", "--set", "clock=stop")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert [entry["recorded"] for entry in result["history"]] == [0, 3, 1, 2]
    assert result["interpretation"]["clock"] == "stop"  # --set governs the clock of results
    assert result["interpretation"]["event_order"] == "dated"


def test_leder_review_set_event_order_dated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "review.json",
        json.dumps({"notification": NOTIFICATION, "events": [*EVENTS, LATE_FAMILY]}),
    )
    code, out, _ = run(capsys, "review", path, "--as-of", "2024-06-01")
    assert code == 1  # refused by FLOW-DATES under the default order
    code, out, _ = run(
        capsys, "review", path, "--as-of", "2024-06-01", "--set", "event_order=dated"
    )
    assert code == 0
    assert json.loads(out)["refused"] is None
