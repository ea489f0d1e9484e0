"""A synthetic programme: seeded, deterministic review documents shaped like LeDeR's.

:func:`sample_reviews` streams ``leder.review/1`` documents (JSON-compatible dicts, without the
optional ``schema`` key) for notifications from 1 July 2016 to ``until``, each with the events
that had happened by then. Nothing in it is real: NHS numbers come only from the synthetic
test range 999 000 0000 … 999 999 9999, identifiers are made up, dates of birth are drawn.
It exists so that the indicators, the command line and the benchmarks have a programme-sized
input to run on without any personal data (``leder report --sample --as-of DATE``).

What it imitates (published figures, with their sources, in the docs: the backlog how-to and
"Policy and history"):

- **Volumes.** About 1,370 notifications from July 2016 to November 2017 (1,311 published),
  about 3,100–3,300 a year in 2018 and 2019, about 4,100 in 2020 and 3,900 in 2021 (two
  COVID-19 waves), then growing from about 3,600 to about 4,100 a year; fewer at weekends.
  About 35,000 documents up to :data:`SAMPLE_UNTIL`.
- **The mix.** Children aged 4–17 (child death review route) about 6%; under 4, no qualifying
  condition or not living in England about 2.5%; autistic adults without a learning
  disability about 1.2% of deaths from 1 January 2022 (36 of 3,648 reviews in 2022, 53 of
  3,556 in 2023 for the programme); national data opt-outs about 2.5% of
  adults (only the 2021 rule set acts on them); adults without a GP about 0.6% (regional
  decisions); about 12% from minority ethnic backgrounds and 4% with ethnicity unrecorded;
  detention, other statutory processes, holds on about 14% of reviews (inquests last months
  to years), family-requested delays, duplicates and withdrawals.
- **The Bristol-era backlog.** A few reviews were allocated at once; the others queued in
  their responsible body, first come, first served, at a capacity far below demand until
  mid-2019 and, with the NECS backlog contract, well above it from late 2019 to May 2021,
  when nearly every review was allocated promptly. The reviews not completed (``incomplete``:
  unallocated or in progress) are about 3,800 on 30 November 2019, near the 3,802 published,
  with about 3,200 completed by the end of 2019 (3,195 published) and about 1,900
  unallocated (about 2,000 published). The overdue ``backlog`` (past the due date) is about
  2,400 then; no national figure is published for it.
- **The 2021 policy.** Allocation after a wait of a few weeks; initial reviews take about
  three months, focused reviews three more and sign-off a month, so about 40% of
  ``leder-2021`` reviews are completed within six months, and about 36% of everything due by
  31 July 2025 (the total share :func:`~leder_core.indicators` reports, with the Bristol era's
  31%). The published 35% at the end of July 2025 is read as that cumulative total share.
  About 97% of the reviews notified from 2017 and due by August 2025 are completed by then
  (91% of all notified by then): the published 94% cannot be met with all of them while only
  about a third finish within six months, since the last six months' notifications alone are
  6% of the total.

Responsible bodies are recorded as services recorded them: an area is drawn by the
population of the 42 ICBs and one of its sub-ICB locations, then the code is the CCG existing
on the notification date (before 1 June 2021), the CCG's code (until 30 June 2022), and then
the sub-ICB location or, for about a third, the ICB responsible on the date (the new ICBs
from 1 April 2026). So the sample exercises every CCG merger, the abolition of CCGs and the
2026 mergers and splits; the indicators count each review under its body on the date
(BODY-AS-OF). About 1% have none recorded. The documents are generated
under the default interpretation: every one loads with :func:`~leder_core.load_review`
without a refused event (under other interpretations a mandatory level may differ and an
event be refused).

Only :class:`random.Random` seeded with ``seed`` is used: no global random state, no clock.
The same arguments give the same documents, in the same order (by notification date).
"""

from __future__ import annotations

import functools
import math
import operator
import random
from bisect import bisect
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, Final, NamedTuple, TypeVar

from leder_core.bodies import bundled_directory
from leder_core.errors import InvalidInput
from leder_core.models.bodies import Directory, DirectoryEntry, OrganisationKind

