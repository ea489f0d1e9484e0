"""Loading and dumping notification documents: every refusal, with its path.

The refusals are those docs/notification-format.md lists under "Validation".
"""

from __future__ import annotations

import copy
import unicodedata
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from helpers import contract_minimal_notification as minimal
from helpers import contract_notification as full
from leder_core import InvalidInput, dump, load_notification, serialization
from leder_core.models import AutismStatus, Detention, NhsNumber, NotifierRole, OtherProcess
from leder_core.serialization import parse_date, primitives
from leder_core.serialization.primitives import Remembered, new_day

PERSON_FIELDS = (
    "nhs_number",
    "date_of_birth",
    "date_of_death",
    "learning_disability",
    "autism",
    "ethnicity",
    "lived_in_england",
    "died_in_england",
    "gp_registered",
    "national_data_opt_out",
    "detention",
)


def with_change(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """``document`` (default :func:`minimal`) with the key at ``path`` ("person.x") set."""
    changed = copy.deepcopy(document if document is not None else minimal())
    *parents, key = path.split(".")
    target = changed
    for parent in parents:
        target = target[parent]
    target[key] = value
    return changed


def without(path: str) -> dict[str, Any]:
    changed = minimal()
    *parents, key = path.split(".")
    target = changed
    for parent in parents:
        target = target[parent]
    del target[key]
    return changed


def problems(document: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        load_notification(document)  # type: ignore[arg-type]
    return [tuple(problem) for problem in caught.value.problems]  # type: ignore[misc]


def paths(document: object) -> list[str]:
    return [path for path, _ in problems(document)]


# --- what loads ---------------------------------------------------------------------------


def test_the_contract_example_loads_with_every_fact() -> None:
    notification = load_notification(full())
    assert notification.id == "N-2024-000123"
    assert notification.notified_on == date(2024, 3, 15)
    assert notification.notifier_role is NotifierRole.HEALTH_PROFESSIONAL
    assert notification.responsible_body == "QE1"
    assert notification.other_processes == ()
    person = notification.person
    assert person.nhs_number == NhsNumber("9434765919")
    assert person.date_of_birth == date(1970, 1, 1)
    assert person.date_of_death == date(2024, 3, 10)
    assert person.learning_disability is True
    assert person.autism is AutismStatus.NONE
    assert person.ethnicity is not None
    assert person.ethnicity.value == "A"


def test_optional_keys_take_their_defaults() -> None:
    notification = load_notification(minimal())
    person = notification.person
    assert person.nhs_number is None
    assert person.ethnicity is None
    assert person.died_in_england is True
    assert person.gp_registered is True
    assert person.national_data_opt_out is False
    assert person.detention is Detention.NONE
    assert notification.other_processes == ()
    assert notification.responsible_body is None


def test_dump_gives_the_document_back_normalised() -> None:
    dumped = dump(load_notification(minimal()))
    assert dumped == {
        "schema": "leder.notification/1",
        "id": "N-2024-000123",
        "notified_on": "2024-03-15",
        "notifier_role": "health_professional",
        "person": {
            "nhs_number": None,
            "date_of_birth": "1970-01-01",
            "date_of_death": "2024-03-10",
            "learning_disability": True,
            "autism": "none",
            "ethnicity": None,
            "lived_in_england": True,
        },
        "other_processes": [],
        "responsible_body": None,
    }
    assert next(iter(dumped)) == "schema"
    assert list(dumped["person"]) == list(PERSON_FIELDS)[:7]


def test_a_fact_left_out_is_assumed_and_stays_left_out() -> None:
    notification = load_notification(minimal())
    assert notification.person.assumed == {
        "died_in_england",
        "gp_registered",
        "national_data_opt_out",
        "detention",
    }
    document = minimal()
    document["person"]["gp_registered"] = True
    given = load_notification(document)
    assert "gp_registered" not in given.person.assumed
    assert given != notification  # the same value, given rather than assumed
    assert dump(given)["person"]["gp_registered"] is True
    assert "died_in_england" not in dump(given)["person"]
    # The converter's way (a mapping that is not a dict) records the same.
    slow = load_notification(
        MappingProxyType(dict(document, person=MappingProxyType(document["person"])))
    )
    assert slow == given
    assert slow.person.assumed == given.person.assumed


def test_assumed_is_never_a_key_of_the_document() -> None:
    document = minimal()
    document["person"]["assumed"] = []
    with pytest.raises(InvalidInput) as caught:
        load_notification(document)
    assert caught.value.problems == [("$.person.assumed", "unknown key")]


def test_dump_writes_the_nhs_number_as_ten_digits() -> None:
    assert dump(load_notification(full()))["person"]["nhs_number"] == "9434765919"


def test_dump_then_load_is_the_identity() -> None:
    document = with_change("other_processes", ["coroner_inquest", "prisons_ombudsman"], full())
    notification = load_notification(document)
    assert load_notification(dump(notification)) == notification
    assert notification.other_processes == (
        OtherProcess.CORONER_INQUEST,
        OtherProcess.PRISONS_OMBUDSMAN,
    )


def test_the_schema_key_is_accepted() -> None:
    document = {"schema": "leder.notification/1", **minimal()}
    assert load_notification(document) == load_notification(minimal())


def test_any_mapping_is_accepted_and_left_unchanged() -> None:
    document = full()
    before = copy.deepcopy(document)
    assert load_notification(MappingProxyType(document)) == load_notification(before)
    assert document == before


@pytest.mark.parametrize("field", ["nhs_number", "ethnicity"])
def test_null_is_accepted_where_the_default_is_null_in_person(field: str) -> None:
    assert getattr(load_notification(with_change(f"person.{field}", None)).person, field) is None


def test_null_responsible_body_is_accepted() -> None:
    assert load_notification(with_change("responsible_body", None)).responsible_body is None


@pytest.mark.parametrize(
    "path",
    [
        "id",
        "notified_on",
        "notifier_role",
        "person",
        "other_processes",
        *(f"person.{field}" for field in PERSON_FIELDS if field not in ("nhs_number", "ethnicity")),
    ],
)
def test_null_is_refused_where_the_default_is_not_null(path: str) -> None:
    assert paths(with_change(path, None)) == [f"$.{path}"]


@pytest.mark.parametrize(
    "text",
    ["1880-01-01", "2199-12-31", "2024-02-29", "2000-02-29", "2016-07-01"],
)
def test_dates_at_the_edges_of_the_range_are_accepted(text: str) -> None:
    document = with_change("person.date_of_birth", "1880-01-01")
    document = with_change("person.date_of_death", text, document)
    document = with_change("notified_on", "2199-12-31", document)
    assert load_notification(document).person.date_of_death == date.fromisoformat(text)


def test_death_notified_on_the_day_of_birth_is_accepted() -> None:
    document = with_change("person.date_of_birth", "2024-03-10")
    document = with_change("notified_on", "2024-03-10", document)
    notification = load_notification(document)
    assert notification.notified_on == notification.person.date_of_death


@pytest.mark.parametrize("text", ["QE1", "QHM", "QOP", "00Q", "15N", "ABCDEFGHIJ"])
def test_ods_codes_are_accepted(text: str) -> None:
    assert load_notification(with_change("responsible_body", text)).responsible_body == text


@pytest.mark.parametrize("text", ["N", "x" * 64, "N-2024 000123", "Nöt ïfication ✓"])
def test_ids_of_1_to_64_printable_characters_are_accepted(text: str) -> None:
    assert load_notification(with_change("id", text)).id == text


# --- refusals, one at a time --------------------------------------------------------------


def test_a_non_mapping_is_refused_at_the_root() -> None:
    for value in (None, [], [minimal()], "document", 3, 1.5, True):
        assert paths(value) == ["$"]


@pytest.mark.parametrize("key", ["id", "notified_on", "notifier_role", "person"])
def test_a_missing_required_key_is_refused_at_its_path(key: str) -> None:
    assert paths(without(key)) == [f"$.{key}"]


@pytest.mark.parametrize(
    "key", ["date_of_birth", "date_of_death", "learning_disability", "autism", "lived_in_england"]
)
def test_a_missing_required_person_key_is_refused_at_its_path(key: str) -> None:
    assert paths(without(f"person.{key}")) == [f"$.person.{key}"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("foo", "$.foo"),
        ("date_of_birth", "$.date_of_birth"),
        ("person.foo", "$.person.foo"),
        ("person.notified_on", "$.person.notified_on"),
        ("person.schema", "$.person.schema"),
        ("person.nhsNumber", "$.person.nhsNumber"),
    ],
)
def test_an_unknown_key_is_refused_at_its_path(path: str, expected: str) -> None:
    assert paths(with_change(path, "x")) == [expected]


def test_an_unknown_key_that_is_not_a_plain_name_is_quoted_in_the_path() -> None:
    document = minimal()
    document["nhs number"] = "x"
    document["person"]["it's"] = "x"
    assert sorted(paths(document)) == sorted(["$['nhs number']", "$.person['it\\'s']"])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("id", 3),
        ("id", ["N-1"]),
        ("notified_on", 20240315),
        ("notified_on", {"year": 2024, "month": 3, "day": 15}),
        ("notifier_role", ["gp"]),
        ("notifier_role", {"gp": True}),
        ("notifier_role", 1),
        ("person", "someone"),
        ("person", []),
        ("person.learning_disability", "yes"),
        ("person.learning_disability", "true"),
        ("person.learning_disability", 1),
        ("person.lived_in_england", 0),
        ("person.gp_registered", "false"),
        ("person.national_data_opt_out", [False]),
        ("person.autism", ["none"]),
        ("person.autism", True),
        ("person.ethnicity", 99),
        ("person.ethnicity", ["A"]),
        ("person.detention", {"none": True}),
        ("person.nhs_number", 9434765919),
        ("person.date_of_birth", 1970),
        ("person.date_of_death", ["2024-03-10"]),
        ("other_processes", "coroner_inquest"),
        ("other_processes", {"coroner_inquest": True}),
        ("responsible_body", 5),
        ("responsible_body", ["QE1"]),
    ],
)
def test_a_wrong_type_is_refused_at_its_path(path: str, value: Any) -> None:
    assert paths(with_change(path, value)) == [f"$.{path}"]


