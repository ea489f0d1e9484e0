"""Several processes append to the same reviews at once, each with the version it read.

Every append either lands once or gets ``VersionConflict``: each landed append is found exactly
once in the histories (by its ``recorded_by`` tag, unique per attempt), none is missing, the
versions run 1, 2, … without a gap, and every stored review replays to the review the store
returns. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from itertools import islice
from typing import Any

from leder_core import load_review
from leder_core.sample import sample_reviews
from leder_core.store import ReviewStore, VersionConflict, open_store

PROCESSES = 4
ATTEMPTS = 60  # per process
REVIEWS = 3


def _contact(on: str) -> dict[str, Any]:
    return {"type": "contact_recorded", "on": on, "contact": "family"}


def _writer(url: str, process: int, targets: list[tuple[str, str]], start: Any, out: Any) -> None:
    """One process: read a review, wait a moment, append with the version read."""
    chooser = random.Random(process)  # noqa: S311  # a reproducible choice, not a secret
    landed: list[str] = []
    conflicts = 0
    with open_store(url) as store:
        start.wait()
        for attempt in range(ATTEMPTS):
            review_id, on = chooser.choice(targets)
            version = store.get(review_id).version
            time.sleep(chooser.random() / 500)  # up to 2 ms: let another writer in
            tag = f"p{process}-{attempt}"
            try:
                store.append(review_id, _contact(on), expected_version=version, recorded_by=tag)
            except VersionConflict as conflict:
                if conflict.current <= version:
                    raise  # a conflict must mean someone else wrote: fail the process
                conflicts += 1
            else:
                landed.append(tag)
    out.put((process, landed, conflicts))


def _prepared(store: ReviewStore) -> list[tuple[str, str]]:
    documents = islice(sample_reviews(count=3000), 200)
    allocated = [d for d in documents if d["events"] and d["events"][0]["type"] == "allocated"]
    targets = []
    for document in allocated[:REVIEWS]:
        stored = store.open_review(document["notification"])
        first = document["events"][0]
        store.append(stored.review.notification.id, first, expected_version=0)
        targets.append((stored.review.notification.id, first["on"]))
    return targets


def test_concurrent_processes_lose_and_duplicate_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        targets = _prepared(store)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    out = context.Queue()
    workers = [
        context.Process(target=_writer, args=(store_url, number, targets, start, out))
        for number in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    landed = [tag for _, tags, _ in results for tag in tags]
    conflicts = sum(count for _, _, count in results)
    assert len(landed) + conflicts == PROCESSES * ATTEMPTS

    with open_store(store_url) as store:
        stored_tags: list[str] = []
        for review_id, _ in targets:
            history = store.history(review_id)
            assert [entry.version for entry in history] == list(range(1, len(history) + 1))
            stored_tags += [entry.recorded_by for entry in history[1:] if entry.recorded_by]
            stored = store.get(review_id)
            assert stored.version == len(history)
            document = next(d for d in store.export() if d["notification"]["id"] == review_id)
            assert load_review(document) == stored.review
    duplicated = sum(count - 1 for count in Counter(stored_tags).values() if count > 1)
    lost = len(set(landed) - set(stored_tags))
    assert duplicated == 0
    assert lost == 0
    assert sorted(stored_tags) == sorted(landed)
    assert conflicts > 0  # the writers did race
    database = store_url.split(":", 1)[0]
    print(  # the figures the test proves, shown with -s
        f"\n{database}: {PROCESSES} processes, {PROCESSES * ATTEMPTS} appends tried, "
        f"{len(landed)} landed, {conflicts} conflicts, lost {lost}, duplicated {duplicated}"
    )
