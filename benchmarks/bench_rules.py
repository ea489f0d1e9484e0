"""Benchmark: the rules alone, on models already loaded (no parsing, loading or dump).

The inputs are the synthetic programme's review documents (:mod:`leder_core.sample`, seeded),
structured once before any timing. Four works, interleaved round by round, best of
``--repeat`` rounds, each reported in microseconds per item:

* assess: ``leder_core.rules.assess.assess`` of each notification;
* replay: ``review_of`` of each review document (assess, open, replay its events);
* tally: the indicators' tally (as of the sample's last date) over the replayed reviews;
* replay + tally: both, streamed, as ``indicators`` does after loading each document.

No targets: it shows where the rules' share of ``bench_assess.py`` and ``bench_indicators.py``
goes. Run by hand, not by the test suite::

    python benchmarks/bench_rules.py [--count N] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from itertools import islice

from leder_core.bodies import bundled_directory
from leder_core.rules import indicators
from leder_core.rules.assess import assess
from leder_core.rules.workflow import review_of
from leder_core.sample import SAMPLE_SEED, SAMPLE_UNTIL, sample_reviews
from leder_core.serialization import load_review_document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30_000, help="review documents (30,000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best counts (5)")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    options = parser.parse_args(argv)

    count = options.count
    raw = islice(sample_reviews(seed=options.seed, count=count), count)
    documents = [load_review_document(document) for document in raw]
    notifications = [document.notification for document in documents]
    directory = bundled_directory()
    reviews = [review_of(document) for document in documents]

    def assessing() -> None:
        for notification in notifications:
            assess(notification)

    def replaying() -> None:
        for document in documents:
            review_of(document)

    def tallying() -> None:
        indicators.tally(reviews, as_of=SAMPLE_UNTIL, directory=directory)

    def both() -> None:
        replayed = (review_of(document) for document in documents)
        indicators.tally(replayed, as_of=SAMPLE_UNTIL, directory=directory)

    works: list[tuple[str, Callable[[], None]]] = [
        ("assess", assessing),
        ("replay", replaying),
        ("tally", tallying),
        ("replay + tally", both),
    ]
    best = dict.fromkeys((name for name, _ in works), float("inf"))
    for _ in range(options.repeat):
        for name, work in works:
            started = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - started)
    print(f"{count:,} review documents, best of {options.repeat}")
    for name, _ in works:
        print(f"{name + ':':16} {best[name] / count * 1e6:6.2f} µs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