@pytest.mark.parametrize(
    "text",
    [
        "2024-3-05",
        "2024-03-5",
        "20240305",
        "2024-03-05T00:00",
        "2024-03-05 00:00",
        "2024-W10-2",
        "2024-065",
        "2024/03/05",
        "05/03/2024",
        " 2024-03-05",
        "2024-03-05\n",
        "+2024-03-05",
        "２０２４-０３-０５",
        "",
    ],
)
def test_a_loosely_written_date_is_refused(text: str) -> None:
    assert problems(with_change("person.date_of_death", text)) == [
        ("$.person.date_of_death", "not a date in the form YYYY-MM-DD")
    ]


@pytest.mark.parametrize("text", ["2023-02-29", "2100-02-29", "2024-04-31", "2024-13-01"])
def test_an_impossible_date_is_refused(text: str) -> None:
    assert problems(with_change("notified_on", text)) == [
        ("$.notified_on", "not a real calendar date")
    ]


def test_a_day_is_parsed_once_and_a_refused_one_is_refused_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Days are remembered by their text (documents repeat a few thousand days); a text that
    # is refused must stay refused, and the memory must stay bounded.
    remembered = Remembered(new_day)
    assert remembered["2024-03-05"] is remembered["2024-03-05"] == date(2024, 3, 5)
    for _ in range(2):
        with pytest.raises(serialization.InvalidValue, match="not a real calendar date"):
            remembered["2023-02-29"]
    assert list(remembered) == ["2024-03-05"]
    with pytest.raises(TypeError):
        remembered[20240305]  # type: ignore[index]
    monkeypatch.setattr(primitives, "REMEMBERED_LIMIT", 3)
    for day in range(1, 8):
        assert remembered[f"2024-01-0{day}"] == date(2024, 1, day)
        assert len(remembered) <= 3


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("person.date_of_birth", "1879-12-31"),
        ("notified_on", "2200-01-01"),
        ("person.date_of_death", "2200-01-01"),
        ("person.date_of_birth", "0001-01-01"),
    ],
)
def test_a_date_outside_the_range_is_refused(path: str, text: str) -> None:
    assert paths(with_change(path, text)) == [f"$.{path}"]


