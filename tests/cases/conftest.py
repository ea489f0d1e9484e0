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
    ``refused_index`` its position, ``history_rules`` the ``rules`` of each audit entry.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from governance_runner import run_governance

from leder_core import assess, dump, load_review, review_result

Runner = Callable[[dict[str, Any]], list[str]]


def _merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif value == "__absent__":
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


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


def run_review(case: dict[str, Any]) -> list[str]:
    review = load_review(case["review"], interpretation=case.get("interpretation"))
    result = review_result(
        review,
        as_of=date.fromisoformat(case["as_of"]),
        interpretation=case.get("result_interpretation"),
    )
    document = dump(result)
    expect = dict(case["expect"])
    special = {"status", "refused_rules", "refused_texts", "refused_index", "history_rules"}
    problems = _compare(expect, document, special)
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
    return problems


RUNNERS: dict[str, Runner] = {
    "assessment": run_assessment,
    "review": run_review,
    "governance": run_governance,
}
INPUT_KEYS = {"assessment": "notification", "review": "review", "governance": "arrangements"}


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
                case[input_key] = _merge(base[input_key], case.get("change", {}))
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
