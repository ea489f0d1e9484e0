"""The rule catalogue as a document: ``leder.rules/1``.

What ``leder rules --format json`` and ``GET /rules`` print: every rule of the registry
(:mod:`leder_core.rules.registry`) in the rulebook's order, as data. The registry builds it
(:func:`leder_core.rules.registry.rule_catalogue`) and the one converter dumps it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from leder_core.models.assessment import RuleSetId
from leder_core.models.explanation import Citation

__all__ = ["CatalogueRule", "Confidence", "RuleCatalogue"]


class Confidence(StrEnum):
    """How well the public sources support a rule (docs/rules.md#confidence)."""

    CONFIRMED = "C"
    """Two or more independent public sources."""
    SINGLE_SOURCE = "S"
    """A single public source."""
    INFERRED = "I"
    """The rulebook's own reasoned choice, shown as such."""


@attrs.frozen(kw_only=True)
class CatalogueRule:
    """One rule of the catalogue: what it says, when it applies and what it rests on."""

    id: str
    """The rule's id, such as ``"RS-SELECT"``."""
    title: str
    text: str
    """The rule in one or two plain sentences."""
    section: str
    """Its section of the rules, such as ``"§4"``."""
    rulesets: tuple[RuleSetId, ...]
    effective_from: date | None
    """The first day the rule applies, if it has not always applied."""
    effective_to: date | None
    """The last day the rule applies, if it has stopped applying."""
    confidence: Confidence
    interpretations: tuple[str, ...]
    """The ``INT-*`` choices that can change how the rule decides."""
    citations: tuple[Citation, ...]
    """The public sources the rule rests on (at least one)."""


@attrs.frozen(kw_only=True)
class RuleCatalogue:
    """Every rule of the library, in the rulebook's order (``leder.rules/1``)."""

    rules: tuple[CatalogueRule, ...]
