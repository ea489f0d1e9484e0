"""Read the records NHS systems already hold (FHIR R4, UK Core) into a notification.

:func:`extract_notification` reads a FHIR Bundle (any type), a list of resources, or one
Patient, as parsed JSON, into a :class:`~leder_core.models.Notification`, and says for every
field where its value came from (:class:`Fact`): read from FHIR by a ``FHIR-*`` rule, supplied
by the caller, or the document's default. ``dump(extract)`` gives ``leder.fhir-extract/1``.

FHIR XML is read with the optional extra ``leder-core[fhir]``: :func:`parse_fhir_xml` turns it
into the FHIR JSON the rules read.

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
>>> extract = extract_notification(patient, supplied=supplied)
>>> [(fact.field, fact.source.value) for fact in extract.facts][3:6]
[('person.nhs_number', 'fhir'), ('person.date_of_birth', 'fhir'), ('person.date_of_death', 'fhir')]
>>> extract.notification.person.learning_disability
False
"""

from __future__ import annotations

from leder_core.fhir._codelists import load_code_lists
from leder_core.fhir._xml import parse_fhir_xml
from leder_core.models.fhir import Fact, FactSource, FhirExtract, Ignored
from leder_core.rules.fhir import CodeList, CodeLists, extract_notification

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