def test_death_before_birth_is_reported_at_the_date_of_death() -> None:
    document = with_change("person.date_of_birth", "2024-03-11")
    assert problems(document) == [
        ("$.person.date_of_death", "the date of death is before the date of birth")
    ]


def test_notification_before_death_is_reported_at_the_notification_date() -> None:
    document = with_change("notified_on", "2024-03-09")
    assert problems(document) == [
        ("$.notified_on", "the notification date is before the date of death")
    ]


def test_both_orderings_are_reported_together() -> None:
    document = with_change("person.date_of_birth", "2024-03-12")
    document = with_change("notified_on", "2024-03-09", document)
    assert sorted(paths(document)) == ["$.notified_on", "$.person.date_of_death"]


@pytest.mark.parametrize(
    "text",
    [
        "9434765918",  # wrong check digit
        "9170000000",  # the check digit would be 10
        "1111111111",  # one repeated digit (passes modulus 11)
        "0000000000",
        "9434 765 919",  # wrong grouping
        "943  476 5919",
        " 9434765919",
        "9434765919 ",
        "943476591",
        "943476591X",
        "",
    ],
)
def test_an_invalid_nhs_number_is_refused(text: str) -> None:
    assert paths(with_change("person.nhs_number", text)) == ["$.person.nhs_number"]


