"""The backlog made visible: indicators over a set of reviews (``leder.indicators/1``).

The how-to on the backlog defines the indicators, docs/schemas.md the document: :class:`Counts`
holds the indicators of one group (in total, one responsible body, one rule set) with exactly
the contract's keys in the contract's order. Local service levels (DEAD-WORKING-DAYS) are an
optional extension: their fields are ``None`` unless service levels were asked for, and a
``None`` extension is left out of the document, so the default document is exactly the
contract's.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import attrs

from leder_core.errors import InvalidInput
from leder_core.interpretation import Interpretation
from leder_core.models.review import EventType
from leder_core.models.wire import OMIT_IF_NONE

__all__ = [
    "NOTIFIED",
    "Counts",
    "Indicators",
    "ServiceLevel",
    "ServiceLevelCounts",
]

#: The start of a service level measured from the notification rather than from an event.
NOTIFIED: Final = "notified"

_EVENT_VALUES: Final = tuple(kind.value for kind in EventType)


def _event_value(value: object) -> str:
    # An EventType member becomes its plain wire value; anything else is checked later.
    return str(value) if isinstance(value, str) else value  # type: ignore[return-value]


def _event_type(value: object) -> EventType:
    if isinstance(value, str) and value in _EVENT_VALUES:
        return EventType(value)
    return value  # type: ignore[return-value]  # refused in __attrs_post_init__


@attrs.frozen(kw_only=True)
class ServiceLevel:
    """A local service level (DEAD-WORKING-DAYS): reach one step within so many working days.

    "Allocated within 5 working days of notification" is
    ``ServiceLevel(name="allocation", from_event="notified", to_event="allocated",
    working_days=5)``. The clock starts on the notification date (``"notified"``) or on the
    first event of type ``from_event``; the level is met by the first ``to_event`` event after
    it, dated on or before the ``working_days``-th working day after the start (day 1 is the
    first working day after the start date).

    >>> ServiceLevel(
    ...     name="allocation", from_event="notified", to_event="allocated", working_days=5
    ... ).to_event
    <EventType.ALLOCATED: 'allocated'>
    """

    name: str
    from_event: str = attrs.field(converter=_event_value)
    """``"notified"`` or an event type (its wire value)."""
    to_event: EventType = attrs.field(converter=_event_type)
    working_days: int

    def __attrs_post_init__(self) -> None:
        # Every problem at once, each at its own path, as for documents.
        problems = []
        name: object = self.name
        if not isinstance(name, str) or not 1 <= len(name) <= 64 or not name.isprintable():
            problems.append(("$.name", "expected 1 to 64 characters, no control characters"))
        start: object = self.from_event
        if not (isinstance(start, str) and (start == NOTIFIED or start in _EVENT_VALUES)):
            allowed = ", ".join((NOTIFIED, *_EVENT_VALUES))
            problems.append(("$.from_event", f"expected one of: {allowed}"))
        end: object = self.to_event
        if not isinstance(end, EventType):
            problems.append(("$.to_event", f"expected one of: {', '.join(_EVENT_VALUES)}"))
        elif end.value == start:
            problems.append(("$.to_event", "must differ from the start event"))
        days: object = self.working_days
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            problems.append(("$.working_days", "expected a whole number of at least 0"))
        if problems:
            raise InvalidInput(problems)


@attrs.frozen(kw_only=True)
class ServiceLevelCounts:
    """How the reviews of one group fared against one :class:`ServiceLevel`, as of a date.

    Only reviews in scope count. ``started``: reached the start on or before the date.
    ``met``: reached the end on or before the limit; ``late``: after it. ``open_past_limit``:
    not reached the end, still open, and the date is after the limit. The rest of ``started``
    have either time left or ended (completed or closed) without the end event.
    ``provisional``: some count depends on a limit after the last confirmed bank holidays.
    """

    name: str
    started: int = 0
    met: int = 0
    late: int = 0
    open_past_limit: int = 0
    provisional: bool = False


@attrs.frozen(kw_only=True)
class Counts:
    """The indicators for one group, in the order of docs/schemas.md.

    ``within_six_months_share`` is the unrounded ``completed_within_six_months / due``, null
    when nothing is due. ``median_days_to_completion`` is the ordinary median of completion
    date minus notification date over the completed reviews (the mean of the middle two for
    an even count), always a float — ``153.0``, or ``152.5`` — so the document's type does not
    depend on the count; null when none is completed.
    """

    notified: int = 0
    in_scope: int = 0
    unallocated: int = 0
    in_progress: int = 0
    incomplete: int = 0
    """``unallocated + in_progress``: what the press and Parliament called "the backlog" (the
    3,802 reviews not completed in November 2019)."""
    completed: int = 0
    closed: int = 0
    due: int = 0
    completed_within_six_months: int = 0
    within_six_months_share: float | None = None
    backlog: int = 0
    backlog_excused: int = 0
    backlog_unexcused: int = 0
    median_days_to_completion: float | None = None
    service_levels: tuple[ServiceLevelCounts, ...] | None = attrs.field(
        default=None, metadata={OMIT_IF_NONE: True}
    )
    """One entry per service level asked for, in the order given; ``None`` (and left out of
    the document) when none was asked for."""


@attrs.frozen(kw_only=True)
class Indicators:
    """The indicators over a set of reviews as of a date (``leder.indicators/1``).

    ``by_body`` is keyed by the body responsible on ``as_of`` (BODY-AS-OF): its ODS code,
    ``unknown`` when none is recorded, ``unknown:<code>`` for a code the directory does not
    know on that date, ``unresolved:<code>`` after a split the recorded code cannot settle;
    and ``by_ruleset`` is keyed by rule set (``none`` for notifications before the
    programme); each holds only the groups with at least one notification counted, in sorted
    key order.

    ``interpretation`` is the interpretation every review was judged under: each review's own
    (fixed when it was loaded), with the clock and ``due_soon_days`` of one given to
    :func:`~leder_core.indicators`; the one given (or the defaults) when there are no reviews;
    ``None`` when the reviews were judged under different ones.
    """

    as_of: date
    interpretation: Interpretation | None
    total: Counts
    by_body: dict[str, Counts]
    by_ruleset: dict[str, Counts]
    service_levels: tuple[ServiceLevel, ...] | None = attrs.field(
        default=None, metadata={OMIT_IF_NONE: True}
    )
    """The service levels asked for; ``None`` (left out of the document) when none was."""
