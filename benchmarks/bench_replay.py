"""Micro-benchmark: replaying review documents and judging their status.

Generates N synthetic ``leder.review/1`` documents deterministically (a seeded
``random.Random``: plausible notifications and event sequences with allocation, contacts,
sometimes holds, completion, sign-off or closure, some reviews left in progress), then times

* the baseline: ``json.loads`` of the same documents written as JSON Lines, and
* ``load_review`` + ``review_status(as_of=...)`` of every document,

both in the same run, best of ``--repeat`` rounds, and prints reviews per second, microseconds
per review and the ratio to the baseline. Run by hand, not by the test suite::

    python benchmarks/bench_replay.py [--count N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from leder_core import assess, load_notification, load_review, review_status

AS_OF = date(2026, 1, 31)
PROCESSES = (
    "coroner_inquest",
    "police_investigation",
    "safeguarding_adults_review",
    "safeguarding_enquiry",
    "patient_safety_investigation",
    "family_requested_delay",
)
ETHNICITIES = ("A", "A", "A", "A", "B", "C", "D", "H", "J", "M", "N", "R", "S", "Z", None)


def _notification(rng: random.Random, number: int) -> dict[str, Any]:
    notified = date(2016, 7, 1) + timedelta(days=rng.randrange(0, (AS_OF - date(2016, 7, 1)).days))
    died = notified - timedelta(days=rng.randrange(0, 60))
    born = died - timedelta(days=rng.randrange(18 * 366, 95 * 365))
    person: dict[str, Any] = {
        "date_of_birth": born.isoformat(),
        "date_of_death": died.isoformat(),
        "learning_disability": rng.random() < 0.93,
        "autism": rng.choice(("none", "none", "none", "diagnosed", "suspected")),
        "ethnicity": rng.choice(ETHNICITIES),
        "lived_in_england": rng.random() < 0.98,
        "gp_registered": rng.random() < 0.95,
    }
    processes = rng.sample(PROCESSES[:-1], k=rng.choice((0, 0, 0, 1, 2)))
    return {
        "id": f"N-{notified.year}-{number:06d}",
        "notified_on": notified.isoformat(),
        "notifier_role": rng.choice(("family", "gp", "health_professional", "carer")),
        "person": person,
        "other_processes": processes,
        "responsible_body": rng.choice(("QE1", "QHM", "QOP", "QWO", None)),
    }


class _Events:
    """Events in date order, each a few days after the one before, none after AS_OF."""

    def __init__(self, rng: random.Random, start: date) -> None:
        self.rng = rng
        self.day = start
        self.events: list[dict[str, Any]] = []

    def add(self, kind: str, low: int = 0, high: int = 21, **fields: Any) -> bool:
        day = self.day + timedelta(days=self.rng.randint(low, high))
        if day > AS_OF:
            return False
        self.day = day
        self.events.append({"type": kind, "on": day.isoformat(), **fields})
        return True


def _events(rng: random.Random, notification: dict[str, Any]) -> list[dict[str, Any]]:
    """A plausible history for the review this notification opens."""
    assessment = assess(load_notification(notification))
    outcome = assessment.outcome.value
    if outcome not in ("leder_review", "regional_decision"):
        return []
    ev = _Events(rng, date.fromisoformat(notification["notified_on"]))
    if outcome == "regional_decision" and not ev.add(
        "regional_decision", 3, 40, proceed=rng.random() < 0.8
    ):
        return ev.events
    if ev.events and not ev.events[-1]["proceed"]:
        return ev.events
    if rng.random() < 0.03:
        ev.add("closed", 1, 30, reason=rng.choice(("duplicate", "withdrawn_ineligible")))
        return ev.events
    if not ev.add("allocated", 1, 30, reviewer=f"R-{rng.randrange(1, 60)}"):
        return ev.events
    held: str | None = None
    contacts = [
        rng.choice(("family", "family", "close_person", None)),
        rng.choice(("gp", "gp_records", "gp_records")),
        "other_professional",
    ]
    rng.shuffle(contacts)
    for contact in contacts:
        if held is None and rng.random() < 0.12:
            held = rng.choice(PROCESSES)
            if not ev.add("hold_placed", 0, 20, process=held):
                return ev.events
        if contact is None:
            ok = ev.add("family_not_involved", 1, 20, reason=rng.choice(("declined", "no_family")))
        else:
            ok = ev.add("contact_recorded", 1, 25, contact=contact)
        if not ok:
            return ev.events
    if held is not None and not ev.add("hold_lifted", 20, 200, process=held):
        return ev.events
    focused = assessment.review_level is not None and assessment.review_level.value != "initial"
    if rng.random() < 0.04 and ev.add("focused_review_requested", 0, 10):
        focused = True
    concerns = rng.random() < 0.25
    if not ev.add(
        "initial_review_completed",
        5,
        60,
        concerns=concerns,
        further_learning=rng.random() < 0.1,
    ):
        return ev.events
    focused = focused or concerns or ev.events[-1]["further_learning"]
    if focused and not ev.add("focused_review_completed", 20, 90):
        return ev.events
    if focused:
        ev.add(
            "signed_off",
            5,
            40,
            by="governance_group",
            actions=[
                {
                    "description": "Improve reasonable adjustments",
                    "owner": "ICB quality lead",
                    "due_on": (ev.day + timedelta(days=180)).isoformat(),
                }
            ],
        )
    else:
        ev.add("signed_off", 3, 30, by=rng.choice(("senior_reviewer", "governance_group")))
    return ev.events


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` review documents, the same for the same seed."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        notification = _notification(rng, number)
        documents.append({"notification": notification, "events": _events(rng, notification)})
    return documents


def _best(repeat: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="reviews (default 10000)")
    parser.add_argument("--seed", type=int, default=20250205, help="random seed")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best counts")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be at least 1")

    started = time.perf_counter()
    documents = generate(args.count, args.seed)
    lines = [json.dumps(document) for document in documents]
    generated = time.perf_counter() - started

    def baseline() -> None:
        for line in lines:
            json.loads(line)

    def replay() -> None:
        for document in documents:
            review_status(load_review(document), as_of=AS_OF)

    def end_to_end() -> None:
        for line in lines:
            review_status(load_review(json.loads(line)), as_of=AS_OF)

    base = _best(args.repeat, baseline)
    measured = _best(args.repeat, replay)
    whole = _best(args.repeat, end_to_end)

    reviews = [load_review(document) for document in documents]
    states = collections.Counter(review.state.value for review in reviews)
    codes = collections.Counter(review_status(review, as_of=AS_OF).code.value for review in reviews)
    refused = sum(review.refused is not None for review in reviews)
    events = sum(len(document["events"]) for document in documents)

    count = args.count
    print(f"leder_core replay benchmark: {count} reviews, {events} events ", end="")
    print(f"({events / count:.1f} per review), seed {args.seed}, best of {args.repeat}")
    print(f"generated in {generated:.2f} s; as_of {AS_OF}; Python {sys.version.split()[0]}")
    print()
    header = f"{'measure':<42} {'total s':>9} {'reviews/s':>11} {'µs/review':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for name, seconds in (
        ("json.loads (baseline)", base),
        ("load_review + review_status", measured),
        ("json.loads + load_review + review_status", whole),
    ):
        print(
            f"{name:<42} {seconds:>9.3f} {count / seconds:>11,.0f} "
            f"{seconds / count * 1e6:>10.1f} {seconds / base:>6.1f}x"
        )
    print()
    print("states:  " + ", ".join(f"{key} {value}" for key, value in sorted(states.items())))
    print("status:  " + ", ".join(f"{key} {value}" for key, value in sorted(codes.items())))
    print(f"refused in replay: {refused}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
