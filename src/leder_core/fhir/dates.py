"""FHIR dates and date-times read as calendar dates in England (Europe/London).

A FHIR ``date``, ``dateTime`` or ``instant`` is read leniently where national data is known to
deviate (partial dates, a time without an offset) and refused where a date would be guessed.
Nothing here reads the clock: England's time zone is the one the platform or python-dateutil
carries, read once.
"""

from __future__ import annotations

import calendar
import functools
import io
import re
import tarfile
import warnings
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.tz import gettz

from leder_core.fhir.elements import ElementReader

__all__ = [
    "FhirDate",
    "date_at",
    "dateutil_bundled_london",
    "england_date",
    "london_zone",
    "parse_fhir_date",
    "period_covers",
]

_FHIR_DATE: Final = re.compile(
    r"\A(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.\d+)?"
    r"(?P<zone>Z|(?P<sign>[+-])(?P<zone_hour>\d{2}):(?P<zone_minute>\d{2}))?)?)?)?\Z",
    re.ASCII,
)


@functools.cache
def london_zone() -> tzinfo:
    """England's time zone (GMT, BST in summer), read once, by the standard library's fast
    ``zoneinfo`` (which also follows the rule past 2037), offline on every platform.

    Where it finds it: the system's time zone database, or the ``tzdata`` package (which
    python-dateutil 4 depends on, for the platforms that have no database, such as Windows);
    with python-dateutil 2, which ships its own copy of the database instead, that copy;
    dateutil's own reader last. Europe/London's rule has not changed since 1996, so every
    source gives the same dates.
    """
    try:
        return ZoneInfo("Europe/London")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # pragma: no cover - platform
        pass
    bundled = dateutil_bundled_london()  # pragma: no cover - platform
    if bundled is not None:  # pragma: no cover - platform
        return bundled
    zone = gettz("Europe/London")  # pragma: no cover - platform
    if zone is None:  # pragma: no cover - platform
        message = "no time zone data for Europe/London (install the tzdata package)"
        raise RuntimeError(message)
    return zone  # pragma: no cover - platform


def dateutil_bundled_london() -> tzinfo | None:  # pragma: no cover - platform
    """Europe/London from the copy of the database python-dateutil 2 ships (None with
    python-dateutil 4, which ships none and deprecates the module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            from dateutil.zoneinfo import getzoneinfofile_stream  # noqa: PLC0415
        except ImportError:
            return None
    try:
        with tarfile.open(fileobj=getzoneinfofile_stream()) as bundle:
            member = bundle.extractfile("Europe/London")
            if member is not None:
                return ZoneInfo.from_file(io.BytesIO(member.read()), key="Europe/London")
    except (OSError, KeyError, ValueError, tarfile.TarError):
        return None
    return None


def england_date(moment: datetime) -> date:
    """The calendar date in England (Europe/London) of an aware date-time."""
    return moment.astimezone(london_zone()).date()


@attrs.frozen
class FhirDate:
    """A FHIR date or date-time as far as it is given: ``first`` and ``last`` possible day
    (for a date-time with an offset, its date in England)."""

    first: date
    last: date
    full: bool
    """A full calendar date was given."""
    no_offset: bool
    """A time was given without a time zone offset (not valid FHIR; read as written)."""
    offset: bool = False
    """A time was given with an offset: the date is its date in England (Europe/London)."""


def parse_fhir_date(text: str) -> FhirDate | None:
    """A FHIR ``date``/``dateTime``/``instant`` read leniently (partial dates, no offset), or
    None when it is not one (an impossible date or time, a time without seconds).

    A date-time with an offset gives its date in England (Europe/London, GMT or BST); one
    without an offset is taken as written.
    """
    match = _FHIR_DATE.match(text)
    if match is None:
        return None
    try:
        year = int(match["year"])
        if match["day"] is not None:
            day = date(year, int(match["month"]), int(match["day"]))
            if match["hour"] is None:
                return FhirDate(day, day, True, False)
            hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
            if hour > 23 or minute > 59 or second > 59:
                return None
            if match["zone"] is None:
                return FhirDate(day, day, True, True)
            offset = _offset(match)
            if offset is None:
                return None
            moment = datetime.combine(day, time(hour, minute, second), timezone(offset))
            local = england_date(moment)
            return FhirDate(local, local, True, False, True)
        if match["month"] is not None:
            month = int(match["month"])
            last = calendar.monthrange(year, month)[1]
            return FhirDate(date(year, month, 1), date(year, month, last), False, False)
        return FhirDate(date(year, 1, 1), date(year, 12, 31), False, False)
    except (ValueError, OverflowError):
        return None


def _offset(match: re.Match[str]) -> timedelta | None:
    """The offset of a date-time (``Z`` is none), or None when it is not a real one."""
    if match["zone"] == "Z":
        return timedelta(0)
    hours, minutes = int(match["zone_hour"]), int(match["zone_minute"])
    if hours > 14 or minutes > 59:
        return None
    size = timedelta(hours=hours, minutes=minutes)
    return -size if match["sign"] == "-" else size


def date_at(reader: ElementReader, obj: Mapping[str, Any], key: str, path: str) -> FhirDate | None:
    """The FHIR date at ``key``, or None (absent, or a problem when not a readable one)."""
    text = reader.string(obj, key, path)
    if text is None:
        return None
    parsed = parse_fhir_date(text)
    if parsed is None:
        reader.problems.append((f"{path}.{key}", "not a readable FHIR date or date-time"))
    return parsed


def period_covers(
    reader: ElementReader, period: Mapping[str, Any] | None, path: str, died: date | None
) -> bool | None:
    """Whether a period (absent: always) covers the date of death; None if unreadable."""
    if period is None:
        return True
    start_given = period.get("start") is not None
    end_given = period.get("end") is not None
    start = date_at(reader, period, "start", path)
    end = date_at(reader, period, "end", path)
    if (start_given and start is None) or (end_given and end is None):
        return None
    if died is None:
        return True
    return (start is None or start.first <= died) and (end is None or end.last >= died)
