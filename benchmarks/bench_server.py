"""The HTTP service under load, on loopback only; a fixed number of requests; ends by itself.

Run: ``PYTHONPATH=src python benchmarks/bench_server.py`` (needs the server extra and httpx).

1. Conditional appends: ``leder serve`` over a fresh SQLite store (a separate process); 100
   reviews opened; 8 concurrent clients append events (a hold placed, then lifted, again and
   again) with ``If-Match``, each to a review chosen at random, until 20,000 append requests
   have been answered. A client answered 412 takes the ETag it is sent and tries again (that
   is one more request). Afterwards the store is read directly: for every review the events
   stored must be exactly the appends answered 200 (none lost, none duplicated), and the
   versions answered must be 1..N without gaps or repeats.
2. ``POST /assessments`` against the same service, and the same requests against a bare
   Starlette endpoint (same uvicorn settings) that parses the JSON and echoes it: the service's
   requests per second as a share of the bare endpoint's (target: at least half).

Figures: requests per second, p50/p99 latency, 412s answered, events lost, events duplicated,
5xx answers. The clients share the machine with the server, as they would on one host.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from leder_core.server._run import uvicorn_config
from leder_core.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 8
REVIEWS = 100
APPENDS = 20_000
ASSESSMENTS = 4_000
JSON = {"Content-Type": "application/json"}


def notification(identifier: str) -> dict[str, Any]:
    return {
        "id": identifier,
        "notified_on": "2024-03-15",
        "notifier_role": "gp",
        "person": {
            "nhs_number": "9434765919",
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": True,
            "autism": "none",
            "ethnicity": "A",
            "lived_in_england": True,
            "died_in_england": True,
            "gp_registered": True,
            "national_data_opt_out": False,
            "detention": "none",
        },
        "responsible_body": "QE1",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(argv: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- 1. conditional appends ---------------------------------------------------------------


class Appends:
    def __init__(self, url: str, ids: list[str]) -> None:
        self.url = url
        self.ids = ids
        self.lock = threading.Lock()
        self.remaining = APPENDS
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = defaultdict(int)
        self.versions: dict[str, list[int]] = defaultdict(list)
        self.known = dict.fromkeys(ids, 0)

    def take(self) -> bool:
        with self.lock:
            if self.remaining == 0:
                return False
            self.remaining -= 1
            return True

    def client(self, number: int) -> None:
        chooser = random.Random(number)  # fixed per client: the run is repeatable
        latencies: list[float] = []
        with httpx.Client(base_url=self.url, timeout=60) as client:
            review = chooser.choice(self.ids)
            while self.take():
                version = self.known[review]
                event = {
                    "type": "hold_lifted" if version % 2 == 0 else "hold_placed",
                    "on": "2024-03-21",
                    "process": "family_requested_delay",
                }
                if version == 0:
                    event = {"type": "allocated", "on": "2024-03-20", "reviewer": "R-1"}
                started = time.perf_counter()
                answer = client.post(
                    f"/reviews/{review}/events",
                    content=json.dumps(event),
                    headers={**JSON, "If-Match": f'"{version}"'},
                )
                latencies.append(time.perf_counter() - started)
                tag = answer.headers.get("etag")
                with self.lock:
                    self.statuses[answer.status_code] += 1
                    if tag is not None:
                        self.known[review] = max(self.known[review], int(tag.strip('"')))
                    if answer.status_code == 200:
                        self.versions[review].append(int(tag.strip('"')))
                if answer.status_code != 412:  # after 412: retry with the ETag sent
                    review = chooser.choice(self.ids)
        with self.lock:
            self.latencies += latencies


def run_appends(run_dir: Path) -> dict[str, Any]:
    port = free_port()
    store = f"sqlite:///{run_dir / 'bench.db'}"
    server = start(["-m", "leder_core", "serve", "--store", store, "--port", str(port)], port)
    url = f"http://127.0.0.1:{port}"
    try:
        ids = [f"N-BENCH-{index:03d}" for index in range(REVIEWS)]
        with httpx.Client(base_url=url, timeout=60) as client:
            for identifier in ids:
                opened = client.post(
                    "/reviews", content=json.dumps(notification(identifier)), headers=JSON
                )
                assert opened.status_code == 201, opened.text
        load = Appends(url, ids)
        threads = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        stop(server)
    lost = duplicated = gaps = 0
    with open_store(store) as opened_store:
        for identifier in ids:
            stored = len(opened_store.history(identifier))
            answered = load.versions[identifier]
            lost += max(0, len(answered) - stored)
            duplicated += max(0, stored - len(answered))
            if sorted(answered) != list(range(1, len(answered) + 1)):
                gaps += 1
    requests = sum(load.statuses.values())
    return {
        "requests": requests,
        "seconds": elapsed,
        "per_second": requests / elapsed,
        "p50_ms": percentile(load.latencies, 0.5) * 1000,
        "p99_ms": percentile(load.latencies, 0.99) * 1000,
        "ok": load.statuses[200],
        "412": load.statuses[412],
        "5xx": sum(count for status, count in load.statuses.items() if status >= 500),
        "other": {
            status: count
            for status, count in load.statuses.items()
            if status not in (200, 412) and status < 500
        },
        "lost": lost,
        "duplicated": duplicated,
        "reviews_with_version_gaps": gaps,
    }


# --- 2. assessments against a bare endpoint -----------------------------------------------


def bare_app() -> Starlette:
    async def echo(request: Request) -> Response:
        document = json.loads(await request.body())
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return Response(body.encode(), media_type="application/json")

    async def health(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[
            Route("/assessments", echo, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def serve_bare(port: int) -> None:
    uvicorn.Server(uvicorn_config(bare_app(), host="127.0.0.1", port=port)).run()


def throughput(url: str) -> dict[str, float]:
    body = json.dumps(notification("N-ASSESS"))
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = ASSESSMENTS // CLIENTS
    statuses: dict[int, int] = defaultdict(int)

    def client() -> None:
        mine: list[float] = []
        with httpx.Client(base_url=url, timeout=60) as http:
            for _ in range(per_client):
                started = time.perf_counter()
                answer = http.post("/assessments", content=body, headers=JSON)
                mine.append(time.perf_counter() - started)
                with lock:
                    statuses[answer.status_code] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert set(statuses) == {200}, dict(statuses)
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def run_assessments(run_dir: Path) -> dict[str, Any]:
    port = free_port()
    store = f"sqlite:///{run_dir / 'assess.db'}"
    server = start(["-m", "leder_core", "serve", "--store", store, "--port", str(port)], port)
    try:
        service = throughput(f"http://127.0.0.1:{port}")
    finally:
        stop(server)
    port = free_port()
    bare = start([str(Path(__file__).resolve()), "--bare", str(port)], port)
    try:
        echo = throughput(f"http://127.0.0.1:{port}")
    finally:
        stop(bare)
    return {"service": service, "bare": echo, "share": service["per_second"] / echo["per_second"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare is not None:
        serve_bare(args.bare)
        return 0
    with tempfile.TemporaryDirectory(prefix="leder-bench-server-") as directory:
        appends = run_appends(Path(directory))
        print(
            f"appends: {appends['requests']} requests by {CLIENTS} clients to {REVIEWS} reviews "
            f"in {appends['seconds']:.1f} s: {appends['per_second']:.0f} req/s, "
            f"p50 {appends['p50_ms']:.1f} ms, p99 {appends['p99_ms']:.1f} ms; "
            f"200: {appends['ok']}, 412: {appends['412']}, 5xx: {appends['5xx']}, "
            f"other: {appends['other']}; events lost {appends['lost']}, duplicated "
            f"{appends['duplicated']}, reviews with version gaps "
            f"{appends['reviews_with_version_gaps']}"
        )
        assessments = run_assessments(Path(directory))
        service, bare = assessments["service"], assessments["bare"]
        print(
            f"POST /assessments: service {service['per_second']:.0f} req/s "
            f"(p50 {service['p50_ms']:.1f} ms, p99 {service['p99_ms']:.1f} ms); bare Starlette "
            f"echo {bare['per_second']:.0f} req/s (p50 {bare['p50_ms']:.1f} ms, p99 "
            f"{bare['p99_ms']:.1f} ms); service/bare = {assessments['share']:.2f} (target >= 0.5)"
        )
    failed = (
        appends["5xx"]
        or appends["lost"]
        or appends["duplicated"]
        or appends["reviews_with_version_gaps"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
