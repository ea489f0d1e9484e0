"""The one registry of documents: each top-level document class, its schema name and its
cross-field checks.

The converter reads it (a nested document may name its schema), ``dump`` writes the name
first, :mod:`leder_core.schema` builds a JSON Schema for each entry, and the fast way in
(:mod:`leder_core.serialization.fast_load`) makes exactly the checks registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "CROSS_CHECKS",
    "FAST_LOADS",
    "MODEL_CHECKS",
    "SCHEMAS",
    "CrossCheck",
    "document_schema",
    "register_document",
    "registered_documents",
]

SCHEMAS: dict[type[Any], str] = {}
CrossCheck = Callable[[Any], Iterable[tuple[str, str]]]
CROSS_CHECKS: dict[type[Any], CrossCheck] = {}
MODEL_CHECKS: dict[type[Any], CrossCheck] = {}
#: The fast way in for each document kind that has one (made by
#: :func:`leder_core.serialization.fast_load.install_fast_loads`).
FAST_LOADS: dict[Any, Callable[[object], Any]] = {}


def register_document(
    kind: type[Any],
    schema: str,
    cross_check: CrossCheck | None = None,
    *,
    model_check: CrossCheck | None = None,
) -> None:
    """Declare ``kind`` a top-level document called ``schema`` (``leder.notification/1``).

    ``cross_check`` receives the raw mapping and yields ``(path, message)`` problems that
    involve more than one field; it runs whether or not the fields themselves were valid.
    ``model_check``, when given, makes the same checks on the structured document instead,
    which is cheaper on the fast path where every field was valid. It returns its problems as
    a sequence, or is a generator function; any other iterator it returned would be taken as
    problems found, and every document would be left to the converter.
    """
    SCHEMAS[kind] = schema
    # The fast way for valid documents makes only the checks it was written with: a document
    # registered again (its checks perhaps changed) is left to the converter.
    FAST_LOADS.pop(kind, None)
    if cross_check is not None:
        CROSS_CHECKS[kind] = cross_check
    if model_check is not None:
        MODEL_CHECKS[kind] = model_check


def document_schema(kind: type[Any]) -> str | None:
    """The schema name of a top-level document class, if it is one."""
    return SCHEMAS.get(kind)


def registered_documents() -> dict[type[Any], str]:
    """Every top-level document class and its schema name."""
    return dict(SCHEMAS)
