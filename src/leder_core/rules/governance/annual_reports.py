"""GOV-ANNUAL-REPORT year by year: each financial year owed, when due, and how it stands.

Each financial year from 2021/22 is due a number of months after it ends (INT-ANNUAL-REPORT);
a body formed by a succession owes only the years due on or after its first day
(GOV-SUCCESSION). :mod:`leder_core.rules.governance` judges the requirement at its worst year.
"""

from __future__ import annotations

from datetime import date

from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation
from leder_core.models.governance import Arrangements, FinancialYear
from leder_core.models.governance import RequirementStatus as Status
from leder_core.rules.deadlines import add_calendar_months
from leder_core.rules.governance.findings import AnnualReportYear
from leder_core.rules.governance.parameters import ANNUAL_REPORT_FIRST_YEAR

__all__ = ["annual_report_years", "months_after", "years_begun"]


def months_after(day: date, months: int) -> date:
    # INT-ANNUAL-REPORT allows any whole number of months; past the last representable date a
    # report is simply never due.
    if day.year + months // 12 + 1 > date.max.year:
        return date.max
    return add_calendar_months(day, months)


def years_begun(as_of: date) -> tuple[FinancialYear, ...]:
    """Every financial year needing a report (from 2021/22) begun by ``as_of``."""
    first = ANNUAL_REPORT_FIRST_YEAR.at(as_of)
    last = FinancialYear.containing(as_of)
    return tuple(FinancialYear(start=start) for start in range(first.start, last.start + 1))


def annual_report_years(
    arrangements: Arrangements,
    *,
    as_of: date,
    interpretation: Interpretation | None = None,
    formed_on: date | None = None,
) -> tuple[AnnualReportYear, ...]:
    """GOV-ANNUAL-REPORT year by year: every financial year from 2021/22 begun by ``as_of``.

    A body formed by a succession on ``formed_on`` (GOV-SUCCESSION) owes only the years due on
    or after that day. Each year is due ``annual_report_months`` after it ends. Published on or
    before the due date is ``met``, after it ``late``; nothing published by ``as_of`` is
    ``not_yet_due`` while ``as_of`` is on or before the due date, else ``missing``. Of several
    reports for one year, the earliest published on or before ``as_of`` counts.
    """
    chosen = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    months = chosen.annual_report_months
    published: dict[FinancialYear, date] = {}
    for report in arrangements.annual_reports:
        year = report.financial_year
        if report.published_on <= as_of and (
            year not in published or report.published_on < published[year]
        ):
            published[year] = report.published_on
    parts = []
    for year in years_begun(as_of):
        due = months_after(year.ends_on, months)
        if formed_on is not None and due < formed_on:
            continue  # its predecessors' year
        on = published.get(year)
        if on is not None:
            status = Status.MET if on <= due else Status.LATE
        else:
            status = Status.NOT_YET_DUE if as_of <= due else Status.MISSING
        parts.append(AnnualReportYear(year=year, due_on=due, published_on=on, status=status))
    return tuple(parts)