@pytest.mark.parametrize("text", ["", "x" * 65, "N-1\n", "N\x00", "\x7f", "N-\x1b[31m"])
def test_an_id_must_be_1_to_64_characters_without_control_characters(text: str) -> None:
    assert paths(with_change("id", text)) == ["$.id"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("notifier_role", "GP"),
        ("notifier_role", "doctor"),
        ("person.autism", "yes"),
        ("person.autism", "Diagnosed"),
        ("person.ethnicity", "a"),
        ("person.ethnicity", "O"),
        ("person.ethnicity", "9"),
        ("person.detention", "hospital"),
        ("person.detention", "mental-health-act"),
    ],
)
def test_a_value_outside_an_enumeration_is_refused(path: str, value: str) -> None:
    assert paths(with_change(path, value)) == [f"$.{path}"]


def test_each_bad_other_process_is_refused_at_its_index() -> None:
    document = with_change(
        "other_processes", ["coroner_inquest", "inquest", 3, "police_investigation"]
    )
    assert paths(document) == ["$.other_processes[1]", "$.other_processes[2]"]


@pytest.mark.parametrize("text", ["qe1", "Q1", "QE 1", "QE1-", "ABCDEFGHIJK", ""])
def test_a_malformed_responsible_body_is_refused(text: str) -> None:
    assert paths(with_change("responsible_body", text)) == ["$.responsible_body"]


@pytest.mark.parametrize(
    "value", ["leder.notification/2", "leder.review/1", "", None, 1, ["leder.notification/1"]]
)
def test_a_wrong_schema_is_refused_at_the_schema_key(value: Any) -> None:
    assert paths({"schema": value, **minimal()}) == ["$.schema"]


def test_a_wrong_schema_is_reported_with_the_other_problems() -> None:
    document = {"schema": "leder.review/1", **with_change("id", "")}
    assert sorted(paths(document)) == ["$.id", "$.schema"]


# --- every problem at once ----------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    document = minimal()
    document["id"] = ""
    document["notifier_role"] = "doctor"
    document["colour"] = "blue"
    document["person"]["learning_disability"] = "yes"
    document["person"]["nhs_number"] = "9434765918"
    assert sorted(paths(document)) == sorted(
        [
            "$.id",
            "$.notifier_role",
            "$.colour",
            "$.person.learning_disability",
            "$.person.nhs_number",
        ]
    )


def test_field_problems_and_date_order_are_reported_together() -> None:
    document = minimal()
    document["person"]["autism"] = "unknown"
    document["person"]["date_of_birth"] = "2024-03-12"
    del document["person"]["lived_in_england"]
    document["other_processes"] = ["coroner_inquest", "inquest"]
    assert sorted(paths(document)) == sorted(
        [
            "$.person.autism",
            "$.person.date_of_death",
            "$.person.lived_in_england",
            "$.other_processes[1]",
        ]
    )


