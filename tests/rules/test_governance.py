"""Governance requirements (rules §9, §13): the rules, their judgements and the report.

The policy cases in ``tests/cases/governance.toml`` cover each requirement at its edges; these
tests cover what cases cannot say well: the registry, the report document, refusals, the
interpretation recorded, reviews given as objects, and what the evidence may never contain.
"""

from __future__ import annotations

import doctest
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest

from leder_core import InvalidInput, check_governance, dump, load_governance, load_review
from leder_core.bodies import bundled_directory
from leder_core.interpretation import Clock, Interpretation
from leder_core.models.assessment import RuleSetId
from leder_core.models.bodies import Directory, DirectoryEntry, OrganisationKind, Succession
from leder_core.models.governance import (
    ActionPlan,
    AnnualReport,
    Arrangements,
    Body,
    BodyKind,
    RequirementStatus,
)
from leder_core.reference import IcbDirectory, Organisation, body_in_directory
from leder_core.render.governance_report import format_governance_report
from leder_core.rules import governance as governance_rules
from leder_core.rules.governance import GOVERNANCE_RULES
from leder_core.rules.governance.annual_reports import annual_report_years
from leder_core.rules.governance.lifetime import body_lifetime
from leder_core.rules.governance.parameters import (
    ACTIONS_WINDOW_DAYS,
    GOVERNANCE_GROUP_DUE,
    QUALITY_REPORTING_DUE,
)
from leder_core.rules.registry import RULES, Confidence
from leder_core.rules.sources import SOURCES

MET = RequirementStatus.MET
LATE = RequirementStatus.LATE
MISSING = RequirementStatus.MISSING
NOT_YET_DUE = RequirementStatus.NOT_YET_DUE
NOT_APPLICABLE = RequirementStatus.NOT_APPLICABLE

ORDER = [
    "GOV-GROUP",
    "GOV-EXEC-LEAD",
    "GOV-LAC",
    "GOV-TRAINED-REVIEWERS",
    "GOV-QUALITY-REPORTING",
    "GOV-ANNUAL-REPORT",
    "GOV-ACTION-PLAN",
    "GOV-TIMELINESS",
    "GOV-ACTIONS",
]

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

# A synthetic person whose fields must never appear in a report.
DATE_OF_BIRTH = "1961-07-23"
NHS_NUMBER = "9434765919"


def notification(
    notification_id: str, notified_on: date, *, ethnicity: str = "A"
) -> dict[str, Any]:
    return {
        "id": notification_id,
        "notified_on": notified_on.isoformat(),
        "notifier_role": "gp",
        "person": {
            "nhs_number": NHS_NUMBER,
            "date_of_birth": DATE_OF_BIRTH,
            "date_of_death": (notified_on - timedelta(days=3)).isoformat(),
            "learning_disability": True,
            "autism": "none",
            "ethnicity": ethnicity,
            "lived_in_england": True,
        },
    }


def review(
    notification_id: str,
    notified_on: date,
    *,
    signed_off_on: date | None = None,
    focused: bool = False,
    actions: tuple[tuple[str, date | None], ...] = (),
    reviewer: str = "R-1",
    allocated_on: date | None = None,
    hold_on: date | None = None,
) -> dict[str, Any]:
    """A review document: allocated, then (if ``signed_off_on``) completed and signed off."""
    allocated = allocated_on or notified_on + timedelta(days=1)
    events: list[dict[str, Any]] = [
        {"type": "allocated", "on": allocated.isoformat(), "reviewer": reviewer}
    ]
    if hold_on is not None:
        events.append(
            {"type": "hold_placed", "on": hold_on.isoformat(), "process": "coroner_inquest"}
        )
    if signed_off_on is not None:
        assert hold_on is None
        step = allocated + timedelta(days=1)
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
        sign_off: dict[str, Any] = {"type": "signed_off", "on": signed_off_on.isoformat()}
        if focused:
            events.append({"type": "focused_review_completed", "on": signed_off_on.isoformat()})
            sign_off["by"] = "governance_group"
            if actions:
                sign_off["actions"] = [
                    {
                        "description": description,
                        "owner": "Quality lead",
                        "due_on": None if due is None else due.isoformat(),
                    }
                    for description, due in actions
                ]
            else:
                sign_off["no_actions_reason"] = "no learning requiring action"
        else:
            sign_off["by"] = "senior_reviewer"
        events.append(sign_off)
    return {
        "notification": notification(
            notification_id, notified_on, ethnicity="N" if focused else "A"
        ),
        "events": events,
    }


