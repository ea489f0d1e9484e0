"""The live servers of the service tests, started once per session.

``live`` is the service without tokens over a temporary SQLite store; ``guarded`` the same
with a tokens file (one read, one write token) and a 4 KiB body limit; ``backend`` runs over
each backend: SQLite, and PostgreSQL from ``LEDER_TEST_POSTGRES_URL`` or a throwaway cluster
(skipped with the reason when there is neither, a failure under ``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette", reason="the server extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the server extra (uvicorn) is not installed")

from server_harness import READ_TOKEN, WRITE_TOKEN, LiveServer, start_server

POSTGRES_ENV = "LEDER_TEST_POSTGRES_URL"
SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "pg_throwaway.sh"
BASH = shutil.which("bash") or "/bin/bash"


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


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server's URL: ``LEDER_TEST_POSTGRES_URL``, or a throwaway cluster started
    from the server binaries (``tools/pg_throwaway.sh``) when they are installed."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        yield url
        return
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed")
    reason = f"no PostgreSQL: set {POSTGRES_ENV} or install the server binaries"
    binaries = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if SCRIPT.exists() and (binaries or shutil.which("pg_config")) and not _in_ci():
        directory = tempfile.mkdtemp(prefix="leder-pg-")
        os.chmod(directory, 0o755)  # noqa: S103 - the server's own user must reach it as root
        started = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [BASH, str(SCRIPT), "start", directory], capture_output=True, text=True, check=False
        )
        if started.returncode == 0:
            try:
                yield started.stdout.strip()
            finally:
                subprocess.run(  # noqa: S603
                    [BASH, str(SCRIPT), "stop", directory], check=False, capture_output=True
                )
                shutil.rmtree(directory, ignore_errors=True)
            return
        reason = f"could not start a throwaway PostgreSQL: {started.stderr.strip()[-300:]}"
    if _in_ci():
        pytest.fail(f"CI=true but {POSTGRES_ENV} is not set")
    pytest.skip(reason)


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
