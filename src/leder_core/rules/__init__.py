"""The rulebook as code: one module per rulebook section.

Nothing in this package reads the clock or does I/O; every date that matters is an argument.
Importing the package declares every rule in :data:`~leder_core.rules.registry.RULES`.
"""

from leder_core.rules import (  # noqa: F401 - imported to declare their rules
    age,
    assess,
    bodies,
    clock,
    deadlines,
    eligibility,
    fhir,
    governance,
    holds,
    indicators,
    pathway,
    rulesets,
    workflow,
    working_days,
)