def statuses(report: Any) -> dict[str, RequirementStatus]:
    return {requirement.rule: requirement.status for requirement in report.requirements}


def body_only(kind: str = "icb") -> dict[str, Any]:
    return {"body": {"code": "QE1", "kind": kind}}


def test_the_module_examples_run() -> None:
    assert doctest.testmod(governance_rules).failed == 0


# --- the registry --------------------------------------------------------------------------------


def test_the_rules_are_declared_in_the_rulebook_order_with_sources() -> None:
    assert [rule.id for rule in GOVERNANCE_RULES] == ORDER
    for rule in GOVERNANCE_RULES:
        assert RULES[rule.id] is rule
        assert rule.section == "§9"
        assert rule.rulesets == (RuleSetId.LEDER_2021,)
        assert rule.citations
        assert all(citation in SOURCES.values() for citation in rule.citations)


def test_confidence_follows_the_rulebook_table() -> None:
    single = {"GOV-GROUP", "GOV-QUALITY-REPORTING", "GOV-ACTION-PLAN"}
    for rule in GOVERNANCE_RULES:
        expected = Confidence.SINGLE_SOURCE if rule.id in single else Confidence.CONFIRMED
        assert rule.confidence is expected, rule.id


def test_the_annual_report_rule_names_its_interpretation() -> None:
    assert RULES["GOV-ANNUAL-REPORT"].interpretations == ("INT-ANNUAL-REPORT",)
    assert RULES["GOV-TIMELINESS"].interpretations == ("INT-CLOCK", "INT-TIMELINESS")


def test_dated_deadlines_cite_their_source() -> None:
    assert GOVERNANCE_GROUP_DUE.at(date(2024, 1, 1)) == date(2021, 5, 31)
    assert GOVERNANCE_GROUP_DUE.timeline[0].citation == SOURCES["hsj-2021-governance"]
    assert QUALITY_REPORTING_DUE.at(date(2024, 1, 1)) == date(2021, 9, 1)
    assert ACTIONS_WINDOW_DAYS.at(date(2024, 1, 1)) == 365


# --- the report document -------------------------------------------------------------------------


def test_the_contract_example_is_judged_in_order_with_every_key() -> None:
    report = check_governance(CONTRACT_EXAMPLE, as_of=date(2024, 1, 1))
    document = dump(report)
    assert list(document) == ["schema", "body", "as_of", "interpretation", "requirements"]
    assert document["schema"] == "leder.governance-report/1"
    assert document["body"] == CONTRACT_EXAMPLE["body"]
    assert document["as_of"] == "2024-01-01"
    assert [requirement["rule"] for requirement in document["requirements"]] == ORDER
    for requirement in document["requirements"]:
        assert list(requirement) == ["rule", "status", "text", "evidence", "citations"]
        assert requirement["citations"]
        assert all(list(citation) == ["title", "url"] for citation in requirement["citations"])
    json.dumps(document)  # JSON-compatible
    assert statuses(report) == {
        "GOV-GROUP": MET,
        "GOV-EXEC-LEAD": MET,
        "GOV-LAC": MET,
        "GOV-TRAINED-REVIEWERS": MET,
        "GOV-QUALITY-REPORTING": MET,
        # 2021/22 has no report and was due by 2022-09-30
        "GOV-ANNUAL-REPORT": MISSING,
        "GOV-ACTION-PLAN": MET,
        "GOV-TIMELINESS": NOT_APPLICABLE,
        "GOV-ACTIONS": NOT_APPLICABLE,
    }


def test_a_body_without_a_name_is_reported_with_a_null_name() -> None:
    report = check_governance(body_only(), as_of=date(2024, 1, 1))
    assert dump(report)["body"] == {"code": "QE1", "name": None, "kind": "icb"}


def test_requirement_lookup_and_statuses() -> None:
    report = check_governance(CONTRACT_EXAMPLE, as_of=date(2024, 1, 1))
    assert report.requirement("GOV-LAC").status is MET
    assert list(report.statuses) == ORDER
    with pytest.raises(KeyError):
        report.requirement("GOV-NONE")


