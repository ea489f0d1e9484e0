"""The governance documents (docs/governance.md): financial years, loading and every refusal."""

from __future__ import annotations

import copy
import doctest
from datetime import date
from typing import Any

import pytest

import leder_core.models.governance as governance_models
from leder_core import InvalidInput, dump, load_governance
from leder_core.models.governance import (
    ActionPlan,
    AnnualReport,
    Arrangements,
    Body,
    BodyKind,
    FinancialYear,
    Reviewer,
)

CONTRACT_EXAMPLE: dict[str, Any] = {
    "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
    "governance_group_established_on": "2021-05-20",
    "executive_lead": "Chief Nursing Officer",
    "local_area_contact": "LeDeR local area contact",
    "reviewers": [{"id": "R-1", "trained_on": "2021-06-10"}],
    "annual_reports": [{"year": "2022/23", "published_on": "2023-09-30"}],
    "action_plan": {"from": "2023-04-01", "to": "2026-03-31"},
    "quality_reporting_from": "2021-09-01",
}


def example() -> dict[str, Any]:
    return copy.deepcopy(CONTRACT_EXAMPLE)


def refusal(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as refused:
        load_governance(data)
    return [tuple(problem) for problem in refused.value.problems]  # type: ignore[misc]


def paths(data: Any) -> list[str]:
    return [path for path, _ in refusal(data)]


def test_the_module_examples_run() -> None:
    assert doctest.testmod(governance_models).failed == 0


# --- financial years --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [("2022/23", 2022), ("2021/22", 2021), ("1999/00", 1999), ("2099/00", 2099), ("1880/81", 1880)],
)
def test_a_financial_year_is_parsed(text: str, start: int) -> None:
    year = FinancialYear.parse(text)
    assert year.start == start
    assert str(year) == text
    assert year.starts_on == date(start, 4, 1)
    assert year.ends_on == date(start + 1, 3, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022/24", "the second part must be the year after the first"),
        ("2022/22", "the second part must be the year after the first"),
        ("1999/10", "the second part must be the year after the first"),
        ("2022-23", "expected YYYY/YY"),
        ("22/23", "expected YYYY/YY"),
        ("2022/2023", "expected YYYY/YY"),
        (" 2022/23", "expected YYYY/YY"),
        ("2022/23\n", "expected YYYY/YY"),
        ("２０２２/23", "expected YYYY/YY"),  # full-width digits are not ASCII digits
        ("1879/80", "outside 1880/81"),
        ("2199/00", "outside 1880/81"),
    ],
)
def test_a_financial_year_is_refused_without_quoting_it(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        FinancialYear.parse(text)
    # The message shows the form with its own example, never the text.
    assert text.strip() not in str(refused.value).replace("such as 2022/23", "")


def test_an_empty_financial_year_is_refused() -> None:
    with pytest.raises(ValueError, match="expected YYYY/YY"):
        FinancialYear.parse("")


def test_a_financial_year_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValueError, match="expected YYYY/YY"):
        FinancialYear.parse(2022)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2024, 3, 31), "2023/24"),
        (date(2024, 4, 1), "2024/25"),
        (date(2024, 1, 1), "2023/24"),
        (date(2024, 12, 31), "2024/25"),
    ],
)
def test_the_financial_year_containing_a_day(day: date, year: str) -> None:
    assert str(FinancialYear.containing(day)) == year
    assert FinancialYear.containing(day).starts_on <= day <= FinancialYear.containing(day).ends_on


def test_financial_years_are_ordered() -> None:
    assert FinancialYear.parse("2021/22") < FinancialYear.parse("2022/23")


def test_an_annual_report_knows_its_financial_year() -> None:
    report = AnnualReport(year="2022/23", published_on=date(2023, 9, 30))
    assert report.financial_year == FinancialYear(start=2022)
    with pytest.raises(ValueError, match="expected YYYY/YY"):
        _ = AnnualReport(year="2022", published_on=date(2023, 9, 30)).financial_year


