"""Hypothesis strategies for testing code that uses ``leder_core`` (``leder_core[testing]``).

Everything public lives in :mod:`leder_core.testing.strategies` and is re-exported here::

    from leder_core.testing import notification_documents, nhs_numbers

This is the only part of ``leder_core`` that imports Hypothesis.
"""

try:
    import hypothesis as _hypothesis  # noqa: F401 - fail early with a useful message
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "leder_core.testing needs Hypothesis: install 'leder_core[testing]'"
    ) from error

from leder_core.testing.strategies import (
    CORRUPTION_KINDS,
    EARLIEST_DATE,
    LATEST_DATE,
    PROGRAMME_START,
    SCHEMA,
    CorruptionKind,
    NotificationDates,
    Pin,
    corrupted_notification_documents,
    interpretation_documents,
    interpretations,
    invalid_nhs_numbers,
    json_values,
    next_events,
    nhs_numbers,
    normalised,
    notification_dates,
    notification_documents,
    notifications,
    ods_codes,
    plausible_dates,
    review_documents,
    reviews,
)

__all__ = [
    "CORRUPTION_KINDS",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "PROGRAMME_START",
    "SCHEMA",
    "CorruptionKind",
    "NotificationDates",
    "Pin",
    "corrupted_notification_documents",
    "interpretation_documents",
    "interpretations",
    "invalid_nhs_numbers",
    "json_values",
    "next_events",
    "nhs_numbers",
    "normalised",
    "notification_dates",
    "notification_documents",
    "notifications",
    "ods_codes",
    "plausible_dates",
    "review_documents",
    "reviews",
]
