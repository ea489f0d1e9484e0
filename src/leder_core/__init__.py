"""leder_core: the rules of England's LeDeR programme as a typed, explainable library."""

from leder_core._version import __version__ as __version__
from leder_core.api import (
    apply,
    assess,
    check_governance,
    indicators,
    load_assessment,
    load_governance,
    load_review,
    review_result,
    review_status,
)
from leder_core.errors import InvalidInput, TransitionRefused
from leder_core.interpretation import Interpretation
from leder_core.serialization import dump, load_notification

__all__ = [
    "Interpretation",
    "InvalidInput",
    "TransitionRefused",
    "apply",
    "assess",
    "check_governance",
    "dump",
    "indicators",
    "load_assessment",
    "load_governance",
    "load_notification",
    "load_review",
    "review_result",
    "review_status",
]
