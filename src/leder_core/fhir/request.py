"""``leder.fhir-request/1``: a FHIR record and its supplied facts in one document.

The HTTP service (``POST /assessments``, ``POST /reviews``) and ``leder fhir FILE`` read it the
same way: :func:`load_fhir_request` checks its shape, :func:`extract_request` reads the
notification with :func:`~leder_core.fhir.extract_notification`, and every problem's path is
a path into the request itself (``$.fhir.entry[2].resource.birthDate``,
``$.supplied.person.lived_in_england``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from leder_core.errors import InvalidInput
from leder_core.fhir.codelists import CodeLists
from leder_core.fhir.notification import read_notification
from leder_core.models.fhir import FactSource, FhirExtract, FhirRequest
from leder_core.models.notification import ASSUMABLE_FACTS, Notification
from leder_core.serialization import key_path, load_notification

__all__ = [
    "FHIR_REQUEST",
    "extract_request",
    "is_fhir_request",
    "load_fhir_request",
    "notification_as_read",
]

#: The name of the document that carries a FHIR record and its supplied facts.
FHIR_REQUEST: Final = "leder.fhir-request/1"
_KEYS: Final = frozenset({"schema", "fhir", "supplied"})


def is_fhir_request(document: object) -> bool:
    """Whether a parsed document says it is a FHIR request (any version of the name): such a
    document is loaded as one, and a wrong version is reported, never read as something else.

    >>> is_fhir_request({"schema": "leder.fhir-request/1", "fhir": {}})
    True
    >>> is_fhir_request({"schema": "leder.notification/1"})
    False
    """
    if not isinstance(document, Mapping):
        return False
    schema = document.get("schema")
    return isinstance(schema, str) and schema.startswith("leder.fhir-request/")


def load_fhir_request(data: object) -> FhirRequest:
    """Check the shape of a ``leder.fhir-request/1`` document; :class:`InvalidInput` lists
    every problem. The FHIR record itself is checked when it is read (:func:`extract_request`).

    >>> load_fhir_request({"schema": "leder.fhir-request/1", "fhir": []}).supplied
    {}
    >>> load_fhir_request({"schema": "leder.fhir-request/1", "fhir": 3, "extra": 1})
    Traceback (most recent call last):
    leder_core.errors.InvalidInput: 2 problems: $.extra: unknown key; $.fhir: expected a FHIR Bundle, a list of resources or a Patient (a JSON object or array)
    """  # noqa: E501
    if not isinstance(data, Mapping):
        raise InvalidInput([("$", f"expected a {FHIR_REQUEST} document (a JSON object)")])
    problems: list[tuple[str, str]] = []
    if data.get("schema") != FHIR_REQUEST:
        problems.append(("$.schema", f"expected {FHIR_REQUEST!r}"))
    problems += [(key_path("$", key), "unknown key") for key in data if key not in _KEYS]
    fhir = data.get("fhir")
    if "fhir" not in data:
        problems.append(("$.fhir", "required"))
    elif not isinstance(fhir, Mapping | list | tuple):
        problems.append(
            (
                "$.fhir",
                "expected a FHIR Bundle, a list of resources or a Patient (a JSON object or array)",
            )
        )
    supplied = data.get("supplied", {})
    if not isinstance(supplied, Mapping):
        problems.append(("$.supplied", "expected a partial notification document (an object)"))
    if problems:
        raise InvalidInput(problems)
    assert isinstance(fhir, Mapping | list | tuple)  # noqa: S101 - checked above
    return FhirRequest(
        fhir=fhir if isinstance(fhir, Mapping) else tuple(fhir), supplied=dict(supplied)
    )


def extract_request(
    request: FhirRequest,
    *,
    supplied: Mapping[str, Any] | None = None,
    codes: CodeLists | None = None,
) -> FhirExtract:
    """The notification read from a request's FHIR record and supplied facts.

    ``supplied``, when given, adds to and overrides the request's own (key by key, ``person``
    merged): what ``leder fhir --supplied``/``--set-fact`` give. Problem paths are paths into
    the request (``$.fhir...``, ``$.supplied...``).
    """
    facts = _merged(request.supplied, supplied or {})
    fhir: object = request.fhir if isinstance(request.fhir, Mapping) else list(request.fhir)
    try:
        return read_notification(
            fhir, supplied=facts, codes=codes, load_notification=load_notification
        )
    except InvalidInput as error:
        raise InvalidInput(_in_request(path, message) for path, message in error.problems) from None


def _merged(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in change.items():
        old = merged.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            merged[key] = _merged(old, value)
        else:
            merged[key] = value
    return merged


def _in_request(path: str, message: str) -> tuple[str, str]:
    if path.startswith("supplied"):
        return "$." + path, message
    if path.startswith("$"):
        return "$.fhir" + path[1:], message
    return path, message


def notification_as_read(extract: FhirExtract) -> Notification:
    """The extract's notification with the person facts that took their default (neither in
    the record nor supplied) marked assumed, so that the reasons resting on them say so: what
    ``leder fhir --assess`` and the service's FHIR routes assess and store."""
    defaulted = {
        fact.field.removeprefix("person.")
        for fact in extract.facts
        if fact.source is FactSource.DEFAULT and fact.field.startswith("person.")
    }
    assumed = frozenset(defaulted.intersection(ASSUMABLE_FACTS))
    notification = extract.notification
    if not assumed:
        return notification
    person = attrs.evolve(notification.person, assumed=notification.person.assumed | assumed)
    return attrs.evolve(notification, person=person)
