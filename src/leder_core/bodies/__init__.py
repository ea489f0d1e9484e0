"""Responsible bodies over time: which body was responsible for a review on a date.

The body recorded on a notification (``responsible_body``: a CCG, a sub-ICB location, an ICS
or an ICB code) is not the body responsible later: CCGs merged from 2017 to 2021, the ICS took
over on 1 June 2021, the ICBs on 1 July 2022, and twelve ICBs were merged or split into six
new ones on 1 April 2026. :func:`body_on` follows those changes (BODY-AS-OF) through a
:class:`Directory` (BODY-DIRECTORY): the one the package ships (:func:`bundled_directory`,
2016-07-01 to the changes of 2026-04-01) or that one extended by the official ODS files a
service downloads (:func:`load_directory`), so that a later change needs no new release.

The package's rooms: ``leder_core.bodies.bundled`` reads the directory the package ships,
``leder_core.bodies.ods_files`` reads the official ODS files,
``leder_core.bodies.extension`` adds what they say to a directory, and
``leder_core.bodies.on_date`` answers for a code or a set of reviews on a date. The models
are in ``leder_core.models.bodies`` and the rule in ``leder_core.rules.bodies``. Nothing
is read and no rule is imported until first used, so importing the package is cheap.

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

from typing import Any

from leder_core.bodies.bundled import bundled_directory
from leder_core.bodies.ods_files import classify_ods_file, load_directory
from leder_core.bodies.on_date import body_on, reviews_of_body
from leder_core.models.bodies import BodyOnDate, Directory, Step, StepKind

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


def __getattr__(name: str) -> Any:
    """``ResponsibleBodies`` (defined in ``leder_core.reference``) is importable from here
    too; it is imported on first use, since the reference module brings in the rules."""
    if name == "ResponsibleBodies":
        from leder_core.reference import ResponsibleBodies  # noqa: PLC0415 - on first use

        return ResponsibleBodies
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
