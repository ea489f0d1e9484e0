"""Properties of the governance check (rules §9) over arrangements Hypothesis generates."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from leder_core import (
    Interpretation,
    InvalidInput,
    check_governance,
    dump,
    load_governance,
    load_review,
)
from leder_core.bodies import bundled_directory
from leder_core.models.bodies import OrganisationKind
from leder_core.models.governance import ComplianceReport, RequirementStatus
from leder_core.rules.governance import GOVERNANCE_RULES
from leder_core.rules.governance.annual_reports import annual_report_years
from leder_core.rules.governance.lifetime import body_lifetime
from leder_core.rules.governance.parameters import GOVERNANCE_GROUP_DUE, QUALITY_REPORTING_DUE
from leder_core.rules.sources import SOURCES
from leder_core.testing import interpretations, json_values, ods_codes

ORDER = [rule.id for rule in GOVERNANCE_RULES]
KNOWN_CITATIONS = frozenset(SOURCES.values())
MET = RequirementStatus.MET

FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2028, 12, 31)
days = st.dates(FIRST_DAY, LAST_DAY)
iso_days = days.map(date.isoformat)
# Dates checked: any, but mostly the years in which the requirements fall due.
checked_days = st.one_of(days, st.dates(date(2021, 5, 1), date(2025, 12, 31)))


@st.composite
def action_plans(draw: st.DrawFn) -> dict[str, str]:
    start = draw(days)
    end = draw(st.dates(start, LAST_DAY))
    return {"from": start.isoformat(), "to": end.isoformat()}


# Dates near the 2021 deadlines, so that met, late and missing are all common.
around_2021 = st.one_of(iso_days, st.dates(date(2020, 12, 1), date(2021, 12, 31)).map(str))


@st.composite
def annual_reports(draw: st.DrawFn) -> dict[str, str]:
    """A report for a year from 2018/19 to 2027/28, mostly published within a year of its end."""
    start = draw(st.integers(2018, 2027))
    year_end = date(start + 1, 3, 31)
    published = draw(
        st.one_of(st.integers(-60, 400).map(lambda offset: year_end + timedelta(days=offset)), days)
    )
    return {"year": f"{start}/{(start + 1) % 100:02d}", "published_on": published.isoformat()}


reviewers = st.fixed_dictionaries(
    {"id": st.from_regex(r"R-[0-9]{1,2}", fullmatch=True)},
    optional={"trained_on": st.none() | iso_days},
)

arrangement_documents = st.fixed_dictionaries(
    {
        "body": st.fixed_dictionaries(
            {"code": ods_codes(), "kind": st.sampled_from(["ccg", "ics", "icb"])},
            optional={"name": st.none() | st.text(max_size=30)},
        )
    },
    optional={
        "governance_group_established_on": st.none() | around_2021,
        "executive_lead": st.none() | st.text(max_size=20),
        "local_area_contact": st.none() | st.text(max_size=20),
        "reviewers": st.lists(reviewers, max_size=4),
        "annual_reports": st.lists(annual_reports(), max_size=6),
        "action_plan": st.none() | action_plans(),
        "quality_reporting_from": st.none() | around_2021,
    },
)


def _review(
    notification_id: str,
    notified_on: date,
    *,
    ethnicity: str = "A",
    reviewer: str = "R-1",
    sign_off: dict[str, Any] | None = None,
    hold: bool = False,
) -> dict[str, Any]:
    step = notified_on + timedelta(days=2)
    events: list[dict[str, Any]] = [
        {
            "type": "allocated",
            "on": (notified_on + timedelta(days=1)).isoformat(),
            "reviewer": reviewer,
        }
    ]
    if hold:
        events.append({"type": "hold_placed", "on": step.isoformat(), "process": "coroner_inquest"})
    if sign_off is not None:
        for contact in ("family", "gp", "other_professional"):
            events.append({"type": "contact_recorded", "on": step.isoformat(), "contact": contact})
        events.append(
            {
                "type": "initial_review_completed",
                "on": step.isoformat(),
                "concerns": False,
                "further_learning": False,
            }
        )
        on = (notified_on + timedelta(days=100)).isoformat()
        if ethnicity == "N":
            events.append({"type": "focused_review_completed", "on": on})
        events.append({"type": "signed_off", "on": on, **sign_off})
    return {
        "notification": {
            "id": notification_id,
            "notified_on": notified_on.isoformat(),
            "notifier_role": "gp",
            "person": {
                "date_of_birth": "1970-01-01",
                "date_of_death": (notified_on - timedelta(days=2)).isoformat(),
                "learning_disability": True,
                "autism": "none",
                "ethnicity": ethnicity,
                "lived_in_england": True,
            },
        },
        "events": events,
    }


ACTION = {"description": "Act on the learning", "owner": "Lead", "due_on": "2024-01-31"}
REVIEW_DOCUMENTS = (
    _review("N-1", date(2021, 8, 1), sign_off={"by": "senior_reviewer"}),
    _review("N-2", date(2022, 2, 1), reviewer="R-2"),
    _review("N-3", date(2022, 9, 1), hold=True),
    _review(
        "N-4",
        date(2023, 3, 1),
        ethnicity="N",
        sign_off={"by": "governance_group", "actions": [ACTION]},
    ),
    _review(
        "N-5",
        date(2023, 6, 1),
        ethnicity="N",
        sign_off={"by": "governance_group", "no_actions_reason": "none needed"},
    ),
    _review("N-6", date(2020, 11, 1), reviewer="R-3", sign_off={"by": "senior_reviewer"}),
)
REVIEWS = tuple(load_review(document) for document in REVIEW_DOCUMENTS)
assert all(review.refused is None for review in REVIEWS)

review_selections = st.lists(st.sampled_from(range(len(REVIEWS))), unique=True, max_size=6)


def _check(document: dict[str, Any], as_of: date, **options: Any) -> ComplianceReport:
    return check_governance(document, as_of=as_of, **options)


def _judged_on_both(document: dict[str, Any], earlier: date, later: date) -> bool:
    """GOV-SUCCESSION: a body not formed yet, or ceased, is not judged on a date."""
    code = document["body"]["code"]
    return all(body_lifetime(bundled_directory(), code, day).judged for day in (earlier, later))


_RESPONSIBLE = {OrganisationKind.CCG, OrganisationKind.ICS, OrganisationKind.ICB}
#: Every CCG, ICS and ICB code of the bundled directory: formed by a succession or not,
#: ceased or not.
directory_codes = st.sampled_from(
    sorted({r.code for r in bundled_directory().records if r.kind in _RESPONSIBLE})
)


#: The requirements due by a fixed day: the field recording when each was met, and its due day.
FIXED_DEADLINES = {
    "GOV-GROUP": ("governance_group_established_on", GOVERNANCE_GROUP_DUE),
    "GOV-QUALITY-REPORTING": ("quality_reporting_from", QUALITY_REPORTING_DUE),
}
fixed_deadline_rules = st.sampled_from(sorted(FIXED_DEADLINES))


@given(
    arrangement_documents,
    fixed_deadline_rules,
    st.tuples(checked_days, checked_days).map(sorted),
    st.integers(0, 900),
    st.integers(1, 18),
)
def test_a_met_fixed_deadline_stays_met(
    drawn: dict[str, Any], rule_id: str, two_days: list[date], back: int, months: int
) -> None:
    earlier, later = two_days
    # The requirement met on or before both its due day and the earlier day: met then.
    field, due = FIXED_DEADLINES[rule_id]
    met_on = min(earlier, due.at(earlier)) - timedelta(days=back)
    document = {**drawn, field: met_on.isoformat()}
    assume(_judged_on_both(document, earlier, later))
    interpretation = {"annual_report_months": months}
    before = _check(document, earlier, interpretation=interpretation)
    after = _check(document, later, interpretation=interpretation)
    assert before.requirement(rule_id).status is MET, rule_id
    assert after.requirement(rule_id).status is MET, rule_id
    arrangements = load_governance(document)
    chosen = Interpretation(annual_report_months=months)
    years_after = {
        part.year: part
        for part in annual_report_years(arrangements, as_of=later, interpretation=chosen)
    }
    for part in annual_report_years(arrangements, as_of=earlier, interpretation=chosen):
        if part.status is MET:
            assert years_after[part.year].status is MET, str(part.year)
            assert years_after[part.year].published_on == part.published_on


@given(st.dates(date(2020, 1, 1), date(2022, 12, 31)), checked_days)
def test_a_governance_group_is_judged_from_its_date(established: date, as_of: date) -> None:
    document = {
        "body": {"code": "QE1", "kind": "ics"},
        "governance_group_established_on": established.isoformat(),
    }
    deadline = date(2021, 5, 31)
    if established <= as_of:
        expected = MET if established <= deadline else RequirementStatus.LATE
    else:  # not established yet on the date checked
        expected = RequirementStatus.NOT_YET_DUE if as_of <= deadline else RequirementStatus.MISSING
    assert _check(document, as_of).requirement("GOV-GROUP").status is expected


@given(arrangement_documents, fixed_deadline_rules, checked_days, checked_days, st.integers(0, 400))
def test_a_late_fixed_deadline_stays_late(
    drawn: dict[str, Any], rule_id: str, first: date, second: date, back: int
) -> None:
    earlier, later = sorted((first, second))
    # Met a little before the earlier day: late whenever that is after the due day.
    field, _ = FIXED_DEADLINES[rule_id]
    document = {**drawn, field: (earlier - timedelta(days=back)).isoformat()}
    assume(_judged_on_both(document, earlier, later))
    before, after = _check(document, earlier), _check(document, later)
    assume(before.requirement(rule_id).status is RequirementStatus.LATE)
    assert after.requirement(rule_id).status is RequirementStatus.LATE, rule_id


@given(arrangement_documents, checked_days, review_selections, st.none() | interpretations())
def test_every_valid_input_gets_every_requirement_with_a_citation(
    document: dict[str, Any], as_of: date, selected: list[int], interpretation: Any
) -> None:
    reviews = [REVIEWS[index] for index in selected]
    report = _check(document, as_of, reviews=reviews, interpretation=interpretation)
    assert [requirement.rule for requirement in report.requirements] == ORDER
    for requirement in report.requirements:
        assert requirement.citations, requirement.rule
        assert set(requirement.citations) <= KNOWN_CITATIONS
        assert requirement.text.strip()
        assert requirement.evidence.strip()
    if not reviews:
        assert report.requirement("GOV-TIMELINESS").status is RequirementStatus.NOT_APPLICABLE
        assert report.requirement("GOV-ACTIONS").status is RequirementStatus.NOT_APPLICABLE
    written = dump(report)
    assert json.loads(json.dumps(written)) == written
    assert written["body"]["code"] == document["body"]["code"]


@given(arrangement_documents, checked_days, review_selections)
def test_review_documents_and_loaded_reviews_are_judged_alike(
    document: dict[str, Any], as_of: date, selected: list[int]
) -> None:
    as_documents = _check(document, as_of, reviews=[REVIEW_DOCUMENTS[i] for i in selected])
    as_reviews = _check(document, as_of, reviews=[REVIEWS[i] for i in selected])
    assert as_documents == as_reviews


# --- GOV-SUCCESSION ---------------------------------------------------------------------------

successions_checked = st.one_of(checked_days, st.dates(date(2016, 7, 1), date(2027, 12, 31)))


@given(directory_codes, successions_checked, st.dates(date(2016, 7, 1), date(2027, 12, 31)))
def test_every_body_is_judged_from_its_first_day_until_it_ceases(
    code: str, as_of: date, established: date
) -> None:
    document = {
        "body": {"code": code, "kind": "icb"},
        "governance_group_established_on": established.isoformat(),
        "executive_lead": "Lead",
    }
    report = _check(document, as_of)
    life = body_lifetime(bundled_directory(), code, as_of)
    if not life.judged:
        assert {r.status for r in report.requirements} == {RequirementStatus.NOT_APPLICABLE}
        assert all(r.evidence.startswith("GOV-SUCCESSION: ") for r in report.requirements)
        if life.ceased_on is not None:
            assert life.ceased_on <= as_of
            assert life.holders
        return
    deadline = max(date(2021, 5, 31), life.formed_on or date.min)
    if established <= as_of:
        expected = MET if established <= deadline else RequirementStatus.LATE
    else:
        expected = RequirementStatus.NOT_YET_DUE if as_of <= deadline else RequirementStatus.MISSING
    assert report.requirement("GOV-GROUP").status is expected
    start = max(date(2021, 6, 1), life.formed_on or date.min)
    lead = RequirementStatus.NOT_YET_DUE if as_of < start else MET
    assert report.requirement("GOV-EXEC-LEAD").status is lead
    if life.formed_on is not None and life.formed_on > date(2021, 5, 31):
        assert "GOV-SUCCESSION" in report.requirement("GOV-GROUP").evidence


# --- INT-TIMELINESS --------------------------------------------------------------------------

shares = st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False)


def _timeliness(as_of: date, reviews: list[Any], standard: object) -> tuple[RequirementStatus, str]:
    report = _check(
        {"body": {"code": "QE1", "kind": "icb"}},
        as_of,
        reviews=reviews,
        interpretation={"timeliness": standard},
    )
    requirement = report.requirement("GOV-TIMELINESS")
    return requirement.status, requirement.evidence


@given(checked_days, review_selections, shares, shares)
def test_a_stricter_share_never_turns_late_into_met(
    as_of: date, selected: list[int], first: float, second: float
) -> None:
    reviews = [REVIEWS[index] for index in selected]
    lower, higher = sorted((first, second))
    low_status, low_evidence = _timeliness(as_of, reviews, lower)
    high_status, high_evidence = _timeliness(as_of, reviews, higher)
    if high_status is MET:
        assert low_status is MET
    # the counts and the share are the same whatever the standard
    assert low_evidence.split("; standard: ")[0] == high_evidence.split("; standard: ")[0]


@given(checked_days, review_selections)
def test_a_share_of_one_is_the_every_review_standard(as_of: date, selected: list[int]) -> None:
    reviews = [REVIEWS[index] for index in selected]
    assert _timeliness(as_of, reviews, 1)[0] is _timeliness(as_of, reviews, "every_review")[0]


@given(checked_days, review_selections, st.none() | shares)
def test_a_review_given_twice_counts_once(
    as_of: date, selected: list[int], standard: float | None
) -> None:
    reviews = [REVIEWS[index] for index in selected]
    chosen = "every_review" if standard is None else standard
    once, evidence = _timeliness(as_of, reviews, chosen)
    twice, repeated = _timeliness(as_of, reviews + reviews, chosen)
    assert once is twice
    assert evidence.split(" (of ")[0] == repeated.split(" (of ")[0]


@given(arrangement_documents)
def test_arrangements_round_trip(document: dict[str, Any]) -> None:
    arrangements = load_governance(document)
    assert load_governance(dump(arrangements)) == arrangements


# --- corruption ----------------------------------------------------------------------------


def _positions(value: Any, position: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [position] if position else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _positions(item, (*position, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _positions(item, (*position, index))
    return found


@st.composite
def corrupted_documents(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(arrangement_documents))
    how = draw(st.sampled_from(["replace", "add", "remove", "year", "whole"]))
    if how == "whole":
        return draw(json_values())
    positions = _positions(document)
    position = draw(st.sampled_from(positions))
    *parents, last = position
    container: Any = document
    for key in parents:
        container = container[key]
    if how == "replace":
        container[last] = draw(json_values(max_leaves=5))
    elif how == "add":
        target = container[last] if isinstance(container[last], dict) else document
        target[draw(st.text(max_size=12))] = draw(json_values(max_leaves=3))
    elif how == "remove":
        if isinstance(container, dict):
            del container[last]
        else:
            container.pop(last)
    else:
        reports = document.setdefault("annual_reports", [])
        reports.append({"year": draw(st.text(max_size=9)), "published_on": "2023-09-30"})
    return document


def _refusal(document: Any, as_of: date, reviews: Any = ()) -> InvalidInput | None:
    """The refusal of a check, or None when it passes. Any other exception escapes."""
    try:
        report = check_governance(document, as_of=as_of, reviews=reviews)
    except InvalidInput as error:
        return error
    assert [requirement.rule for requirement in report.requirements] == ORDER
    return None


@given(corrupted_documents(), days)
def test_a_corrupted_document_is_refused_only_with_invalid_input(
    document: Any, as_of: date
) -> None:
    refusal = _refusal(document, as_of)  # a report that passes has every requirement in order
    if refusal is None:
        assert _check(document, as_of).requirements
    else:
        assert refusal.problems
        for path, message in refusal.problems:
            assert path.startswith("$")
            assert message


@given(st.lists(json_values(max_leaves=5), min_size=1, max_size=3), days)
def test_corrupted_reviews_are_refused_only_with_invalid_input(
    reviews: list[Any], as_of: date
) -> None:
    refusal = _refusal({"body": {"code": "QE1", "kind": "icb"}}, as_of, reviews)
    assert refusal is not None  # no JSON value Hypothesis draws here is a review document
    assert all(path.startswith("$.reviews[") for path, _ in refusal.problems)
