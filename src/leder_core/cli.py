"""The ``leder`` command (docs/cli.md): parse, call the library, print.

Exit codes: 0 done; 1 an event was refused during ``review`` (or ``store append``/``import``);
2 bad input or usage, with every problem on stderr (one per line, with its path; in a batch,
prefixed with the document's position, ``$[17].person.date_of_death``); 3 an unexpected
internal error (please report it); 4 the store holds something else (``leder store``: a
version conflict, an unknown review id, an id already stored).
No traceback is ever printed for bad input, and no message shows a person-level value.

Files are read as UTF-8 text (a byte order mark is read and dropped). Anything else is bad
input (exit code 2) named with its file and line: a UTF-16 or UTF-32 file, binary data, a
Latin-1 line. An input with no documents (empty, blank lines only, or a closed stdin) is bad
input too: the command says so on stderr and exits 2 without output. So is a document nested
more than ``MAX_DEPTH`` (100) arrays and objects deep, at any depth: it is named by its
position and the rest of a batch is still read.

When output cannot be written because its reader has gone (``leder sample | head -1``) or a
stream is closed (``2>&-``), the command stops quietly with exit code 141, as a command killed
by SIGPIPE does in a shell (128 + 13); nothing is written about it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, BinaryIO, Final, NoReturn, TextIO, cast

from leder_core._version import __version__
from leder_core.api import (
    assess,
    check_governance,
    indicators,
    load_governance,
    load_review,
    review_result,
)
from leder_core.bodies import (
    Directory,
    body_on,
    bundled_directory,
    classify_ods_file,
    load_directory,
    reviews_of_body,
)
from leder_core.diagram import workflow_dot, workflow_mermaid
from leder_core.errors import (
    InvalidInput,
    Problem,
    ReviewExists,
    ReviewNotFound,
    StoreError,
    TransitionRefused,
    VersionConflict,
)
from leder_core.fhir import FhirExtract, extract_notification, load_code_lists, parse_fhir_xml
from leder_core.fhir.request import (
    extract_request,
    is_fhir_request,
    load_fhir_request,
    notification_as_read,
)
from leder_core.fhir.text import format_fhir_extract_text
from leder_core.governance_report import format_governance_report
from leder_core.interpretation import Interpretation
from leder_core.models.assessment import RuleSetId
from leder_core.models.identifiers import LATEST_DATE
from leder_core.models.indicators import ServiceLevel
from leder_core.models.review import Review
from leder_core.reference import body_in_directory
from leder_core.report_formats import format_indicators_text, indicators_csv_rows
from leder_core.rules.registry import iter_rules, rule_catalogue
from leder_core.rules.working_days import add_working_days
from leder_core.sample import SAMPLE_SEED, SAMPLE_UNTIL, sample_reviews
from leder_core.schema import SCHEMA_NAMES, json_schema, schema_name
from leder_core.serialization import (
    TOO_DEEP,
    InvalidValue,
    dump,
    dump_json,
    interpretation_from_text,
    nesting_problem,
    parse_date,
)
from leder_core.store import ImportRefused, open_store
from leder_core.text import (
    format_assessment_text,
    format_body_text,
    format_review_result_text,
    format_rules_text,
)

__all__ = [
    "build_parser",
    "main",
]

EXIT_OK: Final = 0
EXIT_REFUSED: Final = 1
EXIT_BAD_INPUT: Final = 2
EXIT_INTERNAL: Final = 3
EXIT_STORE: Final = 4
#: Output could not be written: its reader went away or the stream is closed (128 + SIGPIPE).
EXIT_BROKEN_PIPE: Final = 141


class UsageError(Exception):
    """Bad usage: reported on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


# --- reading input ------------------------------------------------------------------------


class _NotJson:
    """A line or file that is not valid JSON (or not UTF-8 text); carries no part of its
    content."""

    def __init__(self, message: str) -> None:
        self.message = message


class EmptyInput(UsageError):
    """An input with no documents at all (nothing, or only blank lines): exit code 2."""


Document = tuple[str, object]  # (path prefix, parsed value or _NotJson)

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


class _TooDeep(Exception):
    """JSON nested too deeply for the parser to read it (it would recurse past its limit)."""


