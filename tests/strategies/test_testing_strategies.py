"""The public strategies of ``leder_core.testing`` produce what they promise."""

from __future__ import annotations

import ast
import calendar
import inspect
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import nhs_number as oracle  # dev-only: an independent implementation of the check
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import leder_core.testing
from leder_core import (
    Interpretation,
    InvalidInput,
    apply,
    assess,
    dump,
    load_notification,
    load_review,
)
from leder_core.interpretation import AutismFocused, Clock, LeapDay, Residence
from leder_core.models import AutismStatus, Detention, NhsNumber, NotifierRole, OtherProcess
from leder_core.models.assessment import Outcome
from leder_core.models.notification import Notification
from leder_core.models.review import Review, ReviewState
from leder_core.rules.workflow import OPEN_STATES
from leder_core.serialization import load_interpretation
from leder_core.testing import (
    CORRUPTION_KINDS,
    EARLIEST_DATE,
    LATEST_DATE,
    PROGRAMME_START,
    CorruptionKind,
    NotificationDates,
    corrupted_notification_documents,
    interpretation_documents,
    interpretations,
    invalid_nhs_numbers,
    json_values,
    next_events,
    nhs_numbers,
    normalised,
    notification_dates,
    notification_documents,
    notifications,
    ods_codes,
    plausible_dates,
    review_documents,
    reviews,
)
from leder_core.testing import strategies as strategies_module

T = TypeVar("T")
SRC = Path(leder_core.testing.__file__).resolve().parents[1]


def reachable(strategy: st.SearchStrategy[T], condition: Callable[[T], bool]) -> T:
    """An example satisfying ``condition`` (fails the test if none turns up in 2,000 tries)."""
    return find(
        strategy,
        condition,
        settings=settings(
            database=None,
            max_examples=2000,
            phases=[Phase.generate],
            derandomize=settings().derandomize,
        ),
    )


def age(born: date, died: date, leap_day: str) -> int:
    """Completed years, a 29 February birthday falling on ``leap_day`` in a common year."""
    if (born.month, born.day) == (2, 29) and not calendar.isleap(died.year):
        birthday = (2, 28) if leap_day == "february_28" else (3, 1)
    else:
        birthday = (born.month, born.day)
    return died.year - born.year - ((died.month, died.day) < birthday)


def dates_of(document: dict[str, Any]) -> NotificationDates:
    person = document["person"]
    return NotificationDates(
        date.fromisoformat(person["date_of_birth"]),
        date.fromisoformat(person["date_of_death"]),
        date.fromisoformat(document["notified_on"]),
    )


def age_of(document: dict[str, Any]) -> int:
    born, died, _ = dates_of(document)
    return age(born, died, "march_1")


# --- the package --------------------------------------------------------------------------


def test_the_package_exports_every_public_strategy() -> None:
    assert len(set(leder_core.testing.__all__)) == len(leder_core.testing.__all__)
    assert set(leder_core.testing.__all__) == set(strategies_module.__all__)
    for name in leder_core.testing.__all__:
        assert getattr(leder_core.testing, name) is getattr(strategies_module, name)


def test_every_public_function_is_documented() -> None:
    for name in strategies_module.__all__:
        value = getattr(strategies_module, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert value.__doc__, name
    assert strategies_module.__doc__
    assert "Example::" in strategies_module.__doc__


def test_only_the_testing_package_imports_hypothesis() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "testing" in path.relative_to(SRC).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] == "hypothesis" for name in names):
                offenders.append(str(path))
    assert offenders == []


