"""What every strategy module shares: pinned facts, the notification schema name, the start
of national counting, and JSON values.
"""

from __future__ import annotations

from typing import Any, Final, TypeAlias, TypeVar

from hypothesis import strategies as st

from leder_core.models.notification import Notification
from leder_core.rules.rulesets import RULESETS
from leder_core.serialization import registered_documents

__all__ = [
    "PROGRAMME_START",
    "SCHEMA",
    "Pin",
    "json_values",
    "strategy_of",
]

_T = TypeVar("_T")

# A pinned fact: a plain value or a strategy of values.
Pin: TypeAlias = _T | st.SearchStrategy[_T]

# The schema name of a notification document (docs/notification-format.md).
SCHEMA: Final = registered_documents()[Notification]
# National counting of notifications begins (RS-SELECT): the first rule set takes effect.
PROGRAMME_START: Final = min(ruleset.effective_from for ruleset in RULESETS.values())


def json_values(*, max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value: ``null``, booleans, numbers, strings, arrays and objects, nested.

    Floats are finite (JSON has no NaN or infinity). Useful to check that a loader refuses
    anything with :class:`~leder_core.InvalidInput` and never with another exception.
    """
    scalars: st.SearchStrategy[Any] = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(st.text(max_size=12), children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def strategy_of(value: Pin[_T] | None) -> st.SearchStrategy[_T] | None:
    if value is None:
        return None
    if isinstance(value, st.SearchStrategy):
        return value
    return st.just(value)