def _loads(text: str | bytes) -> object:
    """``json.loads``, with nesting too deep to parse raised as :class:`_TooDeep`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _TooDeep from None


def _stdin_closed() -> bool:
    """Whether there is no stdin at all (``<&-``): Python gives ``None`` for it."""
    return sys.stdin is None


def _open_input(path: str) -> BinaryIO:
    if path == "-":
        if _stdin_closed():
            raise EmptyInput("stdin: no input, stdin is closed")
        buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream standing in for stdin, as when embedded
            return io.BufferedReader(io.BytesIO(sys.stdin.read().encode("utf-8")))
        return buffer
    try:
        return open(path, "rb")  # decoded here, line by line, so every byte is accounted for
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def read_documents(path: str) -> Iterator[Document]:
    """Documents from a JSON object, a JSON array, or JSON Lines (``-`` is stdin).

    JSON Lines are read line by line, so a large file streams in constant memory. Each
    document comes with the path prefix its problems are reported under: ``$`` for a single
    object, ``$[i]`` for the i-th item of an array or line of a JSON Lines file.

    The input must be UTF-8 text; a UTF-8 byte order mark is read and dropped. A line that is
    not UTF-8 (Latin-1, UTF-16, binary data) is a problem naming the file and the line; an
    input with no documents raises :class:`EmptyInput`.
    """
    name = "stdin" if path == "-" else path
    stream = _open_input(path)
    try:
        yield from _documents(stream, name)
    finally:
        if path != "-":
            stream.close()


class _NotText:
    """A line that is not UTF-8 text: where, and why, never its bytes."""

    def __init__(self, number: int, why: str) -> None:
        self.number = number
        self.why = why

    def message(self, name: str) -> str:
        where = f"{name} line {self.number}" if self.number else name
        return f"not UTF-8 text: {where} {self.why}; save the file as UTF-8"


Line = tuple[int, "str | _NotText"]  # (line number from 1, its text or why it has none)


def _lines(stream: BinaryIO) -> Iterator[Line]:
    """Every line of a byte stream as text, numbered from 1."""
    for number, line in enumerate(stream, start=1):
        if number == 1 and line.startswith(_UTF16_BOMS):  # UTF-16 or UTF-32: not read at all
            yield number, _NotText(0, "starts with a UTF-16 byte order mark")
            return
        raw = line[len(_UTF8_BOM) :] if number == 1 and line.startswith(_UTF8_BOM) else line
        if b"\x00" in raw:
            yield number, _NotText(number, "has NUL bytes (binary data, or UTF-16 text)")
            continue
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield (
                number,
                _NotText(number, f"has a byte that is not UTF-8 at column {error.start + 1}"),
            )


def _non_blank(lines: Iterator[Line]) -> Iterator[Line]:
    return ((number, text) for number, text in lines if not isinstance(text, str) or text.strip())


def _documents(stream: BinaryIO, name: str) -> Iterator[Document]:
    lines = _non_blank(_lines(stream))
    first = next(lines, None)
    if first is None:
        raise EmptyInput(f"{name}: empty input, no documents to read")
    number, text = first
    second = next(lines, None)
    if _one_object(text) or (isinstance(text, _NotText) and second and _one_object(second[1])):
        # JSON Lines (or a one-line object): stream the rest line by line.
        if second is None:
            yield "$", _parse_line(text, number, name)
            return
        yield "$[0]", _parse_line(text, number, name)
        for index, (number, text) in enumerate(_chain_first(second, lines), start=1):
            yield f"$[{index}]", _parse_line(text, number, name)
        return
    # A pretty-printed object or an array: read it whole.
    numbered = [first, *([second] if second else []), *lines]
    pieces: list[str] = []
    expected = 1
    for number, part in numbered:
        if isinstance(part, _NotText):
            yield "$", _NotJson(part.message(name))
            return
        # Blank lines left out while reading are put back, so JSON errors give true lines.
        pieces.append("\n" * (number - expected) + part)
        expected = number + 1
    whole_text = "".join(pieces)
    try:
        whole = _loads(whole_text)
    except json.JSONDecodeError as error:
        yield "$", _NotJson(f"not valid JSON (line {error.lineno}, column {error.colno})")
        return
    except _TooDeep:
        yield from _array_items(whole_text)
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield f"$[{index}]", item
    else:
        yield "$", whole


def _array_items(text: str) -> Iterator[Document]:
    """A document too deep to read whole: if it is an array, each item is read on its own,
    so that only the deep ones are refused (``$[3]: nested more than ...``) and the others
    are read as in any batch; anything else is refused as a whole."""
    start = len(text) - len(text.lstrip())
    spans = _item_spans(text, start + 1) if text.startswith("[", start) else None
    if spans is None:
        yield "$", _NotJson(TOO_DEEP)
        return
    items: list[object] = []
    for begin, end in spans:
        try:
            items.append(_loads(text[begin:end]))
        except json.JSONDecodeError as error:  # the whole is not JSON: said as json.loads would
            position = begin + error.pos
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            yield "$", _NotJson(f"not valid JSON (line {line}, column {column})")
            return
        except _TooDeep:
            items.append(_NotJson(TOO_DEEP))
    for index, item in enumerate(items):
        yield f"$[{index}]", item


_STRUCTURE: Final = frozenset('[]{},"')


def _item_spans(text: str, position: int) -> list[tuple[int, int]] | None:
    """Where each item of the array whose ``[`` is just before ``position`` begins and ends,
    found by counting brackets outside strings (no recursion, so any depth); ``None`` when
    the text is not one array."""
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = position
    index = position
    length = len(text)
    while index < length:
        character = text[index]
        if character not in _STRUCTURE:
            index += 1
            continue
        if character == '"':
            index += 1
            while index < length and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
        elif character in "[{":
            depth += 1
        elif depth:
            depth -= character in "]}"
        elif character == ",":
            spans.append((begin, index))
            begin = index + 1
        elif character == "]":
            if text[begin:index].strip() or spans:
                spans.append((begin, index))
            return spans if not text[index + 1 :].strip() else None
        else:  # a "}" closing nothing
            return None
        index += 1
    return None


def _one_object(text: str | _NotText) -> bool:
    """Whether a line is a whole JSON object on its own (the mark of JSON Lines)."""
    if isinstance(text, _NotText) or not text.lstrip().startswith("{"):
        return False
    try:
        return isinstance(_loads(text), dict)
    except json.JSONDecodeError:
        return False
    except _TooDeep:  # an object (it starts with "{"), too deep to read: named when parsed
        return text.rstrip().endswith("}")


def _chain_first(first: Line, rest: Iterator[Line]) -> Iterator[Line]:
    yield first
    yield from rest


def _parse_line(text: str | _NotText, number: int, name: str) -> object:
    if isinstance(text, _NotText):
        return _NotJson(text.message(name))
    try:
        return _loads(text)
    except json.JSONDecodeError as error:
        return _NotJson(f"not valid JSON (line {number}, column {error.colno})")
    except _TooDeep:
        return _NotJson(f"{TOO_DEEP} (line {number})")


# --- output -------------------------------------------------------------------------------


class _Output:
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


class _Problems:
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


# --- options ------------------------------------------------------------------------------


def _interpretation(settings: Sequence[str]) -> Interpretation:
    """The interpretation of ``--set KEY=VALUE`` options; every bad one is reported."""
    pairs: list[tuple[str, str]] = []
    malformed = False
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            malformed = True
            continue
        pairs.append((key.strip(), value))
    try:
        interpretation = interpretation_from_text(pairs, lambda key: f"--set {key}")
    except InvalidInput as error:
        if malformed:
            raise InvalidInput([("--set", "expected KEY=VALUE"), *error.problems]) from None
        raise
    if malformed:
        raise InvalidInput([("--set", "expected KEY=VALUE")])
    return interpretation


def _as_of(text: str, flag: str = "--as-of") -> date:
    """The date an option gives; a problem names the option (``--until: ...``)."""
    try:
        return parse_date(text)
    except InvalidValue as error:
        raise InvalidInput([(flag, error.message)]) from None


# --- commands -----------------------------------------------------------------------------


def _cmd_assess(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    interpretation = _interpretation(args.set)
    for prefix, document in read_documents(args.file):
        if isinstance(document, _NotJson):
            problems.add_one(prefix, document.message or "not valid JSON")
            continue
        try:
            assessment = assess(_mapping(document), interpretation=interpretation)
        except InvalidInput as error:
            problems.add(prefix, error)
            continue
        if args.format == "json":
            out.result(assessment, batch=prefix != "$")
        else:
            out.text(format_assessment_text(assessment))
    return EXIT_BAD_INPUT if problems.problems else EXIT_OK


def _mapping(document: object) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise InvalidInput([("$", "expected a JSON object")])
    return document


def _load_review(document: object, interpretation: Interpretation) -> Review:
    """A review document loaded under its own interpretation when it records one (``--set``
    then governs only the clock and ``due_soon_days`` of results), else under ``--set``'s."""
    data = _mapping(document)
    if data.get("interpretation") is not None:
        return load_review(data)
    return load_review(data, interpretation=interpretation)


def _cmd_review(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    interpretation = _interpretation(args.set)
    as_of = _as_of(args.as_of)
    refused = False
    for prefix, document in read_documents(args.file):
        if isinstance(document, _NotJson):
            problems.add_one(prefix, document.message or "not valid JSON")
            continue
        try:
            review = _load_review(document, interpretation)
            result = review_result(review, as_of=as_of, interpretation=interpretation)
        except InvalidInput as error:
            problems.add(prefix, error)
            continue
        if result.refused is not None:
            refused = True
            rules = ", ".join(reason.rule for reason in result.refused.reasons)
            sys.stderr.write(f"{prefix}.events[{result.refused.index}]: event refused ({rules})\n")
        if args.format == "json":
            out.result(result, batch=prefix != "$")
        else:
            out.text(format_review_result_text(result))
    if problems.problems:
        return EXIT_BAD_INPUT
    return EXIT_REFUSED if refused else EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    rules = list(iter_rules())
    if args.format == "json":
        out.json(dump(rule_catalogue(rules)))
    else:
        out.text(format_rules_text(rules))
    return EXIT_OK


def _cmd_diagram(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    ruleset = RuleSetId(args.ruleset)
    draw = workflow_mermaid if args.format == "mermaid" else workflow_dot
    out.stream.write(draw(ruleset))
    return EXIT_OK


class _TerminalCounter:
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


def _reviews(
    documents: Iterator[Document],
    interpretation: Interpretation,
    problems: _Problems,
    progress: _TerminalCounter,
    prefix: str = "",
) -> Iterator[Review]:
    """Reviews loaded from documents; a bad document is reported and left out."""
    for path, document in documents:
        progress.tick()
        if isinstance(document, _NotJson):
            problems.add_one(prefix + path, document.message or "not valid JSON")
            continue
        try:
            yield _load_review(document, interpretation)
        except InvalidInput as error:
            problems.add(prefix + path, error)


def _cmd_report(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    interpretation = _interpretation(args.set)
    as_of = _as_of(args.as_of)
    if [args.sample, args.file is not None, args.store is not None].count(True) != 1:
        raise UsageError("give one of FILE, --sample or --store URL")
    documents: Iterator[Document] = iter(())
    if args.sample:
        documents = (
            (f"$[{index}]", document)
            for index, document in enumerate(sample_reviews(until=SAMPLE_UNTIL))
        )
    elif args.file is not None:
        documents = read_documents(args.file)
    levels = _service_levels(args.service_level)
    directory = _directory(args.ods)
    progress = _TerminalCounter("reviews")
    result = indicators(
        _stored_reviews(args.store, progress)
        if args.store is not None
        else _reviews(documents, interpretation, problems, progress),
        as_of=as_of,
        interpretation=interpretation,
        service_levels=levels,
        directory=directory,
    )
    progress.done()
    by_body = args.by == "body"
    if args.format == "json":
        out.json(dump(result))
    elif args.format == "csv":
        csv.writer(out.stream, lineterminator="\n").writerows(
            indicators_csv_rows(result, by_body=by_body)
        )
    else:
        names = _body_names(result.by_body, as_of, directory) if by_body else None
        text = format_indicators_text(result, by_body=by_body, names=names)
        notes = _group_notes(result.by_body, as_of, directory) if by_body else []
        out.text(text + "".join(f"{line}\n" for line in notes))
    return EXIT_BAD_INPUT if problems.problems else EXIT_OK


def _service_levels(specifications: Sequence[str]) -> list[ServiceLevel]:
    """``NAME=FROM:TO:DAYS`` options, e.g. ``allocation=notified:allocated:5``."""
    levels: list[ServiceLevel] = []
    problems: list[tuple[str, str]] = []
    for specification in specifications:
        name, _, rest = specification.partition("=")
        parts = rest.split(":")
        if not name or len(parts) != 3 or not parts[2].isdigit():
            problems.append(("--service-level", "expected NAME=FROM:TO:DAYS"))
            continue
        try:
            levels.append(
                ServiceLevel(
                    name=name, from_event=parts[0], to_event=parts[1], working_days=int(parts[2])
                )
            )
            # A limit counted from the last date a document may hold must stay a date.
            add_working_days(LATEST_DATE, int(parts[2]))
        except InvalidInput as error:
            problems += [(f"--service-level {name}", p.message) for p in error.problems]
    if problems:
        raise InvalidInput(problems)
    return levels


def _directory(paths: Sequence[str]) -> Directory:
    """The bundled directory, extended by ``--ods`` files recognised by their content."""
    if not paths:
        return bundled_directory()
    files: dict[str, list[str]] = {"eccg": [], "eother": [], "succ": []}
    problems = []
    for path in paths:
        kind = classify_ods_file(path)
        if kind is None:
            problems.append(
                (
                    f"--ods {path}",
                    "not an ODS eccg.csv, eother.csv or succ.csv file (headerless CSV)",
                )
            )
        else:
            files[kind].append(path)
    if problems:
        raise InvalidInput(problems)
    return load_directory(eccg=files["eccg"], eother=files["eother"], succ=files["succ"])


def _body_names(codes: Iterable[str], on: date, directory: Directory) -> dict[str, str]:
    """The name, as of the date, of each body key that is a code."""
    names = {}
    for code in codes:
        found = body_on(code, on, directory=directory) if ":" not in code else None
        if found is not None and found.code == code and found.name:
            names[code] = found.name
    return names


def _group_notes(keys: Iterable[str], on: date, directory: Directory) -> list[str]:
    """A note on the groups that are not a body: unknown codes and unresolved splits."""
    unknown = [key for key in keys if key == "unknown" or key.startswith("unknown:")]
    unresolved = []
    for key in keys:
        if key.startswith("unresolved:"):
            found = body_on(key.partition(":")[2], on, directory=directory)
            unresolved.append(f"{key} (candidates {', '.join(found.candidates)})")
    lines = []
    if unresolved:
        lines.append(
            "note: unresolved (a split the recorded code cannot settle, never guessed): "
            + "; ".join(unresolved)
        )
    if unknown:
        lines.append(
            f"note: unknown (no code, or a code the directory does not know on {on.isoformat()})"
            ": " + ", ".join(unknown)
        )
    return ["", *lines] if lines else []


def _cmd_governance(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    interpretation = _interpretation(args.set)
    as_of = _as_of(args.as_of)
    directory = _directory(args.ods)
    reviews: list[Review] = []
    if args.reviews is not None and args.store is not None:
        raise UsageError("give --reviews FILE or --store URL, not both")
    if args.reviews is not None:
        progress = _TerminalCounter("reviews")
        reviews = list(
            _reviews(read_documents(args.reviews), interpretation, problems, progress, "--reviews ")
        )
        progress.done()
    elif args.store is not None:
        progress = _TerminalCounter("reviews")
        reviews = list(_stored_reviews(args.store, progress))
        progress.done()
    for prefix, document in read_documents(args.file):
        if isinstance(document, _NotJson):
            problems.add_one(prefix, document.message or "not valid JSON")
            continue
        try:
            arrangements = load_governance(_mapping(document))
            kept = _reviews_of(arrangements.body.code, reviews, as_of, directory)
            report = check_governance(
                arrangements,
                as_of=as_of,
                reviews=kept if args.reviews is not None or args.store is not None else (),
                interpretation=interpretation,
                directory=directory,
            )
        except InvalidInput as error:
            problems.add(prefix, error)
            continue
        finding = body_in_directory(arrangements.body, on=as_of, directory=directory)
        if args.format == "json":
            out.json(dump(report), batch=prefix != "$")
            for note in finding.notes if not finding.known or finding.stale else ():
                sys.stderr.write(f"note: {note}\n")
        else:
            out.text(format_governance_report(report, finding))
    return EXIT_BAD_INPUT if problems.problems else EXIT_OK


def _reviews_of(
    code: str, reviews: Sequence[Review], on: date, directory: Directory
) -> list[Review]:
    """The reviews whose body on the date (BODY-AS-OF) is ``code``; one ``note:`` line on
    stderr for those left out, with their keys."""
    kept, left_out = reviews_of_body(reviews, code, on, directory=directory)
    if left_out:
        count = sum(left_out.values())
        listed = ", ".join(f"{key} ({number})" for key, number in sorted(left_out.items()))
        sys.stderr.write(
            f"note: {count} review{'s' if count != 1 else ''} left out: their body on "
            f"{on.isoformat()} is not {code}: {listed}\n"
        )
    return kept


def _cmd_body(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    as_of = _as_of(args.as_of)
    directory = _directory(args.ods)
    found = body_on(args.code, as_of, directory=directory)
    if args.format == "json":
        out.json(dump(found))
    else:
        names = {
            code: name
            for code in found.candidates
            if (name := body_on(code, as_of, directory=directory).name) is not None
        }
        out.text(format_body_text(found, names=names))
    return EXIT_OK


def _read_fhir(path: str) -> object:
    """FHIR JSON, or FHIR XML (with the extra) when the file starts with ``<``."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            if _stdin_closed():
                raise EmptyInput("stdin: no input, stdin is closed")
            stdin: Any = sys.stdin
            buffer = getattr(stdin, "buffer", None)
            raw = buffer.read() if buffer is not None else stdin.read().encode("utf-8")
        else:
            with open(path, "rb") as stream:
                raw = stream.read()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    text = raw.removeprefix(_UTF8_BOM)
    if not text.strip():
        raise EmptyInput(f"{name}: empty input, no documents to read")
    if text.lstrip()[:1] == b"<":  # XML, perhaps after a BOM
        return parse_fhir_xml(raw)
    try:
        return _loads(text)
    except UnicodeDecodeError:
        raise InvalidInput([("$", "not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput([("$", f"not valid JSON (line {error.lineno})")]) from None
    except _TooDeep:
        raise InvalidInput([("$", TOO_DEEP)]) from None


def _supplied(path: str | None, settings: Sequence[str]) -> dict[str, Any]:
    """The supplied facts: the ``--supplied`` document, then each ``--set-fact``."""
    supplied: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    if path is not None:
        document = _read_fhir(path) if path == "-" else _json_file(path, "supplied")
        if not isinstance(document, dict):
            raise InvalidInput([("supplied", "expected a partial notification document")])
        supplied = document
    for setting in settings:
        field, sep, text = setting.partition("=")
        field = field.strip()
        if not sep or not field or any(not part for part in field.split(".")):
            problems.append(("--set-fact", "expected FIELD=VALUE, e.g. person.autism=none"))
            continue
        try:
            value: object = _loads(text)
        except json.JSONDecodeError:
            value = text  # a bare string
        except _TooDeep:
            problems.append((f"--set-fact {field}", TOO_DEEP))
            continue
        if nesting_problem(value) is not None:
            problems.append((f"--set-fact {field}", TOO_DEEP))
            continue
        *parents, last = field.split(".")
        target = supplied
        for parent in parents:
            child = target.setdefault(parent, {})
            if not isinstance(child, dict):
                problems.append((f"--set-fact {field}", "its parent is not an object"))
                break
            target = child
        else:
            target[last] = value
    if problems:
        raise InvalidInput(problems)
    return supplied


def _json_file(path: str, where: str) -> object:
    try:
        with open(path, "rb") as stream:
            raw = stream.read()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if not raw.removeprefix(_UTF8_BOM).strip():
        raise EmptyInput(f"{path}: empty input, no documents to read")
    try:
        return _loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput([(where, "not a valid JSON file")]) from None
    except _TooDeep:
        raise InvalidInput([(where, TOO_DEEP)]) from None


_CODELIST_NAMES: Final = ("learning_disability", "autism")


def _code_lists(settings: Sequence[str]) -> Any:
    files: dict[str, str] = {}
    for setting in settings:
        name, sep, path = setting.partition("=")
        if not sep or name.strip() not in _CODELIST_NAMES or not path:
            raise InvalidInput([("--codelist", "expected learning_disability=FILE or autism=FILE")])
        files[name.strip()] = path
    try:
        return load_code_lists(**files) if files else None
    except InvalidInput as error:  # each problem's path starts with the file's
        raise InvalidInput(
            (f"--codelist {path}", message) for path, message in error.problems
        ) from None


def _named_by_set_fact(error: InvalidInput, settings: Sequence[str]) -> InvalidInput:
    """The problems with a fact given by ``--set-fact FIELD=VALUE`` named by that option
    (``--set-fact person.lived_in_england: expected a boolean``), the others as they are."""
    fields = {setting.partition("=")[0].strip() for setting in settings}

    def named(path: str) -> str:
        for field in fields:
            where = f"supplied.{field}"
            if path == where or path.startswith((where + ".", where + "[")):
                return f"--set-fact {field}{path[len(where) :]}"
        return path

    return InvalidInput((named(path), message) for path, message in error.problems)


def _cmd_fhir(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    interpretation = _interpretation(args.set)
    codes = _code_lists(args.codelist)
    supplied = _supplied(args.supplied, args.set_fact)
    record = _read_fhir(args.file)
    try:
        extract = _fhir_extract(record, supplied, codes)
    except InvalidInput as error:
        raise _named_by_set_fact(error, args.set_fact) from None
    assessment = (
        assess(notification_as_read(extract), interpretation=interpretation)
        if args.assess
        else None
    )
    if args.format == "json":
        document = dump(extract)
        if assessment is not None:
            document = {"extract": document, "assessment": dump(assessment)}
        out.json(document)
    else:
        out.text(format_fhir_extract_text(extract))
        if assessment is not None:
            out.text(format_assessment_text(assessment))
    return EXIT_OK


def _fhir_extract(document: object, supplied: dict[str, Any], codes: Any) -> FhirExtract:
    """The extract of FILE: a FHIR record, or a ``leder.fhir-request/1`` whose own supplied
    facts ``--supplied`` and ``--set-fact`` add to and override."""
    if is_fhir_request(document):
        return extract_request(load_fhir_request(document), supplied=supplied, codes=codes)
    return extract_notification(document, supplied=supplied, codes=codes)


def _cmd_schema(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    out.json(json_schema(args.name))
    return EXIT_OK


def _cmd_sample(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    until = _as_of(args.until, "--until") if args.until else SAMPLE_UNTIL
    if args.count is not None and args.count < 0:
        raise UsageError("--count must not be negative")
    try:
        documents = sample_reviews(seed=args.seed, until=until, count=args.count)
    except InvalidInput as error:  # the function's argument names, as the options' names
        raise InvalidInput(
            (path.replace("$.", "--", 1), message) for path, message in error.problems
        ) from None
    for document in documents:
        out.stream.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    return EXIT_OK


# --- leder store ---------------------------------------------------------------------------


def _store_failed(error: StoreError) -> int:
    """A store error on stderr: exit 4 when the store holds something else, else 2."""
    sys.stderr.write(f"leder: {error}\n")
    if isinstance(error, VersionConflict | ReviewNotFound | ReviewExists):
        return EXIT_STORE
    return EXIT_BAD_INPUT


def _stored_reviews(url: str, progress: _TerminalCounter) -> Iterator[Review]:
    """Every review in the store at ``url`` (``--store``), streaming."""
    with open_store(url) as store:
        for review in store.reviews():
            progress.tick()
            yield review


def _cmd_store_init(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    with open_store(args.url) as store:
        sys.stderr.write(f"leder: store ready (schema version {store.schema_version})\n")
    return EXIT_OK


def _cmd_store_export(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
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


def _cmd_store_import(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    prefixes: list[str] = []
    not_json: dict[str, str] = {}

    def documents() -> Iterator[object]:
        for prefix, document in read_documents(args.file):
            prefixes.append(prefix)
            if isinstance(document, _NotJson):
                not_json[f"$[{len(prefixes) - 1}]"] = document.message or "not valid JSON"
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


def _cmd_store_append(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
    read = list(read_documents(args.file))
    if len(read) != 1 or read[0][0] != "$":
        raise UsageError("FILE must hold exactly one event document (a JSON object)")
    document = read[0][1]
    if isinstance(document, _NotJson):
        problems.add_one("$", document.message or "not valid JSON")
        return EXIT_BAD_INPUT
    event = _mapping(document)
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


def _add_store_options(report_parser: Any, governance_parser: Any) -> None:
    """``--store URL`` on ``report`` and ``governance``: the reviews come from a store."""
    report_parser.add_argument(
        "--store", metavar="URL", help="read the reviews from a store instead of FILE"
    )
    governance_parser.add_argument(
        "--store",
        metavar="URL",
        help="take the body's reviews from a store instead of --reviews FILE",
    )


def _add_store_command(commands: Any) -> None:
    """``leder store init|import|export|append``: reviews kept in a database."""
    store_parser = commands.add_parser(
        "store",
        help="keep reviews in a database (SQLite or PostgreSQL): init, import, export, append",
        description="URL: sqlite:///relative.db, sqlite:////absolute.db or "
        "postgresql://user@host/database (with the postgres extra).",
    )
    actions = store_parser.add_subparsers(
        dest="action",
        required=True,
        parser_class=_Parser,
        help="what to do: init, import, export or append (each described below)",
    )

    init = actions.add_parser("init", help="create the store's tables (or upgrade them)")
    init.add_argument("url", metavar="URL", help="the store")
    init.set_defaults(handler=_cmd_store_init, format="text")

    importing = actions.add_parser(
        "import", help="store review documents (JSON Lines), all or nothing"
    )
    importing.add_argument("url", metavar="URL", help="the store")
    importing.add_argument("file", help="leder.review/1 documents; - for stdin")
    importing.set_defaults(handler=_cmd_store_import, format="text")

    export = actions.add_parser(
        "export", help="every stored review as leder.review/1 JSON Lines, events in recorded order"
    )
    export.add_argument("url", metavar="URL", help="the store")
    export.set_defaults(handler=_cmd_store_export, format="json")

    append = actions.add_parser(
        "append", help="check and store one event; print the review result as of its date"
    )
    append.add_argument("url", metavar="URL", help="the store")
    append.add_argument("review_id", metavar="REVIEW_ID", help="the notification id")
    append.add_argument("file", help="one event document (JSON); - for stdin")
    append.add_argument(
        "--expect-version",
        type=int,
        required=True,
        metavar="N",
        help="the number of events you saw stored (a conflict exits 4)",
    )
    append.add_argument("--recorded-by", metavar="WHO", help="who records the event")
    append.set_defaults(handler=_cmd_store_append, format="json")


# --- the parser ---------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument(
        "--format", choices=formats, default=formats[0], help="output format (default: %(default)s)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an interpretation choice (repeatable), e.g. --set clock=stop",
    )


def _add_ods_option(parser: argparse.ArgumentParser) -> None:
    """``--ods FILE``: official ODS files extending the directory of responsible bodies."""
    parser.add_argument(
        "--ods",
        action="append",
        default=[],
        metavar="FILE",
        help="an official ODS file (eccg.csv, eother.csv or succ.csv, recognised by content) "
        "extending the directory of responsible bodies (repeatable)",
    )


def _add_body_command(commands: Any) -> None:
    """``leder body CODE --as-of DATE``: BODY-AS-OF for one recorded code."""
    body_parser = commands.add_parser(
        "body", help="the body responsible on a date for a recorded ODS code (BODY-AS-OF)"
    )
    body_parser.add_argument(
        "code", help="the recorded responsible_body: a CCG, SICBL, ICS or ICB code"
    )
    body_parser.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD")
    _add_ods_option(body_parser)
    body_parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the body, then each step on a line (default); json: leder.body/1",
    )
    body_parser.set_defaults(handler=_cmd_body)


def _add_fhir_command(commands: Any) -> None:
    """``leder fhir FILE``: a notification read from a FHIR record, fact by fact."""
    fhir_parser = commands.add_parser(
        "fhir", help="read a notification from a FHIR R4 (UK Core) record, fact by fact"
    )
    fhir_parser.add_argument(
        "file",
        help="a FHIR Bundle, list of resources or Patient (JSON; XML with the fhir "
        "extra), or a leder.fhir-request/1 document; - for stdin",
    )
    fhir_parser.add_argument(
        "--supplied",
        metavar="FILE",
        help="a partial notification document: the facts FHIR "
        "does not hold (id, notified_on, notifier_role, person.lived_in_england) and overrides",
    )
    fhir_parser.add_argument(
        "--set-fact",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="supply one fact (repeatable; a JSON literal or a bare string), e.g. "
        "--set-fact person.lived_in_england=true",
    )
    fhir_parser.add_argument(
        "--assess", action="store_true", help="also assess the notification read"
    )
    fhir_parser.add_argument(
        "--codelist",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="a code list release (repeatable): learning_disability=FILE or autism=FILE, each "
        "a code,term CSV or an RF2 simple refset snapshot",
    )
    _common(fhir_parser, ("json", "text"))
    fhir_parser.set_defaults(handler=_cmd_fhir)


def _cmd_serve(args: argparse.Namespace, out: _Output, problems: _Problems) -> int:
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


def _add_serve_command(commands: Any) -> None:
    """``leder serve --store URL``: the rules and the store over HTTP."""
    serve_parser = commands.add_parser(
        "serve", help="run the HTTP service over a review store (needs the server extra)"
    )
    serve_parser.add_argument(
        "--store", required=True, metavar="URL", help="sqlite:///file.db or postgresql://..."
    )
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve_parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on (default: %(default)s)"
    )
    serve_parser.add_argument(
        "--tokens",
        metavar="FILE",
        help="bearer tokens, one '<token> <scope>' a line (scope read or write); without "
        "it the service listens only on a loopback address",
    )
    serve_parser.add_argument(
        "--max-body",
        type=int,
        default=1 << 20,
        metavar="BYTES",
        help="the largest request body accepted (default: %(default)s, 1 MiB)",
    )
    serve_parser.set_defaults(handler=_cmd_serve, format="text")


def build_parser() -> argparse.ArgumentParser:
    """The ``leder`` argument parser."""
    parser = _Parser(
        prog="leder",
        description="The rules of England's LeDeR programme: assess notifications, replay "
        "reviews, report the backlog, check governance.",
        epilog="Input files are UTF-8 text. Exit codes: 0 done; 1 an event was refused "
        "(review, store); 2 bad input or usage (also: a file that is not UTF-8, or empty); "
        "3 an unexpected internal error; 4 a version conflict, unknown review id or id "
        "already stored (store).",
    )
    parser.add_argument("--version", action="version", version=f"leder {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    assess_parser = commands.add_parser(
        "assess", help="assess notifications: outcome, level, triggers, holds, due date, reasons"
    )
    assess_parser.add_argument("file", help="JSON object, JSON array or JSON Lines; - for stdin")
    _common(assess_parser, ("json", "text"))
    assess_parser.set_defaults(handler=_cmd_assess)

    review_parser = commands.add_parser(
        "review", help="replay review documents and show state, status and history"
    )
    review_parser.add_argument("file", help="JSON object, JSON array or JSON Lines; - for stdin")
    review_parser.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD")
    _common(review_parser, ("json", "text"))
    review_parser.set_defaults(handler=_cmd_review)

    rules_parser = commands.add_parser("rules", help="the rule catalogue")
    rules_parser.add_argument("--format", choices=("text", "json"), default="text")
    rules_parser.set_defaults(handler=_cmd_rules)

    diagram_parser = commands.add_parser("diagram", help="the review workflow as a diagram")
    diagram_parser.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    diagram_parser.add_argument(
        "--ruleset", choices=[ruleset.value for ruleset in RuleSetId], default="leder-2021"
    )
    diagram_parser.set_defaults(handler=_cmd_diagram)

    report_parser = commands.add_parser(
        "report", help="the backlog indicators over review documents (each review by DEAD-STATUS)"
    )
    report_parser.add_argument(
        "file", nargs="?", help="review documents: JSON object, array or JSON Lines; - for stdin"
    )
    report_parser.add_argument(
        "--sample", action="store_true", help="use the bundled national-scale synthetic sample"
    )
    report_parser.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD")
    report_parser.add_argument(
        "--by", choices=("body",), help="also break the figures down by responsible body"
    )
    report_parser.add_argument(
        "--service-level",
        action="append",
        default=[],
        metavar="NAME=FROM:TO:DAYS",
        help="a local service level in working days (repeatable), e.g. "
        "allocation=notified:allocated:5",
    )
    _add_ods_option(report_parser)
    _common(report_parser, ("text", "json", "csv"))
    report_parser.set_defaults(handler=_cmd_report)

    governance_parser = commands.add_parser(
        "governance", help="check a responsible body's governance arrangements (the GOV-* rules)"
    )
    governance_parser.add_argument("file", help="governance arrangements documents; - for stdin")
    governance_parser.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD")
    governance_parser.add_argument(
        "--reviews",
        metavar="FILE",
        help="the body's review documents (for GOV-TIMELINESS and GOV-ACTIONS)",
    )
    _add_ods_option(governance_parser)
    _common(governance_parser, ("text", "json"))
    governance_parser.set_defaults(handler=_cmd_governance)

    _add_body_command(commands)
    _add_fhir_command(commands)
    _add_store_command(commands)
    _add_store_options(report_parser, governance_parser)
    _add_serve_command(commands)

    schema_parser = commands.add_parser("schema", help="the JSON Schema of a document")
    schema_parser.add_argument("name", type=schema_name, choices=sorted(SCHEMA_NAMES))
    schema_parser.set_defaults(handler=_cmd_schema, format="json")

    sample_parser = commands.add_parser(
        "sample", help="write synthetic review documents as JSON Lines (deterministic)"
    )
    sample_parser.add_argument(
        "--count", type=int, help="how many (default: the programme's own volume, about 35,000)"
    )
    sample_parser.add_argument("--seed", type=int, default=SAMPLE_SEED, help="default: %(default)s")
    sample_parser.add_argument(
        "--until", metavar="DATE", help=f"last notification date (default: {SAMPLE_UNTIL})"
    )
    sample_parser.set_defaults(handler=_cmd_sample, format="json")
    return parser


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
    problems = _Problems()
    try:
        args = parser.parse_args(argv)
        out = _Output(getattr(args, "format", "text"), sys.stdout)
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
