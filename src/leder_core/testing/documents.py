"""Strategies for valid notification documents and models, and what a loaded document dumps as.

The keys of a notification document, its required keys and defaults are read from the models
(the one definition of its fields); the corrupted documents read them here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from leder_core.api import assess as _assess
from leder_core.interpretation import (
    Interpretation,
)
from leder_core.models.assessment import Outcome
from leder_core.models.notification import (
    AutismStatus,
    Detention,
    EthnicCategory,
    Notification,
    NotifierRole,
    OtherProcess,
    Person,
)
from leder_core.models.wire import NOT_ON_WIRE
from leder_core.serialization import load_notification, wire_name
from leder_core.testing.base import SCHEMA, Pin, strategy_of
from leder_core.testing.dates import NotificationDates, notification_dates, plausible_dates
from leder_core.testing.identifiers import document_ids, nhs_numbers, ods_codes

__all__ = [
    "AUTISM_VALUES",
    "DATE_FIELDS",
    "DETENTION_VALUES",
    "ETHNICITY_VALUES",
    "NOTIFIER_ROLES",
    "PERSON_BOOLEANS",
    "PERSON_DEFAULTS",
    "PERSON_KEYS",
    "PERSON_REQUIRED",
    "PROCESS_VALUES",
    "TOP_DEFAULTS",
    "TOP_KEYS",
    "TOP_REQUIRED",
    "normalised",
    "notification_documents",
    "notifications",
]

NOTIFIER_ROLES: Final = tuple(member.value for member in NotifierRole)
AUTISM_VALUES: Final = tuple(member.value for member in AutismStatus)
ETHNICITY_VALUES: Final = tuple(member.value for member in EthnicCategory)
DETENTION_VALUES: Final = tuple(member.value for member in Detention)
PROCESS_VALUES: Final = tuple(member.value for member in OtherProcess)


def _wire_fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(field for field in attrs.fields(cls) if not field.metadata.get(NOT_ON_WIRE))


def _wire_default(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


# The keys of a notification document, read from the models: the one definition of its fields.
TOP_KEYS: Final = tuple(wire_name(field.name) for field in _wire_fields(Notification))
TOP_REQUIRED: Final = tuple(
    wire_name(field.name) for field in _wire_fields(Notification) if field.default is attrs.NOTHING
)
PERSON_KEYS: Final = tuple(wire_name(field.name) for field in _wire_fields(Person))
PERSON_REQUIRED: Final = tuple(
    wire_name(field.name) for field in _wire_fields(Person) if field.default is attrs.NOTHING
)
PERSON_DEFAULTS: Final[Mapping[str, Any]] = {
    wire_name(field.name): _wire_default(field.default)
    for field in _wire_fields(Person)
    if field.default is not attrs.NOTHING
}
TOP_DEFAULTS: Final[Mapping[str, Any]] = {"other_processes": [], "responsible_body": None}
PERSON_BOOLEANS: Final = (
    "learning_disability",
    "lived_in_england",
    "died_in_england",
    "gp_registered",
    "national_data_opt_out",
)
DATE_FIELDS: Final = (
    ("notified_on", "$.notified_on"),
    ("date_of_birth", "$.person.date_of_birth"),
    ("date_of_death", "$.person.date_of_death"),
)


#: Lists of distinct other processes, as ``other_processes`` holds them.
_DISTINCT_PROCESSES: Final = st.lists(st.sampled_from(PROCESS_VALUES), unique=True)


def _wire(value: object) -> Any:
    """A pinned value as it is written in a document."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_wire(item) for item in value]
    return value


def _wired(
    value: Pin[Any] | None, default: st.SearchStrategy[Any]
) -> tuple[bool, st.SearchStrategy[Any]]:
    pinned = strategy_of(value)
    if pinned is None:
        return False, default
    return True, pinned.map(_wire)