__all__ = ["PROGRAMME_START", "SAMPLE_SEED", "SAMPLE_UNTIL", "sample_reviews"]

#: The seed of the bundled sample.
SAMPLE_SEED: Final = 20160701
#: The last day of the bundled sample: notifications and events up to and including it.
SAMPLE_UNTIL: Final = date(2026, 10, 31)
#: National counting of notifications began (RS-SELECT).
PROGRAMME_START: Final = date(2016, 7, 1)

T = TypeVar("T")

# Mirrors of the rulebook's dated parameters, so the generator knows the outcome and the
# mandatory level of what it generates (tests check them against ``assess``).
_POLICY_2021: Final = date(2021, 6, 1).toordinal()
_AUTISM_START: Final = date(2022, 1, 1).toordinal()
_AUTISM_FOCUSED_UNTIL: Final = date(2023, 12, 31).toordinal()
_DOLS_INQUEST_UNTIL: Final = date(2017, 4, 3).toordinal()
_OPT_OUT_FROM: Final = date(2018, 5, 25).toordinal()  # the national data opt-out began
_MINORITY_ETHNIC: Final = frozenset("DEFGHJKLMNPRS")
#: The last ``until``: an action agreed on it is due within a year, and no date in a document
#: may be after 2199-12-31 (docs/notification-format.md).
_LAST_UNTIL: Final = date(2198, 12, 31)

# --- volumes ------------------------------------------------------------------------------

#: Notifications a year (all notifications, in scope or not), at each date; linear between.
_RATE_ANCHORS: Final = (
    (date(2016, 7, 1), 450.0),
    (date(2017, 1, 1), 750.0),
    (date(2017, 7, 1), 1100.0),
    (date(2017, 11, 30), 1800.0),
    (date(2018, 3, 1), 3100.0),
    (date(2018, 12, 31), 3300.0),
    (date(2019, 12, 31), 3250.0),
    (date(2020, 12, 31), 3350.0),
    (date(2021, 12, 31), 3500.0),
    (date(2022, 12, 31), 3750.0),
    (date(2023, 12, 31), 3900.0),
    (date(2024, 12, 31), 4000.0),
    (date(2026, 12, 31), 4100.0),
)
#: COVID-19 waves: (peak, standard deviation in days, extra notifications in the wave).
_COVID_WAVES: Final = (
    (date(2020, 4, 20), 18.0, 750.0),
    (date(2021, 1, 22), 20.0, 550.0),
)
#: Notifications by day of the week (Monday first): fewer at weekends; the mean is 1.
_WEEKDAY: Final = (1.15, 1.15, 1.15, 1.15, 1.15, 0.625, 0.625)

#: Reviews allocated at once by local reviewers, as a share of new reviews; the others join
#: their body's queue of unallocated reviews. Linear between the dates.
_PROMPT_ANCHORS: Final = (
    (date(2016, 7, 1), 0.06),
    (date(2018, 1, 1), 0.08),
    (date(2019, 1, 1), 0.12),
    (date(2019, 9, 30), 0.4),
    (date(2020, 6, 30), 0.9),
    (date(2021, 5, 31), 0.9),
    (date(2021, 6, 1), 1.0),
    (date(2026, 12, 31), 1.0),
)
#: The queue's capacity as a share of all new reviews, at each date; linear between. While
#: it is below the share that joins the queue the queue grows (the Bristol era); with the
#: NECS backlog contract (from late 2019) it is cleared.
_CAPACITY_ANCHORS: Final = (
    (date(2016, 7, 1), 0.4),
    (date(2017, 6, 30), 0.45),
    (date(2018, 6, 30), 0.5),
    (date(2019, 5, 31), 0.5),
    (date(2019, 10, 1), 1.0),
    (date(2020, 3, 1), 1.5),
    (date(2021, 5, 31), 1.2),
    (date(2026, 12, 31), 1.2),
)
#: Median days a review allocated promptly waits beyond the first days: short in the Bristol
#: era for the few allocated at once; weeks under the 2021 policy (new platform, reviewers
#: trained anew, focused reviews).
_WAIT_ANCHORS: Final = (
    (date(2016, 7, 1), 5.0),
    (date(2021, 5, 31), 5.0),
    (date(2021, 6, 1), 14.0),
    (date(2026, 12, 31), 14.0),
)
#: Median days from allocation to the initial review's completion, by notification date:
#: slow in the Bristol era, quicker once the backlog was being cleared, then the 2021 policy.
_WORK_ANCHORS: Final = (
    (date(2016, 7, 1), 120.0),
    (date(2019, 6, 30), 120.0),
    (date(2019, 12, 31), 60.0),
    (date(2021, 5, 31), 60.0),
    (date(2021, 6, 1), 100.0),
    (date(2026, 12, 31), 100.0),
)
_IN_SCOPE_SHARE: Final = 0.9  # of notifications; capacity is sized on in-scope demand

