"""The directory of responsible bodies the package ships (``data/bodies.json``), read on first
use: the file is parsed the first time :func:`bundled_directory` is called, never at import."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from leder_core.models.bodies import (
    Directory,
    DirectoryEntry,
    OrganisationKind,
    ParentLink,
    Succession,
)

__all__ = ["bundled_directory"]


def _day_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _entry(entry: dict[str, Any]) -> DirectoryEntry:
    return DirectoryEntry(
        code=entry["code"],
        name=entry["name"],
        kind=OrganisationKind(entry["kind"]),
        first=date.fromisoformat(entry["from"]),
        last=_day_or_none(entry["to"]),
        parents=tuple(
            ParentLink(
                from_=date.fromisoformat(link["from"]),
                to=_day_or_none(link["to"]),
                code=link["code"],
            )
            for link in entry["parents"]
        ),
    )


def _directory_from_document(data: dict[str, Any]) -> Directory:
    """A directory from a document shaped like ``data/bodies.json`` (which
    ``tools/build_bodies_data.py`` writes: organisations, successions, source, licence)."""
    successions = tuple(
        Succession(
            on=date.fromisoformat(entry["on"]),
            from_=entry["from"],
            to=entry["to"],
            part=entry["part"],
        )
        for entry in data["successions"]
    )
    return Directory(
        records=tuple(_entry(entry) for entry in data["organisations"]),
        successions=successions,
        source=data["source"],
        licence=data["licence"],
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
    return _directory_from_document(json.loads(text))
