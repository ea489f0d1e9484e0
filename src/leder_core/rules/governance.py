"""Governance requirements of a responsible body (docs/governance.md): GOV-* rules.

:func:`check_governance` judges what a CCG, ICS or ICB must have in place as of a date D:
every requirement, in the rulebook's order, with its status (``met``, ``late``, ``missing``,
``not_yet_due`` or ``not_applicable``), a sentence, the evidence it was judged on and its
citations. Anything dated after D has not happened yet. Reviews, where given, are taken as the
body's own; only their events dated on or before D count.

Bodies over their lifetimes (GOV-SUCCESSION)
    The directory of responsible bodies over time (an argument: nothing here reads files) says
    whether the body was formed by a merger or split, and whether one ended it. A body formed on
    a day F is judged from F (each dated requirement's date becomes the later of its date and F;
    the annual reports owed are those due on or after F); before F, and once a succession has
    ended it, every requirement is ``not_applicable``. :func:`body_lifetime` gives the facts.

Timeliness (INT-TIMELINESS)
    GOV-TIMELINESS counts each review given once (by notification id, the first given) and
    judges the counts against the interpretation's ``timeliness``: ``every_review``, or a share.

The interpretation a report records
    ``annual_report_months`` (INT-ANNUAL-REPORT) of the interpretation given, or the default
    (6), sets the annual report deadline. Review *documents* are loaded under that same
    interpretation. For :class:`~leder_core.models.review.Review` objects already loaded, the
    interpretation given governs only their clock (INT-CLOCK) and ``due_soon_days``; without
    one, each review's own applies (docs/governance.md). The report records the one given,
    or the defaults when none was given: so when no interpretation is given, reviews loaded
    earlier under another clock are judged under their own clock, not the recorded one.

Deadlines and start dates are dated parameters, each with its citation, so a new policy is a
new entry rather than an edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation, Timeliness
from leder_core.models.assessment import ReviewLevel, RuleSetId
from leder_core.models.bodies import Directory, OrganisationKind
from leder_core.models.governance import (
    Arrangements,
    ComplianceReport,
    FinancialYear,
    Requirement,
    RequirementStatus,
)
from leder_core.models.review import Allocated, Review, ReviewState, SignedOff
from leder_core.rules.bodies import body_as_of
from leder_core.rules.clock import clocked, effective_interpretation
from leder_core.rules.deadlines import add_calendar_months
from leder_core.rules.parameters import BEGINNING, Dated, Parameter
from leder_core.rules.registry import Confidence, Rule, define_rule
from leder_core.rules.sources import SOURCES
from leder_core.rules.workflow import events_until

__all__ = [
    "ACTIONS_WINDOW_DAYS",
    "ACTION_PLAN_FROM",
    "ANNUAL_REPORT_FIRST_YEAR",
    "EXECUTIVE_LEAD_FROM",
    "GOVERNANCE_GROUP_DUE",
    "GOVERNANCE_RULES",
    "GOV_ACTIONS",
    "GOV_ACTION_PLAN",
    "GOV_ANNUAL_REPORT",
    "GOV_EXEC_LEAD",
    "GOV_GROUP",
    "GOV_LAC",
    "GOV_QUALITY_REPORTING",
    "GOV_SUCCESSION",
    "GOV_TIMELINESS",
    "GOV_TRAINED_REVIEWERS",
    "LOCAL_AREA_CONTACT_FROM",
    "QUALITY_REPORTING_DUE",
    "TRAINED_REVIEWERS_FROM",
    "AnnualReportYear",
    "BodyLifetime",
    "annual_report_years",
    "body_lifetime",
    "check_governance",
]

Status = RequirementStatus
_2021: Final = (RuleSetId.LEDER_2021,)

# --- the rules, in the catalogue's order ---------------------------------------------------------

GOV_GROUP: Final = define_rule(
    "GOV-GROUP",
    title="A local LeDeR governance group",
    text="The responsible body has a local LeDeR governance group, due by 31 May 2021: "
    "established on or before that day is met, later is late, none is missing once the day "
    "has passed.",
    section="§9",
    sources=("hsj-2021-governance", "leder-who-is-involved"),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=_2021,
    effective_from=date(2021, 5, 31),
)
GOV_EXEC_LEAD: Final = define_rule(
    "GOV-EXEC-LEAD",
    title="A named executive lead for LeDeR",
    text="From 1 June 2021 the responsible body names an executive lead for LeDeR.",
    section="§9",
    sources=(
        "leder-who-is-involved",
        "pq-hl11678",
        "pq-hl14026",
        "leder-action-from-learning-2021-22",
    ),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
    effective_from=date(2021, 6, 1),
)
GOV_LAC: Final = define_rule(
    "GOV-LAC",
    title="A named local area contact",
    text="From 1 June 2021 the responsible body names a local area contact, who allocates "
    "reviews to reviewers.",
    section="§9",
    sources=("leder-roles", "kent-cht-leder"),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
    effective_from=date(2021, 6, 1),
)
GOV_TRAINED_REVIEWERS: Final = define_rule(
    "GOV-TRAINED-REVIEWERS",
    title="Reviews go to trained reviewers",
    text="From 1 June 2021 every reviewer allocated a review was trained on or before the "
    "allocation; with no reviews given, every reviewer listed has a training date.",
    section="§9",
    sources=("leder-policy-2021", "lga-leder-2021-changes", "ncl-leder-2021"),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
    effective_from=date(2021, 6, 1),
)
GOV_QUALITY_REPORTING: Final = define_rule(
    "GOV-QUALITY-REPORTING",
    title="LeDeR in routine quality reporting",
    text="LeDeR is part of the responsible body's routine quality reporting, due by "
    "1 September 2021: from that day or earlier is met, later is late, none is missing once "
    "the day has passed.",
    section="§9",
    sources=("nhse-announcement-2021",),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=_2021,
    effective_from=date(2021, 9, 1),
)
GOV_ANNUAL_REPORT: Final = define_rule(
    "GOV-ANNUAL-REPORT",
    title="An annual LeDeR report for each financial year",
    text="The responsible body publishes a LeDeR report for each financial year from 2021/22, "
    "due a number of months after the year ends (INT-ANNUAL-REPORT, 6 by default: 2022/23 is "
    "due by 30 September 2023). The requirement stands at its worst year.",
    section="§9",
    sources=(
        "leder-who-is-involved",
        "pq-hl11678",
        "pq-hl14026",
        "pq-hl11088",
        "east-sussex-leder-annual-report",
    ),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
    effective_from=date(2021, 4, 1),
    interpretations=("INT-ANNUAL-REPORT",),
)
GOV_ACTION_PLAN: Final = define_rule(
    "GOV-ACTION-PLAN",
    title="A three-year action plan",
    text="From 1 July 2022 the responsible body has a three-year action plan covering the "
    "date checked.",
    section="§9",
    sources=("leder-who-is-involved", "pq-hl11678"),
    confidence=Confidence.SINGLE_SOURCE,
    rulesets=_2021,
    effective_from=date(2022, 7, 1),
)
GOV_TIMELINESS: Final = define_rule(
    "GOV-TIMELINESS",
    title="Reviews completed within six months",
    text="Every review due by the date checked was completed within six months of "
    "notification, or its lateness is excused by a hold (INT-CLOCK). Judged on the reviews "
    "given; overdue and excused are judged from the dates, not from the status code. The "
    "standard is INT-TIMELINESS: every review (the default), or a share p of the reviews due "
    "completed on time or excused. The evidence always gives the counts and the share.",
    section="§9",
    sources=("leder-process", "pq-hl10253", "pq-hl10254"),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
    interpretations=("INT-CLOCK", "INT-TIMELINESS"),
)
GOV_ACTIONS: Final = define_rule(
    "GOV-ACTIONS",
    title="Learning into action",
    text="Of the focused (or multi-agency) reviews signed off in the 365 days up to the date "
    "checked, at least one led to an agreed action; all of them signed off with no action is "
    "missing.",
    section="§9",
    sources=(
        "leder-policy-2021",
        "pq-hl11088",
        "ncl-leder-2021",
        "leder-action-from-learning-2021-22",
    ),
    confidence=Confidence.CONFIRMED,
    rulesets=_2021,
)

GOV_SUCCESSION: Final = define_rule(
    "GOV-SUCCESSION",
    title="Duties over a body's lifetime",
    text="A body formed by a succession (the successor of a merger or split, effective on its "
    "first day: the CCG mergers of 2017 to 2021, the ICBs of 1 April 2026) is judged from that "
    "day: each dated requirement's date becomes the later of its date and the first day, the "
    "annual reports owed are those due on or after it (earlier years were the predecessors'), "
    "and before that day nothing is required. A body that ceased by a succession is no longer "
    "judged: every requirement is not applicable, naming the bodies that hold its area. Any "
    "other body, including the 42 ICBs of 2022 whose systems took over on 1 June 2021, is "
    "judged by the dates as they stand. It is not a row of its own: it moves the dates of the "
    "other requirements and says so in their evidence.",
    section="§9",
    sources=("nhsconfed-icb-mergers", "ods-succession", "icb-footprints-2026"),
    confidence=Confidence.INFERRED,
    rulesets=_2021,
)

#: The GOV-* rules in the order a report lists them (GOV-SUCCESSION is not a row).
GOVERNANCE_RULES: Final[tuple[Rule, ...]] = (
    GOV_GROUP,
    GOV_EXEC_LEAD,
    GOV_LAC,
    GOV_TRAINED_REVIEWERS,
    GOV_QUALITY_REPORTING,
    GOV_ANNUAL_REPORT,
    GOV_ACTION_PLAN,
    GOV_TIMELINESS,
    GOV_ACTIONS,
)

# --- dated parameters ----------------------------------------------------------------------------


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

# --- GOV-SUCCESSION: a body's lifetime in the directory ----------------------------------------

_RESPONSIBLE: Final = frozenset({OrganisationKind.CCG, OrganisationKind.ICS, OrganisationKind.ICB})


@attrs.frozen(kw_only=True)
class BodyLifetime:
    """What the directory of responsible bodies says of a body's code on a date (GOV-SUCCESSION).

    Facts only; :func:`~leder_core.check_governance` judges with them.
    """

    code: str
    on: date
    known: bool
    """Whether the directory knows the code at all (on any date, as any kind)."""
    formed_on: date | None = None
    """The first day F of a body formed by a succession (a merger or split effective that day)."""
    predecessors: tuple[str, ...] = ()
    """The bodies it was formed from, sorted."""
    ceased_on: date | None = None
    """The day a succession ended the body, when that is on or before ``on``."""
    split: bool = False
    """Whether the succession that ended it was a split (several successors)."""
    holders: tuple[tuple[str, str | None], ...] = ()
    """The bodies holding its area on ``on`` (code and name), when it ceased, sorted by code."""

    @property
    def not_formed_yet(self) -> bool:
        """Formed by a succession after the date: nothing is required of it yet."""
        return self.formed_on is not None and self.on < self.formed_on

    @property
    def judged(self) -> bool:
        """Whether its requirements are judged on the date (neither not formed nor ceased)."""
        return not self.not_formed_yet and self.ceased_on is None


def _holder(directory: Directory, code: str, on: date) -> list[tuple[str, str | None]]:
    record = directory.entry(code, _RESPONSIBLE, on)
    if record is not None:
        return [(code, record.name)]
    found = body_as_of(directory, code, on)  # an area (a sub-ICB location): its board on the date
    if found.code is not None:
        return [(found.code, found.name)]
    named = []
    for candidate in found.candidates:
        board = directory.entry(candidate, _RESPONSIBLE, on)
        named.append((candidate, None if board is None else board.name))
    return named or [(code, None)]


def _holders(
    directory: Directory, code: str, since: date, on: date, seen: frozenset[str]
) -> list[tuple[str, str | None]]:
    """The bodies holding on ``on`` the area ``code`` held after ``since``: its successors,
    followed through every later succession effective on or before ``on``."""
    later = [(day, targets) for day, targets in directory.successors(code) if since < day <= on]
    if not later or code in seen:
        return _holder(directory, code, on)
    day, targets = later[0]
    found: list[tuple[str, str | None]] = []
    for target in targets:
        found += _holders(directory, target, day, on, seen | {code})
    return found


def body_lifetime(directory: Directory, code: str, on: date) -> BodyLifetime:
    """GOV-SUCCESSION's facts: whether ``code`` was formed by a succession (and when, from
    which bodies), and whether a succession effective on or before ``on`` ended it (and which
    bodies hold its area on ``on``)."""
    entries = directory.entries(code)
    if not entries:
        return BodyLifetime(code=code, on=on, known=False)
    incoming: dict[date, set[str]] = {}
    for succession in directory.successions:
        if succession.to == code:
            incoming.setdefault(succession.on, set()).add(succession.from_)
    formed = sorted(
        {entry.first for entry in entries if entry.kind in _RESPONSIBLE and entry.first in incoming}
    )
    formed_on = None
    if formed:
        begun = [day for day in formed if day <= on]
        formed_on = begun[-1] if begun else formed[0]
    ceased = [
        (day, targets)
        for day, targets in directory.successors(code)
        if day <= on and (formed_on is None or day > formed_on)
    ]
    if not ceased or (formed_on is not None and on < formed_on):
        return BodyLifetime(
            code=code,
            on=on,
            known=True,
            formed_on=formed_on,
            predecessors=tuple(sorted(incoming[formed_on])) if formed_on else (),
        )
    day, targets = ceased[0]
    holders = dict(_holders(directory, code, day - timedelta(days=1), on, frozenset()))
    return BodyLifetime(
        code=code,
        on=on,
        known=True,
        formed_on=formed_on,
        predecessors=tuple(sorted(incoming[formed_on])) if formed_on else (),
        ceased_on=day,
        split=len(targets) > 1,
        holders=tuple(sorted(holders.items())),
    )


def _named_bodies(holders: Iterable[tuple[str, str | None]]) -> str:
    return ", ".join(code if name is None else f"{code} ({name})" for code, name in holders)


@attrs.frozen
class _Start:
    """The dates of the requirements for a body's lifetime (GOV-SUCCESSION)."""

    lifetime: BodyLifetime

    def of(self, day: date) -> date:
        """A requirement's date: the later of its own date and the day the body was formed."""
        formed = self.lifetime.formed_on
        return day if formed is None else max(day, formed)

    def note(self, day: date, what: str) -> str:
        """What GOV-SUCCESSION did to a requirement's date, for its evidence ("" for nothing)."""
        life = self.lifetime
        if life.formed_on is None:
            return ""
        formed = (
            f"GOV-SUCCESSION: {life.code} was formed on {life.formed_on} "
            f"from {_ids(life.predecessors)}"
        )
        if life.formed_on > day:
            return f"{formed}, so {what} {life.formed_on}, not {day}"
        return f"{formed}, not after {day}, so {what} {day} stands"


