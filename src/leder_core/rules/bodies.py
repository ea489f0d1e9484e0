"""Responsible bodies over time: BODY-DIRECTORY, BODY-KIND and BODY-AS-OF.

The body responsible for a review changes while the review is open: CCGs merged every April
from 2017 to 2021, the integrated care system (hosted by its CCGs) took over on 1 June 2021,
CCGs were abolished on 1 July 2022 and their areas became the sub-ICB locations of 42 ICBs,
and on 1 April 2026 twelve ICBs were merged or split into six new ones. :func:`body_as_of`
counts a review against the body responsible **on a date**, from the code recorded on its
notification, following the successions in a :class:`~leder_core.models.bodies.Directory`.

Nothing here reads files: the directory is an argument (:mod:`leder_core.bodies` loads one).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from leder_core.models.bodies import (
    ICB_START,
    ICS_START,
    UNKNOWN,
    BodyOnDate,
    Directory,
    DirectoryEntry,
    OrganisationKind,
    Step,
    StepKind,
)
from leder_core.models.governance import BodyKind
from leder_core.rules.parameters import BEGINNING, Dated, Parameter
from leder_core.rules.registry import Confidence, define_rule
from leder_core.rules.sources import SOURCES

__all__ = [
    "BODY_AS_OF",
    "BODY_DIRECTORY",
    "BODY_KIND",
    "ICB_START",
    "ICS_START",
    "RESPONSIBLE_KIND",
    "body_as_of",
    "body_kind_on",
]

BODY_DIRECTORY: Final = define_rule(
    "BODY-DIRECTORY",
    title="The directory of responsible bodies and their successions",
    text="The organisations that can be responsible for a review, each with its ODS code, name, "
    "kind (CCG, sub-ICB location, ICS, ICB), first and last day, and for a CCG or sub-ICB "
    "location the ICS or ICB holding its area on each date; and the successions between them "
    "(effective date, predecessor, successor; several successors of one predecessor on one date "
    "are a split). The library ships them from 2016-07-01 to the changes of 2026-04-01 and "
    "reads the official ODS files (eccg.csv, eother.csv, succ.csv) to add later changes.",
    section="§9a",
    sources=(
        "ods-succession",
        "ods-organisation-data",
        "data-dictionary-sicbl",
        "ons-sicbl-icb-2022",
        "icb-footprints-2026",
    ),
    confidence=Confidence.CONFIRMED,
)
BODY_KIND: Final = define_rule(
    "BODY-KIND",
    title="The kind of body responsible on a date",
    text="A clinical commissioning group before 1 June 2021; the integrated care system, hosted "
    "by its CCGs, from 1 June 2021 to 30 June 2022; the integrated care board from "
    "1 July 2022.",
    section="§9a",
    sources=("leder-roles", "leder-who-is-involved", "landmark-icb-2022"),
    confidence=Confidence.CONFIRMED,
)
BODY_AS_OF: Final = define_rule(
    "BODY-AS-OF",
    title="The body responsible for a review on a date",
    text="From the code recorded on the notification: follow every succession effective on or "
    "before the date, in date order (CCG mergers); then take the kind of body responsible on "
    "the date (BODY-KIND): a CCG or sub-ICB location gives the ICS or ICB whose area held it on "
    "the date, an ICS or ICB code gives itself; an ICB that merged gives its successor, and an "
    "ICB that was split gives the successor that took the review's sub-ICB location. When the "
    "recorded code cannot settle a split (the split ICB itself, or a sub-ICB location that was "
    "itself split) the body is unresolved, with its candidate successors, never guessed. No "
    "code is unknown; a code the directory does not know on the date is unknown with its code.",
    section="§9a",
    sources=("ods-succession", "data-dictionary-sicbl", "nhse-icbs-in-england"),
    confidence=Confidence.INFERRED,
)

RESPONSIBLE_KIND: Final = Parameter[BodyKind](
    "body_kind",
    "The kind of body responsible for LeDeR locally on a date (BODY-KIND).",
    (
        Dated(BEGINNING, BodyKind.CCG, SOURCES["leder-roles"]),
        Dated(ICS_START, BodyKind.ICS, SOURCES["leder-who-is-involved"]),
        Dated(ICB_START, BodyKind.ICB, SOURCES["landmark-icb-2022"]),
    ),
)

_CCG: Final = frozenset({OrganisationKind.CCG})
_SICBL: Final = frozenset({OrganisationKind.SICBL})
_AREA: Final = frozenset({OrganisationKind.CCG, OrganisationKind.SICBL})
_ICS: Final = frozenset({OrganisationKind.ICS})
_ICB: Final = frozenset({OrganisationKind.ICB})
_ONE: Final = timedelta(days=1)


def body_kind_on(on: date) -> BodyKind:
    """BODY-KIND: the kind of body responsible on a date."""
    return RESPONSIBLE_KIND.at(on)


def _unknown(recorded: str | None, on: date) -> BodyOnDate:
    if recorded is None or not recorded.strip():
        return BodyOnDate(recorded=recorded, on=on, key=UNKNOWN)
    return BodyOnDate(recorded=recorded, on=on, key=f"{UNKNOWN}:{recorded}")


def _known(
    recorded: str, on: date, record: DirectoryEntry, kind: BodyKind, steps: list[Step]
) -> BodyOnDate:
    return BodyOnDate(
        recorded=recorded,
        on=on,
        key=record.code,
        code=record.code,
        name=record.name,
        kind=kind,
        steps=tuple(steps),
    )


def _unresolved(  # noqa: PLR0917 - private
    directory: Directory,
    recorded: str,
    on: date,
    steps: list[Step],
    successors: tuple[str, ...],
    seen: frozenset[str],
) -> BodyOnDate:
    candidates: set[str] = set()
    for successor in successors:
        if successor in seen:  # a circular succession in a directory: not followed again
            continue
        found = _resolve(directory, successor, on, seen | {successor})
        if found.code is not None:
            candidates.add(found.code)
        else:
            candidates.update(found.candidates)
    return BodyOnDate(
        recorded=recorded,
        on=on,
        key=f"unresolved:{recorded}",
        steps=tuple(steps),
        candidates=tuple(sorted(candidates)),
    )


def body_as_of(directory: Directory, recorded: str | None, on: date) -> BodyOnDate:
    """BODY-AS-OF: the body responsible on ``on`` for a review recorded with ``recorded``."""
    return _resolve(directory, recorded, on, frozenset(() if recorded is None else (recorded,)))


def _resolve(
    directory: Directory, recorded: str | None, on: date, seen: frozenset[str]
) -> BodyOnDate:
    if recorded is None or not recorded.strip():
        return _unknown(recorded, on)
    entries = directory.entries(recorded)
    if not entries:
        return _unknown(recorded, on)
    if any(entry.kind in _AREA for entry in entries):
        return _from_area(directory, recorded, on, seen)
    return _from_board(directory, recorded, on, seen)


def _from_area(directory: Directory, recorded: str, on: date, seen: frozenset[str]) -> BodyOnDate:
    """A CCG or sub-ICB location code: its own successions, then the ICS or ICB of its area."""
    steps: list[Step] = []
    current = recorded
    since = date.min
    # CCG successions (mergers) before the CCGs were abolished, each later than the last.
    while True:
        due = [
            (day, targets)
            for day, targets in directory.successors(current)
            if since < day <= on and day < ICB_START and directory.entry(current, _CCG, day - _ONE)
        ]
        if not due:
            break
        day, targets = due[0]
        since = day
        if len(targets) > 1:
            return _unresolved(directory, recorded, on, steps, targets, seen)
        steps.append(Step(on=day, from_=current, to=targets[0], kind=StepKind.MERGER))
        current = targets[0]
    kind = body_kind_on(on)
    if kind is BodyKind.CCG:
        ccg = directory.entry(current, _CCG, on)
        if ccg is None:
            return _unknown(recorded, on)
        return _known(recorded, on, ccg, kind, steps)
    hosted_day = ICS_START
    ccg = directory.entry(current, _CCG, hosted_day)
    ics_code = ccg.parent_on(hosted_day) if ccg is not None else None
    if kind is BodyKind.ICS:
        ccg = directory.entry(current, _CCG, on)
        ics_code = ccg.parent_on(on) if ccg is not None else None
        ics = directory.entry(ics_code, _ICS, on) if ics_code is not None else None
        if ccg is None or ics is None or ics_code is None:
            return _unknown(recorded, on)
        steps.append(
            Step(on=max(hosted_day, ccg.first), from_=current, to=ics_code, kind=StepKind.HOSTED)
        )
        return _known(recorded, on, ics, kind, steps)
    # From 2022-07-01: the sub-ICB location's parent ICB, then the ICBs' successions.
    if ccg is not None and ics_code is not None:
        steps.append(Step(on=hosted_day, from_=current, to=ics_code, kind=StepKind.HOSTED))
    location = _location_on_or_after(directory, current, ICB_START)
    if location is None or location.first > on:
        return _unknown(recorded, on)
    board = location.parent_on(location.first)
    if board is None:
        return _unknown(recorded, on)
    if location.first == ICB_START and directory.entry(current, _CCG, ICB_START - _ONE):
        steps.append(Step(on=ICB_START, from_=current, to=board, kind=StepKind.ABOLITION))
    return _board_walk(directory, recorded, on, steps, (board, location.first), location, seen)


def _location_on_or_after(directory: Directory, code: str, day: date) -> DirectoryEntry | None:
    for entry in directory.entries(code):
        if entry.kind is OrganisationKind.SICBL and (entry.last is None or entry.last >= day):
            return entry
    return None


def _board_walk(  # noqa: PLR0917 - one private walk, called in two places
    directory: Directory,
    recorded: str,
    on: date,
    steps: list[Step],
    start: tuple[str, date],
    location: DirectoryEntry | None,
    seen: frozenset[str],
) -> BodyOnDate:
    """Follow the ICBs' successions (and the sub-ICB location's own) from the start to ``on``."""
    board, day = start
    while True:
        changes: list[date] = [d for d, _ in directory.successors(board) if day < d <= on]
        if location is not None:
            changes += [d for d, _ in directory.successors(location.code) if day < d <= on]
        if not changes:
            break
        day = min(changes)
        if location is not None:
            own = dict(directory.successors(location.code)).get(day)
            if own is not None:
                if len(own) > 1:
                    return _unresolved(directory, recorded, on, steps, own, seen)
                # A sub-ICB location merged into another: follow it, under its parent then.
                successor = directory.entry(own[0], _SICBL, day)
                if successor is None:
                    return _unknown(recorded, on)
                location = successor
        targets = dict(directory.successors(board)).get(day)
        if targets is not None:
            if len(targets) == 1:
                steps.append(Step(on=day, from_=board, to=targets[0], kind=StepKind.MERGER))
                board = targets[0]
            else:
                parent = location.parent_on(day) if location is not None else None
                if parent is None or parent not in targets:
                    return _unresolved(directory, recorded, on, steps, targets, seen)
                steps.append(Step(on=day, from_=board, to=parent, kind=StepKind.SPLIT))
                board = parent
    if location is not None:
        if not location.on(on):
            return _unknown(recorded, on)
        link = location.parent_link_on(on)
        # A newer fact than the last succession followed: the location moved to another ICB.
        if link is not None and link.from_ > day:
            board = link.code
    icb = directory.entry(board, _ICB, on)
    if icb is None:
        return _unknown(recorded, on)
    return _known(recorded, on, icb, BodyKind.ICB, steps)


def _from_board(directory: Directory, recorded: str, on: date, seen: frozenset[str]) -> BodyOnDate:
    """An ICS or ICB code: itself, then (from 2022-07-01) the ICBs' successions."""
    kind = body_kind_on(on)
    if kind is BodyKind.CCG:
        return _unknown(recorded, on)
    if kind is BodyKind.ICS:
        ics = directory.entry(recorded, _ICS, on)
        if ics is None:
            return _unknown(recorded, on)
        return _known(recorded, on, ics, kind, [])
    first = next(
        (e.first for e in directory.entries(recorded) if e.kind is OrganisationKind.ICB), None
    )
    if first is None or first > on:
        return _unknown(recorded, on)
    return _board_walk(directory, recorded, on, [], (recorded, first), None, seen)
