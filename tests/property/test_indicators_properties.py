"""Properties of the indicators (rules §10, §13) over review sets Hypothesis generates.

Reviews come from two sources: hand-scripted documents (any notification date from 2015, any
body or none, LeDeR reviews, regional decisions and outcomes out of scope, with a random
prefix of a plausible event script including holds and closures), and slices of the synthetic
programme (:mod:`leder_core.sample`) under a random seed.

"Sum over a partition": counts add; the share is recomputed from the summed counts
(``completed_within_six_months / due``); the median is read from the merged counts of days to
completion. :class:`~leder_core.rules.indicators.Tally` is exactly that sum, so the tallies of
the parts, added, must give the indicators of the whole.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from leder_core import Interpretation, load_review
from leder_core.api import indicators, tally
from leder_core.bodies import body_on
from leder_core.interpretation import Clock
from leder_core.models.bodies import (
    Directory,
    DirectoryEntry,
    OrganisationKind,
    ParentLink,
    Succession,
)
from leder_core.models.indicators import Counts, Indicators
from leder_core.rules.indicators import median_of
from leder_core.sample import sample_reviews

COUNT_KEYS = (
    "notified",
    "in_scope",
    "unallocated",
    "in_progress",
    "incomplete",
    "completed",
    "closed",
    "due",
    "completed_within_six_months",
    "backlog",
    "backlog_excused",
    "backlog_unexcused",
)
BODIES = ("QE1", "QOP", "QHM", "06K", "10C", "QM7", "QU9", "00W", "D4U1Y", "ZZZ9", None)
PROCESSES = ("coroner_inquest", "safeguarding_enquiry", "family_requested_delay")


def _on(day: date) -> str:
    return day.isoformat()


@st.composite
def scripted_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A review document with a random prefix of a plausible event script."""
    notified = draw(st.dates(date(2015, 6, 1), date(2026, 6, 30)))
    kind = draw(st.sampled_from(["adult", "adult", "adult", "child", "no_gp", "not_ld"]))
    person = {
        "date_of_birth": "2012-01-01" if kind == "child" else "1960-05-05",
        "date_of_death": _on(notified - timedelta(days=draw(st.integers(0, 30)))),
        "learning_disability": kind != "not_ld",
        "autism": "none",
        "ethnicity": draw(st.sampled_from(["A", "N", None])),
        "lived_in_england": True,
        "gp_registered": kind != "no_gp",
    }
    script: list[dict[str, Any]] = []
    day = notified

    def later(most: int) -> str:
        nonlocal day
        day += timedelta(days=draw(st.integers(0, most)))
        return _on(day)

    if kind == "no_gp" and notified >= date(2021, 6, 1):
        script.append(
            {"type": "regional_decision", "on": later(60), "proceed": draw(st.booleans())}
        )
    held = draw(st.sampled_from([None, *PROCESSES]))
    script.append({"type": "allocated", "on": later(400), "reviewer": "R-1"})
    if held:
        script.append({"type": "hold_placed", "on": later(100), "process": held})
    for contact in ("family", "gp", "other_professional"):
        script.append({"type": "contact_recorded", "on": later(40), "contact": contact})
    if held:
        script.append({"type": "hold_lifted", "on": later(300), "process": held})
    if draw(st.integers(0, 9)) == 0:
        script.append({"type": "closed", "on": later(60), "reason": "withdrawn_ineligible"})
    completion = {"type": "initial_review_completed", "concerns": False, "further_learning": False}
    script.append({**completion, "on": later(150)})
    if person["ethnicity"] == "N":  # a mandatory deeper review; else this event is refused
        script.append({"type": "focused_review_completed", "on": later(100)})
    script.append({"type": "signed_off", "on": later(90), "by": "governance_group", "actions": [],
                   "no_actions_reason": "none needed"})  # fmt: skip
    events = script[: draw(st.integers(0, len(script)))]
    return {
        "notification": {
            "id": f"H-{draw(st.integers(0, 10**6))}",
            "notified_on": _on(notified),
            "notifier_role": "family",
            "person": person,
            "responsible_body": draw(st.sampled_from(BODIES)),
        },
        "events": events,
    }