# --- loading ---------------------------------------------------------------------------------


def test_the_contract_example_loads_and_dumps_back() -> None:
    arrangements = load_governance(example())
    assert arrangements == Arrangements(
        body=Body(code="QE1", name="Lancashire and South Cumbria ICB", kind=BodyKind.ICB),
        governance_group_established_on=date(2021, 5, 20),
        executive_lead="Chief Nursing Officer",
        local_area_contact="LeDeR local area contact",
        reviewers=(Reviewer(id="R-1", trained_on=date(2021, 6, 10)),),
        annual_reports=(AnnualReport(year="2022/23", published_on=date(2023, 9, 30)),),
        action_plan=ActionPlan(from_=date(2023, 4, 1), to=date(2026, 3, 31)),
        quality_reporting_from=date(2021, 9, 1),
    )
    assert dump(arrangements) == {"schema": "leder.governance/1", **example()}
    assert load_governance(dump(arrangements)) == arrangements


def test_only_the_body_is_required_and_its_name_is_optional() -> None:
    arrangements = load_governance({"body": {"code": "QE1", "kind": "icb"}})
    assert arrangements == Arrangements(body=Body(code="QE1", kind=BodyKind.ICB))
    assert dump(arrangements) == {
        "schema": "leder.governance/1",
        "body": {"code": "QE1", "name": None, "kind": "icb"},
        "governance_group_established_on": None,
        "executive_lead": None,
        "local_area_contact": None,
        "reviewers": [],
        "annual_reports": [],
        "action_plan": None,
        "quality_reporting_from": None,
    }


def test_nulls_are_accepted_where_the_default_is_null() -> None:
    data = {
        "body": {"code": "QE1", "name": None, "kind": "ccg"},
        "governance_group_established_on": None,
        "executive_lead": None,
        "local_area_contact": None,
        "reviewers": [{"id": "R-1", "trained_on": None}],
        "action_plan": None,
        "quality_reporting_from": None,
    }
    assert load_governance(data).reviewers == (Reviewer(id="R-1"),)


def test_the_schema_key_is_accepted_only_with_its_own_name() -> None:
    assert load_governance({"schema": "leder.governance/1", **example()}).body.code == "QE1"
    assert refusal({"schema": "leder.governance-report/1", **example()}) == [
        ("$.schema", "expected 'leder.governance/1'")
    ]


# --- refusals with their paths ----------------------------------------------------------------


def test_unknown_keys_are_refused_wherever_they_are() -> None:
    data = example()
    data["governance_groups"] = 1
    data["body"]["region"] = "Y62"
    data["reviewers"][0]["name"] = "someone"
    data["annual_reports"][0]["url"] = "https://example.org"
    data["action_plan"]["length"] = 3
    assert refusal(data) == [
        ("$.body.region", "unknown key"),
        ("$.reviewers[0].name", "unknown key"),
        ("$.annual_reports[0].url", "unknown key"),
        ("$.action_plan.length", "unknown key"),
        ("$.governance_groups", "unknown key"),
    ]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (
            "2022/24",
            "not a financial year: the second part must be the year after the first, "
            "such as 2022/23",
        ),
        ("2022-23", "not a financial year: expected YYYY/YY, such as 2022/23"),
        ("2022", "not a financial year: expected YYYY/YY, such as 2022/23"),
        ("2199/00", "financial year outside 1880/81 … 2198/99"),
        (2022, "expected a string"),
        (None, "expected a string"),
    ],
)
def test_a_bad_financial_year_is_refused_at_its_path(year: Any, message: str) -> None:
    data = example()
    data["annual_reports"].append({"year": year, "published_on": "2024-09-30"})
    assert refusal(data) == [("$.annual_reports[1].year", message)]


