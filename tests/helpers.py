"""Helpers the test modules share: running the ``leder`` command in-process, writing input files,
merging a change into a document, and finding a section of a built page.

Import them by module name (``from helpers import run, write``): the pytest configuration puts
``tests/`` on the import path, so test modules never import from one another.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from leder_core.cli import main

if TYPE_CHECKING:  # docutils comes with the docs tools, which only the docs tests need
    from docutils import nodes

#: A notification with its required facts only (every default taken), for tests to build on
#: (``{**MINIMAL_NOTIFICATION, "id": ...}``); never changed in place.
MINIMAL_NOTIFICATION: dict[str, Any] = {
    "id": "N-1",
    "notified_on": "2024-03-15",
    "notifier_role": "gp",
    "person": {
        "date_of_birth": "1970-01-01",
        "date_of_death": "2024-03-10",
        "learning_disability": True,
        "autism": "none",
        "lived_in_england": True,
    },
}


def contract_minimal_notification() -> dict[str, Any]:
    """The example notification of docs/notification-format.md with only its required keys:
    a new document on every call, so a test may change it."""
    return {
        "id": "N-2024-000123",
        "notified_on": "2024-03-15",
        "notifier_role": "health_professional",
        "person": {
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": True,
            "autism": "none",
            "lived_in_england": True,
        },
    }


def contract_notification() -> dict[str, Any]:
    """The example on docs/notification-format.md (``data/examples/notification.json``),
    every key given: a new document on every call."""
    document = contract_minimal_notification()
    document["person"] = {
        "nhs_number": "943 476 5919",
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
    }
    document["other_processes"] = []
    document["responsible_body"] = "QE1"
    return document


#: In a change given to :func:`merged`, the value that removes its key.
ABSENT = "__absent__"


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | bytes | None = None
) -> tuple[int, str, str]:
    """Run ``leder ARGV`` in this process: its exit code, standard output and standard error.

    ``stdin``, when given, is what the command reads as its standard input (text as UTF-8).
    """
    if stdin is not None:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, name: str, content: str | bytes | object) -> str:
    """Write ``content`` to ``tmp_path/name`` and return the path as the command takes it.

    Text is written as UTF-8, bytes as they are, anything else as its JSON.
    """
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
    return str(path)


def write_lines(tmp_path: Path, name: str, lines: list[str]) -> str:
    """Write ``lines``, each ended by a newline, to ``tmp_path/name``; return its path."""
    return write(tmp_path, name, "".join(f"{line}\n" for line in lines))


def merged(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``change`` merged in, key by key into nested objects; neither is changed.

    A value of :data:`ABSENT` removes its key.
    """
    result = copy.deepcopy(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        elif value == ABSENT:
            result.pop(key, None)
        else:
            result[key] = copy.deepcopy(value)
    return result


def section(doctree: nodes.document, anchor: str) -> nodes.section:
    """The section of a built page whose ids hold ``anchor``; fails the test when there is none."""
    from docutils import nodes

    for found in doctree.findall(nodes.section):
        if anchor in found["ids"]:
            return found
    raise AssertionError(f"no section {anchor}")


@contextmanager
def postgres_schema(server: str) -> Iterator[str]:
    """A URL on the PostgreSQL ``server`` whose tables live in a fresh schema of their own,
    dropped afterwards, so that tests sharing one cluster never see each other's reviews."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
