"""Docs that cannot drift: every ``leder`` output shown in the docs is what the command prints.

Every ```` ```console ```` or ```` ```text ```` block of ``README.md`` and ``docs/**/*.md`` is
read as a shell session: a line starting with ``$ `` is a command (``\\`` continues it), and the
lines after it, up to the next command, are what it prints (stdout, then stderr; only stderr
when the command sends stdout to a file with ``> FILE``). Each ``leder`` command shown with
output is run here, in a directory holding the files the pages
name (``notification.json`` is the bundled example), and its real output must match the one
shown. A line of the shown output may leave a part out with ``...``, as in a doctest.
"""

from __future__ import annotations

import contextlib
import doctest
import json
import re
import shlex
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import pytest

from leder_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
PAGES = [page for page in PAGES if "_build" not in page.parts]
_FENCE = re.compile(r"^```(console|text|sh|shell)\s*$")
#: The input files the shown commands name, by name.
EXAMPLE = files("leder_core").joinpath("data/examples/notification.json").read_text("utf-8")
INPUTS = {
    "notification.json": EXAMPLE,
    # The override how-to's running example: a person from "any other White background".
    "notification-c.json": EXAMPLE.replace('"ethnicity": "A"', '"ethnicity": "C"'),
    # The command-line page's batch with a bad second document: a wrong check digit, and a
    # date of death that does not exist.
    "notifications.jsonl": "".join(
        json.dumps(document) + "\n"
        for document in (
            json.loads(EXAMPLE),
            {
                **json.loads(EXAMPLE),
                "person": {
                    **json.loads(EXAMPLE)["person"],
                    "nhs_number": "943 476 5918",
                    "date_of_death": "2024-02-30",
                },
            },
            json.loads(EXAMPLE),
        )
    ),
}
#: A command whose stdout goes to a file: what is shown after it is its stderr.
_TO_FILE = re.compile(r"\s>\s*[\w.-]+\s*$")


class Shown(NamedTuple):
    """A command shown in the docs with the output shown for it."""

    page: str
    line: int
    command: str
    output: str


def sessions(page: Path, root: Path = ROOT) -> Iterator[Shown]:
    """Every command of a page's shell blocks with the output shown after it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    inside = False
    command: str | None = None
    start = 0
    output: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not inside:
            inside = bool(_FENCE.match(line))
            continue
        if line.startswith("```") or line.startswith("$ "):
            if command is not None:
                yield Shown(page.relative_to(root).as_posix(), start, command, "\n".join(output))
            command, output = None, []
            if line.startswith("```"):
                inside = False
                continue
            command, start = line[2:], number
        elif command is not None and command.endswith("\\"):
            command = command[:-1] + " " + line.strip()
        else:
            output.append(line)


def shown_outputs() -> list[Shown]:
    """The ``leder`` commands shown with an output (not redirected, not piped)."""
    every = [shown for page in PAGES for shown in sessions(page)]
    return [
        shown
        for shown in every
        if shown.command.startswith("leder ")
        and shown.output.strip()
        and not re.search(r"[|<>]", _TO_FILE.sub("", shown.command))
    ]


SHOWN = shown_outputs()


def test_the_inputs_are_what_the_pages_say() -> None:
    assert '"ethnicity": "C"' in INPUTS["notification-c.json"]


def test_the_docs_show_command_outputs() -> None:
    # The pages this test guards: if the parsing broke, it would silently check nothing.
    pages = {shown.page for shown in SHOWN}
    assert {"docs/tutorial.md", "docs/how-to/override-interpretation.md", "docs/cli.md"} <= pages
    assert len(SHOWN) >= 5


def printed_by(command: str, directory: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``leder`` prints for a shown command line, run in ``directory``: stdout, then
    stderr."""
    for name, text in INPUTS.items():
        (directory / name).write_text(text, encoding="utf-8")
    to_file = _TO_FILE.search(command) is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(directory)
        with contextlib.suppress(SystemExit):  # --version ends argparse's way
            main(shlex.split(_TO_FILE.sub("", command))[1:])
    captured = capsys.readouterr()
    return captured.err if to_file else captured.out + captured.err


def agrees(shown: Shown, printed: str) -> bool:
    """Whether the shown output is the printed one (``...`` standing for any text)."""
    want = shown.output.strip("\n") + "\n"
    return doctest.OutputChecker().check_output(want, printed, doctest.ELLIPSIS)


@pytest.mark.parametrize("shown", SHOWN, ids=[f"{s.page}:{s.line}" for s in SHOWN])
def test_a_shown_output_is_what_the_command_prints(
    shown: Shown, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = printed_by(shown.command, tmp_path, capsys)
    assert agrees(shown, printed), (
        f"{shown.page} line {shown.line}: `{shown.command}` prints something else; "
        "paste its real output into the page:\n" + printed
    )


def test_a_page_showing_another_output_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text("Text.\n\n```console\n$ leder --version\nleder 0.0.0\n```\n", "utf-8")
    [shown] = list(sessions(page, tmp_path))
    assert shown == Shown("page.md", 4, "leder --version", "leder 0.0.0")
    printed = printed_by(shown.command, tmp_path, capsys)
    assert printed.startswith("leder ")
    assert not agrees(shown, printed)
    assert agrees(shown._replace(output="leder ..."), printed)
