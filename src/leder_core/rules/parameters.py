"""Dated parameters: values that change over time, keyed by the date they start.

A parameter is a timeline of ``effective_from -> value``, each value with its citation. A new
policy is a new entry, never an edit of history. Start dates only: an end is the next start,
so two entries can never overlap.

>>> from datetime import date
>>> from leder_core.rules.parameters import MINIMUM_AGE
>>> MINIMUM_AGE.at(date(2024, 1, 1))
4
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any, Final, Generic, TypeVar

import attrs

from leder_core.models.assessment import RuleSetId
from leder_core.models.explanation import Citation
from leder_core.models.identifiers import EARLIEST_DATE
from leder_core.rules.sources import SOURCES

__all__ = [
    "ADULT_AGE",
    "AUTISM_FOCUSED_MANDATORY",
    "AUTISM_QUALIFIES",
    "BEGINNING",
    "DOLS_IS_STATE_DETENTION",
    "MINIMUM_AGE",
    "POLICE_CONDUCT_BODY",
    "REVIEW_MONTHS",
    "RULESET_BY_NOTIFICATION_DATE",
    "YOUNG_ADULT_MAXIMUM_AGE",
    "Dated",
    "Parameter",
    "change_dates",
]

V = TypeVar("V")

#: The start of every timeline whose first value has always applied: the earliest date a
#: document may hold.
BEGINNING: Final = EARLIEST_DATE


@attrs.frozen
class Dated(Generic[V]):
    """One value of a parameter, from its start date until the next entry's."""

    effective_from: date
    value: V
    citation: Citation


def _sorted_unique(instance: Parameter[object], attribute: object, value: object) -> None:
    starts = [entry.effective_from for entry in instance.timeline]
    if not starts:
        raise ValueError(f"parameter {instance.name} has no values")
    if starts != sorted(set(starts)):
        raise ValueError(f"parameter {instance.name}: start dates must be increasing and unique")


@attrs.frozen
class Parameter(Generic[V]):
    """A named value that changes over time."""

    name: str
    description: str
    timeline: tuple[Dated[V], ...] = attrs.field(validator=_sorted_unique)
    _starts: tuple[date, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(entry.effective_from for entry in self.timeline))

    def entry_at(self, on: date) -> Dated[V] | None:
        """The entry in force on a date, or ``None`` before the first one."""
        index = bisect_right(self._starts, on)
        return self.timeline[index - 1] if index else None

    def at(self, on: date) -> V:
        """The value in force on a date; :class:`LookupError` before the first entry."""
        entry = self.entry_at(on)
        if entry is None:
            raise LookupError(f"parameter {self.name} has no value before {self._starts[0]}")
        return entry.value


def change_dates(*parameters: Parameter[Any]) -> tuple[date, ...]:
    """Every date on which any of ``parameters`` takes a new value, in order.

    Between two consecutive change dates (and before the first) every one of these parameters
    has one value, so a computation that reads only them can be shared by all dates of the span.
    """
    starts = {entry.effective_from for parameter in parameters for entry in parameter.timeline}
    return tuple(sorted(starts))


def _timeline(*entries: tuple[date, V, str]) -> tuple[Dated[V], ...]:
    return tuple(Dated(start, value, SOURCES[source]) for start, value, source in entries)


RULESET_BY_NOTIFICATION_DATE: Final = Parameter[RuleSetId](
    "ruleset",
    "The rule set in force, by notification date (RS-SELECT).",
    _timeline(
        (date(2016, 7, 1), RuleSetId.LEDER_2016, "bristol-annual-report-2018"),
        (date(2021, 6, 1), RuleSetId.LEDER_2021, "leder-policy-2021"),
    ),
)

MINIMUM_AGE: Final = Parameter[int](
    "minimum_age",
    "The youngest age at death, in completed years, for which a death is in scope.",
    _timeline((date(2016, 7, 1), 4, "nhse-leder-faq-2016")),
)

ADULT_AGE: Final = Parameter[int](
    "adult_age",
    "The age at death from which a death gets a LeDeR review rather than a child death review.",
    _timeline((date(2016, 7, 1), 18, "necldn-leder")),
)

YOUNG_ADULT_MAXIMUM_AGE: Final = Parameter[int](
    "young_adult_maximum_age",
    "The oldest age at death of the 2016 rule set's young-adult priority theme (from 18).",
    _timeline((date(2016, 7, 1), 24, "bristol-annual-report-2018")),
)

AUTISM_QUALIFIES: Final = Parameter[bool](
    "autism_qualifies",
    "Whether a diagnosis of autism alone brings an adult's death into scope, keyed by the "
    "date INT-AUTISM-START-KEY names.",
    _timeline(
        (BEGINNING, False, "nhse-leder-faq-2016"),
        (date(2022, 1, 1), True, "nel-icb-leder"),
    ),
)

AUTISM_FOCUSED_MANDATORY: Final = Parameter[bool](
    "autism_focused_mandatory",
    "Whether an autistic adult without a learning disability gets a mandatory focused review, "
    "by the key date INT-AUTISM-START-KEY names (INT-AUTISM-FOCUSED 'until_2023').",
    _timeline(
        (date(2021, 6, 1), True, "mip-2021-autism"),
        (date(2024, 1, 1), False, "mip-2021-autism"),
    ),
)

DOLS_IS_STATE_DETENTION: Final = Parameter[bool](
    "dols_is_state_detention",
    "Whether a death under a Deprivation of Liberty authorisation is a death in state "
    "detention for the coroner, by date of death.",
    _timeline(
        (BEGINNING, True, "coroners-and-justice-act-2009-s1"),
        (date(2017, 4, 3), False, "policing-and-crime-act-2017-dols"),
    ),
)

POLICE_CONDUCT_BODY: Final = Parameter[str](
    "police_conduct_body",
    "The body a death in or following police custody is referred to (HOLD-DETENTION), by date "
    "of death: the IOPC replaced the IPCC on 8 January 2018.",
    _timeline(
        (BEGINNING, "the Independent Police Complaints Commission (IPCC)", "iopc"),
        (date(2018, 1, 8), "the Independent Office for Police Conduct (IOPC)", "iopc"),
    ),
)

REVIEW_MONTHS: Final = Parameter[int](
    "review_months",
    "Calendar months from notification within which a review should be completed.",
    _timeline(
        (date(2016, 7, 1), 6, "pq-1707"),
        (date(2021, 6, 1), 6, "leder-process"),
    ),
)