def test_importing_the_library_does_not_import_hypothesis() -> None:
    code = (
        "import sys, leder_core, leder_core.serialization, leder_core.models;"
        "sys.exit('hypothesis' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


# --- NHS numbers --------------------------------------------------------------------------


@given(nhs_numbers())
def test_nhs_numbers_are_valid_and_synthetic_by_default(text: str) -> None:
    digits = text.replace(" ", "")
    assert re.fullmatch(r"\d{10}|\d{3} \d{3} \d{4}", text, re.ASCII)
    assert oracle.is_valid(digits)
    assert len(set(digits)) > 1
    assert 9_990_000_000 <= int(digits) <= 9_999_999_999
    assert NhsNumber.parse(text).digits == digits


@given(nhs_numbers(spaced=True))
def test_spaced_nhs_numbers_are_spaced_3_3_4(text: str) -> None:
    assert re.fullmatch(r"999 \d{3} \d{4}", text, re.ASCII)


@given(nhs_numbers(spaced=False, test_range_only=False))
def test_unrestricted_nhs_numbers_are_valid_digits(text: str) -> None:
    assert re.fullmatch(r"\d{10}", text, re.ASCII)
    assert oracle.calculate_checksum(text[:9]) == int(text[9])
    assert len(set(text)) > 1


def test_nhs_numbers_come_in_both_shapes_and_beyond_the_test_range() -> None:
    reachable(nhs_numbers(), lambda text: " " in text)
    reachable(nhs_numbers(), lambda text: " " not in text)
    reachable(nhs_numbers(test_range_only=False), lambda text: not text.startswith("999"))


@given(invalid_nhs_numbers())
def test_invalid_nhs_numbers_are_always_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid NHS number"):
        NhsNumber.parse(text)


@pytest.mark.parametrize(
    ("kind", "condition"),
    [
        ("wrong length", lambda text: text.isascii() and text.isdigit() and len(text) != 10),
        ("letters", lambda text: any(character.isalpha() for character in text)),
        ("repeated digit", lambda text: text.replace(" ", "") in {d * 10 for d in "0123456789"}),
        ("leading space", lambda text: text.startswith(" ")),
        ("trailing space", lambda text: text.endswith(" ")),
        ("double space", lambda text: "  " in text),
        ("4-3-3", lambda text: re.fullmatch(r"\d{4} \d{3} \d{3}", text) is not None),
        (
            "check digit 10",
            lambda text: (
                len(text.replace(" ", "")) == 10
                and text.replace(" ", "").isdigit()
                and oracle.calculate_checksum(text.replace(" ", "")[:9]) == 10
            ),
        ),
        (
            "wrong check digit",
            lambda text: (
                re.fullmatch(r"\d{10}", text) is not None
                and oracle.calculate_checksum(text[:9]) not in (10, int(text[9]))
            ),
        ),
    ],
)
def test_invalid_nhs_numbers_cover_every_kind(kind: str, condition: Callable[[str], bool]) -> None:
    assert reachable(invalid_nhs_numbers(), condition), kind


# --- dates --------------------------------------------------------------------------------


@given(plausible_dates())
def test_plausible_dates_are_within_the_accepted_range(day: date) -> None:
    assert EARLIEST_DATE <= day <= LATEST_DATE


@given(plausible_dates(date(2021, 6, 1), date(2021, 6, 30)))
def test_plausible_dates_respect_their_bounds(day: date) -> None:
    assert date(2021, 6, 1) <= day <= date(2021, 6, 30)


def test_plausible_dates_reach_the_edges() -> None:
    for edge in (EARLIEST_DATE, LATEST_DATE, date(2024, 2, 29), PROGRAMME_START):
        reachable(plausible_dates(), lambda day, edge=edge: day == edge)  # type: ignore[misc]


def test_plausible_dates_refuse_an_empty_range() -> None:
    with pytest.raises(ValueError, match="min_value"):
        plausible_dates(date(2024, 1, 2), date(2024, 1, 1))


@given(notification_dates(programme_era=False))
def test_notification_dates_are_in_order_and_in_range(dates: NotificationDates) -> None:
    assert EARLIEST_DATE <= dates.date_of_birth <= dates.date_of_death <= dates.notified_on
    assert dates.notified_on <= LATEST_DATE


@given(st.integers(0, 120), st.data())
def test_a_pinned_age_is_the_age_under_either_leap_day_reading(
    years: int, data: st.DataObject
) -> None:
    dates = data.draw(notification_dates(age_at_death=years))
    assert age(dates.date_of_birth, dates.date_of_death, "march_1") == years
    assert age(dates.date_of_birth, dates.date_of_death, "february_28") == years


@given(st.integers(0, 100), plausible_dates(date(1950, 1, 1), date(2050, 12, 31)), st.data())
def test_a_pinned_birth_and_age_give_a_death_at_that_age(
    years: int, born: date, data: st.DataObject
) -> None:
    dates = data.draw(notification_dates(date_of_birth=born, age_at_death=years))
    assert dates.date_of_birth == born
    assert age(born, dates.date_of_death, "march_1") == years
    assert age(born, dates.date_of_death, "february_28") == years


@given(plausible_dates(), st.data())
def test_pinned_dates_are_kept(day: date, data: st.DataObject) -> None:
    assert data.draw(notification_dates(notified_on=day)).notified_on == day
    assert data.draw(notification_dates(date_of_death=day)).date_of_death == day
    assert data.draw(notification_dates(date_of_birth=st.just(day))).date_of_birth == day


def test_notification_dates_reach_the_cases_that_matter() -> None:
    def is_leap_birthday_case(d: NotificationDates) -> bool:
        return (d.date_of_birth.month, d.date_of_birth.day) == (2, 29) and (
            d.date_of_death.month,
            d.date_of_death.day,
        ) in ((2, 28), (3, 1))

    strategy = notification_dates()
    reachable(strategy, lambda d: d.notified_on == d.date_of_death)
    reachable(strategy, lambda d: d.date_of_birth == d.date_of_death)
    reachable(strategy, lambda d: d.notified_on < PROGRAMME_START)
    reachable(strategy, lambda d: d.notified_on == PROGRAMME_START)
    reachable(strategy, lambda d: d.notified_on == date(2021, 6, 1))
    reachable(strategy, lambda d: d.date_of_death == date(2022, 1, 1))
    reachable(strategy, is_leap_birthday_case)
    reachable(
        strategy,
        lambda d: (
            (d.date_of_birth.month, d.date_of_birth.day)
            == (d.date_of_death.month, d.date_of_death.day)
            and age(d.date_of_birth, d.date_of_death, "march_1") == 18
        ),
    )


# --- documents ----------------------------------------------------------------------------


@given(notification_documents())
def test_documents_always_load_and_are_plain_json(document: dict[str, Any]) -> None:
    assert json.loads(json.dumps(document)) == document
    load_notification(document)


@given(notification_documents(programme_era=False, edges=False))
def test_documents_load_over_the_whole_range_too(document: dict[str, Any]) -> None:
    born, died, notified = dates_of(document)
    assert born <= died <= notified
    load_notification(document)


@given(
    notification_documents(
        learning_disability=True,
        notified_on=st.just(date(2024, 3, 15)),
        notifier_role=NotifierRole.GP,
        autism=st.sampled_from([AutismStatus.DIAGNOSED, "suspected"]),
        ethnicity=st.none(),
        detention=Detention.PRISON,
        other_processes=[OtherProcess.CORONER_INQUEST],
        nhs_number="943 476 5919",
        responsible_body="QE1",
        died_in_england=False,
        schema=True,
    )
)
def test_pinned_facts_are_written_as_wire_values(document: dict[str, Any]) -> None:
    person = document["person"]
    assert document["schema"] == "leder.notification/1"
    assert document["notified_on"] == "2024-03-15"
    assert type(document["notifier_role"]) is str
    assert document["notifier_role"] == "gp"
    assert person["learning_disability"] is True
    assert person["autism"] in ("diagnosed", "suspected")
    assert type(person["autism"]) is str
    assert "ethnicity" in person
    assert person["ethnicity"] is None
    assert person["detention"] == "prison"
    assert person["nhs_number"] == "943 476 5919"
    assert person["died_in_england"] is False
    assert document["other_processes"] == ["coroner_inquest"]
    assert document["responsible_body"] == "QE1"
    assert json.loads(json.dumps(document)) == document
    assert load_notification(document).person.learning_disability is True


@given(notification_documents(schema=False))
def test_documents_without_schema(document: dict[str, Any]) -> None:
    assert "schema" not in document


@given(notification_documents(age_at_death=st.integers(4, 17)))
def test_documents_with_a_pinned_age(document: dict[str, Any]) -> None:
    assert 4 <= age_of(document) <= 17


@given(notification_documents())
def test_other_processes_are_distinct(document: dict[str, Any]) -> None:
    processes = document.get("other_processes", [])
    assert len(processes) == len(set(processes))


@pytest.mark.parametrize(
    ("case", "condition"),
    [
        ("out of scope by age", lambda d: age_of(d) < 4),
        ("child", lambda d: 4 <= age_of(d) <= 17),
        ("young adult", lambda d: 18 <= age_of(d) <= 24),
        ("adult", lambda d: age_of(d) >= 25),
        ("schema present", lambda d: "schema" in d),
        ("schema absent", lambda d: "schema" not in d),
        ("NHS number absent", lambda d: "nhs_number" not in d["person"]),
        ("NHS number null", lambda d: d["person"].get("nhs_number", "") is None),
        ("NHS number spaced", lambda d: " " in (d["person"].get("nhs_number") or "")),
        ("NHS number digits", lambda d: len(d["person"].get("nhs_number") or "") == 10),
        ("ethnicity null", lambda d: d["person"].get("ethnicity", "") is None),
        ("ethnicity not stated", lambda d: d["person"].get("ethnicity") in ("Z", "99")),
        ("minority ethnicity", lambda d: (d["person"].get("ethnicity") or "A") not in "ABC"),
        ("every optional person key", lambda d: len(d["person"]) == 11),
        ("only required person keys", lambda d: len(d["person"]) == 5),
        ("responsible body null", lambda d: d.get("responsible_body", "") is None),
        ("an ICB", lambda d: d.get("responsible_body") in ("QE1", "QHM", "QOP")),
        ("no responsible body key", lambda d: "responsible_body" not in d),
        ("several other processes", lambda d: len(d.get("other_processes", [])) >= 2),
        ("empty other processes", lambda d: d.get("other_processes") == []),
        ("notified before the programme", lambda d: dates_of(d).notified_on < PROGRAMME_START),
        ("notified in the 2016 rule set", lambda d: dates_of(d).notified_on < date(2021, 6, 1)),
        ("notified in the 2021 rule set", lambda d: dates_of(d).notified_on >= date(2021, 6, 1)),
        ("no learning disability", lambda d: d["person"]["learning_disability"] is False),
        ("opted out", lambda d: d["person"].get("national_data_opt_out") is True),
    ],
)
def test_documents_reach_every_case(case: str, condition: Callable[[dict[str, Any]], bool]) -> None:
    assert reachable(notification_documents(), condition), case


@given(notifications())
def test_notifications_are_models_that_dump_to_documents(notification: Any) -> None:
    assert load_notification(dump(notification)) == notification


@given(notifications(notification_documents(learning_disability=False, autism="diagnosed")))
def test_notifications_take_pinned_documents(notification: Any) -> None:
    assert notification.person.learning_disability is False
    assert notification.person.autism is AutismStatus.DIAGNOSED


@given(ods_codes())
def test_ods_codes_have_the_accepted_shape(code: str) -> None:
    assert re.fullmatch(r"[A-Z0-9]{3,10}", code, re.ASCII)


@given(json_values())
def test_json_values_are_json(value: Any) -> None:
    assert json.loads(json.dumps(value)) == value


# --- normalised ---------------------------------------------------------------------------


def test_normalised_fills_defaults_and_removes_spaces() -> None:
    document = {
        "id": "N-1",
        "notified_on": "2024-03-15",
        "notifier_role": "carer",
        "person": {
            "nhs_number": "943 476 5919",
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": False,
            "autism": "diagnosed",
            "lived_in_england": True,
            "gp_registered": False,
        },
        "other_processes": ["coroner_inquest"],
    }
    expected = {
        "schema": "leder.notification/1",
        "id": "N-1",
        "notified_on": "2024-03-15",
        "notifier_role": "carer",
        "person": {
            "nhs_number": "9434765919",
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": False,
            "autism": "diagnosed",
            "ethnicity": None,
            "lived_in_england": True,
            "gp_registered": False,  # given; the facts left out stay out (assumed)
        },
        "other_processes": ["coroner_inquest"],
        "responsible_body": None,
    }
    before = json.dumps(document)
    assert normalised(document) == expected
    assert list(normalised(document)) == list(expected)
    assert list(normalised(document)["person"]) == list(expected["person"])
    assert json.dumps(document) == before  # the document itself is left alone
    assert dump(load_notification(document)) == expected


# --- corrupted documents ------------------------------------------------------------------


@given(corrupted_notification_documents())
def test_corrupted_documents_are_refused_at_the_path_given(
    case: tuple[dict[str, Any], str],
) -> None:
    document, path = case
    assert path.startswith("$")
    assert json.loads(json.dumps(document)) == document
    with pytest.raises(InvalidInput) as caught:
        load_notification(document)
    assert path in [problem.path for problem in caught.value.problems]


@given(notification_documents(), st.data())
def test_corrupting_never_changes_the_documents_it_is_given(
    document: dict[str, Any], data: st.DataObject
) -> None:
    before = json.dumps(document)
    corrupted, _ = data.draw(corrupted_notification_documents(st.just(document)))
    assert json.dumps(document) == before
    assert json.dumps(corrupted) != before  # (0 == False in Python, so compare JSON)


CONTRACT_EXAMPLE: dict[str, Any] = {
    "id": "N-2024-000123",
    "notified_on": "2024-03-15",
    "notifier_role": "health_professional",
    "person": {
        "nhs_number": "943 476 5919",
        "date_of_birth": "1970-01-01",
        "date_of_death": "2024-03-10",
        "learning_disability": True,
        "autism": "none",
        "ethnicity": "A",
        "lived_in_england": True,
        "died_in_england": True,
        "gp_registered": True,
        "national_data_opt_out": False,
        "detention": "none",
    },
    "other_processes": [],
    "responsible_body": "QE1",
}


def at(document: Any, path: str) -> tuple[bool, Any]:
    """Whether ``path`` (``$.a.b[2]``, ``$['a b']``) exists in ``document``, and its value."""
    value = document
    for name, index, quoted in re.findall(r"\.(\w+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]", path[1:]):
        key: Any = int(index) if index else name or re.sub(r"\\(.)", r"\1", quoted)
        found = isinstance(value, dict) and key in value
        found = found or (isinstance(value, list) and isinstance(key, int) and key < len(value))
        if not found:
            return False, None
        value = value[key]
    return True, value


def is_strict_date(value: object) -> bool:
    return (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII) is not None
    )


