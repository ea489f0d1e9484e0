"""SNOMED CT code lists the ``FHIR-*`` rules search, built in or read from a service's files.

:class:`CodeLists` is, by default, the built-in core concepts of NHS England's primary care
domain reference sets LD_COD and AUTISM_COD; :func:`load_code_lists` reads a release a service
holds instead: an OpenCodelists CSV or an RF2 refset snapshot.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Final

import attrs

from leder_core.errors import InvalidInput
from leder_core.models.explanation import Citation

__all__ = [
    "AUTISM_REFSET",
    "BUILT_IN_AUTISM",
    "BUILT_IN_LEARNING_DISABILITY",
    "LD_REFSET",
    "CodeList",
    "CodeLists",
    "built_in_autism",
    "built_in_learning_disability",
    "load_code_lists",
]


def _cite(*source_ids: str) -> tuple[Citation, ...]:
    """The citations of the built-in lists, from the one table of sources.

    Imported when a built-in list is first made: that table's package declares the rules,
    and the ``FHIR-*`` rules read this module.
    """
    from leder_core.rules.sources import cite  # noqa: PLC0415 - see the docstring

    return cite(*source_ids)


def _concepts(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(code), str(term)) for code, term in dict(value).items()))


@attrs.frozen(kw_only=True, repr=False)
class CodeList:
    """A SNOMED CT code list (a primary care domain reference set) and where it came from."""

    name: str
    """The cluster name: ``LD_COD`` or ``AUTISM_COD``."""
    refset_id: str
    """The reference set the list is, such as ``999002611000230109``."""
    concepts: tuple[tuple[str, str], ...] = attrs.field(converter=_concepts)
    """``(code, term)`` pairs, sorted by code."""
    source: str = "built-in"
    """``built-in``, or the name of the file it was read from."""
    file_refset_id: str | None = None
    """The refset id the file gives (an RF2 file does; a CSV does not)."""
    version: str | None = None
    """The release the file gives (an RF2 file's latest effective time), if any."""
    citations: tuple[Citation, ...] = ()
    """The public sources of a built-in list: the releases each of its concepts is in."""
    _terms: dict[str, str] = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_terms", dict(self.concepts))

    def term(self, code: str) -> str | None:
        """The term of a code in the list, or None when the code is not in it."""
        return self._terms.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._terms

    def __len__(self) -> int:
        return len(self.concepts)

    @property
    def described(self) -> str:
        """The list and where it came from, as fact texts name it."""
        if self.source == "built-in":
            return f"{self.name}, built-in core concepts"
        details = [f"file {self.source}"]
        if self.file_refset_id is not None:
            details.append(f"refset {self.file_refset_id}")
        if self.version is not None:
            details.append(f"version {self.version}")
        return f"{self.name}, " + ", ".join(details)

    def __repr__(self) -> str:
        return f"CodeList({self.described}, {len(self)} concepts)"


LD_REFSET: Final = "999002611000230109"
AUTISM_REFSET: Final = "999016611000230107"

#: The built-in learning disability concepts: each is in the 2021-01-27 and 2024-12-05
#: releases of LD_COD (OpenCodelists, ``nhsd-primary-care-domain-refsets/ld_cod``).
BUILT_IN_LEARNING_DISABILITY: Final = (
    ("110359009", "Intellectual disability"),
    ("416075005", "On learning disability register"),
    ("984661000000105", "Mild learning disability"),
    ("984671000000103", "Moderate learning disability"),
    ("508171000000105", "Severe learning disability"),
    ("984681000000101", "Profound learning disability"),
    ("86765009", "Mild intellectual disability"),
    ("61152003", "Moderate intellectual disability"),
    ("40700009", "Severe intellectual disability"),
    ("31216003", "Profound intellectual disability"),
    ("931001000000105", "Significant learning disability"),
    ("1239331000000100", "Significant intellectual disability"),
    ("41040004", "Complete trisomy 21 syndrome"),
)
#: The built-in autism concepts: each is in the 2021-01-27 release of AUTISM_COD
#: (OpenCodelists, ``nhsd-primary-care-domain-refsets/autism_cod``).
BUILT_IN_AUTISM: Final = (
    ("35919005", "Pervasive developmental disorder (autism spectrum disorder)"),
    ("408856003", "Autistic disorder"),
    ("23560001", "Asperger's disorder"),
    ("43614003", "Autistic disorder of childhood onset"),
    ("408857007", "Infantile autism"),
    ("231536004", "Atypical autism"),
    ("702732007", "High-functioning autism"),
    ("373618009", "Autistic spectrum disorder with isolated skills"),
)


def built_in_learning_disability() -> CodeList:
    """The built-in learning disability list (core concepts of LD_COD)."""
    return CodeList(
        name="LD_COD",
        refset_id=LD_REFSET,
        concepts=dict(BUILT_IN_LEARNING_DISABILITY),
        citations=_cite("opencodelists-ld-cod", "pcd-refsets"),
    )


def built_in_autism() -> CodeList:
    """The built-in autism list (core concepts of AUTISM_COD)."""
    return CodeList(
        name="AUTISM_COD",
        refset_id=AUTISM_REFSET,
        concepts=dict(BUILT_IN_AUTISM),
        citations=_cite("opencodelists-autism-cod", "pcd-refsets"),
    )


@attrs.frozen(kw_only=True)
class CodeLists:
    """The code lists the ``FHIR-*`` rules search.

    ``CodeLists()`` is the built-in core concepts of NHS England's primary care domain
    reference sets LD_COD (999002611000230109) and AUTISM_COD (999016611000230107); a service
    holding a release reads it with ``leder_core.fhir.load_code_lists``. Each list says where
    it came from, and every fact it decides names it.
    """

    learning_disability: CodeList = attrs.field(factory=built_in_learning_disability)
    autism: CodeList = attrs.field(factory=built_in_autism)


_CSV_HEADER: Final = ("code", "term")
_RF2_HEADER: Final = (
    "id",
    "effectiveTime",
    "active",
    "moduleId",
    "refsetId",
    "referencedComponentId",
)
#: A SNOMED CT identifier: 6 to 18 digits, not starting with 0.
_SCTID: Final = re.compile(r"\A[1-9]\d{5,17}\Z", re.ASCII)
_EFFECTIVE_TIME: Final = re.compile(r"\A\d{8}\Z", re.ASCII)

Source = str | os.PathLike[str]


def load_code_lists(
    *, learning_disability: Source | None = None, autism: Source | None = None
) -> CodeLists:
    """The code lists from the files a service holds; a list not given stays the built-in one.

    Each file is either the ``code,term`` CSV that OpenCodelists publishes, or an RF2 simple
    refset snapshot (tab-separated, read in the rows of the list's refset with ``active`` 1),
    recognised by its header. A bad file raises :class:`~leder_core.InvalidInput` with
    ``file:line`` paths.
    """
    problems: list[tuple[str, str]] = []
    ld = built_in_learning_disability()
    aut = built_in_autism()
    if learning_disability is not None:
        ld = _read(Path(learning_disability), ld, problems) or ld
    if autism is not None:
        aut = _read(Path(autism), aut, problems) or aut
    if problems:
        raise InvalidInput(problems)
    return CodeLists(learning_disability=ld, autism=aut)


def _read(path: Path, built_in: CodeList, problems: list[tuple[str, str]]) -> CodeList | None:
    where = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        problems.append((where, f"cannot read the file ({error.strerror or 'error'})"))
        return None
    except UnicodeDecodeError:
        problems.append((f"{where}:1", "not UTF-8 text"))
        return None
    lines = text.splitlines()
    header = lines[0].strip() if lines else ""
    if tuple(header.split(",")) == _CSV_HEADER:
        return _read_csv(where, path.name, lines, built_in, problems)
    if tuple(header.split("\t")) == _RF2_HEADER:
        return _read_rf2(where, path.name, lines, built_in, problems)
    problems.append(
        (
            f"{where}:1",
            "not a code list: expected the header 'code,term' (OpenCodelists CSV) or an RF2 "
            "simple refset header (id, effectiveTime, active, moduleId, refsetId, "
            "referencedComponentId)",
        )
    )
    return None


def _read_csv(
    where: str, name: str, lines: list[str], built_in: CodeList, problems: list[tuple[str, str]]
) -> CodeList | None:
    import csv  # noqa: PLC0415 - only code list files need it

    concepts: dict[str, str] = {}
    before = len(problems)
    for number, row in enumerate(csv.reader(lines[1:]), start=2):
        if not row:
            continue
        if len(row) != 2:
            problems.append((f"{where}:{number}", "expected two columns: code,term"))
            continue
        code, term = row[0].strip(), row[1].strip()
        if not _SCTID.match(code):
            problems.append((f"{where}:{number}", "not a SNOMED CT concept id"))
            continue
        concepts[code] = term
    if len(problems) > before:
        return None
    if not concepts:
        problems.append((f"{where}:2", "the code list has no concepts"))
        return None
    return CodeList(
        name=built_in.name, refset_id=built_in.refset_id, concepts=concepts, source=name
    )


def _read_rf2(
    where: str, name: str, lines: list[str], built_in: CodeList, problems: list[tuple[str, str]]
) -> CodeList | None:
    wanted = LD_REFSET if built_in.refset_id == LD_REFSET else AUTISM_REFSET
    concepts: dict[str, str] = {}
    versions: list[str] = []
    before = len(problems)
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(_RF2_HEADER):
            problems.append((f"{where}:{number}", "expected six tab-separated columns"))
            continue
        _id, effective, active, _module, refset, component = (cell.strip() for cell in cells)
        if active not in ("0", "1"):
            problems.append((f"{where}:{number}", "active is not 0 or 1"))
            continue
        if not _EFFECTIVE_TIME.match(effective):
            problems.append((f"{where}:{number}", "effectiveTime is not YYYYMMDD"))
            continue
        if not _SCTID.match(component) or not _SCTID.match(refset):
            problems.append((f"{where}:{number}", "not a SNOMED CT concept id"))
            continue
        if refset != wanted or active != "1":
            continue
        # RF2 files name no terms; the built-in term is kept where the concept has one.
        concepts[component] = built_in.term(component) or "(term not in the file)"
        versions.append(effective)
    if len(problems) > before:
        return None
    if not concepts:
        problems.append((f"{where}:1", f"no active row of refset {wanted} ({built_in.name})"))
        return None
    return CodeList(
        name=built_in.name,
        refset_id=built_in.refset_id,
        concepts=concepts,
        source=name,
        file_refset_id=wanted,
        version=max(versions),
    )