def test_arrangements_and_documents_give_the_same_report() -> None:
    arrangements = load_governance(CONTRACT_EXAMPLE)
    assert check_governance(arrangements, as_of=date(2024, 1, 1)) == check_governance(
        CONTRACT_EXAMPLE, as_of=date(2024, 1, 1)
    )


@pytest.mark.parametrize("day", [date(2021, 5, 1), date(2022, 1, 1), date(2024, 1, 1)])
def test_body_kind_changes_no_judgement(day: date) -> None:
    requirements = [
        check_governance(
            {**CONTRACT_EXAMPLE, "body": {"code": "QE1", "kind": kind}}, as_of=day
        ).requirements
        for kind in ("ccg", "ics", "icb")
    ]
    assert requirements[0] == requirements[1] == requirements[2]


# --- the interpretation recorded -----------------------------------------------------------------


def test_the_defaults_are_recorded_when_none_is_given() -> None:
    report = check_governance(body_only(), as_of=date(2024, 1, 1))
    assert report.interpretation == Interpretation()


def test_the_interpretation_given_is_recorded_and_sets_the_annual_report_deadline() -> None:
    data = {**body_only(), "annual_reports": [{"year": "2021/22", "published_on": "2022-08-01"}]}
    default = check_governance(data, as_of=date(2022, 12, 1))
    three = check_governance(
        data, as_of=date(2022, 12, 1), interpretation={"annual_report_months": 3}
    )
    assert default.requirement("GOV-ANNUAL-REPORT").status is MET
    assert three.requirement("GOV-ANNUAL-REPORT").status is LATE
    assert three.interpretation == Interpretation(annual_report_months=3)
    assert dump(three)["interpretation"]["annual_report_months"] == 3


def test_an_invalid_interpretation_is_refused_at_its_key() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_governance(body_only(), as_of=date(2024, 1, 1), interpretation={"clock": "pause"})
    assert [problem.path for problem in refused.value.problems] == ["$.clock"]


def test_review_documents_are_loaded_under_the_interpretation_given() -> None:
    held = review("N-1", date(2023, 1, 10), hold_on=date(2023, 3, 1))
    excuse = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[held])
    stop = check_governance(
        body_only(), as_of=date(2024, 1, 1), reviews=[held], interpretation={"clock": "stop"}
    )
    assert excuse.requirement("GOV-TIMELINESS").status is MET  # overdue, excused
    assert stop.requirement("GOV-TIMELINESS").status is NOT_YET_DUE  # no due date while held


def test_a_loaded_review_keeps_its_own_clock_unless_one_is_given() -> None:
    held = load_review(
        review("N-1", date(2023, 1, 10), hold_on=date(2023, 3, 1)),
        interpretation={"clock": "stop"},
    )
    own = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[held])
    given = check_governance(
        body_only(), as_of=date(2024, 1, 1), reviews=[held], interpretation={"clock": "excuse"}
    )
    assert held.interpretation.clock is Clock.STOP
    assert own.requirement("GOV-TIMELINESS").status is NOT_YET_DUE
    assert "excused by a hold" in given.requirement("GOV-TIMELINESS").evidence
    assert given.requirement("GOV-TIMELINESS").status is MET


# --- GOV-ANNUAL-REPORT year by year --------------------------------------------------------------


def test_every_year_from_2021_22_begun_by_the_date_is_judged() -> None:
    arrangements = load_governance(
        {
            **body_only(),
            "annual_reports": [
                {"year": "2020/21", "published_on": "2021-06-01"},  # before 2021/22: ignored
                {"year": "2021/22", "published_on": "2022-09-30"},
                {"year": "2022/23", "published_on": "2023-10-01"},
            ],
        }
    )
    parts = annual_report_years(arrangements, as_of=date(2024, 4, 1))
    assert [str(part.year) for part in parts] == ["2021/22", "2022/23", "2023/24", "2024/25"]
    assert [part.status for part in parts] == [MET, LATE, NOT_YET_DUE, NOT_YET_DUE]
    assert [part.due_on for part in parts] == [
        date(2022, 9, 30),
        date(2023, 9, 30),
        date(2024, 9, 30),
        date(2025, 9, 30),
    ]


@pytest.mark.parametrize(
    ("months", "due"),
    [
        (1, date(2023, 4, 30)),
        (2, date(2023, 5, 31)),
        (6, date(2023, 9, 30)),
        (11, date(2024, 2, 29)),
    ],
)
def test_the_deadline_is_the_end_of_the_month_so_many_months_after_the_year(
    months: int, due: date
) -> None:
    parts = annual_report_years(
        load_governance(body_only()),
        as_of=date(2023, 4, 1),
        interpretation=Interpretation(annual_report_months=months),
    )
    assert parts[1].due_on == due


