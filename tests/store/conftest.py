"""Fixtures of the store's contract suite: every test runs against SQLite and PostgreSQL.

PostgreSQL comes from ``LEDER_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway cluster and
sets it); without it, a throwaway cluster is started here from the server binaries
(``tools/pg_throwaway.sh``) when they can be found. Where no server can be found the
PostgreSQL tests skip with the reason, except under ``CI=true``, where that is a failure.
Each test gets a schema of its own, dropped afterwards.
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

from leder_core.store import ReviewStore, open_store

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "pg_throwaway.sh"
BASH = shutil.which("bash") or "/bin/bash"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the tests (its ``postgres`` database)."""
    url = os.environ.get("LEDER_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed")
    del psycopg
    reason = "no PostgreSQL: set LEDER_TEST_POSTGRES_URL or install the server binaries"
    binaries = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if SCRIPT.exists() and (binaries or shutil.which("pg_config")) and not _in_ci():
        directory = tempfile.mkdtemp(prefix="leder-pg-")
        os.chmod(directory, 0o755)  # noqa: S103  # the server's own user must reach it when run as root
        started = subprocess.run(  # noqa: S603  # our own script, fixed arguments
            [BASH, str(SCRIPT), "start", directory],
            capture_output=True,
            text=True,
            check=False,
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
        pytest.fail("CI=true but LEDER_TEST_POSTGRES_URL is not set: .ci/run starts the server")
    pytest.skip(reason)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose tables live in a fresh schema of their own."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty store, once per database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reviews.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[ReviewStore]:
    """An open, empty store, once per database."""
    with open_store(store_url) as opened:
        yield opened
