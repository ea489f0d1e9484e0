"""Test configuration: Hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (what ``.ci/run`` uses) derandomises every property test so a red
build is reproducible; ``dev`` (the default) explores randomly; ``thorough`` runs long.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
