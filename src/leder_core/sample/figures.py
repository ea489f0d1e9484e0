"""The shape of the synthetic programme: the published figures it imitates, as dated
timelines (volumes, allocation, work) and weighted mixes (who notifies, who died, what held
the review), with their sources in the docs (the backlog how-to and "Policy and history")."""

from __future__ import annotations

import math
from datetime import date
from itertools import pairwise
from typing import Any, Final

from leder_core.rules.parameters import RULESET_BY_NOTIFICATION_DATE

__all__ = [
    "ACTIONS",
    "AUTISM_FIGURES_FROM",
    "BODIES",
    "BODY_SHARE",
    "BODY_TABLE",
    "CAPACITY_ANCHORS",
    "DETENTION",
    "ETHNICITY_TABLE",
    "HOLD_DAYS",
    "IN_SCOPE_SHARE",
    "LAST_UNTIL",
    "NOT_INVOLVED",
    "NO_BODY_SHARE",
    "OPT_OUT_FROM",
    "OWNERS",
    "PROCESSES",
    "PROGRAMME_START",
    "PROMPT_ANCHORS",
    "RATE_ANCHORS",
    "ROLE_TABLE",
    "WAIT_ANCHORS",
    "WORK_ANCHORS",
    "Timeline",
    "cumulative",
    "daily_rate",
]

#: National counting of notifications began: the first day of a rule set (RS-SELECT).
PROGRAMME_START: Final = RULESET_BY_NOTIFICATION_DATE.timeline[0].effective_from
#: The last ``until``: an action agreed on it is due within a year, and no date in a document
#: may be after 2199-12-31 (docs/notification-format.md).
LAST_UNTIL: Final = date(2198, 12, 31)
#: Deaths from this day include autistic adults without a learning disability at the rate
#: the programme published for 2022 and 2023.
AUTISM_FIGURES_FROM: Final = date(2022, 1, 1).toordinal()
#: The national data opt-out began: no opt-out is drawn for an earlier death.
OPT_OUT_FROM: Final = date(2018, 5, 25).toordinal()

# --- volumes ------------------------------------------------------------------------------

