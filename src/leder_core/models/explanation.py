"""Citations and reasons: how every decision explains itself."""

from __future__ import annotations

import attrs

__all__ = ["Citation", "Reason"]


@attrs.frozen(kw_only=True)
class Citation:
    """A public source a rule rests on: its title and address."""

    title: str
    url: str


@attrs.frozen(kw_only=True)
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
