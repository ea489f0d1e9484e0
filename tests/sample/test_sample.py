"""The synthetic programme (``leder_core.sample``): deterministic, valid, programme-shaped.

The calibration tests compare the bundled sample with the published figures of
``research/history-and-interplay.md`` §A7/§C and ``research/policy-2021.md`` §5.
"""

from __future__ import annotations

import doctest
import json
from collections import Counter
from datetime import date
from itertools import islice
from typing import Any

import pytest

from leder_core import InvalidInput, assess, indicators, load_notification, load_review
from leder_core import sample as sample_module
from leder_core.bodies import body_on, bundled_directory
from leder_core.models.assessment import ReviewLevel
from leder_core.models.bodies import OrganisationKind
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.review import Review
from leder_core.sample import PROGRAMME_START, SAMPLE_SEED, SAMPLE_UNTIL, sample_reviews
from leder_core.sample.figures import BODIES

ICB_CODES = {code for code, _ in BODIES}
FRIMLEY_CODES = {"D4U1Y", "QNQ"}


@pytest.fixture(scope="module")
def bundled(bundled_sample: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    return list(bundled_sample)  # a new list of the shared documents: never change one


@pytest.fixture(scope="module")
def bundled_reviews(bundled: list[dict[str, Any]]) -> list[Review]:
    return [load_review(document) for document in bundled]


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(sample_module).failed == 0


def test_the_same_seed_gives_the_same_documents() -> None:
    first = list(sample_reviews(seed=5, count=2000))
    second = list(sample_reviews(seed=5, count=2000))
    assert first == second
    assert json.dumps(first) == json.dumps(second)  # JSON-compatible, in the same key order


def test_different_seeds_give_different_documents() -> None:
    assert list(sample_reviews(seed=1, count=300)) != list(sample_reviews(seed=2, count=300))


def test_the_bundled_sample_is_the_default(bundled: list[dict[str, Any]]) -> None:
    assert date(2026, 10, 31) == SAMPLE_UNTIL
    assert list(islice(sample_reviews(seed=SAMPLE_SEED, until=SAMPLE_UNTIL), 50)) == bundled[:50]
    # A prefix of the stream does not depend on how much of it is read.
    assert 30_000 <= len(bundled) <= 45_000


def test_count_sets_the_number_of_documents() -> None:
    for count in (0, 1, 7, 1234):
        assert sum(1 for _ in sample_reviews(count=count)) == count


def test_the_documents_are_valid_json_in_date_order(bundled: list[dict[str, Any]]) -> None:
    dates = [document["notification"]["notified_on"] for document in bundled]
    assert dates == sorted(dates)
    assert dates[0] >= PROGRAMME_START.isoformat()
    assert dates[-1] <= SAMPLE_UNTIL.isoformat()
    ids = [document["notification"]["id"] for document in bundled]
    assert len(set(ids)) == len(ids)
    for document in bundled:
        assert set(document) == {"notification", "events"}
        for event in document["events"]:
            assert event["on"] <= SAMPLE_UNTIL.isoformat()  # nothing after `until`
    assert json.loads(json.dumps(bundled[:500])) == bundled[:500]


def test_every_document_loads_without_a_refused_event(bundled_reviews: list[Review]) -> None:
    refused = [review.notification.id for review in bundled_reviews if review.refused]
    assert refused == []


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_other_seeds_and_dates_load_without_a_refused_event(seed: int) -> None:
    for document in sample_reviews(seed=seed, until=date(2023, 2, 28), count=3000):
        assert load_review(document).refused is None


def test_each_review_goes_through_what_assess_says() -> None:
    # The generator asks assess for the outcome, level and holds; its events must follow them.
    deeper_signed_off = 0
    for document in sample_reviews(seed=11, count=3000):
        assessment = assess(load_notification(document["notification"]))
        events = document["events"]
        types = [event["type"] for event in events]
        if not assessment.outcome.in_scope:
            assert types == []
            continue
        held = {event["process"] for event in events if event["type"] == "hold_placed"}
        expected = {hold.value for hold in assessment.expected_holds}
        assert held <= expected | {"family_requested_delay"}
        deeper = assessment.review_level is not ReviewLevel.INITIAL
        signed_off = "signed_off" in types
        assert not (deeper and signed_off) or "focused_review_completed" in types
        deeper_signed_off += deeper and signed_off
    assert deeper_signed_off > 100


def test_nhs_numbers_are_synthetic_valid_or_absent(bundled: list[dict[str, Any]]) -> None:
    numbers = [document["notification"]["person"]["nhs_number"] for document in bundled]
    present = [number for number in numbers if number is not None]
    assert 0.85 < len(present) / len(numbers) < 0.97
    for number in present:
        digits = NhsNumber.parse(number).digits  # valid: modulus 11, not all one digit
        assert "9990000000" <= digits <= "9999999999"


def test_responsible_bodies_are_recorded_as_services_recorded_them(
    bundled: list[dict[str, Any]],
) -> None:
    bodies = Counter(document["notification"]["responsible_body"] for document in bundled)
    assert 0.005 < bodies[None] / len(bundled) < 0.02
    directory = bundled_directory()
    for document in bundled:
        notification = document["notification"]
        code = notification["responsible_body"]
        if code is None:
            continue
        on = date.fromisoformat(notification["notified_on"])
        kinds = {record.kind for record in directory.entries(code) if record.on(on)}
        if on < date(2022, 7, 1):  # the CCG existing on the notification date
            assert kinds == {OrganisationKind.CCG}, (code, on)
        else:  # a sub-ICB location or the ICB responsible on the date
            assert kinds & {OrganisationKind.SICBL, OrganisationKind.ICB}, (code, on)
            assert body_on(code, on).kind is not None or code in FRIMLEY_CODES
    recorded = set(bodies) - {None}
    assert recorded | {"QNQ"} >= ICB_CODES  # every ICB code of 2022 is recorded by some review
    assert {"00W", "10G", "06K", "D4U1Y", "U2G6B", "S1Y5D", "QM7"} <= recorded  # old and new


def test_the_sample_exercises_mergers_and_splits(bundled_reviews: list[Review]) -> None:
    result = indicators(bundled_reviews, as_of=date(2026, 6, 1))
    keys = set(result.by_body)
    assert {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "Z9B2Z", "unknown"} <= keys
    assert "unresolved:QM7" in keys  # recorded as the split ICB itself
    assert "unresolved:D4U1Y" in keys  # Frimley, split by area
    assert not keys & {"QM7", "QU9", "QNQ", "QJG"}  # abolished on 2026-03-31
    assert sum(counts.notified for counts in result.by_body.values()) == result.total.notified


def test_yearly_volumes_follow_the_programme(bundled: list[dict[str, Any]]) -> None:
    years = Counter(int(document["notification"]["notified_on"][:4]) for document in bundled)
    first_17_months = sum(
        1 for document in bundled if document["notification"]["notified_on"] <= "2017-11-30"
    )
    assert 1_100 <= first_17_months <= 1_600  # 1,311 published (T1)
    assert 2_800 <= years[2018] <= 3_500  # 2,926 in scope (T2)
    assert 2_800 <= years[2019] <= 3_500  # 2,843–3,060 in scope (T4)
    for year in range(2020, 2026):
        assert 3_000 <= years[year] <= 5_000


def test_the_mix_is_the_programme_s(bundled_reviews: list[Review]) -> None:
    count = len(bundled_reviews)
    outcomes = Counter(review.assessment.outcome.value for review in bundled_reviews)
    assert 0.04 < outcomes["child_death_review"] / count < 0.08
    assert 0.85 < (outcomes["leder_review"] + outcomes["regional_decision"]) / count < 0.95
    assert outcomes["no_review_opt_out"] > 0
    assert outcomes["out_of_scope"] > 0
    assert outcomes["regional_decision"] > 0
    people = [review.notification.person for review in bundled_reviews]
    minority = sum(
        1 for person in people if person.ethnicity and person.ethnicity.value in "DEFGHJKLMNPRS"
    )
    assert 0.10 < minority / count < 0.15
    autistic = [
        review
        for review in bundled_reviews
        if review.notification.person.date_of_death >= date(2022, 1, 1)
    ]
    autistic_only = sum(
        1
        for review in autistic
        if not review.notification.person.learning_disability
        and review.notification.person.autism.value == "diagnosed"
    )
    # The programme: 36 of 3,648 in 2022 (1.0%), 53 of 3,556 in 2023 (1.5%).
    assert 0.007 < autistic_only / len(autistic) < 0.018
    held = sum(1 for review in bundled_reviews if review.holds)
    assert 0.08 < held / count < 0.2


def test_the_incomplete_reviews_in_november_2019_are_near_the_published_3802(
    bundled_reviews: list[Review],
) -> None:
    # 3,802 reviews not completed in November 2019: unallocated or in progress (`incomplete`),
    # not the overdue `backlog`, for which no national figure is published.
    november = indicators(bundled_reviews, as_of=date(2019, 11, 30)).total
    assert 3_802 * 0.9 <= november.incomplete <= 3_802 * 1.1
    assert november.backlog < november.incomplete
    december = indicators(bundled_reviews, as_of=date(2019, 12, 31)).total
    assert 3_195 * 0.85 <= december.completed <= 3_195 * 1.15  # 3,195 completed by then


def test_the_share_within_six_months_at_the_end_of_july_2025_is_about_35_percent(
    bundled_reviews: list[Review],
) -> None:
    result = indicators(bundled_reviews, as_of=date(2025, 7, 31))
    share = result.total.within_six_months_share
    assert share is not None
    assert 0.30 <= share <= 0.40  # the cumulative share over everything due by then
    under_2021 = result.by_ruleset["leder-2021"].within_six_months_share
    assert under_2021 is not None
    assert 0.30 <= under_2021 <= 0.45


def test_nearly_every_review_since_2017_due_by_august_2025_is_completed(
    bundled_reviews: list[Review],
) -> None:
    due = [
        review
        for review in bundled_reviews
        if date(2017, 1, 1) <= review.notification.notified_on <= date(2025, 2, 28)
    ]
    counts = indicators(due, as_of=date(2025, 8, 31)).total
    assert counts.completed / (counts.in_scope - counts.closed) >= 0.94


def test_bad_arguments_are_refused_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        sample_reviews(until=date(2016, 6, 30), count=-1)  # not even iterated
    assert [problem.path for problem in refused.value.problems] == ["$.until", "$.count"]
