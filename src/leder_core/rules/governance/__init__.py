"""Governance requirements of a responsible body (docs/governance.md): GOV-* rules.

:func:`governance_findings` judges what a CCG, ICS or ICB must have in place as of a date D:
every requirement, in the rulebook's order, with its status (``met``, ``late``, ``missing``,
``not_yet_due`` or ``not_applicable``) and the facts it was judged on;
:func:`leder_core.check_governance` adds the sentence, the evidence and the citations
(:mod:`leder_core.render.governance`). Anything dated after D has not happened yet. Reviews,
where given, are taken as the body's own; only their events dated on or before D count.

The rules here decide and build no sentences: each finding is a fact record
(:mod:`leder_core.rules.governance.findings`).

Bodies over their lifetimes (GOV-SUCCESSION)
    The directory of responsible bodies over time (an argument: nothing here reads files) says
    whether the body was formed by a merger or split, and whether one ended it. A body formed on
    a day F is judged from F (each dated requirement's date becomes the later of its date and F;
    the annual reports owed are those due on or after F); before F, and once a succession has
    ended it, every requirement is ``not_applicable``.
    :func:`~leder_core.rules.governance.lifetime.body_lifetime` gives the facts.

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

Deadlines and start dates are dated parameters (:mod:`leder_core.rules.governance.parameters`),
each with its citation, so a new policy is a new entry rather than an edit. The financial years
owed an annual report are found by :mod:`leder_core.rules.governance.annual_reports`; the
reviews given, as they stood on the date, are read by :mod:`leder_core.rules.governance.reviews`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Final

from leder_core.interpretation import DEFAULT_INTERPRETATION, Interpretation, Timeliness
from leder_core.models.assessment import RuleSetId
from leder_core.models.bodies import Directory
from leder_core.models.governance import Arrangements, RequirementStatus
from leder_core.models.review import Review
from leder_core.rules.governance.annual_reports import (
    annual_report_years,
    months_after,
    years_begun,
)
from leder_core.rules.governance.findings import (
    ActionPlanFinding,
    ActionsFinding,
    AnnualReportFinding,
    DeadlineFinding,
    Finding,
    GovernanceFindings,
    NamedRoleFinding,
    NotJudgedFinding,
    TimelinessFinding,
    TrainedReviewersFinding,
    UntrainedAllocation,
)
from leder_core.rules.governance.lifetime import BodyLifetime, body_lifetime
from leder_core.rules.governance.parameters import (
    ACTION_PLAN_FROM,
    ACTIONS_WINDOW_DAYS,
    ANNUAL_REPORT_FIRST_YEAR,
    EXECUTIVE_LEAD_FROM,
    GOVERNANCE_GROUP_DUE,
    LOCAL_AREA_CONTACT_FROM,
    QUALITY_REPORTING_DUE,
    TRAINED_REVIEWERS_FROM,
)
from leder_core.rules.governance.reviews import (
    ReviewAsOf,
    focused_sign_offs,
    reviews_as_of,
    timeliness_counts,
    training_dates,
    untrained_allocations,
)
from leder_core.rules.parameters import Parameter
from leder_core.rules.registry import Confidence, Rule, define_rule

__all__ = [
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
    "governance_findings",
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

# --- GOV-GROUP, GOV-QUALITY-REPORTING: a thing due by a fixed day --------------------------------


def _by_deadline(
    rule: Rule, due: Parameter[date], happened_on: date | None, as_of: date, life: BodyLifetime
) -> DeadlineFinding:
    own_day = due.at(as_of)
    deadline = life.start_of(own_day)
    if happened_on is not None and happened_on <= as_of:
        status = Status.MET if happened_on <= deadline else Status.LATE
    else:
        status = Status.NOT_YET_DUE if as_of <= deadline else Status.MISSING
    return DeadlineFinding(
        rule=rule,
        status=status,
        as_of=as_of,
        lifetime=life,
        own_day=own_day,
        happened_on=happened_on,
    )


# --- GOV-EXEC-LEAD, GOV-LAC: a named role from a day ---------------------------------------------


def _named(
    rule: Rule, required_from: Parameter[date], value: str | None, as_of: date, life: BodyLifetime
) -> NamedRoleFinding:
    own_day = required_from.at(as_of)
    named = value is not None and value.strip() != ""
    if as_of < life.start_of(own_day):
        status = Status.NOT_YET_DUE
    else:
        status = Status.MET if named else Status.MISSING
    return NamedRoleFinding(
        rule=rule, status=status, as_of=as_of, lifetime=life, own_day=own_day, named=named
    )


# --- GOV-TRAINED-REVIEWERS -----------------------------------------------------------------------


def _trained_reviewers(
    arrangements: Arrangements,
    reviews: tuple[ReviewAsOf, ...],
    given: bool,
    as_of: date,
    life: BodyLifetime,
) -> TrainedReviewersFinding:
    """GOV-TRAINED-REVIEWERS: the allocations of the reviews given, else the reviewers listed."""
    own_day = TRAINED_REVIEWERS_FROM.at(as_of)
    start = life.start_of(own_day)
    trained = training_dates(arrangements)
    allocations = 0
    untrained: tuple[UntrainedAllocation, ...] = ()
    untrained_listed: tuple[str, ...] = ()
    if as_of < start:
        status = Status.NOT_YET_DUE
    elif given:
        allocations, untrained = untrained_allocations(trained, reviews, start, as_of)
        status = Status.MISSING if untrained else Status.MET
    else:
        untrained_listed = tuple(
            sorted(reviewer for reviewer, day in trained.items() if day is None or day > as_of)
        )
        status = Status.MISSING if untrained_listed else Status.MET
    return TrainedReviewersFinding(
        rule=GOV_TRAINED_REVIEWERS,
        status=status,
        as_of=as_of,
        lifetime=life,
        own_day=own_day,
        reviews_given=given,
        allocations=allocations,
        untrained_allocations=untrained,
        listed=len(trained),
        untrained_listed=untrained_listed,
    )


# --- GOV-ANNUAL-REPORT ---------------------------------------------------------------------------


#: Worst first: the status a requirement with yearly parts takes (docs/schemas.md).
_WORST_FIRST: Final = (Status.MISSING, Status.LATE, Status.MET, Status.NOT_YET_DUE)


def _annual_report(
    arrangements: Arrangements, as_of: date, interpretation: Interpretation, life: BodyLifetime
) -> AnnualReportFinding:
    """GOV-ANNUAL-REPORT: the requirement stands at its worst year."""
    months = interpretation.annual_report_months
    parts = annual_report_years(
        arrangements, as_of=as_of, interpretation=interpretation, formed_on=life.formed_on
    )
    status = next(
        (s for s in _WORST_FIRST if any(part.status is s for part in parts)), Status.NOT_YET_DUE
    )
    formed_on = life.formed_on
    earlier = (
        ()
        if formed_on is None
        else tuple(
            year for year in years_begun(as_of) if months_after(year.ends_on, months) < formed_on
        )
    )
    return AnnualReportFinding(
        rule=GOV_ANNUAL_REPORT,
        status=status,
        as_of=as_of,
        lifetime=life,
        months=months,
        first_year=ANNUAL_REPORT_FIRST_YEAR.at(as_of),
        years=parts,
        predecessors_years=earlier,
    )


# --- GOV-ACTION-PLAN -----------------------------------------------------------------------------


def _action_plan(arrangements: Arrangements, as_of: date, life: BodyLifetime) -> ActionPlanFinding:
    """GOV-ACTION-PLAN: a plan covering the date checked, once required."""
    own_day = ACTION_PLAN_FROM.at(as_of)
    plan = arrangements.action_plan
    if as_of < life.start_of(own_day):
        status = Status.NOT_YET_DUE
    elif plan is not None and plan.from_ <= as_of <= plan.to:
        status = Status.MET
    else:
        status = Status.MISSING
    return ActionPlanFinding(
        rule=GOV_ACTION_PLAN, status=status, as_of=as_of, lifetime=life, own_day=own_day, plan=plan
    )


# --- GOV-TIMELINESS, GOV-ACTIONS: the reviews given ----------------------------------------------


def _timeliness(
    reviews: tuple[ReviewAsOf, ...],
    given: bool,
    as_of: date,
    standard: Timeliness | float,
    life: BodyLifetime,
) -> TimelinessFinding:
    """GOV-TIMELINESS: against the standard of INT-TIMELINESS (docs/governance.md)."""
    counts = timeliness_counts(reviews, as_of) if given else None
    if counts is None:
        status = Status.NOT_APPLICABLE
    elif counts.due == 0:
        status = Status.NOT_YET_DUE
    elif counts.judged == 0:
        status = Status.MET
    elif not isinstance(standard, Timeliness):
        met = Fraction(counts.good, counts.judged) >= Fraction(repr(standard))
        status = Status.MET if met else Status.LATE
    else:
        status = Status.LATE if counts.not_excused else Status.MET
    return TimelinessFinding(
        rule=GOV_TIMELINESS,
        status=status,
        as_of=as_of,
        lifetime=life,
        counts=counts,
        standard=standard,
    )


def _actions(
    reviews: tuple[ReviewAsOf, ...], given: bool, as_of: date, life: BodyLifetime
) -> ActionsFinding:
    """GOV-ACTIONS: focused reviews signed off in the 365 days up to the date checked."""
    start = as_of - timedelta(days=ACTIONS_WINDOW_DAYS.at(as_of) - 1)
    signed = focused_sign_offs(reviews, start, as_of) if given else ()
    if not signed:
        status = Status.NOT_APPLICABLE
    else:
        status = Status.MET if any(entry.actions for entry in signed) else Status.MISSING
    return ActionsFinding(
        rule=GOV_ACTIONS,
        status=status,
        as_of=as_of,
        lifetime=life,
        reviews_given=given,
        window_from=start,
        signed_off=signed,
    )


# --- the check -----------------------------------------------------------------------------------


def governance_findings(
    arrangements: Arrangements,
    *,
    as_of: date,
    directory: Directory,
    reviews: Iterable[Review] = (),
    interpretation: Interpretation | None = None,
) -> GovernanceFindings:
    """What :func:`leder_core.check_governance` finds, before it is put into words: each
    requirement's status and the facts it rests on, in the rulebook's order."""
    recorded = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    life = body_lifetime(directory, arrangements.body.code, as_of)
    findings: tuple[Finding, ...]
    if not life.judged:
        findings = tuple(
            NotJudgedFinding(rule=rule, status=Status.NOT_APPLICABLE, as_of=as_of, lifetime=life)
            for rule in GOVERNANCE_RULES
        )
    else:
        prepared = reviews_as_of(reviews, as_of, interpretation)
        given = bool(prepared)
        group = arrangements.governance_group_established_on
        quality = arrangements.quality_reporting_from
        findings = (
            _by_deadline(GOV_GROUP, GOVERNANCE_GROUP_DUE, group, as_of, life),
            _named(GOV_EXEC_LEAD, EXECUTIVE_LEAD_FROM, arrangements.executive_lead, as_of, life),
            _named(GOV_LAC, LOCAL_AREA_CONTACT_FROM, arrangements.local_area_contact, as_of, life),
            _trained_reviewers(arrangements, prepared, given, as_of, life),
            _by_deadline(GOV_QUALITY_REPORTING, QUALITY_REPORTING_DUE, quality, as_of, life),
            _annual_report(arrangements, as_of, recorded, life),
            _action_plan(arrangements, as_of, life),
            _timeliness(prepared, given, as_of, recorded.timeliness, life),
            _actions(prepared, given, as_of, life),
        )
    return GovernanceFindings(
        body=arrangements.body, as_of=as_of, interpretation=recorded, findings=findings
    )
