"""Responsible bodies over time (``leder.body/1``): the directory and a body on a date.

A :class:`Directory` holds the organisations that can be responsible for a review (CCGs,
sub-ICB locations, integrated care systems and boards), each with the days it existed and,
for a CCG or sub-ICB location, the ICS or ICB that held its area on each date; and the
successions between them. :class:`BodyOnDate` is what BODY-AS-OF makes of a recorded code on a
date (``dump`` gives ``leder.body/1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Final

import attrs

from leder_core.models.governance import BodyKind

__all__ = [
    "ICB_START",
    "ICS_START",
    "UNKNOWN",
    "BodyOnDate",
    "Directory",
    "DirectoryEntry",
    "OrganisationKind",
    "ParentLink",
    "Step",
    "StepKind",
    "Succession",
]


#: The integrated care system became responsible, hosted by its CCGs.
ICS_START: Final = date(2021, 6, 1)
#: CCGs were abolished and the integrated care boards established.
ICB_START: Final = date(2022, 7, 1)


class OrganisationKind(StrEnum):
    """What an entry of the directory is."""

    CCG = "ccg"
    """A clinical commissioning group (to 30 June 2022)."""
    SICBL = "sicbl"
    """A sub-ICB location (from 1 July 2022): a CCG's area, under the same code, in an ICB."""
    ICS = "ics"
    """An integrated care system (1 June 2021 to 30 June 2022), keyed by its STP's code."""
    ICB = "icb"
    """An integrated care board (from 1 July 2022)."""


class StepKind(StrEnum):
    """How responsibility passed from one body to another."""

    MERGER = "merger"
    """The body merged into its successor (CCG mergers 2017-2021, ICB mergers 2026)."""
    SPLIT = "split"
    """The body was split; the successor is the one that took the review's area."""
    ABOLITION = "abolition"
    """CCGs were abolished on 2022-07-01; the ICB that took the CCG's area took over."""
    HOSTED = "hosted"
    """From 2021-06-01 the integrated care system, hosted by its CCGs, was responsible."""


@attrs.frozen(kw_only=True)
class ParentLink:
    """The ICS or ICB that held a CCG's or sub-ICB location's area from one day to another."""

    from_: date
    to: date | None
    """The last day (inclusive); ``None`` while it still does."""
    code: str


@attrs.frozen(kw_only=True)
class DirectoryEntry:
    """One organisation of the directory in one role, with the days it existed in it."""

    code: str
    name: str
    kind: OrganisationKind
    first: date
    last: date | None = None
    """The last day (inclusive); ``None`` while it still exists."""
    parents: tuple[ParentLink, ...] = ()

    def on(self, day: date) -> bool:
        """Whether the organisation existed in this role on a day."""
        return self.first <= day and (self.last is None or day <= self.last)

    def parent_link_on(self, day: date) -> ParentLink | None:
        """The link to the ICS or ICB holding its area on a day, if the directory knows it."""
        for link in self.parents:
            if link.from_ <= day and (link.to is None or day <= link.to):
                return link
        return None

    def parent_on(self, day: date) -> str | None:
        """The code of the ICS or ICB holding its area on a day, if the directory knows it."""
        link = self.parent_link_on(day)
        return None if link is None else link.code


@attrs.frozen(kw_only=True)
class Succession:
    """One predecessor → successor link, effective on a date (several links of one
    predecessor on one date are a split)."""

    on: date
    from_: str
    to: str
    part: str | None = None
    """For a split, the part of the area that went to this successor, in words."""


def _index_records(records: tuple[DirectoryEntry, ...]) -> Mapping[str, tuple[DirectoryEntry, ...]]:
    found: dict[str, list[DirectoryEntry]] = {}
    for record in records:
        found.setdefault(record.code, []).append(record)
    return {code: tuple(sorted(entries, key=lambda r: r.first)) for code, entries in found.items()}


def _index_successions(
    successions: tuple[Succession, ...],
) -> Mapping[str, tuple[tuple[date, tuple[str, ...]], ...]]:
    found: dict[str, dict[date, list[str]]] = {}
    for succession in successions:
        targets = found.setdefault(succession.from_, {}).setdefault(succession.on, [])
        if succession.to not in targets:
            targets.append(succession.to)
    return {
        code: tuple((day, tuple(sorted(targets))) for day, targets in sorted(by_day.items()))
        for code, by_day in found.items()
    }


@attrs.frozen(kw_only=True)
class Directory:
    """The organisations that can be responsible for a review, and their successions
    (BODY-DIRECTORY). Frozen; build one with :func:`leder_core.bodies.load_directory`.
    """

    records: tuple[DirectoryEntry, ...]
    successions: tuple[Succession, ...]
    source: str
    licence: str
    _by_code: Mapping[str, tuple[DirectoryEntry, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _next: Mapping[str, tuple[tuple[date, tuple[str, ...]], ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_code", _index_records(self.records))
        object.__setattr__(self, "_next", _index_successions(self.successions))

    def entries(self, code: str) -> tuple[DirectoryEntry, ...]:
        """Every entry with this code, oldest first (a CCG and its sub-ICB location share one)."""
        return self._by_code.get(code, ())

    def entry(
        self, code: str, kinds: frozenset[OrganisationKind], day: date
    ) -> DirectoryEntry | None:
        """The entry with this code, of one of these kinds, that existed on a day."""
        for record in self._by_code.get(code, ()):
            if record.kind in kinds and record.on(day):
                return record
        return None

    def successors(self, code: str) -> tuple[tuple[date, tuple[str, ...]], ...]:
        """The successions from a code: (effective date, successor codes), in date order."""
        return self._next.get(code, ())

    @property
    def newest_change(self) -> date:
        """The date of the latest change the directory records (a succession, an
        organisation's first day, the day after its last, or a new parent)."""
        days = [succession.on for succession in self.successions]
        for record in self.records:
            days.append(record.first)
            if record.last is not None:
                days.append(date.fromordinal(record.last.toordinal() + 1))
            days += [link.from_ for link in record.parents]
        return max(days)

    def counts(self) -> dict[str, int]:
        """How many organisations of each kind, and how many successions (for a report)."""
        found = {
            kind.value: len({r.code for r in self.records if r.kind is kind})
            for kind in OrganisationKind
        }
        found["successions"] = len(self.successions)
        return found


@attrs.frozen(kw_only=True)
class Step:
    """One succession followed by BODY-AS-OF: on ``on``, ``from_code`` to ``to_code``."""

    on: date
    from_: str
    to: str
    kind: StepKind

    @property
    def from_code(self) -> str:
        """The code responsibility passed from."""
        return self.from_

    @property
    def to_code(self) -> str:
        """The code responsibility passed to."""
        return self.to


@attrs.frozen(kw_only=True)
class BodyOnDate:
    """The body responsible on a date for a review recorded with a code (BODY-AS-OF).

    ``key`` is the indicators' ``by_body`` key: the body's ODS code, ``unknown`` (no code),
    ``unknown:<code>`` (a code the directory does not know on the date) or
    ``unresolved:<code>`` (a split the recorded code cannot settle; ``candidates`` are the
    possible successors). ``code``, ``name`` and ``kind`` are ``None`` unless the body is known.
    """

    recorded: str | None
    on: date
    key: str
    code: str | None = None
    name: str | None = None
    kind: BodyKind | None = None
    steps: tuple[Step, ...] = ()
    candidates: tuple[str, ...] = ()


#: The ``by_body`` key of reviews with no responsible body recorded.
UNKNOWN: Final = "unknown"
