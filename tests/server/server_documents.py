"""Documents the service tests send, and checks every answer must pass."""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from leder_core.server import openapi_document

NHS_NUMBER = "9434765919"
BIRTH = "1970-01-01"
DEATH = "2024-03-10"
RUN = uuid.uuid4().hex[:8]


def review_id(name: str) -> str:
    """An id unique to this test run (a PostgreSQL store outlives it)."""
    return f"N-{name}-{RUN}"


def notification(identifier: str = "N-1") -> dict[str, Any]:
    return {
        "schema": "leder.notification/1",
        "id": identifier,
        "notified_on": "2024-03-15",
        "notifier_role": "gp",
        "person": {
            "nhs_number": NHS_NUMBER,
            "date_of_birth": BIRTH,
            "date_of_death": DEATH,
            "learning_disability": True,
            "autism": "none",
            "ethnicity": "A",
            "lived_in_england": True,
            "died_in_england": True,
            "gp_registered": True,
            "national_data_opt_out": False,
            "detention": "none",
        },
        "responsible_body": "QE1",
    }


PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "pat-1",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}],
    "birthDate": BIRTH,
    "deceasedDateTime": DEATH + "T09:30:00Z",
}
CONDITION: dict[str, Any] = {
    "resourceType": "Condition",
    "id": "ld-1",
    "subject": {"reference": "Patient/pat-1"},
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "110359009"}]},
}
BUNDLE: dict[str, Any] = {
    "resourceType": "Bundle",
    "type": "searchset",
    "entry": [{"resource": PATIENT}, {"resource": CONDITION}],
}


def fhir_request(identifier: str = "N-F") -> dict[str, Any]:
    return {
        "schema": "leder.fhir-request/1",
        "fhir": BUNDLE,
        "supplied": {
            "id": identifier,
            "notified_on": "2024-03-15",
            "notifier_role": "gp",
            "person": {"lived_in_england": True},
        },
    }


ALLOCATED = {"type": "allocated", "on": "2024-03-20", "reviewer": "R-17", "independent": True}
SIGNED_OFF_EARLY = {"type": "signed_off", "on": "2024-03-21", "by": "senior_reviewer"}

#: What no error answer and no log line may hold: a person's NHS number or dates.
PERSON_VALUES = (NHS_NUMBER, "943 476 5919", BIRTH, DEATH)


@cache
def _openapi() -> dict[str, Any]:
    return openapi_document()


@cache
def _registry() -> Registry:  # type: ignore[type-arg]
    resource = Resource.from_contents(_openapi(), default_specification=DRAFT202012)
    return Registry().with_resource("urn:leder-openapi", resource)


def documented(response: httpx.Response, method: str, template: str) -> Any:
    """The response's document, after checking that its status, media type and body are what
    ``/openapi.json`` says the route answers; and that an error holds no person value."""
    operation = _openapi()["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (method, template, status)
    content = operation["responses"][status]["content"]
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in content, (media_type, list(content))
    if media_type == "text/csv":
        return response.text
    document = response.json()
    inline = json.dumps(content[media_type]["schema"])
    schema = json.loads(inline.replace('"#/', '"urn:leder-openapi#/'))
    errors = list(Draft202012Validator(schema, registry=_registry()).iter_errors(document))
    assert not errors, [error.message[:200] for error in errors[:3]]
    if response.status_code >= 400:
        assert_no_person_value(response.text)
    return document


def assert_no_person_value(text: str) -> None:
    for value in PERSON_VALUES:
        assert value not in text
