"""Benchmark: the review store against the bare database and the library without a store.

Three ratios, each against a baseline measured in the same run (best of ``--repeat`` rounds,
interleaved), on review documents of ``leder_core.sample`` (seeded):

* **append**: ``store.append`` of one event (read the version, rebuild the review, ``apply``,
  insert, commit) against a bare insert of the same event JSON into the same table shape with
  the same commit mode (one transaction per event; SQLite in WAL mode). Shown twice: with the
  store's cache of rebuilt reviews (a writer appending to reviews it has seen, the usual case)
  and cold (the cache emptied before every append, so every append replays the review).
  Target ≤ 4×.
* **get**: ``store.get`` of a stored review against ``load_review`` of the same
  ``leder.review/1`` document already parsed: as the store runs (one query; the review comes
  from the store's cache when its stored version is the one rebuilt before; target ≤ 1.5×), and
  cold (the cache emptied before every get: query, parse and replay; reported).
* **indicators**: ``indicators(store.reviews(), ...)`` over ``--count`` stored reviews against
  ``indicators`` over the same reviews read from a JSON Lines file (``json.loads`` of each
  line). Target ≤ 1.5×.

SQLite always; PostgreSQL too when ``--postgres URL`` or ``LEDER_TEST_POSTGRES_URL`` names a
server (each run works in a schema of its own, dropped afterwards). Run by hand::

    python benchmarks/bench_store.py [--count 100000] [--appends 2000] [--repeat 3] [--postgres URL]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote

from leder_core import indicators, load_review
from leder_core.sample import sample_reviews
from leder_core.store import ReviewStore, open_store

AS_OF = date(2025, 7, 31)
#: The targets; "get (cold)" (every review replayed, as by a process that has just started) is
#: reported beside "get" (the store as it runs: a review it rebuilt or wrote before comes from
#: its cache, keyed by version) and has no target of its own.
TARGETS = {"append": 4.0, "append (cold)": 4.0, "get": 1.5, "get (cold)": None, "indicators": 1.5}


def best(function: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def interleaved(
    store_run: Callable[[], Any], baseline_run: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """Best of ``repeat`` rounds of each, alternating."""
    store_times, baseline_times = [], []
    for _ in range(repeat):
        store_times.append(best(store_run, 1))
        baseline_times.append(best(baseline_run, 1))
    return min(store_times), min(baseline_times)


class Bare:
    """The baseline: the same events table, plain inserts, one transaction each."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.connection: Any = sqlite3.connect(url, isolation_level=None)
            self.connection.execute("PRAGMA journal_mode = WAL")
        else:
            import psycopg  # noqa: PLC0415

            self.connection = psycopg.connect(url, autocommit=True)
        self.connection.execute(
            "CREATE TABLE bare_events (review_id text NOT NULL, version integer NOT NULL, "
            "event text NOT NULL, recorded_by text, recorded_at text, "
            "PRIMARY KEY (review_id, version))"
        )
        self.sql = "INSERT INTO bare_events (review_id, version, event) VALUES (?, ?, ?)"
        if kind != "sqlite":
            self.sql = self.sql.replace("?", "%s")

    def insert(self, review_id: str, version: int, text: str) -> None:
        if self.kind == "sqlite":
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.execute(self.sql, (review_id, version, text))
            self.connection.execute("COMMIT")
        else:
            with self.connection.transaction():
                self.connection.execute(self.sql, (review_id, version, text))


def appends(
    store: ReviewStore, bare: Bare, documents: list[dict[str, Any]], repeat: int, cold: bool
) -> tuple[float, float, int]:
    """Seconds per append for the store and for the bare insert, and how many were timed."""
    rounds: list[tuple[float, float]] = []
    count = 0
    for round_number in range(repeat):
        suffix = f"-r{round_number}-{'c' if cold else 'w'}"
        store_seconds = bare_seconds = 0.0
        count = 0
        for document in documents:
            notification = {**document["notification"]}
            notification["id"] = notification["id"] + suffix
            review_id = notification["id"]
            store.open_review(notification)
            for version, event in enumerate(document["events"]):
                if cold:
                    store._cache.clear()
                started = time.perf_counter()
                store.append(review_id, event, expected_version=version)
                store_seconds += time.perf_counter() - started
                text = json.dumps(event, separators=(",", ":"))
                started = time.perf_counter()
                bare.insert(review_id, version + 1, text)
                bare_seconds += time.perf_counter() - started
                count += 1
        rounds.append((store_seconds / count, bare_seconds / count))
    return min(r[0] for r in rounds), min(r[1] for r in rounds), count


