"""Reference data: which organisations can be responsible for LeDeR, on which dates.

The responsible body has changed over time (docs/governance.md): the CCG for notifications
before 1 June 2021, the integrated care system from then, the integrated care board from
1 July 2022. :func:`responsible_body_kind` gives that timeline as a dated parameter.

There is one directory of organisations: the directory of responsible bodies over time
(:mod:`leder_core.bodies`: every CCG from 2013 with its mergers, the ICS of 2021, the 42 ICBs of
2022 and the six formed on 1 April 2026, extended by any official ODS files a service loads).
:func:`body_in_directory` reads it by default, through :class:`ResponsibleBodies`, the view
that answers "which CCG, ICS or ICB did this code mean on that date". The same directory serves
:func:`~leder_core.bodies.body_on`, :func:`~leder_core.indicators` and
:func:`~leder_core.check_governance`. A code the directory does not know on a date is reported
as unknown, never guessed; a body that ceased by a succession is reported with the bodies that
hold its area.

:func:`load_icb_directory` (the 42 ICBs of 1 July 2022) is a view of that same directory, kept
for callers of earlier releases; :class:`IcbDirectory` remains for a service that builds a
snapshot of its own.

>>> from datetime import date
>>> from leder_core.models.governance import Body, BodyKind
>>> found = body_in_directory(Body(code="S1Y5D", kind=BodyKind.ICB), on=date(2026, 6, 1))
>>> found.organisation.name
'NHS Central East Integrated Care Board'
>>> directory = load_icb_directory()
>>> directory.lookup("QE1", date(2024, 1, 1)).name
'NHS Lancashire and South Cumbria Integrated Care Board'
>>> directory.lookup("QE1", date(2022, 6, 30)) is None
True
>>> directory.lookup("QM7", date(2026, 4, 1)) is None  # split on 1 April 2026
True
>>> responsible_body_kind(date(2022, 7, 1))
<BodyKind.ICB: 'icb'>
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any, Final, Protocol

import attrs

from leder_core.bodies.bundled import bundled_directory
from leder_core.errors import InvalidInput
from leder_core.models.bodies import ICB_START, Directory, OrganisationKind
from leder_core.models.governance import Body, BodyKind
from leder_core.models.identifiers import OdsCode
from leder_core.rules.bodies import RESPONSIBLE_KIND
from leder_core.rules.governance.lifetime import BodyLifetime, body_lifetime
from leder_core.serialization import load

__all__ = [
    "ICB_START",
    "RESPONSIBLE_BODY_KIND",
    "DirectoryFinding",
    "IcbDirectory",
    "Organisation",
    "OrganisationDirectory",
    "ResponsibleBodies",
    "body_in_directory",
    "load_icb_directory",
    "responsible_body_kind",
]

#: The kind of body responsible for LeDeR locally: the CCG, then the integrated care system
#: (hosted by its CCGs) from 1 June 2021, then the integrated care board from 1 July 2022
#: (the BODY-KIND timeline, defined once in ``leder_core.rules.bodies``).
RESPONSIBLE_BODY_KIND: Final = RESPONSIBLE_KIND


def responsible_body_kind(on: date) -> BodyKind:
    """The kind of body responsible for LeDeR on a date (docs/governance.md).

    Before 2021-06-01 a CCG; from 2021-06-01 the ICS; from 2022-07-01 the ICB.
    """
    return RESPONSIBLE_BODY_KIND.at(on)


@attrs.frozen(kw_only=True)
class Organisation:
    """An organisation of the directory, with the days its code was valid."""

    ods_code: OdsCode
    name: str
    kind: BodyKind
    valid_from: date
    """The first day the organisation existed in this role."""
    valid_to: date | None = None
    """The last day it existed in this role (inclusive); ``None`` while it still does."""

    def valid_on(self, on: date) -> bool:
        """Whether the organisation existed in this role on a date."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class OrganisationDirectory(Protocol):
    """Anything that can say which organisation an ODS code meant on a date."""

    @property
    def source(self) -> str:
        """Where the data came from."""
        ...

    @property
    def extracted_on(self) -> date:
        """When the data was taken from its source."""
        ...

    def lookup(self, code: str, on: date) -> Organisation | None:
        """The organisation with this code on that date, or ``None`` if there was none."""
        ...


