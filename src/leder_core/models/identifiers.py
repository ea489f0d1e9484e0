"""Identifier and date shapes used in documents, each defined once.

The identifiers are plain ``str`` to Python code (``typing.Annotated``), so callers build models
with ordinary strings; the converter checks the shape when a document is loaded. The loader, the
JSON Schemas, the FHIR reader, the directory reader and the test strategies all read the shapes
here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Final

__all__ = [
    "CONTROL_CHARACTERS",
    "DOCUMENT_ID_MAX_LENGTH",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "ODS_CODE_PATTERN",
    "ODS_CODE_SHAPE",
    "DocumentId",
    "OdsCode",
]

#: The earliest date an input document may hold.
EARLIEST_DATE: Final = date(1880, 1, 1)
#: The latest date an input document may hold.
LATEST_DATE: Final = date(2199, 12, 31)
#: The most characters an identifier chosen by the caller may have (at least one).
DOCUMENT_ID_MAX_LENGTH: Final = 64
#: The C0 and C1 control characters an identifier may not hold, as a regular expression
#: (``\xhh`` escapes read alike in ECMA-262, Python, RE2 and PCRE, so JSON Schemas use it too).
CONTROL_CHARACTERS: Final = "[\\x00-\\x1f\\x7f-\\x9f]"
#: An ODS code's characters as a regular expression, without anchors (a JSON Schema ``pattern``
#: writes it between ``^`` and ``$``).
ODS_CODE_PATTERN: Final = "[A-Z0-9]{3,10}"
#: :data:`ODS_CODE_PATTERN` compiled to match a whole string.
ODS_CODE_SHAPE: Final = re.compile(rf"\A{ODS_CODE_PATTERN}\Z", re.ASCII)


class _DocumentIdShape:
    """1 to 64 characters, no control characters."""


class _OdsCodeShape:
    """3 to 10 upper-case letters and digits."""


#: An identifier chosen by the caller: 1 to 64 characters, no control characters.
DocumentId = Annotated[str, _DocumentIdShape]
#: An ODS organisation code (CCG, ICS or ICB): 3 to 10 upper-case letters and digits.
OdsCode = Annotated[str, _OdsCodeShape]
