"""The FHIR reading modules and the FHIR rules import each other's modules: any may load first.

``leder_core.rules.fhir`` reads the record through ``leder_core.fhir``'s modules, and
``leder_core.fhir`` applies the rules; each module is imported first in a fresh interpreter,
with the package ``leder_core`` itself left empty so that its own imports set no order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import leder_core

PACKAGE = Path(leder_core.__file__).parent

FIRST = [
    "leder_core.fhir",
    "leder_core.fhir.codelists",
    "leder_core.fhir.notification",
    "leder_core.rules.fhir",
    "leder_core.models.fhir",
]

PROGRAM = """
import importlib, sys, types
package = types.ModuleType("leder_core")
package.__path__ = [{package!r}]
sys.modules["leder_core"] = package
importlib.import_module({first!r})
from leder_core.fhir import extract_notification
patient = {{"resourceType": "Patient", "id": "p1", "birthDate": "1970-01-01",
    "deceasedDateTime": "2024-03-10"}}
supplied = {{"id": "N-1", "notified_on": "2024-03-15", "notifier_role": "gp",
    "person": {{"lived_in_england": True, "learning_disability": True, "autism": "none"}}}}
print(extract_notification(patient, supplied=supplied).facts[5].rule)
"""


@pytest.mark.parametrize("first", FIRST)
def test_each_fhir_module_may_be_imported_first(first: str) -> None:
    program = PROGRAM.format(package=str(PACKAGE), first=first)
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "FHIR-DEATH\n")
