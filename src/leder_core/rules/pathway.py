"""Review level and mandatory triggers (docs/assessment.md): PATH-* rules.

Every LeDeR review starts as an initial review; a mandatory trigger raises the minimum level
at notification to the rule set's deeper level (``focused`` in 2021, ``multi_agency`` in 2016).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

from leder_core.interpretation import AutismFocused, AutismStartKey, MinorityEthnic
from leder_core.models.assessment import AssessmentWarning, RuleSetId, Trigger
from leder_core.models.explanation import Reason
from leder_core.models.notification import AutismStatus, EthnicCategory
from leder_core.rules._case import Case
from leder_core.rules.parameters import (
    ADULT_AGE,
    AUTISM_FOCUSED_MANDATORY,
    YOUNG_ADULT_MAXIMUM_AGE,
)
from leder_core.rules.registry import Confidence, define_rule

__all__ = ["MINORITY_ETHNIC_CODES", "PATHWAY_RULES", "TriggerEvaluation"]

#: The trigger if it applies (else ``None``), a warning if any, and the reason.
TriggerEvaluation = tuple[Trigger | None, AssessmentWarning | None, Reason]

PATH_ETHNICITY: Final = define_rule(
    "PATH-ETHNICITY",
    title="Minority ethnic background: mandatory deeper review",
    text="A person from a Black, Asian or minority ethnic background gets a focused review "
    "(2021) or a multi-agency review (2016) (INT-MINORITY-ETHNIC). When ethnicity is missing, "
    "not stated (Z) or not known (99) there is no trigger, but the warning "
    "'ethnicity_unrecorded' asks a reviewer to establish it.",
    section="§5",
    sources=("mip-2021-autism", "nhse-announcement-2021", "nhs-data-dictionary-ethnic-category"),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-MINORITY-ETHNIC",),
)
PATH_YOUNG_ADULT: Final = define_rule(
    "PATH-YOUNG-ADULT",
    title="Young adults aged 18 to 24: priority theme (2016)",
    text="Under the 2016 rule set a death at age 18 to 24 was a priority theme and got a "
    "multi-agency review.",
    section="§5",
    sources=("bristol-annual-report-2018",),
    confidence=Confidence.CONFIRMED,
    rulesets=(RuleSetId.LEDER_2016,),
    effective_from=date(2016, 7, 1),
    effective_to=date(2021, 5, 31),
)
PATH_AUTISM: Final = define_rule(
    "PATH-AUTISM",
    title="Autistic adults without a learning disability: mandatory focused review",
    text="Under the 2021 policy the death of an adult with a diagnosis of autism and no "
    "learning disability gets a focused review when the key date (INT-AUTISM-START-KEY: the "
    "date of death by default, or the notification date) is on or before 31 December 2023 "
    "(INT-AUTISM-FOCUSED).",
    section="§5",
    sources=("mip-2021-autism",),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=(RuleSetId.LEDER_2021,),
    effective_from=date(2021, 6, 1),
    interpretations=("INT-AUTISM-FOCUSED", "INT-AUTISM-START-KEY"),
)

#: ETHNIC CATEGORY codes that count as a minority ethnic background, by INT-MINORITY-ETHNIC.
MINORITY_ETHNIC_CODES: Final[Mapping[MinorityEthnic, frozenset[EthnicCategory]]] = MappingProxyType(
    {
        MinorityEthnic.EXCLUDING_WHITE_MINORITIES: frozenset(
            EthnicCategory(code) for code in "DEFGHJKLMNPRS"
        ),
        MinorityEthnic.ALL_EXCEPT_WHITE_BRITISH: frozenset(
            EthnicCategory(code) for code in "BCDEFGHJKLMNPRS"
        ),
    }
)
_UNRECORDED: Final = frozenset({None, EthnicCategory.NOT_STATED, EthnicCategory.NOT_KNOWN})


def _ethnicity_reasons(level_words: str) -> tuple[Reason, Reason, Reason]:
    return (
        PATH_ETHNICITY.reason(
            True,
            f"The person was from a minority ethnic background: a {level_words} is mandatory.",
        ),
        PATH_ETHNICITY.reason(False, "The person was not from a minority ethnic background."),
        PATH_ETHNICITY.reason(
            False,
            "Ethnicity is not recorded (missing, not stated or not known): no trigger, but a "
            f"reviewer must establish it, because a mandatory {level_words} may depend on it.",
        ),
    )


_ETHNICITY_REASONS: Final = {
    RuleSetId.LEDER_2016: _ethnicity_reasons("multi-agency review"),
    RuleSetId.LEDER_2021: _ethnicity_reasons("focused review"),
}


def ethnicity(case: Case) -> TriggerEvaluation:
    """PATH-ETHNICITY: a minority ethnic background is a mandatory trigger."""
    code = case.person.ethnicity
    applies, not_minority, unrecorded = _ETHNICITY_REASONS[case.ruleset.id]
    if code in _UNRECORDED:
        return None, AssessmentWarning.ETHNICITY_UNRECORDED, unrecorded
    minority = MINORITY_ETHNIC_CODES[case.interpretation.minority_ethnic]
    if code in minority:
        return Trigger.ETHNIC_MINORITY, None, applies
    return None, None, not_minority


def young_adult(case: Case) -> TriggerEvaluation:
    """PATH-YOUNG-ADULT (2016): a death at 18 to 24 is a priority theme."""
    notified = case.notification.notified_on
    low, high = ADULT_AGE.at(notified), YOUNG_ADULT_MAXIMUM_AGE.at(notified)
    if low <= case.age <= high:
        return (
            Trigger.YOUNG_ADULT_18_24,
            None,
            PATH_YOUNG_ADULT.reason(
                True,
                f"The person died aged {low} to {high}, a priority theme: a multi-agency review "
                "is mandatory.",
            ),
        )
    return None, None, PATH_YOUNG_ADULT.reason(False, f"The person was not aged {low} to {high}.")


_AUTISM_NOT_APPLICABLE = PATH_AUTISM.reason(
    False, "Not an autistic adult without a learning disability."
)


def autism(case: Case) -> TriggerEvaluation:
    """PATH-AUTISM (2021): autistic adults without a learning disability, by INT-AUTISM-FOCUSED."""
    person = case.person
    if person.learning_disability or person.autism is not AutismStatus.DIAGNOSED:
        return None, None, _AUTISM_NOT_APPLICABLE
    choice = case.interpretation.autism_focused
    key = case.interpretation.autism_start_key
    setting = f"(INT-AUTISM-FOCUSED: {choice.value}; INT-AUTISM-START-KEY: {key.value})"
    why = "no mandatory focused review applies under this interpretation"
    if choice is AutismFocused.ALWAYS:
        mandatory = True
    elif choice is AutismFocused.NEVER:
        mandatory = False
    else:
        why = "the key date is after 31 December 2023, when mandatory focused reviews ended"
        # The same key date as ELIG-CONDITION reads, so eligibility and this trigger agree.
        if key is AutismStartKey.DATE_OF_DEATH:
            key_date = person.date_of_death
        else:
            key_date = case.notification.notified_on
        entry = AUTISM_FOCUSED_MANDATORY.entry_at(key_date)
        mandatory = entry is not None and entry.value
    if mandatory:
        return (
            Trigger.AUTISTIC_WITHOUT_LEARNING_DISABILITY,
            None,
            PATH_AUTISM.reason(
                True,
                "An autistic adult without a learning disability: a focused review is mandatory "
                f"{setting}.",
            ),
        )
    return (
        None,
        None,
        PATH_AUTISM.reason(
            False,
            f"An autistic adult without a learning disability, but {why} {setting}.",
        ),
    )


#: Every trigger rule's evaluation, by rule id.
PATHWAY_RULES: Final[Mapping[str, Callable[[Case], TriggerEvaluation]]] = MappingProxyType(
    {
        "PATH-ETHNICITY": ethnicity,
        "PATH-YOUNG-ADULT": young_adult,
        "PATH-AUTISM": autism,
    }
)