# --- helpers -------------------------------------------------------------------------------------


# The sentences write dates as f-string values: ``str(date)`` is its ``YYYY-MM-DD`` form.


def _requirement(rule: Rule, status: Status, text: str, evidence: str) -> Requirement:
    return Requirement(
        rule=rule.id, status=status, text=text, evidence=evidence, citations=rule.citations
    )


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _ids(items: Iterable[str]) -> str:
    return ", ".join(items)


# --- GOV-GROUP, GOV-QUALITY-REPORTING: a thing due by a fixed day --------------------------------


def _by_deadline(
    rule: Rule,
    happened_on: date | None,
    deadline: date,
    as_of: date,
    *,
    what: str,
    evidence_of: str,
    evidence_none: str,
) -> Requirement:
    if happened_on is not None and happened_on <= as_of:
        evidence = f"{evidence_of} {happened_on}"
        if happened_on <= deadline:
            return _requirement(
                rule,
                Status.MET,
                f"{what} since {happened_on}, on or before the deadline of {deadline}.",
                evidence,
            )
        return _requirement(
            rule,
            Status.LATE,
            f"{what} since {happened_on}, after the deadline of {deadline}.",
            evidence,
        )
    if happened_on is None:
        evidence = evidence_none
    else:
        evidence = f"{evidence_of} {happened_on}, after {as_of}: not yet happened"
    if as_of <= deadline:
        return _requirement(
            rule,
            Status.NOT_YET_DUE,
            f"Not in place by {as_of}; due by {deadline}.",
            evidence,
        )
    return _requirement(
        rule,
        Status.MISSING,
        f"Not in place by {as_of}; it was due by {deadline}.",
        evidence,
    )


