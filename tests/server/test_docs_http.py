"""The curl examples of docs/how-to/http.md, run against a live server in page order.

Each ```` ```console ```` block is one ``curl`` command and the answer it shows: the status
line, headers, and a JSON document whose keys and values (``"..."``: any value) the real
answer must have. The command is read as curl reads it (method, headers, data, URL) and sent
with httpx to the live server instead of 127.0.0.1:8080.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from server_harness import LiveServer, start_server

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "http.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    if not PAGE.exists():
        pytest.skip("docs/how-to/http.md is not here (an installed-wheel run)")
    examples = []
    for block in _BLOCK.findall(PAGE.read_text("utf-8")):
        lines = block.splitlines()
        command: list[str] = []
        while lines:
            line = lines.pop(0)
            command.append(line.removeprefix("$ ").rstrip("\\").strip())
            if not line.endswith("\\"):
                break
        examples.append((" ".join(command), "\n".join(lines)))
    return examples


def _curl(command: str) -> tuple[str, str, dict[str, str], bytes | None]:
    words = shlex.split(command)
    assert words[0] == "curl"
    method, headers, data, url = "GET", {}, None, ""
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-X", "--request"):
            method = words[index + 1]
            index += 1
        elif word in ("-H", "--header"):
            name, _, value = words[index + 1].partition(":")
            headers[name.strip()] = value.strip()
            index += 1
        elif word in ("-d", "--data"):
            data = words[index + 1].encode()
            index += 1
        elif word.startswith("-"):
            assert word in ("-s", "-i", "-si"), word
        else:
            url = word
        index += 1
    if data is not None and method == "GET":
        method = "POST"
    parts = urlsplit(url)
    assert parts.netloc == "127.0.0.1:8080"
    return method, parts.path + (f"?{parts.query}" if parts.query else ""), headers, data


def _matches(shown: Any, answer: Any) -> bool:
    if shown == "...":
        return True
    if isinstance(shown, dict):
        return isinstance(answer, dict) and all(
            key in answer and _matches(value, answer[key]) for key, value in shown.items()
        )
    if isinstance(shown, list):
        return isinstance(answer, list) and all(
            any(_matches(item, given) for given in answer) for item in shown
        )
    return bool(shown == answer)


def test_the_page_has_examples() -> None:
    assert len(_examples()) >= 10


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the page's figures count only its own reviews."""
    yield from start_server(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'reviews.db'}")


def test_every_curl_example_answers_as_shown(fresh: LiveServer) -> None:
    for command, shown in _examples():
        method, path, headers, data = _curl(command)
        response = fresh.request(method, path, headers=headers, content=data)
        status_line, _, rest = shown.partition("\n")
        head, _, body = rest.partition("\n\n")
        status = int(status_line.split()[1])
        assert response.status_code == status, (command[:80], response.text[:300])
        for line in head.splitlines():
            name, _, value = line.partition(":")
            assert response.headers.get(name.strip()) == value.strip(), (command[:80], line)
        if body.strip():
            assert _matches(json.loads(body), response.json()), (command[:80], response.text)
