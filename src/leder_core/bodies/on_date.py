"""The body responsible on a date: for one recorded code (:func:`body_on`) and for a set of
reviews (:func:`reviews_of_body`). The rule itself (BODY-AS-OF) is
:func:`leder_core.rules.bodies.body_as_of`, imported on first use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from leder_core.bodies.bundled import bundled_directory
from leder_core.errors import InvalidInput
from leder_core.models.bodies import BodyOnDate, Directory

if TYPE_CHECKING:
    from leder_core.models.review import Review

__all__ = ["body_on", "reviews_of_body"]


def body_on(code: str | None, on: date, *, directory: Directory | None = None) -> BodyOnDate:
    """BODY-AS-OF: the body responsible on ``on`` for a review recorded with ``code``.

    ``directory`` defaults to :func:`bundled_directory`. Never raises for a code: an empty or
    missing one is ``unknown``, one the directory does not know on the date is
    ``unknown:<code>``, and a split the code cannot settle is ``unresolved:<code>``.
    """
    from leder_core.rules.bodies import body_as_of  # noqa: PLC0415 - the rules on first use

    if not isinstance(on, date):
        raise InvalidInput([("$.on", "expected a date")])
    return body_as_of(bundled_directory() if directory is None else directory, code, on)


def reviews_of_body(
    reviews: Iterable[Review], code: str, on: date, *, directory: Directory | None = None
) -> tuple[list[Review], dict[str, int]]:
    """The reviews whose body on ``on`` (BODY-AS-OF) is ``code``, and how many of the others
    fell to each other body key: what a governance check of one body takes as its reviews."""
    directory = directory if directory is not None else bundled_directory()
    keys: dict[str | None, str] = {}
    kept: list[Review] = []
    left_out: dict[str, int] = {}
    for review in reviews:
        recorded = review.notification.responsible_body
        key = keys.get(recorded)
        if key is None:
            key = keys[recorded] = body_on(recorded, on, directory=directory).key
        if key == code:
            kept.append(review)
        else:
            left_out[key] = left_out.get(key, 0) + 1
    return kept, left_out