def _governance_group(arrangements: Arrangements, as_of: date, deadline: date) -> Requirement:
    """GOV-GROUP."""
    return _by_deadline(
        GOV_GROUP,
        arrangements.governance_group_established_on,
        deadline,
        as_of,
        what="A local LeDeR governance group has been in place",
        evidence_of="governance group established on",
        evidence_none="no governance group establishment date recorded",
    )


def _quality_reporting(arrangements: Arrangements, as_of: date, deadline: date) -> Requirement:
    """GOV-QUALITY-REPORTING."""
    return _by_deadline(
        GOV_QUALITY_REPORTING,
        arrangements.quality_reporting_from,
        deadline,
        as_of,
        what="LeDeR has been part of routine quality reporting",
        evidence_of="LeDeR in routine quality reporting from",
        evidence_none="no date recorded for LeDeR in routine quality reporting",
    )


# --- GOV-EXEC-LEAD, GOV-LAC: a named role from a day ---------------------------------------------


def _named(
    rule: Rule, value: str | None, start: date, as_of: date, *, article: str, role: str
) -> Requirement:
    # The name itself is never repeated in the report: it may be a person's.
    named = value is not None and value.strip() != ""
    said = f"{article} {role} is named" if named else f"no {role} is named"
    if as_of < start:
        return _requirement(
            rule,
            Status.NOT_YET_DUE,
            f"A named {role} is required from {start}.",
            f"{said}; required from {start}",
        )
    if named:
        return _requirement(rule, Status.MET, f"{article.capitalize()} {role} is named.", said)
    return _requirement(
        rule, Status.MISSING, f"No {role} is named; one is required from {start}.", said
    )


