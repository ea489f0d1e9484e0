"""What reading a FHIR record gives: the notification and where each of its facts came from.

These are the values of ``leder.fhir-extract/1``: a :class:`FhirExtract` holds the
:class:`~leder_core.models.Notification` read from a FHIR R4 (UK Core) record, one
:class:`Fact` for every field of the notification (in the order of the notification
document), and the :class:`Ignored` resources that were read and left out (about someone
else, or not usable), each with why.

The record a FHIR input is read into before the ``FHIR-*`` rules decide is a model too: a
:class:`PatientRecord` of :class:`Resource` values (the Patient and what is about them), and
the :class:`ClinicalRecord` of the patient's Conditions and Observations the code lists are
searched in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final, NamedTuple

import attrs

from leder_core.models.notification import Notification

__all__ = [
    "ClinicalRecord",
    "Decision",
    "Fact",
    "FactSource",
    "FhirExtract",
    "FhirRequest",
    "Ignored",
    "PatientRecord",
    "Resource",
    "unversioned",
]


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


_HISTORY: Final = re.compile(r"/_history/[^/]*\Z")


def unversioned(reference: str) -> str:
    """A reference without its version: ``Patient/p1/_history/2`` is ``Patient/p1``."""
    return _HISTORY.sub("", reference)


@attrs.frozen(kw_only=True)
class Resource:
    """A resource of the input and where it is."""

    path: str
    kind: str
    data: Mapping[str, Any] = attrs.field(repr=False)  # a person's record: never shown
    full_url: str | None = attrs.field(default=None, repr=False)  # the sender's text
    container: Resource | None = attrs.field(default=None, repr=False, eq=False)
    """The resource this one is ``contained`` in, if it is."""

    @property
    def place(self) -> str:
        """Its place in the input, as texts name it: its entry, or its place in ``contained``."""
        return self.path.removesuffix(".resource")

    @property
    def named(self) -> str:
        """``Condition at $.entry[3]``: the resource by its type and place, never by its ``id``
        (an id is the sender's text and may hold a person's details)."""
        return f"{self.kind} at {self.place}"


@attrs.frozen(kw_only=True)
class PatientRecord:
    """The input read as one patient's resources: the Patient, and the Conditions,
    Observations, Encounters and Flags about them, with the Organizations a reference may
    name."""

    patient: Resource
    about: Mapping[str, tuple[Resource, ...]]
    organizations: Mapping[str, Resource]
    """Organizations of the input by every reference that names them."""
    local: Mapping[str, Mapping[str, Resource]]
    """The ``contained`` resources of each container (by its path), by their ``id``."""
    ignored: tuple[Ignored, ...]

    def resolve(self, reference: str, holder: Resource) -> Resource | None:
        """The resource a reference made in ``holder`` names: a local ``#id`` within its
        container (``#`` alone is the container), else an Organization of the input."""
        if reference.startswith("#"):
            container = holder.container or holder
            if reference == "#":
                return container
            return self.local.get(container.path, {}).get(reference[1:])
        return self.organizations.get(unversioned(reference))

    @property
    def clinical(self) -> tuple[Resource, ...]:
        """The Conditions and Observations of the patient, in input order."""
        return (*self.about["Condition"], *self.about["Observation"])


@attrs.frozen
class ClinicalRecord:
    """The patient's Conditions and Observations the code lists are searched in, and those of
    the patient the rules cannot use (each with why)."""

    usable: tuple[Resource, ...]
    unusable: tuple[Ignored, ...]
    searched: int
    """All the Conditions and Observations of the patient: the clinical record read."""


@attrs.frozen
class Decision:
    """What a ``FHIR-*`` rule read: the value for the notification document (as written in
    JSON), the element read (or None when the rule found nothing), and the fact's sentence."""

    value: Any = attrs.field(repr=False)  # a person's value: never shown
    path: str | None
    text: str