@functools.lru_cache(maxsize=64)
def _programme(seed: int, count: int) -> tuple[Any, ...]:
    return tuple(load_review(document) for document in sample_reviews(seed=seed, count=count))


programme_reviews = st.builds(
    lambda seed, count: list(_programme(seed, count)),
    st.integers(0, 40),
    st.integers(0, 80),
)
review_sets = st.one_of(
    st.lists(scripted_documents().map(load_review), max_size=25),
    programme_reviews,
    st.tuples(programme_reviews, st.lists(scripted_documents().map(load_review), max_size=8)).map(
        lambda pair: pair[0] + pair[1]
    ),
)
as_of_dates = st.dates(date(2015, 1, 1), date(2028, 12, 31))


def check_invariants(counts: Counts) -> None:
    for key in COUNT_KEYS:
        assert 0 <= getattr(counts, key) <= counts.notified
    assert counts.in_scope == (
        counts.unallocated + counts.in_progress + counts.completed + counts.closed
    )
    assert counts.incomplete == counts.unallocated + counts.in_progress
    assert counts.completed_within_six_months + counts.backlog <= counts.due
    assert counts.due <= counts.in_scope - counts.closed
    assert counts.backlog_excused + counts.backlog_unexcused == counts.backlog
    share = counts.within_six_months_share
    assert (share is None) == (counts.due == 0)
    if share is not None:
        assert 0.0 <= share <= 1.0
        assert share == counts.completed_within_six_months / counts.due
    median = counts.median_days_to_completion
    assert (median is None) == (counts.completed == 0)
    if median is not None:
        assert median >= 0
        assert isinstance(median, float)


@given(review_sets, as_of_dates)
def test_every_count_is_between_zero_and_notified_and_consistent(
    reviews: list[Any], as_of: date
) -> None:
    result = indicators(reviews, as_of=as_of)
    for counts in (result.total, *result.by_body.values(), *result.by_ruleset.values()):
        check_invariants(counts)
    assert result.total.notified == sum(
        1 for review in reviews if review.notification.notified_on <= as_of
    )


@given(review_sets, as_of_dates)
def test_the_groups_by_body_are_the_indicators_of_each_body_alone(
    reviews: list[Any], as_of: date
) -> None:
    result = indicators(reviews, as_of=as_of)
    parts: dict[str, list[Any]] = {}
    for review in reviews:
        if review.notification.notified_on <= as_of:
            key = body_on(review.notification.responsible_body, as_of).key
            parts.setdefault(key, []).append(review)
    assert set(result.by_body) == set(parts)
    days: Counter[int] = Counter()
    for key, part in parts.items():
        alone = indicators(part, as_of=as_of).total
        assert result.by_body[key] == alone
        days += tally(part, as_of=as_of).total.days
    # The sum over the partition: counts add, the share and the median are recomputed.
    total = result.total
    for key in COUNT_KEYS:
        assert getattr(total, key) == sum(
            getattr(counts, key) for counts in result.by_body.values()
        )
    due = sum(counts.due for counts in result.by_body.values())
    within = sum(counts.completed_within_six_months for counts in result.by_body.values())
    assert total.within_six_months_share == (within / due if due else None)
    assert total.median_days_to_completion == median_of(days)


@given(review_sets, as_of_dates, st.data())
def test_tallies_of_any_partition_add_up_to_the_whole(
    reviews: list[Any], as_of: date, data: st.DataObject
) -> None:
    labels = data.draw(st.lists(st.integers(0, 3), min_size=len(reviews), max_size=len(reviews)))
    parts: list[list[Any]] = [[], [], [], []]
    for review, label in zip(reviews, labels, strict=True):
        parts[label].append(review)
    tallies = [tally(part, as_of=as_of) for part in parts]
    summed = tallies[0] + tallies[1] + tallies[2] + tallies[3]
    assert summed.indicators() == indicators(reviews, as_of=as_of)


@given(review_sets, as_of_dates)
def test_a_stream_gives_what_a_list_gives(reviews: list[Any], as_of: date) -> None:
    from_list = indicators(reviews, as_of=as_of)
    assert indicators(iter(reviews), as_of=as_of) == from_list
    assert indicators((review for review in reviews), as_of=as_of) == from_list


