"""The states of the review workflow: which are open, which a review opens in."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from leder_core.models.assessment import Outcome
from leder_core.models.review import ReviewState

__all__ = ["OPENING_STATES", "OPEN_STATES", "TERMINAL_STATES", "opening_state"]

S = ReviewState
OPEN_STATES: Final = (
    S.AWAITING_REGIONAL_DECISION,
    S.AWAITING_ALLOCATION,
    S.INITIAL_REVIEW,
    S.FOCUSED_REVIEW,
    S.AWAITING_SIGN_OFF,
)
"""The states in which a review is open, in the order a review passes through them."""

TERMINAL_STATES: Final = frozenset(state for state in S if state.terminal)
"""The states that accept no event (FLOW-TERMINAL)."""

OPENING_STATES: Final[Mapping[Outcome, ReviewState]] = MappingProxyType(
    {
        Outcome.LEDER_REVIEW: S.AWAITING_ALLOCATION,
        Outcome.REGIONAL_DECISION: S.AWAITING_REGIONAL_DECISION,
    }
)
"""The state a review opens in for each outcome of the notification; closed for any other."""


def opening_state(outcome: Outcome) -> ReviewState:
    """The state a review opens in on a notification with this outcome."""
    return OPENING_STATES.get(outcome, S.CLOSED)
