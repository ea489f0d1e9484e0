"""The JSON Schemas of ``leder schema NAME`` agree with the converter (leder_core.schema).

Every schema is a valid draft 2020-12 schema; what ``dump`` writes validates against it; what
the loaders accept validates; what they refuse for a reason a schema can express is refused
too. The validator here never asserts ``format``: the patterns alone must be exact, as they are
for the many validators that treat ``format`` as an annotation.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import pkgutil
import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import leder_core.models
from helpers import contract_minimal_notification as minimal_notification
from helpers import contract_notification, merged
from leder_core import InvalidInput, assess, dump, load_notification, load_review, review_result
from leder_core import schema as schemas
from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Outcome
from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE
from leder_core.models.review import (
    ClosureReason,
    ContactKind,
    EventType,
    FamilyNotInvolvedReason,
    HoldReason,
    SignOffBy,
)
from leder_core.schema import SCHEMA_NAMES, SchemaUnavailable, json_schema
from leder_core.schema.shapes import year_alternation
from leder_core.serialization import (
    document_schema,
    load_interpretation,
    load_review_document,
    parse_date,
)
from leder_core.testing import (
    corrupted_notification_documents,
    interpretation_documents,
    notification_documents,
)

CASES = Path(__file__).parents[1] / "cases"
EXAMPLE = Path(leder_core.__file__).parent / "data" / "examples" / "notification.json"

CONTRACT_NAMES = (
    "notification",
    "assessment",
    "review",
    "review-result",
    "indicators",
    "governance",
    "governance-report",
    "body",
    "rules",
    "fhir-extract",
    "fhir-request",
    "interpretation",
)

#: Messages of refusals that no JSON Schema can express (docs/notification-format.md).
NOT_EXPRESSIBLE = (
    "the modulus 11 check digit does not match",
    "the date of death is before the date of birth",
    "the notification date is before the date of death",
)


def _needs(name: str) -> None:
    """Skip when the module of a document has not landed yet (and name the reason)."""
    module = SCHEMA_NAMES[name].module
    pytest.importorskip(module, reason=f"{module} is not in this version yet")


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json_schema(name))


def valid(name: str, document: object) -> bool:
    return bool(_validator(name).is_valid(document))


def assert_valid(name: str, document: object) -> None:
    errors = sorted(_validator(name).iter_errors(document), key=lambda error: error.json_path)
    assert not errors, [f"{error.json_path}: {error.message}" for error in errors[:5]]


def _walk(node: object, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside a schema, with a JSON-pointer-like path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("enum", "const", "default"):
                continue
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}/{index}")


# --- the policy cases, as documents -------------------------------------------------------


@cache
def _cases() -> tuple[dict[str, Any], ...]:
    """Every case of tests/cases/*.toml, with ``like`` and ``change`` resolved."""
    found: list[dict[str, Any]] = []
    for path in sorted(CASES.glob("*.toml")):
        by_id: dict[str, dict[str, Any]] = {}
        for raw in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            case = dict(raw)
            kind = case.setdefault("kind", "assessment")
            if kind not in ("assessment", "review"):
                continue  # other kinds of case (governance ...) are other tests' business
            key = "notification" if kind == "assessment" else "review"
            if "like" in case:
                base = by_id[case["like"]]
                for name, value in base.items():
                    if name not in case and name not in {"id", "expect", "change", "like"}:
                        case[name] = copy.deepcopy(value)
                case[key] = merged(base[key], case.get("change", {}))
            by_id[case["id"]] = case
            found.append(case)
    return tuple(found)


def _cases_of(kind: str) -> list[dict[str, Any]]:
    return [case for case in _cases() if case["kind"] == kind]


def _case_id(case: dict[str, Any]) -> str:
    return str(case["id"])


# --- every schema -------------------------------------------------------------------------


def test_the_names_are_those_of_the_contract() -> None:
    assert tuple(SCHEMA_NAMES) == CONTRACT_NAMES


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    _needs(name)
    schema = json_schema(name)
    Draft202012Validator.check_schema(schema)
    spec = SCHEMA_NAMES[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schemas.schema_id(spec.document)
    assert schema["$id"].startswith("https://leder-core.invalid/schemas/leder.")
    assert schema["title"] == spec.class_name
    assert schema["type"] == "object"


def test_ids_are_distinct_and_follow_the_document_names() -> None:
    ids = {schemas.schema_id(spec.document) for spec in SCHEMA_NAMES.values()}
    assert len(ids) == len(SCHEMA_NAMES)
    assert (
        schemas.schema_id("leder.review-result/1")
        == "https://leder-core.invalid/schemas/leder.review-result-1.json"
    )


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_the_schema_key_is_the_registered_document_name(name: str) -> None:
    _needs(name)
    spec = SCHEMA_NAMES[name]
    schema = json_schema(name)
    if not spec.schema_key:
        assert "schema" not in schema["properties"]
        return
    for module in ("leder_core.rules.governance", "leder_core.rules.indicators"):
        with contextlib.suppress(ModuleNotFoundError):  # they register documents of their own
            importlib.import_module(module)
    registered = document_schema(schemas._document_class(name))
    if registered is None:
        pytest.skip(f"{spec.class_name} is not registered as a document yet")
    assert registered == spec.document
    assert schema["properties"]["schema"] == {"const": spec.document}
    assert next(iter(schema["properties"])) == "schema"
    if spec.direction is schemas.Direction.OUTPUT or spec.schema_required:
        assert "schema" in schema["required"]
    else:
        assert "schema" not in schema["required"]


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_unknown_keys_are_refused_everywhere(name: str) -> None:
    _needs(name)
    objects = 0
    for path, node in _walk(json_schema(name)):
        if "properties" in node:
            objects += 1
            assert node.get("additionalProperties") is False, path
            assert node.get("type") == "object", path
            assert set(node["required"]) <= set(node["properties"]), path
        elif node.get("type") == "object":  # a map: every value described
            assert isinstance(node.get("additionalProperties"), dict), path
    assert objects


def _enum_classes() -> dict[str, type[Enum]]:
    modules = [importlib.import_module("leder_core.interpretation")]
    for info in pkgutil.iter_modules(leder_core.models.__path__, "leder_core.models."):
        modules.append(importlib.import_module(info.name))
    found: dict[str, type[Enum]] = {}
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Enum)
                and value.__module__ == (module.__name__)
            ):
                found[value.__name__] = value
    return found


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_every_enumeration_is_the_python_enumeration(name: str) -> None:
    _needs(name)
    classes = _enum_classes()
    enumerations = 0
    for title, definition in json_schema(name)["$defs"].items():
        if "enum" in definition and definition.get("type") == "string":
            enumerations += 1
            assert definition["enum"] == [member.value for member in classes[title]], title
    # A FHIR request holds a FHIR record and a partial notification as any JSON: no enums.
    assert enumerations or name == "fhir-request"


def test_events_are_a_union_tagged_on_type() -> None:
    schema = json_schema("review")
    union = schema["properties"]["events"]["items"]["oneOf"]
    tags = []
    for branch in union:
        event = schema["$defs"][branch["$ref"].rsplit("/", 1)[-1]]
        assert next(iter(event["properties"])) == "type"
        assert "type" in event["required"]
        tags.append(event["properties"]["type"]["const"])
    assert tags == [kind.value for kind in EventType]


def test_an_unknown_name_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as raised:
        json_schema("nope")
    [problem] = raised.value.problems
    assert problem.path == "$"
    assert problem.message == (
        "unknown schema name; expected one of: notification, assessment, review, "
        "review-result, indicators, governance, governance-report, body, rules, fhir-extract, "
        "fhir-request, interpretation"
    )


def test_a_document_whose_module_is_missing_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = schemas.DocumentSpec(
        document="leder.nothing/1",
        module="leder_core.models.not_written_yet",
        class_name="Nothing",
        direction=schemas.Direction.OUTPUT,
    )
    monkeypatch.setattr(schemas, "SCHEMA_NAMES", {**SCHEMA_NAMES, "nothing": missing})
    with pytest.raises(SchemaUnavailable) as raised:
        json_schema("nothing")
    assert isinstance(raised.value, InvalidInput)
    assert raised.value.problems[0].path == "$"
    assert "leder_core.models.not_written_yet" in raised.value.problems[0].message
    assert "nothing" not in schemas.available_schema_names()
    assert "notification" in schemas.available_schema_names()


def test_each_call_returns_a_fresh_schema() -> None:
    first = json_schema("notification")
    first["properties"].clear()
    first["$defs"]["Date"]["pattern"] = "changed"
    second = json_schema("notification")
    assert second["properties"]
    assert second["$defs"]["Date"]["pattern"] != "changed"


# --- shapes: dates, NHS numbers, identifiers, codes ---------------------------------------


def _loader_takes_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_the_input_date_pattern_is_exactly_the_loader() -> None:
    definition = json_schema("notification")["$defs"]["Date"]
    pattern = re.compile(definition["pattern"])
    assert (definition["minLength"], definition["maxLength"]) == (10, 10)
    compared = 0
    for year in range(EARLIEST_DATE.year - 10, LATEST_DATE.year + 11):
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.search(text)) == _loader_takes_date(text), text
                compared += 1
    assert compared > 150_000
    assert "1880-01-01" in definition["description"]
    assert "2199-12-31" in definition["description"]


def test_the_output_date_pattern_is_every_real_date() -> None:
    # A due date may lie past the last date an input may hold (2200-06-30 for a notification
    # of 2199-12-31): outputs allow every date Python can write.
    definition = json_schema("assessment")["$defs"]["Date"]
    pattern = re.compile(definition["pattern"])
    years = {*range(41), *range(1870, 2211), *range(0, 10_000, 100), *range(9960, 10_000)}
    for year in sorted(years):
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.search(text)) == _real_date(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2024-3-15",
        "20240315",
        "2024-03-15T00:00",
        "2024-03-15\n",
        " 2024-03-15",
        "2024-W11-5",
        "+2024-03-15",
        "２０２４-03-15",  # full-width digits: \d would take them
        "2024/03/15",
        "15/03/2024",
        "",
    ],
)
def test_loosely_written_dates_are_refused(text: str) -> None:
    assert not _loader_takes_date(text)
    assert not valid(
        "review", _review_with_events([{"type": "closed", "on": text, "reason": "duplicate"}])
    )


@given(
    st.sets(st.integers(1, 9999), min_size=1, max_size=60)
    | st.tuples(st.integers(1, 9999), st.integers(0, 3000)).map(
        lambda pair: set(range(pair[0], min(pair[0] + pair[1], 9999) + 1))
    )
)
def test_the_year_alternation_matches_exactly_its_years(years: set[int]) -> None:
    pattern = re.compile(f"^(?:{year_alternation(years)})$")
    for year in range(1, 10_000, 7):
        assert bool(pattern.match(f"{year:04d}")) == (year in years)
    for year in years:
        assert pattern.match(f"{year:04d}")


# --- notifications ------------------------------------------------------------------------


def test_the_contract_and_bundled_examples_are_valid() -> None:
    import json

    for document in (
        minimal_notification(),
        contract_notification(),
        json.loads(EXAMPLE.read_text(encoding="utf-8")),
    ):
        load_notification(document)
        assert_valid("notification", document)
        assert_valid("notification", dump(load_notification(document)))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(notification_documents())
def test_valid_notifications_and_their_dumps_are_valid(document: dict[str, Any]) -> None:
    assert_valid("notification", document)
    assert_valid("notification", dump(load_notification(document)))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(corrupted_notification_documents())
def test_corrupted_notifications_are_refused_unless_inexpressibly_wrong(
    case: tuple[dict[str, Any], str],
) -> None:
    document, _ = case
    with pytest.raises(InvalidInput) as raised:
        load_notification(document)
    messages = [problem.message for problem in raised.value.problems]
    assert messages
    if valid("notification", document):
        # The schema cannot say it: every problem must be one the schema does not express.
        assert all(message.endswith(NOT_EXPRESSIBLE) for message in messages), messages


Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: object) -> Change:
    *parents, last = path.split(".")

    def change(document: dict[str, Any]) -> None:
        target = document
        for parent in parents:
            target = target[parent]
        target[last] = value

    return change


def _drop(path: str) -> Change:
    *parents, last = path.split(".")

    def change(document: dict[str, Any]) -> None:
        target = document
        for parent in parents:
            target = target[parent]
        del target[last]

    return change


NOTIFICATION_REFUSALS: dict[str, Change] = {
    "unknown key": _set("nickname", "x"),
    "unknown person key": _set("person.name", "x"),
    "missing id": _drop("id"),
    "missing person": _drop("person"),
    "missing date of birth": _drop("person.date_of_birth"),
    "missing autism": _drop("person.autism"),
    "missing lived in england": _drop("person.lived_in_england"),
    "id a number": _set("id", 5),
    "id empty": _set("id", ""),
    "id too long": _set("id", "N" * 65),
    "id with a newline": _set("id", "N-1\n"),
    "id with a C1 control": _set("id", "N-\x851"),
    "boolean as string": _set("person.learning_disability", "true"),
    "boolean as number": _set("person.lived_in_england", 1),
    "null boolean": _set("person.died_in_england", None),
    "null enumeration": _set("person.autism", None),
    "null detention": _set("person.detention", None),
    "person an array": _set("person", []),
    "date a number": _set("notified_on", 20240315),
    "loose date": _set("notified_on", "2024-3-15"),
    "basic date": _set("person.date_of_birth", "19700101"),
    "date with time": _set("person.date_of_death", "2024-03-10T00:00"),
    "date with trailing newline": _set("notified_on", "2024-03-15\n"),
    "impossible date": _set("notified_on", "2023-02-29"),
    "date too early": _set("person.date_of_birth", "1879-12-31"),
    "date too late": _set("notified_on", "2200-01-01"),
    "bad notifier role": _set("notifier_role", "neighbour"),
    "notifier role upper case": _set("notifier_role", "GP"),
    "bad ethnicity": _set("person.ethnicity", "a"),
    "ethnicity as number": _set("person.ethnicity", 99),
    "bad detention": _set("person.detention", "hospital"),
    "other processes a string": _set("other_processes", "coroner_inquest"),
    "bad other process": _set("other_processes", ["inquest"]),
    "NHS number a number": _set("person.nhs_number", 9434765919),
    "NHS number eleven digits": _set("person.nhs_number", "94347659190"),
    "NHS number hyphenated": _set("person.nhs_number", "943-476-5919"),
    "NHS number badly spaced": _set("person.nhs_number", "943 4765919"),
    "NHS number trailing newline": _set("person.nhs_number", "9434765919\n"),
    "NHS number all one digit": _set("person.nhs_number", "0000000000"),
    "NHS number spaced, all one digit": _set("person.nhs_number", "111 111 1111"),
    "responsible body lower case": _set("responsible_body", "qe1"),
    "responsible body too short": _set("responsible_body", "QE"),
    "responsible body trailing newline": _set("responsible_body", "QE1\n"),
    "responsible body a number": _set("responsible_body", 123),
    "other schema": _set("schema", "leder.notification/2"),
    "null schema": _set("schema", None),
}


@pytest.mark.parametrize("change", NOTIFICATION_REFUSALS.values(), ids=NOTIFICATION_REFUSALS)
def test_what_the_loader_refuses_the_schema_refuses(change: Change) -> None:
    document = contract_notification()
    change(document)
    with pytest.raises(InvalidInput):
        load_notification(document)
    assert not valid("notification", document)


INEXPRESSIBLE: dict[str, Change] = {
    "modulus 11": _set("person.nhs_number", "943 476 5918"),
    "death before birth": _set("person.date_of_death", "1969-12-31"),
    "notified before death": _set("notified_on", "2024-03-09"),
}


@pytest.mark.parametrize("change", INEXPRESSIBLE.values(), ids=INEXPRESSIBLE)
def test_what_a_schema_cannot_express_is_left_to_the_loader(change: Change) -> None:
    document = contract_notification()
    change(document)
    with pytest.raises(InvalidInput):
        load_notification(document)
    assert valid("notification", document)


def test_the_description_says_what_the_schema_cannot_express() -> None:
    description = json_schema("notification")["description"]
    assert description.startswith("A death notified to LeDeR")
    for words in ("modulus 11", "date_of_birth", "date_of_death"):
        assert words in description
    assert "modulus 11" in json_schema("review")["description"]
    assert "modulus 11" not in json_schema("assessment").get("description", "")


def test_input_defaults_are_written_as_on_the_wire() -> None:
    schema = json_schema("notification")
    person = schema["$defs"]["Person"]["properties"]
    assert person["detention"]["default"] == "none"
    assert person["nhs_number"]["default"] is None
    assert schema["properties"]["other_processes"]["default"] == []
    assert schema["$defs"]["Person"]["required"] == [
        "date_of_birth",
        "date_of_death",
        "learning_disability",
        "autism",
        "lived_in_england",
    ]


# --- assessments --------------------------------------------------------------------------


@pytest.mark.parametrize("case", _cases_of("assessment"), ids=_case_id)
def test_assessments_of_the_policy_cases_are_valid(case: dict[str, Any]) -> None:
    document = dump(assess(case["notification"], interpretation=case.get("interpretation")))
    assert_valid("assessment", document)


def test_the_policy_cases_reach_every_outcome() -> None:
    outcomes = {
        assess(case["notification"], interpretation=case.get("interpretation")).outcome
        for case in _cases_of("assessment")
    }
    assert outcomes == set(Outcome)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(notification_documents(), interpretation_documents())
def test_assessments_are_valid(document: dict[str, Any], choices: dict[str, Any]) -> None:
    assert_valid("assessment", dump(assess(load_notification(document), interpretation=choices)))


def test_every_key_of_an_output_is_required() -> None:
    schema = json_schema("assessment")
    assert schema["required"] == list(schema["properties"])
    interpretation = schema["$defs"]["Interpretation"]
    assert set(interpretation["required"]) == set(interpretation["properties"])


# --- reviews ------------------------------------------------------------------------------


def _review_with_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"notification": minimal_notification(), "events": events}


ALLOCATED = {"type": "allocated", "on": "2024-03-20", "reviewer": "R-17", "independent": True}


@pytest.mark.parametrize("case", _cases_of("review"), ids=_case_id)
def test_reviews_of_the_policy_cases_and_their_results_are_valid(case: dict[str, Any]) -> None:
    assert_valid("review", case["review"])
    review = load_review(case["review"], interpretation=case.get("interpretation"))
    assert_valid("review", dump(review))
    result = review_result(
        review,
        as_of=date.fromisoformat(case["as_of"]),
        interpretation=case.get("result_interpretation"),
    )
    assert_valid("review-result", dump(result))


def test_a_result_with_a_refusal_is_valid() -> None:
    document = _review_with_events(
        [
            ALLOCATED,
            {
                "type": "signed_off",
                "on": "2024-04-01",
                "by": "senior_reviewer",
                "actions": [{"description": "Tell the GP", "owner": None, "due_on": "2024-05-01"}],
            },
        ]
    )
    assert_valid("review", document)
    review = load_review(document)
    assert review.refused is not None
    result = dump(review_result(review, as_of=date(2024, 6, 1)))
    assert result["refused"]["index"] == 1
    assert_valid("review-result", result)
    assert_valid("review", dump(review))


ON = st.dates(date(2024, 3, 15), date(2025, 12, 31)).map(date.isoformat)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)


def _event(kind: str, fields: dict[str, Any], **optional: Any) -> Any:
    return st.fixed_dictionaries(
        {"type": st.just(kind), "on": ON, **fields}, optional=optional or None
    )


def _values(enumeration: type[Enum]) -> Any:
    return st.sampled_from([member.value for member in enumeration])


EVENT_DOCUMENTS = st.one_of(
    _event("regional_decision", {"proceed": st.booleans()}),
    _event(
        "allocated", {"reviewer": st.from_regex(r"\AR-[0-9]{1,3}\Z")}, independent=st.booleans()
    ),
    _event("contact_recorded", {"contact": _values(ContactKind)}),
    _event("family_not_involved", {"reason": _values(FamilyNotInvolvedReason)}),
    _event(
        "initial_review_completed", {"concerns": st.booleans(), "further_learning": st.booleans()}
    ),
    _event("focused_review_requested", {}, by=st.just("family")),
    _event("focused_review_completed", {}),
    _event("hold_placed", {"process": _values(HoldReason)}),
    _event("hold_lifted", {"process": _values(HoldReason)}),
    _event(
        "signed_off",
        {"by": _values(SignOffBy)},
        actions=st.lists(
            st.fixed_dictionaries(
                {"description": TEXT},
                optional={"owner": st.none() | TEXT, "due_on": st.none() | ON},
            ),
            max_size=2,
        ),
        no_actions_reason=st.none() | TEXT,
    ),
    _event("closed", {"reason": _values(ClosureReason)}),
)


HAPPY_PATH = (
    {"type": "allocated", "reviewer": "R-1"},
    {"type": "contact_recorded", "contact": "family"},
    {"type": "contact_recorded", "contact": "gp_records"},
    {"type": "contact_recorded", "contact": "other_professional"},
    {"type": "initial_review_completed", "concerns": False, "further_learning": False},
    {"type": "signed_off", "by": "senior_reviewer", "no_actions_reason": "nothing to act on"},
)


@st.composite
def review_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A review in scope: a prefix of the usual path, with random events put anywhere."""
    notification = draw(
        notification_documents(
            notified_on=date(2024, 3, 15),
            learning_disability=True,
            age_at_death=st.integers(25, 90),
            lived_in_england=True,
            national_data_opt_out=False,
            schema=False,
        )
    )
    day = date(2024, 3, 16)
    events: list[dict[str, Any]] = []
    for step in HAPPY_PATH[: draw(st.integers(0, len(HAPPY_PATH)))]:
        day += timedelta(days=draw(st.integers(0, 40)))
        events.append({"type": step["type"], "on": day.isoformat(), **step})
    for extra in draw(st.lists(EVENT_DOCUMENTS, max_size=3)):
        events.insert(draw(st.integers(0, len(events))), extra)
    return {"notification": notification, "events": events}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    review_documents(),
    st.sampled_from((date(2024, 6, 1), date(2025, 1, 1), date(2026, 1, 1))),
)
def test_reviews_under_random_events_are_valid(document: dict[str, Any], as_of: date) -> None:
    assert_valid("review", document)
    review = load_review(document)
    assert_valid("review", dump(review))
    assert_valid("review-result", dump(review_result(review, as_of=as_of)))


EVENT_REFUSALS: dict[str, dict[str, Any]] = {
    "no type": {"on": "2024-03-20", "reviewer": "R-1"},
    "unknown type": {"type": "reallocated", "on": "2024-03-20"},
    "type a number": {"type": 3, "on": "2024-03-20"},
    "no date": {"type": "focused_review_completed"},
    "loose date": {"type": "focused_review_completed", "on": "2024-3-20"},
    "unknown key": {"type": "focused_review_completed", "on": "2024-03-20", "note": "x"},
    "key of another event": {**ALLOCATED, "contact": "family"},
    "missing reviewer": {"type": "allocated", "on": "2024-03-20"},
    "reviewer a number": {**ALLOCATED, "reviewer": 17},
    "independent a string": {**ALLOCATED, "independent": "yes"},
    "bad contact": {"type": "contact_recorded", "on": "2024-03-20", "contact": "neighbour"},
    "bad hold": {"type": "hold_placed", "on": "2024-03-20", "process": "inquest"},
    "bad requester": {"type": "focused_review_requested", "on": "2024-03-20", "by": "gp"},
    "actions an object": {
        "type": "signed_off",
        "on": "2024-03-20",
        "by": "senior_reviewer",
        "actions": {"description": "x"},
    },
    "action without a description": {
        "type": "signed_off",
        "on": "2024-03-20",
        "by": "senior_reviewer",
        "actions": [{"owner": "x"}],
    },
    "action with an unknown key": {
        "type": "signed_off",
        "on": "2024-03-20",
        "by": "senior_reviewer",
        "actions": [{"description": "x", "priority": 1}],
    },
    "event a string": "allocated",  # type: ignore[dict-item]
}


@pytest.mark.parametrize("event", EVENT_REFUSALS.values(), ids=EVENT_REFUSALS)
def test_events_the_loader_refuses_the_schema_refuses(event: dict[str, Any]) -> None:
    document = _review_with_events([event])
    with pytest.raises(InvalidInput):
        load_review_document(document)
    assert not valid("review", document)


REVIEW_REFUSALS: dict[str, Change] = {
    "unknown key": _set("state", "completed"),
    "no notification": _drop("notification"),
    "events an object": _set("events", {}),
    "another schema key in the notification": _set("notification.schema", "leder.review/1"),
    "other schema": _set("schema", "leder.review-result/1"),
}


@pytest.mark.parametrize("change", REVIEW_REFUSALS.values(), ids=REVIEW_REFUSALS)
def test_reviews_the_loader_refuses_the_schema_refuses(change: Change) -> None:
    document = _review_with_events([ALLOCATED])
    change(document)
    with pytest.raises(InvalidInput):
        load_review_document(document)
    assert not valid("review", document)


# --- interpretations ----------------------------------------------------------------------


@given(interpretation_documents())
def test_interpretation_documents_are_valid(document: dict[str, Any]) -> None:
    load_interpretation(document)
    assert_valid("interpretation", document)
    assert_valid("interpretation", dump(load_interpretation(document)))


def test_the_whole_numbers_have_the_converters_minimums() -> None:
    properties = json_schema("interpretation")["properties"]
    assert properties["due_soon_days"]["minimum"] == 0
    assert properties["annual_report_months"]["minimum"] == 1
    assert json_schema("interpretation")["required"] == []
    assert_valid("interpretation", dump(Interpretation()))


INTERPRETATION_REFUSALS = [
    {"clock": "halt"},
    {"clock": None},
    {"clock": "STOP"},
    {"due_soon_days": -1},
    {"annual_report_months": 0},
    {"due_soon_days": True},
    {"due_soon_days": "28"},
    {"due_soon_days": 2.5},
    {"schema": "leder.interpretation/1"},
    {"clocks": "stop"},
]


@pytest.mark.parametrize("document", INTERPRETATION_REFUSALS, ids=repr)
def test_interpretations_the_loader_refuses_the_schema_refuses(document: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        load_interpretation(document)
    assert not valid("interpretation", document)


def test_a_whole_number_written_with_a_fraction_is_left_to_the_loader() -> None:
    with pytest.raises(InvalidInput):
        load_interpretation({"due_soon_days": 28.0})
    assert valid("interpretation", {"due_soon_days": 28.0})
    assert "28.0" in json_schema("interpretation")["description"]


# --- indicators and governance ------------------------------------------------------------


def _review_documents() -> list[dict[str, Any]]:
    return [case["review"] for case in _cases_of("review")] + [
        _review_with_events([ALLOCATED]),
        {"notification": contract_notification(), "events": []},
    ]


def test_indicators_are_valid() -> None:
    _needs("indicators")
    rules = pytest.importorskip("leder_core")
    from leder_core.models.indicators import ServiceLevel

    reviews = _review_documents()
    for as_of in (date(2024, 1, 1), date(2025, 7, 31), date(2026, 12, 31)):
        plain = dump(rules.indicators(reviews, as_of=as_of))
        assert "service_levels" not in plain["total"]
        assert_valid("indicators", plain)
    levels = [
        ServiceLevel(
            name="allocation", from_event="notified", to_event="allocated", working_days=5
        ),
    ]
    extended = dump(rules.indicators(reviews, as_of=date(2025, 7, 31), service_levels=levels))
    assert "service_levels" in extended["total"]
    assert_valid("indicators", extended)
    assert_valid("indicators", dump(rules.indicators([], as_of=date(2025, 7, 31))))
    # An extension left out when None is optional, and never null when present.
    schema = json_schema("indicators")
    assert "service_levels" not in schema["required"]
    assert "service_levels" not in schema["$defs"]["Counts"]["required"]
    extended["service_levels"] = None
    assert not valid("indicators", extended)


def contract_arrangements() -> dict[str, Any]:
    """The example on docs/governance.md."""
    return {
        "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
        "governance_group_established_on": "2021-05-20",
        "executive_lead": "Chief Nursing Officer",
        "local_area_contact": "LeDeR local area contact",
        "reviewers": [{"id": "R-1", "trained_on": "2021-06-10"}],
        "annual_reports": [{"year": "2022/23", "published_on": "2023-09-30"}],
        "action_plan": {"from": "2023-04-01", "to": "2026-03-31"},
        "quality_reporting_from": "2021-09-01",
    }


def test_governance_documents_and_reports_are_valid() -> None:
    _needs("governance")
    rules = pytest.importorskip("leder_core")
    for document in (contract_arrangements(), {"body": {"code": "QE1", "kind": "icb"}}):
        assert_valid("governance", document)
        arrangements = rules.load_governance(document)
        assert_valid("governance", dump(arrangements))
        for as_of in (date(2021, 1, 1), date(2024, 1, 1), date(2027, 1, 1)):
            report = rules.check_governance(arrangements, as_of=as_of, reviews=_review_documents())
            assert_valid("governance-report", dump(report))
            assert_valid("governance-report", dump(rules.check_governance(document, as_of=as_of)))


GOVERNANCE_REFUSALS: dict[str, Change] = {
    "unknown key": _set("chair", "x"),
    "no body": _drop("body"),
    "no body kind": _drop("body.kind"),
    "bad body kind": _set("body.kind", "trust"),
    "bad code": _set("body.code", "qe1"),
    "reviewers an object": _set("reviewers", {"id": "R-1"}),
    "action plan with an unknown key": _set("action_plan.until", "2026-03-31"),
    "action plan loose date": _set("action_plan.from", "2023-4-1"),
    "null reviewers": _set("reviewers", None),
}


@pytest.mark.parametrize("change", GOVERNANCE_REFUSALS.values(), ids=GOVERNANCE_REFUSALS)
def test_governance_the_loader_refuses_the_schema_refuses(change: Change) -> None:
    _needs("governance")
    rules = pytest.importorskip("leder_core")
    document = contract_arrangements()
    change(document)
    with pytest.raises(InvalidInput):
        rules.load_governance(document)
    assert not valid("governance", document)


def test_governance_cross_checks_are_left_to_the_loader() -> None:
    _needs("governance")
    rules = pytest.importorskip("leder_core")
    for change in (
        _set("annual_reports", [{"year": "2022/24", "published_on": "2023-09-30"}]),
        _set("action_plan", {"from": "2023-04-01", "to": "2023-03-31"}),
    ):
        document = contract_arrangements()
        change(document)
        with pytest.raises(InvalidInput):
            rules.load_governance(document)
        assert valid("governance", document)
    assert "financial year" in json_schema("governance")["description"]


def test_days_in_range_are_valid_dates() -> None:
    # The ends of the range and the leap days inside it, through a validator.
    days = [EARLIEST_DATE, LATEST_DATE, date(2000, 2, 29), date(1896, 2, 29)]
    days += [EARLIEST_DATE - timedelta(days=1), LATEST_DATE + timedelta(days=1)]
    for day in days:
        event = {"type": "closed", "on": day.isoformat(), "reason": "duplicate"}
        assert valid("review", _review_with_events([event])) == (
            EARLIEST_DATE <= day <= LATEST_DATE
        )
    assert not valid(
        "review",
        _review_with_events([{"type": "closed", "on": "1900-02-29", "reason": "duplicate"}]),
    )


def test_a_nested_notification_may_name_its_schema_and_ids_take_non_control_characters() -> None:
    document = _review_with_events([ALLOCATED])
    document["notification"]["schema"] = "leder.notification/1"
    document["notification"]["id"] = "N-\xa01"
    load_review_document(document)
    assert valid("review", document)
