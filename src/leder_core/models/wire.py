"""Field metadata that shapes a model's document, declared beside the models themselves.

The models never import :mod:`leder_core.serialization` (it imports them); the converter and
the schema generator read these keys.
"""

from __future__ import annotations

from typing import Final

__all__ = ["COMPUTED_DATE", "NOT_ON_WIRE", "OMIT_IF_ASSUMED", "OMIT_IF_DEFAULT", "OMIT_IF_NONE"]

#: Field metadata key: a field holding its default value is left out of the document. For an
#: optional field added to a document later, so that older documents round-trip unchanged.
OMIT_IF_DEFAULT: Final = "leder_omit_if_default"

#: Field metadata key: a field whose value is ``None`` is left out of the document. Only for
#: optional extensions of a contract document (present only when asked for).
OMIT_IF_NONE: Final = "leder_omit_if_none"

#: Field metadata key: the field is never in a document (neither read nor written); the
#: converter sets it from the document itself (a person's ``assumed`` facts).
NOT_ON_WIRE: Final = "leder_not_on_wire"

#: Field metadata key: a fact a document may leave out, taken as its default when it does;
#: written only when it was given, so that a document round-trips unchanged.
OMIT_IF_ASSUMED: Final = "leder_omit_if_assumed"

#: Field metadata key: a date the rules compute from a document's dates (a due date six months
#: after a notification). It may lie after the last date an input document may hold, so it is
#: read back as any real calendar date (as the output schemas allow, up to 9999-12-31).
COMPUTED_DATE: Final = "leder_computed_date"