@st.composite
def _documents(
    draw: st.DrawFn,
    dates: st.SearchStrategy[NotificationDates],
    fields: Mapping[str, tuple[bool, st.SearchStrategy[Any]]],
    schema: bool | None,
) -> dict[str, Any]:
    def value_of(key: str) -> Any:
        return draw(fields[key][1])

    def optional(target: dict[str, Any], key: str) -> None:
        pinned, strategy = fields[key]
        if pinned or draw(st.booleans()):
            target[key] = draw(strategy)

    born, died, notified = draw(dates)
    person: dict[str, Any] = {}
    optional(person, "nhs_number")
    person["date_of_birth"] = born.isoformat()
    person["date_of_death"] = died.isoformat()
    person["learning_disability"] = value_of("learning_disability")
    person["autism"] = value_of("autism")
    optional(person, "ethnicity")
    person["lived_in_england"] = value_of("lived_in_england")
    for key in ("died_in_england", "gp_registered", "national_data_opt_out", "detention"):
        optional(person, key)
    document: dict[str, Any] = {}
    if schema or (schema is None and draw(st.booleans())):
        document["schema"] = SCHEMA
    document["id"] = value_of("id")
    document["notified_on"] = notified.isoformat()
    document["notifier_role"] = value_of("notifier_role")
    document["person"] = person
    optional(document, "other_processes")
    optional(document, "responsible_body")
    return document


