"""Reading a FHIR input into one patient's record: the Bundle walk and reference resolution.

Resources are found wherever FHIR puts them (a Bundle's entries, Bundles nested in entries,
``contained`` resources); the Patient is the one person the input is about, and the
Conditions, Observations, Encounters and Flags whose subject is that Patient are theirs. The
others of those types are listed as ignored, with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from leder_core.errors import InvalidInput
from leder_core.fhir.elements import Problems, is_list, is_object
from leder_core.fhir.systems import SUBJECT_TYPES, is_nhs_number_system
from leder_core.models.fhir import Ignored, PatientRecord, Resource, unversioned
from leder_core.models.nhs_number import NhsNumber

__all__ = ["a_kind", "nhs_number_of", "read_record"]


@attrs.frozen
class _Found:
    """What walking the input finds: the resources, and those read and left out."""

    resources: list[Resource]
    ignored: list[Ignored]


def _resources(fhir: object, problems: Problems) -> _Found:
    """Every resource of the input with its path, or problems when it is not FHIR.

    Resources are found wherever FHIR puts them: a Bundle's entries, a Bundle nested in an
    entry (to any depth: the walk keeps its own stack), and ``contained`` resources.
    """
    found = _Found([], [])
    # (value, path, fullUrl, container) still to read, the next one last.
    pending: list[tuple[object, str, str | None, Resource | None]] = []
    if isinstance(fhir, Mapping):
        kind = fhir.get("resourceType")
        if not isinstance(kind, str) or not kind:
            problems.append(("$.resourceType", "expected a FHIR resource type"))
            return found
        pending.append((fhir, "$", None, None))
    elif is_list(fhir):
        pending += reversed([(item, f"$[{index}]", None, None) for index, item in enumerate(fhir)])
    else:
        problems.append(("$", "expected a FHIR Bundle, a list of resources or a Patient"))
        return found
    while pending:
        value, path, full_url, container = pending.pop()
        resource = _one(value, path, full_url, container, problems)
        if resource is None:
            continue
        if resource.kind == "Bundle" and container is None:
            pending += reversed(_entries(resource, problems))
            continue
        found.resources.append(resource)
        contained = resource.data.get("contained")
        if contained is None:
            continue
        if not is_list(contained):
            problems.append((f"{path}.contained", "expected an array of resources"))
            continue
        if container is not None:
            found.ignored.append(
                Ignored(
                    path=f"{path}.contained",
                    why="resources contained in a contained resource (FHIR does not allow it)",
                )
            )
            continue
        pending += reversed(
            [
                (item, f"{path}.contained[{index}]", None, resource)
                for index, item in enumerate(contained)
            ]
        )
    return found


def _entries(
    bundle: Resource, problems: Problems
) -> list[tuple[object, str, str | None, Resource | None]]:
    """The resources of a Bundle's entries, with their paths and fullUrls."""
    entries = bundle.data.get("entry", [])
    if not is_list(entries):
        problems.append((f"{bundle.path}.entry", "expected an array of Bundle entries"))
        return []
    found: list[tuple[object, str, str | None, Resource | None]] = []
    prefix = "$" if bundle.path == "$" else bundle.path
    for index, entry in enumerate(entries):
        path = f"{prefix}.entry[{index}]"
        if not isinstance(entry, Mapping):
            problems.append((path, "expected a Bundle entry object"))
            continue
        full_url = entry.get("fullUrl")
        if full_url is not None and not isinstance(full_url, str):
            problems.append((f"{path}.fullUrl", "expected a string"))
            full_url = None
        if "resource" not in entry:
            continue  # a request or response without a resource holds no facts
        found.append((entry["resource"], f"{path}.resource", full_url, None))
    return found


def _one(
    value: object, path: str, full_url: str | None, container: Resource | None, problems: Problems
) -> Resource | None:
    if not is_object(value):
        problems.append((path, "expected a FHIR resource object"))
        return None
    kind = value.get("resourceType")
    if not isinstance(kind, str) or not kind:
        problems.append((f"{path}.resourceType", "expected a FHIR resource type"))
        return None
    return Resource(path=path, kind=kind, data=value, full_url=full_url, container=container)


def _references(resource: Resource) -> set[str]:
    """Every reference that names this resource: ``Type/id``, its fullUrl, ``urn:uuid:id``
    (versions are taken off a reference before it is looked up)."""
    names = set()
    resource_id = resource.data.get("id")
    if isinstance(resource_id, str) and resource_id:
        names.add(f"{resource.kind}/{resource_id}")
        names.add(f"urn:uuid:{resource_id}")
    if resource.full_url:
        names.add(unversioned(resource.full_url))
    return names


