"""Field metadata that shapes a model's document, declared beside the models themselves.

The models never import :mod:`leder_core.serialization` (it imports them); the converter and
the schema generator read these keys.
"""

from __future__ import annotations

from typing import Final

__all__ = ["OMIT_IF_DEFAULT", "OMIT_IF_NONE"]

#: Field metadata key: a field holding its default value is left out of the document. For an
#: optional field added to a document later, so that older documents round-trip unchanged.
OMIT_IF_DEFAULT: Final = "leder_omit_if_default"

#: Field metadata key: a field whose value is ``None`` is left out of the document. Only for
#: optional extensions of a contract document (present only when asked for).
OMIT_IF_NONE: Final = "leder_omit_if_none"
