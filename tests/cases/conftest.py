"""Policy cases: readable TOML files of worked examples, collected by pytest.

Each file in this folder holds ``[[case]]`` tables. A case has an ``id``, a ``title``, a
``note`` in prose saying what the policy requires and why, its input, and an ``[case.expect]``
table with the outcome and key fields. A case may start from another case's input with
``like = "<id>"`` (taking everything but its id, title, note and expectations) and change some
of its input in ``[case.change]`` (merged key by key), as the
rulebook's worked examples do ("As 1, ethnicity N"); the value ``"__absent__"`` in a change
removes a key. TOML has no null, so ``"__none__"`` in an expectation means null.

Kinds (``kind``, default ``"assessment"``):

``assessment``
    ``[case.notification]`` (a ``leder.notification/1`` document) and optionally
    ``[case.interpretation]``. ``expect`` keys are compared with the assessment document;
    ``decisive`` is the rule id of the decisive reason, ``rules`` the rule ids of the reasons
    in order, ``holding`` / ``not_holding`` rule ids whose reasons hold / do not hold.

``review``
    ``[case.review]`` (a ``leder.review/1`` document), ``as_of``, optionally
    ``[case.interpretation]`` (given when the review is loaded) and
    ``[case.result_interpretation]`` (given later, to the result: it governs only the clock).
    ``expect`` keys are compared with the ``leder.review-result/1`` document (``status`` as a
    subset); ``refused_rules`` are the rule ids of the refusal's reasons in order,
    ``refused_texts`` a phrase each of those reasons' texts contains (in the same order),
    ``refused_index`` its position, ``history_rules`` the ``rules`` of each audit entry,
    ``history_order`` each entry's event as ``"<type> <on>"`` (the history's order: date order
    under INT-EVENT-ORDER ``dated``) and ``history_recorded`` each entry's ``recorded``
    position. ``record`` lists event documents recorded with ``apply`` after the review is
    loaded, in order (the review must then round-trip: ``load_review(dump(r)) == r``); a
    refused one stops them, and ``record_refused_rules``, ``record_refused_at`` (its index in
    ``record``) and ``record_refused_position`` (``TransitionRefused.position``) describe it.

``governance``
    ``[case.arrangements]`` (a ``leder.governance/1`` document) and ``as_of``, optionally
    reviews and an interpretation: see ``governance_runner.py``.

``body``
    ``recorded`` (a ``responsible_body`` code, ``"__none__"`` for null) and ``as_of``;
    ``expect`` keys are compared with the ``leder.body/1`` document.

``fhir``
    ``[case.fhir]`` describes the record: ``patient``, ``resources`` and ``form`` (``bundle``,
    the default, ``list`` or ``patient``), or ``xml``, the record as FHIR XML;
    ``[case.supplied]`` the supplied facts. ``expect``: ``notification`` fields (``person``
    nested), each fact's ``sources`` and ``paths`` by field, words its ``texts`` contain, the
    ``ignored`` paths, a phrase each of their ``why`` holds (``ignored_why``, in order), the
    assessment's ``outcome``, or, for a refusal, the ``problems`` paths in order.

``working_days``
    ``[case.working_days]``: a ``start`` date and either ``add`` (a number of working days) or
    ``through`` (an end date). ``expect``: ``on`` (the day reached by ``add``), ``days`` (the
    working days after ``start`` up to ``through``) and ``provisional``.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final

import pytest
from governance_runner import run_governance

from helpers import merged
from leder_core import (
    InvalidInput,
    TransitionRefused,
    apply,
    assess,
    dump,
    load_review,
    review_result,
)
from leder_core.bodies import body_on
from leder_core.fhir import extract_notification, parse_fhir_xml
from leder_core.models.review import Review
from leder_core.rules.working_days import add_working_days, working_days_between

Runner = Callable[[dict[str, Any]], list[str]]


NONE = "__none__"  # TOML has no null: "__none__" in an expectation means null


def _compare(expected: dict[str, Any], actual: dict[str, Any], skip: set[str]) -> list[str]:
    problems = []
    for key, expectation in expected.items():
        if key in skip:
            continue
        wanted = None if expectation == NONE else expectation
        if key not in actual:
            problems.append(f"{key}: not in the result")
        elif actual[key] != wanted:
            problems.append(f"{key}: expected {wanted!r}, got {actual[key]!r}")
    return problems


def run_assessment(case: dict[str, Any]) -> list[str]:
    assessment = assess(case["notification"], interpretation=case.get("interpretation"))
    document = dump(assessment)
    expect = case["expect"]
    special = {"decisive", "rules", "holding", "not_holding"}
    problems = _compare(expect, document, special)
    reasons = document["reasons"]
    if "decisive" in expect:
        decisive = [reason["rule"] for reason in reasons if reason["decisive"]]
        if decisive != [expect["decisive"]]:
            problems.append(f"decisive: expected {expect['decisive']!r}, got {decisive!r}")
    if "rules" in expect:
        rules = [reason["rule"] for reason in reasons]
        if rules != expect["rules"]:
            problems.append(f"rules: expected {expect['rules']!r}, got {rules!r}")
    by_rule = {reason["rule"]: reason for reason in reasons}
    for key, wanted in (("holding", True), ("not_holding", False)):
        for rule_id in expect.get(key, []):
            if rule_id not in by_rule:
                problems.append(f"{key}: {rule_id} was not evaluated")
            elif by_rule[rule_id]["holds"] is not wanted:
                problems.append(f"{key}: {rule_id} has holds={by_rule[rule_id]['holds']}")
    return problems


_RECORD_KEYS: Final = {"record_refused_rules", "record_refused_at", "record_refused_position"}


def _recorded(case: dict[str, Any], review: Review) -> tuple[Review, list[str]]:
    """The review after the case's ``record`` events, and the problems of their expectations."""
    expect = case["expect"]
    refusal: tuple[int, TransitionRefused] | None = None
    for index, event in enumerate(case.get("record", [])):
        try:
            review = apply(review, event)
        except TransitionRefused as error:
            refusal = (index, error)
            break
    problems = []
    if "record" in case and load_review(dump(review)) != review:
        problems.append("round trip: load_review(dump(review)) differs from the review")
    found = {
        "record_refused_rules": None if refusal is None else list(refusal[1].rules),
        "record_refused_at": None if refusal is None else refusal[0],
        "record_refused_position": None if refusal is None else refusal[1].position,
    }
    for key in sorted(_RECORD_KEYS & expect.keys()):
        wanted = None if expect[key] == NONE else expect[key]
        if found[key] != wanted:
            problems.append(f"{key}: expected {wanted!r}, got {found[key]!r}")
    return review, problems


