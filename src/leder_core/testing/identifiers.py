"""Strategies for identifiers: NHS numbers valid and invalid, ODS codes, document ids."""

from __future__ import annotations

import string
from typing import Final

from hypothesis import assume, reject
from hypothesis import strategies as st

from leder_core.models.identifiers import DOCUMENT_ID_MAX_LENGTH, ODS_CODE_SHAPE

__all__ = [
    "document_ids",
    "invalid_nhs_numbers",
    "nhs_numbers",
    "ods_codes",
]

# Real ICB codes (Lancashire and South Cumbria, North East and North Cumbria, Greater
# Manchester, West Yorkshire, South Yorkshire, Cheshire and Merseyside, the London ICBs ...)
# and codes shaped like the former CCG codes (two digits and a letter).
_ICB_CODES: Final = (
    "QE1",
    "QHM",
    "QOP",
    "QWO",
    "QF7",
    "QYG",
    "QMF",
    "QRV",
    "QKK",
    "QWE",
    "QMJ",
    "QJK",
    "QSL",
    "QUY",
    "QKS",
)
_CCG_LIKE_CODES: Final = ("00Q", "01A", "02G", "06H", "15N", "99E", "13T", "36L")

_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_DIGITS: Final = "0123456789"
_ID_CHARACTERS: Final = string.ascii_uppercase + string.digits + string.ascii_lowercase + "_.:/- "


# --- NHS numbers --------------------------------------------------------------------------


