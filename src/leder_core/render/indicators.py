"""Indicators for people and spreadsheets: a text table and CSV rows (``leder report``).

Presentation only: the figures are :func:`~leder_core.indicators`' own, unchanged but for
the formatting (shares as percentages in the text table; unrounded in CSV). The rows are the
total, each rule set, then each responsible body when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

import attrs

from leder_core.models.indicators import Counts, Indicators

__all__ = ["COLUMNS", "format_indicators_text", "indicators_csv_rows"]

#: The indicators in document order, with their text-table headings.
COLUMNS: Final = (
    ("notified", "notified"),
    ("in_scope", "in scope"),
    ("unallocated", "unallocated"),
    ("in_progress", "in progress"),
    ("incomplete", "incomplete"),
    ("completed", "completed"),
    ("closed", "closed"),
    ("due", "due"),
    ("completed_within_six_months", "within 6 mo"),
    ("within_six_months_share", "share"),
    ("backlog", "backlog"),
    ("backlog_excused", "excused"),
    ("backlog_unexcused", "unexcused"),
    ("median_days_to_completion", "median days"),
)
_LEVEL_COLUMNS: Final = ("started", "met", "late", "open_past_limit", "provisional")
_NONE: Final = "-"


def _groups(indicators: Indicators, by_body: bool) -> Iterator[tuple[str, str, Counts]]:
    """(kind, key, counts) for the total, each rule set and, if asked, each body."""
    yield "total", "", indicators.total
    for key, counts in indicators.by_ruleset.items():
        yield "ruleset", key, counts
    if by_body:
        for key, counts in indicators.by_body.items():
            yield "body", key, counts


def _text_value(name: str, value: object) -> str:
    if value is None:
        return _NONE
    if name == "within_six_months_share" and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value:,}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [line(header), rule, *(line(row) for row in rows)]


def _label(kind: str, key: str, names: Mapping[str, str] | None) -> str:
    if kind == "total":
        return "total"
    if kind == "body" and names and key in names:
        return f"{key} {names[key]}"
    return key


def format_indicators_text(
    indicators: Indicators, *, by_body: bool, names: Mapping[str, str] | None = None
) -> str:
    """A readable table of the indicators: one row per group, one column per indicator.

    Rows: the total, each rule set, and each responsible body when ``by_body`` (labelled
    ``code name`` when ``names`` maps the code to a name). The within-six-months share is a
    percentage to one decimal; a missing share or median is ``-``. Service levels, when the
    indicators have them, follow in a table of their own (``*``: provisional).
    """
    groups = list(_groups(indicators, by_body))
    interpretation = indicators.interpretation
    if interpretation is None:
        chosen = "mixed (the reviews were loaded under different interpretations)"
    else:
        chosen = ", ".join(
            f"{field.name}={getattr(interpretation, field.name)}"
            for field in attrs.fields(type(interpretation))
        )
    lines = [
        f"LeDeR indicators as of {indicators.as_of.isoformat()}",
        f"interpretation: {chosen}",
        "",
    ]
    header = ["group", *(heading for _, heading in COLUMNS)]
    rows = [
        [_label(kind, key, names)]
        + [_text_value(name, getattr(counts, name)) for name, _ in COLUMNS]
        for kind, key, counts in groups
    ]
    lines += _table(header, rows)
    for index, level in enumerate(indicators.service_levels or ()):
        start = level.from_event.replace("_", " ")
        end = level.to_event.value.replace("_", " ")
        lines += [
            "",
            f"service level {level.name}: {start} to {end} within "
            f"{level.working_days} working days",
        ]
        level_rows = []
        for kind, key, counts in groups:
            result = (counts.service_levels or ())[index]
            level_rows.append(
                [
                    _label(kind, key, names),
                    f"{result.started:,}",
                    f"{result.met:,}",
                    f"{result.late:,}",
                    f"{result.open_past_limit:,}",
                    "*" if result.provisional else "",
                ]
            )
        level_header = ["group", "started", "met", "late", "open past limit", "provisional"]
        lines += _table(level_header, level_rows)
    return "\n".join(lines) + "\n"


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def indicators_csv_rows(indicators: Indicators, *, by_body: bool) -> Iterator[list[str]]:
    """CSV rows: a header, then one row per group (total, each rule set, each body if asked).

    The first two columns are the group's kind (``total``, ``ruleset``, ``body``) and key
    (empty for the total); then the indicators under their document names, unrounded, with
    empty cells for null. Service levels, when present, add ``<name>.started``, ``.met``,
    ``.late``, ``.open_past_limit`` and ``.provisional`` columns per level.
    """
    levels = indicators.service_levels or ()
    header = ["group", "key", *(name for name, _ in COLUMNS)]
    header += [f"{level.name}.{column}" for level in levels for column in _LEVEL_COLUMNS]
    yield header
    for kind, key, counts in _groups(indicators, by_body):
        row = [kind, key, *(_csv_value(getattr(counts, name)) for name, _ in COLUMNS)]
        for result in counts.service_levels or ():
            row += [_csv_value(getattr(result, column)) for column in _LEVEL_COLUMNS]
        yield row
