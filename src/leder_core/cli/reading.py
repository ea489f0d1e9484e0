"""Input decoding for the ``leder`` command: JSON objects, arrays and JSON Lines from files or
stdin, each document with the position its problems are reported under.

Files are read as UTF-8 text (a byte order mark is read and dropped); anything else is named
with its file and line, never shown. An input with no documents is :class:`EmptyInput`; a
document nested too deeply to parse is refused by its position and the rest is still read.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import BinaryIO, Final

from leder_core.cli.reporting import EmptyInput, UsageError
from leder_core.errors import InvalidInput
from leder_core.serialization import TOO_DEEP

__all__ = [
    "UTF8_BOM",
    "Document",
    "NotJson",
    "TooDeep",
    "loads",
    "read_bytes",
    "read_documents",
    "read_json_file",
]


class NotJson:
    """A line or file that is not valid JSON (or not UTF-8 text); carries no part of its
    content."""

    def __init__(self, message: str) -> None:
        self.message = message


Document = tuple[str, object]  # (path prefix, parsed value or NotJson)

UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


class TooDeep(Exception):
    """JSON nested too deeply for the parser to read it (it would recurse past its limit)."""


def loads(text: str | bytes) -> object:
    """``json.loads``, with nesting too deep to parse raised as :class:`TooDeep`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise TooDeep from None


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


def read_bytes(path: str) -> bytes:
    """The whole of a file, or of stdin for ``-``, as bytes (a document read whole)."""
    try:
        if path == "-":
            return _open_input(path).read()  # stdin stays open
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def read_json_file(path: str, where: str) -> object:
    """A JSON file read whole (``--supplied FILE``); a problem is named by ``where``."""
    raw = read_bytes(path)
    if not raw.removeprefix(UTF8_BOM).strip():
        raise EmptyInput(f"{path}: empty input, no documents to read")
    try:
        return loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput([(where, "not a valid JSON file")]) from None
    except TooDeep:
        raise InvalidInput([(where, TOO_DEEP)]) from None


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
        raw = line[len(UTF8_BOM) :] if number == 1 and line.startswith(UTF8_BOM) else line
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
            yield "$", NotJson(part.message(name))
            return
        # Blank lines left out while reading are put back, so JSON errors give true lines.
        pieces.append("\n" * (number - expected) + part)
        expected = number + 1
    whole_text = "".join(pieces)
    try:
        whole = loads(whole_text)
    except json.JSONDecodeError as error:
        yield "$", NotJson(f"not valid JSON (line {error.lineno}, column {error.colno})")
        return
    except TooDeep:
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
        yield "$", NotJson(TOO_DEEP)
        return
    items: list[object] = []
    for begin, end in spans:
        try:
            items.append(loads(text[begin:end]))
        except json.JSONDecodeError as error:  # the whole is not JSON: said as json.loads would
            position = begin + error.pos
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            yield "$", NotJson(f"not valid JSON (line {line}, column {column})")
            return
        except TooDeep:
            items.append(NotJson(TOO_DEEP))
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
        return isinstance(loads(text), dict)
    except json.JSONDecodeError:
        return False
    except TooDeep:  # an object (it starts with "{"), too deep to read: named when parsed
        return text.rstrip().endswith("}")


def _chain_first(first: Line, rest: Iterator[Line]) -> Iterator[Line]:
    yield first
    yield from rest


def _parse_line(text: str | _NotText, number: int, name: str) -> object:
    if isinstance(text, _NotText):
        return NotJson(text.message(name))
    try:
        return loads(text)
    except json.JSONDecodeError as error:
        return NotJson(f"not valid JSON (line {number}, column {error.colno})")
    except TooDeep:
        return NotJson(f"{TOO_DEEP} (line {number})")
