"""A responsible body over its lifetime in the directory (GOV-SUCCESSION's facts).

The directory of responsible bodies over time (an argument: nothing here reads files) says
whether a body was formed by a merger or split, and whether one ended it. A body formed on a
day F is judged from F; before F, and once a succession has ended it, nothing is required of it
(docs/governance.md). :func:`body_lifetime` gives the facts; the governance rules judge with
them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import attrs

from leder_core.models.bodies import Directory, OrganisationKind
from leder_core.rules.bodies import body_as_of

__all__ = ["BodyLifetime", "body_lifetime"]

_RESPONSIBLE: Final = frozenset({OrganisationKind.CCG, OrganisationKind.ICS, OrganisationKind.ICB})


@attrs.frozen(kw_only=True)
class BodyLifetime:
    """What the directory of responsible bodies says of a body's code on a date (GOV-SUCCESSION).

    Facts only; :func:`~leder_core.check_governance` judges with them.
    """

    code: str
    on: date
    known: bool
    """Whether the directory knows the code at all (on any date, as any kind)."""
    formed_on: date | None = None
    """The first day F of a body formed by a succession (a merger or split effective that day)."""
    predecessors: tuple[str, ...] = ()
    """The bodies it was formed from, sorted."""
    ceased_on: date | None = None
    """The day a succession ended the body, when that is on or before ``on``."""
    split: bool = False
    """Whether the succession that ended it was a split (several successors)."""
    holders: tuple[tuple[str, str | None], ...] = ()
    """The bodies holding its area on ``on`` (code and name), when it ceased, sorted by code."""

    @property
    def not_formed_yet(self) -> bool:
        """Formed by a succession after the date: nothing is required of it yet."""
        return self.formed_on is not None and self.on < self.formed_on

    @property
    def judged(self) -> bool:
        """Whether its requirements are judged on the date (neither not formed nor ceased)."""
        return not self.not_formed_yet and self.ceased_on is None

    def start_of(self, day: date) -> date:
        """A dated requirement's date for this body: the later of ``day`` and the day the body
        was formed by a succession."""
        return day if self.formed_on is None else max(day, self.formed_on)


def _holder(directory: Directory, code: str, on: date) -> list[tuple[str, str | None]]:
    record = directory.entry(code, _RESPONSIBLE, on)
    if record is not None:
        return [(code, record.name)]
    found = body_as_of(directory, code, on)  # an area (a sub-ICB location): its board on the date
    if found.code is not None:
        return [(found.code, found.name)]
    named = []
    for candidate in found.candidates:
        board = directory.entry(candidate, _RESPONSIBLE, on)
        named.append((candidate, None if board is None else board.name))
    return named or [(code, None)]


def _holders(
    directory: Directory, code: str, since: date, on: date, seen: frozenset[str]
) -> list[tuple[str, str | None]]:
    """The bodies holding on ``on`` the area ``code`` held after ``since``: its successors,
    followed through every later succession effective on or before ``on``."""
    later = [(day, targets) for day, targets in directory.successors(code) if since < day <= on]
    if not later or code in seen:
        return _holder(directory, code, on)
    day, targets = later[0]
    found: list[tuple[str, str | None]] = []
    for target in targets:
        found += _holders(directory, target, day, on, seen | {code})
    return found


def body_lifetime(directory: Directory, code: str, on: date) -> BodyLifetime:
    """GOV-SUCCESSION's facts: whether ``code`` was formed by a succession (and when, from
    which bodies), and whether a succession effective on or before ``on`` ended it (and which
    bodies hold its area on ``on``)."""
    entries = directory.entries(code)
    if not entries:
        return BodyLifetime(code=code, on=on, known=False)
    incoming: dict[date, set[str]] = {}
    for succession in directory.successions:
        if succession.to == code:
            incoming.setdefault(succession.on, set()).add(succession.from_)
    formed = sorted(
        {entry.first for entry in entries if entry.kind in _RESPONSIBLE and entry.first in incoming}
    )
    formed_on = None
    if formed:
        begun = [day for day in formed if day <= on]
        formed_on = begun[-1] if begun else formed[0]
    ceased = [
        (day, targets)
        for day, targets in directory.successors(code)
        if day <= on and (formed_on is None or day > formed_on)
    ]
    formed_from = BodyLifetime(
        code=code,
        on=on,
        known=True,
        formed_on=formed_on,
        predecessors=tuple(sorted(incoming[formed_on])) if formed_on else (),
    )
    if not ceased or formed_from.not_formed_yet:
        return formed_from
    day, targets = ceased[0]
    holders = dict(_holders(directory, code, day - timedelta(days=1), on, frozenset()))
    return attrs.evolve(
        formed_from,
        ceased_on=day,
        split=len(targets) > 1,
        holders=tuple(sorted(holders.items())),
    )
