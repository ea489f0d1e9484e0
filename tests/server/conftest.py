"""The live servers of the service tests, started once per session.

``live`` is the service without tokens over a temporary SQLite store; ``guarded`` the same
with a tokens file (one read, one write token) and a 4 KiB body limit; ``backend`` runs over
each backend: SQLite, and PostgreSQL from ``LEDER_TEST_POSTGRES_URL`` or a throwaway cluster
(skipped with the reason when there is neither, a failure under ``CI=true``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the server extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the server extra (uvicorn) is not installed")

from schemathesis.pytest.plugin import SchemathesisFunction
from server_harness import READ_TOKEN, WRITE_TOKEN, LiveServer, start_server

from helpers import postgres_schema


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each Schemathesis item (one per operation of the service) an id of its own.

    Schemathesis names an item ``test_...[GET /health]``, but pytest 9 builds an item's id from
    its parametrisation, which these items do not have: all ten operations shared one id, and
    whatever tells items apart by id (``-k``, reports, pytest-xdist's scheduling, which then ran
    one of the ten) saw one test. The operation is put back into the id from the item's name.
    """
    for item in items:
        if not isinstance(item, SchemathesisFunction) or item.nodeid.endswith("]"):
            continue
        operation = item.name.removeprefix(f"{item.originalname}[").removesuffix("]")
        item._id = item._id.with_params(operation)  # pytest has no public way to set it


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


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        yield from start_server(_sqlite_url(tmp_path_factory.mktemp("backend")))
        return
    server = request.getfixturevalue("postgres_server")
    with postgres_schema(server) as url:
        yield from start_server(url)
