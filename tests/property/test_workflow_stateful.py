"""The review workflow under random event sequences (rules §7, §8, §13).

A Hypothesis state machine opens a review from a random notification (LeDeR reviews and
regional decisions, both rule sets, with and without mandatory triggers, now and then one that
opens closed) and throws events at it: mostly plausible, dated on or after the last event, but
also in the wrong state, out of date order, lifting holds that are not open, signing off without
actions, allocating to a reviewer who was involved in the person's care, after the review ended.

Beside the library runs a small reference model written from the rulebook alone. Every event is
offered to both; they must agree on whether it is accepted, on the rules that refuse it (in the
order of §13) and on where the review goes. After every step the invariants of §7 and §8 are
checked: a refusal changes nothing, the history is the accepted events in order, completed and
closed reviews accept nothing, triggered or family-requested reviews pass through a focused
review, holds block completion and sign-off, the clock behaves under both ``INT-CLOCK``
readings, documents round-trip, and ``enabled_events`` is exactly what ``apply`` would accept.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Final, TypeVar, cast

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from leder_core import (
    Interpretation,
    TransitionRefused,
    apply,
    dump,
    load_review,
    review_result,
    review_status,
)
from leder_core.interpretation import (
    AutismFocused,
    AutismStartKey,
    Clock,
    MinorityEthnic,
)
from leder_core.models.assessment import Outcome
from leder_core.models.review import Event, HoldLifted, HoldPlaced, Review, ReviewState
from leder_core.rules.clock import clocked
from leder_core.rules.workflow import enabled_events
from leder_core.serialization import load_event
from leder_core.testing import nhs_numbers

# --- the rulebook, written out independently of the code ---------------------------------

OPEN: Final = (
    "awaiting_regional_decision",
    "awaiting_allocation",
    "initial_review",
    "focused_review",
    "awaiting_sign_off",
)
TERMINAL: Final = ("completed", "closed")

#: Rules §8 (docs/workflow.md): the rule of each event and the states that accept it.
OWN_RULE: Final = {
    "regional_decision": ("FLOW-REGIONAL", ("awaiting_regional_decision",)),
    "allocated": ("FLOW-ALLOCATE", ("awaiting_allocation",)),
    "contact_recorded": ("FLOW-CONTACT", ("initial_review", "focused_review")),
    "family_not_involved": ("FLOW-CONTACT", ("initial_review", "focused_review")),
    "initial_review_completed": ("FLOW-INITIAL-COMPLETE", ("initial_review",)),
    "focused_review_requested": ("FLOW-FAMILY-REQUEST", OPEN),
    "focused_review_completed": ("FLOW-FOCUSED-COMPLETE", ("focused_review",)),
    "hold_placed": ("FLOW-HOLD", OPEN),
    "hold_lifted": ("FLOW-HOLD", OPEN),
    "signed_off": ("FLOW-SIGN-OFF", ("awaiting_sign_off",)),
    "closed": ("FLOW-CLOSE", OPEN),
}
EVENT_TYPES: Final = tuple(OWN_RULE)
#: FLOW-HOLD-BLOCKS.
BLOCKED: Final = ("initial_review_completed", "focused_review_completed", "signed_off")

CONTACTS: Final = ("family", "close_person", "gp", "gp_records", "other_professional")
NOT_INVOLVED: Final = ("declined", "no_family", "person_wished", "not_contactable")
PROCESSES: Final = (
    "coroner_inquest",
    "police_investigation",
    "safeguarding_adults_review",
    "safeguarding_enquiry",
    "domestic_homicide_review",
    "patient_safety_investigation",
    "prisons_ombudsman",
    "iopc_investigation",
    "family_requested_delay",
)
CLOSURES: Final = ("duplicate", "withdrawn_ineligible", "regional_decision_not_to_proceed")
REASON_TEXT: Final = "no learning requiring action"
ACTION: Final = {
    "description": "Review the annual health check invitation letters",
    "owner": "ICB learning disability lead",
    "due_on": "2026-01-31",
}


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


class Model:
    """A review as the rulebook describes it: state, level, contacts, holds, completion."""

    def __init__(self, review: Review) -> None:
        assessment = review.assessment
        self.notified_on = review.notification.notified_on
        self.six_months = assessment.due_on
        self.triggered = bool(assessment.mandatory_triggers)
        self.deeper = "multi_agency" if assessment.ruleset == "leder-2016" else "focused"
        self.state = {
            "leder_review": "awaiting_allocation",
            "regional_decision": "awaiting_regional_decision",
        }.get(assessment.outcome.value, "closed")
        level = assessment.review_level
        self.level = None if level is None else level.value
        self.last = self.notified_on
        self.contacts: set[str] = set()
        self.family_not_involved = False
        self.family_requested = False
        self.holds: list[list[Any]] = []  # [process, placed_on, lifted_on or None]
        self.completed_on: date | None = None
        self.visited = [self.state]

    @classmethod
    def replayed(cls, review: Review, events: list[Event]) -> Model:
        model = cls(review)
        for event in events:
            assert model.refusal(event) == [], "an accepted event replays cleanly"
            model.accept(event)
        return model

    # -- what the rulebook says about one event -----------------------------------------

    def open_processes(self) -> list[str]:
        return [process for process, _, lifted in self.holds if lifted is None]

    def minimum_contacts_met(self) -> bool:
        family = bool({"family", "close_person"} & self.contacts) or self.family_not_involved
        gp = bool({"gp", "gp_records"} & self.contacts)
        return family and gp and "other_professional" in self.contacts

    def sign_off_failures(self, event: Any) -> int:
        """How many of the sign-off checks fail: the signatory, the actions (§13: each its own
        reason)."""
        if self.level == "initial":
            return 0
        actions = event.actions
        complete = bool(actions) and all(
            action.owner is not None and action.due_on is not None for action in actions
        )
        by_group = event.by.value == "governance_group"
        return (not by_group) + (not (complete or not _blank(event.no_actions_reason)))

    def refusal(self, event: Any) -> list[str]:
        """The rule ids that refuse ``event``, in the order of §13; [] when accepted."""
        kind = event.type.value
        if self.state in TERMINAL:
            return ["FLOW-TERMINAL"]
        rules = []
        if event.on < self.last:
            rules.append("FLOW-DATES")
        own, sources = OWN_RULE[kind]
        accepted_here = self.state in sources
        if not accepted_here:
            rules.append(own)
        if kind in BLOCKED and self.open_processes():
            rules.append("FLOW-HOLD-BLOCKS")
        if not accepted_here:
            return rules
        if kind == "allocated":
            # Involved in the care, from the service where the person died: a reason each.
            failed = (not event.independent) + event.from_service_where_died
            rules += ["FLOW-ALLOCATE"] * failed
        elif kind == "initial_review_completed" and not self.minimum_contacts_met():
            rules.append("FLOW-MIN-CONTACTS")
        elif kind == "signed_off":
            rules += ["FLOW-SIGN-OFF"] * self.sign_off_failures(event)
        elif kind in ("hold_placed", "hold_lifted"):
            is_open = event.process.value in self.open_processes()
            if is_open == (kind == "hold_placed"):  # one open hold per process; lift an open one
                rules.append("FLOW-HOLD")
        return rules

    def accept(self, event: Any) -> None:
        kind = event.type.value
        self.last = event.on
        if kind == "regional_decision":
            self.state = "awaiting_allocation" if event.proceed else "closed"
        elif kind == "allocated":
            self.state = "initial_review"
        elif kind == "contact_recorded":
            self.contacts.add(event.contact.value)
        elif kind == "family_not_involved":
            self.family_not_involved = True
        elif kind == "initial_review_completed":
            deeper = (
                self.triggered or self.family_requested or event.concerns or event.further_learning
            )
            if deeper:
                self.level = self.deeper
            self.state = "focused_review" if deeper else "awaiting_sign_off"
        elif kind == "focused_review_requested":
            was_initial = self.level == "initial"
            self.family_requested = True
            self.level = self.deeper
            if self.state == "awaiting_sign_off" and was_initial:
                self.state = "focused_review"
        elif kind == "focused_review_completed":
            self.state = "awaiting_sign_off"
        elif kind == "hold_placed":
            self.holds.append([event.process.value, event.on, None])
        elif kind == "hold_lifted":
            for hold in self.holds:
                if hold[0] == event.process.value and hold[2] is None:
                    hold[2] = event.on
        elif kind == "signed_off":
            self.state = "completed"
            self.completed_on = event.on
        elif kind == "closed":
            self.state = "closed"
        self.visited.append(self.state)

    def enabled(self) -> set[str]:
        """§13: types with some event, dated on the last event's date, that is accepted."""
        if self.state in TERMINAL:
            return set()
        kinds = set()
        for kind, (_, sources) in OWN_RULE.items():
            if self.state not in sources:
                continue
            if kind in BLOCKED and self.open_processes():
                continue
            if kind == "initial_review_completed" and not self.minimum_contacts_met():
                continue
            if kind == "hold_lifted" and not self.open_processes():
                continue
            if kind == "hold_placed" and len(self.open_processes()) == len(PROCESSES):
                continue
            kinds.add(kind)
        return kinds

    # -- the clock (§7 DEAD-HOLDS, DEAD-STATUS; §13) ------------------------------------

    def due(self, clock: str) -> date | None:
        six = self.six_months
        if six is None or clock == "excuse":
            return six
        if self.open_processes():
            return None
        covered: set[int] = set()
        due = six
        for _, placed, lifted in sorted(self.holds, key=lambda hold: hold[1]):
            if placed <= due:
                covered |= set(range(placed.toordinal(), lifted.toordinal()))
                due = six + timedelta(days=len(covered))
        return due

    def excused(self, clock: str) -> bool:
        six = self.six_months
        return clock == "excuse" and six is not None and any(h[1] <= six for h in self.holds)

    def status(self, as_of: date, clock: str, due_soon_days: int) -> tuple[str, bool]:
        if self.state == "closed":
            return "closed", False
        due = self.due(clock)
        if self.state == "completed":
            assert due is not None
            assert self.completed_on is not None
            if self.completed_on <= due:
                return "completed_on_time", False
            return "completed_late", self.excused(clock)
        if self.open_processes() or due is None:
            return "on_hold", False
        if as_of > due:
            return "overdue", self.excused(clock)
        if (due - as_of).days <= due_soon_days:
            return "due_soon", False
        return "on_track", False


