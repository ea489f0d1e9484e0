"""Responsible bodies as services recorded them on a notification: the CCG, then the sub-ICB
location or the ICB, each as it existed on the notification date in the bundled directory."""

from __future__ import annotations

import functools
import random
from datetime import date
from typing import Final

from leder_core.bodies import bundled_directory
from leder_core.models.bodies import (
    ICB_START,
    ICS_START,
    Directory,
    DirectoryEntry,
    OrganisationKind,
)
from leder_core.sample.draws import one_of

__all__ = ["RecordedCodes", "recorded_codes"]

#: From 1 July 2022, the share of notifications that record the ICB responsible on the date
#: instead of the sub-ICB location.
_RECORDED_ICB_SHARE: Final = 0.3
_LOCATION: Final = frozenset({OrganisationKind.SICBL})


class RecordedCodes:
    """The codes a notification records for a review of an ICB's area (by its 2022 code), as
    services recorded them: the CCG existing on the notification date before 2021-06-01, the
    CCG (the sub-ICB location's code) until 2022-06-30, then the sub-ICB location or, for about
    a third, the ICB responsible on the date."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        locations: dict[str, list[DirectoryEntry]] = {}
        for record in directory.records:
            if record.kind is OrganisationKind.SICBL and record.on(ICB_START):
                parent = record.parent_on(ICB_START)
                if parent is not None:
                    locations.setdefault(parent, []).append(record)
        self.locations = {
            icb: tuple(sorted(found, key=lambda r: r.code)) for icb, found in locations.items()
        }
        chained: dict[str, list[DirectoryEntry]] = {}
        for record in directory.records:
            if record.kind is OrganisationKind.CCG:
                code = record.code
                while True:
                    after = directory.successors(code)
                    if len(after) != 1 or len(after[0][1]) != 1 or after[0][0] >= ICB_START:
                        break
                    code = after[0][1][0]
                chained.setdefault(code, []).append(record)
        self.ccgs = {
            code: tuple(sorted(found, key=lambda r: r.code)) for code, found in chained.items()
        }

    def pick(self, rng: random.Random, icb: str, day: int) -> str:
        """A recorded code for a review of ``icb``'s area notified on ``day``."""
        location = one_of(rng, self.locations[icb])
        which, icb_code = rng.random(), rng.random() < _RECORDED_ICB_SHARE
        on = date.fromordinal(day)
        if on < ICS_START:
            ccgs = [r for r in self.ccgs.get(location.code, ()) if r.on(on)]
            return ccgs[int(which * len(ccgs))].code if ccgs else location.code
        if on < ICB_START or (not icb_code and location.on(on)):
            return location.code
        if not location.on(on):  # split by area (Frimley): one of the locations that took it
            after = [targets for _, targets in self.directory.successors(location.code)]
            if not after:
                return location.code
            code = after[0][int(which * len(after[0]))]
            found = self.directory.entry(code, _LOCATION, on)
            if found is None:
                return code
            location = found
            if not icb_code:
                return location.code
        return location.parent_on(on) or location.code


@functools.cache
def recorded_codes() -> RecordedCodes:
    """The recorded codes of the bundled directory, worked out once."""
    return RecordedCodes(bundled_directory())
