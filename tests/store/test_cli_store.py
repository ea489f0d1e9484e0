"""``leder store`` and ``--store``: round trips, exit codes (1 refused, 2 bad input, 4 the store
holds something else) and all-or-nothing imports."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from helpers import run
from leder_core import dump, load_review
from leder_core.cli import store_commands
from leder_core.sample import sample_reviews
from leder_core.store import open_store

DOCUMENTS: list[dict[str, Any]] = list(islice(sample_reviews(count=3000), 60))
GOVERNANCE = {
    "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
    "governance_group_established_on": "2021-06-01",
    "executive_lead": "Chief Nursing Officer",
}


def lines(path: Path, documents: list[Any]) -> str:
    path.write_text("".join(json.dumps(document) + "\n" for document in documents), "utf-8")
    return str(path)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_init_import_export_round_trip(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "store", "init", store_url)[0] == 0
    source = lines(tmp_path / "in.jsonl", DOCUMENTS)
    code, _, err = run(capsys, "store", "import", store_url, source)
    assert code == 0
    assert "60 reviews imported" in err
    code, out, _ = run(capsys, "store", "export", store_url)
    assert code == 0
    exported = [json.loads(line) for line in out.splitlines()]
    assert [load_review(document) for document in exported] == [
        load_review(document) for document in DOCUMENTS
    ]
    assert all(document["schema"] == "leder.review/1" for document in exported)


def test_report_and_governance_read_the_store_as_they_read_a_file(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = lines(tmp_path / "in.jsonl", DOCUMENTS)
    assert run(capsys, "store", "import", url, source)[0] == 0
    as_of = ("--as-of", "2025-07-31", "--format", "json")
    from_file = run(capsys, "report", source, *as_of)
    from_store = run(capsys, "report", "--store", url, *as_of)
    assert from_file[0] == from_store[0] == 0
    assert json.loads(from_store[1]) == json.loads(from_file[1])
    arrangements = lines(tmp_path / "g.jsonl", [GOVERNANCE])
    from_file = run(capsys, "governance", arrangements, "--reviews", source, *as_of)
    from_store = run(capsys, "governance", arrangements, "--store", url, *as_of)
    assert from_file[0] == from_store[0] == 0
    assert json.loads(from_store[1]) == json.loads(from_file[1])


def test_report_takes_one_source(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = lines(tmp_path / "in.jsonl", DOCUMENTS[:2])
    code, _, err = run(capsys, "report", source, "--store", url, "--as-of", "2025-07-31")
    assert code == 2
    assert "give one of FILE, --sample or --store URL" in err
    arrangements = lines(tmp_path / "g.jsonl", [GOVERNANCE])
    argv = ("governance", arrangements, "--reviews", source, "--store", url)
    code, _, err = run(capsys, *argv, "--as-of", "2025-07-31")
    assert code == 2


def test_import_checks_bad_documents_then_refusals_then_ids(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = {
        "notification": DOCUMENTS[1]["notification"],
        "events": [
            {"type": "closed", "on": "2030-01-01", "reason": "duplicate"},
            {"type": "closed", "on": "2030-01-02", "reason": "duplicate"},
        ],
    }
    bad = {"notification": DOCUMENTS[2]["notification"], "events": [{"type": "nonsense"}]}
    everything = tmp_path / "all.jsonl"
    lines(everything, [DOCUMENTS[0], refused, bad, DOCUMENTS[0]])
    with everything.open("a", encoding="utf-8") as file:
        file.write("{not json\n")
    code, _, err = run(capsys, "store", "import", url, str(everything))
    assert code == 2
    assert "$[2].events[0].type: expected one of" in err
    assert "$[4]: not valid JSON (line 5, column 2)" in err
    assert "nothing imported" in err

    code, _, err = run(
        capsys,
        "store",
        "import",
        url,
        lines(tmp_path / "r.jsonl", [DOCUMENTS[0], refused, DOCUMENTS[0]]),
    )
    assert code == 1
    assert "$[1].events[1]: event refused (FLOW-TERMINAL)" in err

    code, _, err = run(
        capsys, "store", "import", url, lines(tmp_path / "d.jsonl", [DOCUMENTS[0], DOCUMENTS[0]])
    )
    assert code == 4
    assert "$[1]: a review with this id is already stored" in err
    assert DOCUMENTS[0]["notification"]["id"] not in err
    with open_store(url) as store:
        assert list(store.reviews()) == []


def test_append_prints_the_result_as_of_the_event_date(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = next(d for d in DOCUMENTS if len(d["events"]) >= 2)
    review_id = document["notification"]["id"]
    opening = {"notification": document["notification"], "events": []}
    assert run(capsys, "store", "import", url, lines(tmp_path / "o.jsonl", [opening]))[0] == 0
    event = tmp_path / "event.json"
    event.write_text(json.dumps(document["events"][0]), "utf-8")
    argv = ("store", "append", url, review_id, str(event))
    code, out, _ = run(capsys, *argv, "--expect-version", "0", "--recorded-by", "LAC-3")
    assert code == 0
    result = json.loads(out)
    assert result["schema"] == "leder.review-result/1"
    assert result["status"]["as_of"] == document["events"][0]["on"]
    assert [entry["event"] for entry in result["history"]] == [
        dump(load_review({**document, "events": document["events"][:1]}).events[0])
    ]
    with open_store(url) as store:
        assert [entry.recorded_by for entry in store.history(review_id)] == ["LAC-3"]

    code, _, err = run(capsys, *argv, "--expect-version", "0")
    assert code == 4
    assert "stored version is 1" in err

    code, _, err = run(
        capsys, "store", "append", url, "N-NOPE", str(event), "--expect-version", "0"
    )
    assert code == 4
    assert "N-NOPE" not in err

    closing = tmp_path / "closing.json"
    closing.write_text(json.dumps({"type": "closed", "on": "2030-01-01", "reason": "duplicate"}))
    assert (
        run(capsys, "store", "append", url, review_id, str(closing), "--expect-version", "1")[0]
        == 0
    )
    code, _, err = run(capsys, *argv, "--expect-version", "2")
    assert code == 1
    assert "FLOW-TERMINAL" in err

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "allocated", "on": "2030-02-01"}))
    code, _, err = run(capsys, "store", "append", url, review_id, str(bad), "--expect-version", "2")
    assert code == 2
    assert "$.reviewer: required key missing" in err
    with open_store(url) as store:
        assert store.get(review_id).version == 2


def test_a_bad_url_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "store", "init", "mysql://user:secret@host/db")
    assert code == 2
    assert "$.url" in err
    assert "secret" not in err


def test_a_long_import_shows_its_progress_on_stderr(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = list(islice(sample_reviews(count=5000), 2000))
    source = lines(tmp_path / "many.jsonl", documents)
    ticks = iter(range(10_000))
    monkeypatch.setattr(store_commands.time, "monotonic", lambda: 5.0 * next(ticks))  # 5 s a call
    code, out, err = run(capsys, "store", "import", url, source)
    assert code == 0
    assert out == ""
    assert "leder: 1,000 review documents read" in err
    assert "leder: 2,000 review documents read" in err
    assert err.endswith("leder: 2,000 reviews imported\n")


def test_a_short_import_shows_no_progress(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "store", "import", url, lines(tmp_path / "f.jsonl", DOCUMENTS))
    assert code == 0
    assert err == "leder: 60 reviews imported\n"
