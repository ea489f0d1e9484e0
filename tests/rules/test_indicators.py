"""Unit tests of the indicators (rules §10, §13; docs/schemas.md) on tiny hand-built sets.

Most reviews here are notified on Friday 15 March 2024, so they are due on 15 September 2024
(DEAD-SIX-MONTHS); the comment beside each expectation says why it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest

from leder_core import Interpretation, InvalidInput, dump, load_review
from leder_core.api import indicators, tally
from leder_core.interpretation import Clock, Residence
from leder_core.models.indicators import Counts, Indicators, ServiceLevel, ServiceLevelCounts
from leder_core.models.review import EventType
from leder_core.rules.indicators import median_of
from leder_core.rules.working_days import ENGLAND_AND_WALES
from leder_core.serialization import document_schema

NOTIFIED = "2024-03-15"
DUE = date(2024, 9, 15)
CONTRACT_KEYS = [
    "notified",
    "in_scope",
    "unallocated",
    "in_progress",
    "incomplete",
    "completed",
    "closed",
    "due",
    "completed_within_six_months",
    "within_six_months_share",
    "backlog",
    "backlog_excused",
    "backlog_unexcused",
    "median_days_to_completion",
]
_counter = iter(range(1, 1_000_000))


def review(
    notified: str = NOTIFIED,
    events: list[dict[str, Any]] | None = None,
    *,
    body: str | None = "QE1",
    **person: Any,
) -> dict[str, Any]:
    """A review document of an adult with a learning disability (a LeDeR review by default)."""
    died = (date.fromisoformat(notified) - timedelta(days=5)).isoformat()
    return {
        "notification": {
            "id": f"N-{next(_counter)}",
            "notified_on": notified,
            "notifier_role": "gp",
            "person": {
                "date_of_birth": "1970-01-01",
                "date_of_death": died,
                "learning_disability": True,
                "autism": "none",
                "ethnicity": "A",
                "lived_in_england": True,
                **person,
            },
            "responsible_body": body,
        },
        "events": events or [],
    }


def allocated(on: str) -> list[dict[str, Any]]:
    return [{"type": "allocated", "on": on, "reviewer": "R-1"}]


def initial_done(on: str) -> list[dict[str, Any]]:
    """Allocation, the minimum contacts and the initial review, all on one day."""
    return [
        *allocated(on),
        {"type": "contact_recorded", "on": on, "contact": "family"},
        {"type": "contact_recorded", "on": on, "contact": "gp_records"},
        {"type": "contact_recorded", "on": on, "contact": "other_professional"},
        {
            "type": "initial_review_completed",
            "on": on,
            "concerns": False,
            "further_learning": False,
        },
    ]


def signed(on: str) -> dict[str, Any]:
    return {"type": "signed_off", "on": on, "by": "senior_reviewer"}


def completed(signed_on: str, notified: str = NOTIFIED, **kwargs: Any) -> dict[str, Any]:
    return review(notified, [*initial_done(notified), signed(signed_on)], **kwargs)


def hold(kind: str, on: str, process: str = "coroner_inquest") -> dict[str, Any]:
    return {"type": f"hold_{kind}", "on": on, "process": process}


def total(reviews: list[dict[str, Any]], as_of: date, **kwargs: Any) -> Counts:
    return indicators(reviews, as_of=as_of, **kwargs).total


# --- the document ---------------------------------------------------------------------------------


def test_no_reviews_give_zeros_nulls_and_the_default_interpretation() -> None:
    result = indicators([], as_of=date(2025, 7, 31))
    assert result.total == Counts()
    assert result.total.within_six_months_share is None  # nothing due: null, not 0
    assert result.total.median_days_to_completion is None  # nothing completed
    assert result.by_body == {}
    assert result.by_ruleset == {}
    assert result.interpretation == Interpretation()


def test_the_document_has_exactly_the_contract_keys_in_order() -> None:
    document = dump(indicators([completed("2024-05-01")], as_of=date(2024, 12, 1)))
    assert list(document) == ["schema", "as_of", "interpretation", "total", "by_body", "by_ruleset"]
    assert document["schema"] == "leder.indicators/1" == document_schema(Indicators)
    assert document["as_of"] == "2024-12-01"
    assert document["interpretation"] == dump(Interpretation())
    for group in (
        document["total"],
        document["by_body"]["QE1"],
        document["by_ruleset"]["leder-2021"],
    ):
        assert list(group) == CONTRACT_KEYS
    assert document["total"]["median_days_to_completion"] == 47.0  # a float, always


# --- which notifications and events count ---------------------------------------------------------


def test_a_notification_after_the_date_is_not_counted_and_one_on_it_is() -> None:
    reviews = [review("2024-03-15"), review("2024-03-16")]
    assert total(reviews, date(2024, 3, 14)).notified == 0
    assert total(reviews, date(2024, 3, 15)).notified == 1
    assert total(reviews, date(2024, 3, 16)).notified == 2


def test_events_after_the_date_are_ignored() -> None:
    reviews = [completed("2024-05-20")]
    before = total(reviews, date(2024, 5, 19))
    assert (before.in_progress, before.completed) == (1, 0)  # awaiting sign-off on 19 May
    after = total(reviews, date(2024, 5, 20))
    assert (after.in_progress, after.completed) == (0, 1)
    assert total(reviews, date(2024, 3, 15)).in_progress == 1  # allocated on the 15th itself


def test_each_state_falls_in_one_indicator() -> None:
    reviews = [
        review(),  # awaiting allocation
        review("2024-03-15", gp_registered=False),  # awaiting a regional decision
        review(events=allocated(NOTIFIED)),  # initial review
        review(
            events=[*initial_done(NOTIFIED)[:-1], {**initial_done(NOTIFIED)[-1], "concerns": True}]
        ),
        review(events=initial_done(NOTIFIED)),  # awaiting sign-off
        completed("2024-04-01"),
        review(events=[{"type": "closed", "on": NOTIFIED, "reason": "duplicate"}]),
    ]
    counts = total(reviews, date(2024, 4, 1))
    assert counts.notified == counts.in_scope == 7
    assert counts.unallocated == 2
    assert counts.in_progress == 3  # initial, focused and awaiting sign-off
    assert counts.completed == 1
    assert counts.closed == 1


def test_outcomes_out_of_scope_count_only_as_notified() -> None:
    reviews = [
        review(date_of_birth="2014-01-01"),  # aged 10: child death review
        review(learning_disability=False),  # no qualifying condition
        review(national_data_opt_out=True),  # opt-out under leder-2021
    ]
    counts = total(reviews, date(2025, 1, 1))
    assert counts.notified == 3
    assert counts == Counts(notified=3)  # closed at opening, but not in scope: not `closed`


# --- due, on time and the share -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "within"),
    [
        pytest.param("2024-09-15", 1, id="on-the-due-date-is-within"),
        pytest.param("2024-09-16", 0, id="the-day-after-is-late"),
    ],
)
def test_completed_within_six_months_is_on_or_before_the_due_date(
    signed_on: str, within: int
) -> None:
    counts = total([completed(signed_on)], date(2024, 10, 1))
    assert (counts.due, counts.completed_within_six_months) == (1, within)
    assert counts.within_six_months_share == float(within)


def test_due_counts_reviews_due_on_or_before_the_date() -> None:
    reviews = [completed("2024-05-01")]
    assert total(reviews, DUE - timedelta(days=1)).due == 0  # completed early, not yet due
    assert total(reviews, DUE - timedelta(days=1)).completed_within_six_months == 0  # "of due"
    assert total(reviews, DUE).due == 1
    assert total(reviews, DUE).completed_within_six_months == 1


def test_share_is_unrounded_and_null_when_nothing_is_due() -> None:
    reviews = [completed("2024-05-01"), completed("2024-10-01"), review()]
    counts = total(reviews, date(2024, 12, 1))
    assert (counts.due, counts.completed_within_six_months) == (3, 1)
    assert counts.within_six_months_share == 1 / 3
    assert total(reviews, date(2024, 6, 1)).within_six_months_share is None


def test_closed_reviews_are_never_due() -> None:
    closed = review(
        events=[{"type": "closed", "on": "2024-04-01", "reason": "withdrawn_ineligible"}]
    )
    counts = total([closed], date(2025, 1, 1))
    assert (counts.closed, counts.due, counts.backlog) == (1, 0, 0)


# --- the backlog ----------------------------------------------------------------------------------


def test_backlog_is_open_reviews_past_their_due_date() -> None:
    reviews = [review(), review(events=allocated(NOTIFIED)), completed("2024-10-01")]
    assert total(reviews, DUE).backlog == 0  # D on the due date is not after it
    assert total(reviews, DUE + timedelta(days=1)).backlog == 3  # none completed yet
    after = total(reviews, date(2024, 10, 1))
    assert after.backlog == 2  # unallocated and in progress; the one completed late is not
    assert after.backlog_unexcused == 2
    assert after.due == 3


def test_backlog_split_by_excuse_judged_from_the_dates() -> None:
    on_hold = review(events=[hold("placed", "2024-04-01")])  # still on hold: status on_hold
    lifted = review(events=[hold("placed", DUE.isoformat()), hold("lifted", "2024-10-01")])
    placed_late = review(events=[hold("placed", "2024-09-16")])  # after the due date
    counts = total([on_hold, lifted, placed_late], date(2024, 11, 1))
    assert counts.backlog == 3  # on hold or not, each is open and past its due date
    assert counts.backlog_excused == 2  # held on or before the due date
    assert counts.backlog_unexcused == 1
    assert counts.backlog_excused + counts.backlog_unexcused == counts.backlog


def test_under_stop_an_open_hold_is_in_neither_due_nor_backlog() -> None:
    held = review(events=[hold("placed", "2024-04-01")])
    plain = review()
    stop = total([held, plain], date(2024, 11, 1), interpretation={"clock": "stop"})
    assert (stop.due, stop.backlog, stop.backlog_excused) == (1, 1, 0)  # only the plain one
    excuse = total([held, plain], date(2024, 11, 1))
    assert (excuse.due, excuse.backlog, excuse.backlog_excused) == (2, 2, 1)


def test_under_stop_a_lifted_hold_moves_the_due_date() -> None:
    # Held [1 April, 1 May) = 30 days: due 15 September + 30 = 15 October 2024.
    held = review(events=[hold("placed", "2024-04-01"), hold("lifted", "2024-05-01")])
    stop = {"clock": "stop"}
    assert total([held], date(2024, 10, 15), interpretation=stop).backlog == 0
    assert total([held], date(2024, 10, 16), interpretation=stop).backlog == 1
    assert total([held], date(2024, 10, 16), interpretation=stop).backlog_excused == 0


def test_a_review_loaded_under_stop_keeps_its_clock_unless_one_is_given() -> None:
    held = load_review(
        review(events=[hold("placed", "2024-04-01")]), interpretation={"clock": "stop"}
    )
    assert total([held], date(2024, 11, 1)).backlog == 0  # its own clock: stopped
    assert total([held], date(2024, 11, 1), interpretation={"clock": "excuse"}).backlog == 1


# --- the median -----------------------------------------------------------------------------------


def test_median_days_to_completion_odd_and_even() -> None:
    # Notified 15 March: signed 25 March (10 days), 4 April (20), 24 April (40), 25 April (41).
    three = [completed("2024-03-25"), completed("2024-04-04"), completed("2024-04-24")]
    assert total(three, date(2025, 1, 1)).median_days_to_completion == 20.0
    four = [*three, completed("2024-04-25")]
    assert total(four, date(2025, 1, 1)).median_days_to_completion == 30.0  # (20 + 40) / 2
    two = [completed("2024-03-25"), completed("2024-04-05")]
    assert total(two, date(2025, 1, 1)).median_days_to_completion == 15.5  # (10 + 21) / 2


@pytest.mark.parametrize(
    ("days", "median"),
    [
        ({}, None),
        ({7: 1}, 7.0),
        ({1: 1, 2: 1}, 1.5),
        ({5: 3, 100: 2}, 5.0),
        ({5: 2, 100: 2}, 52.5),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 2.5),
        ({0: 4}, 0.0),
    ],
)
def test_median_of_a_counter(days: dict[int, int], median: float | None) -> None:
    assert median_of(days) == median
    if days:  # the same as the median of the listed values
        values = sorted(value for value, count in days.items() for _ in range(count))
        middle = len(values) // 2
        plain = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        assert median_of(days) == plain


# --- groups ---------------------------------------------------------------------------------------


def test_groups_by_body_with_unknown_for_none_and_by_ruleset_with_none() -> None:
    reviews = [
        completed("2024-04-01", body="QOP"),
        review(body=None),
        review("2019-06-03", body="QE1"),
        review("2015-12-01", body="QE1"),  # before the programme: out of scope, no rule set
    ]
    result = indicators(reviews, as_of=date(2025, 1, 1))
    assert list(result.by_body) == ["QE1", "QOP", "unknown"]  # sorted
    assert list(result.by_ruleset) == ["leder-2016", "leder-2021", "none"]
    assert result.by_body["unknown"].notified == 1
    assert result.by_body["QE1"].notified == 2
    assert result.by_ruleset["none"] == Counts(notified=1)
    assert result.by_ruleset["leder-2016"].backlog == 1
    assert result.by_ruleset["leder-2021"].completed == 1


def test_groups_sum_to_the_total() -> None:
    reviews = [
        completed("2024-04-01", body="QOP"),
        completed("2024-10-01", body="QOP"),
        review(body=None),
        review("2019-06-03"),
        review("2022-02-01", events=[hold("placed", "2022-03-01")]),
    ]
    result = indicators(reviews, as_of=date(2025, 1, 1))
    # A share and a median are not sums; every other figure is.
    summed = [
        key
        for key in CONTRACT_KEYS
        if key not in ("within_six_months_share", "median_days_to_completion")
    ]
    assert summed
    for groups in (result.by_body, result.by_ruleset):
        for key in summed:
            values = [getattr(counts, key) for counts in groups.values()]
            assert sum(values) == getattr(result.total, key)


# --- the interpretation recorded ------------------------------------------------------------------


def test_the_interpretation_given_is_recorded() -> None:
    result = indicators([review()], as_of=date(2025, 1, 1), interpretation={"clock": "stop"})
    assert result.interpretation == Interpretation(clock=Clock.STOP)


def test_the_interpretation_all_reviews_share_is_recorded() -> None:
    either = {"residence": "either"}
    reviews = [load_review(review(), interpretation=either) for _ in range(2)]
    result = indicators(reviews, as_of=date(2025, 1, 1))
    assert result.interpretation == Interpretation(residence=Residence.EITHER)


def test_mixed_interpretations_are_recorded_as_null() -> None:
    reviews = [load_review(review()), load_review(review(), interpretation={"residence": "either"})]
    result = indicators(reviews, as_of=date(2025, 1, 1))
    assert result.interpretation is None
    assert dump(result)["interpretation"] is None
    # A later interpretation governs only the clock, so the reviews still differ.
    given = indicators(reviews, as_of=date(2025, 1, 1), interpretation=Interpretation())
    assert given.interpretation is None


def test_a_given_interpretation_is_recorded_as_it_applied_to_reviews_loaded_earlier() -> None:
    reviews = [
        load_review(review(), interpretation={"minority_ethnic": "all_except_white_british"})
    ]
    result = indicators(reviews, as_of=date(2025, 1, 1), interpretation={"clock": "stop"})
    assert result.interpretation == Interpretation(
        minority_ethnic="all_except_white_british", clock="stop"
    )


def test_documents_are_loaded_under_the_interpretation_given() -> None:
    # Lived in Wales, died in England: out of scope by default, in scope with residence=either.
    wales = review(lived_in_england=False, died_in_england=True)
    assert total([wales], date(2025, 1, 1)).in_scope == 0
    assert total([wales], date(2025, 1, 1), interpretation={"residence": "either"}).in_scope == 1


def test_a_bad_interpretation_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        indicators([], as_of=date(2025, 1, 1), interpretation={"clock": "sometimes"})
    assert refused.value.problems[0].path == "$.clock"


# --- inputs ---------------------------------------------------------------------------------------


def test_documents_and_reviews_give_the_same_indicators() -> None:
    documents = [completed("2024-04-01"), review(), review(events=[hold("placed", "2024-04-01")])]
    loaded = [load_review(document) for document in documents]
    as_of = date(2024, 11, 1)
    assert indicators(documents, as_of=as_of) == indicators(loaded, as_of=as_of)
    assert indicators(iter(documents), as_of=as_of) == indicators(loaded, as_of=as_of)


def test_an_invalid_document_is_refused_with_its_position() -> None:
    bad = review()
    bad["notification"]["notified_on"] = "2024-02-30"
    del bad["notification"]["person"]["autism"]
    with pytest.raises(InvalidInput) as refused:
        indicators([review(), review(), bad], as_of=date(2025, 1, 1))
    paths = [problem.path for problem in refused.value.problems]
    assert paths == ["$[2].notification.notified_on", "$[2].notification.person.autism"]


def test_an_item_that_is_not_a_review_is_refused_with_its_position() -> None:
    with pytest.raises(InvalidInput) as refused:
        indicators([review(), "N-1"], as_of=date(2025, 1, 1))  # type: ignore[list-item]
    assert refused.value.problems[0].path == "$[1]"


def test_a_refused_event_counts_the_review_as_it_stood() -> None:
    # Sign-off before the initial review is refused in replay: the review stays allocated.
    document = review(events=[*allocated(NOTIFIED), signed("2024-04-01")])
    assert load_review(document).refused is not None
    counts = total([document], date(2024, 11, 1))
    assert (counts.in_progress, counts.completed, counts.backlog) == (1, 0, 1)


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        pytest.param(
            {"reviews": [], "as_of": datetime(2025, 1, 1, tzinfo=UTC)}, "$.as_of", id="datetime"
        ),
        pytest.param({"reviews": [], "as_of": "2025-01-01"}, "$.as_of", id="string-date"),
        pytest.param({"reviews": review(), "as_of": date(2025, 1, 1)}, "$", id="one-document"),
        pytest.param({"reviews": 3, "as_of": date(2025, 1, 1)}, "$", id="not-iterable"),
        pytest.param(
            {"reviews": [], "as_of": date(2025, 1, 1), "service_levels": ["x"]},
            "$.service_levels[0]",
            id="not-a-service-level",
        ),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        indicators(**arguments)
    assert refused.value.problems[0].path == path


def test_a_generator_is_read_once_and_not_kept() -> None:
    consumed = []

    def stream() -> Iterator[dict[str, Any]]:
        for index in range(5):
            consumed.append(index)
            yield completed("2024-04-01")

    assert total(list(stream()), date(2025, 1, 1)).completed == 5
    consumed.clear()
    assert total(stream(), date(2025, 1, 1)).completed == 5
    assert consumed == [0, 1, 2, 3, 4]


# --- tallies --------------------------------------------------------------------------------------


def test_tallies_of_parts_add_up_to_the_whole() -> None:
    reviews = [completed("2024-03-25"), completed("2024-04-05", body="QOP"), review(body=None)]
    as_of = date(2025, 1, 1)
    whole = indicators(reviews, as_of=as_of)
    parts = tally(reviews[:1], as_of=as_of) + tally(reviews[1:], as_of=as_of)
    assert parts.indicators() == whole
    assert whole.total.median_days_to_completion == 15.5  # from the merged day counts


def test_tallies_made_differently_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="same as_of"):
        tally([], as_of=date(2025, 1, 1)) + tally([], as_of=date(2025, 1, 2))


# --- service levels (DEAD-WORKING-DAYS) -----------------------------------------------------------

ALLOCATION = ServiceLevel(
    name="allocation", from_event="notified", to_event="allocated", working_days=5
)


def levels(
    reviews: list[dict[str, Any]], as_of: date, *given: ServiceLevel, **kwargs: Any
) -> ServiceLevelCounts:
    result = indicators(reviews, as_of=as_of, service_levels=given or (ALLOCATION,), **kwargs)
    assert result.total.service_levels is not None
    return result.total.service_levels[0]


def test_a_service_level_counts_met_late_and_open_past_the_limit() -> None:
    # Notified Friday 15 March 2024: day 1 is Monday 18th, day 5 Friday 22 March.
    reviews = [
        review(events=allocated("2024-03-22")),  # met on the limit
        review(events=allocated("2024-03-25")),  # late
        review(),  # not allocated
        review(date_of_birth="2014-01-01"),  # child: not in scope, not counted
    ]
    on_limit = levels(reviews, date(2024, 3, 22))
    assert (on_limit.started, on_limit.met, on_limit.late, on_limit.open_past_limit) == (3, 1, 0, 0)
    after = levels(reviews, date(2024, 3, 25))
    assert (after.started, after.met, after.late, after.open_past_limit) == (3, 1, 1, 1)
    assert after.provisional is False


def test_a_service_level_counts_working_days_past_bank_holidays() -> None:
    # Notified Thursday 28 March 2024; Good Friday and Easter Monday are bank holidays, so day
    # 1 is Tuesday 2 April and day 5 Monday 8 April.
    reviews = [review("2024-03-28", allocated("2024-04-08"))]
    assert levels(reviews, date(2024, 5, 1)).met == 1


@attrs.frozen
class WeekdaysOnly:
    """A calendar with no bank holidays, confirmed only until the end of 2023."""

    name: str = "weekdays only"
    valid_from: date = date(2000, 1, 1)
    confirmed_until: date = date(2023, 12, 31)

    def is_holiday(self, day: date) -> bool:
        return False

    def holidays_in(self, year: int) -> frozenset[date]:
        return frozenset()


def test_the_calendar_is_injectable_and_marks_results_provisional() -> None:
    # Without bank holidays day 5 after 28 March 2024 is Thursday 4 April: 8 April is late,
    # and the limit is after the calendar's confirmed dates.
    reviews = [review("2024-03-28", allocated("2024-04-08"))]
    result = levels(reviews, date(2024, 5, 1), calendar=WeekdaysOnly())
    assert (result.met, result.late, result.provisional) == (0, 1, True)
    assert levels(reviews, date(2024, 5, 1), calendar=ENGLAND_AND_WALES).provisional is False


def test_a_limit_past_the_published_bank_holidays_is_provisional() -> None:
    reviews = [review("2028-12-28")]  # day 5 falls in January 2029, not yet published
    result = levels(reviews, date(2029, 3, 1))
    assert (result.open_past_limit, result.provisional) == (1, True)


def test_a_service_level_from_an_event() -> None:
    sign_off = ServiceLevel(
        name="sign-off",
        from_event=EventType.INITIAL_REVIEW_COMPLETED,
        to_event="signed_off",
        working_days=10,
    )
    reviews = [
        completed("2024-03-29"),  # day 10 after Friday 15 March is Friday 29 March: met
        review(events=allocated(NOTIFIED)),  # never reached the start: not counted
        review(
            events=[
                *initial_done(NOTIFIED),
                {"type": "closed", "on": "2024-03-20", "reason": "duplicate"},
            ]
        ),
    ]
    result = levels(reviews, date(2024, 6, 1), sign_off)
    assert result == ServiceLevelCounts(
        name="sign-off", started=2, met=1
    )  # closed: ended, not open


def test_service_levels_appear_only_when_asked_for() -> None:
    reviews = [review(body=None)]
    plain = dump(indicators(reviews, as_of=date(2024, 4, 1)))
    assert "service_levels" not in plain
    assert all("service_levels" not in group for group in plain["by_body"].values())
    asked = dump(indicators(reviews, as_of=date(2024, 4, 1), service_levels=[ALLOCATION]))
    assert asked["service_levels"] == [
        {"name": "allocation", "from_event": "notified", "to_event": "allocated", "working_days": 5}
    ]
    for group in (asked["total"], asked["by_body"]["unknown"], asked["by_ruleset"]["leder-2021"]):
        assert list(group) == [*CONTRACT_KEYS, "service_levels"]
        assert group["service_levels"] == [
            {
                "name": "allocation",
                "started": 1,
                "met": 0,
                "late": 0,
                "open_past_limit": 1,
                "provisional": False,
            }
        ]


def test_service_level_names_must_be_unique() -> None:
    with pytest.raises(InvalidInput) as refused:
        indicators([], as_of=date(2025, 1, 1), service_levels=[ALLOCATION, ALLOCATION])
    assert refused.value.problems[0].path == "$.service_levels[1].name"


def test_a_service_level_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as refused:
        ServiceLevel(name="", from_event="told", to_event="allocated", working_days=-1)
    assert [problem.path for problem in refused.value.problems] == [
        "$.name",
        "$.from_event",
        "$.working_days",
    ]
    with pytest.raises(InvalidInput) as same:
        ServiceLevel(name="x", from_event="allocated", to_event="allocated", working_days=1)
    assert same.value.problems[0].path == "$.to_event"


def test_the_module_examples_hold() -> None:
    import doctest

    from leder_core.models import indicators as models
    from leder_core.rules import indicators as rules

    assert doctest.testmod(models).failed == 0
    assert doctest.testmod(rules).failed == 0


# --- presentation (leder_core.render.indicators) --------------------------------------------------


def test_the_text_table_has_a_row_per_group_and_shares_as_percentages() -> None:
    from leder_core.render.indicators import format_indicators_text

    reviews = [completed("2024-05-01"), completed("2024-10-01", body="QOP")]
    reviews.append(review("2024-11-01", body=None))  # not yet due
    result = indicators(reviews, as_of=date(2024, 12, 1))
    text = format_indicators_text(result, by_body=False)
    lines = text.splitlines()
    assert lines[0] == "LeDeR indicators as of 2024-12-01"
    assert lines[1].startswith("interpretation: autism_start_key=date_of_death,")
    assert [line.split()[0] for line in lines[5:]] == ["total", "leder-2021"]
    assert "50.0%" in lines[5]  # one of the two due was completed within six months
    with_bodies = format_indicators_text(result, by_body=True, names={"QE1": "Lancashire"})
    labels = [line.split()[0] for line in with_bodies.splitlines()[5:]]
    assert labels == ["total", "leder-2021", "QE1", "QOP", "unknown"]
    assert "QE1 Lancashire" in with_bodies
    unknown = with_bodies.splitlines()[-1].split()
    assert unknown[-5] == "-"  # nothing due: no share
    assert unknown[-1] == "-"  # nothing completed: no median


def test_the_text_table_says_when_interpretations_were_mixed_and_shows_service_levels() -> None:
    from leder_core.render.indicators import format_indicators_text

    reviews = [
        load_review(review("2028-12-28")),
        load_review(review(), interpretation={"clock": "stop"}),
    ]
    result = indicators(reviews, as_of=date(2029, 3, 1), service_levels=[ALLOCATION])
    text = format_indicators_text(result, by_body=False)
    assert "interpretation: mixed" in text
    assert "service level allocation: notified to allocated within 5 working days" in text
    total_row = text.splitlines()[-2].split()
    assert total_row == ["total", "2", "0", "0", "2", "*"]  # both open past the limit; provisional


def test_csv_rows_are_a_header_and_one_row_per_group_unrounded() -> None:
    from leder_core.render.indicators import indicators_csv_rows

    reviews = [completed("2024-05-01"), completed("2024-10-01", body="QOP")]
    reviews.append(review("2024-11-01", body=None))  # not yet due
    result = indicators(reviews, as_of=date(2024, 12, 1))
    rows = list(indicators_csv_rows(result, by_body=True))
    assert rows[0] == ["group", "key", *CONTRACT_KEYS]
    assert [row[:2] for row in rows[1:]] == [
        ["total", ""],
        ["ruleset", "leder-2021"],
        ["body", "QE1"],
        ["body", "QOP"],
        ["body", "unknown"],
    ]
    share = rows[0].index("within_six_months_share")
    assert rows[1][share] == "0.5"
    assert rows[-1][share] == ""  # null
    assert len(list(indicators_csv_rows(result, by_body=False))) == 3
    with_levels = indicators(reviews, as_of=date(2024, 12, 1), service_levels=[ALLOCATION])
    header, first, *_ = indicators_csv_rows(with_levels, by_body=False)
    assert header[-5:] == [
        "allocation.started",
        "allocation.met",
        "allocation.late",
        "allocation.open_past_limit",
        "allocation.provisional",
    ]
    assert first[-5:] == ["3", "2", "0", "1", "false"]  # 1 November: not yet allocated