# --- GOV-TRAINED-REVIEWERS -----------------------------------------------------------------------


def _training_dates(arrangements: Arrangements) -> dict[str, date | None]:
    # A reviewer listed more than once counts as trained from the earliest date given.
    trained: dict[str, date | None] = {}
    for reviewer in arrangements.reviewers:
        earlier = trained.get(reviewer.id)
        dates = [day for day in (earlier, reviewer.trained_on) if day is not None]
        trained[reviewer.id] = min(dates) if dates else None
    return trained


def _trained_reviewers(
    arrangements: Arrangements,
    reviews: tuple[_ReviewAsOf, ...],
    given: bool,
    as_of: date,
    start: date,
) -> Requirement:
    """GOV-TRAINED-REVIEWERS, counting allocations from ``start`` to ``as_of``."""
    rule = GOV_TRAINED_REVIEWERS
    if as_of < start:
        return _requirement(
            rule,
            Status.NOT_YET_DUE,
            f"Reviews must go to trained reviewers from {start}.",
            f"required from {start}",
        )
    trained = _training_dates(arrangements)
    if given:
        allocations = sorted(
            (entry.event.on, item.id, entry.event.reviewer)
            for item in reviews
            for entry in item.review.history
            if isinstance(entry.event, Allocated) and start <= entry.event.on <= as_of
        )
        untrained = []
        for on, notification_id, reviewer in allocations:
            trained_on = trained.get(reviewer)
            if reviewer not in trained:
                untrained.append(f"{reviewer} allocated {notification_id} on {on} (not listed)")
            elif trained_on is None or trained_on > on:
                when = "no training date" if trained_on is None else f"trained {trained_on}"
                untrained.append(f"{reviewer} allocated {notification_id} on {on} ({when})")
        counted = f"{_plural(len(allocations), 'allocation')} from {start} to {as_of}"
        if not allocations:
            return _requirement(
                rule,
                Status.MET,
                "No review was allocated in the period, so there is nothing to judge.",
                counted,
            )
        if untrained:
            return _requirement(
                rule,
                Status.MISSING,
                f"{_plural(len(untrained), 'allocation')} went to a reviewer not trained by "
                "the day of allocation.",
                f"{counted}; to an untrained reviewer: " + "; ".join(untrained),
            )
        return _requirement(
            rule,
            Status.MET,
            "Every review allocated went to a reviewer trained by the day of allocation.",
            f"{counted}; every reviewer trained by then",
        )
    listed = f"{_plural(len(trained), 'reviewer')} listed, no reviews given"
    if not trained:
        return _requirement(
            rule,
            Status.MET,
            "No reviewers are listed and no reviews were given, so there is nothing to judge.",
            listed,
        )
    untrained_ids = sorted(
        reviewer for reviewer, day in trained.items() if day is None or day > as_of
    )
    if untrained_ids:
        return _requirement(
            rule,
            Status.MISSING,
            f"{_plural(len(untrained_ids), 'listed reviewer has', 'listed reviewers have')} no "
            f"training date on or before {as_of}.",
            f"{listed}; not trained by {as_of}: {_ids(untrained_ids)}",
        )
    return _requirement(
        rule,
        Status.MET,
        f"Every listed reviewer was trained by {as_of}.",
        f"{listed}; every one trained by {as_of}",
    )


