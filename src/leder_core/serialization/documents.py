"""Every document the library reads and writes, registered once with its schema name and its
cross-field checks; then the fast ways in and out are generated from the registry and the
models' fields.
"""

from __future__ import annotations

from leder_core.models.assessment import Assessment
from leder_core.models.bodies import BodyOnDate
from leder_core.models.catalogue import RuleCatalogue
from leder_core.models.fhir import FhirExtract, FhirRequest
from leder_core.models.governance import Arrangements, ComplianceReport
from leder_core.models.indicators import Indicators
from leder_core.models.notification import Notification
from leder_core.models.review import Review, ReviewDocument, ReviewResult
from leder_core.serialization.checks import (
    arrangements_problems,
    governance_cross_checks,
    notification_cross_checks,
    notification_model_checks,
    review_cross_checks,
    review_model_checks,
)
from leder_core.serialization.dump import install_direct_dumps
from leder_core.serialization.fast_load import install_fast_loads
from leder_core.serialization.registry import register_document

__all__: list[str] = []

register_document(
    Notification,
    "leder.notification/1",
    notification_cross_checks,
    model_check=notification_model_checks,
)
register_document(Assessment, "leder.assessment/1")
register_document(FhirExtract, "leder.fhir-extract/1")
register_document(FhirRequest, "leder.fhir-request/1")
register_document(
    ReviewDocument, "leder.review/1", review_cross_checks, model_check=review_model_checks
)
register_document(Review, "leder.review/1")
register_document(ReviewResult, "leder.review-result/1")
register_document(
    Arrangements,
    "leder.governance/1",
    governance_cross_checks,
    model_check=arrangements_problems,
)
register_document(ComplianceReport, "leder.governance-report/1")
register_document(Indicators, "leder.indicators/1")
register_document(BodyOnDate, "leder.body/1")
register_document(RuleCatalogue, "leder.rules/1")

install_fast_loads()
install_direct_dumps()
