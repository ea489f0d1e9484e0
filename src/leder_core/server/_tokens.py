"""Bearer tokens with scopes, read from a file, compared in constant time.

The file holds one token a line, ``<token> <scope>``, the scope ``read`` or ``write``
(``write`` includes ``read``). Blank lines and lines starting with ``#`` are ignored. A token
is 16 to 512 characters of the RFC 6750 token alphabet (letters, digits, ``-._~+/``, then
``=`` padding). A malformed file is refused with ``file:line`` and what is wrong, never the
token itself.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Final

import attrs

__all__ = ["Scope", "Tokens", "TokensFileError", "load_tokens"]

_TOKEN: Final = re.compile(r"\A[A-Za-z0-9\-._~+/]{16,512}=*\Z")


class Scope(StrEnum):
    """What a token may do: ``read`` (every route that changes nothing) or ``write``."""

    READ = "read"
    WRITE = "write"


class TokensFileError(Exception):
    """A tokens file that cannot be used; the message names ``file:line``, never a token."""


@attrs.frozen
class Tokens:
    """The tokens a server accepts, with their scopes."""

    entries: tuple[tuple[bytes, Scope], ...]

    def scope_of(self, given: bytes) -> Scope | None:
        """The scope of a presented token, or None. Every stored token is compared, each in
        constant time, so the time taken says nothing about which token came close."""
        found: Scope | None = None
        for token, scope in self.entries:
            if hmac.compare_digest(given, token):
                found = scope
        return found


def load_tokens(path: str) -> Tokens:
    """The tokens of a file (module docstring); :class:`TokensFileError` when it is malformed."""
    try:
        with open(path, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except OSError as error:
        raise TokensFileError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise TokensFileError(f"{path}: not UTF-8 text") from None
    return _parse(path, enumerate(lines, start=1))


def _parse(path: str, lines: Iterable[tuple[int, str]]) -> Tokens:
    entries: list[tuple[bytes, Scope]] = []
    seen: set[bytes] = set()
    for number, line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        where = f"{path}:{number}"
        if len(parts) != 2:
            raise TokensFileError(f"{where}: expected '<token> <scope>'")
        token, scope = parts
        if not _TOKEN.match(token):
            raise TokensFileError(
                f"{where}: a token is 16 to 512 characters of A-Z a-z 0-9 - . _ ~ + / "
                "(then = padding)"
            )
        if scope not in {"read", "write"}:
            raise TokensFileError(f"{where}: the scope is 'read' or 'write'")
        key = token.encode("ascii")
        if key in seen:
            raise TokensFileError(f"{where}: this token is listed before")
        seen.add(key)
        entries.append((key, Scope(scope)))
    if not entries:
        raise TokensFileError(f"{path}: no tokens")
    return Tokens(tuple(entries))
