"""The synthetic programme as it streams: each day's notifications, who died, and the events
of each review, drawn from one seeded :class:`random.Random` in a fixed order. What a
notification's review must go through (outcome, level, holds) is what :func:`assess` says."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple

from leder_core.api import assess
from leder_core.models.assessment import ReviewLevel, RuleSetId
from leder_core.sample.draws import (
    between,
    born_on,
    log_normal_days,
    nhs_number,
    one_of,
    pick,
)
from leder_core.sample.figures import (
    ACTIONS,
    AUTISM_FIGURES_FROM,
    BODIES,
    BODY_SHARE,
    BODY_TABLE,
    CAPACITY_ANCHORS,
    DETENTION,
    ETHNICITY_TABLE,
    HOLD_DAYS,
    IN_SCOPE_SHARE,
    NO_BODY_SHARE,
    NOT_INVOLVED,
    OPT_OUT_FROM,
    OWNERS,
    PROCESSES,
    PROGRAMME_START,
    PROMPT_ANCHORS,
    RATE_ANCHORS,
    ROLE_TABLE,
    WAIT_ANCHORS,
    WORK_ANCHORS,
    Timeline,
    daily_rate,
)
from leder_core.sample.recorded_codes import recorded_codes

__all__ = ["Facts", "Programme", "TimelineStep"]


class Facts(NamedTuple):
    """What the generator knows of a notification it made."""

    outcome: str
    in_scope: bool
    """The outcome is a review (a LeDeR review or a regional decision first)."""
    deeper: bool
    """The mandatory level is the rule set's deeper one (a trigger applies)."""
    policy_2021: bool
    body: str | None
    expected_holds: tuple[str, ...]


#: An event on the timeline: (day, order among the events of one day, event document).
TimelineStep = tuple[int, int, dict[str, Any]]