# --- what the machine draws --------------------------------------------------------------


@st.composite
def notification_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Notifications that open mostly LeDeR reviews and regional decisions (both rule sets,
    with and without triggers), and now and then one that opens closed."""
    kind = draw(st.sampled_from(["2021"] * 4 + ["2016"] * 3 + ["regional"] * 2 + ["other"]))
    if kind == "2016":
        notified = draw(st.dates(date(2016, 7, 1), date(2021, 5, 31)))
    else:
        notified = draw(st.dates(date(2021, 6, 1), date(2027, 12, 31)))
    died = notified - timedelta(days=draw(st.integers(0, 90)))
    age = draw(st.sampled_from([19, 24, 25, 40, 52, 63, 88]))
    born = died - timedelta(days=365 * age + draw(st.integers(10, 300)))
    learning_disability = kind != "other" or draw(st.booleans())
    person: dict[str, Any] = {
        "date_of_birth": born.isoformat(),
        "date_of_death": died.isoformat(),
        "learning_disability": learning_disability,
        "autism": draw(st.sampled_from(["none", "none", "diagnosed", "suspected"])),
        "lived_in_england": kind != "other" or draw(st.booleans()),
    }
    ethnicity = draw(st.sampled_from([None, "A", "A", "A", "A", "B", "C", "H", "N", "Z", "99"]))
    if ethnicity is not None or draw(st.booleans()):
        person["ethnicity"] = ethnicity
    number = draw(st.one_of(st.none(), nhs_numbers()))
    if number is not None:
        person["nhs_number"] = number
    if kind == "regional":
        person["gp_registered"] = False
    if kind == "other":
        person["national_data_opt_out"] = draw(st.booleans())
    return {
        "id": f"N-{notified.year}-{draw(st.integers(0, 999999)):06d}",
        "notified_on": notified.isoformat(),
        "notifier_role": draw(st.sampled_from(["family", "gp", "health_professional"])),
        "person": person,
        "other_processes": draw(st.lists(st.sampled_from(PROCESSES[:-1]), unique=True, max_size=2)),
    }


interpretations = st.builds(
    Interpretation,
    autism_start_key=st.sampled_from(AutismStartKey),
    autism_focused=st.sampled_from(AutismFocused),
    minority_ethnic=st.sampled_from(MinorityEthnic),
    clock=st.sampled_from(Clock),
    due_soon_days=st.sampled_from([0, 7, 28, 60]),
)

#: How an event is dated: mostly on or after the last event (a few days later, sometimes
#: months later, or on the edges of the due dates, where the clock turns), sometimes before it.
dating = st.tuples(
    st.sampled_from(
        ["after"] * 5 + ["long", "same", "edge", "edge", "before", "before_notification"]
    ),
    st.integers(1, 45),
)

action_documents = st.fixed_dictionaries(
    {"description": st.sampled_from(["Audit the hospital passport", "Train the ward team"])},
    optional={
        "owner": st.sampled_from([None, "Ward manager", "ICB quality lead"]),
        "due_on": st.sampled_from([None, "2025-12-31", "2026-06-30"]),
    },
)
sign_off_fields = st.fixed_dictionaries(
    {"by": st.sampled_from(["senior_reviewer", "governance_group"])},
    optional={
        "actions": st.lists(action_documents, max_size=2),
        "no_actions_reason": st.sampled_from([None, "", "   ", REASON_TEXT]),
    },
)
EVENT_FIELDS: Final[dict[str, st.SearchStrategy[dict[str, Any]]]] = {
    "regional_decision": st.fixed_dictionaries({"proceed": st.booleans()}),
    "allocated": st.fixed_dictionaries(
        {"reviewer": st.sampled_from(["R-1", "R-17"])},
        optional={
            "independent": st.sampled_from([True, True, False]),
            "from_service_where_died": st.sampled_from([False, False, True]),
        },
    ),
    "contact_recorded": st.fixed_dictionaries({"contact": st.sampled_from(CONTACTS)}),
    "family_not_involved": st.fixed_dictionaries({"reason": st.sampled_from(NOT_INVOLVED)}),
    "initial_review_completed": st.fixed_dictionaries(
        {"concerns": st.booleans(), "further_learning": st.booleans()}
    ),
    "focused_review_requested": st.fixed_dictionaries({}, optional={"by": st.just("family")}),
    "focused_review_completed": st.just({}),
    "hold_placed": st.fixed_dictionaries({"process": st.sampled_from(PROCESSES)}),
    "hold_lifted": st.fixed_dictionaries({"process": st.sampled_from(PROCESSES)}),
    "signed_off": sign_off_fields,
    "closed": st.fixed_dictionaries({"reason": st.sampled_from(CLOSURES)}),
}
#: Closing ends a review for good, so it is offered less often than the other events.
any_event = st.sampled_from([*EVENT_TYPES[:-1], *EVENT_TYPES[:-1], "closed"]).flatmap(
    lambda kind: EVENT_FIELDS[kind].map(lambda fields: {"type": kind, **fields})
)


@functools.lru_cache(maxsize=512)
def candidates(on: date) -> tuple[tuple[str, Event], ...]:
    """Events of every type and every shape of field, dated ``on``, as (type, event)."""
    day = on.isoformat()
    events: list[dict[str, Any]] = []
    events += [{"type": "regional_decision", "proceed": value} for value in (True, False)]
    events += [
        {
            "type": "allocated",
            "reviewer": "R-1",
            "independent": value,
            "from_service_where_died": other,
        }
        for value in (True, False)
        for other in (False, True)
    ]
    events += [{"type": "contact_recorded", "contact": contact} for contact in CONTACTS]
    events += [{"type": "family_not_involved", "reason": reason} for reason in NOT_INVOLVED[:2]]
    events += [
        {"type": "initial_review_completed", "concerns": a, "further_learning": b}
        for a in (False, True)
        for b in (False, True)
    ]
    events += [{"type": "focused_review_requested"}, {"type": "focused_review_completed"}]
    events += [{"type": "hold_placed", "process": process} for process in PROCESSES]
    events += [{"type": "hold_lifted", "process": process} for process in PROCESSES]
    events += [
        {"type": "signed_off", "by": "senior_reviewer"},
        {"type": "signed_off", "by": "senior_reviewer", "no_actions_reason": REASON_TEXT},
        {"type": "signed_off", "by": "governance_group"},
        {"type": "signed_off", "by": "governance_group", "no_actions_reason": "  "},
        {"type": "signed_off", "by": "governance_group", "no_actions_reason": REASON_TEXT},
        {"type": "signed_off", "by": "governance_group", "actions": [ACTION]},
        {"type": "signed_off", "by": "governance_group", "actions": [{**ACTION, "owner": None}]},
    ]
    events += [{"type": "closed", "reason": reason} for reason in CLOSURES]
    return tuple((event["type"], load_event({**event, "on": day})) for event in events)


def witness(kind: str, review: Review, on: date) -> dict[str, Any]:
    """One event of ``kind`` with valid fields that the review should accept on ``on``."""
    day = on.isoformat()
    open_holds = [process.value for process in review.open_holds]
    table: dict[str, dict[str, Any]] = {
        "regional_decision": {"proceed": True},
        "allocated": {"reviewer": "R-1", "independent": True},
        "contact_recorded": {"contact": "gp"},
        "family_not_involved": {"reason": "no_family"},
        "initial_review_completed": {"concerns": False, "further_learning": False},
        "focused_review_requested": {"by": "family"},
        "focused_review_completed": {},
        "hold_placed": {"process": next((p for p in PROCESSES if p not in open_holds), "x")},
        "hold_lifted": {"process": open_holds[0] if open_holds else "coroner_inquest"},
        "signed_off": {
            "by": "governance_group",
            "actions": [ACTION],
            "no_actions_reason": None,
        },
        "closed": {"reason": "duplicate"},
    }
    fields = table[kind]
    return {"type": kind, "on": day, **fields}


def outcome(review: Review, event: Event | dict[str, Any]) -> Review | TransitionRefused:
    try:
        return apply(review, event)
    except TransitionRefused as refusal:
        return refusal


def person_values(review: Review) -> list[str]:
    """How the person's identifying values could appear in text."""
    person = review.notification.person
    values = []
    if person.nhs_number is not None:
        digits = dump(review.notification)["person"]["nhs_number"]
        values += [digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]
    for day in (person.date_of_birth, person.date_of_death):
        if day != review.notification.notified_on:  # the notification date is not hidden
            values += [day.isoformat(), repr(day)]
    return values


