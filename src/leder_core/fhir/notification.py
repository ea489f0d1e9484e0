"""Reading a notification from a FHIR record: the ``FHIR-*`` rules' facts, the caller's and
the defaults, assembled into one ``leder.notification/1`` document, fact by fact.

A fact the caller supplies is taken as given; every other field a rule reads is decided by
:func:`leder_core.rules.fhir.decide_facts`; the rest take the document's default or must be
supplied. Every problem is placed where its value came from: in the FHIR input (``$``) or in
what was supplied (``supplied``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

# The FHIR rules read this package's modules, so they are imported as a module: either side
# may be imported first.
import leder_core.rules.fhir as fhir_rules
from leder_core.errors import InvalidInput
from leder_core.fhir.clinical import clinical_record
from leder_core.fhir.codelists import CodeLists
from leder_core.fhir.elements import ElementReader, Problems
from leder_core.fhir.record import read_record
from leder_core.models.fhir import (
    ClinicalRecord,
    Decision,
    Fact,
    FactSource,
    FhirExtract,
    Ignored,
)
from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import Notification

__all__ = ["read_notification"]

#: The code lists searched when the caller gives none: the built-in core concepts.
_BUILT_IN: Final = CodeLists()
#: The facts read from the patient's clinical record (Conditions and Observations).
_DIAGNOSES: Final = frozenset({"person.learning_disability", "person.autism"})


def read_notification(
    fhir: object,
    *,
    supplied: Mapping[str, Any],
    codes: CodeLists | None,
    load_notification: Callable[[Mapping[str, Any]], Notification],
) -> FhirExtract:
    """The ``FHIR-*`` rules over a parsed FHIR record: :func:`leder_core.fhir.extract_notification`.

    The notification document the facts make is structured by ``load_notification`` (the
    public entry point passes the serialization layer's loader), so that reading FHIR never
    imports the wire format.
    """
    problems: Problems = []
    given = _supplied_values(supplied, problems)
    try:
        record = read_record(fhir, nhs_number=_supplied_nhs_number(given))
    except InvalidInput as error:
        raise InvalidInput([*error.problems, *problems]) from None
    reader = ElementReader(problems)
    # The patient's Conditions and Observations are judged only when a fact reads them.
    searched = (
        clinical_record(record, reader) if _DIAGNOSES - given.keys() else ClinicalRecord((), (), 0)
    )
    decisions = fhir_rules.decide_facts(
        record, searched, reader, _BUILT_IN if codes is None else codes, given
    )
    values, facts, origin = _assembled(given, decisions, problems)
    if problems:
        # Check the supplied facts too, so that every problem is listed at once.
        problems += _supplied_problems(given, load_notification)
        raise InvalidInput(dict.fromkeys(problems))  # the same problem once, in order
    try:
        notification = load_notification(_document(values))
    except InvalidInput as error:
        raise InvalidInput(
            _placed(problem.path, problem.message, origin) for problem in error.problems
        ) from None
    return FhirExtract(
        notification=notification,
        facts=tuple(facts),
        ignored=_in_input_order((*record.ignored, *searched.unusable)),
    )


def _assembled(
    given: Mapping[str, Any], decisions: Mapping[str, Decision | None], problems: Problems
) -> tuple[dict[str, Any], list[Fact], dict[str, str]]:
    """The notification's values by dotted field, a fact for each, and where a problem with
    each is reported; a required fact neither read nor supplied is a problem."""
    values: dict[str, Any] = {}
    facts: list[Fact] = []
    origin: dict[str, str] = {}  # notification field -> where a problem with it is reported
    for name, rule_id, default in fhir_rules.FIELDS:
        if name in given:
            values[name] = given[name]
            origin[name] = f"supplied.{name}"
            facts.append(_supplied_fact(name))
        elif rule_id is not None:
            decision = decisions[name]
            if decision is None:
                continue  # refused: the reason is among the problems
            values[name] = decision.value
            origin[name] = decision.path or f"supplied.{name}"
            facts.append(
                Fact(
                    field=name,
                    source=FactSource.FHIR,
                    rule=rule_id,
                    path=decision.path,
                    text=decision.text,
                )
            )
        elif default is fhir_rules.REQUIRED:
            problems.append(
                (f"supplied.{name}", "no FHIR element holds this fact: it must be supplied")
            )
        else:
            values[name] = default
            facts.append(_default_fact(name, default))
    # Keys the caller gave that are not notification fields: the loader names them.
    for name, value in given.items():
        if name not in fhir_rules.FIELD_NAMES:
            values[name] = value
            origin[name] = f"supplied.{name}"
    return values, facts, origin


def _supplied_fact(name: str) -> Fact:
    """The fact of a field the caller supplied."""
    return Fact(
        field=name,
        source=FactSource.SUPPLIED,
        rule=None,
        path=None,
        text="Supplied by the caller; the FHIR record was not read for it.",
    )


def _supplied_values(supplied: object, problems: Problems) -> dict[str, Any]:
    """The supplied facts by dotted field (unknown keys are left for the loader to name)."""
    if not isinstance(supplied, Mapping):
        problems.append(("supplied", "expected a partial notification document (an object)"))
        return {}
    values: dict[str, Any] = {}
    for key, value in supplied.items():
        if key == "person":
            if not isinstance(value, Mapping):
                problems.append(("supplied.person", "expected an object"))
                continue
            for person_key, person_value in value.items():
                values[f"person.{person_key}"] = person_value
        else:
            values[str(key)] = value
    return values


def _document(values: Mapping[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    person: dict[str, Any] = {}
    for name, value in values.items():
        if name.startswith("person."):
            person[name.removeprefix("person.")] = value
        else:
            document[name] = value
    document["person"] = person
    return document


def _default_fact(name: str, default: object) -> Fact:
    """The fact of a field neither held in FHIR nor supplied: the document's default."""
    shown = "null" if default is None else ("[]" if default == [] else str(default).lower())
    return Fact(
        field=name,
        source=FactSource.DEFAULT,
        rule=None,
        path=None,
        text=f"No FHIR element holds this fact and it was not supplied: the default ({shown}).",
    )


def _in_input_order(ignored: Sequence[Ignored]) -> tuple[Ignored, ...]:
    """Ignored resources in the order of the input (paths compared index by index)."""

    def key(entry: Ignored) -> tuple[tuple[int, int | str], ...]:
        parts = re.findall(r"\[(\d+)\]|\.([A-Za-z_]+)", entry.path)
        return tuple((0, int(index)) if index else (1, name) for index, name in parts)

    return tuple(sorted(ignored, key=key))


def _supplied_nhs_number(given: Mapping[str, Any]) -> str | None:
    """A supplied NHS number, when it is one (it also names the patient in a subject)."""
    value = given.get("person.nhs_number")
    if isinstance(value, str):
        try:
            return NhsNumber.parse(value).digits
        except ValueError:
            return None
    return None


#: Valid values standing in for the facts not supplied, when only the supplied ones are checked.
#: The dates are the earliest and latest a document may hold, so no cross-check between a
#: supplied date and a stand-in fails on the supplied side.
_STAND_INS: Final[Mapping[str, Any]] = {
    "id": "stand-in",
    "notified_on": LATEST_DATE.isoformat(),
    "notifier_role": "other",
    "person.date_of_birth": EARLIEST_DATE.isoformat(),
    "person.date_of_death": EARLIEST_DATE.isoformat(),
    "person.learning_disability": False,
    "person.autism": "none",
    "person.lived_in_england": True,
}


def _supplied_problems(
    given: Mapping[str, Any], load: Callable[[Mapping[str, Any]], object]
) -> list[tuple[str, str]]:
    """The problems of the supplied facts alone (placed at ``supplied.*``)."""
    origin = {name: f"supplied.{name}" for name in given}
    try:
        load(_document({**_STAND_INS, **given}))
    except InvalidInput as error:
        found = []
        for problem in error.problems:
            path, message = _placed(problem.path, problem.message, origin)
            parts = re.split(r"[.\[]", path.removeprefix("supplied."))
            field = ".".join(parts[:2]) if parts[0] == "person" else parts[0]
            if field in given:  # a stand-in's problem is not the caller's
                found.append((path, message))
        return found
    return []


def _placed(path: str, message: str, origin: Mapping[str, str]) -> tuple[str, str]:
    """A problem of the assembled notification placed where its value came from."""
    for prefix in ("$.person.", "$."):
        if path.startswith(prefix):
            rest = path.removeprefix(prefix)
            key = rest.split(".", 1)[0].split("[", 1)[0]
            field = ("person." if prefix == "$.person." else "") + key
            where = origin.get(field)
            if where is None:
                return (f"supplied{path[1:]}", message)
            if where.startswith("supplied"):
                return (f"supplied{path[1:]}", message)
            return (where, message)
    if path in {"$.person", "$"}:
        return ("supplied" + path[1:], message)
    return (path, message)