def test_an_action_plan_ending_before_it_starts_is_refused() -> None:
    data = example()
    data["action_plan"] = {"from": "2026-04-01", "to": "2026-03-31"}
    assert refusal(data) == [("$.action_plan.to", "the action plan ends before it starts")]
    data["action_plan"] = {"from": "2026-03-31", "to": "2026-03-31"}  # one day is a plan
    assert load_governance(data).action_plan == ActionPlan(
        from_=date(2026, 3, 31), to=date(2026, 3, 31)
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-30", "not a real calendar date"),
        ("2021/05/20", "not a date in the form YYYY-MM-DD"),
        ("20-05-2021", "not a date in the form YYYY-MM-DD"),
        ("1879-12-31", "date outside 1880-01-01 … 2199-12-31"),
        (20210520, "expected a date as a YYYY-MM-DD string"),
    ],
)
def test_bad_dates_are_refused_at_their_path(value: Any, message: str) -> None:
    for path, place in (
        ("$.governance_group_established_on", ("governance_group_established_on",)),
        ("$.quality_reporting_from", ("quality_reporting_from",)),
        ("$.reviewers[0].trained_on", ("reviewers", 0, "trained_on")),
        ("$.annual_reports[0].published_on", ("annual_reports", 0, "published_on")),
        ("$.action_plan.from", ("action_plan", "from")),
    ):
        data = example()
        target: Any = data
        for key in place[:-1]:
            target = target[key]
        target[place[-1]] = value
        assert refusal(data) == [(path, message)], path


def test_wrong_kinds_are_refused_at_their_path() -> None:
    data = example()
    data["body"]["kind"] = "trust"
    data["body"]["code"] = "qe1"
    data["executive_lead"] = 7
    data["reviewers"] = {"id": "R-1"}
    data["annual_reports"] = None
    data["action_plan"] = ["2023-04-01", "2026-03-31"]
    assert refusal(data) == [
        ("$.body.code", "not an ODS code: expected 3 to 10 upper-case letters and digits"),
        ("$.body.kind", "expected one of: ccg, ics, icb"),
        ("$.executive_lead", "expected a string"),
        ("$.reviewers", "expected an array"),
        ("$.annual_reports", "expected an array"),
        ("$.action_plan", "expected an object"),
    ]


def test_missing_required_keys_are_refused_at_their_path() -> None:
    assert refusal({}) == [("$.body", "required key missing")]
    assert paths({"body": {"name": "x"}}) == ["$.body.code", "$.body.kind"]
    assert paths({"body": {"code": "QE1", "kind": "icb"}, "reviewers": [{}]}) == [
        "$.reviewers[0].id"
    ]
    assert paths(
        {"body": {"code": "QE1", "kind": "icb"}, "annual_reports": [{}], "action_plan": {}}
    ) == [
        "$.annual_reports[0].year",
        "$.annual_reports[0].published_on",
        "$.action_plan.from",
        "$.action_plan.to",
    ]


def test_every_problem_is_listed_at_once() -> None:
    data = example()
    data["body"]["kind"] = "trust"
    data["annual_reports"] = [
        {"year": "2022/24", "published_on": "2023-13-01"},
        {"year": "2022-23", "published_on": "2023-09-30"},
    ]
    data["action_plan"] = {"from": "2026-01-01", "to": "2023-01-01"}
    data["extra"] = True
    assert sorted(paths(data)) == sorted(
        [
            "$.body.kind",
            "$.annual_reports[0].published_on",
            "$.annual_reports[0].year",
            "$.annual_reports[1].year",
            "$.action_plan.to",
            "$.extra",
        ]
    )


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert refusal(["body"]) == [("$", "expected a JSON object")]


def test_messages_never_quote_the_value() -> None:
    data = example()
    data["executive_lead"] = ["Dr Secret Name"]
    data["reviewers"][0]["id"] = "R-\x07secret"
    data["annual_reports"][0]["year"] = "Secret/99"
    for path, message in refusal(data):
        assert "ecret" not in message, path