def test_a_huge_number_of_months_is_never_due() -> None:
    report = check_governance(
        body_only(), as_of=date(2199, 12, 31), interpretation={"annual_report_months": 10**9}
    )
    assert report.requirement("GOV-ANNUAL-REPORT").status is NOT_YET_DUE


# --- GOV-TRAINED-REVIEWERS -----------------------------------------------------------------------


def test_a_reviewer_listed_twice_counts_from_the_earliest_training_date() -> None:
    data = {
        **body_only(),
        "reviewers": [{"id": "R-1"}, {"id": "R-1", "trained_on": "2021-06-01"}],
    }
    one = review("N-1", date(2021, 6, 5), allocated_on=date(2021, 6, 6))
    report = check_governance(data, as_of=date(2022, 1, 1), reviews=[one])
    assert report.requirement("GOV-TRAINED-REVIEWERS").status is MET


def test_allocations_after_the_date_checked_are_not_judged() -> None:
    data = {**body_only(), "reviewers": [{"id": "R-1", "trained_on": "2021-06-01"}]}
    later = review("N-2", date(2023, 1, 1), reviewer="R-2", allocated_on=date(2023, 2, 1))
    before = check_governance(data, as_of=date(2023, 1, 31), reviews=[later])
    after = check_governance(data, as_of=date(2023, 2, 1), reviews=[later])
    assert before.requirement("GOV-TRAINED-REVIEWERS").status is MET
    assert after.requirement("GOV-TRAINED-REVIEWERS").status is MISSING
    assert "R-2 allocated N-2 on 2023-02-01 (not listed)" in (
        after.requirement("GOV-TRAINED-REVIEWERS").evidence
    )


# --- GOV-TIMELINESS and GOV-ACTIONS --------------------------------------------------------------


def test_reviews_notified_after_the_date_checked_are_not_due() -> None:
    future = review("N-9", date(2024, 6, 1))
    report = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[future])
    assert report.requirement("GOV-TIMELINESS").status is NOT_YET_DUE
    assert report.requirement("GOV-ACTIONS").status is NOT_APPLICABLE


def test_events_after_the_date_checked_have_not_happened() -> None:
    # Signed off on time, but after the date checked: on that date it was overdue... no, still
    # open and not yet due; and not yet signed off, so no learning into action either.
    done = review(
        "N-1",
        date(2023, 1, 10),
        signed_off_on=date(2023, 5, 1),
        focused=True,
        actions=(("Improve annual health checks", date(2023, 12, 1)),),
    )
    before = check_governance(body_only(), as_of=date(2023, 4, 30), reviews=[done])
    after = check_governance(body_only(), as_of=date(2023, 5, 1), reviews=[done])
    assert before.requirement("GOV-ACTIONS").status is NOT_APPLICABLE
    assert after.requirement("GOV-ACTIONS").status is MET


def test_closed_reviews_are_never_due() -> None:
    closed = review("N-1", date(2022, 1, 10))
    closed["events"].append({"type": "closed", "on": "2022-02-01", "reason": "duplicate"})
    report = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[closed])
    assert report.requirement("GOV-TIMELINESS").status is NOT_YET_DUE


def test_an_initial_level_review_with_actions_is_not_learning_into_action() -> None:
    initial = review("N-1", date(2023, 1, 10), signed_off_on=date(2023, 3, 1))
    initial["events"][-1]["actions"] = [
        {"description": "Share learning", "owner": None, "due_on": None}
    ]
    report = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[initial])
    assert report.requirement("GOV-ACTIONS").status is NOT_APPLICABLE


def test_the_actions_evidence_counts_actions_falling_due() -> None:
    done = review(
        "N-1",
        date(2023, 1, 10),
        signed_off_on=date(2023, 5, 1),
        focused=True,
        actions=(
            ("First", date(2023, 6, 1)),
            ("Second", date(2024, 1, 1)),
            ("Third", date(2024, 1, 2)),
        ),
    )
    assert load_review(done).refused is None
    evidence = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[done]).requirement(
        "GOV-ACTIONS"
    )
    assert evidence.status is MET
    assert "3 actions agreed, 2 falling due by 2024-01-01" in evidence.evidence
    assert '"Third" due 2024-01-02' in evidence.evidence


