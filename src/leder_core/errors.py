"""The exceptions a caller of ``leder_core`` may need to catch.

Every exception the library raises on purpose derives from :class:`LederError`. The two
errors about input are also :class:`ValueError`, so code that already guards against bad values
keeps working. The store's errors (:class:`StoreError` and its subclasses) are not: nothing was
wrong with the input, the store holds something else.

Neither error ever carries a value from a person field: problems and reasons say *what* is
wrong and *where*, never what the caller sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from leder_core.models.explanation import Reason

__all__ = [
    "InvalidInput",
    "LederError",
    "Problem",
    "ReviewExists",
    "ReviewNotFound",
    "StoreError",
    "TransitionRefused",
    "VersionConflict",
]


class LederError(Exception):
    """Base class of every error ``leder_core`` raises on purpose."""


class Problem(NamedTuple):
    """One thing wrong with an input document.

    A problem is a ``(path, message)`` pair: ``path`` is a JSONPath into the document
    (``$.person.date_of_death``), ``message`` says what is wrong without quoting the value.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidInput(LederError, ValueError):
    """A document, argument or option was refused.

    ``problems`` lists every problem found, each with its JSON path, in document order as far
    as it can be told. Messages never contain the value of a person field.
    """

    problems: list[Problem]

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems = [Problem(path, message) for path, message in problems]
        if not self.problems:
            raise ValueError("InvalidInput needs at least one problem")
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        return f"{head}: " + "; ".join(str(problem) for problem in self.problems)

    def __repr__(self) -> str:
        return f"InvalidInput({[tuple(problem) for problem in self.problems]!r})"

    def prefixed(self, prefix: str) -> InvalidInput:
        """The same problems with ``$`` replaced by ``prefix`` (for documents in a batch)."""
        return InvalidInput(
            (prefix + problem.path[1:], problem.message) for problem in self.problems
        )


class TransitionRefused(LederError, ValueError):
    """A workflow event was refused; the review is unchanged.

    ``reasons`` names every failed check, each a :class:`~leder_core.models.Reason` with its
    rule id, a sentence and the policy citations, in the order the workflow page of the docs gives.

    ``position``: for a late entry refused by FLOW-LATE-ENTRY (INT-EVENT-ORDER ``dated``), the
    0-based position, in date order with the new event in its place, of the first event that
    would fail; else ``None``.
    """

    reasons: tuple[Reason, ...]
    event_type: str
    position: int | None

    def __init__(
        self, event_type: str, reasons: Iterable[Reason], *, position: int | None = None
    ) -> None:
        self.event_type = event_type
        self.position = position
        self.reasons = tuple(reasons)
        if not self.reasons:
            raise ValueError("TransitionRefused needs at least one reason")
        super().__init__(event_type, self.reasons)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids that refused the event, in order."""
        return tuple(reason.rule for reason in self.reasons)

    def __str__(self) -> str:
        details = "; ".join(f"{reason.rule}: {reason.text}" for reason in self.reasons)
        return f"event {self.event_type!r} refused: {details}"

    def __repr__(self) -> str:
        return f"TransitionRefused({self.event_type!r}, rules={list(self.rules)!r})"


class StoreError(LederError):
    """The review store could not do what was asked (:mod:`leder_core.store`).

    Not a :class:`ValueError`: the input was valid; the store's contents, or the database,
    decided otherwise. No message names a review id (the sender chose it).
    """


class ReviewExists(StoreError):
    """A review with this notification id is already stored (``review_id`` says which).

    From an import, ``documents`` lists the 0-based positions of every document whose id was
    already stored or repeated in the input.
    """

    review_id: str | None
    documents: tuple[int, ...]

    def __init__(self, review_id: str | None = None, *, documents: Iterable[int] = ()) -> None:
        self.review_id = review_id
        self.documents = tuple(documents)
        super().__init__(self.documents)

    def __str__(self) -> str:
        if not self.documents:
            return "a review with this id is already stored"
        count = len(self.documents)
        listed = ", ".join(str(position) for position in self.documents[:10])
        more = ", …" if count > 10 else ""
        return (
            f"{count} review document{'' if count == 1 else 's'} with an id already stored "
            f"or repeated in the input (positions {listed}{more})"
        )

    def __repr__(self) -> str:
        return f"ReviewExists(documents={list(self.documents)!r})"


class ReviewNotFound(StoreError):
    """No review with this id is stored (``review_id`` says which; never in the message)."""

    review_id: str

    def __init__(self, review_id: str) -> None:
        self.review_id = review_id
        super().__init__()

    def __str__(self) -> str:
        return "no review with this id is stored"

    def __repr__(self) -> str:
        return "ReviewNotFound()"


class VersionConflict(StoreError):
    """An append expected another version than the one stored: someone else wrote first.

    ``expected`` is the version the caller gave, ``current`` the number of events stored now.
    Rebuild the review (``store.get``), decide again, and append with ``current``.
    """

    review_id: str
    expected: int
    current: int

    def __init__(self, review_id: str, *, expected: int, current: int) -> None:
        self.review_id = review_id
        self.expected = expected
        self.current = current
        super().__init__(expected, current)

    def __str__(self) -> str:
        return f"expected version {self.expected}, but the stored version is {self.current}"

    def __repr__(self) -> str:
        return f"VersionConflict(expected={self.expected}, current={self.current})"