# --- GOV-ANNUAL-REPORT ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AnnualReportYear:
    """One financial year's part of GOV-ANNUAL-REPORT as of a date."""

    year: FinancialYear
    due_on: date
    published_on: date | None
    """The earliest publication for the year on or before the date checked."""
    status: RequirementStatus


def _months_after(day: date, months: int) -> date:
    # INT-ANNUAL-REPORT allows any whole number of months; past the last representable date a
    # report is simply never due.
    if day.year + months // 12 + 1 > date.max.year:
        return date.max
    return add_calendar_months(day, months)


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
    first = ANNUAL_REPORT_FIRST_YEAR.at(as_of)
    published: dict[FinancialYear, date] = {}
    for report in arrangements.annual_reports:
        year = report.financial_year
        if report.published_on <= as_of and (
            year not in published or report.published_on < published[year]
        ):
            published[year] = report.published_on
    parts = []
    for start in range(first.start, FinancialYear.containing(as_of).start + 1):
        year = FinancialYear(start=start)
        due = _months_after(year.ends_on, months)
        if formed_on is not None and due < formed_on:
            continue  # its predecessors' year
        on = published.get(year)
        if on is not None:
            status = Status.MET if on <= due else Status.LATE
        else:
            status = Status.NOT_YET_DUE if as_of <= due else Status.MISSING
        parts.append(AnnualReportYear(year=year, due_on=due, published_on=on, status=status))
    return tuple(parts)


#: Worst first: the status a requirement with yearly parts takes (docs/schemas.md).
_WORST_FIRST: Final = (Status.MISSING, Status.LATE, Status.MET, Status.NOT_YET_DUE)


def _year_phrase(part: AnnualReportYear) -> str:
    due = f"due {part.due_on}"
    if part.published_on is None:
        return f"{part.year} not published, {due}: {part.status.value.replace('_', ' ')}"
    return f"{part.year} published {part.published_on}, {due}: {part.status.value}"


def _annual_report(
    arrangements: Arrangements, as_of: date, interpretation: Interpretation, life: BodyLifetime
) -> Requirement:
    """GOV-ANNUAL-REPORT."""
    rule = GOV_ANNUAL_REPORT
    months = interpretation.annual_report_months
    parts = annual_report_years(
        arrangements, as_of=as_of, interpretation=interpretation, formed_on=life.formed_on
    )
    rule_of_due = (
        f"each report due {_plural(months, 'month')} after its financial year ends "
        "(INT-ANNUAL-REPORT)"
    )
    if not parts:
        first = ANNUAL_REPORT_FIRST_YEAR.at(as_of)
        return _requirement(
            rule,
            Status.NOT_YET_DUE,
            f"No financial year needing a report has begun: the first is {first}.",
            f"{rule_of_due}; {first} begins {first.starts_on}",
        )
    status = next(s for s in _WORST_FIRST if any(part.status is s for part in parts))
    years_with = [str(part.year) for part in parts if part.status is status]
    if status is Status.MISSING:
        text = f"Not published by {as_of}, after the due date: {_ids(years_with)}."
    elif status is Status.LATE:
        text = f"Published after the due date: {_ids(years_with)}."
    elif status is Status.MET:
        text = "Every annual report due has been published on time."
    else:
        text = f"No annual report is due yet: {_ids(years_with)} is due later."
        if len(years_with) > 1:
            text = f"No annual report is due yet: {_ids(years_with)} are due later."
    evidence = f"{rule_of_due}; " + "; ".join(_year_phrase(part) for part in parts)
    return _requirement(rule, status, text, evidence + _predecessors_years(life, as_of, months))


