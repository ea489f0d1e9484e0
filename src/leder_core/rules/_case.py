"""The facts one assessment works from, gathered once."""

from __future__ import annotations

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.notification import Notification, Person
from leder_core.rules.rulesets import RuleSet


@attrs.frozen(kw_only=True)
class Case:
    """A notification under a rule set and an interpretation, with the age already known."""

    notification: Notification
    person: Person
    ruleset: RuleSet
    age: int
    interpretation: Interpretation