# The 42 ICBs of 2022 (NHS England's list of ICBs) and their populations in millions (rounded).
_BODIES: Final = (
    ("QOX", 0.95), ("QHG", 1.0), ("QHL", 1.3), ("QUA", 1.3), ("QUY", 1.0), ("QU9", 1.8),
    ("QUE", 0.9), ("QYG", 2.7), ("QT6", 0.58), ("QWU", 1.0), ("QJ2", 1.1), ("QJK", 1.2),
    ("QVV", 0.8), ("QNQ", 0.8), ("QR1", 0.65), ("QOP", 2.9), ("QRL", 1.9), ("QGH", 0.8),
    ("QM7", 1.5), ("QXU", 1.1), ("QOQ", 1.7), ("QKS", 1.9), ("QE1", 1.8), ("QK1", 1.1),
    ("QJM", 0.8), ("QH8", 1.2), ("QMM", 1.1), ("QPM", 0.8), ("QMJ", 1.5), ("QHM", 3.1),
    ("QMF", 2.0), ("QRV", 2.1), ("QT1", 1.1), ("QOC", 0.5), ("QSL", 0.58), ("QKK", 1.9),
    ("QWE", 1.5), ("QF7", 1.4), ("QNC", 1.1), ("QJG", 1.0), ("QNX", 1.7), ("QWO", 2.4),
)  # fmt: skip
_NO_BODY_SHARE: Final = 0.01

# --- the mix ------------------------------------------------------------------------------

_ROLES: Final = (
    ("health_professional", 0.55), ("social_care_professional", 0.15), ("gp", 0.07),
    ("family", 0.09), ("carer", 0.08), ("friend", 0.01), ("other", 0.05),
)  # fmt: skip
_ETHNICITY: Final = (
    ("A", 0.806), ("B", 0.01), ("C", 0.024),
    ("D", 0.008), ("E", 0.004), ("F", 0.006), ("G", 0.006),
    ("H", 0.016), ("J", 0.016), ("K", 0.006), ("L", 0.01),
    ("M", 0.012), ("N", 0.014), ("P", 0.004), ("R", 0.003), ("S", 0.015),
    ("Z", 0.012), ("99", 0.016), (None, 0.012),
)  # fmt: skip
_PROCESSES: Final = (
    ("coroner_inquest", 0.07),
    ("safeguarding_enquiry", 0.04),
    ("patient_safety_investigation", 0.03),
    ("safeguarding_adults_review", 0.012),
    ("police_investigation", 0.006),
    ("domestic_homicide_review", 0.001),
)
#: How long each kind of hold lasts: (median days, spread of the log-normal).
#: Detention at death and the cumulative share drawn for each (the rest: none).
_DETENTION: Final = (
    ("mental_health_act", 0.008),
    ("deprivation_of_liberty", 0.020),
    ("prison", 0.021),
    ("police_custody", 0.0215),
)
_HOLD_DAYS: Final = {
    "coroner_inquest": (240.0, 0.6),
    "prisons_ombudsman": (200.0, 0.4),
    "iopc_investigation": (240.0, 0.5),
    "police_investigation": (200.0, 0.6),
    "safeguarding_adults_review": (180.0, 0.5),
    "domestic_homicide_review": (300.0, 0.4),
    "safeguarding_enquiry": (75.0, 0.5),
    "patient_safety_investigation": (90.0, 0.5),
    "family_requested_delay": (70.0, 0.5),
}
_NOT_INVOLVED: Final = ("declined", "no_family", "person_wished", "not_contactable")
_ACTIONS: Final = (
    "Improve uptake of annual health checks",
    "Review reasonable adjustments in acute care",
    "Share learning on recognising deterioration",
    "Audit use of DNACPR decisions",
    "Strengthen transition planning from children's services",
    "Review access to screening programmes",
)
_OWNERS: Final = ("ICB LeDeR lead", "Acute trust safeguarding lead", "Primary care lead")


