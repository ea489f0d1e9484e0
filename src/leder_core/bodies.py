"""Responsible bodies over time: which body was responsible for a review on a date.

The body recorded on a notification (``responsible_body``: a CCG, a sub-ICB location, an ICS
or an ICB code) is not the body responsible later: CCGs merged from 2017 to 2021, the ICS took
over on 1 June 2021, the ICBs on 1 July 2022, and twelve ICBs were merged or split into six
new ones on 1 April 2026. :func:`body_on` follows those changes (BODY-AS-OF) through a
:class:`Directory` (BODY-DIRECTORY): the one the package ships (:func:`bundled_directory`,
2016-07-01 to the changes of 2026-04-01) or that one extended by the official ODS files a
service downloads (:func:`load_directory`), so that a later change needs no new release.

>>> from datetime import date
>>> body_on("06K", date(2021, 5, 1)).key
'06K'
>>> body_on("06K", date(2022, 1, 1)).kind
<BodyKind.ICS: 'ics'>
>>> body_on("06K", date(2026, 6, 1)).name
'NHS Central East Integrated Care Board'
>>> found = body_on("QM7", date(2026, 6, 1))
>>> found.key, found.candidates
('unresolved:QM7', ('D7T5G', 'S1Y5D'))
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any, Final

from leder_core.errors import InvalidInput
from leder_core.models.bodies import (
    BodyOnDate,
    Directory,
    DirectoryEntry,
    OrganisationKind,
    ParentLink,
    Step,
    StepKind,
    Succession,
)
from leder_core.models.identifiers import ODS_CODE_SHAPE
from leder_core.models.review import Review
from leder_core.reference import ResponsibleBodies  # noqa: F401 - moved there; importable here too
from leder_core.rules.bodies import ICB_START, body_as_of

__all__ = [
    "BodyOnDate",
    "Directory",
    "Step",
    "StepKind",
    "body_on",
    "bundled_directory",
    "classify_ods_file",
    "load_directory",
    "reviews_of_body",
]

PathLike = str | os.PathLike[str]
Paths = PathLike | Sequence[PathLike] | None

_DAY: Final = re.compile(r"[0-9]{8}")
_CCG_END: Final = ICB_START - timedelta(days=1)
_ICB_WORDS: Final = "INTEGRATED CARE BOARD"
_SI_RE: Final = "SUB-ICB REPORTING ENTITY"
_STANDARD_COLUMNS: Final = 14  # the standard layout has 27; the loader reads the first 14
_SUCC_COLUMNS: Final = 5


def body_on(code: str | None, on: date, *, directory: Directory | None = None) -> BodyOnDate:
    """BODY-AS-OF: the body responsible on ``on`` for a review recorded with ``code``.

    ``directory`` defaults to :func:`bundled_directory`. Never raises for a code: an empty or
    missing one is ``unknown``, one the directory does not know on the date is
    ``unknown:<code>``, and a split the code cannot settle is ``unresolved:<code>``.
    """
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


def _parse_day(text: str) -> date:
    return date.fromisoformat(text)


def _document_directory(data: dict[str, Any]) -> Directory:
    records = tuple(
        DirectoryEntry(
            code=entry["code"],
            name=entry["name"],
            kind=OrganisationKind(entry["kind"]),
            first=_parse_day(entry["from"]),
            last=None if entry["to"] is None else _parse_day(entry["to"]),
            parents=tuple(
                ParentLink(
                    from_=_parse_day(link["from"]),
                    to=None if link["to"] is None else _parse_day(link["to"]),
                    code=link["code"],
                )
                for link in entry["parents"]
            ),
        )
        for entry in data["organisations"]
    )
    successions = tuple(
        Succession(
            on=_parse_day(entry["on"]), from_=entry["from"], to=entry["to"], part=entry["part"]
        )
        for entry in data["successions"]
    )
    return Directory(
        records=records, successions=successions, source=data["source"], licence=data["licence"]
    )


@cache
def bundled_directory() -> Directory:
    """The directory the package ships (``data/bodies.json``), read once.

    CCGs from 2013 with every merger of 2017 to 2021, the ICS of each CCG from 2021-06-01, the
    106 sub-ICB locations with their parent ICB on each date, the 42 ICBs of 2022-07-01, and
    the successions and six new ICBs of 2026-04-01. Contains public sector information
    licensed under the Open Government Licence v3.0.
    """
    text = files("leder_core").joinpath("data/bodies.json").read_text(encoding="utf-8")
    return _document_directory(json.loads(text))


# --- official ODS files -------------------------------------------------------------------


def _as_paths(value: Paths) -> list[PathLike]:
    if value is None:
        return []
    if isinstance(value, str | os.PathLike):
        return [value]
    return list(value)


def _read_rows(path: PathLike, problems: list[tuple[str, str]]) -> list[tuple[str, int, list[str]]]:
    label = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append((label, f"cannot read the file ({type(error).__name__})"))
        return []
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        rows.append((f"{label}:{number}", number, [cell.strip() for cell in row]))
    return rows


def _ods_file_date(text: str) -> date:
    """A date as the official ODS files write it (``YYYYMMDD``); :class:`ValueError` otherwise."""
    if not _DAY.fullmatch(text):
        raise ValueError
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _standard_row(
    where: str, row: list[str], problems: list[tuple[str, str]]
) -> tuple[str, str, str, date, date | None, str] | None:
    """(code, name, parent, open, close, sub-type) of a standard-layout row, or a problem."""
    if len(row) < _STANDARD_COLUMNS:
        problems.append(
            (
                where,
                f"expected at least {_STANDARD_COLUMNS} columns (the ODS standard layout, "
                f"headerless), found {len(row)}",
            )
        )
        return None
    code, name, parent = row[0], row[1], row[3]
    found = []
    if not ODS_CODE_SHAPE.match(code):
        found.append(
            "column 1 is not an ODS code (3 to 10 upper-case letters and digits; "
            "the files have no header line)"
        )
    if not name:
        found.append("column 2 (name) is empty")
    if parent and not ODS_CODE_SHAPE.match(parent):
        found.append("column 4 is not an ODS code")
    opened = closed = None
    try:
        opened = _ods_file_date(row[10])
    except ValueError:
        found.append("column 11 (open date) is not a YYYYMMDD date")
    if row[11]:
        try:
            closed = _ods_file_date(row[11])
        except ValueError:
            found.append("column 12 (close date) is not a YYYYMMDD date or blank")
    if opened is not None and closed is not None and closed < opened:
        found.append("column 12 (close date) is before column 11 (open date)")
    if found or opened is None:
        problems.append((where, "; ".join(found)))
        return None
    return code, name, parent, opened, closed, row[13]


def _succ_row(where: str, row: list[str], problems: list[tuple[str, str]]) -> Succession | None:
    if len(row) != _SUCC_COLUMNS:
        problems.append(
            (where, f"expected {_SUCC_COLUMNS} columns (succ.csv, headerless), found {len(row)}")
        )
        return None
    found = []
    for index in (0, 1):
        if not ODS_CODE_SHAPE.match(row[index]):
            found.append(f"column {index + 1} is not an ODS code (the files have no header line)")
    day = None
    try:
        day = _ods_file_date(row[3])
    except ValueError:
        found.append("column 4 (effective date) is not a YYYYMMDD date")
    if found or day is None:
        problems.append((where, "; ".join(found)))
        return None
    return Succession(on=day, from_=row[0], to=row[1])


def classify_ods_file(path: PathLike) -> str | None:
    """Which official file a path holds, by its content: ``"succ"`` (5 columns), ``"eccg"``
    (the standard layout with sub-type ``C`` rows), ``"eother"`` (the standard layout
    without), or ``None`` when it is none of them (or cannot be read)."""
    problems: list[tuple[str, str]] = []
    rows = _read_rows(path, problems)
    if not rows:
        return None
    widths = {len(row) for _, _, row in rows}
    if widths == {_SUCC_COLUMNS}:
        return "succ"
    if min(widths) >= _STANDARD_COLUMNS:
        return "eccg" if any(row[13] == "C" for _, _, row in rows) else "eother"
    return None


def load_directory(*, eccg: Paths = None, eother: Paths = None, succ: Paths = None) -> Directory:
    """The bundled directory extended by official ODS files (BODY-DIRECTORY).

    Each argument is a path or a list of paths of a headerless file as ODS publishes it:
    ``eccg.csv`` (CCGs and sub-ICB locations: rows of sub-type ``C``, without the sub-ICB
    reporting entities), ``eother.csv`` (rows whose name contains "INTEGRATED CARE BOARD")
    and ``succ.csv`` (successions whose predecessor is a known body; several successors of one
    predecessor on one date are a split). Files add to the bundled history and never rewrite
    it: a new code, an end date where none was known, a succession not yet known, and a
    sub-ICB location's new parent ICB from the date of the succession to that ICB (a move that
    cannot be dated is ignored). A bad line raises :class:`~leder_core.InvalidInput` listing
    every problem of every file, at ``<path as given>:<line>``.
    """
    problems: list[tuple[str, str]] = []
    areas = []
    for path in _as_paths(eccg):
        for where, _, row in _read_rows(path, problems):
            parsed = _standard_row(where, row, problems)
            if parsed is not None and parsed[5] == "C" and not parsed[1].upper().endswith(_SI_RE):
                areas.append(parsed)
    boards = []
    for path in _as_paths(eother):
        for where, _, row in _read_rows(path, problems):
            parsed = _standard_row(where, row, problems)
            if parsed is not None and _ICB_WORDS in parsed[1].upper():
                boards.append(parsed)
    links = []
    for path in _as_paths(succ):
        for where, _, row in _read_rows(path, problems):
            found = _succ_row(where, row, problems)
            if found is not None:
                links.append(found)
    if problems:
        raise InvalidInput(problems)
    return _extended(bundled_directory(), areas, boards, links)


def _extended(
    base: Directory,
    areas: Iterable[tuple[str, str, str, date, date | None, str]],
    boards: Iterable[tuple[str, str, str, date, date | None, str]],
    links: Iterable[Succession],
) -> Directory:
    records = {id(record): record for record in base.records}
    order = list(records)
    added: list[DirectoryEntry] = []

    def replace(old: DirectoryEntry, new: DirectoryEntry) -> None:
        records[id(old)] = new

    for code, name, _, opened, closed, _ in boards:
        existing = [r for r in base.entries(code) if r.kind is OrganisationKind.ICB]
        if not existing:
            added.append(
                DirectoryEntry(
                    code=code, name=name, kind=OrganisationKind.ICB, first=opened, last=closed
                )
            )
        elif existing[-1].last is None and closed is not None and closed >= existing[-1].first:
            replace(existing[-1], _with_last(existing[-1], closed))
    # An organisation closes once: a predecessor whose succession is known keeps it.
    known_links = {s.from_ for s in base.successions}
    new_links = []
    known_codes = {r.code for r in base.records} | {r.code for r in added}
    known_codes |= {code for code, *_ in areas}
    for link in links:
        if link.from_ in known_codes and link.from_ not in known_links:
            new_links.append(link)
    all_links = (*base.successions, *new_links)
    for code, name, parent, opened, closed, _ in areas:
        existing = [
            r
            for r in base.entries(code)
            if r.kind in (OrganisationKind.CCG, OrganisationKind.SICBL)
        ]
        if not existing:
            if opened < ICB_START:
                added.append(
                    DirectoryEntry(
                        code=code,
                        name=name,
                        kind=OrganisationKind.CCG,
                        first=opened,
                        last=min(closed, _CCG_END) if closed else _CCG_END,
                    )
                )
            if closed is None or closed >= ICB_START:
                start = max(opened, ICB_START)
                parents = (ParentLink(from_=start, to=closed, code=parent),) if parent else ()
                added.append(
                    DirectoryEntry(
                        code=code,
                        name=name,
                        kind=OrganisationKind.SICBL,
                        first=start,
                        last=closed,
                        parents=parents,
                    )
                )
            continue
        latest = existing[-1]
        current = records[id(latest)]
        if current.kind is not OrganisationKind.SICBL:
            continue
        if current.last is None and closed is not None and closed >= current.first:
            current = _with_last(current, closed)
        if parent and current.parents and current.parents[-1].code != parent:
            last_link = current.parents[-1]
            moves = sorted(
                s.on
                for s in all_links
                if s.from_ == last_link.code and s.to == parent and s.on > last_link.from_
            )
            if moves:  # a move is dated by the succession to the new parent, else ignored
                day = moves[0]
                current = DirectoryEntry(
                    code=current.code,
                    name=current.name,
                    kind=current.kind,
                    first=current.first,
                    last=current.last,
                    parents=(
                        *current.parents[:-1],
                        ParentLink(
                            from_=last_link.from_, to=day - timedelta(days=1), code=last_link.code
                        ),
                        ParentLink(from_=day, to=current.last, code=parent),
                    ),
                )
        replace(latest, current)
    return Directory(
        records=(*(records[key] for key in order), *added),
        successions=all_links,
        source=base.source + "; extended by official ODS files",
        licence=base.licence,
    )


def _with_last(record: DirectoryEntry, last: date) -> DirectoryEntry:
    parents = record.parents
    if parents and parents[-1].to is None:
        tail = parents[-1]
        parents = (*parents[:-1], ParentLink(from_=tail.from_, to=last, code=tail.code))
    return DirectoryEntry(
        code=record.code,
        name=record.name,
        kind=record.kind,
        first=record.first,
        last=last,
        parents=parents,
    )