def _overlaps(organisations: tuple[Organisation, ...]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    seen: dict[str, list[Organisation]] = {}
    for index, organisation in enumerate(organisations):
        path = f"$.organisations[{index}]"
        end = organisation.valid_to
        if end is not None and end < organisation.valid_from:
            problems.append((f"{path}.valid_to", "the organisation ends before it starts"))
            continue
        for other in seen.get(organisation.ods_code, []):
            other_end = other.valid_to or date.max
            if organisation.valid_from <= other_end and other.valid_from <= (end or date.max):
                problems.append(
                    (f"{path}.valid_from", "overlaps an earlier entry with the same ODS code")
                )
                break
        seen.setdefault(organisation.ods_code, []).append(organisation)
    return problems


def _no_overlaps(
    instance: IcbDirectory,
    attribute: attrs.Attribute[tuple[Organisation, ...]],
    value: tuple[Organisation, ...],
) -> None:
    problems = _overlaps(value)
    if problems:
        raise InvalidInput(problems)


@attrs.frozen(kw_only=True)
class IcbDirectory:
    """A dated directory of responsible bodies, from a snapshot of ODS data.

    Build one from a document of the same shape as the bundled ``data/icbs.json`` with
    :meth:`from_document`, or directly from :class:`Organisation` values. Entries for one code
    must not overlap in time; a code may have several entries (a body that ended and began
    again in another role).
    """

    organisations: tuple[Organisation, ...] = attrs.field(validator=_no_overlaps)
    source: str
    extracted_on: date
    source_url: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    current_until: date | None = None
    """The last day whose organisational changes the snapshot is known to reflect."""
    note: str | None = None
    _by_code: Mapping[str, tuple[Organisation, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, list[Organisation]] = {}
        for organisation in self.organisations:
            by_code.setdefault(organisation.ods_code, []).append(organisation)
        object.__setattr__(
            self,
            "_by_code",
            {code: tuple(entries) for code, entries in by_code.items()},
        )

    def lookup(self, code: str, on: date) -> Organisation | None:
        """The organisation with this code on that date, or ``None`` if there was none."""
        for organisation in self._by_code.get(code, ()):
            if organisation.valid_on(on):
                return organisation
        return None

    @classmethod
    def from_document(cls, data: Mapping[str, Any]) -> IcbDirectory:
        """A directory from a document shaped like ``data/icbs.json``.

        Raises :class:`~leder_core.InvalidInput` listing every problem with its path.
        """
        document = load(data, _DirectoryDocument)
        return cls(
            organisations=document.organisations,
            source=document.source,
            extracted_on=document.extracted_on,
            source_url=document.source_url,
            licence=document.licence,
            licence_url=document.licence_url,
            current_until=document.current_until,
            note=document.note,
        )


@attrs.frozen(kw_only=True)
class _DirectoryDocument:
    """The shape of ``data/icbs.json`` (not a contract document)."""

    source: str
    source_url: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    extracted_on: date
    current_until: date | None = None
    note: str | None = None
    organisations: tuple[Organisation, ...]


_RESPONSIBLE_KINDS: Final = frozenset(
    {OrganisationKind.CCG, OrganisationKind.ICS, OrganisationKind.ICB}
)


@attrs.frozen
class ResponsibleBodies:
    """The directory of responsible bodies over time as an :class:`OrganisationDirectory`:
    which CCG, ICS or ICB a code meant on a date (BODY-DIRECTORY), so that a report on a body
    formed on 1 April 2026 names it instead of calling it unknown."""

    directory: Directory

    @property
    def source(self) -> str:
        """Where the directory's data came from."""
        return self.directory.source

    @property
    def extracted_on(self) -> date:
        """The date of the latest change the directory records."""
        return self.directory.newest_change

    def lookup(self, code: str, on: date) -> Organisation | None:
        """The CCG, ICS or ICB with this code on that date, or ``None`` if there was none."""
        record = self.directory.entry(code, _RESPONSIBLE_KINDS, on)
        if record is None:
            return None
        return Organisation(
            ods_code=OdsCode(code),
            name=record.name,
            kind=BodyKind(record.kind.value),
            valid_from=record.first,
            valid_to=record.last,
        )


@cache
def load_icb_directory() -> IcbDirectory:
    """The 42 ICBs established on 1 July 2022, each with its last day when it ceased (the
    twelve merged or split on 1 April 2026 end on 31 March 2026): a view of the bundled
    directory of responsible bodies (:func:`leder_core.bodies.bundled_directory`), read once.

    Kept for callers of earlier releases; the directory itself also knows the CCGs, the ICSs and
    the ICBs formed since, and is what every judgement reads.
    """
    directory = bundled_directory()
    boards = tuple(
        Organisation(
            ods_code=OdsCode(record.code),
            name=record.name,
            kind=BodyKind.ICB,
            valid_from=record.first,
            valid_to=record.last,
        )
        for record in directory.records
        if record.kind is OrganisationKind.ICB and record.first == ICB_START
    )
    return IcbDirectory(
        organisations=boards,
        source=directory.source,
        extracted_on=directory.newest_change,
        licence=directory.licence,
        current_until=directory.newest_change,
        note="This view holds only the 42 ICBs of 1 July 2022; the ICBs formed since are in the "
        "directory of responsible bodies (leder_core.bodies), which the report reads by default.",
    )


_KIND_NAMES: Final = {
    BodyKind.CCG: "a clinical commissioning group (CCG)",
    BodyKind.ICS: "an integrated care system (ICS)",
    BodyKind.ICB: "an integrated care board (ICB)",
}


@attrs.frozen(kw_only=True)
class DirectoryFinding:
    """What a directory says about a body's code on a date. It informs; it judges nothing."""

    code: str
    on: date
    organisation: Organisation | None
    """The directory's organisation for the code on that date; ``None``: unknown."""
    kind_given: BodyKind
    """The kind the arrangements give."""
    kind_responsible: BodyKind
    """The kind of body responsible for LeDeR on that date (:func:`responsible_body_kind`)."""
    source: str
    extracted_on: date
    current_until: date | None = None
    """The last day whose changes the directory is known to reflect, if it says."""
    directory_note: str | None = None
    lifetime: BodyLifetime | None = None
    """What the directory of responsible bodies says of the code's lifetime on that date
    (GOV-SUCCESSION), when the finding was made in it."""

    @property
    def stale(self) -> bool:
        """Whether the date is after the last day the directory is known to reflect."""
        return self.current_until is not None and self.on > self.current_until

    @property
    def known(self) -> bool:
        """Whether the directory knows the code on that date."""
        return self.organisation is not None

    @property
    def notes(self) -> tuple[str, ...]:
        """The finding in sentences, for a report."""
        day = self.on.isoformat()
        provenance = f"{self.source}, extracted {self.extracted_on.isoformat()}"
        notes = []
        life = self.lifetime
        if self.organisation is None and life is not None and life.ceased_on is not None:
            how = "split" if life.split else "merged"
            held = ", ".join(
                code if name is None else f"{code} ({name})" for code, name in life.holders
            )
            notes.append(
                f"{self.code} ceased on {life.ceased_on.isoformat()} ({how}): on {day} its area "
                f"is held by {held} ({provenance})."
            )
        elif self.organisation is None and life is not None and life.not_formed_yet:
            formed = life.formed_on.isoformat() if life.formed_on else ""
            notes.append(
                f"{self.code} is formed on {formed}, after {day} ({provenance}): nothing is "
                "required of it yet."
            )
        elif self.organisation is None:
            notes.append(
                f"The code {self.code} is not in the directory as an organisation on {day} "
                f"({provenance}). It is reported, not guessed: check the code against current "
                "ODS data."
            )
        else:
            notes.append(
                f"{self.code} is {self.organisation.name} in the directory on {day} ({provenance})."
            )
            if life is not None and life.formed_on is not None:
                notes.append(
                    f"{self.code} was formed on {life.formed_on.isoformat()} from "
                    f"{', '.join(life.predecessors)}: its requirements are judged from that day "
                    "(GOV-SUCCESSION)."
                )
            if self.organisation.kind != self.kind_given:
                notes.append(
                    f"The directory lists {self.code} as {_KIND_NAMES[self.organisation.kind]}; "
                    f"the arrangements give {_KIND_NAMES[self.kind_given]}."
                )
        if self.kind_given != self.kind_responsible:
            notes.append(
                f"On {day} the body responsible for LeDeR is {_KIND_NAMES[self.kind_responsible]}"
                f"; the arrangements give {_KIND_NAMES[self.kind_given]}. This changes no "
                "judgement."
            )
        if self.stale and self.current_until is not None:
            notes.append(
                f"{day} is after {self.current_until.isoformat()}, the last day the directory "
                "is known to reflect" + (f". {self.directory_note}" if self.directory_note else ".")
            )
        return tuple(notes)


def body_in_directory(
    body: Body, *, on: date, directory: OrganisationDirectory | Directory | None = None
) -> DirectoryFinding:
    """Look the body's code up in a directory as of a date: by default the bundled directory
    of responsible bodies over time, the one every judgement reads; a
    :class:`~leder_core.bodies.Directory` (one extended by official ODS files) is read the same
    way, and any other :class:`OrganisationDirectory` as it answers."""
    if directory is None:
        directory = bundled_directory()
    chosen: OrganisationDirectory = (
        ResponsibleBodies(directory) if isinstance(directory, Directory) else directory
    )
    current_until = note = None
    lifetime = None
    if isinstance(chosen, IcbDirectory):
        current_until, note = chosen.current_until, chosen.note
    if isinstance(chosen, ResponsibleBodies):
        lifetime = body_lifetime(chosen.directory, body.code, on)
    return DirectoryFinding(
        code=body.code,
        on=on,
        organisation=chosen.lookup(body.code, on),
        kind_given=body.kind,
        kind_responsible=responsible_body_kind(on),
        source=chosen.source,
        extracted_on=chosen.extracted_on,
        current_until=current_until,
        directory_note=note,
        lifetime=lifetime,
    )