def _cumulative(weighted: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], list[float]]:
    values = tuple(value for value, _ in weighted)
    total = 0.0
    cumulative = []
    for _, weight in weighted:
        total += weight
        cumulative.append(total)
    return values, [point / total for point in cumulative]


_ROLE_TABLE: Final = _cumulative(_ROLES)
_ETHNICITY_TABLE: Final = _cumulative(_ETHNICITY)
_BODY_TABLE: Final = _cumulative(_BODIES)
_BODY_SHARE: Final = {code: weight / sum(w for _, w in _BODIES) for code, weight in _BODIES}


def _interpolate(points: list[tuple[int, float]], day: int) -> float:
    """The value on ``day`` of a timeline given as (day number, value), linear between."""
    if day <= points[0][0]:
        return points[0][1]
    for (start, low), (end, high) in pairwise(points):
        if day <= end:
            return low + (high - low) * (day - start) / (end - start)
    return points[-1][1]


class _Timeline:
    """A dated parameter looked up by day: interpolated once per day, then read by index."""

    __slots__ = ("first", "values")

    def __init__(self, anchors: tuple[tuple[date, float], ...], first: int, last: int) -> None:
        self.first = first
        # Past the last anchor the value stays as it was, so the table can stop there.
        points = [(anchor.toordinal(), value) for anchor, value in anchors]
        last = max(last, points[-1][0]) + 1
        self.values = [_interpolate(points, day) for day in range(first, last + 1)]

    def __call__(self, day: int) -> float:
        index = day - self.first
        if index < 0:
            return self.values[0]
        if index >= len(self.values):
            return self.values[-1]
        return self.values[index]


def _daily_rate(yearly: float, day: int) -> float:
    """Expected notifications on a day (before scaling), at a yearly rate."""
    rate = yearly / 365.25 * _WEEKDAY[(day - 1) % 7]
    for peak, spread, extra in _COVID_WAVES:
        distance = (day - peak.toordinal()) / spread
        if abs(distance) < 6:
            rate += extra * math.exp(-0.5 * distance * distance) / (spread * math.sqrt(2 * math.pi))
    return rate


_NHS_WEIGHTS: Final = (7, 6, 5, 4, 3, 2)


def _nhs_number(rng: random.Random) -> str | None:
    """A valid NHS number from the synthetic test range, or ``None`` (about 8%)."""
    if rng.random() < 0.08:
        return None
    while True:
        digits = f"999{int(rng.random() * 1_000_000):06d}"
        # Modulus 11 with weights 10 down to 2; the leading 999 weighs 9 * (10 + 9 + 8).
        total = 243 + sum(map(operator.mul, map(int, digits[3:]), _NHS_WEIGHTS))
        check = (11 - total % 11) % 11
        if check == 10 or digits == "999999999":  # no valid check digit; all one digit
            continue
        number = digits + str(check)
        return number if rng.random() < 0.5 else f"{number[:3]} {number[3:6]} {number[6:]}"


