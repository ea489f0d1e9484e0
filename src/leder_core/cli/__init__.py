"""The ``leder`` command (docs/cli.md): parse, call the library, print.

The package's rooms: :mod:`~leder_core.cli.reading` decodes input, :mod:`~leder_core.cli.batch`
runs the loop over documents, :mod:`~leder_core.cli.reporting` writes results and problems,
:mod:`~leder_core.cli.options` reads options, :mod:`~leder_core.cli.parser` declares the
commands, whose functions live in :mod:`~leder_core.cli.commands`, ``reports``,
``fhir_command`` and ``store_commands``; :mod:`~leder_core.cli.entry` runs them in a process.

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

from leder_core.cli.entry import main
from leder_core.cli.parser import build_parser
from leder_core.cli.reporting import EXIT_BAD_INPUT as EXIT_BAD_INPUT
from leder_core.cli.reporting import EXIT_BROKEN_PIPE as EXIT_BROKEN_PIPE
from leder_core.cli.reporting import EXIT_INTERNAL as EXIT_INTERNAL
from leder_core.cli.reporting import EXIT_OK as EXIT_OK
from leder_core.cli.reporting import EXIT_REFUSED as EXIT_REFUSED
from leder_core.cli.reporting import EXIT_STORE as EXIT_STORE

__all__ = [
    "build_parser",
    "main",
]
