"""The data of the programme as frozen value objects: documents, decisions and results.

Models hold data and its invariants; they never import the rules.
"""

from leder_core.models.assessment import (
    Assessment,
    AssessmentWarning,
    Outcome,
    ReviewLevel,
    RuleSetId,
    Trigger,
)
from leder_core.models.explanation import Citation, Reason
from leder_core.models.identifiers import DocumentId, OdsCode
from leder_core.models.nhs_number import NhsNumber
from leder_core.models.notification import (
    AutismStatus,
    Detention,
    EthnicCategory,
    Notification,
    NotifierRole,
    OtherProcess,
    Person,
)
from leder_core.models.review import (
    Action,
    Allocated,
    Closed,
    ContactRecorded,
    FamilyNotInvolved,
    FocusedReviewCompleted,
    FocusedReviewRequested,
    HoldLifted,
    HoldPlaced,
    InitialReviewCompleted,
    RegionalDecision,
    SignedOff,
)

__all__ = [
    "Action",
    "Allocated",
    "Assessment",
    "AssessmentWarning",
    "AutismStatus",
    "Citation",
    "Closed",
    "ContactRecorded",
    "Detention",
    "DocumentId",
    "EthnicCategory",
    "FamilyNotInvolved",
    "FocusedReviewCompleted",
    "FocusedReviewRequested",
    "HoldLifted",
    "HoldPlaced",
    "InitialReviewCompleted",
    "NhsNumber",
    "Notification",
    "NotifierRole",
    "OdsCode",
    "OtherProcess",
    "Outcome",
    "Person",
    "Reason",
    "RegionalDecision",
    "ReviewLevel",
    "RuleSetId",
    "SignedOff",
    "Trigger",
]