@given(st.lists(scripted_documents(), max_size=12), as_of_dates)
def test_documents_give_what_their_reviews_give(documents: list[Any], as_of: date) -> None:
    loaded = [load_review(document) for document in documents]
    assert indicators(documents, as_of=as_of) == indicators(loaded, as_of=as_of)


@given(review_sets, as_of_dates, st.sampled_from([None, *Clock]))
def test_the_interpretation_is_recorded(
    reviews: list[Any], as_of: date, clock: Clock | None
) -> None:
    given_one = None if clock is None else Interpretation(clock=clock, due_soon_days=3)
    result: Indicators = indicators(reviews, as_of=as_of, interpretation=given_one)
    if given_one is not None:
        assert result.interpretation == given_one
    else:
        # Every review here was loaded under the defaults.
        assert result.interpretation == Interpretation()


@given(review_sets, as_of_dates)
def test_stopping_the_clock_never_adds_to_due_or_backlog(reviews: list[Any], as_of: date) -> None:
    # Under `stop` a due date only moves later, or there is none while a hold is open.
    excuse = indicators(reviews, as_of=as_of, interpretation={"clock": "excuse"}).total
    stop = indicators(reviews, as_of=as_of, interpretation={"clock": "stop"}).total
    assert stop.due <= excuse.due
    assert stop.backlog <= excuse.backlog
    assert stop.backlog_excused == 0
    for key in ("notified", "in_scope", "unallocated", "in_progress", "completed", "closed"):
        assert getattr(stop, key) == getattr(excuse, key)  # the clock changes no state


@given(review_sets, as_of_dates, st.integers(1, 400))
def test_notified_and_completed_only_grow_with_the_date(
    reviews: list[Any], as_of: date, days: int
) -> None:
    before = indicators(reviews, as_of=as_of).total
    after = indicators(reviews, as_of=as_of + timedelta(days=days)).total
    assert before.notified <= after.notified
    assert before.completed <= after.completed
    assert before.completed_within_six_months <= after.completed_within_six_months


CODES = ("06K", "QM7", "QU9", "S1Y5D", "A1", "B22", "C333", "D4U1Y", "QE1")
any_day = st.dates(date(2012, 1, 1), date(2030, 12, 31))


@st.composite
def directories(draw: st.DrawFn) -> Directory:
    """Any directory, however odd: overlapping entries, circular successions, splits, parents
    that are not in it, entries that end before they begin."""
    records = []
    for _ in range(draw(st.integers(0, 12))):
        first = draw(any_day)
        records.append(
            DirectoryEntry(
                code=draw(st.sampled_from(CODES)),
                name="Some body",
                kind=draw(st.sampled_from(list(OrganisationKind))),
                first=first,
                last=draw(st.none() | any_day),
                parents=tuple(
                    ParentLink(
                        from_=draw(any_day),
                        to=draw(st.none() | any_day),
                        code=draw(st.sampled_from(CODES)),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
            )
        )
    successions = [
        Succession(
            on=draw(any_day), from_=draw(st.sampled_from(CODES)), to=draw(st.sampled_from(CODES))
        )
        for _ in range(draw(st.integers(0, 10)))
    ]
    return Directory(
        records=tuple(records), successions=tuple(successions), source="test", licence="test"
    )


@given(review_sets, as_of_dates, directories())
def test_the_groups_by_body_add_up_to_the_total_whatever_the_directory(
    reviews: list[Any], as_of: date, directory: Directory
) -> None:
    result = indicators(reviews, as_of=as_of, directory=directory)
    for key in COUNT_KEYS:
        assert getattr(result.total, key) == sum(
            getattr(counts, key) for counts in result.by_body.values()
        )
    assert result.total.notified == sum(
        1 for review in reviews if review.notification.notified_on <= as_of
    )
    for key in result.by_body:
        assert (
            key == "unknown"
            or key.startswith(("unknown:", "unresolved:"))
            or key in {record.code for record in directory.records}
        )
