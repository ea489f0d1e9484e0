"""Rule sets and their selection (RS-SELECT; docs/rulesets.md).

A rule set is data: its dates, its citation and the level its deeper reviews take; its
eligibility and trigger rules, in evaluation order, are those of the catalogue
(:data:`~leder_core.rules.registry.CATALOGUE`) that belong to it. The parameters the rules
read are dated values in :mod:`leder_core.rules.parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Final

import attrs

from leder_core.models.assessment import ReviewLevel, RuleSetId
from leder_core.models.explanation import Citation, Reason
from leder_core.rules.parameters import RULESET_BY_NOTIFICATION_DATE
from leder_core.rules.registry import Confidence, define_rule, rules_defined_in
from leder_core.rules.sources import SOURCES

__all__ = ["RS_SELECT", "RULESETS", "RuleSet", "select_ruleset"]

RS_SELECT: Final = define_rule(
    "RS-SELECT",
    title="Rule set chosen by notification date",
    text="The rule set is chosen by the notification date: none before 1 July 2016, when "
    "national counting began; the University of Bristol programme ('leder-2016') from then to "
    "31 May 2021; NHS England's LeDeR policy 2021 ('leder-2021') from 1 June 2021.",
    section="§2",
    sources=("bristol-annual-report-2018", "leder-policy-2021"),
    confidence=Confidence.CONFIRMED,
    effective_from=date(2016, 7, 1),
)


@attrs.frozen(kw_only=True)
class RuleSet:
    """A version of the programme's rules."""

    id: RuleSetId
    title: str
    effective_from: date
    effective_to: date | None
    citation: Citation
    deeper_level: ReviewLevel
    """The level a mandatory trigger, a family request or a concern raises a review to."""

    @cached_property
    def eligibility(self) -> tuple[str, ...]:
        """Eligibility rule ids in evaluation order (docs/assessment.md): the catalogue's rules
        of :mod:`leder_core.rules.eligibility` that belong to this rule set."""
        return rules_defined_in("leder_core.rules.eligibility", self.id)

    @cached_property
    def pathway(self) -> tuple[str, ...]:
        """Mandatory trigger rule ids in evaluation order (docs/assessment.md): the catalogue's
        rules of :mod:`leder_core.rules.pathway` that belong to this rule set."""
        return rules_defined_in("leder_core.rules.pathway", self.id)

    def __str__(self) -> str:
        return self.id.value


RULESETS: Final[Mapping[RuleSetId, RuleSet]] = MappingProxyType(
    {
        RuleSetId.LEDER_2016: RuleSet(
            id=RuleSetId.LEDER_2016,
            title="University of Bristol LeDeR programme",
            effective_from=date(2016, 7, 1),
            effective_to=date(2021, 5, 31),
            citation=SOURCES["bristol-annual-report-2018"],
            deeper_level=ReviewLevel.MULTI_AGENCY,
        ),
        RuleSetId.LEDER_2021: RuleSet(
            id=RuleSetId.LEDER_2021,
            title="NHS England LeDeR policy 2021",
            effective_from=date(2021, 6, 1),
            effective_to=None,
            citation=SOURCES["leder-policy-2021"],
            deeper_level=ReviewLevel.FOCUSED,
        ),
    }
)

_BEFORE_PROGRAMME: Final = RS_SELECT.reason(
    False,
    "Notified before 1 July 2016, when the national programme began: no rule set applies.",
    decisive=True,
)
_SELECTED: Final = {
    RuleSetId.LEDER_2016: RS_SELECT.reason(
        True,
        "Notified between 1 July 2016 and 31 May 2021: the University of Bristol programme's "
        "rules apply (leder-2016).",
    ),
    RuleSetId.LEDER_2021: RS_SELECT.reason(
        True,
        "Notified on or after 1 June 2021: NHS England's LeDeR policy 2021 applies (leder-2021).",
    ),
}


def select_ruleset(notified_on: date) -> tuple[RuleSet | None, Reason]:
    """RS-SELECT: the rule set for a notification date, with the reason."""
    entry = RULESET_BY_NOTIFICATION_DATE.entry_at(notified_on)
    if entry is None:
        return None, _BEFORE_PROGRAMME
    return RULESETS[entry.value], _SELECTED[entry.value]
