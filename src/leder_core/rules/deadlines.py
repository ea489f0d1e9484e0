"""Deadlines (docs: deadlines-and-holds): DEAD-SIX-MONTHS and the month-end convention.

The clock, holds and status of a review in progress (DEAD-HOLDS, DEAD-STATUS) are in
:mod:`leder_core.rules.clock`; working days (DEAD-WORKING-DAYS) in
:mod:`leder_core.rules.working_days`.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from functools import lru_cache
from typing import Final

from leder_core.models.explanation import Reason
from leder_core.rules.parameters import REVIEW_MONTHS
from leder_core.rules.registry import Confidence, define_rule

__all__ = ["DEAD_SIX_MONTHS", "add_calendar_months", "six_month_due_date"]

DEAD_SIX_MONTHS: Final = define_rule(
    "DEAD-SIX-MONTHS",
    title="A review is due six calendar months after notification",
    text="A review is due six calendar months after the notification date; when that day does "
    "not exist, the due date is the last day of that month (31 August 2024 gives "
    "28 February 2025). A review completed on or before its due date is within six months.",
    section="§7",
    sources=("leder-process", "pq-hl10253", "pq-hl10254"),
    confidence=Confidence.CONFIRMED,
)


def add_calendar_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, clamped to the last day of a shorter month.

    The month-end convention of DEAD-SIX-MONTHS, named so it can be tested at its edges:

    >>> add_calendar_months(date(2024, 8, 31), 6)
    datetime.date(2025, 2, 28)
    >>> add_calendar_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, monthrange(year, month)[1])
    return date(year, month, day)


@lru_cache(maxsize=1 << 14)
def six_month_due_date(notified_on: date) -> tuple[date, Reason]:
    """DEAD-SIX-MONTHS: the due date of a review notified on a date, with the reason."""
    months = REVIEW_MONTHS.at(notified_on)
    due = add_calendar_months(notified_on, months)
    text = f"Due {months} calendar months after notification: {due.isoformat()}."
    if due.day != notified_on.day:
        text += " That day does not exist in the month, so the due date is the month's last day."
    return due, DEAD_SIX_MONTHS.reason(True, text)
