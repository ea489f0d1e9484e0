"""The ``leder`` command: input shapes, output formats, exit codes and privacy."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from helpers import run, write
from leder_core.cli import build_parser
from leder_core.models.review import ReviewState
from leder_core.rules.registry import iter_rules
from leder_core.rules.workflow import TRANSITIONS
from leder_core.schema import json_schema

NHS_NUMBER = "943 476 5919"


def notification(identifier: str = "N-1", **person: Any) -> dict[str, Any]:
    return {
        "id": identifier,
        "notified_on": "2024-03-15",
        "notifier_role": "gp",
        "person": {
            "nhs_number": NHS_NUMBER,
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": True,
            "autism": "none",
            "ethnicity": "A",
            "lived_in_england": True,
            **person,
        },
    }


def review(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"notification": notification("R-1"), "events": events}


def test_assess_single_object_prints_one_indented_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "n.json", json.dumps(notification(), indent=2))
    code, out, err = run(capsys, "assess", path)
    assert code == 0
    assert err == ""
    document = json.loads(out)
    assert document["schema"] == "leder.assessment/1"
    assert document["outcome"] == "leder_review"
    assert out.startswith("{\n")


def test_assess_array_prints_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.json", json.dumps([notification("A"), notification("B")]))
    code, out, _ = run(capsys, "assess", path)
    assert code == 0
    lines = out.splitlines()
    assert [json.loads(line)["notification_id"] for line in lines] == ["A", "B"]


def test_assess_batch_reports_every_bad_document_and_processes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = notification("B", learning_disability="yes", date_of_death="2024-03-20")
    lines = [
        json.dumps(notification("A")),
        json.dumps(bad),
        "not json {",
        "",
        json.dumps(notification("C")),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    code, out, err = run(capsys, "assess", path)
    assert code == 2
    assert [json.loads(line)["notification_id"] for line in out.splitlines()] == ["A", "C"]
    problems = err.splitlines()
    assert "$[1].person.learning_disability: expected true or false" in problems
    assert "$[1].notified_on: the notification date is before the date of death" in problems
    assert any(problem.startswith("$[2]: not valid JSON") for problem in problems)
    assert "Traceback" not in err


def test_assess_reads_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "assess", "-", stdin=json.dumps(notification()))
    assert code == 0
    assert json.loads(out)["due_on"] == "2024-09-15"


def test_assess_text_explains_rule_by_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "n.json", json.dumps(notification(ethnicity="N")))
    code, out, _ = run(capsys, "assess", path, "--format", "text")
    assert code == 0
    assert "Review level:    focused" in out
    assert "PATH-ETHNICITY" in out
    assert "<- decisive" in out
    assert "https://" in out


def test_set_overrides_the_interpretation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    person = {"lived_in_england": False, "died_in_england": True}
    path = write(tmp_path, "n.json", json.dumps(notification(**person)))
    _, out, _ = run(capsys, "assess", path)
    assert json.loads(out)["outcome"] == "out_of_scope"
    code, out, _ = run(capsys, "assess", path, "--set", "residence=either")
    assert code == 0
    document = json.loads(out)
    assert document["outcome"] == "leder_review"
    assert document["interpretation"]["residence"] == "either"


def test_bad_set_options_are_all_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "n.json", json.dumps(notification()))
    code, out, err = run(
        capsys, "assess", path, "--set", "clock=bogus", "--set", "nope=1", "--set", "x"
    )
    assert code == 2
    assert out == ""
    assert "--set clock: expected one of: excuse, stop" in err
    assert "--set nope: unknown interpretation" in err
    assert "--set: expected KEY=VALUE" in err


def test_no_person_value_reaches_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = notification(date_of_birth="2030-01-01", nhs_number="943 476 5918")
    path = write(tmp_path, "n.json", json.dumps(bad))
    code, _, err = run(capsys, "assess", path)
    assert code == 2
    for value in ("943 476 5918", "9434765918", "2030-01-01"):
        assert value not in err


def test_review_requires_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "r.json", json.dumps(review([])))
    code, out, err = run(capsys, "review", path)
    assert code == 2
    assert out == ""
    assert "--as-of" in err


def test_review_refused_event_exits_1_with_the_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = [
        {"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"},
        {
            "type": "initial_review_completed",
            "on": "2024-04-01",
            "concerns": False,
            "further_learning": False,
        },
    ]
    path = write(tmp_path, "r.json", json.dumps(review(events)))
    code, out, err = run(capsys, "review", path, "--as-of", "2024-05-01")
    assert code == 1
    result = json.loads(out)
    assert result["state"] == "initial_review"
    assert result["refused"]["index"] == 1
    assert [reason["rule"] for reason in result["refused"]["reasons"]] == ["FLOW-MIN-CONTACTS"]
    assert "$.events[1]: event refused (FLOW-MIN-CONTACTS)" in err


def test_review_text_shows_state_status_and_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = [{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}]
    path = write(tmp_path, "r.json", json.dumps(review(events)))
    code, out, _ = run(capsys, "review", path, "--as-of", "2024-09-01", "--format", "text")
    assert code == 0
    assert "State:           initial_review" in out
    assert "Status:          due soon [due_soon]" in out
    assert "allocated" in out


def test_review_rejects_a_loose_as_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "r.json", json.dumps(review([])))
    code, _, err = run(capsys, "review", path, "--as-of", "2024-9-1")
    assert code == 2
    assert "--as-of: not a date in the form YYYY-MM-DD" in err


def test_rules_json_is_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "leder.rules/1"
    assert [rule["id"] for rule in document["rules"]] == [rule.id for rule in iter_rules()]
    assert all(rule["citations"] for rule in document["rules"])


def test_rules_text_names_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for rule in iter_rules():
        assert f"{rule.id}  {rule.title}" in out


@pytest.mark.parametrize("output_format", ["dot", "mermaid"])
def test_diagram_draws_every_state_and_transition_rule(
    output_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diagram", "--format", output_format)
    assert code == 0
    for state in ReviewState:
        assert state.value in out
    for transition in TRANSITIONS.values():
        if any(source not in targets for source, targets in transition.targets.items()):
            assert transition.rule.id in out


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "assess", "/nonexistent/notifications.json")
    assert code == 2
    assert "cannot read" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "frobnicate")
    assert code == 2


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    path = write(tmp_path, "n.json", json.dumps(notification()))
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "leder_core", "assess", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["outcome"] == "leder_review"


@pytest.mark.usefixtures("cli_sample")  # the sample is built once per session
def test_report_on_the_bundled_sample_lands_near_the_published_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "report", "--sample", "--as-of", "2025-07-31", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "leder.indicators/1"
    assert 0.30 <= document["total"]["within_six_months_share"] <= 0.40


def test_report_needs_a_file_or_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", "--as-of", "2025-07-31")
    assert code == 2
    assert "give one of FILE, --sample or --store URL" in err


def test_report_csv_and_text_by_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sample", "--count", "300", "--seed", "3")
    assert code == 0
    assert len(out.splitlines()) == 300
    path = write(tmp_path, "reviews.jsonl", out)
    code, csv_out, _ = run(
        capsys, "report", path, "--as-of", "2026-10-31", "--by", "body", "--format", "csv"
    )
    assert code == 0
    rows = csv_out.splitlines()
    assert rows[0].startswith("group,key,notified,in_scope")
    assert rows[1].startswith("total,,300,")
    assert any(row.startswith("body,Q") for row in rows)
    code, text_out, _ = run(capsys, "report", path, "--as-of", "2026-01-01", "--by", "body")
    assert code == 0
    assert "Integrated Care Board" in text_out or "ICB" in text_out


def test_report_counts_the_valid_documents_and_reports_the_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = review([{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}])
    bad = review([{"type": "allocated", "on": "2024-03-20"}])
    path = write(tmp_path, "r.jsonl", json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    code, out, err = run(capsys, "report", path, "--as-of", "2024-12-31", "--format", "json")
    assert code == 2
    assert json.loads(out)["total"]["notified"] == 1
    assert "$[1].events[0].reviewer: required key missing" in err


GOVERNANCE = {
    "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
    "governance_group_established_on": "2021-06-01",
    "executive_lead": "Chief Nursing Officer",
}


def test_governance_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "g.json", json.dumps(GOVERNANCE))
    code, out, _ = run(capsys, "governance", path, "--as-of", "2024-01-01", "--format", "json")
    assert code == 0
    statuses = {item["rule"]: item["status"] for item in json.loads(out)["requirements"]}
    assert statuses["GOV-GROUP"] == "late"
    assert statuses["GOV-LAC"] == "missing"
    code, out, _ = run(capsys, "governance", path, "--as-of", "2024-01-01")
    assert code == 0
    assert "GOV-GROUP" in out
    assert "late" in out


def test_governance_reports_an_unknown_body_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrangements = {**GOVERNANCE, "body": {"code": "QZZ", "kind": "icb"}}
    path = write(tmp_path, "g.json", json.dumps(arrangements))
    code, _, err = run(capsys, "governance", path, "--as-of", "2024-01-01", "--format", "json")
    assert code == 0
    assert "QZZ is not in the directory" in err


def test_governance_names_a_body_of_the_2026_mergers_from_the_directory_over_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's directory note reads the responsible bodies over time (BODY-DIRECTORY), so a
    body created on 2026-04-01 is named, and is unknown before it existed."""
    arrangements = {**GOVERNANCE, "body": {"code": "S1Y5D", "kind": "icb"}}
    path = write(tmp_path, "g.json", json.dumps(arrangements))
    code, out, _ = run(capsys, "governance", path, "--as-of", "2026-06-01")
    assert code == 0
    assert "S1Y5D is NHS Central East Integrated Care Board in the directory" in out
    code, out, _ = run(capsys, "governance", path, "--as-of", "2025-06-01")
    assert code == 0
    assert "S1Y5D is formed on 2026-04-01, after 2025-06-01" in out
    assert "Summary:          9 not applicable" in out
    assert "not in the directory" not in out


