"""Options of the ``leder`` command read into the library's values: ``--set``, dates,
``--service-level``, ``--ods``; and a document loaded as the commands take it. Every bad
option is reported by its name, never with the value given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from leder_core.api import load_review
from leder_core.bodies import bundled_directory, classify_ods_file, load_directory
from leder_core.errors import InvalidInput
from leder_core.interpretation import Interpretation
from leder_core.models.bodies import Directory
from leder_core.models.identifiers import LATEST_DATE
from leder_core.models.indicators import ServiceLevel
from leder_core.models.review import Review
from leder_core.rules.working_days import add_working_days
from leder_core.serialization import InvalidValue, interpretation_from_text, parse_date

__all__ = [
    "date_of",
    "directory_of",
    "interpretation_of",
    "mapping",
    "review_loader",
    "service_levels_of",
]


def interpretation_of(settings: Sequence[str]) -> Interpretation:
    """The interpretation of ``--set KEY=VALUE`` options; every bad one is reported."""
    pairs: list[tuple[str, str]] = []
    malformed = False
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            malformed = True
            continue
        pairs.append((key.strip(), value))
    try:
        chosen = interpretation_from_text(pairs, lambda key: f"--set {key}")
    except InvalidInput as error:
        if malformed:
            raise InvalidInput([("--set", "expected KEY=VALUE"), *error.problems]) from None
        raise
    if malformed:
        raise InvalidInput([("--set", "expected KEY=VALUE")])
    return chosen


def date_of(text: str, flag: str = "--as-of") -> date:
    """The date an option gives; a problem names the option (``--until: ...``)."""
    try:
        return parse_date(text)
    except InvalidValue as error:
        raise InvalidInput([(flag, error.message)]) from None


def mapping(document: object) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise InvalidInput([("$", "expected a JSON object")])
    return document


def review_loader(interpretation: Interpretation) -> Callable[[object], Review]:
    """Loads a review document under its own interpretation when it records one (``--set``
    then governs only the clock and ``due_soon_days`` of results), else under ``--set``'s."""

    def load(document: object) -> Review:
        data = mapping(document)
        if data.get("interpretation") is not None:
            return load_review(data)
        return load_review(data, interpretation=interpretation)

    return load


def service_levels_of(specifications: Sequence[str]) -> list[ServiceLevel]:
    """``NAME=FROM:TO:DAYS`` options, e.g. ``allocation=notified:allocated:5``."""
    levels: list[ServiceLevel] = []
    problems: list[tuple[str, str]] = []
    for specification in specifications:
        name, _, rest = specification.partition("=")
        parts = rest.split(":")
        if not name or len(parts) != 3 or not parts[2].isdigit():
            problems.append(("--service-level", "expected NAME=FROM:TO:DAYS"))
            continue
        try:
            levels.append(
                ServiceLevel(
                    name=name, from_event=parts[0], to_event=parts[1], working_days=int(parts[2])
                )
            )
            # A limit counted from the last date a document may hold must stay a date.
            add_working_days(LATEST_DATE, int(parts[2]))
        except InvalidInput as error:
            problems += [(f"--service-level {name}", p.message) for p in error.problems]
    if problems:
        raise InvalidInput(problems)
    return levels


def directory_of(paths: Sequence[str]) -> Directory:
    """The bundled directory, extended by ``--ods`` files recognised by their content."""
    if not paths:
        return bundled_directory()
    files: dict[str, list[str]] = {"eccg": [], "eother": [], "succ": []}
    problems = []
    for path in paths:
        kind = classify_ods_file(path)
        if kind is None:
            problems.append(
                (
                    f"--ods {path}",
                    "not an ODS eccg.csv, eother.csv or succ.csv file (headerless CSV)",
                )
            )
        else:
            files[kind].append(path)
    if problems:
        raise InvalidInput(problems)
    return load_directory(eccg=files["eccg"], eother=files["eother"], succ=files["succ"])