def notification_documents(
    *,
    id: Pin[str] | None = None,
    notified_on: Pin[date] | None = None,
    notifier_role: Pin[NotifierRole | str] | None = None,
    nhs_number: Pin[str | None] | None = None,
    date_of_birth: Pin[date] | None = None,
    date_of_death: Pin[date] | None = None,
    age_at_death: Pin[int] | None = None,
    learning_disability: Pin[bool] | None = None,
    autism: Pin[AutismStatus | str] | None = None,
    ethnicity: Pin[EthnicCategory | str | None] | None = None,
    lived_in_england: Pin[bool] | None = None,
    died_in_england: Pin[bool] | None = None,
    gp_registered: Pin[bool] | None = None,
    national_data_opt_out: Pin[bool] | None = None,
    detention: Pin[Detention | str] | None = None,
    other_processes: Pin[Sequence[OtherProcess | str]] | None = None,
    responsible_body: Pin[str | None] | None = None,
    schema: bool | None = None,
    programme_era: bool = True,
    edges: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``leder.notification/1`` documents as plain JSON-compatible dicts.

    Each keyword pins a fact, as a value or a strategy (enumeration members and dates are
    written as their wire strings); ``None`` leaves it free, and ``st.none()`` pins a nullable
    field to ``null``. A pinned optional field is always present in the document.

    Unpinned, optional keys are sometimes present (with any allowed value, defaults included) and
    sometimes absent; the NHS number is absent, ``null``, or a synthetic number written with or
    without spaces (:func:`nhs_numbers`); ``other_processes`` holds distinct names;
    ``responsible_body`` is ``null`` or an ODS code (:func:`ods_codes`). ``schema``: ``True`` always
    writes ``"schema": "leder.notification/1"``, ``False`` never, ``None`` sometimes. Dates and ages
    are drawn by :func:`notification_dates` with ``age_at_death``, ``programme_era`` and ``edges``.
    """
    dates = notification_dates(
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        notified_on=notified_on,
        age_at_death=age_at_death,
        programme_era=programme_era,
        edges=edges,
    )
    fields = {
        "id": _wired(id, document_ids()),
        "notifier_role": _wired(notifier_role, st.sampled_from(NOTIFIER_ROLES)),
        "nhs_number": _wired(nhs_number, st.one_of(nhs_numbers(), st.none())),
        "learning_disability": _wired(learning_disability, st.booleans()),
        "autism": _wired(autism, st.sampled_from(AUTISM_VALUES)),
        "ethnicity": _wired(ethnicity, st.sampled_from((*ETHNICITY_VALUES, None))),
        "lived_in_england": _wired(lived_in_england, st.booleans()),
        "died_in_england": _wired(died_in_england, st.booleans()),
        "gp_registered": _wired(gp_registered, st.booleans()),
        "national_data_opt_out": _wired(national_data_opt_out, st.booleans()),
        "detention": _wired(detention, st.sampled_from(DETENTION_VALUES)),
        "other_processes": _wired(other_processes, _DISTINCT_PROCESSES),
        "responsible_body": _wired(responsible_body, st.one_of(ods_codes(), st.none())),
    }
    return _documents(dates, fields, schema)


def notifications(
    documents: st.SearchStrategy[dict[str, Any]] | None = None,
    *,
    opening: Outcome | str | None = None,
    interpretation: Interpretation | None = None,
) -> st.SearchStrategy[Notification]:
    """:class:`~leder_core.models.Notification` models, loaded with
    :func:`~leder_core.load_notification` from ``documents`` (by default
    :func:`notification_documents`). To pin facts, pass documents with them pinned:
    ``notifications(notification_documents(age_at_death=st.integers(4, 17)))``.

    ``opening`` keeps only notifications assessed (under ``interpretation``, by default the
    rulebook's) with that outcome, so that a review opens in a chosen way: ``"leder_review"``
    (awaiting allocation), ``"regional_decision"`` (awaiting a regional decision), or any other
    outcome (closed at once). Without ``documents`` the facts that lead to that outcome are
    pinned first, so few draws are thrown away."""
    if opening is None:
        chosen = documents if documents is not None else notification_documents()
        return chosen.map(load_notification)
    outcome = Outcome(opening)
    chosen = documents if documents is not None else _documents_opening(outcome)
    under = interpretation if interpretation is not None else Interpretation()

    def opens_so(notification: Notification) -> bool:
        return _assess(notification, interpretation=under).outcome is outcome

    return chosen.map(load_notification).filter(opens_so)


_LEFT_OUT_WHEN_ABSENT: Final = frozenset(
    {"died_in_england", "gp_registered", "national_data_opt_out", "detention"}
)


def normalised(document: Mapping[str, Any]) -> dict[str, Any]:
    """What ``dump(load_notification(document))`` must equal for a valid ``document``.

    The schema name first, every default filled in except for the person facts a notification
    may leave out (``died_in_england``, ``gp_registered``, ``national_data_opt_out``,
    ``detention``: assumed, and left out again), the NHS number as 10 digits without spaces,
    ``other_processes`` as a list, and everything else exactly as given, keys in the order of
    docs/notification-format.md. Written from that page, independently of the loader, to serve as
    an oracle. ``document`` must be valid; an invalid one gives a meaningless result.
    """
    person = document["person"]
    number = person.get("nhs_number")
    normal_person: dict[str, Any] = {
        "nhs_number": None if number is None else number.replace(" ", "")
    }
    for key in PERSON_KEYS[1:]:
        if key in person:
            normal_person[key] = person[key]
        elif key not in _LEFT_OUT_WHEN_ABSENT:
            normal_person[key] = PERSON_DEFAULTS[key]
    normal: dict[str, Any] = {"schema": SCHEMA}
    for key in TOP_KEYS:
        if key == "person":
            normal[key] = normal_person
        elif key in document:
            normal[key] = document[key]
        else:
            normal[key] = TOP_DEFAULTS[key]
    normal["other_processes"] = list(normal["other_processes"])
    return normal


#: The notification facts that lead to each opening outcome (then checked by assessment).
_ADULT_WITH_LD: Final[dict[str, Any]] = {
    "learning_disability": True,
    "age_at_death": st.integers(18, 95),
    "lived_in_england": True,
    "died_in_england": True,
    "national_data_opt_out": False,
    "programme_era": False,
}


def _documents_opening(outcome: Outcome) -> st.SearchStrategy[dict[str, Any]]:
    era = plausible_dates(date(2022, 1, 1), date(2029, 12, 31), edges=False)
    if outcome is Outcome.LEDER_REVIEW:
        return notification_documents(**_ADULT_WITH_LD, gp_registered=True, notified_on=era)
    if outcome is Outcome.REGIONAL_DECISION:
        return notification_documents(**_ADULT_WITH_LD, gp_registered=False, notified_on=era)
    if outcome is Outcome.NO_REVIEW_OPT_OUT:
        pinned = {**_ADULT_WITH_LD, "national_data_opt_out": True}
        return notification_documents(**pinned, notified_on=era)
    if outcome is Outcome.CHILD_DEATH_REVIEW:
        return notification_documents(
            learning_disability=True,
            age_at_death=st.integers(4, 17),
            lived_in_england=True,
            died_in_england=True,
            notified_on=era,
            programme_era=False,
        )
    return notification_documents(learning_disability=False, autism="none", notified_on=era)
