"""The one way documents come in and go out: document → serialization → models.

A package of small modules, each named for what it holds:

* :mod:`~leder_core.serialization.primitives`: :class:`InvalidValue`, wire names, strict
  dates, JSON paths and the problems of a converter's error;
* :mod:`~leder_core.serialization.converter`: :func:`make_converter`, the single cattrs
  converter factory, and its hooks;
* :mod:`~leder_core.serialization.registry`: the one registry of documents (schema names and
  cross-field checks), which the converter, ``dump``, the fast ways and the JSON Schemas read;
* :mod:`~leder_core.serialization.documents`: every document, registered once;
* :mod:`~leder_core.serialization.checks`: nesting depth and the cross-field checks;
* :mod:`~leder_core.serialization.interpretation`: interpretation choices from documents
  and text;
* :mod:`~leder_core.serialization.shared`: the documents and texts of shared reasons and
  interpretations, written once;
* :mod:`~leder_core.serialization.loading`: :func:`load` and the loader of each document;
* :mod:`~leder_core.serialization.fast_load` and :mod:`~leder_core.serialization.dump`: the
  fast ways in and out, generated from the models' fields (:mod:`.generated`);
* :mod:`~leder_core.serialization.caller_models`: models a caller built, checked as their
  documents.

No document the library reads is nested more than :data:`MAX_DEPTH` arrays and objects deep
(the deepest real one, a FHIR Bundle, is about a dozen). A deeper input is bad input, found by
a walk that does not recurse, so that nesting of any depth gives
:class:`~leder_core.InvalidInput` and never :class:`RecursionError`.
"""

from leder_core.serialization import documents  # noqa: F401 - registers every document
from leder_core.serialization.caller_models import checked_event, checked_notification
from leder_core.serialization.checks import (
    MAX_DEPTH,
    TOO_DEEP,
    arrangements_problems,
    check_nesting,
    governance_cross_checks,
    nesting_problem,
)
from leder_core.serialization.converter import make_converter, structure_document_id
from leder_core.serialization.dump import dump, dump_json
from leder_core.serialization.interpretation import (
    coerce_interpretation,
    interpretation_from_text,
    load_interpretation,
)
from leder_core.serialization.loading import (
    load,
    load_assessment,
    load_event,
    load_governance,
    load_notification,
    load_review_document,
)
from leder_core.serialization.primitives import (
    InvalidValue,
    as_of_date,
    key_path,
    parse_date,
    wire_name,
)
from leder_core.serialization.registry import (
    document_schema,
    register_document,
    registered_documents,
)
from leder_core.serialization.shared import reason_document

__all__ = [
    "MAX_DEPTH",
    "TOO_DEEP",
    "InvalidValue",
    "arrangements_problems",
    "as_of_date",
    "check_nesting",
    "checked_event",
    "checked_notification",
    "coerce_interpretation",
    "document_schema",
    "dump",
    "dump_json",
    "governance_cross_checks",
    "interpretation_from_text",
    "key_path",
    "load",
    "load_assessment",
    "load_event",
    "load_governance",
    "load_interpretation",
    "load_notification",
    "load_review_document",
    "make_converter",
    "nesting_problem",
    "parse_date",
    "reason_document",
    "register_document",
    "registered_documents",
    "structure_document_id",
    "wire_name",
]