def run_review(case: dict[str, Any]) -> list[str]:
    review = load_review(case["review"], interpretation=case.get("interpretation"))
    review, record_problems = _recorded(case, review)
    result = review_result(
        review,
        as_of=date.fromisoformat(case["as_of"]),
        interpretation=case.get("result_interpretation"),
    )
    document = dump(result)
    expect = dict(case["expect"])
    special = {
        "status",
        "refused_rules",
        "refused_texts",
        "refused_index",
        "history_rules",
        "history_order",
        "history_recorded",
        *_RECORD_KEYS,
    }
    problems = record_problems + _compare(expect, document, special)
    if "status" in expect:
        problems += [f"status.{p}" for p in _compare(expect["status"], document["status"], set())]
    refused = document["refused"]
    if "refused_rules" in expect:
        rules = [reason["rule"] for reason in refused["reasons"]] if refused else []
        if rules != expect["refused_rules"]:
            problems.append(f"refused_rules: expected {expect['refused_rules']!r}, got {rules!r}")
    if "refused_texts" in expect:
        texts = [reason["text"] for reason in refused["reasons"]] if refused else []
        phrases = expect["refused_texts"]
        if len(texts) != len(phrases) or any(
            phrase not in text for phrase, text in zip(phrases, texts, strict=False)
        ):
            problems.append(f"refused_texts: expected {phrases!r} in order, got {texts!r}")
    if "refused_index" in expect:
        index = refused["index"] if refused else None
        if index != expect["refused_index"]:
            problems.append(f"refused_index: expected {expect['refused_index']!r}, got {index!r}")
    if "history_rules" in expect:
        rules = [entry["rules"] for entry in document["history"]]
        if rules != expect["history_rules"]:
            problems.append(f"history_rules: expected {expect['history_rules']!r}, got {rules!r}")
    if "history_order" in expect:
        order = [
            f"{entry['event']['type']} {entry['event']['on']}" for entry in document["history"]
        ]
        if order != expect["history_order"]:
            problems.append(f"history_order: expected {expect['history_order']!r}, got {order!r}")
    if "history_recorded" in expect:
        recorded = [entry.get("recorded", NONE) for entry in document["history"]]
        if recorded != expect["history_recorded"]:
            wanted = expect["history_recorded"]
            problems.append(f"history_recorded: expected {wanted!r}, got {recorded!r}")
    return problems


def run_body(case: dict[str, Any]) -> list[str]:
    recorded = None if case["recorded"] == NONE else case["recorded"]
    document = dump(body_on(recorded, date.fromisoformat(case["as_of"])))
    return _compare(case["expect"], document, set())


def run_working_days(case: dict[str, Any]) -> list[str]:
    spec = case["working_days"]
    start = date.fromisoformat(spec["start"])
    if "add" in spec:
        reached = add_working_days(start, spec["add"])
        actual = {"on": reached.on.isoformat(), "provisional": reached.provisional}
    else:
        counted = working_days_between(start, date.fromisoformat(spec["through"]))
        actual = {"days": counted.days, "provisional": counted.provisional}
    return _compare(case["expect"], actual, set())


