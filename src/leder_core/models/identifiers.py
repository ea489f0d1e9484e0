"""Identifier shapes used in documents.

They are plain ``str`` to Python code (``typing.Annotated``), so callers build models with
ordinary strings; the converter checks the shape when a document is loaded.
"""

from __future__ import annotations

from typing import Annotated

__all__ = ["DocumentId", "OdsCode"]


class _DocumentIdShape:
    """1 to 64 characters, no control characters."""


class _OdsCodeShape:
    """3 to 10 upper-case letters and digits."""


#: An identifier chosen by the caller: 1 to 64 characters, no control characters.
DocumentId = Annotated[str, _DocumentIdShape]
#: An ODS organisation code (CCG, ICS or ICB): 3 to 10 upper-case letters and digits.
OdsCode = Annotated[str, _OdsCodeShape]
