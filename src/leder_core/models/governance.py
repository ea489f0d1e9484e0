"""A responsible body's LeDeR governance arrangements and its compliance report (docs/schemas.md).

:class:`Arrangements` is the ``leder.governance/1`` document: what a responsible body (a CCG,
an ICS or an ICB) says it has in place. :class:`ComplianceReport` is the
``leder.governance-report/1`` document: each requirement of docs/governance.md judged as of a date.

Only ``body`` is required in the arrangements; every other key may be left out (``null`` or an
empty list). In ``body``, ``code`` and ``kind`` are required and ``name`` is optional: the code
identifies the body, the kind says which of the three bodies the programme has had it is, and
the name is for people reading the report.

A financial year is written ``YYYY/YY`` (``2022/23``: 1 April 2022 to 31 March 2023). The
shape is checked when a document is loaded (with the path of the problem) and again when
arrangements built in Python are checked; :class:`FinancialYear` parses it.

>>> FinancialYear.parse("2022/23").ends_on
datetime.date(2023, 3, 31)
>>> str(FinancialYear.containing(date(2024, 3, 31)))
'2023/24'
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Final

import attrs

from leder_core.interpretation import Interpretation
from leder_core.models.explanation import Citation
from leder_core.models.identifiers import DocumentId, OdsCode

__all__ = [
    "ActionPlan",
    "AnnualReport",
    "Arrangements",
    "Body",
    "BodyKind",
    "ComplianceReport",
    "FinancialYear",
    "Requirement",
    "RequirementStatus",
    "Reviewer",
]

_FINANCIAL_YEAR_SHAPE: Final = re.compile(r"\A(\d{4})/(\d{2})\Z", re.ASCII)
#: Financial years whose days all lie within the dates every document may hold.
FIRST_FINANCIAL_YEAR: Final = 1880
LAST_FINANCIAL_YEAR: Final = 2198


class BodyKind(StrEnum):
    """The kind of body responsible for LeDeR locally: CCG, then ICS, then ICB."""

    CCG = "ccg"
    """Clinical commissioning group: responsible for notifications before 1 June 2021."""
    ICS = "ics"
    """Integrated care system (hosted by its CCGs): from 1 June 2021."""
    ICB = "icb"
    """Integrated care board: from 1 July 2022, when CCGs were abolished."""


@attrs.frozen(kw_only=True, order=True)
class FinancialYear:
    """An NHS financial year, 1 April to 31 March, written ``YYYY/YY`` (``2022/23``)."""

    start: int
    """The calendar year in which the financial year begins."""

    @classmethod
    def parse(cls, text: object) -> FinancialYear:
        """Parse ``YYYY/YY`` strictly: the second part must be the year after the first.

        Raises :class:`ValueError` with a message that never quotes the text.
        """
        match = _FINANCIAL_YEAR_SHAPE.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError("not a financial year: expected YYYY/YY, such as 2022/23")
        start = int(match.group(1))
        if int(match.group(2)) != (start + 1) % 100:
            raise ValueError(
                "not a financial year: the second part must be the year after the first, "
                "such as 2022/23"
            )
        if not FIRST_FINANCIAL_YEAR <= start <= LAST_FINANCIAL_YEAR:
            raise ValueError("financial year outside 1880/81 … 2198/99")
        return cls(start=start)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(start=day.year if day.month >= 4 else day.year - 1)

    @property
    def starts_on(self) -> date:
        """1 April of the first year."""
        return date(self.start, 4, 1)

    @property
    def ends_on(self) -> date:
        """31 March of the second year."""
        return date(self.start + 1, 3, 31)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"


@attrs.frozen(kw_only=True)
class Body:
    """The responsible body the arrangements belong to."""

    code: OdsCode
    """Its ODS code, such as ``QE1``."""
    name: str | None = None
    """Its name, for people reading the report; optional."""
    kind: BodyKind


@attrs.frozen(kw_only=True)
class Reviewer:
    """A LeDeR reviewer the body can allocate reviews to, and when they were trained."""

    id: DocumentId
    """The same identifier ``allocated`` events use for the reviewer."""
    trained_on: date | None = None
    """When the reviewer completed LeDeR reviewer training; ``None`` if not trained."""


@attrs.frozen(kw_only=True)
class AnnualReport:
    """A published annual LeDeR report for one financial year."""

    year: str
    """The financial year reported on, ``YYYY/YY``."""
    published_on: date

    @property
    def financial_year(self) -> FinancialYear:
        """The year as a :class:`FinancialYear`; :class:`ValueError` if it is not one."""
        return FinancialYear.parse(self.year)


@attrs.frozen(kw_only=True)
class ActionPlan:
    """The body's three-year action plan: the first and last day it covers (``from``/``to``)."""

    from_: date
    to: date


@attrs.frozen(kw_only=True)
class Arrangements:
    """The ``leder.governance/1`` document: what a responsible body has in place."""

    body: Body
    governance_group_established_on: date | None = None
    """When the local LeDeR governance group was established."""
    executive_lead: str | None = None
    """The named executive lead for LeDeR (a role or a name; never shown in reports)."""
    local_area_contact: str | None = None
    """The named local area contact, who allocates reviews (never shown in reports)."""
    reviewers: tuple[Reviewer, ...] = ()
    annual_reports: tuple[AnnualReport, ...] = ()
    action_plan: ActionPlan | None = None
    quality_reporting_from: date | None = None
    """When LeDeR became part of the body's routine quality reporting."""


class RequirementStatus(StrEnum):
    """How a governance requirement stands on a date (docs/governance.md)."""

    MET = "met"
    LATE = "late"
    """Met, but after its deadline."""
    MISSING = "missing"
    """Due, and not met."""
    NOT_YET_DUE = "not_yet_due"
    NOT_APPLICABLE = "not_applicable"
    """Nothing to judge: the requirement is about reviews and none (or none relevant) were
    given."""


@attrs.frozen(kw_only=True)
class Requirement:
    """One governance requirement judged as of a date, with the evidence it was judged on."""

    rule: str
    """The rulebook id, such as ``GOV-GROUP``."""
    status: RequirementStatus
    text: str
    """The judgement in a sentence."""
    evidence: str
    """The facts used, in plain English: dates, counts and notification ids, never the
    value of a person field."""
    citations: tuple[Citation, ...]


@attrs.frozen(kw_only=True)
class ComplianceReport:
    """The ``leder.governance-report/1`` document: every GOV-* requirement, in order."""

    body: Body
    as_of: date
    interpretation: Interpretation
    requirements: tuple[Requirement, ...]

    def requirement(self, rule_id: str) -> Requirement:
        """The requirement with this rule id; :class:`KeyError` if the report has none."""
        for requirement in self.requirements:
            if requirement.rule == rule_id:
                return requirement
        raise KeyError(rule_id)

    @property
    def statuses(self) -> dict[str, RequirementStatus]:
        """Each requirement's status by rule id, in report order."""
        return {requirement.rule: requirement.status for requirement in self.requirements}
