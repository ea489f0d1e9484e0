"""leder_core: the rules of England's LeDeR programme as a typed, explainable library."""

from leder_core._version import __version__ as __version__
from leder_core.errors import InvalidInput, TransitionRefused
from leder_core.interpretation import Interpretation
from leder_core.rules.assess import assess
from leder_core.rules.clock import review_result, review_status
from leder_core.rules.governance import check_governance, load_governance
from leder_core.rules.indicators import indicators
from leder_core.rules.workflow import apply, load_review
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
    "load_governance",
    "load_notification",
    "load_review",
    "review_result",
    "review_status",
]
