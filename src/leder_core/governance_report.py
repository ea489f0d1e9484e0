"""The governance report as text, whose home is :mod:`leder_core.render.governance_report`."""

from leder_core.render.governance_report import (  # re-export: lead removes after merge
    format_governance_report,
)

__all__ = [
    "format_governance_report",
]
