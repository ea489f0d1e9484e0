"""The facts one assessment works from, gathered once."""

from __future__ import annotations

from leder_core.interpretation import Interpretation
from leder_core.models.notification import Notification, Person
from leder_core.rules.rulesets import RuleSet


class Case:
    """A notification under a rule set and an interpretation, with the age already known.

    A plain slotted class rather than an attrs value: it lives for one assessment only, and
    bulk assessment creates millions of them.
    """

    __slots__ = ("age", "interpretation", "notification", "person", "ruleset")

    def __init__(
        self,
        *,
        notification: Notification,
        person: Person,
        ruleset: RuleSet,
        age: int,
        interpretation: Interpretation,
    ) -> None:
        self.notification = notification
        self.person = person
        self.ruleset = ruleset
        self.age = age
        self.interpretation = interpretation
