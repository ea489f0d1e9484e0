"""The official ODS files that extend the directory of responsible bodies (BODY-DIRECTORY).

ODS publishes them headerless: ``eccg.csv`` (CCGs and sub-ICB locations), ``eother.csv``
(among other organisations, the ICBs) in the standard layout, and ``succ.csv`` (successions,
five columns). :func:`load_directory` reads them into the bundled directory;
:func:`classify_ods_file` tells which file a path holds.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from leder_core.bodies.bundled import bundled_directory
from leder_core.bodies.extension import OdsRow, extended
from leder_core.errors import InvalidInput
from leder_core.models.bodies import Directory, Succession
from leder_core.models.identifiers import ODS_CODE_SHAPE

__all__ = ["PathLike", "Paths", "classify_ods_file", "load_directory"]

#: A path as :func:`open` takes it.
PathLike = str | os.PathLike[str]
#: One path, several, or none.
Paths = PathLike | Sequence[PathLike] | None

_DAY: Final = re.compile(r"[0-9]{8}")
_ICB_WORDS: Final = "INTEGRATED CARE BOARD"
_SI_RE: Final = "SUB-ICB REPORTING ENTITY"
_STANDARD_COLUMNS: Final = 14  # the standard layout has 27; the loader reads the first 14
_SUCC_COLUMNS: Final = 5


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


def _standard_row(where: str, row: list[str], problems: list[tuple[str, str]]) -> OdsRow | None:
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
    return OdsRow(code, name, parent, opened, closed, row[13])


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
    areas: list[OdsRow] = []
    for path in _as_paths(eccg):
        for where, _, row in _read_rows(path, problems):
            parsed = _standard_row(where, row, problems)
            if parsed is not None and parsed.sub_type == "C" and not _is_reporting_entity(parsed):
                areas.append(parsed)
    boards: list[OdsRow] = []
    for path in _as_paths(eother):
        for where, _, row in _read_rows(path, problems):
            parsed = _standard_row(where, row, problems)
            if parsed is not None and _ICB_WORDS in parsed.name.upper():
                boards.append(parsed)
    links: list[Succession] = []
    for path in _as_paths(succ):
        for where, _, row in _read_rows(path, problems):
            found = _succ_row(where, row, problems)
            if found is not None:
                links.append(found)
    if problems:
        raise InvalidInput(problems)
    return extended(bundled_directory(), areas, boards, links)


def _is_reporting_entity(row: OdsRow) -> bool:
    """A sub-ICB reporting entity: in ``eccg.csv`` but not an area a review is recorded for."""
    return row.name.upper().endswith(_SI_RE)