class Programme:
    """The state of the synthetic programme as it streams: allocation queues per body."""

    def __init__(self, seed: int, until: date, count: int | None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.until = until.toordinal()
        self.start = PROGRAMME_START.toordinal()
        first, last = self.start, self.until
        self.rate = Timeline(RATE_ANCHORS, first, last)
        self.prompt = Timeline(PROMPT_ANCHORS, first, last)
        self.capacity = Timeline(CAPACITY_ANCHORS, first, last)
        self.work = Timeline(WORK_ANCHORS, first, last)
        self.wait = Timeline(WAIT_ANCHORS, first, last)
        expected = [daily_rate(self.rate(day), day) for day in range(first, last + 1)]
        natural = sum(expected)
        if count is not None and natural <= 0:  # pragma: no cover - until is after the start
            raise ValueError("no days to spread the notifications over")
        self.scale = 1.0 if count is None else count / natural
        self.expected = expected
        # How well each body keeps up with its reviews, around the national capacity.
        self.performance = {code: self.rng.uniform(0.9, 1.15) for code, _ in BODIES}
        self.next_free: dict[str | None, float] = {}
        self.sequence: dict[int, int] = {}
        self.iso: dict[int, str] = {}

    def day_counts(self) -> Iterator[tuple[int, int]]:
        """(day, notifications that day): the scaled expected counts, rounded cumulatively."""
        cumulative = 0.0
        issued = 0
        for offset, rate in enumerate(self.expected):
            cumulative += rate * self.scale
            target = round(cumulative)
            if target > issued:
                yield self.start + offset, target - issued
                issued = target

    def on(self, day: int) -> str:
        """The ISO date of a day number, made once per day."""
        try:
            return self.iso[day]
        except KeyError:
            found = self.iso[day] = date.fromordinal(day).isoformat()
            return found

    def allocation_day(self, body: str | None, ready: int) -> int:
        """When a review ready for allocation on ``ready`` is allocated: promptly, after a
        wait of its own, or from its body's queue, first come, first served at the body's
        capacity.

        Only the Bristol-era queue, which grew for years and was then cleared, depends on
        capacity; waits in a queue near balance would depend on how many reviews a body
        gets a day, and so on ``count``, which the prompt lane's own waits do not."""
        rng = self.rng
        earliest = ready + between(rng, 2, 21)
        if rng.random() < self.prompt(ready):
            return earliest + log_normal_days(rng, self.wait(ready), 0.8) - 1
        free = self.next_free.get(body, float(self.start))
        begins = max(float(earliest), free)
        share = BODY_SHARE.get(body, NO_BODY_SHARE) if body else NO_BODY_SHARE
        capacity = (
            self.rate(int(begins))
            / 365.25
            * IN_SCOPE_SHARE
            * share
            * self.scale
            * self.capacity(int(begins))
            * (self.performance.get(body, 1.0) if body else 1.0)
        )
        self.next_free[body] = begins + 1.0 / capacity
        return int(begins) + between(rng, 0, 6)

    def allocation(self, body: str | None, ready: int) -> tuple[int, TimelineStep]:
        """The day a review ready on ``ready`` is allocated, and its ``allocated`` event."""
        allocated = self.allocation_day(body, ready)
        reviewer = f"R-{body or 'X'}-{between(self.rng, 1, 40):03d}"
        event = {
            "type": "allocated",
            "on": self.on(allocated),
            "reviewer": reviewer,
            "independent": True,
        }
        return allocated, (allocated, 1, event)

    def notification(self, day: int) -> tuple[dict[str, Any], Facts]:
        """A notification document on ``day`` and what the generator knows of it."""
        rng = self.rng
        year = int(self.on(day)[:4])
        self.sequence[year] = number = self.sequence.get(year, 0) + 1
        died = day - min(log_normal_days(rng, 6.0, 0.9) - 1, 200)
        person = self.person(died)
        processes = [name for name, share in PROCESSES if rng.random() < share]
        if person["detention"] == "prison":
            processes.append("prisons_ombudsman")
        body = None if rng.random() < NO_BODY_SHARE else pick(rng, BODY_TABLE)
        recorded = None if body is None else recorded_codes().pick(rng, body, day)
        document = {
            "id": f"N-{year}-{number:06d}",
            "notified_on": self.on(day),
            "notifier_role": pick(rng, ROLE_TABLE),
            "person": person,
            "other_processes": processes,
            "responsible_body": recorded,
        }
        return document, _facts(document, body)

    def person(self, died: int) -> dict[str, Any]:
        """The person who died on ``died``."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.005:
            age = between(rng, 0, 3)
        elif draw < 0.065:
            age = between(rng, 4, 17)
        elif draw < 0.105:
            age = between(rng, 18, 24)
        else:
            age = max(25, min(99, round(rng.gauss(61.0, 14.0))))
        born = born_on(died, age, rng)
        autism_era = died >= AUTISM_FIGURES_FROM
        draw = rng.random()
        # Autistic adults without a learning disability: about 1.2% of deaths from 2022 (the
        # programme reviewed 36 of 3,648 deaths in 2022 and 53 of 3,556 in 2023), 0.8% before
        # (notified, though outside the programme's scope then).
        if autism_era and draw < 0.004:
            learning_disability, autism = False, "diagnosed"
        elif draw < (0.016 if autism_era else 0.012):
            learning_disability = False
            autism = one_of(rng, ("suspected", "awaiting_assessment", "none"))
        elif draw < (0.024 if autism_era else 0.020):
            learning_disability, autism = False, "diagnosed"
        else:
            learning_disability = True
            draw = rng.random()
            autism = "diagnosed" if draw < 0.2 else "suspected" if draw < 0.23 else "none"
        ethnicity = pick(rng, ETHNICITY_TABLE)
        lived = rng.random() >= 0.006
        gp = rng.random() >= 0.006
        opt_out = died >= OPT_OUT_FROM and rng.random() < 0.025
        draw = rng.random()
        detention = "none"
        for kind, below in DETENTION:
            if draw < below:
                detention = kind
                break
        person = {
            "nhs_number": nhs_number(rng),
            "date_of_birth": date.fromordinal(born).isoformat(),
            "date_of_death": self.on(died),
            "learning_disability": learning_disability,
            "autism": autism,
            "ethnicity": ethnicity,
            "lived_in_england": lived,
            "died_in_england": lived or rng.random() < 0.5,
            "gp_registered": gp,
            "national_data_opt_out": opt_out,
            "detention": detention,
        }
        return person

    def events(self, day: int, facts: Facts) -> list[dict[str, Any]]:
        """The events of an in-scope review notified on ``day``, up to ``until``."""
        rng = self.rng
        timeline: list[TimelineStep] = []
        ready = day
        if facts.outcome == "regional_decision":
            ready = day + between(rng, 7, 60)
            proceed = rng.random() < 0.8
            timeline.append(
                (ready, 0, {"type": "regional_decision", "on": self.on(ready), "proceed": proceed})
            )
            if not proceed:
                return self._upto(timeline)
        draw = rng.random()
        if draw < 0.015:
            closed = ready + between(rng, 1, 30)
            timeline.append(
                (closed, 9, {"type": "closed", "on": self.on(closed), "reason": "duplicate"})
            )
            return self._upto(timeline)
        withdrawn = draw < 0.025
        allocated, allocation = self.allocation(facts.body, ready)
        timeline.append(allocation)
        # Work on the review once allocated: contacts, then the initial review.
        initial = allocated + log_normal_days(rng, self.work(day), 0.55)
        if rng.random() < 0.01:  # stalled: lost staff, lost paperwork
            initial += between(rng, 150, 700)
        timeline += self.contacts(allocated, initial)
        if withdrawn:
            closed = between(rng, allocated, initial)
            timeline = [step for step in timeline if step[0] <= closed]
            timeline.append(
                (
                    closed,
                    9,
                    {"type": "closed", "on": self.on(closed), "reason": "withdrawn_ineligible"},
                )
            )
            return self._upto(timeline)
        deeper = facts.deeper
        if rng.random() < 0.03:
            requested = between(rng, day, initial - 1)
            timeline.append(
                (
                    requested,
                    3,
                    {"type": "focused_review_requested", "on": self.on(requested), "by": "family"},
                )
            )
            deeper = True
        holds, lifted_last = self.holds(day, allocated, initial, facts.expected_holds)
        timeline += holds
        if lifted_last >= initial:  # FLOW-HOLD-BLOCKS: completion waits for every hold
            initial = lifted_last + between(rng, 7, 45)
        timeline += self.completion(initial, deeper, facts.policy_2021)
        return self._upto(timeline)

    def contacts(self, allocated: int, initial: int) -> list[TimelineStep]:
        """FLOW-MIN-CONTACTS: family (or why not), GP, another professional, while allocated."""
        rng = self.rng
        days = sorted(between(rng, allocated, initial - 1) for _ in range(3))
        if rng.random() < 0.2:
            family: dict[str, Any] = {
                "type": "family_not_involved",
                "on": self.on(days[0]),
                "reason": one_of(rng, NOT_INVOLVED),
            }
        else:
            contact = "family" if rng.random() < 0.92 else "close_person"
            family = {"type": "contact_recorded", "on": self.on(days[0]), "contact": contact}
        gp = "gp_records" if rng.random() < 0.6 else "gp"
        return [
            (days[0], 4, family),
            (days[1], 4, {"type": "contact_recorded", "on": self.on(days[1]), "contact": gp}),
            (
                days[2],
                4,
                {
                    "type": "contact_recorded",
                    "on": self.on(days[2]),
                    "contact": "other_professional",
                },
            ),
        ]

    def holds(
        self, day: int, allocated: int, initial: int, expected: tuple[str, ...]
    ) -> tuple[list[TimelineStep], int]:
        """Most expected processes hold the review, and some families ask for a delay; the
        holds placed and lifted, and the last day one is lifted (0 for none)."""
        rng = self.rng
        steps: list[TimelineStep] = []
        lifted_last = 0
        processes = [name for name in expected if rng.random() < 0.75]
        if rng.random() < 0.04:
            processes.append("family_requested_delay")
        for process in processes:
            placed = between(rng, day, max(day, min(initial - 1, allocated + 30)))
            median, spread = HOLD_DAYS[process]
            lifted = placed + log_normal_days(rng, median, spread)
            lifted_last = max(lifted_last, lifted)
            steps.append(
                (placed, 2, {"type": "hold_placed", "on": self.on(placed), "process": process})
            )
            steps.append(
                (lifted, 5, {"type": "hold_lifted", "on": self.on(lifted), "process": process})
            )
        return steps, lifted_last

    def completion(self, initial: int, deeper: bool, policy_2021: bool) -> list[TimelineStep]:
        """The initial review completed, a focused review if the level is deeper, sign-off."""
        rng = self.rng
        concerns = rng.random() < (0.06 if policy_2021 else 0.04)
        learning = rng.random() < (0.14 if policy_2021 else 0.04)
        completed = {
            "type": "initial_review_completed",
            "on": self.on(initial),
            "concerns": concerns,
            "further_learning": learning,
        }
        steps: list[TimelineStep] = [(initial, 6, completed)]
        if not (deeper or concerns or learning):
            signed = initial + log_normal_days(rng, 25.0 if policy_2021 else 35.0, 0.6)
            by = "senior_reviewer" if rng.random() < 0.85 else "governance_group"
            initial_sign_off = {
                "type": "signed_off",
                "on": self.on(signed),
                "by": by,
                "actions": [],
            }
            return [*steps, (signed, 8, initial_sign_off)]
        focused = initial + log_normal_days(rng, 90.0 if policy_2021 else 80.0, 0.5)
        steps.append((focused, 7, {"type": "focused_review_completed", "on": self.on(focused)}))
        signed = focused + log_normal_days(rng, 35.0, 0.5)
        # FLOW-SIGN-OFF: the governance group, with actions (owner, due date) or a reason.
        if rng.random() < 0.65:
            actions = [
                {
                    "description": one_of(rng, ACTIONS),
                    "owner": one_of(rng, OWNERS),
                    "due_on": self.on(signed + between(rng, 60, 365)),
                }
                for _ in range(between(rng, 1, 3))
            ]
            reason: str | None = None
        else:
            actions, reason = [], "learning shared; no local action needed"
        sign_off = {
            "type": "signed_off",
            "on": self.on(signed),
            "by": "governance_group",
            "actions": actions,
            "no_actions_reason": reason,
        }
        return [*steps, (signed, 8, sign_off)]

    def _upto(self, timeline: list[TimelineStep]) -> list[dict[str, Any]]:
        # Date order, then the order the workflow needs on one day; only events by ``until``.
        timeline.sort(key=lambda item: (item[0], item[1]))
        until = self.until
        return [event for on, _, event in timeline if on <= until]


def _facts(notification: dict[str, Any], body: str | None) -> Facts:
    """What the library's own :func:`~leder_core.assess` makes of a notification under the
    default interpretation (the one the documents are made for): the outcome, whether the
    mandatory level is the deeper one, the rule set and the expected holds."""
    assessment = assess(notification)
    level = assessment.review_level
    return Facts(
        outcome=assessment.outcome.value,
        in_scope=assessment.outcome.in_scope,
        deeper=level is not None and level is not ReviewLevel.INITIAL,
        policy_2021=assessment.ruleset is RuleSetId.LEDER_2021,
        body=body,
        expected_holds=tuple(hold.value for hold in assessment.expected_holds),
    )