#: The rulebook's example of a body formed by a succession (GOV-SUCCESSION): Central East ICB,
#: formed on 2026-04-01, with everything in place from its first day and no annual report yet.
CENTRAL_EAST = {
    "body": {"code": "S1Y5D", "name": "NHS Central East Integrated Care Board", "kind": "icb"},
    "governance_group_established_on": "2026-04-01",
    "executive_lead": "Chief Nursing Officer",
    "local_area_contact": "LeDeR local area contact",
    "reviewers": [{"id": "R-1", "trained_on": "2026-04-10"}],
    "action_plan": {"from": "2026-04-01", "to": "2029-03-31"},
    "quality_reporting_from": "2026-04-01",
}


def test_governance_judges_an_icb_of_2026_from_its_first_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GOV-SUCCESSION on the command line: no late, no missing for Central East ICB on
    2026-06-01, and the directory names it."""
    path = write(tmp_path, "g.json", json.dumps(CENTRAL_EAST))
    code, out, err = run(capsys, "governance", path, "--as-of", "2026-06-01")
    assert (code, err) == (0, "")
    rows = [line for line in out.splitlines() if line.startswith("GOV-") and line[22:24] == "  "]
    shown = [line[24:38].strip() for line in rows]
    assert len(shown) == 9
    assert "late" not in shown
    assert "missing" not in shown
    assert "Summary:          6 met, 1 not yet due, 2 not applicable" in out
    assert "2021/22, 2022/23, 2023/24, 2024/25 were its predecessors', not judged" in out
    assert "not in the directory" not in out
    code, out, _ = run(capsys, "governance", path, "--as-of", "2026-06-01", "--format", "json")
    statuses = {item["rule"]: item["status"] for item in json.loads(out)["requirements"]}
    assert "late" not in statuses.values()
    assert "missing" not in statuses.values()
    assert statuses["GOV-ANNUAL-REPORT"] == "not_yet_due"


def test_governance_of_a_split_icb_names_its_successors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arrangements = {**GOVERNANCE, "body": {"code": "QM7", "kind": "icb"}}
    path = write(tmp_path, "g.json", json.dumps(arrangements))
    code, out, err = run(capsys, "governance", path, "--as-of", "2026-06-01", "--format", "json")
    assert code == 0
    statuses = {item["status"] for item in json.loads(out)["requirements"]}
    assert statuses == {"not_applicable"}
    assert err.startswith("note: QM7 ceased on 2026-04-01 (split): on 2026-06-01 its area is ")
    assert "D7T5G" in err
    assert "S1Y5D" in err


def test_governance_takes_a_timeliness_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """INT-TIMELINESS on the command line: --set timeliness=0.8, recorded and applied."""
    path = write(tmp_path, "g.json", json.dumps(GOVERNANCE))
    code, out, _ = run(
        capsys,
        "governance",
        path,
        "--as-of",
        "2024-01-01",
        "--format",
        "json",
        "--set",
        "timeliness=0.8",
    )
    assert code == 0
    assert json.loads(out)["interpretation"]["timeliness"] == 0.8
    for bad in ("0", "1.5", "most", "nan"):
        code, _, err = run(
            capsys, "governance", path, "--as-of", "2024-01-01", "--set", f"timeliness={bad}"
        )
        assert code == 2
        assert err == (
            "--set timeliness: expected every_review or a number greater than 0 and at most 1\n"
        )


def test_governance_with_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "g.json", json.dumps(GOVERNANCE))
    overdue = review([{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}])
    overdue["notification"]["responsible_body"] = "00Q"  # a SICBL of QE1 (Blackburn with Darwen)
    reviews = write(tmp_path, "r.json", json.dumps([overdue]))
    code, out, err = run(
        capsys,
        "governance",
        path,
        "--as-of",
        "2025-01-01",
        "--reviews",
        reviews,
        "--format",
        "json",
    )
    assert code == 0
    statuses = {item["rule"]: item["status"] for item in json.loads(out)["requirements"]}
    assert statuses["GOV-TIMELINESS"] == "late"
    assert "note:" not in err  # nothing was left out


def test_governance_keeps_only_the_reviews_of_the_body_on_the_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "g.json", json.dumps(GOVERNANCE))
    events = [{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}]
    documents = []
    for index, body in enumerate(["QOP", "00T", None, "QZZ9"]):
        document = review(events)
        document["notification"]["id"] = f"N-{index}"
        document["notification"]["responsible_body"] = body
        documents.append(document)
    reviews = write(tmp_path, "r.json", json.dumps(documents))
    argv = ("governance", path, "--as-of", "2025-01-01", "--reviews", reviews)
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0
    statuses = {item["rule"]: item["status"] for item in json.loads(out)["requirements"]}
    assert statuses["GOV-TIMELINESS"] == "not_applicable"  # none of them is QE1's
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: 4 reviews left out: their body on 2025-01-01 is not QE1: "
        "QOP (2), unknown (1), unknown:QZZ9 (1)"
    ]


def test_body_explains_the_chain_of_steps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "body", "06K", "--as-of", "2026-06-01")
    assert code == 0
    assert out.splitlines() == [
        "06K on 2026-06-01: S1Y5D NHS Central East Integrated Care Board (icb)",
        "  2021-06-01  hosted     06K -> QM7",
        "  2022-07-01  abolition  06K -> QM7",
        "  2026-04-01  split      QM7 -> S1Y5D",
    ]
    code, out, _ = run(capsys, "body", "QM7", "--as-of", "2026-06-01", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "leder.body/1"
    assert (document["key"], document["candidates"]) == ("unresolved:QM7", ["D7T5G", "S1Y5D"])
    code, out, _ = run(capsys, "body", "QM7", "--as-of", "2026-06-01")
    assert "candidates: D7T5G NHS Essex Integrated Care Board" in out


def test_the_text_report_by_body_names_bodies_and_notes_the_groups_that_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = [{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}]
    documents = []
    for index, body in enumerate(["06K", "QM7", None, "QZZ9", "QU9"]):
        document = review(events)
        document["notification"]["id"] = f"N-{index}"
        document["notification"]["responsible_body"] = body
        documents.append(document)
    path = write(tmp_path, "r.json", json.dumps(documents))
    code, out, _ = run(capsys, "report", path, "--as-of", "2026-06-01", "--by", "body")
    assert code == 0
    labels = [line.split("  ")[0] for line in out.splitlines()[7:12]]
    assert labels == [
        "S0E4D NHS Thames Valley Integrated Care Board",
        "S1Y5D NHS Central East Integrated Care Board",
        "unknown",
        "unknown:QZZ9",
        "unresolved:QM7",
    ]
    assert out.splitlines()[-2:] == [
        "note: unresolved (a split the recorded code cannot settle, never guessed): "
        "unresolved:QM7 (candidates D7T5G, S1Y5D)",
        "note: unknown (no code, or a code the directory does not know on 2026-06-01): "
        "unknown, unknown:QZZ9",
    ]


def test_body_needs_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "body", "06K")
    assert code == 2
    assert "--as-of" in err


def test_report_and_body_take_ods_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = [""] * 27
    board = list(blank)
    board[:4] = ["X1Y2Z", "NHS NEW WESSEX INTEGRATED CARE BOARD", "Y59", ""]
    board[10] = "20270401"
    eother = write(tmp_path, "eother.csv", ",".join(board) + "\n")
    succ = write(tmp_path, "succ.csv", "QVV,X1Y2Z,,20270401,\nQSL,X1Y2Z,,20270401,\n")
    code, out, _ = run(
        capsys, "body", "11J", "--as-of", "2027-05-01", "--ods", eother, "--ods", succ
    )
    assert code == 0
    assert (
        out.splitlines()[0] == "11J on 2027-05-01: X1Y2Z NHS NEW WESSEX INTEGRATED CARE BOARD (icb)"
    )
    assert out.splitlines()[-1] == "  2027-04-01  merger     QVV -> X1Y2Z"
    single = review([{"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"}])
    single["notification"]["responsible_body"] = "QSL"
    reviews = write(tmp_path, "r.json", json.dumps([single]))
    argv = ("report", reviews, "--as-of", "2027-05-01", "--by", "body", "--format", "json")
    code, out, _ = run(capsys, *argv, "--ods", eother, "--ods", succ)
    assert code == 0
    assert list(json.loads(out)["by_body"]) == ["X1Y2Z"]
    code, out, _ = run(capsys, *argv)
    assert list(json.loads(out)["by_body"]) == ["QSL"]


def test_governance_reads_the_directory_extended_by_ods_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One directory: GOV-SUCCESSION reads the --ods files as body_on and report do."""
    blank = [""] * 27
    board = list(blank)
    board[:4] = ["X1Y2Z", "NHS NEW WESSEX INTEGRATED CARE BOARD", "Y59", ""]
    board[10] = "20270401"
    eother = write(tmp_path, "eother.csv", ",".join(board) + "\n")
    succ = write(tmp_path, "succ.csv", "QVV,X1Y2Z,,20270401,\nQSL,X1Y2Z,,20270401,\n")
    formed = {**CENTRAL_EAST, "body": {"code": "X1Y2Z", "kind": "icb"}}
    formed["governance_group_established_on"] = "2027-04-01"
    path = write(tmp_path, "g.json", json.dumps(formed))
    argv = ("governance", path, "--as-of", "2027-06-01", "--format", "json")
    code, out, err = run(capsys, *argv, "--ods", eother, "--ods", succ)
    assert (code, err) == (0, "")
    group = json.loads(out)["requirements"][0]
    assert group["status"] == "met"
    assert "X1Y2Z was formed on 2027-04-01 from QSL, QVV" in group["evidence"]
    code, out, err = run(capsys, *argv)  # the bundled directory does not know it
    assert json.loads(out)["requirements"][0]["status"] == "late"
    assert "X1Y2Z is not in the directory" in err
    merged = write(
        tmp_path, "m.json", json.dumps({**GOVERNANCE, "body": {"code": "QVV", "kind": "icb"}})
    )
    code, out, _ = run(
        capsys, "governance", merged, "--as-of", "2027-06-01", "--ods", eother, "--ods", succ
    )
    assert code == 0
    assert "Summary:          9 not applicable" in out
    assert "its area is held on 2027-06-01 by X1Y2Z (NHS NEW WESSEX INTEGRATED CARE BOARD)" in (
        " ".join(out.split())
    )


