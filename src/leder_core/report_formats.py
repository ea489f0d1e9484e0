"""The indicators as text and CSV, whose home is :mod:`leder_core.render.indicators`."""

from leder_core.render.indicators import (  # re-export: lead removes after merge
    COLUMNS,
    format_indicators_text,
    indicators_csv_rows,
)

__all__ = [
    "COLUMNS",
    "format_indicators_text",
    "indicators_csv_rows",
]
