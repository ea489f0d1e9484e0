"""The loop every batch command runs: each document loaded, or reported by its position."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from leder_core.cli.reading import Document, NotJson
from leder_core.cli.reporting import Problems
from leder_core.errors import InvalidInput

__all__ = ["each_loaded"]

T = TypeVar("T")


def each_loaded(
    documents: Iterable[Document],
    load: Callable[[object], T],
    problems: Problems,
    prefix: str = "",
) -> Iterator[tuple[str, T]]:
    """What ``load`` makes of each document, with the document's position (``$``, ``$[3]``).

    A document that is not JSON, or that ``load`` refuses with :class:`InvalidInput`, is
    reported under ``prefix`` and its position and left out; the rest are still read.
    """
    for path, document in documents:
        if isinstance(document, NotJson):
            problems.add_one(prefix + path, document.message)
            continue
        try:
            loaded = load(document)
        except InvalidInput as error:
            problems.add(prefix + path, error)
            continue
        yield path, loaded