def test_an_unrecognised_ods_file_is_bad_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write(tmp_path, "other.csv", "a,b,c\n")
    code, _, err = run(capsys, "body", "06K", "--as-of", "2026-06-01", "--ods", other)
    assert code == 2
    assert f"{other}: not an ODS eccg.csv, eother.csv or succ.csv file" in err


@pytest.mark.parametrize(
    "name",
    [
        "notification",
        "assessment",
        "review",
        "review-result",
        "indicators",
        "governance",
        "governance-report",
        "interpretation",
    ],
)
def test_schema_prints_every_document_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", name)
    assert code == 0
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_sample_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = run(capsys, "sample", "--count", "50", "--seed", "9")
    _, second, _ = run(capsys, "sample", "--count", "50", "--seed", "9")
    _, other, _ = run(capsys, "sample", "--count", "50", "--seed", "10")
    assert first == second
    assert first != other


def test_a_batch_prints_json_lines_even_when_only_one_document_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"id": "B"}
    path = write(tmp_path, "a.json", json.dumps([notification("A"), bad]))
    code, out, _ = run(capsys, "assess", path)
    assert code == 2
    assert len(out.splitlines()) == 1
    assert json.loads(out)["notification_id"] == "A"


@pytest.mark.usefixtures("cli_sample")  # the sample is built once per session
def test_report_with_a_local_service_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "report", "--sample", "--as-of", "2025-07-31", "--format", "json",
        "--service-level", "allocation=notified:allocated:5",
    )  # fmt: skip
    assert code == 0
    levels = json.loads(out)["total"]["service_levels"]
    assert [level["name"] for level in levels] == ["allocation"]
    assert levels[0]["met"] + levels[0]["late"] <= levels[0]["started"]


