"""Plain-text explanations, whose home is :mod:`leder_core.render.text`."""

from leder_core.render.text import (  # re-export: lead removes after merge
    format_assessment_text,
    format_body_text,
    format_interpretation_text,
    format_review_result_text,
    format_rules_text,
)

__all__ = [
    "format_assessment_text",
    "format_body_text",
    "format_interpretation_text",
    "format_review_result_text",
    "format_rules_text",
]