def _between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` inclusive: one draw, unlike ``randint``."""
    return low + int(rng.random() * (high - low + 1))


def _one_of(rng: random.Random, values: tuple[T, ...]) -> T:
    return values[int(rng.random() * len(values))]


def _pick(rng: random.Random, table: tuple[tuple[Any, ...], list[float]]) -> Any:
    values, cumulative = table
    return values[min(bisect(cumulative, rng.random()), len(values) - 1)]


class _Facts(NamedTuple):
    """What the generator knows of a notification it made."""

    outcome: str
    deeper: bool
    """The mandatory level is the rule set's deeper one (a trigger applies)."""
    policy_2021: bool
    body: str | None
    expected_holds: tuple[str, ...]


#: An event on the timeline: (day, order among the events of one day, event document).
_Step = tuple[int, int, dict[str, Any]]


def _log_normal_days(rng: random.Random, median: float, spread: float) -> int:
    """Whole days, at least 1, log-normally spread around ``median``."""
    return max(1, round(median * math.exp(spread * rng.gauss(0.0, 1.0))))


class _Programme:
    """The state of the synthetic programme as it streams: allocation queues per body."""

    def __init__(self, seed: int, until: date, count: int | None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.until = until.toordinal()
        self.start = PROGRAMME_START.toordinal()
        first, last = self.start, self.until
        self.rate = _Timeline(_RATE_ANCHORS, first, last)
        self.prompt = _Timeline(_PROMPT_ANCHORS, first, last)
        self.capacity = _Timeline(_CAPACITY_ANCHORS, first, last)
        self.work = _Timeline(_WORK_ANCHORS, first, last)
        self.wait = _Timeline(_WAIT_ANCHORS, first, last)
        expected = [_daily_rate(self.rate(day), day) for day in range(first, last + 1)]
        natural = sum(expected)
        if count is not None and natural <= 0:  # pragma: no cover - until is after the start
            raise ValueError("no days to spread the notifications over")
        self.scale = 1.0 if count is None else count / natural
        self.expected = expected
        # How well each body keeps up with its reviews, around the national capacity.
        self.performance = {code: self.rng.uniform(0.9, 1.15) for code, _ in _BODIES}
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
        earliest = ready + _between(rng, 2, 21)
        if rng.random() < self.prompt(ready):
            return earliest + _log_normal_days(rng, self.wait(ready), 0.8) - 1
        free = self.next_free.get(body, float(self.start))
        begins = max(float(earliest), free)
        share = _BODY_SHARE.get(body, _NO_BODY_SHARE) if body else _NO_BODY_SHARE
        capacity = (
            self.rate(int(begins))
            / 365.25
            * _IN_SCOPE_SHARE
            * share
            * self.scale
            * self.capacity(int(begins))
            * (self.performance.get(body, 1.0) if body else 1.0)
        )
        self.next_free[body] = begins + 1.0 / capacity
        return int(begins) + _between(rng, 0, 6)

    def notification(self, day: int) -> tuple[dict[str, Any], _Facts]:
        """A notification document on ``day`` and what the generator knows of it."""
        rng = self.rng
        year = int(self.on(day)[:4])
        self.sequence[year] = number = self.sequence.get(year, 0) + 1
        died = day - min(_log_normal_days(rng, 6.0, 0.9) - 1, 200)
        person, age = self.person(died)
        processes = [name for name, share in _PROCESSES if rng.random() < share]
        if person["detention"] == "prison":
            processes.append("prisons_ombudsman")
        body = None if rng.random() < _NO_BODY_SHARE else _pick(rng, _BODY_TABLE)
        recorded = None if body is None else _recorded_codes().pick(rng, body, day)
        document = {
            "id": f"N-{year}-{number:06d}",
            "notified_on": self.on(day),
            "notifier_role": _pick(rng, _ROLE_TABLE),
            "person": person,
            "other_processes": processes,
            "responsible_body": recorded,
        }
        return document, _assessed(
            day=day, died=died, age=age, person=person, processes=processes, body=body
        )

    def person(self, died: int) -> tuple[dict[str, Any], int]:
        """The person who died on ``died``, and their age."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.005:
            age = _between(rng, 0, 3)
        elif draw < 0.065:
            age = _between(rng, 4, 17)
        elif draw < 0.105:
            age = _between(rng, 18, 24)
        else:
            age = max(25, min(99, round(rng.gauss(61.0, 14.0))))
        born = _born(died, age, rng)
        autism_era = died >= _AUTISM_START
        draw = rng.random()
        # Autistic adults without a learning disability: about 1.2% of deaths from 2022 (the
        # programme reviewed 36 of 3,648 deaths in 2022 and 53 of 3,556 in 2023), 0.8% before
        # (notified, though outside the programme's scope then).
        if autism_era and draw < 0.004:
            learning_disability, autism = False, "diagnosed"
        elif draw < (0.016 if autism_era else 0.012):
            learning_disability = False
            autism = _one_of(rng, ("suspected", "awaiting_assessment", "none"))
        elif draw < (0.024 if autism_era else 0.020):
            learning_disability, autism = False, "diagnosed"
        else:
            learning_disability = True
            draw = rng.random()
            autism = "diagnosed" if draw < 0.2 else "suspected" if draw < 0.23 else "none"
        ethnicity = _pick(rng, _ETHNICITY_TABLE)
        lived = rng.random() >= 0.006
        gp = rng.random() >= 0.006
        opt_out = died >= _OPT_OUT_FROM and rng.random() < 0.025
        draw = rng.random()
        detention = "none"
        for kind, below in _DETENTION:
            if draw < below:
                detention = kind
                break
        person = {
            "nhs_number": _nhs_number(rng),
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
        return person, age

    def events(self, day: int, facts: _Facts) -> list[dict[str, Any]]:
        """The events of an in-scope review notified on ``day``, up to ``until``."""
        rng = self.rng
        timeline: list[_Step] = []
        ready = day
        if facts.outcome == "regional_decision":
            ready = day + _between(rng, 7, 60)
            proceed = rng.random() < 0.8
            timeline.append(
                (ready, 0, {"type": "regional_decision", "on": self.on(ready), "proceed": proceed})
            )
            if not proceed:
                return self._upto(timeline)
        draw = rng.random()
        if draw < 0.015:
            closed = ready + _between(rng, 1, 30)
            timeline.append(
                (closed, 9, {"type": "closed", "on": self.on(closed), "reason": "duplicate"})
            )
            return self._upto(timeline)
        withdrawn = draw < 0.025
        body = facts.body
        allocated = self.allocation_day(body, ready)
        reviewer = f"R-{body or 'X'}-{_between(rng, 1, 40):03d}"
        timeline.append(
            (
                allocated,
                1,
                {
                    "type": "allocated",
                    "on": self.on(allocated),
                    "reviewer": reviewer,
                    "independent": True,
                },
            )
        )
        # Work on the review once allocated: contacts, then the initial review.
        initial = allocated + _log_normal_days(rng, self.work(day), 0.55)
        if rng.random() < 0.01:  # stalled: lost staff, lost paperwork
            initial += _between(rng, 150, 700)
        timeline += self.contacts(allocated, initial)
        if withdrawn:
            closed = _between(rng, allocated, initial)
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
            requested = _between(rng, day, initial - 1)
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
            initial = lifted_last + _between(rng, 7, 45)
        timeline += self.completion(initial, deeper, facts.policy_2021)
        return self._upto(timeline)

    def contacts(self, allocated: int, initial: int) -> list[_Step]:
        """FLOW-MIN-CONTACTS: family (or why not), GP, another professional, while allocated."""
        rng = self.rng
        days = sorted(_between(rng, allocated, initial - 1) for _ in range(3))
        if rng.random() < 0.2:
            family: dict[str, Any] = {
                "type": "family_not_involved",
                "on": self.on(days[0]),
                "reason": _one_of(rng, _NOT_INVOLVED),
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
    ) -> tuple[list[_Step], int]:
        """Most expected processes hold the review, and some families ask for a delay; the
        holds placed and lifted, and the last day one is lifted (0 for none)."""
        rng = self.rng
        steps: list[_Step] = []
        lifted_last = 0
        processes = [name for name in expected if rng.random() < 0.75]
        if rng.random() < 0.04:
            processes.append("family_requested_delay")
        for process in processes:
            placed = _between(rng, day, max(day, min(initial - 1, allocated + 30)))
            median, spread = _HOLD_DAYS[process]
            lifted = placed + _log_normal_days(rng, median, spread)
            lifted_last = max(lifted_last, lifted)
            steps.append(
                (placed, 2, {"type": "hold_placed", "on": self.on(placed), "process": process})
            )
            steps.append(
                (lifted, 5, {"type": "hold_lifted", "on": self.on(lifted), "process": process})
            )
        return steps, lifted_last

    def completion(self, initial: int, deeper: bool, policy_2021: bool) -> list[_Step]:
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
        steps: list[_Step] = [(initial, 6, completed)]
        if not (deeper or concerns or learning):
            signed = initial + _log_normal_days(rng, 25.0 if policy_2021 else 35.0, 0.6)
            by = "senior_reviewer" if rng.random() < 0.85 else "governance_group"
            initial_sign_off = {
                "type": "signed_off",
                "on": self.on(signed),
                "by": by,
                "actions": [],
            }
            return [*steps, (signed, 8, initial_sign_off)]
        focused = initial + _log_normal_days(rng, 90.0 if policy_2021 else 80.0, 0.5)
        steps.append((focused, 7, {"type": "focused_review_completed", "on": self.on(focused)}))
        signed = focused + _log_normal_days(rng, 35.0, 0.5)
        # FLOW-SIGN-OFF: the governance group, with actions (owner, due date) or a reason.
        if rng.random() < 0.65:
            actions = [
                {
                    "description": _one_of(rng, _ACTIONS),
                    "owner": _one_of(rng, _OWNERS),
                    "due_on": self.on(signed + _between(rng, 60, 365)),
                }
                for _ in range(_between(rng, 1, 3))
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

    def _upto(self, timeline: list[_Step]) -> list[dict[str, Any]]:
        # Date order, then the order the workflow needs on one day; only events by ``until``.
        timeline.sort(key=lambda item: (item[0], item[1]))
        until = self.until
        return [event for on, _, event in timeline if on <= until]


def _assessed(
    *,
    day: int,
    died: int,
    age: int,
    person: dict[str, Any],
    processes: list[str],
    body: str | None,
) -> _Facts:
    """The outcome, mandatory level and expected holds under the default interpretation
    (docs/assessment.md), as ``assess`` finds them."""
    policy_2021 = day >= _POLICY_2021
    learning_disability = person["learning_disability"]
    autistic = person["autism"] == "diagnosed"
    qualifies = learning_disability or (policy_2021 and autistic and died >= _AUTISM_START)
    if not qualifies or age < 4 or not person["lived_in_england"]:
        outcome = "out_of_scope"
    elif age < 18:
        outcome = "child_death_review"
    elif policy_2021 and person["national_data_opt_out"]:
        outcome = "no_review_opt_out"
    elif policy_2021 and not person["gp_registered"]:
        outcome = "regional_decision"
    else:
        outcome = "leder_review"
    if policy_2021:
        # PATH-AUTISM reads the date of death (INT-AUTISM-START-KEY's default).
        triggered = autistic and not learning_disability and died <= _AUTISM_FOCUSED_UNTIL
    else:
        triggered = 18 <= age <= 24
    deeper = person["ethnicity"] in _MINORITY_ETHNIC or triggered
    holds = set(processes)
    detention = person["detention"]
    if detention in ("mental_health_act", "prison", "police_custody") or (
        detention == "deprivation_of_liberty" and died < _DOLS_INQUEST_UNTIL
    ):
        holds.add("coroner_inquest")
    if detention == "police_custody":
        holds.add("iopc_investigation")
    return _Facts(outcome, deeper, policy_2021, body, tuple(sorted(holds)))


class _RecordedCodes:
    """The codes a notification records for a review of an ICB's area (by its 2022 code), as
    services recorded them: the CCG existing on the notification date before 2021-06-01, the
    CCG (the sub-ICB location's code) until 2022-06-30, then the sub-ICB location or, for about
    a third, the ICB responsible on the date."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        locations: dict[str, list[DirectoryEntry]] = {}
        for record in directory.records:
            if record.kind is OrganisationKind.SICBL and record.on(_ICB_DAY):
                parent = record.parent_on(_ICB_DAY)
                if parent is not None:
                    locations.setdefault(parent, []).append(record)
        self.locations = {
            icb: tuple(sorted(found, key=lambda r: r.code)) for icb, found in locations.items()
        }
        chained: dict[str, list[DirectoryEntry]] = {}
        for record in directory.records:
            if record.kind is OrganisationKind.CCG:
                code = record.code
                while True:
                    after = directory.successors(code)
                    if len(after) != 1 or len(after[0][1]) != 1 or after[0][0] >= _ICB_DAY:
                        break
                    code = after[0][1][0]
                chained.setdefault(code, []).append(record)
        self.ccgs = {
            code: tuple(sorted(found, key=lambda r: r.code)) for code, found in chained.items()
        }

    def pick(self, rng: random.Random, icb: str, day: int) -> str:
        """A recorded code for a review of ``icb``'s area notified on ``day``."""
        location = _one_of(rng, self.locations[icb])
        which, icb_code = rng.random(), rng.random() < _RECORDED_ICB_SHARE
        on = date.fromordinal(day)
        if on < _ICS_DAY:
            ccgs = [r for r in self.ccgs.get(location.code, ()) if r.on(on)]
            return ccgs[int(which * len(ccgs))].code if ccgs else location.code
        if on < _ICB_DAY or (not icb_code and location.on(on)):
            return location.code
        if not location.on(on):  # split by area (Frimley): one of the locations that took it
            after = [targets for _, targets in self.directory.successors(location.code)]
            if not after:
                return location.code
            code = after[0][int(which * len(after[0]))]
            found = self.directory.entry(code, _LOCATION, on)
            if found is None:
                return code
            location = found
            if not icb_code:
                return location.code
        return location.parent_on(on) or location.code


_ICS_DAY: Final = date(2021, 6, 1)
_ICB_DAY: Final = date(2022, 7, 1)
_RECORDED_ICB_SHARE: Final = 0.3
_LOCATION: Final = frozenset({OrganisationKind.SICBL})


@functools.cache
def _recorded_codes() -> _RecordedCodes:
    return _RecordedCodes(bundled_directory())


def _born(died: int, age: int, rng: random.Random) -> int:
    """A date of birth at which a person dying on ``died`` is ``age`` (never 29 February)."""
    death = date.fromordinal(died)
    year = death.year - age
    anniversary = date(year, death.month, 28 if death.month == 2 and death.day == 29 else death.day)
    born = anniversary - timedelta(days=_between(rng, 0, 364))
    if born.month == 2 and born.day == 29:
        born = born - timedelta(days=1)  # 28 February: the same age under either leap rule
    return born.toordinal()


def sample_reviews(
    *, seed: int = SAMPLE_SEED, until: date = SAMPLE_UNTIL, count: int | None = None
) -> Iterator[dict[str, Any]]:
    """Review documents of a synthetic programme, notified 1 July 2016 … ``until``, streaming.

    Each document is a ``leder.review/1`` document (notification and events, as JSON-ready
    dicts) with the events dated on or before ``until``, in notification-date order. ``count``
    sets the number of documents: the daily notification rate is scaled so that exactly
    ``count`` notifications spread over the same period in the same shape (queues scale with
    it, so the shares stay about the same); ``None`` gives the programme's own volume (about
    35,000 up to :data:`SAMPLE_UNTIL`). An ``until`` outside 2016-07-01 … 2198-12-31 or a
    negative ``count`` raises :class:`~leder_core.InvalidInput` at once.

    >>> from itertools import islice
    >>> [document["notification"]["id"] for document in islice(sample_reviews(), 2)]
    ['N-2016-000001', 'N-2016-000002']
    """
    problems = []
    if not PROGRAMME_START <= until <= _LAST_UNTIL:
        problems.append(("$.until", "must be from 2016-07-01 to 2198-12-31"))
    if count is not None and count < 0:
        problems.append(("$.count", "must not be negative"))
    if problems:
        raise InvalidInput(problems)
    return _documents(_Programme(seed, until, count))


def _documents(programme: _Programme) -> Iterator[dict[str, Any]]:
    for day, how_many in programme.day_counts():
        for _ in range(how_many):
            notification, facts = programme.notification(day)
            in_scope = facts.outcome in ("leder_review", "regional_decision")
            events = programme.events(day, facts) if in_scope else []
            yield {"notification": notification, "events": events}
