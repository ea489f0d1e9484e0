"""NhsNumber: the modulus 11 check, the shapes accepted, masking (docs/notification-format.md)."""

from __future__ import annotations

import attrs
import nhs_number as oracle  # dev-only: an independent implementation of the check
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from leder_core.models.nhs_number import NhsNumber, check_digit
from leder_core.testing import invalid_nhs_numbers, nhs_numbers

#: Every sentence a refused NHS number is given: fixed words, never the text refused.
NHS_NUMBER_REFUSALS = frozenset(
    {
        "not a valid NHS number: expected 10 digits, optionally spaced 3-3-4",
        "not a valid NHS number: expected exactly 10 digits",
        "not a valid NHS number: all ten digits are the same",
        "not a valid NHS number: the modulus 11 check digit does not match",
    }
)

VALID = ("9434765919", "9000000009", "4010232137", "9990000018")


@pytest.mark.parametrize("text", VALID)
def test_known_valid_numbers_are_accepted(text: str) -> None:
    assert NhsNumber.parse(text).digits == text


def test_the_spaced_form_is_read_as_the_same_number() -> None:
    assert NhsNumber.parse("943 476 5919") == NhsNumber.parse("9434765919")
    assert NhsNumber.parse("943 476 5919").digits == "9434765919"


def test_formatted_spaces_the_digits_3_3_4() -> None:
    assert NhsNumber("9434765919").formatted() == "943 476 5919"


def test_check_digit_follows_the_data_dictionary() -> None:
    assert check_digit("943476591") == 9
    assert check_digit("900000000") == 9
    assert check_digit("000000000") == 0  # 11 becomes 0
    # 9*10 + 1*9 + 7*8 = 155; 155 % 11 = 1; 11 - 1 = 10: no valid check digit exists
    assert check_digit("917000000") is None


@pytest.mark.parametrize("last", "0123456789")
def test_nine_digits_whose_check_digit_would_be_10_are_never_valid(last: str) -> None:
    with pytest.raises(ValueError, match="modulus 11"):
        NhsNumber.parse("917000000" + last)


@pytest.mark.parametrize("digit", "0123456789")
def test_repeated_digits_are_refused_although_they_pass_the_check(digit: str) -> None:
    text = digit * 10
    assert check_digit(text[:9]) == int(digit)  # every repdigit passes modulus 11 ...
    with pytest.raises(ValueError, match="all ten digits are the same"):
        NhsNumber.parse(text)  # ... but is refused
    with pytest.raises(ValueError, match="all ten digits are the same"):
        NhsNumber.parse(f"{text[:3]} {text[3:6]} {text[6:]}")


def test_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValueError, match="modulus 11"):
        NhsNumber.parse("9434765918")


@pytest.mark.parametrize(
    "text",
    [
        "9434 765 919",
        "943 4765 919",
        "943  476 5919",
        "943 476  5919",
        " 943 476 5919",
        "943 476 5919 ",
        " 9434765919",
        "9434765919 ",
        "9434765919\n",
        "943 4765919",
        "943476 5919",
        "943-476-5919",
        "943\t476\t5919",
        "943\u00a0476\u00a05919",
        "９４３４７６５９１９",  # full-width digits: str.isdigit() is true for them
        "943476591",
        "94347659190",
        "",
        "943476591O",
    ],
)
def test_other_shapes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid NHS number"):
        NhsNumber.parse(text)


@pytest.mark.parametrize(
    "text", ["943 476 5919", "９４３４７６５９１９", "94347659190", "1111111111"]
)
def test_direct_construction_validates_too(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid NHS number"):
        NhsNumber(text)


def test_direct_construction_of_a_valid_number() -> None:
    assert NhsNumber("9434765919").digits == "9434765919"


def test_parse_refuses_a_non_string() -> None:
    with pytest.raises(ValueError, match="not a valid NHS number"):
        NhsNumber.parse(9434765919)  # type: ignore[arg-type]


def test_repr_and_str_are_masked() -> None:
    number = NhsNumber.parse("943 476 5919")
    assert repr(number) == "NhsNumber(*** *** ****)"
    assert str(number) == "*** *** ****"
    assert f"{number}" == "*** *** ****"
    assert "9434765919" not in repr([number])
    assert "943 476 5919" not in repr({"n": number})


def test_equality_and_hash_follow_the_digits() -> None:
    assert NhsNumber("9434765919") == NhsNumber.parse("943 476 5919")
    assert NhsNumber("9434765919") != NhsNumber("9000000009")
    assert hash(NhsNumber("9434765919")) == hash(NhsNumber.parse("943 476 5919"))
    assert len({NhsNumber("9434765919"), NhsNumber.parse("943 476 5919")}) == 1


def test_numbers_are_immutable() -> None:
    number = NhsNumber("9434765919")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        number.digits = "9000000009"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["1234567890", "943476591", "9434765919 "])
def test_messages_never_quote_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid NHS number") as caught:
        NhsNumber.parse(text)
    assert text.strip() not in str(caught.value)


@given(st.from_regex(r"\A[0-9]{10}\Z"))
@example("9434765919")
@example("0000000000")
@example("1111111111")
@example("9170000000")
def test_validity_agrees_with_an_independent_implementation(text: str) -> None:
    # The oracle's checksum accepts numbers of one repeated digit; the contract refuses them.
    # (Its is_valid also refuses Scottish CHI numbers whose first six digits are not a date,
    # a rule the contract does not have.)
    expected = oracle.calculate_checksum(text[:9]) == int(text[9]) and len(set(text)) > 1
    try:
        number = NhsNumber.parse(text)
    except ValueError:
        accepted = False
    else:
        accepted = True
        assert number.digits == text
        assert NhsNumber.parse(number.formatted()) == number
    assert accepted == expected


@given(nhs_numbers(test_range_only=False))
def test_every_valid_number_round_trips_through_both_shapes(text: str) -> None:
    number = NhsNumber.parse(text)
    assert oracle.calculate_checksum(number.digits[:9]) == int(number.digits[9])
    assert NhsNumber.parse(number.formatted()) == number
    assert NhsNumber(number.digits) == number


@given(invalid_nhs_numbers())
def test_invalid_numbers_are_refused_without_quoting_them(text: str) -> None:
    with pytest.raises(ValueError, match="not a valid NHS number") as caught:
        NhsNumber.parse(text)
    # Every refusal is one of a few fixed sentences, so none can quote the text, however short.
    assert str(caught.value) in NHS_NUMBER_REFUSALS