#: Notifications a year (all notifications, in scope or not), at each date; linear between.
RATE_ANCHORS: Final = (
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
COVID_WAVES: Final = (
    (date(2020, 4, 20), 18.0, 750.0),
    (date(2021, 1, 22), 20.0, 550.0),
)
#: Notifications by day of the week (Monday first): fewer at weekends; the mean is 1.
WEEKDAY: Final = (1.15, 1.15, 1.15, 1.15, 1.15, 0.625, 0.625)

#: Reviews allocated at once by local reviewers, as a share of new reviews; the others join
#: their body's queue of unallocated reviews. Linear between the dates.
PROMPT_ANCHORS: Final = (
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
CAPACITY_ANCHORS: Final = (
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
WAIT_ANCHORS: Final = (
    (date(2016, 7, 1), 5.0),
    (date(2021, 5, 31), 5.0),
    (date(2021, 6, 1), 14.0),
    (date(2026, 12, 31), 14.0),
)
#: Median days from allocation to the initial review's completion, by notification date:
#: slow in the Bristol era, quicker once the backlog was being cleared, then the 2021 policy.
WORK_ANCHORS: Final = (
    (date(2016, 7, 1), 120.0),
    (date(2019, 6, 30), 120.0),
    (date(2019, 12, 31), 60.0),
    (date(2021, 5, 31), 60.0),
    (date(2021, 6, 1), 100.0),
    (date(2026, 12, 31), 100.0),
)
IN_SCOPE_SHARE: Final = 0.9  # of notifications; capacity is sized on in-scope demand

# The 42 ICBs of 2022 (NHS England's list of ICBs) and their populations in millions (rounded).
BODIES: Final = (
    ("QOX", 0.95), ("QHG", 1.0), ("QHL", 1.3), ("QUA", 1.3), ("QUY", 1.0), ("QU9", 1.8),
    ("QUE", 0.9), ("QYG", 2.7), ("QT6", 0.58), ("QWU", 1.0), ("QJ2", 1.1), ("QJK", 1.2),
    ("QVV", 0.8), ("QNQ", 0.8), ("QR1", 0.65), ("QOP", 2.9), ("QRL", 1.9), ("QGH", 0.8),
    ("QM7", 1.5), ("QXU", 1.1), ("QOQ", 1.7), ("QKS", 1.9), ("QE1", 1.8), ("QK1", 1.1),
    ("QJM", 0.8), ("QH8", 1.2), ("QMM", 1.1), ("QPM", 0.8), ("QMJ", 1.5), ("QHM", 3.1),
    ("QMF", 2.0), ("QRV", 2.1), ("QT1", 1.1), ("QOC", 0.5), ("QSL", 0.58), ("QKK", 1.9),
    ("QWE", 1.5), ("QF7", 1.4), ("QNC", 1.1), ("QJG", 1.0), ("QNX", 1.7), ("QWO", 2.4),
)  # fmt: skip
NO_BODY_SHARE: Final = 0.01

# --- the mix ------------------------------------------------------------------------------

ROLES: Final = (
    ("health_professional", 0.55), ("social_care_professional", 0.15), ("gp", 0.07),
    ("family", 0.09), ("carer", 0.08), ("friend", 0.01), ("other", 0.05),
)  # fmt: skip
ETHNICITY: Final = (
    ("A", 0.806), ("B", 0.01), ("C", 0.024),
    ("D", 0.008), ("E", 0.004), ("F", 0.006), ("G", 0.006),
    ("H", 0.016), ("J", 0.016), ("K", 0.006), ("L", 0.01),
    ("M", 0.012), ("N", 0.014), ("P", 0.004), ("R", 0.003), ("S", 0.015),
    ("Z", 0.012), ("99", 0.016), (None, 0.012),
)  # fmt: skip
#: Other processes declared on a notification, each with the share that declares it.
PROCESSES: Final = (
    ("coroner_inquest", 0.07),
    ("safeguarding_enquiry", 0.04),
    ("patient_safety_investigation", 0.03),
    ("safeguarding_adults_review", 0.012),
    ("police_investigation", 0.006),
    ("domestic_homicide_review", 0.001),
)
#: Detention at death and the cumulative share drawn for each (the rest: none).
DETENTION: Final = (
    ("mental_health_act", 0.008),
    ("deprivation_of_liberty", 0.020),
    ("prison", 0.021),
    ("police_custody", 0.0215),
)
#: How long each kind of hold lasts: (median days, spread of the log-normal).
HOLD_DAYS: Final = {
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
#: Why a family was not involved, each as likely.
NOT_INVOLVED: Final = ("declined", "no_family", "person_wished", "not_contactable")
#: The actions a governance group agrees, and who owns them (made up).
ACTIONS: Final = (
    "Improve uptake of annual health checks",
    "Review reasonable adjustments in acute care",
    "Share learning on recognising deterioration",
    "Audit use of DNACPR decisions",
    "Strengthen transition planning from children's services",
    "Review access to screening programmes",
)
OWNERS: Final = ("ICB LeDeR lead", "Acute trust safeguarding lead", "Primary care lead")


def cumulative(weighted: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], list[float]]:
    """The values of a weighted list and their cumulative shares (the last is 1), for
    :func:`~leder_core.sample.draws.pick`."""
    values = tuple(value for value, _ in weighted)
    total = 0.0
    cumulative = []
    for _, weight in weighted:
        total += weight
        cumulative.append(total)
    return values, [point / total for point in cumulative]


ROLE_TABLE: Final = cumulative(ROLES)
ETHNICITY_TABLE: Final = cumulative(ETHNICITY)
BODY_TABLE: Final = cumulative(BODIES)
BODY_SHARE: Final = {code: weight / sum(w for _, w in BODIES) for code, weight in BODIES}


def _interpolate(points: list[tuple[int, float]], day: int) -> float:
    """The value on ``day`` of a timeline given as (day number, value), linear between."""
    if day <= points[0][0]:
        return points[0][1]
    for (start, low), (end, high) in pairwise(points):
        if day <= end:
            return low + (high - low) * (day - start) / (end - start)
    return points[-1][1]


class Timeline:
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


def daily_rate(yearly: float, day: int) -> float:
    """Expected notifications on a day (before scaling), at a yearly rate."""
    rate = yearly / 365.25 * WEEKDAY[(day - 1) % 7]
    for peak, spread, extra in COVID_WAVES:
        distance = (day - peak.toordinal()) / spread
        if abs(distance) < 6:
            rate += extra * math.exp(-0.5 * distance * distance) / (spread * math.sqrt(2 * math.pi))
    return rate
