"""The ``leder`` commands over many reviews: ``report`` (the backlog indicators) and
``governance`` (a body's arrangements checked, with its reviews); reviews come from documents,
the bundled sample or a store.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from leder_core import sample
from leder_core.api import check_governance, indicators, load_governance
from leder_core.bodies import body_on, reviews_of_body
from leder_core.cli.batch import each_loaded
from leder_core.cli.options import (
    date_of,
    directory_of,
    interpretation_of,
    mapping,
    review_loader,
    service_levels_of,
)
from leder_core.cli.reading import Document, read_documents
from leder_core.cli.reporting import Output, Problems, TerminalCounter, UsageError
from leder_core.interpretation import Interpretation
from leder_core.models.bodies import Directory
from leder_core.models.governance import Arrangements, ComplianceReport
from leder_core.models.review import Review
from leder_core.reference import body_in_directory
from leder_core.render.governance_report import format_governance_report
from leder_core.render.indicators import format_indicators_text, indicators_csv_rows
from leder_core.serialization import dump
from leder_core.store import open_store

__all__ = ["run_governance", "run_report", "stored_reviews"]


def loaded_reviews(
    documents: Iterable[Document],
    interpretation: Interpretation,
    problems: Problems,
    progress: TerminalCounter,
    prefix: str = "",
) -> Iterator[Review]:
    """Reviews loaded from documents; a bad document is reported and left out."""
    load = review_loader(interpretation)
    for _, review in each_loaded(progress.counted(documents), load, problems, prefix):
        yield review


def stored_reviews(url: str, progress: TerminalCounter) -> Iterator[Review]:
    """Every review in the store at ``url`` (``--store``), streaming."""
    with open_store(url) as store:
        for review in store.reviews():
            progress.tick()
            yield review


def _report_documents(args: argparse.Namespace) -> Iterator[Document]:
    """The review documents of ``leder report``: FILE's, or the bundled sample's."""
    if args.sample:
        bundled = sample.sample_reviews(until=sample.SAMPLE_UNTIL)
        return ((f"$[{index}]", document) for index, document in enumerate(bundled))
    if args.file is not None:
        return read_documents(args.file)
    return iter(())


def run_report(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    interpretation = interpretation_of(args.set)
    as_of = date_of(args.as_of)
    if [args.sample, args.file is not None, args.store is not None].count(True) != 1:
        raise UsageError("give one of FILE, --sample or --store URL")
    documents = _report_documents(args)
    levels = service_levels_of(args.service_level)
    directory = directory_of(args.ods)
    progress = TerminalCounter("reviews")
    result = indicators(
        stored_reviews(args.store, progress)
        if args.store is not None
        else loaded_reviews(documents, interpretation, problems, progress),
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
    return problems.exit_code()


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


def _governance_reviews(
    args: argparse.Namespace, interpretation: Interpretation, problems: Problems
) -> list[Review] | None:
    """The body's reviews, from ``--reviews FILE`` or ``--store URL``; ``None`` without."""
    if args.reviews is not None and args.store is not None:
        raise UsageError("give --reviews FILE or --store URL, not both")
    if args.reviews is None and args.store is None:
        return None
    progress = TerminalCounter("reviews")
    if args.reviews is not None:
        documents = read_documents(args.reviews)
        reviews = list(loaded_reviews(documents, interpretation, problems, progress, "--reviews "))
    else:
        reviews = list(stored_reviews(args.store, progress))
    progress.done()
    return reviews


def run_governance(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    interpretation = interpretation_of(args.set)
    as_of = date_of(args.as_of)
    directory = directory_of(args.ods)
    reviews = _governance_reviews(args, interpretation, problems)

    def checked(document: object) -> tuple[Arrangements, ComplianceReport]:
        arrangements = load_governance(mapping(document))
        kept = _reviews_of(arrangements.body.code, reviews or [], as_of, directory)
        report = check_governance(
            arrangements,
            as_of=as_of,
            reviews=kept if reviews is not None else (),
            interpretation=interpretation,
            directory=directory,
        )
        return arrangements, report

    for prefix, (arrangements, report) in each_loaded(read_documents(args.file), checked, problems):
        finding = body_in_directory(arrangements.body, on=as_of, directory=directory)
        if args.format == "json":
            out.json(dump(report), batch=prefix != "$")
            for note in finding.notes if not finding.known or finding.stale else ():
                sys.stderr.write(f"note: {note}\n")
        else:
            out.text(format_governance_report(report, finding))
    return problems.exit_code()


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