def real_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def json_type(value: object) -> str:
    for kind, name in ((bool, "boolean"), (str, "string"), (dict, "object"), (list, "array")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else "number"


EXPECTED_TYPES = {
    "$.id": {"string"},
    "$.notified_on": {"string"},
    "$.notifier_role": {"string"},
    "$.person": {"object"},
    "$.other_processes": {"array"},
    "$.responsible_body": {"string", "null"},
    "$.schema": {"string"},
    "$.person.nhs_number": {"string", "null"},
    "$.person.date_of_birth": {"string"},
    "$.person.date_of_death": {"string"},
    "$.person.learning_disability": {"boolean"},
    "$.person.autism": {"string"},
    "$.person.ethnicity": {"string", "null"},
    "$.person.lived_in_england": {"boolean"},
    "$.person.died_in_england": {"boolean"},
    "$.person.gp_registered": {"boolean"},
    "$.person.national_data_opt_out": {"boolean"},
    "$.person.detention": {"string"},
}
ENUMERATIONS = {
    "$.notifier_role": {member.value for member in NotifierRole},
    "$.person.autism": {member.value for member in AutismStatus},
    "$.person.ethnicity": {
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
        "G",
        "H",
        "J",
        "K",
        "L",
        "M",
        "N",
        "P",
        "R",
        "S",
        "Z",
        "99",
    },
    "$.person.detention": {member.value for member in Detention},
}


def described(kind: str, document: dict[str, Any], path: str) -> bool:
    """Whether ``document`` is spoiled at ``path`` in the way ``kind`` says."""
    present, value = at(document, path)
    person = document.get("person")
    if not isinstance(person, dict):
        return kind in ("missing_key", "wrong_type") and path == "$.person"
    if kind == "missing_key":
        return not present and path in EXPECTED_TYPES
    if kind == "unknown_key":
        return present and path not in EXPECTED_TYPES
    if kind == "wrong_type":
        return present and json_type(value) not in EXPECTED_TYPES.get(path, {json_type(value)})
    if kind == "impossible_date":
        return is_strict_date(value) and real_date(value) is None
    if kind == "loose_date":
        return isinstance(value, str) and not is_strict_date(value)
    if kind == "date_out_of_range":
        day = real_date(value) if is_strict_date(value) else None
        return day is not None and not EARLIEST_DATE <= day <= LATEST_DATE
    if kind == "invalid_nhs_number":
        return path == "$.person.nhs_number" and isinstance(value, str)
    if kind == "death_before_birth":
        born = person.get("date_of_birth")
        return path == "$.person.date_of_death" and is_strict_date(value) and value < born
    if kind == "notified_before_death":
        died = person.get("date_of_death")
        return path == "$.notified_on" and is_strict_date(value) and value < died
    if kind == "invalid_id":
        return path == "$.id" and not (
            isinstance(value, str) and 1 <= len(value) <= 64 and value.isprintable()
        )
    if kind == "invalid_enum":
        if path.startswith("$.other_processes["):
            return value not in [member.value for member in OtherProcess]
        return isinstance(value, str) and value not in ENUMERATIONS.get(path, {value})
    if kind == "invalid_responsible_body":
        return isinstance(value, str) and not re.fullmatch(r"[A-Z0-9]{3,10}", value, re.ASCII)
    if kind == "wrong_schema":
        return present and value != "leder.notification/1"
    raise AssertionError(kind)


# A quarter of the profile's examples for each of the thirteen kinds.
per_kind = settings(max_examples=max(10, settings().max_examples // 4))


@pytest.mark.parametrize("kind", CORRUPTION_KINDS)
@per_kind
@given(data=st.data())
def test_each_kind_of_corruption_does_what_it_says(
    kind: CorruptionKind, data: st.DataObject
) -> None:
    document, path = data.draw(corrupted_notification_documents(kinds=[kind]))
    assert described(kind, document, path)
    assert json.loads(json.dumps(document)) == document
    with pytest.raises(InvalidInput) as caught:
        load_notification(document)
    assert path in [problem.path for problem in caught.value.problems]


def test_corruptions_of_every_kind_turn_up_by_default() -> None:
    for kind in CORRUPTION_KINDS:
        reachable(
            corrupted_notification_documents(), lambda case, kind=kind: described(kind, *case)
        )


def test_unknown_corruption_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="kinds must be some of"):
        corrupted_notification_documents(kinds=["typo"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="kinds must be some of"):
        corrupted_notification_documents(kinds=[])


@pytest.mark.parametrize(
    ("kind", "example", "condition"),
    [
        ("missing_key", "person", lambda doc, path: path == "$.person"),
        ("unknown_key", "quoted key", lambda doc, path: path == "$.person['nhs number']"),
        ("wrong_type", "yes for a boolean", lambda doc, path: at(doc, path)[1] == "yes"),
        (
            "wrong_type",
            "object for a date",
            lambda doc, path: "date" in path and isinstance(at(doc, path)[1], dict),
        ),
        (
            "wrong_type",
            "list for an enumeration",
            lambda doc, path: path == "$.notifier_role" and isinstance(at(doc, path)[1], list),
        ),
        (
            "wrong_type",
            "null where the default is true",
            lambda doc, path: path == "$.person.died_in_england" and at(doc, path)[1] is None,
        ),
        ("impossible_date", "2023-02-29", lambda doc, path: at(doc, path)[1] == "2023-02-29"),
        ("loose_date", "week date", lambda doc, path: at(doc, path)[1] == "2024-W10-2"),
        ("loose_date", "no padding", lambda doc, path: at(doc, path)[1] == "2024-3-05"),
        ("loose_date", "with a time", lambda doc, path: str(at(doc, path)[1]).endswith("T00:00")),
        ("loose_date", "compact", lambda doc, path: str(at(doc, path)[1]).isdigit()),
        ("date_out_of_range", "1879-12-31", lambda doc, path: at(doc, path)[1] == "1879-12-31"),
        ("date_out_of_range", "2200-01-01", lambda doc, path: at(doc, path)[1] == "2200-01-01"),
        ("invalid_id", "empty", lambda doc, path: doc["id"] == ""),
        ("invalid_id", "65 characters", lambda doc, path: len(doc["id"]) == 65),
        ("invalid_id", "a control character", lambda doc, path: 0 < len(doc["id"]) <= 64),
        (
            "invalid_enum",
            "an other process",
            lambda doc, path: path.startswith("$.other_processes["),
        ),
        ("wrong_schema", "null", lambda doc, path: doc["schema"] is None),
    ],
)
def test_corruptions_include_the_cases_of_the_contract(
    kind: CorruptionKind, example: str, condition: Callable[[dict[str, Any], str], bool]
) -> None:
    # One fixed document: this is about the corruptions, and it makes each try cheap.
    strategy = corrupted_notification_documents(st.just(CONTRACT_EXAMPLE), kinds=[kind])
    assert reachable(strategy, lambda case: condition(*case)), example


# --- interpretations ----------------------------------------------------------------------


@given(interpretations())
def test_interpretations_are_interpretations(interpretation: Interpretation) -> None:
    assert isinstance(interpretation, Interpretation)
    assert interpretation.due_soon_days >= 0
    assert interpretation.annual_report_months >= 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("clock", Clock.STOP),
        ("clock", Clock.EXCUSE),
        ("leap_day", LeapDay.FEBRUARY_28),
        ("autism_focused", AutismFocused.NEVER),
        ("autism_focused", AutismFocused.ALWAYS),
        ("residence", Residence.EITHER),
        ("residence", Residence.DIED_IN_ENGLAND),
    ],
)
def test_interpretations_cover_every_choice(field: str, value: object) -> None:
    reachable(interpretations(), lambda interpretation: getattr(interpretation, field) == value)


@given(interpretation_documents())
def test_interpretation_documents_load(document: dict[str, Any]) -> None:
    interpretation = load_interpretation(document)
    for key, value in document.items():
        assert getattr(interpretation, key) == value


# --- whole reviews -----------------------------------------------------------------------

quick_reviews = settings(max_examples=8, deadline=None, database=None)


@pytest.mark.parametrize("state", [state.value for state in ReviewState])
def test_reviews_reach_the_state_asked_for(state: str) -> None:
    @quick_reviews
    @given(reviews(reaching=state))
    def ends_there(review: Review) -> None:
        assert review.state.value == state
        assert review.refused is None
        assert load_review(dump(review)) == review

    ends_there()


@pytest.mark.parametrize("outcome", [outcome.value for outcome in Outcome])
def test_notifications_open_a_review_by_outcome(outcome: str) -> None:
    @quick_reviews
    @given(notifications(opening=outcome))
    def opens_so(notification: Notification) -> None:
        assert assess(notification).outcome.value == outcome

    opens_so()


@quick_reviews
@given(reviews(opening="regional_decision"))
def test_a_pinned_opening_is_the_reviews_own(review: Review) -> None:
    assert review.assessment.outcome is Outcome.REGIONAL_DECISION


@quick_reviews
@given(reviews(interpretation=Interpretation(event_order="dated", clock="stop")))
def test_a_review_keeps_the_interpretation_it_was_drawn_under(review: Review) -> None:
    assert review.interpretation.clock is Clock.STOP
    assert dump(review)["interpretation"]["event_order"] == "dated"
    assert load_review(dump(review)) == review


@quick_reviews
@given(st.data())
def test_next_events_are_accepted(data: st.DataObject) -> None:
    review = data.draw(reviews(reaching=data.draw(st.sampled_from(OPEN_STATES))))
    event = data.draw(next_events(review))
    after = apply(review, event)
    assert after.history[-1].event == event
    assert event.on >= (review.history[-1].event.on if review.history else date.min)
    assert load_review(dump(after)) == after


@quick_reviews
@given(st.data())
def test_next_events_on_a_date_are_dated_so(data: st.DataObject) -> None:
    review = data.draw(reviews(reaching="initial_review"))
    day = date(2199, 12, 31)
    event = data.draw(next_events(review, on=day))
    assert event.on == day
    assert apply(review, event).history[-1].event.on == day


def test_a_finished_review_has_no_next_event() -> None:
    # The first review drawn, unshrunk: shrinking a whole review to a minimal one is slow.
    review = reachable(reviews(reaching="completed"), lambda _: True)
    assert next_events(review).is_empty


def test_review_documents_are_review_documents() -> None:
    document = reachable(review_documents(reaching="focused_review"), lambda _: True)
    assert document["schema"] == "leder.review/1"
    assert load_review(document).state is ReviewState.FOCUSED_REVIEW


def test_an_impossible_review_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument):
        reviews(reaching="completed", opening="out_of_scope").example()
    with pytest.raises(InvalidArgument):
        reviews(reaching="awaiting_regional_decision", opening="leder_review").example()
