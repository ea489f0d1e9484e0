"""Benchmark: load, assess and dump notifications from JSON Lines, against parsing them alone.

The lines are the notifications of the synthetic programme (:mod:`leder_core.sample`, seeded,
so every run measures the same input), written as JSON Lines. Three passes over the same lines,
interleaved round by round (so a busy machine slows each alike), best of ``--repeat`` rounds:

* baseline: ``json.loads`` of every line;
* load + assess: ``assess(load_notification(json.loads(line)))`` of every line;
* load + assess + dump: ``dump(assess(load_notification(json.loads(line))))``, what a caller
  gets back and what ``leder assess`` writes.

Targets: at least 50,000 notifications a second on one core for load + assess, and at most 6
times the parse-only time for load + assess + dump. Run by hand, not by the test suite::

    python benchmarks/bench_assess.py [--count N] [--repeat R] [--seed S] [--parts] [--profile]
                                      [--cpu]

``--parts`` also prints each stage's share (parse, load, assess, dump), in µs a call; ``--cpu``
times by the process's CPU time, for a machine busy with other work.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import islice

from leder_core import assess, dump, load_notification
from leder_core.sample import SAMPLE_SEED, sample_reviews

TARGET_PER_SECOND = 50_000
TARGET_RATIO = 6.0


def notification_lines(count: int, seed: int) -> list[str]:
    """``count`` notification documents of the synthetic programme, one JSON text each."""
    documents = sample_reviews(seed=seed, count=count)
    return [json.dumps(document["notification"]) for document in islice(documents, count)]


def parse_only(lines: list[str]) -> None:
    loads = json.loads
    for line in lines:
        loads(line)


def load_and_assess(lines: list[str]) -> None:
    loads = json.loads
    for line in lines:
        assess(load_notification(loads(line)))


def load_assess_and_dump(lines: list[str]) -> None:
    loads = json.loads
    for line in lines:
        dump(assess(load_notification(loads(line))))


#: The clock the rounds are timed by: wall time, or with ``--cpu`` this process's CPU time
#: (steadier on a machine busy with other work, which only ever adds wall time).
clock: Callable[[], float] = time.perf_counter


def best_of(repeat: int, works: list[Callable[[list[str]], None]], lines: list[str]) -> list[float]:
    """The best time of each work over ``repeat`` rounds, the works interleaved in each."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            started = clock()
            work(lines)
            best[index] = min(best[index], clock() - started)
    return best


def parse_and_load(lines: list[str]) -> None:
    loads = json.loads
    for line in lines:
        load_notification(loads(line))


def parts(lines: list[str], repeat: int) -> None:
    """Each stage's share, µs a call: the pipeline timed one stage longer each pass (parse;
    parse + load; + assess; + dump), interleaved round by round, best of ``repeat``; a stage
    is the difference between consecutive passes. Nothing is kept between calls, as in the
    real pipeline (holding every document alive would slow each stage with garbage
    collection)."""
    count = len(lines)
    works = [parse_only, parse_and_load, load_and_assess, load_assess_and_dump]
    best = best_of(repeat, works, lines)
    print("each stage (difference of passes, best of rounds):")
    names = ["json.loads", "load_notification", "assess", "dump"]
    previous = 0.0
    for name, seconds in zip(names, best, strict=True):
        each = (seconds - previous) / count * 1e6
        print(f"  {name:<18} {each:6.2f} µs  {(seconds - previous) / best[0]:5.2f}x json.loads")
        previous = seconds


def profile(lines: list[str], top: int = 15) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    load_assess_and_dump(lines)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    print(f"\nhot spots (own time, share of {total:.2f} s profiled):")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    for (filename, line, function), (_, calls, own, cumulative, _) in rows[:top]:
        print(
            f"  {own / total:6.1%}  own {own:6.3f} s  cum {cumulative:6.3f} s  "
            f"{calls:>9} calls  {function}  {filename}:{line}"
        )
    by_file: Counter[str] = Counter()
    for (filename, _, _), (_, _, own, _, _) in rows:
        by_file[filename.split("/site-packages/")[-1].split("/src/")[-1]] += own
    print("own time by file:")
    for filename, own in by_file.most_common(top // 2):
        print(f"  {own / total:6.1%}  {own:6.2f} s  {filename}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="notifications (100,000)")
    parser.add_argument("--repeat", type=int, default=7, help="rounds; the best counts (7)")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    parser.add_argument("--profile", action="store_true", help="also profile one round")
    parser.add_argument("--parts", action="store_true", help="also time each stage's share")
    parser.add_argument("--cpu", action="store_true", help="time by CPU time, not wall time")
    options = parser.parse_args(argv)
    global clock  # noqa: PLW0603 - the one setting of the run, read by every round
    if options.cpu:
        clock = time.process_time

    lines = notification_lines(options.count, options.seed)
    count = len(lines)
    size = sum(len(line) for line in lines)
    print(f"{count:,} notifications, {size / count:.0f} bytes a line on average")
    load_assess_and_dump(lines[:1000])  # warm the converter caches outside the measurement

    baseline, library, dumped = best_of(
        options.repeat, [parse_only, load_and_assess, load_assess_and_dump], lines
    )
    per_second = count / library
    ratio = dumped / baseline
    print(f"json.loads only:       {baseline:7.3f} s  {count / baseline:12,.0f} /s")
    each = library / count * 1e6
    print(f"load + assess:         {library:7.3f} s  {per_second:12,.0f} /s  {each:.1f} µs each")
    print(f"  ratio to parse-only: {library / baseline:7.2f}x")
    each = dumped / count * 1e6
    print(f"load + assess + dump:  {dumped:7.3f} s  {count / dumped:12,.0f} /s  {each:.1f} µs each")
    print(f"  ratio to parse-only: {ratio:7.2f}x")
    speed_met = per_second >= TARGET_PER_SECOND
    ratio_met = ratio <= TARGET_RATIO
    print(f"target >= {TARGET_PER_SECOND:,}/s:     {'met' if speed_met else 'MISSED'}")
    print(f"target <= {TARGET_RATIO:.0f}x parse-only: {'met' if ratio_met else 'MISSED'}")
    if options.parts:
        parts(lines, options.repeat)
    if options.profile:
        profile(lines)
    return 0 if speed_met and ratio_met else 1


if __name__ == "__main__":
    sys.exit(main())