def fhir_input(spec: dict[str, Any]) -> object:
    """The FHIR input a ``fhir`` case describes (a Bundle unless ``form`` says otherwise).

    A case may give the record as FHIR XML instead (``xml``): it is read by ``parse_fhir_xml``
    (with the extra ``leder-core[fhir]``), whose problems are the case's refusal.
    """
    if "xml" in spec:
        return parse_fhir_xml(spec["xml"])
    resources = [spec["patient"], *spec.get("resources", [])]
    form = spec.get("form", "bundle")
    if form == "patient":
        return spec["patient"]
    if form == "list":
        return resources
    entries = [
        {"fullUrl": f"urn:uuid:{resource.get('id')}", "resource": resource}
        for resource in resources
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def run_fhir(case: dict[str, Any]) -> list[str]:
    expect = case["expect"]
    try:
        record = fhir_input(case["fhir"])
        extract = extract_notification(record, supplied=case["supplied"])
    except InvalidInput as error:
        paths = [problem.path for problem in error.problems]
        if "problems" not in expect:
            return [f"refused: {error}"]
        if paths != expect["problems"]:
            return [f"problems: expected {expect['problems']!r}, got {paths!r} ({error})"]
        return []
    if "problems" in expect:
        return [f"problems: expected a refusal at {expect['problems']!r}, got an extract"]
    document = dump(extract)
    problems = []
    facts = {fact["field"]: fact for fact in document["facts"]}
    if "notification" in expect:
        wanted = dict(expect["notification"])
        person = wanted.pop("person", {})
        notification = document["notification"]
        problems += _compare(wanted, notification, set())
        problems += [f"person.{p}" for p in _compare(person, notification["person"], set())]
    for key, attribute in (("sources", "source"), ("paths", "path")):
        for field, expectation in expect.get(key, {}).items():
            wanted_value = None if expectation == NONE else expectation
            if field not in facts:
                problems.append(f"{key}: no fact for {field}")
            elif facts[field][attribute] != wanted_value:
                problems.append(
                    f"{key}.{field}: expected {wanted_value!r}, got {facts[field][attribute]!r}"
                )
    for field, words in expect.get("texts", {}).items():
        if field not in facts or words not in facts[field]["text"]:
            text = facts[field]["text"] if field in facts else None
            problems.append(f"texts.{field}: {words!r} not in {text!r}")
    if "ignored" in expect:
        ignored = [entry["path"] for entry in document["ignored"]]
        if ignored != expect["ignored"]:
            problems.append(f"ignored: expected {expect['ignored']!r}, got {ignored!r}")
    if "ignored_why" in expect:
        whys = [entry["why"] for entry in document["ignored"]]
        phrases = expect["ignored_why"]
        if len(whys) != len(phrases) or any(
            phrase not in why for phrase, why in zip(phrases, whys, strict=False)
        ):
            problems.append(f"ignored_why: expected {phrases!r} in order, got {whys!r}")
    if "outcome" in expect:
        outcome = assess(extract.notification, interpretation=case.get("interpretation")).outcome
        if outcome.value != expect["outcome"]:
            problems.append(f"outcome: expected {expect['outcome']!r}, got {outcome.value!r}")
    return problems


RUNNERS: dict[str, Runner] = {
    "assessment": run_assessment,
    "review": run_review,
    "governance": run_governance,
    "body": run_body,
    "fhir": run_fhir,
    "working_days": run_working_days,
}
INPUT_KEYS = {
    "assessment": "notification",
    "review": "review",
    "governance": "arrangements",
    "body": "recorded",
    "fhir": "fhir",
    "working_days": "working_days",
}


_NOT_INHERITED = {"id", "title", "note", "expect", "change", "like"}


class PolicyCaseFile(pytest.File):
    def collect(self) -> Iterator[PolicyCase]:
        data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        cases: dict[str, dict[str, Any]] = {}
        for raw in data.get("case", []):
            case = dict(raw)
            kind = case.setdefault("kind", "assessment")
            if kind not in RUNNERS:
                raise ValueError(f"{self.path.name}: case {case.get('id')}: unknown kind {kind!r}")
            input_key = INPUT_KEYS[kind]
            if "like" in case:
                base = cases[case["like"]]
                for key, value in base.items():
                    if key not in case and key not in _NOT_INHERITED:
                        case[key] = copy.deepcopy(value)
                case[input_key] = merged(base[input_key], case.get("change", {}))
            for required in ("id", "title", "note", input_key, "expect"):
                if required not in case:
                    raise ValueError(f"{self.path.name}: case {case.get('id')}: no {required}")
            if case["id"] in cases:
                raise ValueError(f"{self.path.name}: case {case['id']} is defined twice")
            cases[case["id"]] = case
            yield PolicyCase.from_parent(self, name=case["id"], case=case)


class PolicyCaseFailed(AssertionError):
    pass


class PolicyCase(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        problems = RUNNERS[self.case["kind"]](self.case)
        if problems:
            raise PolicyCaseFailed(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyCaseFailed):
            lines = [f"{self.case['id']}: {self.case['title']}", "", self.case["note"].strip(), ""]
            lines += [f"  - {problem}" for problem in excinfo.value.args[0]]
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"policy case {self.case['id']}: {self.case['title']}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> PolicyCaseFile | None:
    if file_path.suffix == ".toml" and file_path.parent == Path(__file__).parent:
        return PolicyCaseFile.from_parent(parent, path=file_path)
    return None
