"""The registry of rules: one definition per rule, read by explanations, catalogue and docs.

Each rule of the rulebook is declared once with :func:`define_rule`: its id, a title, the
sentence that states it, the rule sets and dates it applies to, and the sources it cites.
Evaluating a rule produces :class:`~leder_core.models.Reason` objects through
:meth:`Rule.reason`, so an explanation always carries the rule's own id and citations.

Which rules exist, in which order and where each is defined is data (:data:`CATALOGUE`): the
registry lists every rule without importing a rule module, and imports a module the first time
one of its rules is read, so importing the library does not load every rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from importlib import import_module
from types import MappingProxyType, ModuleType
from typing import Final

import attrs

from leder_core.models.assessment import RuleSetId
from leder_core.models.catalogue import CatalogueRule, Confidence, RuleCatalogue
from leder_core.models.explanation import Citation, Reason
from leder_core.rules.sources import cite

__all__ = [
    "CATALOGUE",
    "RULES",
    "Confidence",
    "Rule",
    "RuleRegistry",
    "as_decisive",
    "define_rule",
    "iter_rules",
    "rule",
    "rule_catalogue",
    "rule_module",
    "rules_defined_in",
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
    citations = _DEFINED[rule_id].citations
    return Reason(rule=rule_id, holds=holds, decisive=decisive, text=text, citations=citations)


def as_decisive(reason: Reason) -> Reason:
    """The same reason marked as the one that settled the outcome."""
    return _reason(reason.rule, reason.holds, True, reason.text)


#: The static catalogue: every rule id, in the rulebook's order (eligibility in evaluation
#: order), with the module that defines it. The catalogue document's order, the rule sets'
#: eligibility and trigger rules and the lookup that imports a rule's module on first use all
#: read this one list; :func:`define_rule` refuses an id it does not name.
CATALOGUE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "RS-SELECT": "leder_core.rules.rulesets",
        "AGE-AT-DEATH": "leder_core.rules.age",
        "ELIG-CONDITION": "leder_core.rules.eligibility",
        "ELIG-AGE-MINIMUM": "leder_core.rules.eligibility",
        "ELIG-ENGLAND": "leder_core.rules.eligibility",
        "ELIG-CHILD-ROUTE": "leder_core.rules.eligibility",
        "ELIG-OPT-OUT": "leder_core.rules.eligibility",
        "ELIG-GP": "leder_core.rules.eligibility",
        "PATH-ETHNICITY": "leder_core.rules.pathway",
        "PATH-YOUNG-ADULT": "leder_core.rules.pathway",
        "PATH-AUTISM": "leder_core.rules.pathway",
        "HOLD-DECLARED": "leder_core.rules.holds",
        "HOLD-DETENTION": "leder_core.rules.holds",
        "DEAD-SIX-MONTHS": "leder_core.rules.deadlines",
        "DEAD-HOLDS": "leder_core.rules.clock",
        "DEAD-STATUS": "leder_core.rules.clock",
        "DEAD-WORKING-DAYS": "leder_core.rules.working_days",
        "FLOW-REGIONAL": "leder_core.rules.workflow.flow_rules",
        "FLOW-ALLOCATE": "leder_core.rules.workflow.flow_rules",
        "FLOW-CONTACT": "leder_core.rules.workflow.flow_rules",
        "FLOW-INITIAL-COMPLETE": "leder_core.rules.workflow.flow_rules",
        "FLOW-MIN-CONTACTS": "leder_core.rules.workflow.flow_rules",
        "FLOW-FAMILY-REQUEST": "leder_core.rules.workflow.flow_rules",
        "FLOW-FOCUSED-COMPLETE": "leder_core.rules.workflow.flow_rules",
        "FLOW-SIGN-OFF": "leder_core.rules.workflow.flow_rules",
        "FLOW-HOLD": "leder_core.rules.workflow.flow_rules",
        "FLOW-HOLD-BLOCKS": "leder_core.rules.workflow.flow_rules",
        "FLOW-CLOSE": "leder_core.rules.workflow.flow_rules",
        "FLOW-DATES": "leder_core.rules.workflow.flow_rules",
        "FLOW-LATE-ENTRY": "leder_core.rules.workflow.flow_rules",
        "FLOW-TERMINAL": "leder_core.rules.workflow.flow_rules",
        "GOV-GROUP": "leder_core.rules.governance",
        "GOV-EXEC-LEAD": "leder_core.rules.governance",
        "GOV-LAC": "leder_core.rules.governance",
        "GOV-TRAINED-REVIEWERS": "leder_core.rules.governance",
        "GOV-QUALITY-REPORTING": "leder_core.rules.governance",
        "GOV-ANNUAL-REPORT": "leder_core.rules.governance",
        "GOV-ACTION-PLAN": "leder_core.rules.governance",
        "GOV-TIMELINESS": "leder_core.rules.governance",
        "GOV-SUCCESSION": "leder_core.rules.governance",
        "GOV-ACTIONS": "leder_core.rules.governance",
        "BODY-DIRECTORY": "leder_core.rules.bodies",
        "BODY-AS-OF": "leder_core.rules.bodies",
        "BODY-KIND": "leder_core.rules.bodies",
        "FHIR-NHS-NUMBER": "leder_core.rules.fhir",
        "FHIR-BIRTH": "leder_core.rules.fhir",
        "FHIR-DEATH": "leder_core.rules.fhir",
        "FHIR-ETHNICITY": "leder_core.rules.fhir",
        "FHIR-LEARNING-DISABILITY": "leder_core.rules.fhir",
        "FHIR-AUTISM": "leder_core.rules.fhir",
        "FHIR-GP": "leder_core.rules.fhir",
        "FHIR-DETENTION": "leder_core.rules.fhir",
    }
)

_DEFINED: dict[str, Rule] = {}


class RuleRegistry(Mapping[str, Rule]):
    """Every rule of the catalogue by id, read-only, in the rulebook's order.

    Listing the ids or asking whether one is known imports nothing; reading a rule imports the
    module that defines it (:data:`CATALOGUE`) the first time any of its rules is asked for.
    """

    __slots__ = ()

    def __getitem__(self, rule_id: str) -> Rule:
        defined = _DEFINED.get(rule_id)
        if defined is not None:
            return defined
        module = rule_module(rule_id)  # KeyError for an id the catalogue does not name
        if rule_id not in _DEFINED:
            raise LookupError(
                f"the catalogue places rule {rule_id} in {module.__name__}, which lacks it"
            )
        return _DEFINED[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in CATALOGUE

    def __iter__(self) -> Iterator[str]:
        return iter(CATALOGUE)

    def __len__(self) -> int:
        return len(CATALOGUE)

    def __repr__(self) -> str:
        return f"<RuleRegistry of {len(CATALOGUE)} rules>"


#: Every rule by id, read-only, in the rulebook's order (see :class:`RuleRegistry`).
RULES: Final[Mapping[str, Rule]] = RuleRegistry()

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
    """Declare a rule once, in the module the catalogue names for it; an id the catalogue does
    not name, or the same id declared twice, is a programming error."""
    if id not in CATALOGUE:
        raise ValueError(f"rule {id} is not in the catalogue")
    if id in _DEFINED:
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
    _DEFINED[id] = defined
    return defined


def rule_module(rule_id: str) -> ModuleType:
    """The module that defines the rule with this id, imported if need be (:data:`CATALOGUE`);
    :class:`KeyError` if there is none. Its public names are the tables that rule reads."""
    return import_module(CATALOGUE[rule_id])


def rule(rule_id: str) -> Rule:
    """The rule with this id, its module imported if need be; :class:`KeyError` if there is
    none."""
    return RULES[rule_id]


def iter_rules() -> Iterator[Rule]:
    """Every rule, in the rulebook's order (importing every module that defines one)."""
    return iter([RULES[rule_id] for rule_id in CATALOGUE])


def rules_defined_in(module: str, ruleset: RuleSetId) -> tuple[str, ...]:
    """The ids of the rules ``module`` defines that belong to ``ruleset``, in the catalogue's
    order (importing ``module`` if need be)."""
    return tuple(
        rule_id
        for rule_id, defining in CATALOGUE.items()
        if defining == module and ruleset in RULES[rule_id].rulesets
    )


def rule_catalogue(rules: Iterable[Rule] | None = None) -> RuleCatalogue:
    """The catalogue document (``leder.rules/1``) of ``rules``: by default every rule, in the
    rulebook's order (:func:`iter_rules`)."""
    chosen = iter_rules() if rules is None else rules
    return RuleCatalogue(rules=tuple(rule.catalogue_entry() for rule in chosen))
