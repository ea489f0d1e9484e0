"""What reading a FHIR record gives: the notification and where each of its facts came from.

These are the values of ``leder.fhir-extract/1``: a :class:`FhirExtract` holds the
:class:`~leder_core.models.Notification` read from a FHIR R4 (UK Core) record, one
:class:`Fact` for every field of the notification (in the order of the notification
document), and the :class:`Ignored` resources that were read and left out (about someone
else, or not usable), each with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

import attrs

from leder_core.models.notification import Notification

__all__ = ["Fact", "FactSource", "FhirExtract", "FhirRequest", "Ignored"]


class FactSource(StrEnum):
    """Where the value of a notification field came from."""

    FHIR = "fhir"
    """Read from the FHIR record by a ``FHIR-*`` rule (which may find nothing and say so)."""
    SUPPLIED = "supplied"
    """Given by the caller; the FHIR record was not read for it."""
    DEFAULT = "default"
    """Neither held in FHIR nor supplied: the notification document's default."""


@attrs.frozen(kw_only=True)
class Fact:
    """One notification field and how its value was found.

    The text names elements, codes and their terms, never a person's value.
    """

    field: str
    """The dotted notification field, such as ``person.learning_disability``."""
    source: FactSource
    rule: str | None
    """The ``FHIR-*`` rule that read it; null for supplied and default facts."""
    path: str | None
    """The JSON path of the element read, in the FHIR input; null unless read from FHIR and
    an element was found."""
    text: str
    """A sentence a reviewer can check against the record."""


class Ignored(NamedTuple):
    """A resource read and left out, with why: a ``(path, why)`` pair. Resources about
    another patient, and the patient's Conditions and Observations that the rules cannot use
    (entered in error, refuted, an Observation status that does not count, no SNOMED CT
    coding), are listed; nothing of those types is dropped silently.

    In ``leder.fhir-extract/1`` it is written as an object, ``{"path": ..., "why": ...}``.
    """

    path: str
    """The JSON path of the resource in the FHIR input."""
    why: str
    """Why it was left out, such as ``a Condition about another patient``; it never quotes
    the sender's text (ids, statuses or systems it does not know)."""


@attrs.frozen(kw_only=True)
class FhirExtract:
    """A notification read from a FHIR record, fact by fact (``leder.fhir-extract/1``)."""

    notification: Notification
    facts: tuple[Fact, ...]
    """One fact for every notification field, in the order of the notification document."""
    ignored: tuple[Ignored, ...] = ()
    """Resources read and left out, each with its path and the reason, in input order."""


@attrs.frozen(kw_only=True)
class FhirRequest:
    """A FHIR record and the facts supplied with it, in one document: ``leder.fhir-request/1``.

    For callers that cannot pass two files (the HTTP service, a queue): ``POST /assessments``,
    ``POST /reviews`` and ``leder fhir FILE`` accept it where they accept a FHIR record. Its
    ``"schema"`` key is required: it is how a request is told apart from a notification.
    """

    fhir: Mapping[str, Any] | tuple[Any, ...]
    """A FHIR R4 Bundle (any type), a list of resources or one Patient, as JSON."""
    supplied: Mapping[str, Any] = attrs.field(factory=dict)
    """A partial ``leder.notification/1`` document (``person`` nested): the facts FHIR does not
    hold (``id``, ``notified_on``, ``notifier_role``, ``person.lived_in_england``) and any
    overrides."""