# --- the machine -------------------------------------------------------------------------


Check = TypeVar("Check", bound=Callable[["WorkflowMachine"], None])


def once_per_review(check: Check) -> Check:
    """Run an invariant once for each review the machine reaches.

    Only an accepted event changes the review, the model and the accepted events (together); a
    refused event or a status query leaves all three as they were, and ``offer`` asserts the
    review unchanged. Checking an invariant again after such a step would verify the very same
    thing, at the cost of replaying, dumping and loading the review.
    """

    @functools.wraps(check)
    def checked(machine: WorkflowMachine) -> None:
        if machine.verified.get(check.__name__) is machine.review:
            return
        check(machine)
        machine.verified[check.__name__] = machine.review

    return cast("Check", checked)


class WorkflowMachine(RuleBasedStateMachine):
    verified: dict[str, Review]
    review: Review
    model: Model
    accepted: list[Event]

    @initialize(document=notification_documents(), interpretation=interpretations)
    def open_review(self, document: dict[str, Any], interpretation: Interpretation) -> None:
        self.review = load_review(
            {"notification": document, "events": []}, interpretation=interpretation
        )
        self.model = Model(self.review)
        self.accepted = []
        self.verified = {}  # invariant name -> the review it last held for
        assert self.review.refused is None
        assert self.review.state.value == self.model.state
        if self.model.state == "closed":
            assert self.review.closure is not None
            assert self.review.closure.value == self.review.assessment.outcome.value
            assert self.review.assessment.outcome not in (
                Outcome.LEDER_REVIEW,
                Outcome.REGIONAL_DECISION,
            )

    # -- offering events ----------------------------------------------------------------

    def last_date(self) -> date:
        return self.accepted[-1].on if self.accepted else self.review.notification.notified_on

    def edges(self) -> list[date]:
        """The days around which the clock turns: the six-month date, the due date under
        'stop', the start of the due-soon window, each a day either side."""
        model = self.model
        due_soon = self.review.interpretation.due_soon_days
        centres = [model.six_months, model.due("stop")]
        centres += [day - timedelta(days=due_soon) for day in centres if day is not None]
        return [
            day + timedelta(days=shift)
            for day in centres
            if day is not None
            for shift in (-1, 0, 1)
        ]

    def dated(self, how: tuple[str, int]) -> date:
        kind, days = how
        last = self.last_date()
        if kind == "after":
            return last + timedelta(days=days - 1)
        if kind == "long":
            return last + timedelta(days=days * 5)
        if kind == "edge":
            later = [day for day in self.edges() if day >= last]
            return later[days % len(later)] if later else last + timedelta(days=days % 3)
        if kind == "same":
            return last
        if kind == "before":
            return last - timedelta(days=days)
        return self.review.notification.notified_on - timedelta(days=days)

    def offer(self, document: dict[str, Any], as_document: bool) -> None:
        """Offer one event to the library and the model; they must agree."""
        event = load_event(document)
        before = self.review
        untouched = copy.deepcopy(before)
        expected = self.model.refusal(event)
        blocked = event.type.value in BLOCKED and bool(before.open_holds)
        after = outcome(before, document if as_document else event)
        if isinstance(after, TransitionRefused):
            refusal = after
            assert before == untouched, "a refused event changed the review"
            assert list(refusal.rules) == expected, (refusal.rules, expected)
            if before.state.terminal:
                assert refusal.rules == ("FLOW-TERMINAL",)
            for reason in refusal.reasons:
                assert reason.citations
                assert reason.text
                assert not reason.holds
            self.check_replay_refuses(document, refusal)
            return
        assert before == untouched, "apply changed its input"
        assert expected == [], f"accepted an event the rulebook refuses with {expected}"
        assert not blocked, "a hold-blocked step was accepted while a hold was open"
        assert after == apply(before, event if as_document else document)
        self.model.accept(event)
        self.accepted.append(event)
        self.review = after
        entry = after.history[-1]
        assert entry.event == event
        assert entry.from_ is before.state
        assert entry.to.value == self.model.state
        assert entry.ruleset == before.assessment.ruleset
        assert entry.rules[0] == "FLOW-DATES"
        assert entry.rules[1] == OWN_RULE[event.type.value][0]

    def check_replay_refuses(self, document: dict[str, Any], refusal: TransitionRefused) -> None:
        """Replaying the history with the refused event appended stops at it, keeping the
        state before it."""
        events = [*dump(self.review)["events"], document]
        replayed = load_review(
            {"notification": dump(self.review)["notification"], "events": events},
            interpretation=self.review.interpretation,
        )
        assert replayed.refused is not None
        assert replayed.refused.index == len(self.accepted)
        assert tuple(reason.rule for reason in replayed.refused.reasons) == refusal.rules
        assert replayed.history == self.review.history
        assert replayed.state is self.review.state

    @rule(event=any_event, how=dating, as_document=st.booleans())
    def any_event(self, event: dict[str, Any], how: tuple[str, int], as_document: bool) -> None:
        self.offer({**event, "on": self.dated(how).isoformat()}, as_document)

    @precondition(lambda self: self.review.state.value in OPEN)
    @rule(how=dating, pick=st.integers(0, 7), as_document=st.booleans())
    def advance(self, how: tuple[str, int], pick: int, as_document: bool) -> None:
        """The next step a reviewer would take, so that reviews get to sign-off."""
        model = self.model
        days = how[1]
        when = self.dated(how) if how[0] in ("after", "long", "edge") else self.last_date()
        on = when.isoformat()
        open_holds = model.open_processes()
        missing = [
            contact
            for contact, met in (
                ("family", bool({"family", "close_person"} & model.contacts)),
                ("gp_records", bool({"gp", "gp_records"} & model.contacts)),
                ("other_professional", "other_professional" in model.contacts),
            )
            if not met
        ]
        event: dict[str, Any]
        if open_holds and pick < 6:
            event = {"type": "hold_lifted", "process": open_holds[pick % len(open_holds)]}
        elif pick == 7:
            event = {"type": "hold_placed", "process": PROCESSES[days % len(PROCESSES)]}
        elif model.state == "awaiting_regional_decision":
            event = {"type": "regional_decision", "proceed": pick != 0}
        elif model.state == "awaiting_allocation":
            event = {"type": "allocated", "reviewer": "R-17"}
        elif model.state == "initial_review" and missing:
            event = {"type": "contact_recorded", "contact": missing[pick % len(missing)]}
        elif model.state == "initial_review":
            event = {
                "type": "initial_review_completed",
                "concerns": pick == 1,
                "further_learning": pick == 2,
            }
        elif model.state == "focused_review":
            event = {"type": "focused_review_completed"}
        elif pick in (3, 4, 5):
            event = {"type": "focused_review_requested"}
        else:
            event = {"type": "signed_off", "by": "governance_group", "actions": [ACTION]}
        self.offer({**event, "on": on}, as_document)

    @precondition(lambda self: self.review.state.value in OPEN)
    @rule(edge=st.integers(0, 11), process=st.sampled_from(PROCESSES), as_document=st.booleans())
    def hold_on_an_edge(self, edge: int, process: str, as_document: bool) -> None:
        """A hold placed (or lifted) on a day where the clock turns: the six-month date, the
        due date under 'stop', a day either side."""
        later = [day for day in self.edges() if day >= self.last_date()]
        if not later:
            return
        kind = "hold_lifted" if process in self.model.open_processes() else "hold_placed"
        on = later[edge % len(later)].isoformat()
        self.offer({"type": kind, "on": on, "process": process}, as_document)

    @rule(offset=st.integers(-400, 500), edge=st.integers(0, 11), at_edge=st.booleans())
    def status_as_of(self, offset: int, edge: int, at_edge: bool) -> None:
        """A result as of any date reflects only the events dated on or before it."""
        edges = self.edges() + [event.on for event in self.accepted]
        if at_edge and edges:
            as_of = edges[edge % len(edges)]
        else:
            as_of = self.last_date() + timedelta(days=offset)
        earlier = [event for event in self.accepted if event.on <= as_of]
        then = Model.replayed(self.review, earlier)
        result = review_result(self.review, as_of=as_of)
        interpretation = self.review.interpretation
        assert result.state.value == then.state
        assert len(result.history) == len(earlier)
        assert [entry.event for entry in result.history] == earlier
        assert [process.value for process in result.open_holds] == then.open_processes()
        assert {kind.value for kind in result.enabled_events} == then.enabled()
        assert result.interpretation == interpretation
        wanted = then.status(as_of, interpretation.clock.value, interpretation.due_soon_days)
        assert (result.status.code.value, result.status.excused) == wanted
        assert result.status == review_status(self.review, as_of=as_of)
        assert result.due_on == then.due(interpretation.clock.value)
        for clock in ("excuse", "stop"):
            # A mapping given later is a whole interpretation: unnamed choices are defaults.
            for given, days in (({"clock": clock}, 28), (Interpretation(clock=clock), 28)):
                status = review_status(self.review, as_of=as_of, interpretation=given)
                assert (status.code.value, status.excused) == then.status(as_of, clock, days)

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    @once_per_review
    def agrees_with_the_model(self) -> None:
        review, model = self.review, self.model
        assert review.state.value == model.state
        assert (None if review.review_level is None else review.review_level.value) == model.level
        assert [process.value for process in review.open_holds] == model.open_processes()
        assert {contact.value for contact in review.contacts} == model.contacts
        assert review.completed_on == model.completed_on
        assert review.refused is None

    @invariant()
    @once_per_review
    def history_is_the_accepted_events(self) -> None:
        history = self.review.history
        assert list(self.review.events) == self.accepted
        assert [entry.event for entry in history] == self.accepted
        for earlier, later in itertools.pairwise(history):
            assert earlier.to is later.from_
            assert earlier.event.on <= later.event.on
        assert all(event.on >= self.review.notification.notified_on for event in self.accepted)

    @invariant()
    @once_per_review
    def a_deeper_review_passes_through_focused_review(self) -> None:
        review = self.review
        if review.state is not ReviewState.COMPLETED:
            return
        if review.assessment.mandatory_triggers or review.family_requested:
            assert ReviewState.FOCUSED_REVIEW in [entry.to for entry in review.history]
        if "focused_review" in self.model.visited:
            assert review.review_level is not None
            assert review.review_level.value == self.model.deeper

    @invariant()
    @once_per_review
    def no_blocked_step_while_a_hold_is_open(self) -> None:
        open_holds: set[str] = set()
        for event in self.accepted:
            kind = event.type.value
            assert not (kind in BLOCKED and open_holds), f"{kind} accepted while on hold"
            if isinstance(event, HoldPlaced):
                open_holds.add(event.process.value)
            elif isinstance(event, HoldLifted):
                open_holds.discard(event.process.value)

    @invariant()
    @once_per_review
    def the_clock(self) -> None:
        review = self.review
        six = review.assessment.due_on
        excuse = clocked(review, Clock.EXCUSE)
        stop = clocked(review, Clock.STOP)
        assert excuse.due_on == six
        assert excuse.excused == self.model.excused("excuse")
        assert not stop.excused
        if six is None or review.open_holds:
            assert stop.due_on is None
        else:
            assert stop.due_on is not None
            assert stop.due_on >= six
        assert stop.due_on == self.model.due("stop")
        as_of = self.last_date()
        for clock, timing in (("excuse", excuse), ("stop", stop)):
            result = review_result(review, as_of=as_of, interpretation={"clock": clock})
            assert result.due_on == timing.due_on
            assert result.interpretation.clock.value == clock

    @invariant()
    @once_per_review
    def result_on_the_last_date_is_the_review(self) -> None:
        review = self.review
        for as_of in (self.last_date(), self.last_date() + timedelta(days=3650)):
            result = review_result(review, as_of=as_of)
            assert result.state is review.state
            assert result.review_level == review.review_level
            assert result.history == review.history
            assert result.open_holds == review.open_holds
            assert result.enabled_events == enabled_events(review)
            assert result.notification_id == review.notification.id
            assert result.refused is None
        # review_status never raises, whatever the date and the clock.
        for as_of in (
            review.notification.notified_on - timedelta(days=1),
            self.last_date(),
            date(2199, 12, 31),
        ):
            for given in (None, {"clock": "stop"}, {"clock": "excuse", "due_soon_days": 0}):
                review_status(review, as_of=as_of, interpretation=given)

    @invariant()
    @once_per_review
    def round_trips(self) -> None:
        review = self.review
        document = dump(review)
        assert document["schema"] == "leder.review/1"
        assert len(document["events"]) == len(self.accepted)
        again = load_review(document, interpretation=review.interpretation)
        assert again == review

    @invariant()
    @once_per_review
    def enabled_events_are_what_apply_accepts(self) -> None:
        review = self.review
        enabled = [kind.value for kind in enabled_events(review)]
        assert enabled == sorted(enabled)
        assert set(enabled) == self.model.enabled()
        on = self.last_date()
        for kind in enabled:
            document = witness(kind, review, on)
            assert not isinstance(outcome(review, document), TransitionRefused), document
        accepted_kinds = set()
        for kind, event in candidates(on):
            result = outcome(review, event)
            expected = self.model.refusal(event)
            if isinstance(result, TransitionRefused):
                assert list(result.rules) == expected, (event, result.rules, expected)
            else:
                assert expected == [], (event, expected)
                accepted_kinds.add(kind)
            if review.state.terminal:
                assert isinstance(result, TransitionRefused)
                assert result.rules == ("FLOW-TERMINAL",)
        assert accepted_kinds == set(enabled)

    @invariant()
    @once_per_review
    def never_shows_person_values(self) -> None:
        text = repr(self.review) + str(self.review)
        for value in person_values(self.review):
            assert value not in text


WorkflowMachine.TestCase.settings = settings(stateful_step_count=30)
TestWorkflow = WorkflowMachine.TestCase
