"""Unit tests of the clock of a review (rules §7 DEAD-HOLDS, DEAD-STATUS; §13).

Every expected date below is worked out by hand in the comment beside it. The six-month date
of the reviews used here is 5 August 2025 (notified 5 February 2025, DEAD-SIX-MONTHS).
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from leder_core import Interpretation, InvalidInput, load_review, review_result, review_status
from leder_core.interpretation import AutismFocused, Clock, MinorityEthnic, Residence
from leder_core.models.review import HoldPeriod, HoldReason, StatusCode
from leder_core.rules.clock import clocked, effective_interpretation, stopped_due_date

SIX_MONTHS = date(2025, 8, 5)
INQUEST = HoldReason.CORONER_INQUEST
POLICE = HoldReason.POLICE_INVESTIGATION
SAFEGUARDING = HoldReason.SAFEGUARDING_ENQUIRY
FAMILY = HoldReason.FAMILY_REQUESTED_DELAY


def hold(process: HoldReason, placed: str, lifted: str | None) -> HoldPeriod:
    return HoldPeriod(
        process=process,
        placed_on=date.fromisoformat(placed),
        lifted_on=None if lifted is None else date.fromisoformat(lifted),
    )


# --- stopped_due_date ------------------------------------------------------------------------

STOP_EXAMPLES = [
    pytest.param([], SIX_MONTHS, id="no-holds"),
    # Example 20: 1 March to 1 October 2025 is 214 days: 5 August 2025 + 214 = 7 March 2026.
    pytest.param([hold(INQUEST, "2025-03-01", "2025-10-01")], date(2026, 3, 7), id="example-20"),
    # [1 March, 1 April) is 31 days and [15 March, 10 April) overlaps it: the union is
    # [1 March, 10 April), 40 days, not 31 + 26 = 57. 5 August + 40 = 14 September.
    pytest.param(
        [hold(INQUEST, "2025-03-01", "2025-04-01"), hold(POLICE, "2025-03-15", "2025-04-10")],
        date(2025, 9, 14),
        id="overlap-counted-once",
    ),
    # A hold inside another adds nothing: [1 March, 1 May) is 61 days; 5 August + 61 = 5 October.
    pytest.param(
        [hold(INQUEST, "2025-03-01", "2025-05-01"), hold(POLICE, "2025-03-10", "2025-03-20")],
        date(2025, 10, 5),
        id="nested",
    ),
    # The same holds given out of order of placement.
    pytest.param(
        [hold(POLICE, "2025-03-10", "2025-03-20"), hold(INQUEST, "2025-03-01", "2025-05-01")],
        date(2025, 10, 5),
        id="nested-given-out-of-order",
    ),
    # Adjacent: [1 March, 1 April) 31 days and [1 April, 10 April) 9 days, 40 days in all
    # (1 April counted once). 5 August + 40 = 14 September.
    pytest.param(
        [hold(INQUEST, "2025-03-01", "2025-04-01"), hold(POLICE, "2025-04-01", "2025-04-10")],
        date(2025, 9, 14),
        id="adjacent",
    ),
    # Placed and lifted on the same day: [P, P) covers no day.
    pytest.param([hold(FAMILY, "2025-06-01", "2025-06-01")], SIX_MONTHS, id="zero-length"),
    # Zero-length on the six-month date itself, then a real hold: only the second counts.
    pytest.param(
        [hold(FAMILY, "2025-08-05", "2025-08-05"), hold(POLICE, "2025-08-05", "2025-08-15")],
        date(2025, 8, 15),
        id="zero-length-then-real",
    ),
    # Three separate holds: 10 + 5 + 20 = 35 days. 5 August + 35 = 9 September.
    pytest.param(
        [
            hold(INQUEST, "2025-03-01", "2025-03-11"),
            hold(POLICE, "2025-04-01", "2025-04-06"),
            hold(FAMILY, "2025-06-01", "2025-06-21"),
        ],
        date(2025, 9, 9),
        id="three-separate",
    ),
    # A chain that only joins up through the third: [1, 11) ∪ [5, 21) ∪ [15, 31) March is
    # [1 March, 31 March), 30 days. 5 August + 30 = 4 September.
    pytest.param(
        [
            hold(INQUEST, "2025-03-01", "2025-03-11"),
            hold(POLICE, "2025-03-05", "2025-03-21"),
            hold(FAMILY, "2025-03-15", "2025-03-31"),
        ],
        date(2025, 9, 4),
        id="chained-overlaps",
    ),
    # Placed after the six-month date but on or before the running due date: counted.
    # [1 July, 31 August) is 61 days: running due 5 October. [1 September, 11 September) is
    # placed before 5 October and adds 10 days: 15 October.
    pytest.param(
        [hold(INQUEST, "2025-07-01", "2025-08-31"), hold(POLICE, "2025-09-01", "2025-09-11")],
        date(2025, 10, 15),
        id="after-six-months-before-running-due",
    ),
    # Placed the day after the running due date: not counted. [1 July, 11 July) is 10 days:
    # running due 15 August. A hold placed 16 August adds nothing: 15 August.
    pytest.param(
        [hold(INQUEST, "2025-07-01", "2025-07-11"), hold(POLICE, "2025-08-16", "2025-09-11")],
        date(2025, 8, 15),
        id="after-running-due",
    ),
    # Placed on the running due date itself: counted. 10 days to 15 August, then
    # [15 August, 25 August) adds 10: 25 August.
    pytest.param(
        [hold(INQUEST, "2025-07-01", "2025-07-11"), hold(POLICE, "2025-08-15", "2025-08-25")],
        date(2025, 8, 25),
        id="on-running-due",
    ),
    # The running due date, not the date the holds would reach if this one counted: [1 July,
    # 11 July) gives 15 August. A hold placed 20 August is after that and is not counted,
    # even though counting its 40 days would have moved the due date to 24 September, past
    # the day it was placed. The due date stays 15 August.
    pytest.param(
        [hold(INQUEST, "2025-07-01", "2025-07-11"), hold(POLICE, "2025-08-20", "2025-09-29")],
        date(2025, 8, 15),
        id="after-running-due-long",
    ),
    # A hold placed before the due date and running past it pushes the running due date on;
    # a second hold placed after the six-month date, while the first is open, is counted and
    # overlaps: [1 August, 1 September) ∪ [20 August, 10 September) = [1 August, 10 September),
    # 40 days: 14 September.
    pytest.param(
        [hold(INQUEST, "2025-08-01", "2025-09-01"), hold(POLICE, "2025-08-20", "2025-09-10")],
        date(2025, 9, 14),
        id="overlap-after-six-months",
    ),
    # Placed on the six-month date itself: counted. [5 August, 15 August) is 10 days.
    pytest.param([hold(FAMILY, "2025-08-05", "2025-08-15")], date(2025, 8, 15), id="on-due"),
    # Placed the day after the six-month date with nothing before it: not counted.
    pytest.param([hold(FAMILY, "2025-08-06", "2025-08-15")], SIX_MONTHS, id="day-after-due"),
    # The same process held twice: [1, 11) March and [1, 11) April, 20 days: 25 August.
    pytest.param(
        [hold(INQUEST, "2025-03-01", "2025-03-11"), hold(INQUEST, "2025-04-01", "2025-04-11")],
        date(2025, 8, 25),
        id="same-process-twice",
    ),
]


@pytest.mark.parametrize(("holds", "expected"), STOP_EXAMPLES)
def test_stopped_due_date_hand_computed(holds: list[HoldPeriod], expected: date) -> None:
    assert stopped_due_date(SIX_MONTHS, holds) == expected


def test_stopped_due_date_is_none_while_any_hold_is_open() -> None:
    assert stopped_due_date(SIX_MONTHS, [hold(INQUEST, "2025-03-01", None)]) is None
    holds = [hold(INQUEST, "2025-03-01", "2025-04-01"), hold(POLICE, "2026-01-01", None)]
    # Even a hold placed long after the due date: while it is open there is no due date.
    assert stopped_due_date(SIX_MONTHS, holds) is None


def test_stopped_due_date_accepts_any_iterable() -> None:
    holds = (h for h in [hold(INQUEST, "2025-03-01", "2025-03-11")])
    assert stopped_due_date(SIX_MONTHS, holds) == SIX_MONTHS + timedelta(days=10)


# --- reviews --------------------------------------------------------------------------------

NOTIFICATION: dict[str, Any] = {
    "id": "N-2025-000777",
    "notified_on": "2025-02-05",
    "notifier_role": "gp",
    "person": {
        "nhs_number": "9434765919",
        "date_of_birth": "1971-09-30",
        "date_of_death": "2025-01-28",
        "learning_disability": True,
        "autism": "none",
        "ethnicity": "B",
        "lived_in_england": True,
    },
}
ALLOCATED = {"type": "allocated", "on": "2025-02-12", "reviewer": "R-7"}


def review(*events: dict[str, Any], interpretation: Any = None) -> Any:
    return load_review(
        {"notification": copy.deepcopy(NOTIFICATION), "events": [ALLOCATED, *events]},
        interpretation=interpretation,
    )


def placed(on: str, process: str = "coroner_inquest") -> dict[str, Any]:
    return {"type": "hold_placed", "on": on, "process": process}


def lifted(on: str, process: str = "coroner_inquest") -> dict[str, Any]:
    return {"type": "hold_lifted", "on": on, "process": process}


def test_clocked_under_excuse_never_moves_the_due_date() -> None:
    held = review(placed("2025-03-01"), lifted("2025-10-01"))
    timing = clocked(held, Clock.EXCUSE)
    assert timing.due_on == SIX_MONTHS
    assert timing.excused


def test_clocked_under_stop_moves_the_due_date_and_never_excuses() -> None:
    held = review(placed("2025-03-01"), lifted("2025-10-01"))
    timing = clocked(held, Clock.STOP)
    assert timing.due_on == date(2026, 3, 7)
    assert not timing.excused


def test_clocked_under_stop_has_no_due_date_while_a_hold_is_open() -> None:
    held = review(placed("2025-03-01"))
    assert clocked(held, Clock.STOP).due_on is None
    assert clocked(held, Clock.EXCUSE).due_on == SIX_MONTHS


@pytest.mark.parametrize(
    ("on", "excused"),
    [("2025-08-04", True), ("2025-08-05", True), ("2025-08-06", False)],
)
def test_a_hold_excuses_only_when_placed_on_or_before_the_due_date(on: str, excused: bool) -> None:
    held = review(
        placed(on, "family_requested_delay"), lifted("2025-08-20", "family_requested_delay")
    )
    assert clocked(held, Clock.EXCUSE).excused is excused
    status = review_status(held, as_of=date(2025, 9, 1))
    assert status.code is StatusCode.OVERDUE
    assert status.excused is excused


def test_an_out_of_scope_review_has_no_due_date_under_either_clock() -> None:
    notification = copy.deepcopy(NOTIFICATION)
    notification["person"]["lived_in_england"] = False
    closed = load_review({"notification": notification, "events": []})
    for clock in Clock:
        assert clocked(closed, clock).due_on is None
    status = review_status(closed, as_of=date(2025, 9, 1))
    assert status.code is StatusCode.CLOSED
    assert status.excused is False


# --- effective_interpretation ---------------------------------------------------------------


def test_effective_interpretation_without_one_is_the_reviews_own() -> None:
    own = Interpretation(clock="stop", due_soon_days=10)
    loaded = review(interpretation=own)
    assert effective_interpretation(loaded, None) == own


def test_effective_interpretation_takes_only_the_clock_and_due_soon_days() -> None:
    own = Interpretation(
        minority_ethnic="all_except_white_british",
        residence="either",
        autism_focused="never",
        annual_report_months=9,
    )
    loaded = review(interpretation=own)
    later = Interpretation(
        minority_ethnic="excluding_white_minorities",
        residence="lived_in_england",
        autism_focused="always",
        clock="stop",
        due_soon_days=3,
        annual_report_months=2,
    )
    chosen = effective_interpretation(loaded, later)
    assert chosen.clock is Clock.STOP
    assert chosen.due_soon_days == 3
    assert chosen.minority_ethnic is MinorityEthnic.ALL_EXCEPT_WHITE_BRITISH
    assert chosen.residence is Residence.EITHER
    assert chosen.autism_focused is AutismFocused.NEVER
    assert chosen.annual_report_months == 9
    assert chosen.leap_day is own.leap_day
    assert chosen.autism_start_key is own.autism_start_key


def test_effective_interpretation_accepts_a_mapping() -> None:
    # A mapping is turned into an Interpretation at the public entry point.
    loaded = review(interpretation={"minority_ethnic": "all_except_white_british"})
    chosen = review_result(
        loaded,
        as_of=date(2025, 3, 1),
        interpretation={"clock": "stop", "minority_ethnic": "excluding_white_minorities"},
    ).interpretation
    assert chosen.clock is Clock.STOP
    assert chosen.minority_ethnic is MinorityEthnic.ALL_EXCEPT_WHITE_BRITISH
    # Unnamed choices of a mapping are the defaults: due_soon_days is 28 again.
    assert chosen.due_soon_days == 28


def test_effective_interpretation_refuses_an_unknown_choice() -> None:
    loaded = review()
    for judge in (review_status, review_result):
        with pytest.raises(InvalidInput) as caught:
            judge(loaded, as_of=date(2025, 3, 1), interpretation={"clock": "paused"})
        assert [problem.path for problem in caught.value.problems] == ["$.clock"]


def test_a_later_interpretation_does_not_change_the_level() -> None:
    # Ethnicity B (White Irish) triggers a focused review only under
    # INT-MINORITY-ETHNIC 'all_except_white_british'; given later, that choice is ignored.
    loaded = review()
    result = review_result(
        loaded,
        as_of=date(2025, 3, 1),
        interpretation={"minority_ethnic": "all_except_white_british"},
    )
    assert result.review_level is not None
    assert result.review_level.value == "initial"
    assert result.interpretation.minority_ethnic is MinorityEthnic.EXCLUDING_WHITE_MINORITIES


# --- as_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2025-09-01", None, 20250901, 1.5, [2025, 9, 1]])
def test_status_and_result_refuse_a_non_date_as_of(as_of: object) -> None:
    loaded = review()
    with pytest.raises(InvalidInput) as caught:
        review_status(loaded, as_of=as_of)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == ["$.as_of"]
    with pytest.raises(InvalidInput) as caught:
        review_result(loaded, as_of=as_of)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == ["$.as_of"]


def test_status_and_result_refuse_a_datetime_as_of() -> None:
    # The public API takes dates as ``datetime.date``. A ``datetime`` (a subclass of date)
    # carries a time of day the rules do not have; it must be refused as invalid input, not
    # crash with a TypeError when compared with a due date.
    loaded = review()
    moment = datetime(2025, 9, 1, 12, 30)  # noqa: DTZ001 - a naive moment, on purpose
    with pytest.raises(InvalidInput) as caught:
        review_status(loaded, as_of=moment)
    assert [problem.path for problem in caught.value.problems] == ["$.as_of"]
    with pytest.raises(InvalidInput) as caught:
        review_result(loaded, as_of=moment)
    assert [problem.path for problem in caught.value.problems] == ["$.as_of"]


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "code"),
    [
        ("2025-07-07", StatusCode.ON_TRACK),  # 29 days left
        ("2025-07-08", StatusCode.DUE_SOON),  # 28 days left
        ("2025-08-05", StatusCode.DUE_SOON),  # 0 days left
        ("2025-08-06", StatusCode.OVERDUE),  # the day after
    ],
)
def test_status_around_the_due_date(as_of: str, code: StatusCode) -> None:
    status = review_status(review(), as_of=date.fromisoformat(as_of))
    assert status.code is code
    assert status.excused is False
    assert status.as_of == date.fromisoformat(as_of)


def test_due_soon_days_given_later_governs_the_window() -> None:
    loaded = review()
    as_of = date(2025, 7, 29)  # 7 days left
    assert review_status(loaded, as_of=as_of).code is StatusCode.DUE_SOON
    narrow = {"due_soon_days": 6}
    assert review_status(loaded, as_of=as_of, interpretation=narrow).code is StatusCode.ON_TRACK
    exact = {"due_soon_days": 7}
    assert review_status(loaded, as_of=as_of, interpretation=exact).code is StatusCode.DUE_SOON


def test_on_hold_outranks_overdue() -> None:
    held = review(placed("2025-09-01"))
    status = review_status(held, as_of=date(2025, 10, 1))
    assert status.code is StatusCode.ON_HOLD
    assert status.excused is False
    # The day before the hold was placed the review was overdue and not excused.
    before = review_status(held, as_of=date(2025, 8, 31))
    assert before.code is StatusCode.OVERDUE
    assert before.excused is False


def test_a_result_under_stop_has_no_due_date_while_held() -> None:
    held = review(placed("2025-03-01"), interpretation={"clock": "stop"})
    result = review_result(held, as_of=date(2025, 4, 1))
    assert result.due_on is None
    assert result.status.code is StatusCode.ON_HOLD
    # Before the hold was placed the review had its six-month date.
    earlier = review_result(held, as_of=date(2025, 2, 28))
    assert earlier.due_on == SIX_MONTHS
    assert earlier.status.code is StatusCode.ON_TRACK
