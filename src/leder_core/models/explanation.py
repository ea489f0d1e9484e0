"""Citations and reasons: how every decision explains itself."""

from __future__ import annotations

import attrs

__all__ = ["Citation", "Reason"]


@attrs.frozen(kw_only=True)
class Citation:
    """A public source a rule rests on: its title and address."""

    title: str
    url: str


@attrs.frozen(kw_only=True, repr=False)
class Reason:
    """One rule's part in a decision, produced by evaluating the rule itself.

    ``holds`` says whether the rule's condition held for the case (for eligibility rules: the
    case passed this rule on its way to a LeDeR review; for triggers and holds: it applies; for
    a workflow refusal: always false). ``decisive`` marks the rule that settled the outcome.
    """

    rule: str
    holds: bool
    decisive: bool
    text: str
    citations: tuple[Citation, ...]

    def __repr__(self) -> str:
        # The text of an assessment's reason may state facts about the person (their age, that
        # they died in detention); a repr must never carry them into a log.
        return (
            f"Reason(rule={self.rule!r}, holds={self.holds!r}, decisive={self.decisive!r}, "
            "text=<masked>)"
        )
