"""Every byte handled: what ``leder`` does with input that is not UTF-8, has a BOM or is empty.

Input that is not UTF-8 text (binary data, UTF-16, Latin-1) is bad input, exit code 2, with a
message naming the file (and the line, for JSON Lines); a UTF-8 byte order mark is read; an
input with no documents says so and exits 2. Exit code 3 is kept for a defect of ours. Each
case is run through every command that reads files.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import run, write
from leder_core.sample import sample_reviews

REVIEWS = list(sample_reviews(count=3))
NOTIFICATIONS = [document["notification"] for document in REVIEWS]
GOVERNANCE: dict[str, Any] = {"body": {"code": "QE1", "kind": "icb"}}
AS_OF = ("--as-of", "2025-07-31")


def json_lines(documents: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(document, ensure_ascii=False) + "\n" for document in documents)


# (command arguments before/after the file, the documents the file holds)
Command = Callable[[str], list[str]]
COMMANDS: dict[str, tuple[Command, list[dict[str, Any]]]] = {
    "assess": (lambda path: ["assess", path], NOTIFICATIONS),
    "review": (lambda path: ["review", path, *AS_OF], REVIEWS),
    "report": (lambda path: ["report", path, *AS_OF, "--format", "json"], REVIEWS),
    "governance": (lambda path: ["governance", path, *AS_OF, "--format", "json"], [GOVERNANCE]),
}


def _governance_with_reviews(tmp_path: Path) -> Command:
    arrangements = tmp_path / "arrangements.json"
    arrangements.write_text(json.dumps(GOVERNANCE), encoding="utf-8")
    return lambda path: ["governance", str(arrangements), *AS_OF, "--reviews", path]


def commands(tmp_path: Path) -> dict[str, tuple[Command, list[dict[str, Any]]]]:
    every = dict(COMMANDS)
    every["governance --reviews"] = (_governance_with_reviews(tmp_path), REVIEWS)
    return every


NAMES = [*COMMANDS, "governance --reviews"]


@pytest.mark.parametrize("command", NAMES)
@pytest.mark.parametrize(
    ("encoding", "why"),
    [
        ("utf-16", "starts with a UTF-16 byte order mark"),
        ("utf-16-le", "has NUL bytes"),
        ("utf-32", "starts with a UTF-16 byte order mark"),
    ],
)
def test_utf16_and_utf32_are_bad_input_naming_the_file(
    command: str, encoding: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, documents = commands(tmp_path)[command]
    path = write(tmp_path, "in.jsonl", json_lines(documents).encode(encoding))
    code, _, err = run(capsys, *argv(path))
    assert code == 2, err
    assert f"not UTF-8 text: {path}" in err
    assert why in err
    assert "internal error" not in err


@pytest.mark.parametrize("command", NAMES)
def test_binary_data_is_bad_input(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, _ = commands(tmp_path)[command]
    path = write(tmp_path, "in.bin", bytes(range(256)) * 8)
    code, _, err = run(capsys, *argv(path))
    assert code == 2, err
    assert f"not UTF-8 text: {path} line 1" in err
    assert "internal error" not in err


@pytest.mark.parametrize("command", NAMES)
def test_a_latin1_line_is_bad_input_naming_file_and_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, documents = commands(tmp_path)[command]
    lines = json_lines(documents).splitlines(keepends=True)
    # "é" in Latin-1 is the byte 0xE9, never valid on its own in UTF-8.
    encoded = [line.encode("utf-8") for line in lines]
    encoded.insert(1, '{"note": "café"}\n'.encode("latin-1"))
    path = write(tmp_path, "in.jsonl", b"".join(encoded))
    code, out, err = run(capsys, *argv(path))
    assert code == 2, err
    assert f"$[1]: not UTF-8 text: {path} line 2 has a byte that is not UTF-8 at column 14" in err
    assert "internal error" not in err
    if command in ("assess", "review"):
        # Every other line is still read and answered.
        assert len(out.splitlines()) == len(documents)


@pytest.mark.parametrize("command", NAMES)
@pytest.mark.parametrize("shape", ["json lines", "pretty", "array"])
def test_a_utf8_bom_is_read(
    command: str, shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, documents = commands(tmp_path)[command]
    if shape == "json lines":
        text = json_lines(documents)
    elif shape == "pretty":
        text = json.dumps(documents[0], indent=2)
    else:
        text = json.dumps(documents)
    path = write(tmp_path, "in.json", codecs.BOM_UTF8 + text.encode("utf-8"))
    bare = write(tmp_path, "bare.json", text.encode("utf-8"))
    code, out, err = run(capsys, *argv(path))
    bare_code, bare_out, _ = run(capsys, *argv(bare))
    assert code == bare_code
    assert code in (0, 1), err  # review exits 1 when a sample review has a refused event
    assert "not valid JSON" not in err
    assert out == bare_out


@pytest.mark.parametrize("command", NAMES)
@pytest.mark.parametrize("content", [b"", b"\n", b" \n\t\n\r\n", codecs.BOM_UTF8 + b"\n"])
def test_an_empty_input_says_so_and_exits_2(
    command: str, content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, _ = commands(tmp_path)[command]
    path = write(tmp_path, "in.json", content)
    code, out, err = run(capsys, *argv(path))
    assert code == 2
    assert err.strip().endswith(f"leder: {path}: empty input, no documents to read")
    assert out == ""


def test_stdin_gets_the_same_care(capsys: pytest.CaptureFixture[str]) -> None:
    lines = json_lines(NOTIFICATIONS).encode("utf-8")
    code, out, _ = run(capsys, "assess", "-", stdin=codecs.BOM_UTF8 + lines)
    assert code == 0
    assert len(out.splitlines()) == len(NOTIFICATIONS)
    code, _, err = run(capsys, "assess", "-", stdin=lines.decode().encode("utf-16"))
    assert code == 2
    assert "not UTF-8 text: stdin starts with a UTF-16 byte order mark" in err
    code, _, err = run(capsys, "assess", "-", stdin=b"")
    assert code == 2
    assert "leder: stdin: empty input" in err


def test_a_json_error_after_blank_lines_gives_the_true_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "in.json", b'\n\n[\n  {"id": 1},\n\n  oops\n]\n')
    code, _, err = run(capsys, "assess", path)
    assert code == 2
    assert "$: not valid JSON (line 6, column 3)" in err


def test_a_bad_first_line_of_json_lines_leaves_the_others_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rest = json_lines(NOTIFICATIONS).encode("utf-8")
    path = write(tmp_path, "in.jsonl", '{"id": "é"}\n'.encode("latin-1") + rest)
    code, out, err = run(capsys, "assess", path)
    assert code == 2
    assert f"$[0]: not UTF-8 text: {path} line 1" in err
    assert len(out.splitlines()) == len(NOTIFICATIONS)


@pytest.mark.parametrize(
    "name",
    [
        "notification",
        "leder.notification/1",
        "review-result",
        "leder.review-result/1",
        "leder.governance-report/1",
        "leder.interpretation/1",
    ],
)
def test_schema_takes_the_short_name_or_the_documents_own(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "schema", name)
    assert code == 0
    short = name.removeprefix("leder.").removesuffix("/1")
    assert json.loads(out)["$id"].endswith(f"leder.{short}-1.json")


def test_every_schema_has_both_names(capsys: pytest.CaptureFixture[str]) -> None:
    from leder_core.schema import SCHEMA_NAMES

    for short, spec in SCHEMA_NAMES.items():
        _, by_short, _ = run(capsys, "schema", short)
        _, by_document, _ = run(capsys, "schema", spec.document)
        assert by_short == by_document, short


def test_schema_refuses_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "schema", "leder.notification/2")
    assert code == 2
    assert "invalid choice" in err