def _predecessors_years(life: BodyLifetime, as_of: date, months: int) -> str:
    """GOV-SUCCESSION's note for GOV-ANNUAL-REPORT: the years left to the predecessors."""
    if life.formed_on is None:
        return ""
    first = ANNUAL_REPORT_FIRST_YEAR.at(as_of)
    earlier = [
        str(FinancialYear(start=start))
        for start in range(first.start, FinancialYear.containing(as_of).start + 1)
        if _months_after(FinancialYear(start=start).ends_on, months) < life.formed_on
    ]
    formed = (
        f"; GOV-SUCCESSION: {life.code} was formed on {life.formed_on} "
        f"from {_ids(life.predecessors)}"
    )
    if not earlier:
        return f"{formed}; it owes every year due on or after that day"
    return (
        f"{formed}; it owes the years due on or after that day; "
        f"{_ids(earlier)} {'was' if len(earlier) == 1 else 'were'} its predecessors', not judged"
    )


# --- GOV-ACTION-PLAN -----------------------------------------------------------------------------


def _action_plan(arrangements: Arrangements, as_of: date, start: date) -> Requirement:
    """GOV-ACTION-PLAN, required from ``start``."""
    rule = GOV_ACTION_PLAN
    plan = arrangements.action_plan
    covers = (
        "no action plan recorded" if plan is None else f"action plan from {plan.from_} to {plan.to}"
    )
    if as_of < start:
        return _requirement(
            rule,
            Status.NOT_YET_DUE,
            f"A three-year action plan is required from {start}.",
            f"{covers}; required from {start}",
        )
    if plan is not None and plan.from_ <= as_of <= plan.to:
        return _requirement(rule, Status.MET, f"The three-year action plan covers {as_of}.", covers)
    return _requirement(
        rule,
        Status.MISSING,
        f"No action plan covers {as_of}.",
        covers if plan is None else f"{covers}, which does not cover {as_of}",
    )


# --- reviews -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _ReviewAsOf:
    """A review as it stood at the end of the date checked, with its clock."""

    id: str
    review: Review
    due_on: date | None
    excused: bool


def _reviews_as_of(
    reviews: Iterable[Review], as_of: date, given: Interpretation | None
) -> tuple[_ReviewAsOf, ...]:
    prepared: list[_ReviewAsOf] = []
    for review in reviews:
        clock = effective_interpretation(review, given).clock
        then = events_until(review, as_of)
        timing = clocked(then, clock)
        prepared.append(
            _ReviewAsOf(
                id=review.notification.id,
                review=then,
                due_on=timing.due_on,
                excused=timing.excused,
            )
        )
    return tuple(prepared)


def _standard(standard: Timeliness | float) -> str:
    if isinstance(standard, Timeliness):
        return "every review due (INT-TIMELINESS every_review)"
    return f"a share of at least {standard * 100:g}% (INT-TIMELINESS {standard!r})"


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part * 100 / whole:.1f}%)" if whole else "none (no review due)"


@attrs.frozen(kw_only=True)
class _Timeliness:
    """GOV-TIMELINESS's counts: each review given once, by notification id, the first given."""

    given: int
    repeated: int
    on_time: tuple[str, ...]
    late: tuple[str, ...]
    """Completed after the due date, not excused."""
    overdue: tuple[str, ...]
    """Still open after the due date, not excused."""
    excused: tuple[str, ...]
    due_today: tuple[str, ...]
    """Due on the date checked itself and still open: neither on time nor late yet."""

    @property
    def due(self) -> int:
        return (
            len(self.on_time)
            + len(self.late)
            + len(self.overdue)
            + len(self.excused)
            + len(self.due_today)
        )

    @property
    def judged(self) -> int:
        """The reviews the share is taken over: due, less those due on the date itself and
        still open (so that a share of 1 is the same standard as every_review)."""
        return self.due - len(self.due_today)

    @property
    def good(self) -> int:
        return len(self.on_time) + len(self.excused)


def _timeliness_counts(reviews: tuple[_ReviewAsOf, ...], as_of: date) -> _Timeliness:
    found: dict[str, list[str]] = {
        key: [] for key in ("on_time", "late", "overdue", "excused", "due_today")
    }
    counted: set[str] = set()
    for item in reviews:
        if item.id in counted:  # a repeated notification id: the first given counts
            continue
        counted.add(item.id)
        review, due = item.review, item.due_on
        if due is None or review.state is ReviewState.CLOSED or due > as_of:
            continue
        completed_on = review.completed_on
        if review.state is ReviewState.COMPLETED and completed_on is not None:
            key = "on_time" if completed_on <= due else "excused" if item.excused else "late"
        elif as_of > due:
            key = "excused" if item.excused else "overdue"
        else:
            key = "due_today"
        found[key].append(item.id)
    return _Timeliness(
        given=len(counted),
        repeated=len(reviews) - len(counted),
        **{key: tuple(sorted(ids)) for key, ids in found.items()},
    )