def test_a_bad_service_level_is_a_usage_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "report", "--sample", "--as-of", "2025-07-31", "--service-level", "x=a:b"
    )
    assert code == 2
    assert out == ""
    assert "--service-level: expected NAME=FROM:TO:DAYS" in err


def test_rules_json_matches_its_schema_and_the_registry_word_for_word(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    document = json.loads(out)
    Draft202012Validator(json_schema("rules")).validate(document)
    # The wire format, written out field by field from the registry: same keys, same order.
    expected = {
        "schema": "leder.rules/1",
        "rules": [
            {
                "id": rule.id,
                "title": rule.title,
                "text": rule.text,
                "section": rule.section,
                "rulesets": [ruleset.value for ruleset in rule.rulesets],
                "effective_from": rule.effective_from and rule.effective_from.isoformat(),
                "effective_to": rule.effective_to and rule.effective_to.isoformat(),
                "confidence": rule.confidence.value,
                "interpretations": list(rule.interpretations),
                "citations": [{"title": c.title, "url": c.url} for c in rule.citations],
            }
            for rule in iter_rules()
        ],
    }
    assert json.dumps(document) == json.dumps(expected)


def subcommand_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser under ``parser`` that runs a command (``store`` itself only groups)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                if subparser.get_default("handler") is not None:
                    yield subparser
                yield from subcommand_parsers(subparser)


def test_every_command_names_a_function_that_exists() -> None:
    parsers = list(subcommand_parsers(build_parser()))
    assert len(parsers) == 15  # 11 commands and the 4 actions of `leder store`
    for subparser in parsers:
        handler = subparser.get_default("handler")
        module = importlib.import_module(f"leder_core.cli.{handler.module}")
        assert callable(getattr(module, handler.function)), subparser.prog


def test_help_and_assess_do_not_import_the_store_the_service_or_fhir(tmp_path: Path) -> None:
    """Each command's module is imported when the command runs, so the usage and ``assess``
    do not load what other commands need."""
    path = write(tmp_path, "n.json", notification())
    program = (
        "import sys\n"
        "from leder_core.cli import build_parser, main\n"
        "build_parser().format_help()\n"
        "code = main(['assess', sys.argv[1]])\n"
        "heavy = ('leder_core.store', 'leder_core.server', 'leder_core.fhir')\n"
        "print(code, sorted(name for name in sys.modules if name.startswith(heavy)))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", program, path], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 []"
