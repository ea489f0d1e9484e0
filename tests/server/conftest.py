"""The live servers of the service tests, started once per session.

``live`` is the service without tokens over a temporary SQLite store; ``guarded`` the same
with a tokens file (one read, one write token) and a 4 KiB body limit; ``backend`` runs over
each backend: SQLite, and PostgreSQL from ``LEDER_TEST_POSTGRES_URL`` or a throwaway cluster
(skipped with the reason when there is neither, a failure under ``CI=true``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette", reason="the server extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the server extra (uvicorn) is not installed")

from server_harness import READ_TOKEN, WRITE_TOKEN, LiveServer, start_server


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


def _postgres_schema(server: str) -> Iterator[str]:
    """A URL whose tables live in a fresh schema of their own, dropped afterwards."""
    import psycopg

    schema = f"s_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        yield from start_server(_sqlite_url(tmp_path_factory.mktemp("backend")))
        return
    server = request.getfixturevalue("postgres_server")
    for url in _postgres_schema(server):
        yield from start_server(url)
