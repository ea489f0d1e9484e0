"""Fixtures of the store's contract suite: every test runs against SQLite and PostgreSQL.

PostgreSQL comes from ``LEDER_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway cluster and
sets it); without it, one throwaway cluster per session, shared with the service tests, is
started from the server binaries (``tools/pg_throwaway.sh``; see ``tests/conftest.py``).
Where no server can be found the PostgreSQL tests skip with the reason, except under
``CI=true``, where that is a failure.
Each test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import postgres_schema
from leder_core.store import ReviewStore, open_store


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose tables live in a fresh schema of their own."""
    with postgres_schema(postgres_server) as url:
        yield url


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
