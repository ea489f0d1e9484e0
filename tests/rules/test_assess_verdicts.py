"""``assess`` shares one evaluation of the rules between notifications with the same verdict
key: it must give exactly what evaluating every rule for that notification gives.

The checks run with a warm cache on purpose: many notifications that share a key but differ in
the exact facts the key leaves out (id, age within its class, dates within their spans), each
compared with the rule-by-rule evaluation (``_evaluate``), reasons included.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from leder_core.interpretation import (
    AutismFocused,
    AutismStartKey,
    Interpretation,
    LeapDay,
    MinorityEthnic,
    Residence,
)
from leder_core.models.notification import (
    AutismStatus,
    Detention,
    EthnicCategory,
    Notification,
    NotifierRole,
    OtherProcess,
    Person,
)
from leder_core.rules import assess as assess_module
from leder_core.rules.assess import DEFAULT_INTERPRETATION, _evaluate, assess
from leder_core.testing import interpretations, notifications

# Every date a parameter or rule set changes, with its neighbours, and a few ordinary dates.
_EDGES = (
    date(2016, 7, 1),
    date(2017, 4, 3),
    date(2021, 6, 1),
    date(2022, 1, 1),
    date(2024, 1, 1),
)
_DATES = (
    *(edge + timedelta(days=shift) for edge in _EDGES for shift in (-1, 0, 1)),
    date(2019, 8, 31),
    date(2024, 8, 31),
    date(2025, 2, 28),
    date(2020, 2, 29),
)
_AGES = (0, 3, 4, 5, 17, 18, 19, 24, 25, 26, 60, 99)
_PROCESSES = ((), (OtherProcess.CORONER_INQUEST,), tuple(OtherProcess)[:3])


def _born(died: date, age: int, rng: random.Random) -> date:
    """A birth date giving about ``age`` at ``died`` (sometimes a leap-day birth)."""
    if rng.random() < 0.15:
        year = died.year - age
        while year % 4 or (year % 100 == 0 and year % 400):
            year -= 1
        return date(year, 2, 29)
    return died - timedelta(days=int(age * 365.25) + rng.randint(-3, 3))


def _facts(rng: random.Random) -> dict[str, object]:
    """The facts of a person other than dates: few enough kinds that many notifications share
    them."""
    return {
        "learning_disability": rng.random() < 0.5,
        "autism": rng.choice(tuple(AutismStatus)),
        "ethnicity": rng.choice((None, *EthnicCategory)),
        "lived_in_england": rng.random() < 0.8,
        "died_in_england": rng.random() < 0.8,
        "gp_registered": rng.random() < 0.8,
        "national_data_opt_out": rng.random() < 0.2,
        "detention": rng.choice(tuple(Detention)),
    }


def _notification(rng: random.Random, index: int, facts: dict[str, object]) -> Notification:
    notified_on = rng.choice(_DATES)
    died = notified_on - timedelta(days=rng.choice((0, 1, 30, 200, 400)))
    if rng.random() < 0.3:
        died = rng.choice(_DATES)
        notified_on = max(notified_on, died)
    person = Person(
        date_of_birth=_born(died, rng.choice(_AGES), rng),
        date_of_death=died,
        **facts,  # type: ignore[arg-type]
    )
    return Notification(
        id=f"N-{index}",
        notified_on=notified_on,
        notifier_role=NotifierRole.FAMILY,
        person=person,
        other_processes=rng.choice(_PROCESSES),
    )


def _interpretation(rng: random.Random) -> Interpretation:
    if rng.random() < 0.4:
        return DEFAULT_INTERPRETATION
    return Interpretation(
        autism_start_key=rng.choice(tuple(AutismStartKey)),
        autism_focused=rng.choice(tuple(AutismFocused)),
        minority_ethnic=rng.choice(tuple(MinorityEthnic)),
        residence=rng.choice(tuple(Residence)),
        leap_day=rng.choice(tuple(LeapDay)),
    )


def test_shared_verdicts_equal_the_rule_by_rule_evaluation() -> None:
    rng = random.Random(20261204)  # noqa: S311 (seeded test data)
    people = [_facts(rng) for _ in range(40)]
    choices = [_interpretation(rng) for _ in range(6)]
    assess_module._VERDICTS.clear()
    shared = 0
    for index in range(20_000):
        notification = _notification(rng, index, rng.choice(people))
        chosen = rng.choice(choices)
        before = len(assess_module._VERDICTS)
        got = assess(notification, interpretation=chosen)
        shared += len(assess_module._VERDICTS) == before
        expected = _evaluate(notification, chosen)
        assert got == expected
        assert [(r.rule, r.holds, r.decisive, r.text) for r in got.reasons] == [
            (r.rule, r.holds, r.decisive, r.text) for r in expected.reasons
        ]
        assert got.interpretation is chosen
    # Most of these were answered from a shared evaluation, so the comparison tested it.
    assert shared > 10_000


def test_the_cache_starts_afresh_when_full() -> None:
    rng = random.Random(7)  # noqa: S311 (seeded test data)
    assess_module._VERDICTS.clear()
    limit = assess_module._MAX_VERDICTS
    try:
        assess_module._MAX_VERDICTS = 3  # type: ignore[misc]
        for index in range(200):
            notification = _notification(rng, index, _facts(rng))
            assert assess(notification) == _evaluate(notification, DEFAULT_INTERPRETATION)
            assert len(assess_module._VERDICTS) <= 3
    finally:
        assess_module._MAX_VERDICTS = limit  # type: ignore[misc]


@given(st.lists(st.tuples(notifications(), interpretations()), min_size=1, max_size=6))
def test_any_sequence_of_assessments_equals_the_evaluation(
    cases: list[tuple[Notification, Interpretation]],
) -> None:
    for notification, chosen in cases:
        assert assess(notification, interpretation=chosen) == _evaluate(notification, chosen)
        assert assess(notification) == _evaluate(notification, DEFAULT_INTERPRETATION)