def test_a_focused_sign_off_refused_for_an_undated_action_is_not_a_completed_review() -> None:
    # FLOW-SIGN-OFF refuses a focused sign-off with an action that has no due date, so the
    # review never completed and is not counted as learning into action.
    undated = review(
        "N-1",
        date(2023, 1, 10),
        signed_off_on=date(2023, 5, 1),
        focused=True,
        actions=(("Undated", None),),
    )
    assert load_review(undated).refused is not None
    report = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=[undated])
    assert report.requirement("GOV-ACTIONS").status is NOT_APPLICABLE
    assert report.requirement("GOV-TIMELINESS").status is LATE  # still open, now overdue


def test_reviews_may_be_any_iterable_of_reviews_and_documents() -> None:
    one = review("N-1", date(2023, 1, 10), signed_off_on=date(2023, 3, 1))
    two = load_review(review("N-2", date(2023, 2, 1)))

    def reviews() -> Iterator[Any]:
        yield one
        yield two

    report = check_governance(body_only(), as_of=date(2024, 1, 1), reviews=reviews())
    assert report.requirement("GOV-TIMELINESS").status is LATE
    assert "overdue and not excused: N-2" in report.requirement("GOV-TIMELINESS").evidence


# --- what a report never says --------------------------------------------------------------------


def test_no_person_field_and_no_named_role_appears_in_a_report() -> None:
    data = {
        **CONTRACT_EXAMPLE,
        "executive_lead": "Dr Jane Example",
        "local_area_contact": "John Example",
    }
    reviews = [
        review("N-1", date(2023, 1, 10), signed_off_on=date(2023, 5, 1), focused=True),
        review("N-2", date(2023, 2, 1)),
    ]
    report = check_governance(data, as_of=date(2024, 1, 1), reviews=reviews)
    text = json.dumps(dump(report)) + format_governance_report(report)
    for secret in ("Jane Example", "John Example", NHS_NUMBER, "943 476 5919", DATE_OF_BIRTH):
        assert secret not in text
    for day in ("2023-01-07", "2023-01-29"):  # the dates of death
        assert day not in text


# --- refusals ------------------------------------------------------------------------------------


def test_every_problem_of_arrangements_and_review_documents_is_listed() -> None:
    bad_review = review("N-1", date(2023, 1, 10))
    bad_review["notification"]["notified_on"] = "2023-02-30"
    with pytest.raises(InvalidInput) as refused:
        check_governance(
            {**body_only(), "annual_reports": [{"year": "2022/24", "published_on": "2023-01-01"}]},
            as_of=date(2024, 1, 1),
            reviews=[review("N-0", date(2023, 1, 1)), bad_review, "not a review"],
        )
    assert [tuple(problem) for problem in refused.value.problems] == [
        (
            "$.annual_reports[0].year",
            "not a financial year: the second part must be the year after the first, "
            "such as 2022/23",
        ),
        ("$.reviews[1].notification.notified_on", "not a real calendar date"),
        ("$.reviews[2]", "expected a review document or a Review"),
    ]


