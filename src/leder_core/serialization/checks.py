"""The checks a document passes beyond its fields' types: its nesting depth, and the checks
that involve more than one field (a death before its notification, financial years).

Each cross-field check is written once for the raw document (it runs whatever else is wrong,
so its problems are listed beside the others) and once for the structured model (cheaper where
every field was valid); the registry (:mod:`leder_core.serialization.documents`) pairs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from leder_core.errors import InvalidInput
from leder_core.models.governance import Arrangements, FinancialYear
from leder_core.models.notification import Notification
from leder_core.models.review import ReviewDocument
from leder_core.serialization.primitives import InvalidValue, key_path, parse_date

__all__ = [
    "MAX_DEPTH",
    "TOO_DEEP",
    "arrangements_problems",
    "check_nesting",
    "governance_cross_checks",
    "nesting_problem",
    "notification_cross_checks",
    "notification_model_checks",
    "review_cross_checks",
    "review_model_checks",
]

#: How many arrays and objects deep an input may be nested (the document itself is level 1).
MAX_DEPTH: Final = 100
#: The message of a problem nested deeper than :data:`MAX_DEPTH`.
TOO_DEEP: Final = f"nested more than {MAX_DEPTH} arrays and objects deep"


def nesting_problem(data: object, path: str = "$") -> tuple[str, str] | None:
    """The problem with ``data`` if it is nested deeper than :data:`MAX_DEPTH`, else ``None``.

    The walk keeps its own stack (it never recurses), so any depth is safe to check. The
    problem's path names the member of ``data`` that holds the deep nesting
    (``$.person.notes``), as far as two levels down.
    """
    if not _is_container(data):
        return None
    stack: list[tuple[Any, int, str]] = [(data, 1, path)]
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            return (where, TOO_DEEP)
        kind = type(value)
        members: Iterable[tuple[object, object]]
        if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
            members = value.items()
        else:
            members = enumerate(value)
        deeper = depth + 1
        for key, child in members:
            # Exact types first: the parsed JSON this walks is plain dicts, lists and scalars,
            # and an ABC check on every member would cost more than the walk itself.
            child_kind = type(child)
            if child_kind in _SCALARS:
                continue
            if child_kind is dict or child_kind is list or _is_container(child):
                stack.append((child, deeper, key_path(where, key) if depth < 3 else where))
    return None


_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def _is_container(value: object) -> bool:
    return isinstance(value, (Mapping, list, tuple))


def check_nesting(data: object, path: str = "$") -> None:
    """Raise :class:`~leder_core.InvalidInput` if ``data`` is nested deeper than
    :data:`MAX_DEPTH` (see :func:`nesting_problem`)."""
    problem = nesting_problem(data, path)
    if problem is not None:
        raise InvalidInput([problem])


# --- notification -------------------------------------------------------------------------


def _optional_date(mapping: object, key: str) -> date | None:
    if not isinstance(mapping, Mapping):
        return None
    try:
        return parse_date(mapping.get(key))
    except InvalidValue:
        return None


def _date_order(
    born: date | None, died: date | None, notified: date | None
) -> list[tuple[str, str]]:
    """Death not before birth, notification not before death (docs/notification-format.md)."""
    problems = []
    if born is not None and died is not None and died < born:
        problems.append(("$.person.date_of_death", "the date of death is before the date of birth"))
    if died is not None and notified is not None and notified < died:
        problems.append(("$.notified_on", "the notification date is before the date of death"))
    return problems


def notification_cross_checks(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The cross-field checks of a notification document, on its raw mapping."""
    person = data.get("person")
    return _date_order(
        _optional_date(person, "date_of_birth"),
        _optional_date(person, "date_of_death"),
        _optional_date(data, "notified_on"),
    )


def notification_model_checks(notification: Notification) -> Sequence[tuple[str, str]]:
    """The cross-field checks of a notification, on its model (the fast way in asks them of
    every valid notification: an ordered one is answered at once)."""
    person = notification.person
    born, died, notified = person.date_of_birth, person.date_of_death, notification.notified_on
    if born <= died <= notified:
        return _NO_PROBLEMS
    return _date_order(born, died, notified)


_NO_PROBLEMS: Final[Sequence[tuple[str, str]]] = ()


def review_cross_checks(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    notification = data.get("notification")
    if isinstance(notification, Mapping):
        for path, message in notification_cross_checks(notification):
            yield "$.notification" + path[1:], message


def review_model_checks(document: ReviewDocument) -> Sequence[tuple[str, str]]:
    """The cross-field checks of a review document, on its model: its notification's."""
    problems = notification_model_checks(document.notification)
    return [("$.notification" + path[1:], message) for path, message in problems]


# --- governance arrangements ---------------------------------------------------------------


def _year_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return None  # the converter reports a value of the wrong type
    try:
        FinancialYear.parse(value)
    except ValueError as error:
        return str(error)
    return None


def _raw_date(value: object) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None  # the converter reports it


def governance_cross_checks(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Financial years written ``YYYY/YY`` and action plans that end no earlier than they start.

    Receives the raw document, so these problems are listed whatever else is wrong with it.
    """
    reports = data.get("annual_reports")
    if isinstance(reports, list | tuple):
        for index, report in enumerate(reports):
            if isinstance(report, Mapping):
                problem = _year_problem(report.get("year"))
                if problem is not None:
                    yield (f"$.annual_reports[{index}].year", problem)
    plan = data.get("action_plan")
    if isinstance(plan, Mapping):
        start, end = _raw_date(plan.get("from")), _raw_date(plan.get("to"))
        if start is not None and end is not None and end < start:
            yield ("$.action_plan.to", "the action plan ends before it starts")


def arrangements_problems(arrangements: Arrangements) -> Iterator[tuple[str, str]]:
    """The same checks for arrangements built in Python rather than loaded from a document."""
    for index, report in enumerate(arrangements.annual_reports):
        try:
            FinancialYear.parse(report.year)
        except ValueError as error:
            yield (f"$.annual_reports[{index}].year", str(error))
    plan = arrangements.action_plan
    if plan is not None and plan.to < plan.from_:
        yield ("$.action_plan.to", "the action plan ends before it starts")