def test_an_empty_document_lists_every_required_key() -> None:
    assert sorted(paths({})) == ["$.id", "$.notified_on", "$.notifier_role", "$.person"]
    document = minimal()
    document["person"] = {}
    assert sorted(paths(document)) == [
        "$.person.autism",
        "$.person.date_of_birth",
        "$.person.date_of_death",
        "$.person.learning_disability",
        "$.person.lived_in_england",
    ]


def test_invalid_input_is_a_value_error_with_path_and_message_pairs() -> None:
    with pytest.raises(ValueError, match=r"\$\.person\.autism") as caught:
        load_notification(with_change("person.autism", "unknown"))
    assert isinstance(caught.value, InvalidInput)
    ((path, message),) = caught.value.problems
    assert path == "$.person.autism"
    assert message.startswith("expected one of: ")


# --- messages never quote a person's data -------------------------------------------------

DISTINCTIVE = "Zebedee-7305"  # a value no message could contain by chance


@pytest.mark.parametrize("field", PERSON_FIELDS)
def test_messages_never_contain_the_value_given(field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_notification(with_change(f"person.{field}", DISTINCTIVE))
    error = caught.value
    assert [problem.path for problem in error.problems] == [f"$.person.{field}"]
    for text in (str(error), repr(error), *(problem.message for problem in error.problems)):
        assert DISTINCTIVE not in text


def test_messages_never_contain_a_near_valid_nhs_number() -> None:
    for text in ("943 476 5918", "9434765918", "9434 765 919", "1111111111"):
        with pytest.raises(InvalidInput) as caught:
            load_notification(with_change("person.nhs_number", text))
        rendered = f"{caught.value} {caught.value!r} {caught.value.problems}"
        assert text not in rendered
        assert text.replace(" ", "") not in rendered


def test_messages_never_contain_the_dates_of_a_person() -> None:
    document = with_change("person.date_of_birth", "1971-05-17")
    document = with_change("person.date_of_death", "1970-02-13", document)
    with pytest.raises(InvalidInput) as caught:
        load_notification(document)
    for text in (str(caught.value), repr(caught.value)):
        assert "1971-05-17" not in text
        assert "1970-02-13" not in text


# --- parse_date directly ------------------------------------------------------------------


def test_parse_date_reads_strict_iso_dates_in_range() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("1880-01-01") == date(1880, 1, 1)
    assert parse_date("2199-12-31") == date(2199, 12, 31)
    for value in ("1879-12-31", "2200-01-01", "2024-3-05", "2023-02-29", None, date(2024, 1, 1)):
        with pytest.raises(ValueError, match="date"):
            parse_date(value)


# --- known bugs (reported; remove the marks once fixed) -----------------------------------

# An unknown key holding a control character is written raw into its path: ``$['a<LF>b']``
# with a real line feed, so a problem printed "one per line" spans two lines. JSONPath
# normalized paths (RFC 9535 §2.7) escape U+0000-U+001F (``$['a\nb']``).


@pytest.mark.parametrize("key", ["a\nb", "tab\there", "bell\x07"])
def test_a_path_never_holds_a_raw_control_character(key: str) -> None:
    document = minimal()
    document["person"][key] = True
    (path,) = paths(document)
    assert path.startswith("$.person[")
    assert not any(unicodedata.category(character) == "Cc" for character in path)


# docs/notification-format.md: an id is 1 to 64 characters with no control characters. Only
# control characters (Unicode category Cc) are refused; str.isprintable() is also false for
# no-break and other non-ASCII spaces (Zs), format characters such as the zero-width joiner
# (Cf), line separators (Zl), private-use and unassigned code points, which are accepted.


@pytest.mark.parametrize("text", ["N\u00a01", "N-\u200d1", "N-\u2028-1", "N-\ue000"])
def test_an_id_with_characters_that_are_not_control_characters_is_accepted(text: str) -> None:
    assert load_notification(with_change("id", text)).id == text