def _nhs_numbers(resource: Resource) -> set[str]:
    """The valid NHS numbers of a Patient's identifiers (either system), read quietly: only to
    tell whether a reference names the same person."""
    numbers = set()
    identifiers = resource.data.get("identifier")
    if is_list(identifiers):
        for identifier in identifiers:
            if isinstance(identifier, Mapping):
                number = nhs_number_of(identifier)
                if number is not None:
                    numbers.add(number)
    return numbers


def nhs_number_of(identifier: Mapping[str, Any]) -> str | None:
    """The NHS number an identifier gives (either system), or None."""
    value = identifier.get("value")
    if not is_nhs_number_system(identifier.get("system")) or not isinstance(value, str):
        return None
    try:
        return NhsNumber.parse(value).digits
    except ValueError:
        return None


def read_record(fhir: object, *, nhs_number: str | None = None) -> PatientRecord:
    """The patient's resources, or :class:`InvalidInput` when the input is not one patient's
    FHIR record (no Patient at ``$``; a second Patient at its own path).

    ``nhs_number`` (a supplied one) also identifies the patient in a subject given by
    identifier.
    """
    problems: Problems = []
    found = _resources(fhir, problems)
    patients = [
        resource
        for resource in found.resources
        if resource.kind == "Patient" and resource.container is None
    ]
    if not patients and not problems:
        problems.append(("$", "no Patient resource: the input must be about one person"))
    problems += [
        (other.path, "a second Patient: the input must be about one person")
        for other in patients[1:]
    ]
    if problems:
        raise InvalidInput(problems)
    patient = patients[0]
    names = _references(patient)
    numbers = _nhs_numbers(patient)
    if nhs_number is not None:
        numbers.add(nhs_number)
    local: dict[str, dict[str, Resource]] = {}
    organizations: dict[str, Resource] = {}
    for resource in found.resources:
        if resource.container is not None:
            local_id = resource.data.get("id")
            if isinstance(local_id, str) and local_id:
                local.setdefault(resource.container.path, {}).setdefault(local_id, resource)
        elif resource.kind == "Organization":
            for name in _references(resource):
                organizations.setdefault(name, resource)
    record = PatientRecord(
        patient=patient, about={}, organizations=organizations, local=local, ignored=()
    )
    about: dict[str, list[Resource]] = {kind: [] for kind in SUBJECT_TYPES}
    ignored = list(found.ignored)
    for resource in found.resources:
        if resource.kind not in SUBJECT_TYPES:
            continue
        why = _not_about(record, resource, names, numbers)
        if why is None:
            about[resource.kind].append(resource)
        else:
            ignored.append(Ignored(path=resource.path, why=why))
    return attrs.evolve(
        record,
        about={kind: tuple(resources) for kind, resources in about.items()},
        ignored=tuple(ignored),
    )


def _not_about(
    record: PatientRecord, resource: Resource, names: set[str], numbers: set[str]
) -> str | None:
    """Why a resource's subject is not the Patient, or None when it is.

    A reference decides when there is one; otherwise an identifier equal to the Patient's
    NHS number names them.
    """
    kind = resource.kind
    subject = resource.data.get("subject")
    if not isinstance(subject, Mapping):
        return f"{a_kind(kind)} without a subject reference to the Patient"
    reference = subject.get("reference")
    if isinstance(reference, str):
        if reference.startswith("#"):
            target = record.resolve(reference, resource)
            if target is record.patient:
                return None
            if target is None:
                return (
                    f"{a_kind(kind)} whose subject is a local reference its container does not hold"
                )
            if target.kind == "Patient" and _nhs_numbers(target) & numbers:
                return None  # a contained copy of the Patient, with their NHS number
            if target.kind == "Patient":
                return (
                    f"{a_kind(kind)} about a contained Patient not identified as the Patient "
                    "(no matching NHS number)"
                )
            return f"{a_kind(kind)} whose subject is not a Patient"
        if unversioned(reference) in names:
            return None
        return f"{a_kind(kind)} about another patient"
    if reference is not None:  # the reference decides, and it cannot be read
        return f"{a_kind(kind)} whose subject reference is not a string"
    identifier = subject.get("identifier")
    if isinstance(identifier, Mapping):
        number = nhs_number_of(identifier)
        if number is not None and number in numbers:
            return None
        if is_nhs_number_system(identifier.get("system")):
            return f"{a_kind(kind)} whose subject identifier is not the Patient's NHS number"
        return f"{a_kind(kind)} whose subject identifier is not an NHS number"
    return f"{a_kind(kind)} without a subject reference to the Patient"


def a_kind(kind: str) -> str:
    """``a Condition``, ``an Observation``, ``an Encounter``."""
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"