def _timeliness_evidence(counts: _Timeliness, as_of: date, standard: Timeliness | float) -> str:
    of_given = f"of {_plural(counts.given, 'review')} given" + (
        f", {_plural(counts.repeated, 'repeated notification id')} counted once"
        if counts.repeated
        else ""
    )
    today = len(counts.due_today)
    parts = [
        f"{_plural(counts.due, 'review')} due by {as_of} ({of_given}): "
        f"{len(counts.on_time)} completed on time, {len(counts.excused)} late or overdue and "
        f"excused, {len(counts.late) + len(counts.overdue)} late or overdue and not excused"
        + (f", {today} due on {as_of} itself and still open" if today else ""),
        f"completed on time or excused: {_share(counts.good, counts.judged)}"
        + (f", not counting the {today} due on {as_of} itself" if today else ""),
        f"standard: {_standard(standard)}",
    ]
    if counts.late:
        parts.append(f"{len(counts.late)} completed late and not excused: {_ids(counts.late)}")
    if counts.overdue:
        parts.append(f"{len(counts.overdue)} overdue and not excused: {_ids(counts.overdue)}")
    if counts.excused:
        parts.append(
            f"{len(counts.excused)} late or overdue, excused by a hold placed by the due date: "
            f"{_ids(counts.excused)}"
        )
    if counts.due_today:
        parts.append(f"{today} due on {as_of} itself: {_ids(counts.due_today)}")
    return "; ".join(parts)


def _timeliness(
    reviews: tuple[_ReviewAsOf, ...], given: bool, as_of: date, standard: Timeliness | float
) -> Requirement:
    """GOV-TIMELINESS: overdue and excused judged from the dates (docs/governance.md), against
    the standard of INT-TIMELINESS; each review counted once, by notification id."""
    rule = GOV_TIMELINESS
    if not given:
        return _requirement(
            rule,
            Status.NOT_APPLICABLE,
            "No reviews were given, so timeliness is not judged.",
            "no reviews given",
        )
    counts = _timeliness_counts(reviews, as_of)
    evidence = _timeliness_evidence(counts, as_of, standard)
    due, judged, good = counts.due, counts.judged, counts.good
    if due == 0:
        return _requirement(
            rule, Status.NOT_YET_DUE, f"No review given was due by {as_of}.", evidence
        )
    if judged == 0:
        return _requirement(
            rule,
            Status.MET,
            f"The {_plural(due, 'review')} due by {as_of} "
            f"{'is' if due == 1 else 'are'} due that day itself and still open: none is late yet.",
            evidence,
        )
    if not isinstance(standard, Timeliness):
        share = f"{good} of the {_plural(judged, 'review')} due by {as_of}"
        if counts.due_today:
            share += " and not due that day itself"
        met = Fraction(good, judged) >= Fraction(repr(standard))
        return _requirement(
            rule,
            Status.MET if met else Status.LATE,
            f"{share} ({good * 100 / judged:.1f}%) were completed within six months or "
            f"excused by a hold: {'at least' if met else 'below'} the standard of "
            f"{standard * 100:g}%.",
            evidence,
        )
    count = len(counts.late) + len(counts.overdue)
    if count:
        was, is_ = ("was", "is") if count == 1 else ("were", "are")
        return _requirement(
            rule,
            Status.LATE,
            f"{count} of the {_plural(due, 'review')} due by {as_of} {was} "
            f"completed late or {is_} overdue, with no hold placed by the due date to excuse it.",
            evidence,
        )
    return _requirement(
        rule,
        Status.MET,
        f"Every review due by {as_of} was completed within six months, or its lateness "
        "is excused by a hold.",
        evidence,
    )


_FOCUSED_LEVELS: Final = frozenset({ReviewLevel.FOCUSED, ReviewLevel.MULTI_AGENCY})


def _sign_off(review: Review) -> SignedOff | None:
    for entry in reversed(review.history):
        if isinstance(entry.event, SignedOff):
            return entry.event
    return None


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()) + '"'


def _actions(reviews: tuple[_ReviewAsOf, ...], given: bool, as_of: date) -> Requirement:
    """GOV-ACTIONS: focused reviews signed off in the 365 days up to the date checked."""
    rule = GOV_ACTIONS
    if not given:
        return _requirement(
            rule,
            Status.NOT_APPLICABLE,
            "No reviews were given, so learning into action is not judged.",
            "no reviews given",
        )
    start = as_of - timedelta(days=ACTIONS_WINDOW_DAYS.at(as_of) - 1)
    window = f"from {start} to {as_of}"
    signed: list[tuple[date, str, SignedOff]] = []
    for item in reviews:
        review = item.review
        sign_off = _sign_off(review)
        if (
            review.state is ReviewState.COMPLETED
            and review.review_level in _FOCUSED_LEVELS
            and sign_off is not None
            and start <= sign_off.on <= as_of
        ):
            signed.append((sign_off.on, item.id, sign_off))
    signed.sort(key=lambda entry: (entry[0], entry[1]))
    counted = f"{_plural(len(signed), 'focused review')} signed off {window}"
    if not signed:
        return _requirement(
            rule,
            Status.NOT_APPLICABLE,
            f"No focused review was signed off {window}.",
            counted,
        )
    with_actions = [(on, id_, event) for on, id_, event in signed if event.actions]
    without = [f"{id_} ({on})" for on, id_, event in signed if not event.actions]
    if not with_actions:
        return _requirement(
            rule,
            Status.MISSING,
            f"Every focused review signed off {window} was signed off with no action.",
            f"{counted}; none with an agreed action: {_ids(without)}",
        )
    listed = []
    agreed = 0
    falling_due = 0
    for on, id_, event in with_actions:
        described = []
        for action in event.actions:
            agreed += 1
            if action.due_on is None:
                described.append(f"{_quoted(action.description)} with no due date")
            else:
                described.append(f"{_quoted(action.description)} due {action.due_on}")
                falling_due += action.due_on <= as_of
        listed.append(f"{id_} (signed off {on}): " + ", ".join(described))
    evidence = (
        f"{counted}; {len(with_actions)} with agreed actions; "
        f"{_plural(agreed, 'action')} agreed, {falling_due} falling due by {as_of}: "
        + "; ".join(listed)
    )
    if without:
        evidence += f"; signed off with no action: {_ids(without)}"
    return _requirement(
        rule,
        Status.MET,
        f"{len(with_actions)} of the {_plural(len(signed), 'focused review')} signed off "
        f"{window} led to an agreed action.",
        evidence,
    )