def gets(
    store: ReviewStore, documents: list[dict[str, Any]], repeat: int
) -> tuple[float, float, float]:
    """Seconds per ``get``, warm (the review rebuilt before, in the cache) and cold, and per
    ``load_review`` of the parsed document."""
    ids = [document["notification"]["id"] for document in documents]

    def cold() -> None:
        for review_id in ids:
            store._cache.clear()
            store.get(review_id)

    def warm() -> None:
        for review_id in ids:
            store.get(review_id)

    def loaded() -> None:
        for document in documents:
            load_review(document)

    cold_time, baseline = interleaved(cold, loaded, repeat)
    warm()  # fill the cache
    warm_time, baseline_again = interleaved(warm, loaded, repeat)
    count = len(ids)
    return warm_time / count, cold_time / count, min(baseline, baseline_again) / count


def indicator_runs(store: ReviewStore, path: Path, repeat: int) -> tuple[float, float]:
    def stored() -> None:
        indicators(store.reviews(), as_of=AS_OF)

    def from_lines() -> None:
        with path.open(encoding="utf-8") as file:
            indicators((json.loads(line) for line in file), as_of=AS_OF)

    return interleaved(stored, from_lines, repeat)


@contextmanager
def postgres_schema(server: str) -> Iterator[str]:
    import psycopg  # noqa: PLC0415

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def run_database(
    name: str, store_url: str, bare_url: str, args: argparse.Namespace, lines: Path
) -> dict[str, float]:
    print(f"\n{name}")
    ratios: dict[str, float] = {}
    pool = list(islice(sample_reviews(count=args.count, seed=7), 5000))
    with_events = [d for d in pool if d["events"]]
    per_append = max(1.0, sum(len(d["events"]) for d in with_events) / len(with_events))
    chosen = with_events[: max(1, int(args.appends / per_append))]
    with open_store(store_url) as store:
        bare = Bare(name, bare_url)
        for cold in (False, True):
            label = "append (cold)" if cold else "append"
            store_time, bare_time, count = appends(store, bare, chosen, args.repeat, cold)
            ratios[label] = store_time / bare_time
            print(
                f"  {label:<14} {count} events: store {store_time * 1e6:8.1f} µs, bare insert "
                f"{bare_time * 1e6:8.1f} µs, {ratios[label]:.2f}x"
            )
        bare.connection.close()
    with open_store(store_url) as store:
        started = time.perf_counter()
        with lines.open(encoding="utf-8") as file:
            store.import_reviews(json.loads(line) for line in file)
        print(f"  imported {args.count:,} reviews in {time.perf_counter() - started:.1f} s")
        sample = list(
            islice(sample_reviews(count=args.count), 0, args.count, max(1, args.count // 2000))
        )
        warm, cold, baseline = gets(store, sample, args.repeat)
        ratios["get"] = warm / baseline
        ratios["get (cold)"] = cold / baseline
        for label, seconds in (("get", warm), ("get (cold)", cold)):
            print(
                f"  {label:<14} {len(sample)} reviews: store {seconds * 1e6:8.1f} µs, "
                f"load_review {baseline * 1e6:8.1f} µs, {ratios[label]:.2f}x"
            )
        round_trips = best(lambda: [store._db.execute("SELECT 1").fetchone() for _ in sample], 3)
        print(
            f"  one query      SELECT 1: {round_trips / len(sample) * 1e6:8.1f} µs (the floor of "
            "any read that asks the database)"
        )
        store_time, baseline = indicator_runs(store, lines, args.repeat)
        ratios["indicators"] = store_time / baseline
        print(
            f"  indicators     {args.count:,} reviews: store {store_time:6.2f} s, JSON Lines "
            f"{baseline:6.2f} s, {ratios['indicators']:.2f}x"
        )
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="reviews for indicators")
    parser.add_argument("--appends", type=int, default=2000, help="events appended per round")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("LEDER_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    missed = []
    with tempfile.TemporaryDirectory() as directory:
        lines = Path(directory) / "reviews.jsonl"
        with lines.open("w", encoding="utf-8") as file:
            for document in sample_reviews(count=args.count):
                file.write(json.dumps(document, separators=(",", ":")) + "\n")
        results = {
            "sqlite": run_database(
                "sqlite",
                f"sqlite:///{Path(directory) / 'store.db'}",
                str(Path(directory) / "bare.db"),
                args,
                lines,
            )
        }
        if args.postgres:
            with postgres_schema(args.postgres) as url:
                results["postgresql"] = run_database("postgresql", url, url, args, lines)
    print()
    for database, ratios in results.items():
        for label, ratio in ratios.items():
            target = TARGETS[label]
            if target is None:
                print(f"{database:<11} {label:<14} {ratio:5.2f}x  (reported)")
                continue
            met = ratio <= target
            if not met:
                missed.append(f"{database} {label}")
            print(
                f"{database:<11} {label:<14} {ratio:5.2f}x  target ≤ {target}x  "
                f"{'met' if met else 'MISSED'}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
