"""The ``leder`` argument parser: every command, its options and its help.

Each command names its function by module and name (:class:`Handler`); the module is imported
when the command runs, so that ``leder --help`` and one command do not import what the other
commands need (the store, the service, FHIR).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from leder_core import __version__
from leder_core.cli.reporting import UsageError
from leder_core.models.assessment import RuleSetId
from leder_core.sample import SAMPLE_SEED, SAMPLE_UNTIL
from leder_core.schema import SCHEMA_NAMES, schema_name

if TYPE_CHECKING:
    from leder_core.cli.reporting import Output, Problems

__all__ = ["Handler", "build_parser"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


class Handler:
    """A command's function, ``run_*`` in a module of :mod:`leder_core.cli`, imported when the
    command runs; called with the parsed arguments, the output and the problems, it returns the
    exit code."""

    def __init__(self, module: str, function: str) -> None:
        self.module = module
        self.function = function

    def __repr__(self) -> str:
        return f"Handler({self.module!r}, {self.function!r})"

    def __call__(self, args: argparse.Namespace, out: Output, problems: Problems) -> int:
        module = importlib.import_module(f"leder_core.cli.{self.module}")
        code: int = getattr(module, self.function)(args, out, problems)
        return code


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


def _add_assess_command(commands: Any) -> None:
    """``leder assess FILE``: ASSESS for each notification."""
    assess_parser = commands.add_parser(
        "assess", help="assess notifications: outcome, level, triggers, holds, due date, reasons"
    )
    assess_parser.add_argument("file", help="JSON object, JSON array or JSON Lines; - for stdin")
    _common(assess_parser, ("json", "text"))
    assess_parser.set_defaults(handler=Handler("commands", "run_assess"))


def _add_review_command(commands: Any) -> None:
    """``leder review FILE --as-of DATE``: each review replayed."""
    review_parser = commands.add_parser(
        "review", help="replay review documents and show state, status and history"
    )
    review_parser.add_argument("file", help="JSON object, JSON array or JSON Lines; - for stdin")
    review_parser.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD")
    _common(review_parser, ("json", "text"))
    review_parser.set_defaults(handler=Handler("commands", "run_review"))


def _add_reference_commands(commands: Any) -> None:
    """``leder rules`` and ``leder diagram``: the catalogue and the workflow."""
    rules_parser = commands.add_parser("rules", help="the rule catalogue")
    rules_parser.add_argument("--format", choices=("text", "json"), default="text")
    rules_parser.set_defaults(handler=Handler("commands", "run_rules"))

    diagram_parser = commands.add_parser("diagram", help="the review workflow as a diagram")
    diagram_parser.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    diagram_parser.add_argument(
        "--ruleset", choices=[ruleset.value for ruleset in RuleSetId], default="leder-2021"
    )
    diagram_parser.set_defaults(handler=Handler("commands", "run_diagram"))


def _add_report_command(commands: Any) -> None:
    """``leder report FILE|--sample|--store URL --as-of DATE``: the backlog indicators."""
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
    report_parser.add_argument(
        "--store", metavar="URL", help="read the reviews from a store instead of FILE"
    )
    report_parser.set_defaults(handler=Handler("reports", "run_report"))


def _add_governance_command(commands: Any) -> None:
    """``leder governance FILE --as-of DATE``: the GOV-* rules for each body."""
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
    governance_parser.add_argument(
        "--store",
        metavar="URL",
        help="take the body's reviews from a store instead of --reviews FILE",
    )
    governance_parser.set_defaults(handler=Handler("reports", "run_governance"))


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
    body_parser.set_defaults(handler=Handler("commands", "run_body"))


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
    fhir_parser.set_defaults(handler=Handler("fhir_command", "run_fhir"))


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
    init.set_defaults(handler=Handler("store_commands", "run_store_init"), format="text")

    importing = actions.add_parser(
        "import", help="store review documents (JSON Lines), all or nothing"
    )
    importing.add_argument("url", metavar="URL", help="the store")
    importing.add_argument("file", help="leder.review/1 documents; - for stdin")
    importing.set_defaults(handler=Handler("store_commands", "run_store_import"), format="text")

    export = actions.add_parser(
        "export", help="every stored review as leder.review/1 JSON Lines, events in recorded order"
    )
    export.add_argument("url", metavar="URL", help="the store")
    export.set_defaults(handler=Handler("store_commands", "run_store_export"), format="json")

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
    append.set_defaults(handler=Handler("store_commands", "run_store_append"), format="json")


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
    serve_parser.set_defaults(handler=Handler("store_commands", "run_serve"), format="text")


def _add_schema_and_sample_commands(commands: Any) -> None:
    """``leder schema NAME`` and ``leder sample``: the documents' schemas, synthetic reviews."""
    schema_parser = commands.add_parser("schema", help="the JSON Schema of a document")
    schema_parser.add_argument("name", type=schema_name, choices=sorted(SCHEMA_NAMES))
    schema_parser.set_defaults(handler=Handler("commands", "run_schema"), format="json")

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
    sample_parser.set_defaults(handler=Handler("commands", "run_sample"), format="json")


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
    _add_assess_command(commands)
    _add_review_command(commands)
    _add_reference_commands(commands)
    _add_report_command(commands)
    _add_governance_command(commands)
    _add_body_command(commands)
    _add_fhir_command(commands)
    _add_store_command(commands)
    _add_serve_command(commands)
    _add_schema_and_sample_commands(commands)
    return parser
