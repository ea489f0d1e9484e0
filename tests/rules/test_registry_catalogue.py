"""The rule catalogue against its specification: every rule there, cited and marked correctly.

The hard-coded list below, every rule id with the section that defines it (the section marks
the rule catalogue on the docs' rules page shows), *is* the specification the registry is
checked against: a rule added, removed, renamed or moved to another section must change it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import attrs
import pytest

from leder_core.interpretation import Interpretation
from leder_core.models.assessment import RuleSetId
from leder_core.rules.registry import RULES, Rule
from leder_core.rules.rulesets import RULESETS
from leder_core.rules.sources import SOURCES

# Every rule id of sections §2–§9a and §14, in section order, with the section defining it.
SPECIFIED_RULES: dict[str, str] = {
    # §2 Rule sets
    "RS-SELECT": "§2",
    # §3 Inputs
    "AGE-AT-DEATH": "§3",
    # §4 Eligibility and route
    "ELIG-CONDITION": "§4",
    "ELIG-AGE-MINIMUM": "§4",
    "ELIG-CHILD-ROUTE": "§4",
    "ELIG-ENGLAND": "§4",
    "ELIG-OPT-OUT": "§4",
    "ELIG-GP": "§4",
    # §5 Review level and mandatory triggers
    "PATH-ETHNICITY": "§5",
    "PATH-YOUNG-ADULT": "§5",
    "PATH-AUTISM": "§5",
    # §6 Other statutory processes
    "HOLD-DECLARED": "§6",
    "HOLD-DETENTION": "§6",
    # §7 Deadlines
    "DEAD-SIX-MONTHS": "§7",
    "DEAD-HOLDS": "§7",
    "DEAD-STATUS": "§7",
    "DEAD-WORKING-DAYS": "§7",
    # §8 Review workflow
    "FLOW-REGIONAL": "§8",
    "FLOW-ALLOCATE": "§8",
    "FLOW-CONTACT": "§8",
    "FLOW-INITIAL-COMPLETE": "§8",
    "FLOW-MIN-CONTACTS": "§8",
    "FLOW-FAMILY-REQUEST": "§8",
    "FLOW-FOCUSED-COMPLETE": "§8",
    "FLOW-SIGN-OFF": "§8",
    "FLOW-HOLD": "§8",
    "FLOW-HOLD-BLOCKS": "§8",
    "FLOW-CLOSE": "§8",
    "FLOW-DATES": "§8",
    "FLOW-LATE-ENTRY": "§8",
    "FLOW-TERMINAL": "§8",
    # §9 Governance requirements
    "GOV-GROUP": "§9",
    "GOV-EXEC-LEAD": "§9",
    "GOV-LAC": "§9",
    "GOV-TRAINED-REVIEWERS": "§9",
    "GOV-QUALITY-REPORTING": "§9",
    "GOV-ANNUAL-REPORT": "§9",
    "GOV-ACTION-PLAN": "§9",
    "GOV-TIMELINESS": "§9",
    "GOV-SUCCESSION": "§9",
    "GOV-ACTIONS": "§9",
    # §9a Responsible bodies over time
    "BODY-DIRECTORY": "§9a",
    "BODY-AS-OF": "§9a",
    "BODY-KIND": "§9a",
    # §14 Facts from clinical records (FHIR R4, UK Core)
    "FHIR-NHS-NUMBER": "§14",
    "FHIR-BIRTH": "§14",
    "FHIR-DEATH": "§14",
    "FHIR-ETHNICITY": "§14",
    "FHIR-LEARNING-DISABILITY": "§14",
    "FHIR-AUTISM": "§14",
    "FHIR-GP": "§14",
    "FHIR-DETENTION": "§14",
}

# Rules that belong to one rule set only: §4's opt-out and GP rules and §5's autism trigger came
# with the 2021 policy; §5's young-adult trigger ended with the 2016 programme.
ONE_RULESET: dict[str, RuleSetId] = {
    "ELIG-OPT-OUT": RuleSetId.LEDER_2021,
    "ELIG-GP": RuleSetId.LEDER_2021,
    "PATH-YOUNG-ADULT": RuleSetId.LEDER_2016,
    "PATH-AUTISM": RuleSetId.LEDER_2021,
}

# §2–§8 apply to both rule sets unless marked above (§8: leder-2016 uses the same machine).
# §9 is judged by responsible body and date, not by rule set, so it is not checked here.
BOTH_RULESETS = sorted(
    rule_id
    for rule_id, section in SPECIFIED_RULES.items()
    if section != "§9" and rule_id not in ONE_RULESET
)

INTERPRETATION_IDS = frozenset(field.metadata["id"] for field in attrs.fields(Interpretation))
KNOWN_CITATIONS = frozenset(SOURCES.values())


def _registered(rule_id: str) -> Rule:
    if rule_id not in RULES:
        pytest.fail(f"{rule_id} (rules {SPECIFIED_RULES[rule_id]}) is not in the registry")
    return RULES[rule_id]


@pytest.mark.parametrize("rule_id", list(SPECIFIED_RULES))
def test_every_rule_of_the_rulebook_is_registered_with_a_citation(rule_id: str) -> None:
    rule = _registered(rule_id)
    assert rule.id == rule_id
    assert rule.citations, f"{rule_id} cites no source"
    assert rule.section == SPECIFIED_RULES[rule_id]
    assert rule.title.strip()
    assert rule.text.strip()


def test_the_registry_alone_finds_every_rule() -> None:
    """In a fresh interpreter, so that modules other tests import cannot fill the registry:
    ``leder rules`` reads every rule after importing the registry and nothing else."""
    script = (
        "import json\n"
        "from leder_core.rules.registry import RULES\n"
        "print(json.dumps(sorted(RULES[rule_id].id for rule_id in RULES)))\n"
    )
    result = subprocess.run(  # noqa: S603 - the interpreter running the tests
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    missing = sorted(set(SPECIFIED_RULES) - set(json.loads(result.stdout)))
    assert not missing, f"not found through the registry: {missing}"


def test_every_registered_rule_is_a_rule_of_the_rulebook() -> None:
    unknown = sorted(set(RULES) - set(SPECIFIED_RULES))
    assert not unknown, f"rule ids not specified above: {unknown}"
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_citation_has_a_title_and_an_https_address(rule_id: str) -> None:
    for citation in RULES[rule_id].citations:
        assert citation.title.strip(), f"{rule_id}: a citation without a title"
        assert citation.title == citation.title.strip()
        assert re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", citation.url), citation.url


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_citation_is_a_defined_source(rule_id: str) -> None:
    for citation in RULES[rule_id].citations:
        assert citation in KNOWN_CITATIONS, f"{rule_id} cites an unknown source: {citation}"
    assert len(set(RULES[rule_id].citations)) == len(RULES[rule_id].citations)


def test_every_source_is_defined_once() -> None:
    """One address, one source: a rule citing it twice under two names would be a slip."""
    urls = [citation.url for citation in SOURCES.values()]
    assert len(set(urls)) == len(urls)
    titles = [citation.title for citation in SOURCES.values()]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_interpretations_named_by_a_rule_exist(rule_id: str) -> None:
    for name in RULES[rule_id].interpretations:
        assert name in INTERPRETATION_IDS, f"{rule_id} names an unknown interpretation {name}"


def test_every_interpretation_is_named_by_some_rule() -> None:
    """Each INT-* choice changes how some rule decides (INT-ANNUAL-REPORT: GOV-ANNUAL-REPORT)."""
    named = {name for rule in RULES.values() for name in rule.interpretations}
    assert sorted(INTERPRETATION_IDS - named) == []


@pytest.mark.parametrize(("rule_id", "ruleset"), sorted(ONE_RULESET.items()))
def test_rules_of_one_rule_set_are_marked_so(rule_id: str, ruleset: RuleSetId) -> None:
    rule = _registered(rule_id)
    assert rule.rulesets == (ruleset,)
    assert rule.effective_from == RULESETS[ruleset].effective_from
    assert rule.effective_to == RULESETS[ruleset].effective_to


@pytest.mark.parametrize("rule_id", BOTH_RULESETS)
def test_rules_of_both_rule_sets_are_marked_so(rule_id: str) -> None:
    rule = _registered(rule_id)
    assert set(rule.rulesets) == {RuleSetId.LEDER_2016, RuleSetId.LEDER_2021}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_effective_dates_are_in_order(rule_id: str) -> None:
    rule = RULES[rule_id]
    if rule.effective_from is not None and rule.effective_to is not None:
        assert rule.effective_from <= rule.effective_to
    assert rule.rulesets, f"{rule_id} belongs to no rule set"


@pytest.mark.parametrize("ruleset", list(RuleSetId))
def test_a_rule_set_lists_only_its_own_registered_rules(ruleset: RuleSetId) -> None:
    for rule_id in (*RULESETS[ruleset].eligibility, *RULESETS[ruleset].pathway):
        assert ruleset in _registered(rule_id).rulesets, f"{rule_id} is not a {ruleset} rule"


def test_the_rule_sets_follow_the_rulebook_order() -> None:
    """§4 gives the order of evaluation; §5 the trigger rules of each rule set."""
    both = ("ELIG-CONDITION", "ELIG-AGE-MINIMUM", "ELIG-ENGLAND", "ELIG-CHILD-ROUTE")
    assert RULESETS[RuleSetId.LEDER_2016].eligibility == both
    assert RULESETS[RuleSetId.LEDER_2021].eligibility == (*both, "ELIG-OPT-OUT", "ELIG-GP")
    assert RULESETS[RuleSetId.LEDER_2016].pathway == ("PATH-ETHNICITY", "PATH-YOUNG-ADULT")
    assert RULESETS[RuleSetId.LEDER_2021].pathway == ("PATH-ETHNICITY", "PATH-AUTISM")
    assert RULESETS[RuleSetId.LEDER_2016].effective_from == date(2016, 7, 1)
    assert RULESETS[RuleSetId.LEDER_2016].effective_to == date(2021, 5, 31)
    assert RULESETS[RuleSetId.LEDER_2021].effective_from == date(2021, 6, 1)
    assert RULESETS[RuleSetId.LEDER_2021].effective_to is None
