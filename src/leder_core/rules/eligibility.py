"""Eligibility and route (docs/assessment.md): ELIG-* rules.

Each rule is a function of the case returning whether the case passes it on its way to a LeDeR
review, and the reason in words. A rule that is not passed settles the outcome named in
:data:`OUTCOME_IF_NOT_PASSED`; evaluation stops there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

from leder_core.interpretation import AutismStartKey, Residence
from leder_core.models.assessment import Outcome, RuleSetId
from leder_core.models.explanation import Reason
from leder_core.models.notification import AutismStatus
from leder_core.rules._case import Case
from leder_core.rules.parameters import ADULT_AGE, AUTISM_QUALIFIES, MINIMUM_AGE
from leder_core.rules.registry import Confidence, define_rule

__all__ = ["ELIGIBILITY_RULES", "OUTCOME_IF_NOT_PASSED", "Evaluation"]

#: Whether the case passes the rule, and why.
Evaluation = tuple[bool, Reason]

_2021_ONLY: Final = (RuleSetId.LEDER_2021,)

ELIG_CONDITION: Final = define_rule(
    "ELIG-CONDITION",
    title="A qualifying condition",
    text="The person must have had a learning disability. Under the 2021 policy a diagnosis of "
    "autism also qualifies for deaths from 1 January 2022 (INT-AUTISM-START-KEY); suspected "
    "autism, or autism awaiting assessment, never qualifies. Under the 2016 rule set autism "
    "alone does not qualify.",
    section="§4",
    sources=("leder-faq", "nel-icb-leder", "mip-2021-autism", "lga-leder-2023"),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-AUTISM-START-KEY",),
)
ELIG_AGE_MINIMUM: Final = define_rule(
    "ELIG-AGE-MINIMUM",
    title="Aged 4 or over at death",
    text="Deaths of children under 4 are not in the programme's scope; they are reviewed by the "
    "child death review like every child death.",
    section="§4",
    sources=("nhse-leder-faq-2016", "adass-leder"),
    confidence=Confidence.CONFIRMED,
)
ELIG_ENGLAND: Final = define_rule(
    "ELIG-ENGLAND",
    title="A link to England",
    text="LeDeR is a programme for England: by default the person must have lived in England "
    "(INT-RESIDENCE may instead take the place of death, or either).",
    section="§4",
    sources=("nhse-leder-faq-2016", "kcl-leder"),
    confidence=Confidence.CONFIRMED,
    interpretations=("INT-RESIDENCE",),
)
ELIG_CHILD_ROUTE: Final = define_rule(
    "ELIG-CHILD-ROUTE",
    title="Children aged 4 to 17 go to the child death review",
    text="A death at age 4 to 17 is reviewed by the statutory child death review, which shares "
    "its data with LeDeR; there is no separate LeDeR review.",
    section="§4",
    sources=("leder-faq", "necldn-leder", "child-death-review-guidance"),
    confidence=Confidence.CONFIRMED,
)
ELIG_OPT_OUT: Final = define_rule(
    "ELIG-OPT-OUT",
    title="A national data opt-out stops the review",
    text="Under the 2021 policy an adult who had registered a national data opt-out gets no "
    "LeDeR review. The child route is statutory and unaffected.",
    section="§4",
    sources=("lincs-lmc-opt-out",),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=_2021_ONLY,
    effective_from=date(2021, 6, 1),
)
ELIG_GP: Final = define_rule(
    "ELIG-GP",
    title="No GP registration: a regional decision",
    text="Under the 2021 policy the death of an adult who was not registered with a GP is still "
    "notified, and the NHS England regional coordinator decides case by case whether and how "
    "to review it.",
    section="§4",
    sources=("leder-faq",),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=_2021_ONLY,
    effective_from=date(2021, 6, 1),
)

#: The outcome settled by each eligibility rule when a case does not pass it.
OUTCOME_IF_NOT_PASSED: Final[Mapping[str, Outcome]] = MappingProxyType(
    {
        "ELIG-CONDITION": Outcome.OUT_OF_SCOPE,
        "ELIG-AGE-MINIMUM": Outcome.OUT_OF_SCOPE,
        "ELIG-ENGLAND": Outcome.OUT_OF_SCOPE,
        "ELIG-CHILD-ROUTE": Outcome.CHILD_DEATH_REVIEW,
        "ELIG-OPT-OUT": Outcome.NO_REVIEW_OPT_OUT,
        "ELIG-GP": Outcome.REGIONAL_DECISION,
    }
)


def _fail(rule_reason: Callable[..., Reason], text: str) -> Evaluation:
    return False, rule_reason(False, text, decisive=True)


_LD = ELIG_CONDITION.reason(True, "The person had a learning disability.")
_NO_CONDITION = ELIG_CONDITION.reason(
    False, "The person had neither a learning disability nor a diagnosis of autism.", decisive=True
)
_AUTISM_2016 = ELIG_CONDITION.reason(
    False,
    "The person did not have a learning disability; under the 2016 rule set autism alone does "
    "not qualify.",
    decisive=True,
)
_AUTISM_UNDIAGNOSED = ELIG_CONDITION.reason(
    False,
    "The person did not have a learning disability, and autism that is suspected or awaiting "
    "assessment does not qualify: only a diagnosis does.",
    decisive=True,
)
_AUTISM_KEY_WORDS: Final = {
    AutismStartKey.DATE_OF_DEATH: "the date of death",
    AutismStartKey.NOTIFIED_ON: "the notification date",
}


def condition(case: Case) -> Evaluation:
    """ELIG-CONDITION: a learning disability, or (2021) a diagnosis of autism from 2022."""
    person = case.person
    if person.learning_disability:
        return True, _LD
    if person.autism is AutismStatus.NONE:
        return False, _NO_CONDITION
    if case.ruleset.id is RuleSetId.LEDER_2016:
        return False, _AUTISM_2016
    if person.autism is not AutismStatus.DIAGNOSED:
        return False, _AUTISM_UNDIAGNOSED
    key = case.interpretation.autism_start_key
    if key is AutismStartKey.DATE_OF_DEATH:
        key_date = person.date_of_death
    else:
        key_date = case.notification.notified_on
    words = _AUTISM_KEY_WORDS[key]
    if AUTISM_QUALIFIES.at(key_date):
        return True, ELIG_CONDITION.reason(
            True,
            f"The person had a diagnosis of autism, and {words} is on or after 1 January 2022, "
            "when reviews of autistic adults without a learning disability began "
            f"(INT-AUTISM-START-KEY: {key.value}).",
        )
    return False, ELIG_CONDITION.reason(
        False,
        f"The person had a diagnosis of autism but no learning disability, and {words} is "
        "before 1 January 2022, when reviews of autistic adults without a learning disability "
        f"began (INT-AUTISM-START-KEY: {key.value}).",
        decisive=True,
    )


def age_minimum(case: Case) -> Evaluation:
    """ELIG-AGE-MINIMUM: aged 4 or over at death."""
    minimum = MINIMUM_AGE.at(case.notification.notified_on)
    if case.age >= minimum:
        text = f"The person was aged {minimum} or over at death."
        return True, ELIG_AGE_MINIMUM.reason(True, text)
    return _fail(
        ELIG_AGE_MINIMUM.reason,
        f"The person was under {minimum} at death: outside the programme's scope.",
    )


_ENGLAND_WORDS: Final = {
    Residence.LIVED_IN_ENGLAND: ("lived in England", "did not live in England"),
    Residence.DIED_IN_ENGLAND: ("died in England", "did not die in England"),
    Residence.EITHER: ("lived or died in England", "neither lived nor died in England"),
}


def england(case: Case) -> Evaluation:
    """ELIG-ENGLAND: the link to England that INT-RESIDENCE names."""
    residence = case.interpretation.residence
    person = case.person
    if residence is Residence.LIVED_IN_ENGLAND:
        linked = person.lived_in_england
    elif residence is Residence.DIED_IN_ENGLAND:
        linked = person.died_in_england
    else:
        linked = person.lived_in_england or person.died_in_england
    passed, failed = _ENGLAND_WORDS[residence]
    suffix = f" (INT-RESIDENCE: {residence.value})."
    if linked:
        rests_on_death = residence is Residence.DIED_IN_ENGLAND or (
            residence is Residence.EITHER and not person.lived_in_england
        )
        if rests_on_death and "died_in_england" in person.assumed:
            # The link rests on a place of death the notification did not give.
            text = (
                "No place of death was given; the person is taken to have died in England "
                f"(the default){suffix}"
            )
            return True, ELIG_ENGLAND.reason(True, text)
        return True, ELIG_ENGLAND.reason(True, f"The person {passed}{suffix}")
    return _fail(ELIG_ENGLAND.reason, f"The person {failed}: LeDeR is an England programme{suffix}")


def child_route(case: Case) -> Evaluation:
    """ELIG-CHILD-ROUTE: ages 4 to 17 go to the statutory child death review."""
    adult = ADULT_AGE.at(case.notification.notified_on)
    if case.age >= adult:
        text = f"The person was an adult ({adult} or over) at death."
        return True, ELIG_CHILD_ROUTE.reason(True, text)
    return _fail(
        ELIG_CHILD_ROUTE.reason,
        f"The person was a child (under {adult}) at death: the statutory child death review "
        "reviews the death and shares its data with LeDeR.",
    )


_NO_OPT_OUT = ELIG_OPT_OUT.reason(True, "No national data opt-out was registered.")
_NO_OPT_OUT_ASSUMED = ELIG_OPT_OUT.reason(
    True,
    "No national data opt-out was given; the person is taken not to have registered one "
    "(the default).",
)
_OPT_OUT = ELIG_OPT_OUT.reason(
    False,
    "The person had registered a national data opt-out: no LeDeR review.",
    decisive=True,
)


def opt_out(case: Case) -> Evaluation:
    """ELIG-OPT-OUT (2021): a national data opt-out means no review."""
    if case.person.national_data_opt_out:
        return False, _OPT_OUT
    if "national_data_opt_out" in case.person.assumed:
        return True, _NO_OPT_OUT_ASSUMED
    return True, _NO_OPT_OUT


_GP_REGISTERED = ELIG_GP.reason(True, "The person was registered with a GP.")
_GP_ASSUMED = ELIG_GP.reason(
    True,
    "No GP registration was given; the person is taken to have been registered with a GP "
    "(the default).",
)
_NO_GP = ELIG_GP.reason(
    False,
    "The person was not registered with a GP: the NHS England regional coordinator decides "
    "whether and how the death is reviewed.",
    decisive=True,
)


def gp(case: Case) -> Evaluation:
    """ELIG-GP (2021): no GP registration sends the case to a regional decision."""
    if case.person.gp_registered:
        return True, _GP_ASSUMED if "gp_registered" in case.person.assumed else _GP_REGISTERED
    return False, _NO_GP


#: Every eligibility rule's evaluation, by rule id.
ELIGIBILITY_RULES: Final[Mapping[str, Callable[[Case], Evaluation]]] = MappingProxyType(
    {
        "ELIG-CONDITION": condition,
        "ELIG-AGE-MINIMUM": age_minimum,
        "ELIG-ENGLAND": england,
        "ELIG-CHILD-ROUTE": child_route,
        "ELIG-OPT-OUT": opt_out,
        "ELIG-GP": gp,
    }
)
