"""Test configuration: Hypothesis profiles, and the fixtures every test directory shares.

``HYPOTHESIS_PROFILE=ci`` (what ``.ci/run`` uses) derandomises every property test so a red
build is reproducible; ``dev`` (the default) explores randomly; ``thorough`` runs long.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from leder_core import cli
from leder_core.sample import SAMPLE_UNTIL, sample_reviews

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

    monkeypatch.setattr(cli, "sample_reviews", shared)
    return bundled_sample


def _digest(documents: tuple[dict[str, Any], ...]) -> str:
    return hashlib.sha256(pickle.dumps(documents)).hexdigest()  # changes with any change
