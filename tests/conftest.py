"""Test configuration: Hypothesis profiles, and the fixtures every test directory shares.

``HYPOTHESIS_PROFILE=ci`` (what ``.ci/run`` uses) derandomises every property test so a red
build is reproducible; ``dev`` (the default) explores randomly; ``thorough`` runs long.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from leder_core import sample
from leder_core.sample import SAMPLE_UNTIL, sample_reviews

PG_THROWAWAY = Path(__file__).resolve().parents[1] / "tools" / "pg_throwaway.sh"
BASH = shutil.which("bash") or "/bin/bash"

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=150,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def bundled_sample() -> Iterator[tuple[dict[str, Any], ...]]:
    """The bundled synthetic sample (about 35,000 review documents), built once per session.

    Read-only and shared: a test must never change a document. The teardown compares a digest
    of every document with the one taken when it was built, and fails if a test changed one.
    """
    documents = tuple(sample_reviews())
    built = _digest(documents)
    yield documents
    assert _digest(documents) == built, "a test changed the shared bundled sample"


@pytest.fixture
def cli_sample(
    bundled_sample: tuple[dict[str, Any], ...], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], ...]:
    """Make ``leder report --sample`` in this process read :func:`bundled_sample`.

    The command asks for the bundled sample (the default seed, up to ``SAMPLE_UNTIL``), which
    is what the shared fixture holds; the stand-in refuses any other request.
    """

    def shared(*, until: date) -> Iterator[dict[str, Any]]:
        assert until == SAMPLE_UNTIL
        return iter(bundled_sample)

    monkeypatch.setattr(sample, "sample_reviews", shared)
    return bundled_sample


def _digest(documents: tuple[dict[str, Any], ...]) -> str:
    return hashlib.sha256(pickle.dumps(documents)).hexdigest()  # changes with any change


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the tests (its ``postgres`` database), one per session.

    ``LEDER_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway cluster and sets it), or else a
    throwaway cluster started here from the server binaries (``tools/pg_throwaway.sh``); the
    store's and the service's tests share it. With neither, the PostgreSQL tests skip with the
    reason, except under ``CI=true``, where that is a failure.
    """
    url = os.environ.get("LEDER_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed")
    del psycopg
    reason = "no PostgreSQL: set LEDER_TEST_POSTGRES_URL or install the server binaries"
    binaries = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if PG_THROWAWAY.exists() and (binaries or shutil.which("pg_config")) and not _in_ci():
        directory = tempfile.mkdtemp(prefix="leder-pg-")
        os.chmod(directory, 0o755)  # noqa: S103  # the server's own user must reach it when run as root
        started = subprocess.run(  # noqa: S603  # our own script, fixed arguments
            [BASH, str(PG_THROWAWAY), "start", directory],
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode == 0:
            try:
                yield started.stdout.strip()
            finally:
                subprocess.run(  # noqa: S603
                    [BASH, str(PG_THROWAWAY), "stop", directory], check=False, capture_output=True
                )
                shutil.rmtree(directory, ignore_errors=True)
            return
        reason = f"could not start a throwaway PostgreSQL: {started.stderr.strip()[-300:]}"
    if _in_ci():
        pytest.fail("CI=true but LEDER_TEST_POSTGRES_URL is not set: .ci/run starts the server")
    pytest.skip(reason)
