"""The registry of rules: one definition per rule, read by explanations, catalogue and docs.

Each rule of the rulebook is declared once with :func:`define_rule`: its id, a title, the
sentence that states it, the rule sets and dates it applies to, and the sources it cites.
Evaluating a rule produces :class:`~leder_core.models.Reason` objects through
:meth:`Rule.reason`, so an explanation always carries the rule's own id and citations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Final

import attrs

from leder_core.models.assessment import RuleSetId
from leder_core.models.catalogue import CatalogueRule, Confidence, RuleCatalogue
from leder_core.models.explanation import Citation, Reason
from leder_core.rules.sources import cite

__all__ = [
    "RULES",
    "Confidence",
    "Rule",
    "as_decisive",
    "define_rule",
    "iter_rules",
    "rule",
    "rule_catalogue",
]


def _at_least_one(
    instance: Rule, attribute: attrs.Attribute[tuple[Citation, ...]], value: tuple[Citation, ...]
) -> None:
    if not value:
        raise ValueError(f"rule {instance.id} must cite at least one source")


@attrs.frozen(kw_only=True)
class Rule:
    """A rule of the rulebook as data."""

    id: str
    title: str
    text: str
    """The rule in one or two plain sentences."""
    section: str
    """Its section of the rules, such as ``"§4"`` (the docs link it to the page explaining it)."""
    rulesets: tuple[RuleSetId, ...]
    effective_from: date | None = None
    effective_to: date | None = None
    """The last day the rule applies, if it has stopped applying."""
    citations: tuple[Citation, ...] = attrs.field(validator=_at_least_one)
    confidence: Confidence
    interpretations: tuple[str, ...] = ()
    """The ``INT-*`` choices that can change how the rule decides."""

    def reason(self, holds: bool, text: str, *, decisive: bool = False) -> Reason:
        """This rule's part in a decision."""
        return _reason(self.id, holds, decisive, text)

    def catalogue_entry(self) -> CatalogueRule:
        """The rule as its entry of the catalogue document."""
        return CatalogueRule(
            id=self.id,
            title=self.title,
            text=self.text,
            section=self.section,
            rulesets=self.rulesets,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            confidence=self.confidence,
            interpretations=self.interpretations,
            citations=self.citations,
        )


@lru_cache(maxsize=8192)
def _reason(rule_id: str, holds: bool, decisive: bool, text: str) -> Reason:
    # Reasons are values: the same rule giving the same answer in the same words is one object,
    # which keeps bulk assessment cheap.
    citations = _RULES[rule_id].citations
    return Reason(rule=rule_id, holds=holds, decisive=decisive, text=text, citations=citations)


def as_decisive(reason: Reason) -> Reason:
    """The same reason marked as the one that settled the outcome."""
    return _reason(reason.rule, reason.holds, True, reason.text)


_RULES: dict[str, Rule] = {}

#: Every rule by id, read-only (in definition order; :func:`iter_rules` gives the rulebook's).
RULES: Final[Mapping[str, Rule]] = MappingProxyType(_RULES)

_BOTH: Final = (RuleSetId.LEDER_2016, RuleSetId.LEDER_2021)


def define_rule(
    id: str,
    *,
    title: str,
    text: str,
    section: str,
    sources: tuple[str, ...],
    confidence: Confidence | str,
    rulesets: tuple[RuleSetId, ...] = _BOTH,
    effective_from: date | None = None,
    effective_to: date | None = None,
    interpretations: tuple[str, ...] = (),
) -> Rule:
    """Declare a rule once; declaring the same id twice is a programming error."""
    if id in _RULES:
        raise ValueError(f"rule {id} is defined twice")
    defined = Rule(
        id=id,
        title=title,
        text=text,
        section=section,
        rulesets=rulesets,
        effective_from=effective_from,
        effective_to=effective_to,
        citations=cite(*sources),
        confidence=Confidence(confidence),
        interpretations=interpretations,
    )
    _RULES[id] = defined
    return defined


def rule(rule_id: str) -> Rule:
    """The rule with this id; :class:`KeyError` if there is none."""
    return _RULES[rule_id]


# The rulebook's own order (eligibility in evaluation order): the catalogue's table of
# contents. Rules not listed here (none, today) follow in the order they were defined.
_CATALOGUE_ORDER: Final = (
    "RS-SELECT",
    "AGE-AT-DEATH",
    "ELIG-CONDITION",
    "ELIG-AGE-MINIMUM",
    "ELIG-ENGLAND",
    "ELIG-CHILD-ROUTE",
    "ELIG-OPT-OUT",
    "ELIG-GP",
    "PATH-ETHNICITY",
    "PATH-YOUNG-ADULT",
    "PATH-AUTISM",
    "HOLD-DECLARED",
    "HOLD-DETENTION",
    "DEAD-SIX-MONTHS",
    "DEAD-HOLDS",
    "DEAD-STATUS",
    "DEAD-WORKING-DAYS",
    "FLOW-REGIONAL",
    "FLOW-ALLOCATE",
    "FLOW-CONTACT",
    "FLOW-INITIAL-COMPLETE",
    "FLOW-MIN-CONTACTS",
    "FLOW-FAMILY-REQUEST",
    "FLOW-FOCUSED-COMPLETE",
    "FLOW-SIGN-OFF",
    "FLOW-HOLD",
    "FLOW-HOLD-BLOCKS",
    "FLOW-CLOSE",
    "FLOW-DATES",
    "FLOW-LATE-ENTRY",
    "FLOW-TERMINAL",
    "GOV-GROUP",
    "GOV-EXEC-LEAD",
    "GOV-LAC",
    "GOV-TRAINED-REVIEWERS",
    "GOV-QUALITY-REPORTING",
    "GOV-ANNUAL-REPORT",
    "GOV-ACTION-PLAN",
    "GOV-TIMELINESS",
    "GOV-SUCCESSION",
    "GOV-ACTIONS",
    "BODY-DIRECTORY",
    "BODY-AS-OF",
    "BODY-KIND",
    "FHIR-NHS-NUMBER",
    "FHIR-BIRTH",
    "FHIR-DEATH",
    "FHIR-ETHNICITY",
    "FHIR-LEARNING-DISABILITY",
    "FHIR-AUTISM",
    "FHIR-GP",
    "FHIR-DETENTION",
)


def iter_rules() -> Iterator[Rule]:
    """Every rule, in the rulebook's order."""
    rank = {rule_id: index for index, rule_id in enumerate(_CATALOGUE_ORDER)}
    defined = list(_RULES)
    ordered = sorted(
        _RULES.values(),
        key=lambda rule: (rank.get(rule.id, len(rank)), defined.index(rule.id)),
    )
    return iter(ordered)


def rule_catalogue(rules: Iterable[Rule] | None = None) -> RuleCatalogue:
    """The catalogue document (``leder.rules/1``) of ``rules``: by default every rule, in the
    rulebook's order (:func:`iter_rules`)."""
    chosen = iter_rules() if rules is None else rules
    return RuleCatalogue(rules=tuple(rule.catalogue_entry() for rule in chosen))
