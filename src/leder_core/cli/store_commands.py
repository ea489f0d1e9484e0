"""``leder store`` (reviews kept in a database: init, import, export, append) and ``leder
serve`` (the rules and the store over HTTP, with the ``server`` extra).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator

from leder_core.api import review_result
from leder_core.cli.options import mapping
from leder_core.cli.reading import NotJson, read_documents
from leder_core.cli.reporting import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_STORE,
    Output,
    Problems,
    UsageError,
)
from leder_core.errors import InvalidInput, ReviewExists, TransitionRefused
from leder_core.serialization import dump, parse_date
from leder_core.store import ImportRefused, open_store

__all__ = [
    "run_serve",
    "run_store_append",
    "run_store_export",
    "run_store_import",
    "run_store_init",
]


def run_store_init(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    with open_store(args.url) as store:
        sys.stderr.write(f"leder: store ready (schema version {store.schema_version})\n")
    return EXIT_OK


def run_store_export(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    with open_store(args.url) as store:
        for document in store.export():
            out.json(document, batch=True)
    return EXIT_OK


class _ImportProgress:
    """``imported: N`` on stderr every few seconds, once an import has run a few seconds."""

    def __init__(self, after: float = 3.0, every: float = 2.0) -> None:
        self.started = time.monotonic()
        self.after = after
        self.every = every
        self.last = 0.0
        self.shown = False

    def __call__(self, count: int) -> None:
        now = time.monotonic()
        if now - self.started >= self.after and now - self.last >= self.every:
            sys.stderr.write(f"leder: {count:,} review documents read\n")
            sys.stderr.flush()
            self.last = now
            self.shown = True


def run_store_import(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    prefixes: list[str] = []
    not_json: dict[str, str] = {}

    def documents() -> Iterator[object]:
        for prefix, document in read_documents(args.file):
            prefixes.append(prefix)
            if isinstance(document, NotJson):
                not_json[f"$[{len(prefixes) - 1}]"] = document.message
                yield None  # refused by the store as a bad document, reported as not JSON
            else:
                yield document

    def where(path: str) -> str:
        """A store path (``$[3].events[0]``) under the reader's prefix for that document."""
        head, _, rest = path.partition("]")
        position = int(head.removeprefix("$["))
        return prefixes[position] + rest

    progress = _ImportProgress()
    with open_store(args.url) as store:
        try:
            count = store.import_reviews(documents(), progress=progress)
        except InvalidInput as error:
            for problem in error.problems:
                message = not_json.get(problem.path, problem.message)
                problems.add_one(where(problem.path), message)
            sys.stderr.write("leder: nothing imported\n")
            return EXIT_BAD_INPUT
        except ImportRefused as refusal:
            rules = ", ".join(refusal.rules)
            place = where(f"$[{refusal.document}]")
            sys.stderr.write(
                f"{place}.events[{refusal.index}]: event refused ({rules})\n"
                "leder: nothing imported\n"
            )
            return EXIT_REFUSED
        except ReviewExists as exists:
            for position in exists.documents:
                sys.stderr.write(
                    f"{where(f'$[{position}]')}: a review with this id is already stored "
                    "or comes earlier in the input\n"
                )
            sys.stderr.write("leder: nothing imported\n")
            return EXIT_STORE
    sys.stderr.write(f"leder: {count:,} review{'s' if count != 1 else ''} imported\n")
    return EXIT_OK


def run_store_append(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    read = list(read_documents(args.file))
    if len(read) != 1 or read[0][0] != "$":
        raise UsageError("FILE must hold exactly one event document (a JSON object)")
    document = read[0][1]
    if isinstance(document, NotJson):
        problems.add_one("$", document.message)
        return EXIT_BAD_INPUT
    event = mapping(document)
    with open_store(args.url) as store:
        try:
            stored = store.append(
                args.review_id,
                event,
                expected_version=args.expect_version,
                recorded_by=args.recorded_by,
            )
        except TransitionRefused as refusal:
            for reason in refusal.reasons:
                sys.stderr.write(f"{reason.rule}: {reason.text}\n")
            sys.stderr.write("leder: event refused; nothing stored\n")
            return EXIT_REFUSED
    as_of = parse_date(event["on"])  # the store accepted it: a valid date
    out.json(dump(review_result(stored.review, as_of=as_of)))
    return EXIT_OK


def run_serve(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    """``leder serve``: the HTTP service (the ``server`` extra) until stopped."""
    try:
        from leder_core.server import ServeError, serve  # noqa: PLC0415 - an optional extra
    except ImportError as error:
        if (error.name or "").split(".")[0] not in {"starlette", "uvicorn"}:
            raise
        raise UsageError(
            "leder serve needs the server extra: pip install 'leder-core[server]'"
        ) from None
    try:
        serve(
            args.store,
            host=args.host,
            port=args.port,
            tokens_file=args.tokens,
            max_body=args.max_body,
        )
    except ServeError as error:
        raise UsageError(str(error)) from None
    return EXIT_OK
