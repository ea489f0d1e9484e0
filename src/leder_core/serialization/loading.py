"""Documents in as models: :func:`load` and the loader of each document.

Loading is three-speed: a valid document of a kind with a fast way in
(:mod:`leder_core.serialization.fast_load`) takes it, and the fast way declines anything it
is not sure of; then a document is structured by the converter without detailed validation,
and only when that fails is it structured again with detailed validation, so that
:class:`~leder_core.InvalidInput` can list every problem with its JSON path. Messages never
quote a value.

Models the loaders built are valid already: each is marked (by identity, held weakly) and not
checked again, so ``assess(load_notification(...))`` does not check one document twice.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from leder_core.errors import InvalidInput
from leder_core.models.assessment import Assessment
from leder_core.models.governance import Arrangements
from leder_core.models.notification import Notification
from leder_core.models.review import Event, ReviewDocument
from leder_core.serialization.checks import check_nesting
from leder_core.serialization.converter import detailed_converter, fast_converter
from leder_core.serialization.fast_load import DECLINE, fast_load
from leder_core.serialization.primitives import problems_of
from leder_core.serialization.registry import CROSS_CHECKS, FAST_LOADS, MODEL_CHECKS

__all__ = [
    "load",
    "load_assessment",
    "load_by_converter",
    "load_event",
    "load_governance",
    "load_notification",
    "load_review_document",
    "mark_valid",
    "marked_valid",
]

T = TypeVar("T")
_M = TypeVar("_M")


def load(data: object, kind: type[T], *, path: str = "$") -> T:
    """Structure ``data`` as ``kind``, or raise :class:`InvalidInput` listing every problem.

    A document may name its own schema (``"schema": "leder.notification/1"``); any other
    value of that key is a problem.
    """
    if type(data) is dict:
        valid_fast = FAST_LOADS.get(kind)
        if valid_fast is not None:
            loaded = fast_load(valid_fast, data)
            if loaded is not None:
                return loaded  # type: ignore[no-any-return]
    return load_by_converter(data, kind, path)


def load_by_converter(data: object, kind: type[T], path: str = "$") -> T:
    """:func:`load` without the fast way for valid documents: the converter decides."""
    if type(data) is not dict and not isinstance(data, Mapping):
        raise InvalidInput([(path, "expected a JSON object")])
    check_nesting(data, path)  # no valid document is deep: the fast ways never pay for this
    result = _structure_fast(data, kind)
    if result is _FAILED:
        # The detailed pass either lists every problem, or structures a document the fast
        # pass could not (it stops at the first surprise).
        try:
            result = detailed_converter().structure(data, kind)
        except Exception as error:  # turned into problems with paths
            problems = list(problems_of(error, path))
            cross_check = CROSS_CHECKS.get(kind)
            if cross_check is not None:
                problems += [(path + sub[1:], message) for sub, message in cross_check(data)]
            raise InvalidInput(problems or [(path, "invalid document")]) from None
    model_check = MODEL_CHECKS.get(kind)
    if model_check is not None:
        cross_problems = list(model_check(result))
    else:
        cross_check = CROSS_CHECKS.get(kind)
        cross_problems = list(cross_check(data)) if cross_check is not None else []
    if cross_problems:
        raise InvalidInput((path + sub[1:], message) for sub, message in cross_problems)
    return result  # type: ignore[return-value]


_FAILED: Final = object()


def _structure_fast(body: Mapping[str, Any], kind: type[T]) -> T | object:
    """The document structured, or ``_FAILED`` for the detailed pass to explain why."""
    hook = _FAST_HOOKS.get(kind)
    if hook is None:
        hook = _FAST_HOOKS[kind] = fast_converter().get_structure_hook(kind)
    try:
        return hook(body, kind)  # type: ignore[no-any-return]
    except Exception:  # explained by the detailed pass
        return _FAILED


# The fast converter's structure hook of each document class, looked up once.
_FAST_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {}


_VALID: dict[int, weakref.ref[Any]] = {}
_VALID_LIMIT: Final = 1 << 16


def mark_valid(model: _M) -> _M:
    """Remember that ``model`` came from the loader (held weakly: a dead one is forgotten)."""
    if len(_VALID) >= _VALID_LIMIT:
        _VALID.clear()
    _VALID[id(model)] = weakref.ref(model)
    return model


def marked_valid(model: object) -> bool:
    """Whether ``model`` came from a loader (see :func:`mark_valid`)."""
    found = _VALID.get(id(model))
    return found is not None and found() is model


def load_notification(data: Mapping[str, Any]) -> Notification:
    """Structure and validate a notification document (``leder.notification/1``).

    Raises :class:`~leder_core.InvalidInput` listing every problem, each with its JSON path.

    >>> notification = load_notification(
    ...     {
    ...         "id": "N-1",
    ...         "notified_on": "2024-03-15",
    ...         "notifier_role": "gp",
    ...         "person": {
    ...             "date_of_birth": "1970-01-01",
    ...             "date_of_death": "2024-03-10",
    ...             "learning_disability": True,
    ...             "autism": "none",
    ...             "lived_in_england": True,
    ...         },
    ...     }
    ... )
    >>> notification.person.gp_registered
    True
    """
    fast = FAST_LOADS.get(Notification)
    if fast is not None and type(data) is dict:
        try:
            # The common case, a valid document; marked valid for assess (see mark_valid).
            notification: Notification = fast(data)
        except DECLINE:
            pass  # declined: the converter's way explains (or, rarely, accepts) it
        else:
            mark_valid(notification)
            return notification
    return mark_valid(load_by_converter(data, Notification))


def load_assessment(data: Mapping[str, Any]) -> Assessment:
    """Structure a ``leder.assessment/1`` document back into its model.

    ``load_assessment(dump(a)) == a`` for every assessment; an invalid document raises
    :class:`~leder_core.InvalidInput` listing every problem with its JSON path.
    """
    return load(data, Assessment)


def load_review_document(data: Mapping[str, Any]) -> ReviewDocument:
    """Structure a ``leder.review/1`` document without replaying it."""
    return load(data, ReviewDocument)


def load_event(data: Mapping[str, Any], *, path: str = "$") -> Event:
    """Structure one workflow event document (docs/schemas.md)."""
    event: Event = load(data, Event, path=path)  # type: ignore[arg-type]
    return mark_valid(event)


def load_governance(data: Mapping[str, Any]) -> Arrangements:
    """Structure and validate a governance arrangements document (``leder.governance/1``).

    Raises :class:`~leder_core.InvalidInput` listing every problem, each with its JSON path.

    >>> arrangements = load_governance({"body": {"code": "QE1", "kind": "icb"}})
    >>> arrangements.reviewers
    ()
    """
    return load(data, Arrangements)
