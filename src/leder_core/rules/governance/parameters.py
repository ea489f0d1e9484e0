"""The dated parameters of the governance requirements (GOV-*), each with its citation.

A deadline or start date that changes is a new dated entry, not an edit
(:mod:`leder_core.rules.parameters`); :mod:`leder_core.rules.governance` reads them on the date
checked.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from leder_core.models.governance import FinancialYear
from leder_core.rules.parameters import BEGINNING, Dated, Parameter
from leder_core.rules.sources import SOURCES

__all__ = [
    "ACTIONS_WINDOW_DAYS",
    "ACTION_PLAN_FROM",
    "ANNUAL_REPORT_FIRST_YEAR",
    "EXECUTIVE_LEAD_FROM",
    "GOVERNANCE_GROUP_DUE",
    "LOCAL_AREA_CONTACT_FROM",
    "QUALITY_REPORTING_DUE",
    "TRAINED_REVIEWERS_FROM",
]


def _single(name: str, description: str, value: Any, source: str) -> Parameter[Any]:
    return Parameter(name, description, (Dated(BEGINNING, value, SOURCES[source]),))


GOVERNANCE_GROUP_DUE: Final[Parameter[date]] = _single(
    "governance_group_due",
    "The day by which every responsible body must have a local LeDeR governance group.",
    date(2021, 5, 31),
    "hsj-2021-governance",
)
EXECUTIVE_LEAD_FROM: Final[Parameter[date]] = _single(
    "executive_lead_from",
    "The day from which a responsible body must name an executive lead for LeDeR.",
    date(2021, 6, 1),
    "leder-who-is-involved",
)
LOCAL_AREA_CONTACT_FROM: Final[Parameter[date]] = _single(
    "local_area_contact_from",
    "The day from which a responsible body must name a local area contact.",
    date(2021, 6, 1),
    "leder-roles",
)
TRAINED_REVIEWERS_FROM: Final[Parameter[date]] = _single(
    "trained_reviewers_from",
    "The day from which reviews must be allocated to reviewers trained for the 2021 policy.",
    date(2021, 6, 1),
    "lga-leder-2021-changes",
)
QUALITY_REPORTING_DUE: Final[Parameter[date]] = _single(
    "quality_reporting_due",
    "The day by which LeDeR must be part of routine quality reporting.",
    date(2021, 9, 1),
    "nhse-announcement-2021",
)
ANNUAL_REPORT_FIRST_YEAR: Final[Parameter[FinancialYear]] = _single(
    "annual_report_first_year",
    "The first financial year for which an annual LeDeR report is required.",
    FinancialYear(start=2021),
    "leder-who-is-involved",
)
ACTION_PLAN_FROM: Final[Parameter[date]] = _single(
    "action_plan_from",
    "The day from which a responsible body (the ICB) must have a three-year action plan.",
    date(2022, 7, 1),
    "leder-who-is-involved",
)
ACTIONS_WINDOW_DAYS: Final[Parameter[int]] = _single(
    "actions_window_days",
    "How many days, up to and including the date checked, GOV-ACTIONS looks back over.",
    365,
    "leder-policy-2021",
)
