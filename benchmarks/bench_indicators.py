"""Benchmark: the indicators over review documents read from JSON Lines, streamed, in flat memory.

The reviews are the synthetic programme (:mod:`leder_core.sample`, seeded) scaled to
``--count`` documents, written once (untimed) to a JSON Lines file in a temporary folder, as
an ICB's export would be. The timed run reads that file line by line and streams the
documents into :func:`~leder_core.indicators`: every document is parsed, loaded
(``load_review``: structure, assess, replay) and judged as of ``--as-of``, then dropped. Each
measurement runs in a fresh process, so its peak resident memory (``ru_maxrss``) is its own:

* baseline: reading the same lines and ``json.loads`` of each;
* indicators: reading the lines and computing the indicators over them.

Each is measured ``--repeat`` times, interleaved, and the best time counts (the machine's
other work only ever adds time); the peak memory reported is the highest seen.

It prints the time, the ratio to the baseline and the peak memory, at each of ``--scales``
(memory must stay flat as the count grows) and at ``--count``. Targets: at most 8 times the
baseline, under 60 s a million reviews, and under 200 MB. The default run is 100,000 reviews
(about a minute and a half in all); ``--count 1000000 --scales 100000,300000 --repeat 1`` is
the full-scale run (about 90 s to write the file and two minutes to measure). Run by hand, not
by the test suite::

    python benchmarks/bench_indicators.py [--count N] [--scales 20000,50000] [--repeat R]
                                          [--profile N]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path

from leder_core import indicators
from leder_core.sample import SAMPLE_SEED, SAMPLE_UNTIL, sample_reviews

TARGET_RATIO = 8.0
TARGET_SECONDS = 60.0
TARGET_MEGABYTES = 200.0
TARGET_COUNT = 1_000_000


def _megabytes_peak() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def _lines(path: Path, count: int) -> Iterator[str]:
    with path.open(encoding="utf-8") as stream:
        yield from islice(stream, count)


def child(mode: str, path: Path, count: int, as_of: date) -> dict[str, float]:
    """One measurement, in this process; the parent starts a fresh process for each."""
    start_megabytes = _megabytes_peak()
    started = time.perf_counter()
    loads = json.loads
    if mode == "baseline":
        result = float(sum(len(loads(line)) for line in _lines(path, count)))
    else:
        documents = (loads(line) for line in _lines(path, count))
        result = float(indicators(documents, as_of=as_of).total.notified)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "start_mb": start_megabytes,
        "peak_mb": _megabytes_peak(),
        "result": result,
    }


def generate(path: Path, count: int, seed: int) -> float:
    """Write the documents as JSON Lines; the seconds it took (not part of any measurement)."""
    started = time.perf_counter()
    dumps = json.dumps
    with path.open("w", encoding="utf-8") as stream:
        for document in sample_reviews(seed=seed, count=count):
            stream.write(dumps(document, separators=(",", ":")) + "\n")
    return time.perf_counter() - started


def measure(mode: str, path: Path, count: int, as_of: date) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    command += ["--file", str(path), "--count", str(count), "--as-of", as_of.isoformat()]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    figures: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    return figures


def best_of(
    repeat: int, path: Path, count: int, as_of: date
) -> tuple[dict[str, float], dict[str, float]]:
    """The baseline's and the indicators' figures, ``repeat`` fresh processes of each,
    interleaved (so a busy spell of the machine slows both alike): the best time of each, and
    the highest peak memory seen (memory is a ceiling, so the worst run counts)."""
    runs = [
        (measure("baseline", path, count, as_of), measure("indicators", path, count, as_of))
        for _ in range(repeat)
    ]
    figures = []
    for side in (0, 1):
        best = min((run[side] for run in runs), key=lambda figure: figure["seconds"])
        peak = max(run[side]["peak_mb"] for run in runs)
        figures.append({**best, "peak_mb": peak})
    return figures[0], figures[1]


def profile(count: int, as_of: date, seed: int, top: int = 20) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    indicators(sample_reviews(seed=seed, count=count), as_of=as_of)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values())
    print(f"\nhot spots over {count:,} reviews (own time, share of {total:.2f} s profiled):")
    rows = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    for (filename, line, function), (_, calls, own, cumulative, _) in rows[:top]:
        print(
            f"  {own / total:6.1%}  own {own:6.2f} s  cum {cumulative:6.2f} s  "
            f"{calls:>10} calls  {function}  {filename}:{line}"
        )
    by_file: Counter[str] = Counter()
    for (filename, _, _), (_, _, own, _, _) in rows:
        by_file[filename.split("/site-packages/")[-1].split("/src/")[-1]] += own
    print("own time by file:")
    for filename, own in by_file.most_common(top // 2):
        print(f"  {own / total:6.1%}  {own:6.2f} s  {filename}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="reviews (100,000)")
    parser.add_argument(
        "--scales",
        default="20000,50000",
        help="smaller counts to show memory stays flat (comma-separated; '' for none)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh processes of each; the best time counts (3)"
    )
    parser.add_argument("--as-of", type=date.fromisoformat, default=SAMPLE_UNTIL)
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile N reviews")
    parser.add_argument("--child", choices=("baseline", "indicators"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.child:
        figures = child(options.child, options.file, options.count, options.as_of)
        print(json.dumps(figures))
        return 0

    scales = sorted({int(scale) for scale in options.scales.split(",") if scale} | {options.count})
    folder = Path(tempfile.mkdtemp(prefix="leder-bench-"))
    path = folder / "reviews.jsonl"
    try:
        return _run(options, scales, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(options: argparse.Namespace, scales: list[int], path: Path) -> int:
    generated = generate(path, options.count, options.seed)
    megabytes = path.stat().st_size / 1024 / 1024
    print(
        f"{options.count:,} review documents generated in {generated:.1f} s "
        f"({megabytes:,.0f} MB of JSON Lines; smaller counts read the first lines)"
    )
    print(f"indicators as of {options.as_of}, synthetic programme, seed {options.seed}, "
          f"{os.cpu_count()} cores, one process")  # fmt: skip
    print(f"{'reviews':>10}  {'baseline s':>10}  {'indicators s':>12}  {'ratio':>6}  "
          f"{'reviews/s':>10}  {'start MB':>8}  {'peak MB':>8}  {'baseline MB':>11}")  # fmt: skip
    results = {}
    baselines: dict[int, float] = {}
    for count in scales:
        baseline, measured = best_of(options.repeat, path, count, options.as_of)
        results[count] = measured
        baselines[count] = baseline["seconds"]
        print(
            f"{count:>10,}  {baseline['seconds']:>10.1f}  {measured['seconds']:>12.1f}  "
            f"{measured['seconds'] / baseline['seconds']:>5.1f}x  "
            f"{count / measured['seconds']:>10,.0f}  {measured['start_mb']:>8.1f}  "
            f"{measured['peak_mb']:>8.1f}  {baseline['peak_mb']:>11.1f}",
            flush=True,
        )
    headline = results[options.count]
    ratio = headline["seconds"] / baselines[options.count]
    ratio_met = ratio <= TARGET_RATIO
    seconds_met = headline["seconds"] < TARGET_SECONDS * options.count / TARGET_COUNT
    memory_met = headline["peak_mb"] < TARGET_MEGABYTES
    peaks = [results[count]["peak_mb"] for count in scales]
    flat = max(peaks) - min(peaks)
    print(
        f"ratio target (<= {TARGET_RATIO:.0f}x baseline):   {ratio:.1f}x, "
        f"{'met' if ratio_met else 'MISSED'}"
    )
    print(
        f"time target (< {TARGET_SECONDS:.0f} s per million):  {'met' if seconds_met else 'MISSED'}"
    )
    print(
        f"memory target (< {TARGET_MEGABYTES:.0f} MB):        {'met' if memory_met else 'MISSED'}"
    )
    print(f"peak memory across the counts varies by {flat:.1f} MB")
    if options.profile:
        profile(options.profile, options.as_of, options.seed)
    return 0 if ratio_met and seconds_met and memory_met else 1


if __name__ == "__main__":
    sys.exit(main())
