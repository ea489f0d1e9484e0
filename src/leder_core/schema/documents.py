"""The documents that have a JSON Schema: the name ``leder schema`` takes for each, where its
class lives, and whether it comes in or goes out.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs

__all__ = [
    "DIALECT",
    "SCHEMA_BASE",
    "SCHEMA_NAMES",
    "Direction",
    "DocumentSpec",
    "schema_id",
]

#: The JSON Schema dialect of every schema.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
#: The prefix of every schema's ``$id`` (a name, never fetched: ``.invalid`` does not resolve).
SCHEMA_BASE: Final = "https://leder-core.invalid/schemas/"


class Direction(StrEnum):
    """Whether a document comes in (loaded, keys with defaults optional) or goes out (dumped,
    every key present)."""

    INPUT = "input"
    OUTPUT = "output"


@attrs.frozen(kw_only=True)
class DocumentSpec:
    """Where the class of a document lives and how its schema is made."""

    document: str
    """The document name written in its ``"schema"`` key: ``leder.notification/1``."""
    module: str
    """The module defining the class; imported only when the schema is asked for."""
    class_name: str
    direction: Direction
    schema_key: bool = True
    """Whether the document carries (input: may carry) a ``"schema"`` key."""
    schema_required: bool = False
    """Whether an input document must carry its ``"schema"`` key (it tells the document apart
    from another accepted in the same place)."""
    notes: tuple[str, ...] = ()
    """Rules of the document that the loader checks and a schema cannot express."""

    @property
    def id(self) -> str:
        """The schema's ``$id``."""
        return schema_id(self.document)


def schema_id(document: str) -> str:
    """The ``$id`` of a document's schema: ``leder.notification/1`` →
    ``https://leder-core.invalid/schemas/leder.notification-1.json``."""
    return f"{SCHEMA_BASE}{document.replace('/', '-')}.json"


_NOTIFICATION_NOTES: Final = (
    "`person.date_of_death` is not before `person.date_of_birth`.",
    "`notified_on` is not before `person.date_of_death`.",
)

#: The names ``leder schema NAME`` takes (docs/cli.md), and the document each one is.
SCHEMA_NAMES: Final[Mapping[str, DocumentSpec]] = types.MappingProxyType(
    {
        "notification": DocumentSpec(
            document="leder.notification/1",
            module="leder_core.models.notification",
            class_name="Notification",
            direction=Direction.INPUT,
            notes=_NOTIFICATION_NOTES,
        ),
        "assessment": DocumentSpec(
            document="leder.assessment/1",
            module="leder_core.models.assessment",
            class_name="Assessment",
            direction=Direction.OUTPUT,
        ),
        "review": DocumentSpec(
            document="leder.review/1",
            module="leder_core.models.review",
            class_name="ReviewDocument",
            direction=Direction.INPUT,
            notes=(
                "`notification.person.date_of_death` is not before "
                "`notification.person.date_of_birth`.",
                "`notification.notified_on` is not before `notification.person.date_of_death`.",
                "Events are replayed in order: an event the workflow does not allow is refused "
                "when the review is replayed (`refused` of the review result), not here.",
                "`events` is the log, in the order the events were recorded; under "
                "`interpretation.event_order` `dated` each is placed by its date when replayed.",
                "`interpretation`, when present, is the interpretation the review was opened "
                "under: an interpretation given when loading must not differ from it.",
            ),
        ),
        "review-result": DocumentSpec(
            document="leder.review-result/1",
            module="leder_core.models.review",
            class_name="ReviewResult",
            direction=Direction.OUTPUT,
        ),
        "indicators": DocumentSpec(
            document="leder.indicators/1",
            module="leder_core.models.indicators",
            class_name="Indicators",
            direction=Direction.OUTPUT,
        ),
        "governance": DocumentSpec(
            document="leder.governance/1",
            module="leder_core.models.governance",
            class_name="Arrangements",
            direction=Direction.INPUT,
            notes=(
                "`annual_reports[].year` is a financial year `YYYY/YY` whose second part is the "
                "year after the first, from 1880/81 to 2198/99.",
                "`action_plan.to` is not before `action_plan.from`.",
            ),
        ),
        "governance-report": DocumentSpec(
            document="leder.governance-report/1",
            module="leder_core.models.governance",
            class_name="ComplianceReport",
            direction=Direction.OUTPUT,
        ),
        "body": DocumentSpec(
            document="leder.body/1",
            module="leder_core.models.bodies",
            class_name="BodyOnDate",
            direction=Direction.OUTPUT,
        ),
        "rules": DocumentSpec(
            document="leder.rules/1",
            module="leder_core.models.catalogue",
            class_name="RuleCatalogue",
            direction=Direction.OUTPUT,
        ),
        "fhir-extract": DocumentSpec(
            document="leder.fhir-extract/1",
            module="leder_core.models.fhir",
            class_name="FhirExtract",
            direction=Direction.OUTPUT,
            notes=(
                "`facts` has one fact for every notification field, in the order of the "
                "notification document.",
                "`rule` and `path` are null for `supplied` and `default` facts.",
            ),
        ),
        "fhir-request": DocumentSpec(
            document="leder.fhir-request/1",
            module="leder_core.models.fhir",
            class_name="FhirRequest",
            direction=Direction.INPUT,
            schema_required=True,
            notes=(
                "`fhir` is read as `leder fhir` reads a FHIR record; `supplied` is checked as "
                "the notification fields it gives.",
            ),
        ),
        "interpretation": DocumentSpec(
            document="leder.interpretation/1",
            module="leder_core.interpretation",
            class_name="Interpretation",
            direction=Direction.INPUT,
            schema_key=False,
        ),
    }
)
