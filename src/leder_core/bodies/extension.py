"""What the official ODS files add to a directory of responsible bodies (BODY-DIRECTORY).

Files add to the history and never rewrite it: a new code, an end date where none was known, a
succession not yet known, and a sub-ICB location's new parent ICB from the date of the
succession to that ICB (a move that cannot be dated is ignored).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final, NamedTuple

import attrs

from leder_core.models.bodies import (
    ICB_START,
    Directory,
    DirectoryEntry,
    OrganisationKind,
    ParentLink,
    Succession,
)

__all__ = ["OdsRow", "extended"]

_CCG_END: Final = ICB_START - timedelta(days=1)
_AREA_KINDS: Final = (OrganisationKind.CCG, OrganisationKind.SICBL)

#: The directory's entries being built, by the identity of the base entry each replaces.
_Records = dict[int, DirectoryEntry]


class OdsRow(NamedTuple):
    """A row of an official ODS file in the standard layout, as the directory reads it."""

    code: str
    name: str
    parent: str
    """The parent organisation's code (column 4), or empty."""
    opened: date
    closed: date | None
    sub_type: str
    """Column 14: ``C`` for a CCG or sub-ICB location in ``eccg.csv``."""


def extended(
    base: Directory,
    areas: Sequence[OdsRow],
    boards: Sequence[OdsRow],
    links: Sequence[Succession],
) -> Directory:
    """``base`` with the CCGs and sub-ICB locations (``areas``), the ICBs (``boards``) and the
    successions (``links``) of official ODS files added to it."""
    records: _Records = {id(record): record for record in base.records}
    added: list[DirectoryEntry] = []
    _add_boards(base, boards, records, added)
    all_links = (*base.successions, *_new_successions(base, added, areas, links))
    for area in areas:
        _add_area(base, area, all_links, records, added)
    return Directory(
        records=(*records.values(), *added),
        successions=all_links,
        source=base.source + "; extended by official ODS files",
        licence=base.licence,
    )


def _add_boards(
    base: Directory, boards: Sequence[OdsRow], records: _Records, added: list[DirectoryEntry]
) -> None:
    """A new ICB is added; a known one gets the end date it did not have."""
    for board in boards:
        existing = [r for r in base.entries(board.code) if r.kind is OrganisationKind.ICB]
        if not existing:
            added.append(_entry(board, OrganisationKind.ICB, board.opened, board.closed))
            continue
        latest = existing[-1]
        if latest.last is None and board.closed is not None and board.closed >= latest.first:
            records[id(latest)] = _with_last(latest, board.closed)


def _new_successions(
    base: Directory,
    added: Sequence[DirectoryEntry],
    areas: Sequence[OdsRow],
    links: Sequence[Succession],
) -> list[Succession]:
    """The successions from a known body not already known. An organisation closes once: a
    predecessor whose succession is known keeps it."""
    known_links = {succession.from_ for succession in base.successions}
    known_codes = {r.code for r in base.records} | {r.code for r in added}
    known_codes |= {area.code for area in areas}
    return [link for link in links if link.from_ in known_codes and link.from_ not in known_links]


def _add_area(
    base: Directory,
    area: OdsRow,
    links: Sequence[Succession],
    records: _Records,
    added: list[DirectoryEntry],
) -> None:
    """A new code is added as a CCG and/or a sub-ICB location; a known sub-ICB location gets
    the end date it did not have and the parent ICB it moved to."""
    existing = [r for r in base.entries(area.code) if r.kind in _AREA_KINDS]
    if not existing:
        added.extend(_new_area_entries(area))
        return
    latest = existing[-1]
    current = records[id(latest)]
    if current.kind is not OrganisationKind.SICBL:
        return
    if current.last is None and area.closed is not None and area.closed >= current.first:
        current = _with_last(current, area.closed)
    if area.parent and current.parents and current.parents[-1].code != area.parent:
        current = _moved(current, area.parent, links)
    records[id(latest)] = current


def _new_area_entries(area: OdsRow) -> list[DirectoryEntry]:
    """A code the directory does not know: a CCG up to the ICBs' first day and a sub-ICB
    location from it, as far as the code's open and close dates reach."""
    entries = []
    if area.opened < ICB_START:
        last = min(area.closed, _CCG_END) if area.closed else _CCG_END
        entries.append(_entry(area, OrganisationKind.CCG, area.opened, last))
    if area.closed is None or area.closed >= ICB_START:
        start = max(area.opened, ICB_START)
        parents = (
            (ParentLink(from_=start, to=area.closed, code=area.parent),) if area.parent else ()
        )
        entries.append(_entry(area, OrganisationKind.SICBL, start, area.closed, parents))
    return entries


def _entry(
    row: OdsRow,
    kind: OrganisationKind,
    first: date,
    last: date | None,
    parents: tuple[ParentLink, ...] = (),
) -> DirectoryEntry:
    """The entry of an ODS row's organisation in one role, from ``first`` to ``last``."""
    return DirectoryEntry(
        code=row.code, name=row.name, kind=kind, first=first, last=last, parents=parents
    )


def _moved(entry: DirectoryEntry, parent: str, links: Sequence[Succession]) -> DirectoryEntry:
    """A sub-ICB location under a new parent ICB from the day of the succession of its last
    parent to that ICB; unchanged when no such succession dates the move."""
    last_link = entry.parents[-1]
    moves = sorted(
        s.on
        for s in links
        if s.from_ == last_link.code and s.to == parent and s.on > last_link.from_
    )
    if not moves:
        return entry
    day = moves[0]
    parents = (
        *entry.parents[:-1],
        ParentLink(from_=last_link.from_, to=day - timedelta(days=1), code=last_link.code),
        ParentLink(from_=day, to=entry.last, code=parent),
    )
    return attrs.evolve(entry, parents=parents)


def _with_last(record: DirectoryEntry, last: date) -> DirectoryEntry:
    """The entry ending on ``last``, and its open-ended parent link with it."""
    parents = record.parents
    if parents and parents[-1].to is None:
        tail = parents[-1]
        parents = (*parents[:-1], ParentLink(from_=tail.from_, to=last, code=tail.code))
    return attrs.evolve(record, last=last, parents=parents)