@pytest.mark.parametrize("as_of", [None, "2024-01-01", datetime(2024, 1, 1, 12, 0)])  # noqa: DTZ001
def test_the_date_checked_must_be_a_date(as_of: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_governance(body_only(), as_of=as_of)
    assert [problem.path for problem in refused.value.problems] == ["$.as_of"]


def test_arrangements_built_in_python_are_checked_too() -> None:
    arrangements = Arrangements(
        body=Body(code="QE1", kind=BodyKind.ICB),
        annual_reports=(AnnualReport(year="2022-23", published_on=date(2023, 9, 1)),),
        action_plan=ActionPlan(from_=date(2026, 1, 1), to=date(2023, 1, 1)),
    )
    with pytest.raises(InvalidInput) as refused:
        check_governance(arrangements, as_of=date(2024, 1, 1))
    assert [problem.path for problem in refused.value.problems] == [
        "$.annual_reports[0].year",
        "$.action_plan.to",
    ]
    wrong_type = attrs.evolve(
        arrangements,
        annual_reports=(AnnualReport(year=2022, published_on=date(2023, 9, 1)),),  # type: ignore[arg-type]
        action_plan=None,
    )
    with pytest.raises(InvalidInput) as refused:
        check_governance(wrong_type, as_of=date(2024, 1, 1))
    assert [problem.path for problem in refused.value.problems] == ["$.annual_reports[0].year"]
    fixed = attrs.evolve(
        arrangements,
        annual_reports=(AnnualReport(year="2022/23", published_on=date(2023, 9, 1)),),
        action_plan=None,
    )
    assert check_governance(fixed, as_of=date(2024, 1, 1)).body.code == "QE1"


# --- the text report -----------------------------------------------------------------------------


def test_the_text_report_can_be_tabled() -> None:
    report = check_governance(CONTRACT_EXAMPLE, as_of=date(2024, 1, 1))
    text = format_governance_report(report, body_in_directory(report.body, on=report.as_of))
    lines = text.splitlines()
    assert lines[0] == "LeDeR governance compliance: Lancashire and South Cumbria ICB"
    assert "As of:            2024-01-01" in lines
    assert "Summary:          6 met, 1 missing, 2 not applicable" in lines
    table = [line for line in lines[: lines.index("Requirements")] if line.startswith("GOV-")]
    assert [line.split()[0] for line in table] == ORDER
    assert table[0].split()[1] == "met"
    # each requirement's sentence and sources follow, with addresses unbroken
    for rule in GOVERNANCE_RULES:
        assert f"{rule.id}: {rule.title} (" in text
        for citation in rule.citations:
            assert f"      {citation.url}" in lines
    assert "NHS Lancashire and South Cumbria Integrated Care Board in the directory" in text
    assert all(len(line) <= 100 or "https://" in line for line in lines)


def test_the_text_report_says_an_unknown_code_is_reported_not_guessed() -> None:
    report = check_governance(
        {"body": {"code": "QZZ", "name": "Somewhere", "kind": "icb"}}, as_of=date(2024, 1, 1)
    )
    text = format_governance_report(report, body_in_directory(report.body, on=report.as_of))
    assert "The code QZZ is not in the directory as an organisation on 2024-01-01" in text
    assert "reported, not guessed" in text
    assert "Directory" not in format_governance_report(report)


def test_the_text_report_uses_an_injected_directory() -> None:
    directory = IcbDirectory(
        organisations=(
            Organisation(
                ods_code="QZZ", name="NHS Test ICB", kind=BodyKind.ICB, valid_from=date(2026, 4, 1)
            ),
        ),
        source="a test extract",
        extracted_on=date(2026, 5, 1),
    )
    report = check_governance({"body": {"code": "QZZ", "kind": "icb"}}, as_of=date(2026, 6, 1))
    finding = body_in_directory(report.body, on=report.as_of, directory=directory)
    text = format_governance_report(report, finding)
    assert "QZZ is NHS Test ICB in the directory on 2026-06-01 (a test extract" in text


# --- GOV-SUCCESSION at its edges ------------------------------------------------------------------


def small_directory() -> Directory:
    """AAA and BBB merge into NEW on 2030-04-01; NEW is split into X1 and X2 on 2032-04-01;
    X1 merges into EXIST (which existed before) on 2033-04-01."""
    icb = OrganisationKind.ICB

    def record(code: str, first: date, last: date | None = None) -> DirectoryEntry:
        return DirectoryEntry(code=code, name=f"NHS {code} ICB", kind=icb, first=first, last=last)

    return Directory(
        records=(
            record("AAA", date(2022, 7, 1), date(2030, 3, 31)),
            record("BBB", date(2022, 7, 1), date(2030, 3, 31)),
            record("NEW", date(2030, 4, 1), date(2032, 3, 31)),
            record("X1", date(2032, 4, 1), date(2033, 3, 31)),
            record("X2", date(2032, 4, 1)),
            record("EXIST", date(2022, 7, 1)),
        ),
        successions=(
            Succession(on=date(2030, 4, 1), from_="AAA", to="NEW"),
            Succession(on=date(2030, 4, 1), from_="BBB", to="NEW"),
            Succession(on=date(2032, 4, 1), from_="NEW", to="X1"),
            Succession(on=date(2032, 4, 1), from_="NEW", to="X2"),
            Succession(on=date(2033, 4, 1), from_="X1", to="EXIST"),
        ),
        source="a test directory",
        licence="test",
    )


def of(code: str, **arrangements: Any) -> dict[str, Any]:
    return {"body": {"code": code, "kind": "icb"}, **arrangements}


def test_a_body_is_judged_from_its_first_day_and_not_the_day_before() -> None:
    directory = small_directory()
    group = of("NEW", governance_group_established_on="2030-04-01")
    before = check_governance(group, as_of=date(2030, 3, 31), directory=directory)
    assert set(statuses(before).values()) == {NOT_APPLICABLE}
    on_the_day = check_governance(group, as_of=date(2030, 4, 1), directory=directory)
    assert statuses(on_the_day)["GOV-GROUP"] is MET
    assert statuses(on_the_day)["GOV-EXEC-LEAD"] is MISSING  # required from its first day
    assert statuses(on_the_day)["GOV-QUALITY-REPORTING"] is NOT_YET_DUE  # due by that day
    day_after = check_governance(group, as_of=date(2030, 4, 2), directory=directory)
    assert statuses(day_after)["GOV-QUALITY-REPORTING"] is MISSING
    assert statuses(on_the_day)["GOV-ACTION-PLAN"] is MISSING
    late = of("NEW", governance_group_established_on="2030-04-02")
    assert (
        statuses(check_governance(late, as_of=date(2030, 5, 1), directory=directory))["GOV-GROUP"]
        is LATE
    )


def test_a_body_is_not_applicable_from_the_day_it_ceases() -> None:
    directory = small_directory()
    judged = check_governance(of("AAA"), as_of=date(2030, 3, 31), directory=directory)
    assert statuses(judged)["GOV-GROUP"] is MISSING
    ceased = check_governance(of("AAA"), as_of=date(2030, 4, 1), directory=directory)
    assert set(statuses(ceased).values()) == {NOT_APPLICABLE}
    assert ceased.requirement("GOV-GROUP").evidence == (
        "GOV-SUCCESSION: AAA ceased on 2030-04-01 (merged); its area is held on 2030-04-01 by "
        "NEW (NHS NEW ICB)"
    )
    assert ceased.requirement("GOV-GROUP").text == (
        "AAA ceased on 2030-04-01; nothing is required of it on 2030-04-01."
    )


def test_successors_are_followed_through_every_later_succession() -> None:
    directory = small_directory()
    on = {
        date(2031, 1, 1): [("NEW", "NHS NEW ICB")],
        date(2032, 4, 1): [("X1", "NHS X1 ICB"), ("X2", "NHS X2 ICB")],
        date(2033, 4, 1): [("EXIST", "NHS EXIST ICB"), ("X2", "NHS X2 ICB")],
    }
    for day, holders in on.items():
        life = body_lifetime(directory, "AAA", day)
        assert life.ceased_on == date(2030, 4, 1)
        assert not life.split
        assert list(life.holders) == holders, day
    split = body_lifetime(directory, "NEW", date(2032, 4, 1))
    assert split.split
    assert split.formed_on == date(2030, 4, 1)
    assert split.predecessors == ("AAA", "BBB")
    assert not split.judged


def test_a_body_that_absorbed_another_was_not_formed_by_it() -> None:
    life = body_lifetime(small_directory(), "EXIST", date(2034, 1, 1))
    assert life.formed_on is None
    assert life.judged
    report = check_governance(of("EXIST"), as_of=date(2034, 1, 1), directory=small_directory())
    assert "GOV-SUCCESSION" not in " ".join(r.evidence for r in report.requirements)


def test_the_annual_reports_owed_start_with_the_first_due_on_or_after_the_first_day() -> None:
    arrangements = load_governance(of("NEW"))
    owed = annual_report_years(arrangements, as_of=date(2030, 10, 1), formed_on=date(2030, 9, 30))
    assert [str(part.year) for part in owed] == ["2029/30", "2030/31"]
    later = annual_report_years(arrangements, as_of=date(2030, 10, 1), formed_on=date(2030, 10, 1))
    assert [str(part.year) for part in later] == ["2030/31"]
    report = check_governance(of("NEW"), as_of=date(2030, 10, 1), directory=small_directory())
    assert statuses(report)["GOV-ANNUAL-REPORT"] is MISSING  # 2029/30, due 2030-09-30
    assert "2021/22, 2022/23, 2023/24, 2024/25, 2025/26, 2026/27, 2027/28, 2028/29 were its " in (
        report.requirement("GOV-ANNUAL-REPORT").evidence
    )


def test_allocations_before_the_first_day_are_not_judged() -> None:
    arrangements = of("NEW", reviewers=[{"id": "R-1", "trained_on": "2030-05-01"}])
    before = review("N-1", date(2030, 3, 1), allocated_on=date(2030, 3, 2))
    after = review("N-2", date(2030, 4, 1), allocated_on=date(2030, 5, 2))
    report = check_governance(
        arrangements, as_of=date(2030, 6, 1), reviews=[before, after], directory=small_directory()
    )
    assert statuses(report)["GOV-TRAINED-REVIEWERS"] is MET
    evidence = report.requirement("GOV-TRAINED-REVIEWERS").evidence
    assert evidence.startswith("1 allocation from 2030-04-01 to 2030-06-01")


def test_the_default_directory_is_the_bundled_one_over_time() -> None:
    arrangements = of("S1Y5D", governance_group_established_on="2026-04-01")
    default = check_governance(arrangements, as_of=date(2026, 6, 1))
    assert default == check_governance(
        arrangements, as_of=date(2026, 6, 1), directory=bundled_directory()
    )
    assert statuses(default)["GOV-GROUP"] is MET
    other = check_governance(arrangements, as_of=date(2026, 6, 1), directory=small_directory())
    assert statuses(other)["GOV-GROUP"] is LATE  # a directory that does not know S1Y5D
    assert "does not know the code S1Y5D" in other.requirement("GOV-GROUP").evidence


def test_a_directory_that_is_not_one_is_bad_input() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_governance(body_only(), as_of=date(2024, 1, 1), directory="bodies.json")  # type: ignore[arg-type]
    assert [tuple(problem) for problem in refused.value.problems] == [
        ("$.directory", "expected a Directory")
    ]


# --- INT-TIMELINESS at its edges ------------------------------------------------------------------


def five_reviews() -> list[dict[str, Any]]:
    """Due by 2024-01-01: four completed on time and one overdue with no hold."""
    on_time = [
        review(f"N-{number}", date(2023, 1, number), signed_off_on=date(2023, 3, number))
        for number in range(1, 5)
    ]
    return [*on_time, review("N-5", date(2023, 3, 1))]


@pytest.mark.parametrize(
    ("standard", "status"),
    [
        ("every_review", LATE),
        (0.8, MET),  # exactly 4 of 5: met, whatever the float's binary value
        (0.8000000001, LATE),
        (0.35, MET),
        (1, LATE),
        (5e-324, MET),
    ],
)
def test_the_standard_decides_on_the_same_counts(standard: object, status: Any) -> None:
    report = check_governance(
        body_only(),
        as_of=date(2024, 1, 1),
        reviews=five_reviews(),
        interpretation={"timeliness": standard},
    )
    requirement = report.requirement("GOV-TIMELINESS")
    assert requirement.status is status
    assert requirement.evidence.startswith(
        "5 reviews due by 2024-01-01 (of 5 reviews given): 4 completed on time, 0 late or "
        "overdue and excused, 1 late or overdue and not excused; completed on time or excused: "
        "4 of 5 (80.0%); standard: "
    )


def test_with_every_review_on_time_every_standard_is_met() -> None:
    reviews = five_reviews()[:4]
    for standard in ("every_review", 1, 0.5):
        report = check_governance(
            body_only(),
            as_of=date(2024, 1, 1),
            reviews=reviews,
            interpretation={"timeliness": standard},
        )
        assert statuses(report)["GOV-TIMELINESS"] is MET


def test_nothing_due_gives_the_counts_and_no_share() -> None:
    report = check_governance(
        body_only(),
        as_of=date(2023, 3, 1),
        reviews=[review("N-1", date(2023, 2, 1))],
        interpretation={"timeliness": 0.8},
    )
    requirement = report.requirement("GOV-TIMELINESS")
    assert requirement.status is NOT_YET_DUE
    assert "0 reviews due by 2023-03-01 (of 1 review given): 0 completed on time" in (
        requirement.evidence
    )
    assert "completed on time or excused: none (no review due)" in requirement.evidence


@pytest.mark.parametrize("bad", [0, -0.1, 1.01, True, "all", "0.8", None, float("inf")])
def test_a_bad_timeliness_is_refused_at_its_key(bad: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_governance(body_only(), as_of=date(2024, 1, 1), interpretation={"timeliness": bad})
    assert [tuple(problem) for problem in refused.value.problems] == [
        ("$.timeliness", "expected every_review or a number greater than 0 and at most 1")
    ]