def _check_digit(first_nine: str) -> int | None:
    # Written independently of leder_core.models.nhs_number, which these strategies test.
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    remainder = 11 - total % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def _spaced(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _with_check_digit(first_nine: str) -> str | None:
    check = _check_digit(first_nine)
    if check is None:
        return None
    digits = first_nine + str(check)
    return None if digits == digits[0] * 10 else digits


@st.composite
def _valid_digits(draw: st.DrawFn, test_range_only: bool) -> str:
    if test_range_only:
        first_nine = f"999{draw(st.integers(0, 999_999)):06d}"
    else:
        first_nine = f"{draw(st.integers(0, 999_999_999)):09d}"
    digits = _with_check_digit(first_nine)
    if digits is None:
        reject()
    return digits


def nhs_numbers(
    *, spaced: bool | None = None, test_range_only: bool = True
) -> st.SearchStrategy[str]:
    """Valid NHS numbers as strings: 10 digits that pass the modulus 11 check, not all one digit.

    ``spaced``: ``False`` gives ``"9990001234"``, ``True`` gives ``"999 000 1234"`` (3-3-4 with
    single spaces), ``None`` (the default) either. ``test_range_only`` (the default) keeps to
    999 000 0000 – 999 999 9999, a range never issued to real people; ``False`` draws from
    every valid number, which may be a real person's.
    """
    digits = _valid_digits(test_range_only)
    if spaced is None:
        return st.tuples(digits, st.booleans()).map(
            lambda drawn: _spaced(drawn[0]) if drawn[1] else drawn[0]
        )
    return digits.map(_spaced) if spaced else digits


@st.composite
def _check_digit_ten(draw: st.DrawFn) -> str:
    # Nine digits whose weighted sum leaves remainder 1, so the check digit would be 10.
    first_eight = f"{draw(st.integers(0, 99_999_999)):08d}"
    partial = sum(int(digit) * weight for digit, weight in zip(first_eight, _WEIGHTS, strict=False))
    ninth = ((1 - partial) * 6) % 11  # 2 * 6 == 1 (mod 11)
    assume(ninth < 10)
    last = draw(st.integers(0, 9))
    digits = f"{first_eight}{ninth}{last}"
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _wrong_check_digit(draw: st.DrawFn) -> str:
    digits = draw(_valid_digits(draw(st.booleans())))
    wrong = draw(st.integers(0, 9).filter(lambda digit: str(digit) != digits[9]))
    digits = digits[:9] + str(wrong)
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _repeated_digit(draw: st.DrawFn) -> str:
    digits = draw(st.sampled_from("0123456789")) * 10
    return _spaced(digits) if draw(st.booleans()) else digits


@st.composite
def _wrong_length(draw: st.DrawFn) -> str:
    length = draw(st.integers(0, 13).filter(lambda count: count != 10))
    digits = draw(st.text(_DIGITS, min_size=length, max_size=length))
    if len(digits) >= 7 and draw(st.booleans()):
        return _spaced(digits)  # spaced, but 3-3-n with n != 4
    return digits


@st.composite
def _not_digits(draw: st.DrawFn) -> str:
    digits = draw(nhs_numbers(spaced=False, test_range_only=False))
    position = draw(st.integers(0, 9))
    # Letters, and digits of other scripts that ``str.isdigit`` accepts but an NHS number
    # (ASCII digits only) does not.
    replacement = draw(
        st.sampled_from(("O", "o", "l", "I", "A", "x", "٣", "३", "３", "¹", "½", "-", "+", "."))
    )
    changed = digits[:position] + replacement + digits[position + 1 :]
    return _spaced(changed) if draw(st.booleans()) else changed


_FULLWIDTH: Final = str.maketrans("0123456789", "０１２３４５６７８９")
_ARABIC_INDIC: Final = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def _bad_spacing(draw: st.DrawFn) -> str:
    d = draw(nhs_numbers(spaced=False, test_range_only=False))
    spaced = _spaced(d)
    forms = (
        f"{d[:4]} {d[4:7]} {d[7:]}",  # 4-3-3, "9434 765 919"
        f"{d[:3]} {d[3:7]} {d[7:]}",  # 3-4-3
        f"{d[:2]} {d[2:5]} {d[5:]}",
        f"{d[:3]}  {d[3:6]} {d[6:]}",  # double spaces
        f"{d[:3]} {d[3:6]}  {d[6:]}",
        f"{d[:3]} {d[3:]}",  # one space only
        f"{d[:6]} {d[6:]}",
        " " + d,  # leading and trailing spaces
        d + " ",
        " " + spaced,
        spaced + " ",
        d + "\n",
        "\t" + d,
        " ".join(d),
        f"{d[:3]}-{d[3:6]}-{d[6:]}",
        f"{d[:3]}.{d[3:6]}.{d[6:]}",
        f"{d[:3]}\t{d[3:6]}\t{d[6:]}",
        f"{d[:3]}\u00a0{d[3:6]}\u00a0{d[6:]}",  # no-break spaces
        f"{d[:3]}\u2009{d[3:6]}\u2009{d[6:]}",  # thin spaces
        d.translate(_FULLWIDTH),
        d.translate(_ARABIC_INDIC),
    )
    return draw(st.sampled_from(forms))


def invalid_nhs_numbers() -> st.SearchStrategy[str]:
    """Strings that must be refused as NHS numbers.

    They cover: the wrong number of digits (with or without spaces); letters and non-ASCII
    digits; a check digit that does not match; nine digits whose check digit would be 10
    (never valid, whatever the last digit); all ten digits the same (``"0000000000"``,
    ``"1111111111"``, ... every one of which passes the modulus 11 check); and spacing other
    than single spaces 3-3-4 (``"9434 765 919"``, double, leading or trailing spaces, tabs,
    no-break spaces, hyphens).
    """
    return st.one_of(
        _wrong_length(),
        _not_digits(),
        _wrong_check_digit(),
        _check_digit_ten(),
        _repeated_digit(),
        _bad_spacing(),
    )


# --- codes and identifiers ----------------------------------------------------------------


def ods_codes() -> st.SearchStrategy[str]:
    """ODS organisation codes a document accepts as ``responsible_body``.

    Real ICB codes (``QE1``, ``QHM``, ``QOP`` ...), three-character codes shaped like the former
    CCG codes (``00Q``, ``15N`` ...), and any other code of the accepted shape: 3 to 10
    upper-case letters and digits.
    """
    return st.one_of(
        st.sampled_from(_ICB_CODES),
        st.sampled_from(_CCG_LIKE_CODES),
        st.from_regex(ODS_CODE_SHAPE),
    )


def document_ids() -> st.SearchStrategy[str]:
    """1 to :data:`~leder_core.models.identifiers.DOCUMENT_ID_MAX_LENGTH` printable characters:
    usually ``N-2024-000123``, sometimes any printable text."""
    return st.one_of(
        st.builds("N-{}-{:06d}".format, st.integers(2016, 2030), st.integers(0, 999_999)),
        st.text(_ID_CHARACTERS, min_size=1, max_size=DOCUMENT_ID_MAX_LENGTH),
        # Letters, marks, numbers, punctuation, symbols and the space: all printable.
        st.text(
            st.characters(categories=("L", "M", "N", "P", "S"), include_characters=" "),
            min_size=1,
            max_size=DOCUMENT_ID_MAX_LENGTH,
        ),
    )
