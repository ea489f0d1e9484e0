"""Other statutory processes a review waits for (docs: deadlines-and-holds): HOLD-* rules.

Expected holds only inform: a review is held only by a ``hold_placed`` event.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Final

from leder_core.models.explanation import Reason
from leder_core.models.notification import Detention, OtherProcess
from leder_core.rules._case import Case
from leder_core.rules.parameters import DOLS_IS_STATE_DETENTION, POLICE_CONDUCT_BODY
from leder_core.rules.registry import Confidence, define_rule

__all__ = ["HOLD_DECLARED", "HOLD_DETENTION", "declared_holds", "detention_holds"]

HOLD_DECLARED: Final = define_rule(
    "HOLD-DECLARED",
    title="Declared processes are expected holds",
    text="A LeDeR review waits for other formal processes about the same death: every process "
    "listed in the notification is an expected hold.",
    section="§6",
    sources=("leder-process", "nhse-leder-faq-2016"),
    confidence=Confidence.CONFIRMED,
)
HOLD_DETENTION: Final = define_rule(
    "HOLD-DETENTION",
    title="A death in state detention means an inquest",
    text="A death in state detention requires an inquest, so 'coroner_inquest' is an expected "
    "hold for a death detained under the Mental Health Act, in prison, in police custody or in "
    "immigration detention, or under a Deprivation of Liberty authorisation before "
    "3 April 2017. Prison and immigration detention also add 'prisons_ombudsman'; police "
    "custody also adds 'iopc_investigation' (a death in or following police custody is "
    "referred to the Independent Office for Police Conduct, or, for a death before "
    "8 January 2018, to the Independent Police Complaints Commission it replaced).",
    section="§6",
    sources=(
        "coroners-and-justice-act-2009-s1",
        "policing-and-crime-act-2017-dols",
        "ppo",
        "iopc",
    ),
    confidence=Confidence.CONFIRMED,
)

_STATE_DETENTION: Final = frozenset(
    {
        Detention.MENTAL_HEALTH_ACT,
        Detention.PRISON,
        Detention.POLICE_CUSTODY,
        Detention.IMMIGRATION_DETENTION,
    }
)
_OMBUDSMAN: Final = frozenset({Detention.PRISON, Detention.IMMIGRATION_DETENTION})
_NONE_DECLARED = HOLD_DECLARED.reason(False, "No other process was declared in the notification.")
_NOT_DETAINED = HOLD_DETENTION.reason(False, "The person did not die in state detention.")
_NOT_DETAINED_ASSUMED = HOLD_DETENTION.reason(
    False,
    "No detention was given; the person is taken not to have died in state detention "
    "(the default).",
)
_DOLS_AFTER = HOLD_DETENTION.reason(
    False,
    "The person died under a Deprivation of Liberty authorisation on or after 3 April 2017, "
    "which no longer counts as state detention: no inquest is required on that ground.",
)


def declared_holds(case: Case) -> tuple[frozenset[OtherProcess], Reason]:
    """HOLD-DECLARED: every process in ``other_processes``."""
    declared = frozenset(case.notification.other_processes)
    if not declared:
        return declared, _NONE_DECLARED
    names = ", ".join(sorted(process.value for process in declared))
    return declared, HOLD_DECLARED.reason(True, f"Declared in the notification: {names}.")


def detention_holds(case: Case) -> tuple[frozenset[OtherProcess], Reason]:
    """HOLD-DETENTION: an inquest (and the ombudsman) for deaths in state detention."""
    detention = case.person.detention
    died = case.person.date_of_death
    if detention is Detention.DEPRIVATION_OF_LIBERTY:
        if not DOLS_IS_STATE_DETENTION.at(died):
            return frozenset(), _DOLS_AFTER
        return frozenset({OtherProcess.CORONER_INQUEST}), _detained_reason(detention, died)
    if detention not in _STATE_DETENTION:
        if detention is Detention.NONE and "detention" in case.person.assumed:
            return frozenset(), _NOT_DETAINED_ASSUMED
        return frozenset(), _NOT_DETAINED
    holds = {OtherProcess.CORONER_INQUEST}
    if detention in _OMBUDSMAN:
        holds.add(OtherProcess.PRISONS_OMBUDSMAN)
    if detention is Detention.POLICE_CUSTODY:
        holds.add(OtherProcess.IOPC_INVESTIGATION)
    return frozenset(holds), _detained_reason(detention, died)


_DETAINED_WORDS: Final = {
    Detention.MENTAL_HEALTH_ACT: "detained under the Mental Health Act",
    Detention.PRISON: "in prison",
    Detention.POLICE_CUSTODY: "in police custody",
    Detention.IMMIGRATION_DETENTION: "in immigration detention",
    Detention.DEPRIVATION_OF_LIBERTY: "under a Deprivation of Liberty authorisation before "
    "3 April 2017",
}


def _detained_reason(detention: Detention, died: date) -> Reason:
    text = f"The person died {_DETAINED_WORDS[detention]}: a death in state detention requires "
    text += "an inquest (coroner_inquest)"
    if detention in _OMBUDSMAN:
        text += ", and the Prisons and Probation Ombudsman investigates (prisons_ombudsman)"
    if detention is Detention.POLICE_CUSTODY:
        body = POLICE_CONDUCT_BODY.at(died)
        text += f", and the death is referred to {body} (iopc_investigation)"
    return _reason(text + ".")


@lru_cache(maxsize=64)
def _reason(text: str) -> Reason:
    """One reason object per sentence, shared as the rules share their reasons."""
    return HOLD_DETENTION.reason(True, text)
