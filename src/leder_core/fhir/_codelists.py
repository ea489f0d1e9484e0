"""Reading the code lists a service holds: an OpenCodelists CSV or an RF2 refset snapshot."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from leder_core.errors import InvalidInput
from leder_core.rules.fhir import (
    AUTISM_REFSET,
    LD_REFSET,
    CodeList,
    CodeLists,
    built_in_autism,
    built_in_learning_disability,
)

__all__ = ["load_code_lists"]

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
