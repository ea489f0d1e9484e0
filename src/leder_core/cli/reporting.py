"""What the ``leder`` command reports: its exit codes, results on stdout, and problems on
stderr, each with its document's position.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TextIO, TypeVar

from leder_core.errors import InvalidInput, Problem
from leder_core.serialization import dump, dump_json

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_STORE",
    "EmptyInput",
    "Output",
    "Problems",
    "TerminalCounter",
    "UsageError",
]

EXIT_OK: Final = 0
EXIT_REFUSED: Final = 1
EXIT_BAD_INPUT: Final = 2
EXIT_INTERNAL: Final = 3
EXIT_STORE: Final = 4
#: Output could not be written: its reader went away or the stream is closed (128 + SIGPIPE).
EXIT_BROKEN_PIPE: Final = 141

T = TypeVar("T")


class UsageError(Exception):
    """Bad usage: reported on stderr with exit code 2."""


class EmptyInput(UsageError):
    """An input with no documents at all (nothing, or only blank lines): exit code 2."""


class Output:
    """Prints results: a document per input, indented for a single object, and JSON Lines
    (one compact document a line) for a batch, whatever the number of results."""

    def __init__(self, output_format: str, stream: TextIO) -> None:
        self.format = output_format
        self.stream = stream
        self.count = 0

    def json(self, document: Mapping[str, Any], *, batch: bool = False) -> None:
        self.count += 1
        if batch:
            self.stream.write(
                json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
            )
        else:
            self.stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")

    def result(self, value: object, *, batch: bool) -> None:
        """A result's document: one compact line in a batch (written the fast way), else
        indented."""
        if batch:
            self.count += 1
            self.stream.write(dump_json(value) + "\n")
        else:
            self.json(dump(value))

    def text(self, block: str) -> None:
        if self.count:
            self.stream.write("\n")
        self.count += 1
        self.stream.write(block.rstrip("\n") + "\n")

    def result_of(self, prefix: str, value: T, as_text: Callable[[T], str]) -> None:
        """The result of the document at ``prefix``: its document in the JSON format (a line
        of JSON Lines in a batch), else its text."""
        if self.format == "json":
            self.result(value, batch=prefix != "$")
        else:
            self.text(as_text(value))


class Problems:
    """Collects bad-input problems for stderr."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, prefix: str, error: InvalidInput) -> None:
        self.problems.extend(error.prefixed(prefix).problems if prefix != "$" else error.problems)

    def add_one(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def report(self) -> None:
        for problem in self.problems:
            sys.stderr.write(f"{problem.path}: {problem.message}\n")

    def exit_code(self, otherwise: int = EXIT_OK) -> int:
        """Exit code 2 when any problem was found, else ``otherwise``."""
        return EXIT_BAD_INPUT if self.problems else otherwise


class TerminalCounter:
    """A count of documents on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, every: int = 10_000) -> None:
        self.label = label
        self.every = every
        self.count = 0
        self.shown = sys.stderr.isatty()

    def tick(self) -> None:
        self.count += 1
        if self.shown and self.count % self.every == 0:
            sys.stderr.write(f"\r{self.label}: {self.count:,}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown and self.count >= self.every:
            sys.stderr.write(f"\r{self.label}: {self.count:,} done\n")

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """The items, each counted as it is taken."""
        for item in items:
            self.tick()
            yield item
