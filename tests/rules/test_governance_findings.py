"""The governance rules decide and say what they found; render.governance words the findings."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import leder_core.rules
from leder_core import check_governance, load_governance, load_review
from leder_core.bodies import bundled_directory
from leder_core.models.bodies import Directory, DirectoryEntry, OrganisationKind, Succession
from leder_core.models.review import Review
from leder_core.render.governance import compliance_report, requirement
from leder_core.rules.governance import findings as findings_module
from leder_core.rules.governance import governance_findings
from leder_core.rules.governance.findings import (
    DeadlineFinding,
    Finding,
    NamedRoleFinding,
    SignOff,
)
from leder_core.rules.governance.lifetime import body_lifetime

EXECUTIVE_LEAD = "Dr Example Person"
ACTION_TEXT = "Speak with the family about the discharge letter"

ARRANGEMENTS = {
    "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
    "governance_group_established_on": "2021-06-20",
    "executive_lead": EXECUTIVE_LEAD,
    "reviewers": [{"id": "R-1", "trained_on": "2021-06-10"}, {"id": "R-2"}],
    "annual_reports": [{"year": "2022/23", "published_on": "2023-10-30"}],
    "action_plan": {"from": "2023-04-01", "to": "2026-03-31"},
}


def focused_review(notification_id: str, notified_on: str, signed_off_on: str) -> Review:
    step = "2023-03-05"
    events: list[dict[str, Any]] = [
        {"type": "allocated", "on": "2023-03-02", "reviewer": "R-2"},
        *(
            {"type": "contact_recorded", "on": step, "contact": contact}
            for contact in ("family", "gp", "other_professional")
        ),
        {
            "type": "initial_review_completed",
            "on": step,
            "concerns": False,
            "further_learning": False,
        },
        {"type": "focused_review_completed", "on": signed_off_on},
        {
            "type": "signed_off",
            "on": signed_off_on,
            "by": "governance_group",
            "actions": [{"description": ACTION_TEXT, "owner": "Lead", "due_on": "2024-01-31"}],
        },
    ]
    return load_review(
        {
            "notification": {
                "id": notification_id,
                "notified_on": notified_on,
                "notifier_role": "gp",
                "person": {
                    "date_of_birth": "1970-01-01",
                    "date_of_death": "2023-02-25",
                    "learning_disability": True,
                    "autism": "none",
                    "ethnicity": "N",
                    "lived_in_england": True,
                },
            },
            "events": events,
        }
    )


REVIEWS = (focused_review("N-1", "2023-03-01", "2023-06-09"),)
AS_OF = date(2023, 12, 1)


def findings_of(arrangements: dict[str, Any], as_of: date, **options: Any) -> tuple[Finding, ...]:
    return governance_findings(
        load_governance(arrangements),
        as_of=as_of,
        directory=options.pop("directory", bundled_directory()),
        **options,
    ).findings


def test_the_report_is_the_findings_put_into_words() -> None:
    found = governance_findings(
        load_governance(ARRANGEMENTS), as_of=AS_OF, directory=bundled_directory(), reviews=REVIEWS
    )
    report = check_governance(ARRANGEMENTS, as_of=AS_OF, reviews=REVIEWS)
    assert compliance_report(found) == report
    assert [(finding.rule.id, finding.status) for finding in found.findings] == [
        (item.rule, item.status) for item in report.requirements
    ]
    assert found.interpretation == report.interpretation


def test_a_finding_keeps_whether_a_role_is_named_never_the_name() -> None:
    found = findings_of(ARRANGEMENTS, AS_OF)
    named = [finding for finding in found if isinstance(finding, NamedRoleFinding)]
    assert [(finding.rule.id, finding.named) for finding in named] == [
        ("GOV-EXEC-LEAD", True),
        ("GOV-LAC", False),
    ]
    assert EXECUTIVE_LEAD not in repr(found)


def test_a_sign_off_keeps_its_actions_out_of_its_repr() -> None:
    found = findings_of(ARRANGEMENTS, AS_OF, reviews=REVIEWS)
    sign_offs = [
        sign_off
        for finding in found
        for sign_off in getattr(finding, "signed_off", ())
        if isinstance(sign_off, SignOff)
    ]
    assert [(item.notification_id, item.on) for item in sign_offs] == [("N-1", date(2023, 6, 9))]
    assert sign_offs[0].actions[0].description == ACTION_TEXT
    assert ACTION_TEXT not in repr(found)
    assert ACTION_TEXT in requirement(found[-1]).evidence  # the report's evidence quotes it


def merger() -> Directory:
    """OLD merges into NEW on 2030-04-01."""
    icb = OrganisationKind.ICB
    return Directory(
        records=(
            DirectoryEntry(code="OLD", name=None, kind=icb, first=date(2022, 7, 1), last=None),
            DirectoryEntry(code="NEW", name=None, kind=icb, first=date(2030, 4, 1), last=None),
        ),
        successions=(Succession(on=date(2030, 4, 1), from_="OLD", to="NEW"),),
        source="a test directory",
        licence="test",
    )


def test_a_dated_requirement_moves_to_the_day_a_body_was_formed() -> None:
    directory = merger()
    life = body_lifetime(directory, "NEW", date(2030, 5, 1))
    assert life.start_of(date(2021, 5, 31)) == date(2030, 4, 1)
    assert life.start_of(date(2031, 1, 1)) == date(2031, 1, 1)
    assert body_lifetime(directory, "OLD", date(2029, 1, 1)).start_of(date(2021, 5, 31)) == date(
        2021, 5, 31
    )
    group = findings_of(
        {"body": {"code": "NEW", "kind": "icb"}}, date(2030, 5, 1), directory=directory
    )[0]
    assert isinstance(group, DeadlineFinding)
    assert (group.rule.id, group.own_day, group.day) == (
        "GOV-GROUP",
        date(2021, 5, 31),
        date(2030, 4, 1),
    )


def _leaf_finding_kinds() -> set[type[Finding]]:
    kinds: set[type[Finding]] = set()
    pending = [Finding]
    while pending:
        kind = pending.pop()
        children = kind.__subclasses__()
        pending.extend(children)
        if not children:
            kinds.add(kind)
    return kinds


def test_every_kind_of_finding_is_found_and_worded() -> None:
    judged = findings_of(ARRANGEMENTS, AS_OF, reviews=REVIEWS)
    ceased = findings_of(
        {"body": {"code": "OLD", "kind": "icb"}}, date(2030, 5, 1), directory=merger()
    )
    seen = {type(finding) for finding in (*judged, *ceased)}
    assert seen == _leaf_finding_kinds()
    for finding in (*judged, *ceased):
        worded = requirement(finding)
        assert worded.text
        assert worded.evidence
        assert worded.citations == finding.rule.citations


RULE_MODULES = sorted((Path(leder_core.rules.__file__).parent / "governance").glob("*.py"))


def test_there_are_governance_rule_modules_to_check() -> None:
    assert {path.stem for path in RULE_MODULES} >= {"__init__", "findings", "lifetime"}


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda path: path.stem)
def test_the_governance_rules_build_no_sentences(path: Path) -> None:
    """Formatted strings are words for people: they belong in render/, not in the rules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)] == []


def test_the_findings_are_frozen() -> None:
    kinds = [
        value
        for value in vars(findings_module).values()
        if isinstance(value, type) and value.__module__ == findings_module.__name__
    ]
    assert len(kinds) >= 10
    for kind in kinds:
        assert attrs.has(kind), kind.__name__
        assert kind.__setattr__ is not object.__setattr__, kind.__name__
