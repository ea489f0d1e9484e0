"""Read the records NHS systems already hold (FHIR R4, UK Core) into a notification.

:func:`extract_notification` reads a FHIR Bundle (any type), a list of resources, or one
Patient, as parsed JSON, into a :class:`~leder_core.models.Notification`, and says for every
field where its value came from (:class:`Fact`): read from FHIR by a ``FHIR-*`` rule, supplied
by the caller, or the document's default. ``dump(extract)`` gives ``leder.fhir-extract/1``.

FHIR XML is read with the optional extra ``fhir`` (from a checkout, ``python -m pip install -e
'.[fhir]'``): :func:`parse_fhir_xml` turns it
into the FHIR JSON the rules read.

>>> from leder_core import InvalidInput
>>> from leder_core.fhir import extract_notification
>>> patient = {
...     "resourceType": "Patient",
...     "id": "p1",
...     "birthDate": "1970-01-01",
...     "deceasedDateTime": "2024-03-10T09:30:00+00:00",
... }
>>> supplied = {
...     "id": "N-1",
...     "notified_on": "2024-03-15",
...     "notifier_role": "gp",
...     "person": {"lived_in_england": True},
... }
>>> condition = {
...     "resourceType": "Condition",
...     "subject": {"reference": "Patient/p1"},
...     "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]},
... }
>>> extract = extract_notification([patient, condition], supplied=supplied)
>>> [(fact.field, fact.source.value) for fact in extract.facts][3:6]
[('person.nhs_number', 'fhir'), ('person.date_of_birth', 'fhir'), ('person.date_of_death', 'fhir')]
>>> extract.notification.person.learning_disability
False
>>> extract.facts[6].text.split(":")[0]
'No coded learning disability found'

A record with no Condition or Observation of the patient says nothing about diagnoses:
learning disability and autism are then refused unless supplied, never read as "no".

>>> try:
...     extract_notification(patient, supplied=supplied)
... except InvalidInput as refused:
...     [problem.path for problem in refused.problems]
['supplied.person.learning_disability', 'supplied.person.autism']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leder_core.errors import InvalidInput
from leder_core.fhir.codelists import CodeList, CodeLists, load_code_lists
from leder_core.fhir.from_xml import parse_fhir_xml
from leder_core.fhir.notification import read_notification
from leder_core.models.fhir import Fact, FactSource, FhirExtract, Ignored
from leder_core.serialization import load_notification, nesting_problem

__all__ = [
    "CodeList",
    "CodeLists",
    "Fact",
    "FactSource",
    "FhirExtract",
    "Ignored",
    "extract_notification",
    "load_code_lists",
    "parse_fhir_xml",
]


def extract_notification(
    fhir: object, *, supplied: Mapping[str, Any], codes: CodeLists | None = None
) -> FhirExtract:
    """A notification read from a FHIR R4 (UK Core) record, with every fact explained.

    ``fhir`` is a Bundle (any type), a list of resources, or one Patient, as parsed JSON.
    ``supplied`` is a partial ``leder.notification/1`` document (``person`` nested): the
    facts FHIR does not hold (``id``, ``notified_on``, ``notifier_role``,
    ``person.lived_in_england``) and any others the caller knows better; a supplied fact
    always wins and its FHIR elements are not read. ``codes`` are the code lists to search
    (default: the built-in core concepts).

    Resources are read wherever FHIR puts them (entries, nested Bundles, ``contained``);
    those of the patient's types that are about someone else, or cannot be used, are listed
    in ``FhirExtract.ignored`` with why. A record with no Condition or Observation of the
    patient says nothing about diagnoses: learning disability and autism must then be
    supplied. Date-times with an offset are read as dates in England (Europe/London).

    Raises :class:`~leder_core.InvalidInput` listing every problem: paths into ``fhir`` start
    with ``$`` (``$.entry[2].resource.birthDate``), paths into ``supplied`` with ``supplied``
    (``supplied.person.lived_in_england``). Either nested more than
    ``leder_core.serialization.MAX_DEPTH`` (100) arrays and objects deep is a problem too.
    """
    too_deep = [
        problem
        for problem in (nesting_problem(fhir, "$"), nesting_problem(supplied, "supplied"))
        if problem is not None
    ]
    if too_deep:
        raise InvalidInput(too_deep)
    return read_notification(
        fhir, supplied=supplied, codes=codes, load_notification=load_notification
    )
