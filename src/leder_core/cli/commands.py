"""The ``leder`` commands on notifications, reviews and the library's own reference: ``assess``,
``review``, ``body``, ``rules``, ``diagram``, ``schema`` and ``sample``.

Each takes the parsed arguments, the output and the problems found, and returns the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial

from leder_core.api import assess, review_result
from leder_core.bodies import body_on
from leder_core.cli.batch import each_loaded
from leder_core.cli.options import (
    date_of,
    directory_of,
    interpretation_of,
    mapping,
    review_loader,
)
from leder_core.cli.reading import read_documents
from leder_core.cli.reporting import EXIT_OK, EXIT_REFUSED, Output, Problems, UsageError
from leder_core.errors import InvalidInput
from leder_core.models.assessment import Assessment, RuleSetId
from leder_core.models.review import ReviewResult
from leder_core.render.diagram import workflow_dot, workflow_mermaid
from leder_core.render.text import (
    format_assessment_text,
    format_body_text,
    format_review_result_text,
    format_rules_text,
)
from leder_core.rules.registry import iter_rules, rule_catalogue
from leder_core.sample import SAMPLE_UNTIL, sample_reviews
from leder_core.schema import json_schema
from leder_core.serialization import dump

__all__ = [
    "run_assess",
    "run_body",
    "run_diagram",
    "run_review",
    "run_rules",
    "run_sample",
    "run_schema",
]


def run_assess(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    interpretation = interpretation_of(args.set)

    def assessed(document: object) -> Assessment:
        return assess(mapping(document), interpretation=interpretation)

    for prefix, assessment in each_loaded(read_documents(args.file), assessed, problems):
        out.result_of(prefix, assessment, format_assessment_text)
    return problems.exit_code()


def run_review(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    interpretation = interpretation_of(args.set)
    as_of = date_of(args.as_of)
    load = review_loader(interpretation)
    refused = False

    def replayed(document: object) -> ReviewResult:
        return review_result(load(document), as_of=as_of, interpretation=interpretation)

    for prefix, result in each_loaded(read_documents(args.file), replayed, problems):
        if result.refused is not None:
            refused = True
            rules = ", ".join(reason.rule for reason in result.refused.reasons)
            sys.stderr.write(f"{prefix}.events[{result.refused.index}]: event refused ({rules})\n")
        out.result_of(prefix, result, format_review_result_text)
    return problems.exit_code(EXIT_REFUSED if refused else EXIT_OK)


def run_rules(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    rules = list(iter_rules())
    if args.format == "json":
        out.json(dump(rule_catalogue(rules)))
    else:
        out.text(format_rules_text(rules))
    return EXIT_OK


def run_diagram(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    ruleset = RuleSetId(args.ruleset)
    draw = workflow_mermaid if args.format == "mermaid" else workflow_dot
    out.stream.write(draw(ruleset))
    return EXIT_OK


def run_body(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    as_of = date_of(args.as_of)
    directory = directory_of(args.ods)
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


def run_schema(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    out.json(json_schema(args.name))
    return EXIT_OK


def run_sample(args: argparse.Namespace, out: Output, problems: Problems) -> int:
    until = date_of(args.until, "--until") if args.until else SAMPLE_UNTIL
    if args.count is not None and args.count < 0:
        raise UsageError("--count must not be negative")
    try:
        documents = sample_reviews(seed=args.seed, until=until, count=args.count)
    except InvalidInput as error:  # the function's argument names, as the options' names
        raise InvalidInput(
            (path.replace("$.", "--", 1), message) for path, message in error.problems
        ) from None
    write = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    for document in documents:
        out.stream.write(write(document) + "\n")
    return EXIT_OK
