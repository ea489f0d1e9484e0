"""Benchmark: ``leder assess`` on a JSON Lines file, end to end, against reading and parsing it.

The notifications of the synthetic programme (:mod:`leder_core.sample`, seeded) are written
once (untimed) as JSON Lines to a temporary folder. Then, each in a fresh process, best of
``--repeat`` rounds, interleaved:

* baseline: ``python -c`` reading the same file line by line and ``json.loads`` of each line;
* ``leder assess FILE`` (JSON Lines out, to ``/dev/null``): start-up, reading, decoding,
  loading, assessing, ``dump`` and writing every assessment.

It prints both times, the throughput and the ratio. The process start-up (importing the
library) is inside the ``leder`` time. Run by hand, not by the test suite::

    python benchmarks/bench_cli.py [--count N] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from leder_core.sample import SAMPLE_SEED, sample_reviews

BASELINE = "import json, sys\nfor line in open(sys.argv[1], 'rb'):\n    json.loads(line)\n"


def write(path: Path, count: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for document in islice(sample_reviews(seed=seed, count=count), count):
            stream.write(json.dumps(document["notification"], separators=(",", ":")) + "\n")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)  # noqa: S603
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="notifications (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best counts (3)")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    options = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="leder-bench-cli-"))
    try:
        path = folder / "notifications.jsonl"
        write(path, options.count, options.seed)
        megabytes = path.stat().st_size / 1024 / 1024
        print(f"{options.count:,} notifications, {megabytes:.1f} MB of JSON Lines")
        baseline_command = [sys.executable, "-c", BASELINE, str(path)]
        leder_command = [sys.executable, "-m", "leder_core", "assess", str(path)]
        baseline = leder = float("inf")
        for _ in range(options.repeat):
            baseline = min(baseline, timed(baseline_command))
            leder = min(leder, timed(leder_command))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    count = options.count
    print(f"python -c read + json.loads: {baseline:7.2f} s  {count / baseline:10,.0f} /s")
    print(f"leder assess FILE:           {leder:7.2f} s  {count / leder:10,.0f} /s")
    print(f"ratio:                       {leder / baseline:7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
