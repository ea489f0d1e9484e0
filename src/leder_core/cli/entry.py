"""Running the ``leder`` command in a process: the parsed command is called, and what it
raises becomes a message on stderr and an exit code; a reader that has gone stops the command
quietly (exit code 141).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from typing import TextIO, cast

from leder_core.cli.parser import build_parser
from leder_core.cli.reporting import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_STORE,
    Output,
    Problems,
    UsageError,
)
from leder_core.errors import (
    InvalidInput,
    ReviewExists,
    ReviewNotFound,
    StoreError,
    VersionConflict,
)

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``leder`` with ``argv`` (default: the process arguments); return the exit code."""
    try:
        return _run(argv)
    except BrokenPipeError:
        return _broken_pipe()


class _ClosedStream(io.TextIOBase):
    """Stands in for stdout or stderr when the process has none (``2>&-``): writing to it is
    a broken pipe, so the command stops the same way as when its reader has gone."""

    def write(self, text: str) -> int:
        raise BrokenPipeError("the stream is closed")


def _run(argv: Sequence[str] | None) -> int:
    if sys.stdout is None:
        sys.stdout = cast("TextIO", _ClosedStream())
    if sys.stderr is None:
        sys.stderr = cast("TextIO", _ClosedStream())
    parser = build_parser()
    problems = Problems()
    try:
        args = parser.parse_args(argv)
        out = Output(getattr(args, "format", "text"), sys.stdout)
        code: int = args.handler(args, out, problems)
        problems.report()
        sys.stdout.flush()
    except UsageError as error:
        sys.stderr.write(f"leder: {error}\n")
        return EXIT_BAD_INPUT
    except InvalidInput as error:
        for problem in error.problems:
            problems.add_one(problem.path, problem.message)
        problems.report()
        return EXIT_BAD_INPUT
    except StoreError as error:
        return _store_failed(error)
    except BrokenPipeError:
        raise
    except Exception as error:
        sys.stderr.write(f"leder: internal error ({type(error).__name__}); please report it\n")
        return EXIT_INTERNAL
    return code


def _broken_pipe() -> int:
    """Stop quietly: what is still buffered for stdout goes nowhere, so that Python's own
    flush at exit cannot fail again and print about it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):
            continue  # not a real file (a closed stream, or a test's capture)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)
    return EXIT_BROKEN_PIPE


def _store_failed(error: StoreError) -> int:
    """A store error on stderr: exit 4 when the store holds something else, else 2."""
    sys.stderr.write(f"leder: {error}\n")
    if isinstance(error, VersionConflict | ReviewNotFound | ReviewExists):
        return EXIT_STORE
    return EXIT_BAD_INPUT