# --- the check -----------------------------------------------------------------------------------


def _not_applicable(rule: Rule, life: BodyLifetime) -> Requirement:
    """Every requirement of a body not yet formed, or ceased, on the date (GOV-SUCCESSION)."""
    code, on = life.code, life.on.isoformat()
    if life.ceased_on is not None:
        how = "split" if life.split else "merged"
        return _requirement(
            rule,
            Status.NOT_APPLICABLE,
            f"{code} ceased on {life.ceased_on}; nothing is required of it on {on}.",
            f"GOV-SUCCESSION: {code} ceased on {life.ceased_on} ({how}); its area is held "
            f"on {on} by {_named_bodies(life.holders)}",
        )
    formed = life.formed_on
    assert formed is not None  # noqa: S101 - only a body judged not applicable comes here
    return _requirement(
        rule,
        Status.NOT_APPLICABLE,
        f"{code} is formed on {formed}; nothing is required of it on {on}.",
        f"GOV-SUCCESSION: {code} is formed on {formed} from {_ids(life.predecessors)}; "
        f"{on} is before that day",
    )


def _with_note(requirement: Requirement, note: str) -> Requirement:
    if not note:
        return requirement
    return attrs.evolve(requirement, evidence=f"{requirement.evidence}; {note}")


def check_governance(
    arrangements: Arrangements,
    *,
    as_of: date,
    directory: Directory,
    reviews: Iterable[Review] = (),
    interpretation: Interpretation | None = None,
) -> ComplianceReport:
    """Judge a responsible body's governance arrangements as of a date (docs/governance.md).

    Takes models only (:func:`leder_core.check_governance` also takes documents and loads the
    bundled directory): the body's ``arrangements``, the ``directory`` of responsible bodies
    over time (GOV-SUCCESSION reads the body's lifetime from it) and its ``reviews`` (an empty
    list counts as none given). Every requirement is reported, in the rulebook's order.
    ``dump`` of the result gives ``leder.governance-report/1``.
    """
    day = as_of
    recorded = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    loaded = arrangements
    life = body_lifetime(directory, loaded.body.code, day)
    if not life.judged:
        return ComplianceReport(
            body=loaded.body,
            as_of=day,
            interpretation=recorded,
            requirements=tuple(_not_applicable(rule, life) for rule in GOVERNANCE_RULES),
        )
    start = _Start(life)
    group_due = GOVERNANCE_GROUP_DUE.at(day)
    lead_from = EXECUTIVE_LEAD_FROM.at(day)
    contact_from = LOCAL_AREA_CONTACT_FROM.at(day)
    trained_from = TRAINED_REVIEWERS_FROM.at(day)
    quality_due = QUALITY_REPORTING_DUE.at(day)
    plan_from = ACTION_PLAN_FROM.at(day)
    prepared = _reviews_as_of(reviews, day, interpretation)
    reviews_given = bool(prepared)
    requirements: tuple[Requirement, ...] = (
        _with_note(
            _governance_group(loaded, day, start.of(group_due)), start.note(group_due, "due by")
        ),
        _with_note(
            _named(
                GOV_EXEC_LEAD,
                loaded.executive_lead,
                start.of(lead_from),
                day,
                article="an",
                role="executive lead for LeDeR",
            ),
            start.note(lead_from, "required from"),
        ),
        _with_note(
            _named(
                GOV_LAC,
                loaded.local_area_contact,
                start.of(contact_from),
                day,
                article="a",
                role="local area contact",
            ),
            start.note(contact_from, "required from"),
        ),
        _with_note(
            _trained_reviewers(loaded, prepared, reviews_given, day, start.of(trained_from)),
            start.note(trained_from, "required from"),
        ),
        _with_note(
            _quality_reporting(loaded, day, start.of(quality_due)),
            start.note(quality_due, "due by"),
        ),
        _annual_report(loaded, day, recorded, life),
        _with_note(
            _action_plan(loaded, day, start.of(plan_from)), start.note(plan_from, "required from")
        ),
        _timeliness(prepared, reviews_given, day, recorded.timeliness),
        _actions(prepared, reviews_given, day),
    )
    if not life.known:
        unknown = (
            f"the directory of responsible bodies does not know the code {life.code}: judged "
            "by the dates as they stand"
        )
        requirements = tuple(_with_note(requirement, unknown) for requirement in requirements)
    return ComplianceReport(
        body=loaded.body, as_of=day, interpretation=recorded, requirements=requirements
    )
