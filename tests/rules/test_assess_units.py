"""Unit tests of the assessment's building blocks: age, month arithmetic, rule set selection,
the minority ethnic code lists, dated parameters and the rule registry."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from leder_core.interpretation import LeapDay, MinorityEthnic
from leder_core.models.assessment import RuleSetId
from leder_core.models.explanation import Citation
from leder_core.models.notification import EthnicCategory
from leder_core.rules import parameters
from leder_core.rules.age import age_at_death
from leder_core.rules.deadlines import add_calendar_months, six_month_due_date
from leder_core.rules.parameters import (
    ADULT_AGE,
    AUTISM_FOCUSED_MANDATORY,
    AUTISM_QUALIFIES,
    DOLS_IS_STATE_DETENTION,
    MINIMUM_AGE,
    REVIEW_MONTHS,
    RULESET_BY_NOTIFICATION_DATE,
    YOUNG_ADULT_MAXIMUM_AGE,
    Dated,
    Parameter,
)
from leder_core.rules.pathway import MINORITY_ETHNIC_CODES
from leder_core.rules.registry import (
    RULES,
    Confidence,
    Rule,
    as_decisive,
    define_rule,
    rule,
)
from leder_core.rules.rulesets import RULESETS, select_ruleset
from leder_core.rules.sources import SOURCES

EARLIEST = date(1880, 1, 1)
LATEST = date(2199, 12, 31)
LEAP_YEARS = [year for year in range(EARLIEST.year, LATEST.year + 1) if year % 4 == 0]
LEAP_YEARS = [year for year in LEAP_YEARS if year % 100 != 0 or year % 400 == 0]
CITATION = Citation(title="A source", url="https://example.org/source")

# --- AGE-AT-DEATH ---------------------------------------------------------------------------


def _is_leap(year: int) -> bool:
    try:
        date(year, 2, 29)
    except ValueError:
        return False
    return True


def _birthday(born: date, age: int, leap_day: LeapDay) -> date:
    """The day a person attains ``age``: the anniversary of their birth, by the calendar."""
    year = born.year + age
    if (born.month, born.day) == (2, 29) and not _is_leap(year):
        return date(year, 3, 1) if leap_day is LeapDay.MARCH_1 else date(year, 2, 28)
    return born.replace(year=year)


def reference_age(born: date, died: date, leap_day: LeapDay) -> int:
    """A naive reference: count the birthdays reached, one year at a time."""
    age = 0
    while born.year + age + 1 <= 9999 and _birthday(born, age + 1, leap_day) <= died:
        age += 1
    return age


lifetimes = st.dates(EARLIEST, LATEST).flatmap(
    lambda born: st.tuples(st.just(born), st.dates(born, LATEST))
)
#: A death at least a day after the birth, so the birth can move a day later.
lives_of_a_day_or_more = st.dates(EARLIEST, LATEST - timedelta(days=1)).flatmap(
    lambda born: st.tuples(st.just(born), st.dates(born + timedelta(days=1), LATEST))
)
leap_day_births = st.sampled_from(LEAP_YEARS).map(lambda year: date(year, 2, 29))
leap_day_lifetimes = leap_day_births.flatmap(
    lambda born: st.tuples(
        st.just(born),
        st.one_of(
            st.dates(born, LATEST),
            # 28 February and 1 March of every later year: where the conventions part.
            st.integers(born.year + 1, LATEST.year).flatmap(
                lambda year: st.sampled_from([date(year, 2, 28), date(year, 3, 1)])
            ),
        ),
    )
)


@given(lifetimes, st.sampled_from(LeapDay))
def test_age_is_the_number_of_birthdays_reached(lifetime: tuple[date, date], leap: LeapDay) -> None:
    born, died = lifetime
    assert age_at_death(born, died, leap) == reference_age(born, died, leap)


@given(leap_day_lifetimes, st.sampled_from(LeapDay))
def test_age_of_someone_born_on_29_february(lifetime: tuple[date, date], leap: LeapDay) -> None:
    born, died = lifetime
    assert age_at_death(born, died, leap) == reference_age(born, died, leap)


@given(leap_day_lifetimes)
def test_the_leap_day_conventions_differ_only_on_28_february_of_a_common_year(
    lifetime: tuple[date, date],
) -> None:
    born, died = lifetime
    march = age_at_death(born, died, LeapDay.MARCH_1)
    february = age_at_death(born, died, LeapDay.FEBRUARY_28)
    if (died.month, died.day) == (2, 28) and not _is_leap(died.year) and died.year > born.year:
        assert february == march + 1
    else:
        assert february == march


@given(lifetimes, st.integers(0, 400), st.sampled_from(LeapDay))
def test_age_never_falls_as_the_date_of_death_moves_later(
    lifetime: tuple[date, date], days: int, leap: LeapDay
) -> None:
    born, died = lifetime
    later = min(died + timedelta(days=days), LATEST)
    earlier_age = age_at_death(born, died, leap)
    later_age = age_at_death(born, later, leap)
    assert earlier_age <= later_age <= earlier_age + 1 + days // 365


@given(lives_of_a_day_or_more, st.sampled_from(LeapDay))
def test_age_never_rises_as_the_birth_moves_later(
    lifetime: tuple[date, date], leap: LeapDay
) -> None:
    born, died = lifetime
    assert age_at_death(born + timedelta(days=1), died, leap) <= age_at_death(born, died, leap)


@given(st.dates(EARLIEST, LATEST), st.sampled_from(LeapDay))
def test_age_on_the_day_of_birth_is_0(born: date, leap: LeapDay) -> None:
    assert age_at_death(born, born, leap) == 0


@pytest.mark.parametrize(
    ("born", "died", "leap", "age"),
    [
        (date(2004, 2, 29), date(2022, 2, 28), LeapDay.MARCH_1, 17),
        (date(2004, 2, 29), date(2022, 3, 1), LeapDay.MARCH_1, 18),
        (date(2004, 2, 29), date(2022, 2, 28), LeapDay.FEBRUARY_28, 18),
        (date(2004, 2, 29), date(2022, 2, 27), LeapDay.FEBRUARY_28, 17),
        # A leap year: the birthday is 29 February itself, under either convention.
        (date(2016, 2, 29), date(2020, 2, 28), LeapDay.FEBRUARY_28, 3),
        (date(2016, 2, 29), date(2020, 2, 29), LeapDay.MARCH_1, 4),
        # 2100 is not a leap year.
        (date(2096, 2, 29), date(2100, 2, 28), LeapDay.MARCH_1, 3),
        (date(2096, 2, 29), date(2100, 2, 28), LeapDay.FEBRUARY_28, 4),
        # 2000 is.
        (date(1996, 2, 29), date(2000, 2, 28), LeapDay.FEBRUARY_28, 3),
        # The first year of life: 28 February of a common year is not yet a birthday.
        (date(2020, 2, 29), date(2021, 2, 28), LeapDay.MARCH_1, 0),
        (date(2020, 2, 29), date(2021, 2, 28), LeapDay.FEBRUARY_28, 1),
        (date(2006, 6, 2), date(2024, 6, 1), LeapDay.MARCH_1, 17),
        (date(2006, 6, 2), date(2024, 6, 2), LeapDay.MARCH_1, 18),
        (date(1880, 1, 1), date(2199, 12, 31), LeapDay.MARCH_1, 319),
    ],
)
def test_age_at_its_edges(born: date, died: date, leap: LeapDay, age: int) -> None:
    assert age_at_death(born, died, leap) == age


def test_the_default_leap_day_convention_is_1_march() -> None:
    assert age_at_death(date(2004, 2, 29), date(2022, 2, 28)) == 17


# --- DEAD-SIX-MONTHS: add_calendar_months ---------------------------------------------------


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-240, 240))
def test_calendar_months_agree_with_relativedelta(start: date, months: int) -> None:
    # dateutil clips to the end of a shorter month too; the convention is the rulebook's (§7).
    assert add_calendar_months(start, months) == start + relativedelta(months=months)


def test_six_months_agree_with_relativedelta_on_every_day_1900_to_2100() -> None:
    day, last, six = date(1900, 1, 1), date(2100, 12, 31), relativedelta(months=6)
    while day <= last:
        assert add_calendar_months(day, 6) == day + six, day
        day += timedelta(days=1)


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(0, 240))
def test_calendar_months_clamp_only_when_the_day_does_not_exist(start: date, months: int) -> None:
    result = add_calendar_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    if result.day != start.day:
        assert result.day < start.day
        assert (result + timedelta(days=1)).day == 1  # the last day of its month
    assert add_calendar_months(start, 0) == start


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2023, 8, 29), date(2024, 2, 29)),
        (date(2024, 8, 29), date(2025, 2, 28)),
        (date(2024, 8, 30), date(2025, 2, 28)),
        (date(2024, 3, 31), date(2024, 9, 30)),
        (date(2023, 12, 31), date(2024, 6, 30)),
        (date(2023, 7, 1), date(2024, 1, 1)),
        (date(2099, 8, 31), date(2100, 2, 28)),
        (date(2199, 12, 31), date(2200, 6, 30)),
    ],
)
def test_six_month_due_dates(notified: date, due: date) -> None:
    assert add_calendar_months(notified, 6) == due
    computed, reason = six_month_due_date(notified)
    assert computed == due
    assert reason.rule == "DEAD-SIX-MONTHS"
    assert reason.holds
    assert due.isoformat() in reason.text


# --- RS-SELECT ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        (date(1880, 1, 1), None),
        (date(2016, 6, 30), None),
        (date(2016, 7, 1), RuleSetId.LEDER_2016),
        (date(2019, 1, 1), RuleSetId.LEDER_2016),
        (date(2021, 5, 31), RuleSetId.LEDER_2016),
        (date(2021, 6, 1), RuleSetId.LEDER_2021),
        (date(2199, 12, 31), RuleSetId.LEDER_2021),
    ],
)
def test_select_ruleset_at_its_boundaries(notified: date, expected: RuleSetId | None) -> None:
    ruleset, reason = select_ruleset(notified)
    assert reason.rule == "RS-SELECT"
    assert reason.citations
    if expected is None:
        assert ruleset is None
        assert reason.decisive
        assert not reason.holds
    else:
        assert ruleset is not None
        assert ruleset.id is expected
        assert ruleset is RULESETS[expected]
        assert reason.holds
        assert not reason.decisive


@given(st.dates(EARLIEST, LATEST))
def test_select_ruleset_agrees_with_the_rule_sets_own_dates(notified: date) -> None:
    ruleset, _ = select_ruleset(notified)
    inside = [
        candidate.id
        for candidate in RULESETS.values()
        if candidate.effective_from <= notified
        and (candidate.effective_to is None or notified <= candidate.effective_to)
    ]
    assert inside == ([] if ruleset is None else [ruleset.id])


def test_rule_sets_are_contiguous() -> None:
    first, second = RULESETS[RuleSetId.LEDER_2016], RULESETS[RuleSetId.LEDER_2021]
    assert first.effective_to is not None
    assert first.effective_to + timedelta(days=1) == second.effective_from
    assert first.deeper_level.value == "multi_agency"
    assert second.deeper_level.value == "focused"
    assert str(first) == "leder-2016"


# --- MINORITY_ETHNIC_CODES ------------------------------------------------------------------


def _codes(letters: str) -> frozenset[EthnicCategory]:
    return frozenset(EthnicCategory(letter) for letter in letters)


def test_minority_ethnic_codes_by_default_are_d_to_s() -> None:
    assert MINORITY_ETHNIC_CODES[MinorityEthnic.EXCLUDING_WHITE_MINORITIES] == _codes(
        "DEFGHJKLMNPRS"
    )


def test_minority_ethnic_codes_all_but_white_british_are_b_to_s() -> None:
    assert MINORITY_ETHNIC_CODES[MinorityEthnic.ALL_EXCEPT_WHITE_BRITISH] == _codes(
        "BCDEFGHJKLMNPRS"
    )


def test_the_two_choices_differ_by_the_white_minorities_only() -> None:
    default = MINORITY_ETHNIC_CODES[MinorityEthnic.EXCLUDING_WHITE_MINORITIES]
    broad = MINORITY_ETHNIC_CODES[MinorityEthnic.ALL_EXCEPT_WHITE_BRITISH]
    assert broad - default == {EthnicCategory.WHITE_IRISH, EthnicCategory.WHITE_OTHER}
    assert default < broad
    assert set(MINORITY_ETHNIC_CODES) == set(MinorityEthnic)
    unrecorded = {EthnicCategory.WHITE_BRITISH, EthnicCategory.NOT_STATED, EthnicCategory.NOT_KNOWN}
    for codes in MINORITY_ETHNIC_CODES.values():
        assert not codes & unrecorded
    assert broad | unrecorded == set(EthnicCategory)


# --- Dated parameters -----------------------------------------------------------------------


def _parameter(*starts: date) -> Parameter[int]:
    timeline = tuple(Dated(start, index, CITATION) for index, start in enumerate(starts))
    return Parameter("test", "A parameter for the tests.", timeline)


def test_a_parameter_has_no_entry_before_its_first() -> None:
    values = _parameter(date(2016, 7, 1), date(2021, 6, 1))
    assert values.entry_at(date(2016, 6, 30)) is None
    with pytest.raises(LookupError):
        values.at(date(2016, 6, 30))


def test_a_parameter_changes_on_each_start_date() -> None:
    values = _parameter(date(2016, 7, 1), date(2021, 6, 1))
    assert values.at(date(2016, 7, 1)) == 0
    assert values.at(date(2021, 5, 31)) == 0
    assert values.at(date(2021, 6, 1)) == 1
    assert values.at(date(2199, 12, 31)) == 1
    entry = values.entry_at(date(2021, 6, 1))
    assert entry is not None
    assert entry.effective_from == date(2021, 6, 1)
    assert entry.citation == CITATION


@pytest.mark.parametrize(
    "starts",
    [
        (),
        (date(2021, 6, 1), date(2016, 7, 1)),
        (date(2016, 7, 1), date(2016, 7, 1)),
        (date(2016, 7, 1), date(2021, 6, 1), date(2021, 6, 1)),
        (date(2016, 7, 1), date(2022, 1, 1), date(2021, 6, 1)),
    ],
    ids=["empty", "unsorted", "duplicate", "duplicate-last", "unsorted-last"],
)
def test_a_parameter_refuses_a_bad_timeline(starts: tuple[date, ...]) -> None:
    with pytest.raises(ValueError, match="test"):
        _parameter(*starts)


ALL_PARAMETERS = [
    value for value in vars(parameters).values() if isinstance(value, parameters.Parameter)
]


@pytest.mark.parametrize("parameter", ALL_PARAMETERS, ids=lambda parameter: parameter.name)
def test_every_parameter_cites_a_known_source(parameter: Parameter[object]) -> None:
    assert parameter.timeline
    known = set(SOURCES.values())
    for entry in parameter.timeline:
        assert entry.citation in known


@pytest.mark.parametrize(
    ("parameter", "day", "value"),
    [
        (RULESET_BY_NOTIFICATION_DATE, date(2016, 7, 1), RuleSetId.LEDER_2016),
        (RULESET_BY_NOTIFICATION_DATE, date(2021, 5, 31), RuleSetId.LEDER_2016),
        (RULESET_BY_NOTIFICATION_DATE, date(2021, 6, 1), RuleSetId.LEDER_2021),
        (MINIMUM_AGE, date(2016, 7, 1), 4),
        (ADULT_AGE, date(2016, 7, 1), 18),
        (YOUNG_ADULT_MAXIMUM_AGE, date(2021, 5, 31), 24),
        (AUTISM_QUALIFIES, date(2021, 12, 31), False),
        (AUTISM_QUALIFIES, date(2022, 1, 1), True),
        (AUTISM_FOCUSED_MANDATORY, date(2021, 6, 1), True),
        (AUTISM_FOCUSED_MANDATORY, date(2023, 12, 31), True),
        (AUTISM_FOCUSED_MANDATORY, date(2024, 1, 1), False),
        (DOLS_IS_STATE_DETENTION, date(1880, 1, 1), True),
        (DOLS_IS_STATE_DETENTION, date(2017, 4, 2), True),
        (DOLS_IS_STATE_DETENTION, date(2017, 4, 3), False),
        (REVIEW_MONTHS, date(2016, 7, 1), 6),
        (REVIEW_MONTHS, date(2021, 6, 1), 6),
    ],
)
def test_the_rulebook_s_parameters(parameter: Parameter[object], day: date, value: object) -> None:
    assert parameter.at(day) == value


def test_the_rulebook_s_parameters_begin_with_the_programme_or_always() -> None:
    for parameter in (RULESET_BY_NOTIFICATION_DATE, MINIMUM_AGE, ADULT_AGE, REVIEW_MONTHS):
        assert parameter.entry_at(date(2016, 6, 30)) is None
    assert AUTISM_FOCUSED_MANDATORY.entry_at(date(2021, 5, 31)) is None
    assert AUTISM_QUALIFIES.entry_at(EARLIEST) is not None
    assert DOLS_IS_STATE_DETENTION.entry_at(EARLIEST) is not None


# --- The registry ---------------------------------------------------------------------------


def _rule_fields(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": "TEST-RULE",
        "title": "A rule for the tests",
        "text": "A rule that is never registered.",
        "section": "§0",
        "rulesets": (RuleSetId.LEDER_2021,),
        "citations": (CITATION,),
        "confidence": Confidence.INFERRED,
    }
    fields.update(changes)
    return fields


def test_a_rule_with_a_citation_can_be_made() -> None:
    made = Rule(**_rule_fields())  # type: ignore[arg-type]
    assert made.citations == (CITATION,)
    assert "TEST-RULE" not in RULES


def test_a_rule_without_a_citation_is_refused() -> None:
    with pytest.raises(ValueError, match="TEST-RULE"):
        Rule(**_rule_fields(citations=()))  # type: ignore[arg-type]


def test_a_rule_cannot_lose_its_citations_later() -> None:
    made = Rule(**_rule_fields())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="TEST-RULE"):
        attrs.evolve(made, citations=())


def test_a_rule_id_cannot_be_defined_twice() -> None:
    before = dict(RULES)
    with pytest.raises(ValueError, match="RS-SELECT"):
        define_rule(
            "RS-SELECT",
            title="A second RS-SELECT",
            text="Never registered.",
            section="§2",
            sources=("leder-policy-2021",),
            confidence=Confidence.CONFIRMED,
        )
    assert dict(RULES) == before
    assert rule("RS-SELECT").title == before["RS-SELECT"].title


def test_an_unknown_rule_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        rule("NO-SUCH-RULE")


def test_a_reason_made_decisive_keeps_everything_else() -> None:
    reason = rule("ELIG-GP").reason(True, "The person was registered with a GP.")
    decisive = as_decisive(reason)
    assert decisive.decisive
    assert not reason.decisive
    assert (decisive.rule, decisive.holds, decisive.text, decisive.citations) == (
        reason.rule,
        reason.holds,
        reason.text,
        reason.citations,
    )
    assert reason.citations == rule("ELIG-GP").citations
