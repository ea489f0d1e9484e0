"""Hypothesis strategies for notification documents, NHS numbers, dates and interpretations.

They are public so that other services can test their own code against the same shapes of
data that ``leder_core`` accepts and refuses. Install them with the extra ``testing`` (from a
checkout: ``python -m pip install -e '.[testing]'``).

Every strategy draws only from Hypothesis (no clock, no global random state), so a test that
uses them is reproducible with Hypothesis's ``derandomize`` setting or a printed blob.
NHS numbers are drawn from the synthetic range 999 000 0000 – 999 999 9999 by default,
which is never issued to a real person.

Example::

    from datetime import date

    from hypothesis import given, strategies as st

    from leder_core import InvalidInput, dump, load_notification
    from leder_core.testing import (
        corrupted_notification_documents,
        normalised,
        notification_documents,
    )


    @given(notification_documents(learning_disability=True, age_at_death=st.integers(18, 24)))
    def test_young_adults_round_trip(document):
        assert dump(load_notification(document)) == normalised(document)


    @given(corrupted_notification_documents())
    def test_refusals_name_the_field(case):
        document, path = case
        try:
            load_notification(document)
        except InvalidInput as error:
            assert path in [problem.path for problem in error.problems]
        else:
            raise AssertionError("a corrupted document was accepted")

Pinned facts: every keyword argument of :func:`notification_documents` takes either a plain
value (``learning_disability=True``) or a strategy (``notified_on=st.just(date(2024, 3, 15))``).
``None`` leaves the fact free; to pin a nullable field to ``null`` pass ``st.none()``.
"""

from __future__ import annotations

from typing import Final, TypeAlias, TypeVar

from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE
from leder_core.testing import base, corruption
from leder_core.testing.base import json_values
from leder_core.testing.corruption import corrupted_notification_documents
from leder_core.testing.dates import NotificationDates, notification_dates, plausible_dates
from leder_core.testing.documents import normalised, notification_documents, notifications
from leder_core.testing.identifiers import invalid_nhs_numbers, nhs_numbers, ods_codes
from leder_core.testing.interpretation import interpretation_documents, interpretations
from leder_core.testing.review_walks import next_events, review_documents, reviews

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

# The facts below are named here, with the sentence the API reference shows for each.

_T = TypeVar("_T")

#: A pinned fact: a plain value or a strategy of values.
Pin: TypeAlias = base.Pin[_T]
#: The schema name of a notification document (docs/notification-format.md).
SCHEMA: Final = base.SCHEMA
#: National counting of notifications begins (RS-SELECT).
PROGRAMME_START: Final = base.PROGRAMME_START
#: The name of one way :func:`corrupted_notification_documents` can spoil a document.
CorruptionKind: TypeAlias = corruption.CorruptionKind
#: Every kind of corruption, in the order of docs/notification-format.md.
CORRUPTION_KINDS: Final[tuple[CorruptionKind, ...]] = corruption.CORRUPTION_KINDS
