"""The live servers of the service tests, started once per session.

``live`` is the service without tokens over a temporary SQLite store; ``guarded`` the same
with a tokens file (one read, one write token) and a 4 KiB body limit; ``backend`` runs over
each backend: SQLite, and PostgreSQL when ``LEDER_TEST_POSTGRES_URL`` names a server (skipped
with the reason when not, outside CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the server extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the server extra (uvicorn) is not installed")

from server_harness import READ_TOKEN, WRITE_TOKEN, LiveServer, start_server

POSTGRES_ENV = "LEDER_TEST_POSTGRES_URL"


def _sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'reviews.db'}"


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from start_server(_sqlite_url(tmp_path_factory.mktemp("live")))


@pytest.fixture(scope="session")
def tokens_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("tokens") / "tokens"
    path.write_text(f"# the test tokens\n{READ_TOKEN} read\n\n{WRITE_TOKEN} write\n", "utf-8")
    return str(path)


@pytest.fixture(scope="session")
def guarded(tmp_path_factory: pytest.TempPathFactory, tokens_file: str) -> Iterator[LiveServer]:
    yield from start_server(
        _sqlite_url(tmp_path_factory.mktemp("guarded")), tokens=tokens_file, max_body=4096
    )


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set in CI")
    pytest.skip(f"no PostgreSQL: set {POSTGRES_ENV} to run the service over it")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        url = _sqlite_url(tmp_path_factory.mktemp("backend"))
    else:
        url = _postgres_url()
    yield from start_server(url)
