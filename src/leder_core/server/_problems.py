"""Errors as RFC 9457 problem details (``application/problem+json``).

Every answer that is not a success is one :class:`HttpProblem`: a type URI, a title, the
status, a detail sentence, and, for bad input, ``problems`` (the library's ``(path, message)``
pairs) or, for a refused event, ``reasons`` (as in an assessment). None of them ever holds a
value the caller sent: the library's problems name paths and say what is wrong, and the
server's own details are fixed sentences.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from starlette.responses import Response

from leder_core.errors import InvalidInput, Problem

__all__ = ["PROBLEM_BASE", "PROBLEM_MEDIA_TYPE", "HttpProblem", "problem_response"]

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
#: The prefix of every problem ``type`` (a name, never fetched: ``.invalid`` does not resolve).
PROBLEM_BASE: Final = "https://leder-core.invalid/problems/"

#: Problem types: slug -> (status, title).
PROBLEM_TYPES: Final[Mapping[str, tuple[int, str]]] = {
    "malformed-request": (400, "Malformed request"),
    "unauthorized": (401, "Unauthorized"),
    "forbidden": (403, "Forbidden"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "review-exists": (409, "Review exists"),
    "event-refused": (409, "Event refused"),
    "version-conflict": (412, "Version conflict"),
    "body-too-large": (413, "Request body too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "invalid-input": (422, "Invalid input"),
    "precondition-required": (428, "Precondition required"),
    "internal-error": (500, "Internal server error"),
}


class HttpProblem(Exception):
    """An answer other than success, raised by a handler and sent as a problem document."""

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        problems: Iterable[tuple[str, str]] | None = None,
        reasons: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        status, title = PROBLEM_TYPES[kind]
        self.kind = kind
        self.status = status
        self.title = title
        self.detail = detail
        self.problems = None if problems is None else [Problem(*pair) for pair in problems]
        self.reasons = reasons
        self.headers = dict(headers or {})
        super().__init__(kind)

    @classmethod
    def invalid(cls, error: InvalidInput, detail: str = "the input was refused") -> HttpProblem:
        """422 with the library's problems."""
        return cls("invalid-input", detail, problems=error.problems)

    def document(self) -> dict[str, Any]:
        """The problem details document."""
        document: dict[str, Any] = {
            "type": PROBLEM_BASE + self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.problems is not None:
            document["problems"] = [
                {"path": problem.path, "message": problem.message} for problem in self.problems
            ]
        if self.reasons is not None:
            document["reasons"] = self.reasons
        return document


def problem_response(problem: HttpProblem) -> Response:
    """The response of a problem: its document as ``application/problem+json``."""
    body = json.dumps(problem.document(), ensure_ascii=False, separators=(",", ":"))
    return Response(
        body.encode(), problem.status, headers=problem.headers, media_type=PROBLEM_MEDIA_TYPE
    )
