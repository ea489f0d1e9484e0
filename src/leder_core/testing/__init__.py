"""Hypothesis strategies for testing code that uses ``leder_core`` (the extra ``testing``).

Everything public lives in :mod:`leder_core.testing.strategies` and is re-exported here::

    from leder_core.testing import notification_documents, nhs_numbers

This is the only part of ``leder_core`` that imports Hypothesis.
"""

try:
    import hypothesis as _hypothesis  # noqa: F401 - fail early with a useful message
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "leder_core.testing needs Hypothesis, in the optional extra 'testing' (from a "
        "checkout: python -m pip install -e '.[testing]')"
    ) from error

from leder_core.testing import strategies
from leder_core.testing.strategies import *  # noqa: F403 - every public name, listed there once

__all__ = list(strategies.__all__)
