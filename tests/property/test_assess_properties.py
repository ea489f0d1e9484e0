"""Properties of ``assess`` over notifications Hypothesis generates (rules §2–§7, §13).

The strongest of them compares every assessment with a small reference model written from the
rulebook alone, working from the document as it is written on the wire; the others check the
shape of the explanation, what the decision may and may not depend on, and that the ways of
calling ``assess`` agree.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from leder_core import Interpretation, assess, dump, load_notification
from leder_core.interpretation import AutismFocused, AutismStartKey, LeapDay, Residence
from leder_core.models.assessment import Assessment
from leder_core.testing import (
    interpretation_documents,
    interpretations,
    nhs_numbers,
    notification_documents,
    ods_codes,
    plausible_dates,
)

PROGRAMME_START = date(2016, 7, 1)
POLICY_2021 = date(2021, 6, 1)
AUTISM_START = date(2022, 1, 1)
AUTISM_FOCUSED_END = date(2023, 12, 31)
DOLS_CHANGE = date(2017, 4, 3)

# Rules §4 (order of evaluation) and §5 (trigger rules), by rule set.
ELIGIBILITY = {
    "leder-2016": ("ELIG-CONDITION", "ELIG-AGE-MINIMUM", "ELIG-ENGLAND", "ELIG-CHILD-ROUTE"),
    "leder-2021": (
        "ELIG-CONDITION",
        "ELIG-AGE-MINIMUM",
        "ELIG-ENGLAND",
        "ELIG-CHILD-ROUTE",
        "ELIG-OPT-OUT",
        "ELIG-GP",
    ),
}
PATHWAY = {
    "leder-2016": ("PATH-ETHNICITY", "PATH-YOUNG-ADULT"),
    "leder-2021": ("PATH-ETHNICITY", "PATH-AUTISM"),
}
AFTER_PATHWAY = ("HOLD-DECLARED", "HOLD-DETENTION", "DEAD-SIX-MONTHS")
IN_SCOPE = frozenset({"leder_review", "regional_decision"})
OUTCOME_OF_DECISIVE = {
    "RS-SELECT": "out_of_scope",
    "ELIG-CONDITION": "out_of_scope",
    "ELIG-AGE-MINIMUM": "out_of_scope",
    "ELIG-ENGLAND": "out_of_scope",
    "ELIG-CHILD-ROUTE": "child_death_review",
    "ELIG-OPT-OUT": "no_review_opt_out",
    "ELIG-GP": "regional_decision",
}
MINORITY = {
    "excluding_white_minorities": frozenset("DEFGHJKLMNPRS"),
    "all_except_white_british": frozenset("BCDEFGHJKLMNPRS"),
}
DETENTION_HOLDS = {
    "none": (),
    "mental_health_act": ("coroner_inquest",),
    "prison": ("coroner_inquest", "prisons_ombudsman"),
    "police_custody": ("coroner_inquest", "iopc_investigation"),
    "immigration_detention": ("coroner_inquest", "prisons_ombudsman"),
}

# Any valid document, mixed with documents that lean toward the rarer branches: in scope (where
# the trigger, hold and deadline rules run), the 2016 era, and autistic adults without a
# learning disability around the autism dates.
documents = st.one_of(
    notification_documents(),
    notification_documents(
        learning_disability=True,
        lived_in_england=True,
        age_at_death=st.integers(16, 90),
    ),
    notification_documents(
        learning_disability=True,
        lived_in_england=True,
        notified_on=plausible_dates(PROGRAMME_START, date(2021, 5, 31)),
    ),
    notification_documents(
        learning_disability=False,
        autism="diagnosed",
        lived_in_england=True,
        notified_on=plausible_dates(date(2021, 6, 1), date(2024, 12, 31)),
    ),
    # Deaths on the days the death-keyed rules turn: Deprivation of Liberty (HOLD-DETENTION)
    # and the autism start date (ELIG-CONDITION, INT-AUTISM-START-KEY).
    notification_documents(
        learning_disability=True,
        lived_in_england=True,
        age_at_death=st.integers(18, 90),
        detention="deprivation_of_liberty",
        date_of_death=st.sampled_from([DOLS_CHANGE - timedelta(days=1), DOLS_CHANGE]),
    ),
    notification_documents(
        learning_disability=False,
        autism="diagnosed",
        lived_in_england=True,
        age_at_death=st.integers(18, 90),
        date_of_death=st.sampled_from([AUTISM_START - timedelta(days=1), AUTISM_START]),
    ),
)
document_ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}\Z")
notifier_roles = st.sampled_from(
    ["family", "carer", "friend", "gp", "health_professional", "social_care_professional", "other"]
)


# --- A reference model of the rulebook ------------------------------------------------------


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _age(born: date, died: date, leap_day: LeapDay) -> int:
    """AGE-AT-DEATH: birthdays reached; 29 February falls on 1 March or 28 February (§3)."""
    age = died.year - born.year
    if (born.month, born.day) == (2, 29) and not _is_leap(died.year):
        birthday = (3, 1) if leap_day is LeapDay.MARCH_1 else (2, 28)
    else:
        birthday = (born.month, born.day)
    return age - 1 if (died.month, died.day) < birthday else age


def reference(document: dict[str, Any], interpretation: Interpretation) -> dict[str, Any]:
    """What the rulebook says an assessment holds, from the document and nothing else."""
    person = document["person"]
    notified = date.fromisoformat(document["notified_on"])
    born = date.fromisoformat(person["date_of_birth"])
    died = date.fromisoformat(person["date_of_death"])
    learning_disability = person["learning_disability"]
    autism = person["autism"]
    ethnicity = person.get("ethnicity")
    lived = person["lived_in_england"]
    died_in_england = person.get("died_in_england", True)
    age = _age(born, died, interpretation.leap_day)
    out: dict[str, Any] = {
        "age_at_death": age,
        "review_level": None,
        "mandatory_triggers": [],
        "expected_holds": [],
        "due_on": None,
        "warnings": [],
    }
    if notified < PROGRAMME_START:
        return {**out, "ruleset": None, "outcome": "out_of_scope"}
    ruleset = "leder-2016" if notified < POLICY_2021 else "leder-2021"
    out["ruleset"] = ruleset
    key = died if interpretation.autism_start_key is AutismStartKey.DATE_OF_DEATH else notified
    autistic = autism == "diagnosed" and not learning_disability
    qualifies = learning_disability or (
        ruleset == "leder-2021" and autistic and key >= AUTISM_START
    )
    linked = {
        Residence.LIVED_IN_ENGLAND: lived,
        Residence.DIED_IN_ENGLAND: died_in_england,
        Residence.EITHER: lived or died_in_england,
    }[interpretation.residence]
    if not qualifies or age < 4 or not linked:
        return {**out, "outcome": "out_of_scope"}
    if age < 18:
        return {**out, "outcome": "child_death_review"}
    if ruleset == "leder-2021" and person.get("national_data_opt_out", False):
        return {**out, "outcome": "no_review_opt_out"}
    if ruleset == "leder-2021" and not person.get("gp_registered", True):
        out["outcome"] = "regional_decision"
    else:
        out["outcome"] = "leder_review"

    triggers = []
    if ethnicity in MINORITY[interpretation.minority_ethnic.value]:
        triggers.append("ethnic_minority")
    if ruleset == "leder-2016" and 18 <= age <= 24:
        triggers.append("young_adult_18_24")
    if ruleset == "leder-2021" and autistic:
        focused = interpretation.autism_focused
        if focused is AutismFocused.ALWAYS or (
            focused is AutismFocused.UNTIL_2023 and key <= AUTISM_FOCUSED_END
        ):
            triggers.append("autistic_without_learning_disability")
    deeper = "multi_agency" if ruleset == "leder-2016" else "focused"
    detention = person.get("detention", "none")
    if detention == "deprivation_of_liberty":
        detained = ("coroner_inquest",) if died < DOLS_CHANGE else ()
    else:
        detained = DETENTION_HOLDS[detention]
    holds = set(document.get("other_processes", [])) | set(detained)
    return {
        **out,
        "review_level": deeper if triggers else "initial",
        "mandatory_triggers": sorted(triggers),
        "expected_holds": sorted(holds),
        "due_on": (notified + relativedelta(months=6)).isoformat(),
        "warnings": ["ethnicity_unrecorded"] if ethnicity in (None, "Z", "99") else [],
    }


@given(documents, interpretations())
def test_assess_agrees_with_the_rulebook(document: dict[str, Any], chosen: Interpretation) -> None:
    produced = dump(assess(document, interpretation=chosen))
    expected = reference(document, chosen)
    assert {key: produced[key] for key in expected} == expected


@given(notification_documents(age_at_death=st.integers(16, 26)), interpretations())
def test_assess_agrees_with_the_rulebook_around_18_and_25(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    produced = dump(assess(document, interpretation=chosen))
    expected = reference(document, chosen)
    assert {key: produced[key] for key in expected} == expected


# --- The shape of the explanation (§13) -----------------------------------------------------


@given(documents, interpretations())
def test_assess_never_raises_and_explains_itself(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    assessment = dump(assess(document, interpretation=chosen))
    reasons = assessment["reasons"]
    rules = [reason["rule"] for reason in reasons]
    decisive = [index for index, reason in enumerate(reasons) if reason["decisive"]]
    assert len(decisive) == 1, rules
    decisive_rule = rules[decisive[0]]
    for reason in reasons:
        assert reason["citations"], reason["rule"]
        assert reason["text"].strip()

    # RS-SELECT always first; nothing else when no rule set applies.
    assert rules[0] == "RS-SELECT"
    ruleset = assessment["ruleset"]
    if ruleset is None:
        assert rules == ["RS-SELECT"]
        assert assessment["outcome"] == "out_of_scope"
        assert not reasons[0]["holds"]
        return
    assert reasons[0]["holds"]

    # AGE-AT-DEATH when a rule set applies, holding; then that rule set's eligibility rules up
    # to the decisive one, each passed but the decisive one (unless it is a LeDeR review).
    assert rules[1] == "AGE-AT-DEATH"
    assert reasons[1]["holds"]
    eligibility = rules[2 : decisive[0] + 1]
    assert tuple(eligibility) == ELIGIBILITY[ruleset][: len(eligibility)]
    outcome = assessment["outcome"]
    for reason in reasons[2 : decisive[0]]:
        assert reason["holds"], reason["rule"]
    if outcome == "leder_review":
        assert tuple(eligibility) == ELIGIBILITY[ruleset]
        assert reasons[decisive[0]]["holds"]
    else:
        assert OUTCOME_OF_DECISIVE[decisive_rule] == outcome
        assert not reasons[decisive[0]]["holds"]

    # Then, only for a LeDeR review or a regional decision, that rule set's trigger rules, the
    # hold rules and the due date; nothing for any other outcome.
    rest = rules[decisive[0] + 1 :]
    if outcome in IN_SCOPE:
        assert tuple(rest) == PATHWAY[ruleset] + AFTER_PATHWAY
        assert reasons[-1]["holds"]  # DEAD-SIX-MONTHS
    else:
        assert rest == []


@given(documents, interpretations())
def test_reasons_for_triggers_and_holds_agree_with_the_decision(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    assessment = dump(assess(document, interpretation=chosen))
    holding = {reason["rule"] for reason in assessment["reasons"] if reason["holds"]}
    triggers = set(assessment["mandatory_triggers"])
    assert ("PATH-ETHNICITY" in holding) == ("ethnic_minority" in triggers)
    assert ("PATH-YOUNG-ADULT" in holding) == ("young_adult_18_24" in triggers)
    assert ("PATH-AUTISM" in holding) == ("autistic_without_learning_disability" in triggers)
    if assessment["outcome"] in IN_SCOPE:
        declared = set(document.get("other_processes", []))
        assert ("HOLD-DECLARED" in holding) == bool(declared)
        assert declared <= set(assessment["expected_holds"])
        detained = set(assessment["expected_holds"]) - declared
        if detained:
            assert "HOLD-DETENTION" in holding


@given(documents, interpretations())
def test_level_holds_due_date_and_warnings_only_in_scope(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    assessment = assess(document, interpretation=chosen)
    notified = date.fromisoformat(document["notified_on"])
    if assessment.outcome.value in IN_SCOPE:
        assert assessment.review_level is not None
        assert assessment.due_on is not None
        assert notified < assessment.due_on <= notified + timedelta(days=184)
        deeper = "multi_agency" if assessment.ruleset == "leder-2016" else "focused"
        level = deeper if assessment.mandatory_triggers else "initial"
        assert assessment.review_level == level
    else:
        assert assessment.review_level is None
        assert assessment.due_on is None
        assert assessment.mandatory_triggers == ()
        assert assessment.expected_holds == ()
        assert assessment.warnings == ()
    for names in (assessment.mandatory_triggers, assessment.expected_holds, assessment.warnings):
        assert list(names) == sorted(set(names))


# --- What the decision depends on -----------------------------------------------------------


def _without_id(assessment: Assessment) -> dict[str, Any]:
    document = dump(assessment)
    del document["notification_id"]
    return document


# Facts the rulebook never uses: who notified, the identifiers, the responsible body.
irrelevant_facts = st.fixed_dictionaries(
    {
        "id": document_ids,
        "nhs_number": st.one_of(st.none(), nhs_numbers()),
        "notifier_role": notifier_roles,
        "responsible_body": st.one_of(st.none(), ods_codes()),
    }
)


@given(documents, interpretations(), irrelevant_facts)
def test_who_notified_and_who_is_responsible_never_change_the_decision(
    document: dict[str, Any], chosen: Interpretation, facts: dict[str, Any]
) -> None:
    changed = copy.deepcopy(document)
    changed["id"] = facts["id"]
    changed["person"]["nhs_number"] = facts["nhs_number"]
    changed["notifier_role"] = facts["notifier_role"]
    changed["responsible_body"] = facts["responsible_body"]
    before = assess(document, interpretation=chosen)
    after = assess(changed, interpretation=chosen)
    assert _without_id(after) == _without_id(before)
    assert after.notification_id == facts["id"]


@given(documents, st.integers(0, 3 * 366), st.sampled_from(LeapDay))
def test_a_later_death_never_lowers_the_age(
    document: dict[str, Any], days: int, leap_day: LeapDay
) -> None:
    died = date.fromisoformat(document["person"]["date_of_death"])
    later = min(died + timedelta(days=days), date(2199, 12, 31))
    changed = copy.deepcopy(document)
    changed["person"]["date_of_death"] = later.isoformat()
    notified = date.fromisoformat(document["notified_on"])
    changed["notified_on"] = max(notified, later).isoformat()
    chosen = Interpretation(leap_day=leap_day)
    before = assess(document, interpretation=chosen).age_at_death
    after = assess(changed, interpretation=chosen).age_at_death
    assert before <= after


@given(documents, interpretations())
def test_the_interpretation_given_is_recorded(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    assert assess(document, interpretation=chosen).interpretation == chosen


@given(documents)
def test_no_interpretation_is_the_default_interpretation(document: dict[str, Any]) -> None:
    assessment = assess(document)
    assert assessment.interpretation == Interpretation()
    assert assessment == assess(document, interpretation=Interpretation())
    assert assessment == assess(document, interpretation={})


# --- The ways of calling assess agree -------------------------------------------------------


@given(documents, interpretations())
def test_a_document_and_its_loaded_notification_assess_alike(
    document: dict[str, Any], chosen: Interpretation
) -> None:
    snapshot = copy.deepcopy(document)
    from_document = assess(document, interpretation=chosen)
    assert document == snapshot  # the caller's document is not changed
    assert from_document == assess(load_notification(document), interpretation=chosen)


@given(documents, interpretation_documents())
def test_an_interpretation_mapping_and_object_assess_alike(
    document: dict[str, Any], mapping: dict[str, Any]
) -> None:
    from_mapping = assess(document, interpretation=mapping)
    from_object = assess(document, interpretation=Interpretation(**mapping))
    assert from_mapping == from_object
    assert dump(from_mapping)["interpretation"] == {**dump(Interpretation()), **mapping}
