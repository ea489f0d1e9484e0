"""Reference data: the dated responsible body and the directory of ICBs (ecosystem.md §4)."""

from __future__ import annotations

import copy
import doctest
import json
from datetime import date
from importlib.resources import files
from typing import Any

import pytest

from leder_core import InvalidInput, reference
from leder_core.models.governance import Body, BodyKind
from leder_core.reference import (
    RESPONSIBLE_BODY_KIND,
    IcbDirectory,
    Organisation,
    OrganisationDirectory,
    body_in_directory,
    load_icb_directory,
    responsible_body_kind,
)
from leder_core.rules.sources import SOURCES

# ecosystem.md Appendix A: the 42 ICBs, 2022-07-01.
APPENDIX_A = {
    "QOX": "Bath and North East Somerset, Swindon and Wiltshire",
    "QHG": "Bedfordshire, Luton and Milton Keynes",
    "QHL": "Birmingham and Solihull",
    "QUA": "Black Country",
    "QUY": "Bristol, North Somerset and South Gloucestershire",
    "QU9": "Buckinghamshire, Oxfordshire and Berkshire West",
    "QUE": "Cambridgeshire and Peterborough",
    "QYG": "Cheshire and Merseyside",
    "QT6": "Cornwall and the Isles of Scilly",
    "QWU": "Coventry and Warwickshire",
    "QJ2": "Derby and Derbyshire",
    "QJK": "Devon",
    "QVV": "Dorset",
    "QNQ": "Frimley",
    "QR1": "Gloucestershire",
    "QOP": "Greater Manchester",
    "QRL": "Hampshire and Isle of Wight",
    "QGH": "Herefordshire and Worcestershire",
    "QM7": "Hertfordshire and West Essex",
    "QXU": "Surrey Heartlands",
    "QNX": "Sussex",
    "QOQ": "Humber and North Yorkshire",
    "QKS": "Kent and Medway",
    "QE1": "Lancashire and South Cumbria",
    "QK1": "Leicester, Leicestershire and Rutland",
    "QJM": "Lincolnshire",
    "QH8": "Mid and South Essex",
    "QMM": "Norfolk and Waveney",
    "QPM": "Northamptonshire",
    "QMJ": "North Central London",
    "QHM": "North East and North Cumbria",
    "QMF": "North East London",
    "QRV": "North West London",
    "QT1": "Nottingham and Nottinghamshire",
    "QOC": "Shropshire, Telford and Wrekin",
    "QSL": "Somerset",
    "QKK": "South East London",
    "QWE": "South West London",
    "QF7": "South Yorkshire",
    "QNC": "Staffordshire and Stoke-on-Trent",
    "QJG": "Suffolk and North East Essex",
    "QWO": "West Yorkshire",
}

ICB_START = date(2022, 7, 1)


def bundled_document() -> dict[str, Any]:
    text = files("leder_core").joinpath("data/icbs.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def test_the_module_examples_run() -> None:
    assert doctest.testmod(reference).failed == 0


# --- the responsible body timeline -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2016, 7, 1), BodyKind.CCG),
        (date(2021, 5, 31), BodyKind.CCG),
        (date(2021, 6, 1), BodyKind.ICS),
        (date(2022, 6, 30), BodyKind.ICS),
        (date(2022, 7, 1), BodyKind.ICB),
        (date(2026, 4, 1), BodyKind.ICB),
    ],
)
def test_the_responsible_body_changes_on_its_dates(day: date, kind: BodyKind) -> None:
    assert responsible_body_kind(day) is kind


def test_each_responsible_body_is_cited() -> None:
    assert [entry.value for entry in RESPONSIBLE_BODY_KIND.timeline] == [
        BodyKind.CCG,
        BodyKind.ICS,
        BodyKind.ICB,
    ]
    for entry in RESPONSIBLE_BODY_KIND.timeline:
        assert entry.citation in SOURCES.values()
    assert RESPONSIBLE_BODY_KIND.timeline[-1].citation == SOURCES["landmark-icb-2022"]


# --- the bundled directory ----------------------------------------------------------------------


def test_the_bundled_directory_is_the_42_icbs_of_appendix_a() -> None:
    directory = load_icb_directory()
    assert len(directory.organisations) == 42
    by_code = {organisation.ods_code: organisation for organisation in directory.organisations}
    assert set(by_code) == set(APPENDIX_A)
    for code, place in APPENDIX_A.items():
        organisation = by_code[code]
        assert organisation.name == f"NHS {place} Integrated Care Board"
        assert organisation.kind is BodyKind.ICB
        assert organisation.valid_from == ICB_START
        assert organisation.valid_to is None


def test_the_bundled_directory_says_where_it_came_from_and_what_it_lacks() -> None:
    document = bundled_document()
    assert list(document) == [
        "source",
        "source_url",
        "licence",
        "licence_url",
        "extracted_on",
        "current_until",
        "note",
        "organisations",
    ]
    directory = load_icb_directory()
    assert "ODS" in directory.source
    assert directory.source_url is not None
    assert directory.source_url.startswith("https://github.com/rcpch/rcpch-nhs-organisations/")
    assert directory.licence is not None
    assert directory.licence.startswith("Open Government Licence v3.0")
    assert directory.extracted_on == date(2026, 11, 26)
    assert directory.current_until == date(2026, 3, 31)
    assert directory.note is not None
    assert "1 April 2026" in directory.note
    assert "inject" in directory.note


def test_the_bundled_directory_is_read_once() -> None:
    assert load_icb_directory() is load_icb_directory()


def test_the_bundled_directory_satisfies_the_protocol() -> None:
    directory: OrganisationDirectory = load_icb_directory()
    assert directory.lookup("QE1", ICB_START) is not None


@pytest.mark.parametrize("day", [ICB_START, date(2024, 1, 1), date(2026, 3, 31)])
def test_a_known_code_is_found_from_2022_07_01(day: date) -> None:
    found = load_icb_directory().lookup("QE1", day)
    assert found is not None
    assert found.name == "NHS Lancashire and South Cumbria Integrated Care Board"


@pytest.mark.parametrize("day", [date(2022, 6, 30), date(2021, 6, 1), date(2019, 1, 1)])
def test_a_code_before_2022_07_01_is_not_an_icb(day: date) -> None:
    assert load_icb_directory().lookup("QE1", day) is None


@pytest.mark.parametrize("code", ["QZZ", "00L", "qe1", "", "QE1 "])
def test_an_unknown_code_is_not_guessed(code: str) -> None:
    assert load_icb_directory().lookup(code, date(2024, 1, 1)) is None


# --- an injected directory --------------------------------------------------------------------


def merged_directory() -> IcbDirectory:
    """A newer extract: Norfolk and Waveney ends on 2026-03-31 and a merged ICB begins."""
    return IcbDirectory(
        organisations=(
            Organisation(
                ods_code="QMM",
                name="NHS Norfolk and Waveney Integrated Care Board",
                kind=BodyKind.ICB,
                valid_from=ICB_START,
                valid_to=date(2026, 3, 31),
            ),
            Organisation(
                ods_code="QZ1",
                name="NHS Norfolk and Suffolk Integrated Care Board",
                kind=BodyKind.ICB,
                valid_from=date(2026, 4, 1),
            ),
        ),
        source="a newer ODS extract",
        extracted_on=date(2026, 10, 1),
    )


def test_an_injected_directory_knows_ends_and_beginnings() -> None:
    directory = merged_directory()
    assert directory.lookup("QMM", date(2026, 3, 31)) is not None
    assert directory.lookup("QMM", date(2026, 4, 1)) is None
    assert directory.lookup("QZ1", date(2026, 3, 31)) is None
    found = directory.lookup("QZ1", date(2026, 4, 1))
    assert found is not None
    assert found.name == "NHS Norfolk and Suffolk Integrated Care Board"


def test_a_code_may_have_several_entries_that_do_not_overlap() -> None:
    first = Organisation(
        ods_code="QAA",
        name="First",
        kind=BodyKind.ICS,
        valid_from=date(2021, 6, 1),
        valid_to=date(2022, 6, 30),
    )
    second = Organisation(ods_code="QAA", name="Second", kind=BodyKind.ICB, valid_from=ICB_START)
    directory = IcbDirectory(
        organisations=(first, second), source="test", extracted_on=date(2024, 1, 1)
    )
    assert directory.lookup("QAA", date(2022, 6, 30)) == first
    assert directory.lookup("QAA", ICB_START) == second
    with pytest.raises(InvalidInput) as refused:
        IcbDirectory(
            organisations=(first, second, first), source="test", extracted_on=date(2024, 1, 1)
        )
    assert [tuple(problem) for problem in refused.value.problems] == [
        ("$.organisations[2].valid_from", "overlaps an earlier entry with the same ODS code")
    ]


def test_a_directory_document_is_checked_with_paths() -> None:
    document = bundled_document()
    document["organisations"][3]["ods_code"] = "q-1"
    document["organisations"][4]["valid_to"] = "2022-06-30"
    document["organisations"][5]["region"] = "Y60"
    del document["extracted_on"]
    with pytest.raises(InvalidInput) as refused:
        IcbDirectory.from_document(document)
    assert [problem.path for problem in refused.value.problems] == [
        "$.extracted_on",
        "$.organisations[3].ods_code",
        "$.organisations[5].region",
    ]
    fixed = bundled_document()
    fixed["organisations"][4]["valid_to"] = "2022-06-30"
    with pytest.raises(InvalidInput) as refused:
        IcbDirectory.from_document(fixed)
    assert [tuple(problem) for problem in refused.value.problems] == [
        ("$.organisations[4].valid_to", "the organisation ends before it starts")
    ]


def test_a_newer_extract_document_can_replace_the_bundled_one() -> None:
    document = copy.deepcopy(bundled_document())
    for organisation in document["organisations"]:
        if organisation["ods_code"] == "QMM":
            organisation["valid_to"] = "2026-03-31"
    document["extracted_on"] = "2026-10-01"
    document["current_until"] = "2026-09-30"
    directory = IcbDirectory.from_document(document)
    assert directory.lookup("QMM", date(2026, 4, 1)) is None
    assert load_icb_directory().lookup("QMM", date(2026, 4, 1)) is not None  # unchanged


# --- findings -------------------------------------------------------------------------------------


def test_a_known_body_is_found_in_the_bundled_directory_by_default() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.ICB), on=date(2024, 1, 1))
    assert finding.known
    assert finding.organisation == load_icb_directory().lookup("QE1", date(2024, 1, 1))
    assert finding.kind_responsible is BodyKind.ICB
    assert not finding.stale
    assert finding.notes == (
        "QE1 is NHS Lancashire and South Cumbria Integrated Care Board in the directory on "
        "2024-01-01 (NHS Organisation Data Service (ODS), via the rcpch/rcpch-nhs-organisations "
        "seed list, extracted 2026-11-26).",
    )


def test_an_unknown_body_is_reported_not_guessed() -> None:
    finding = body_in_directory(Body(code="QZZ", kind=BodyKind.ICB), on=date(2024, 1, 1))
    assert not finding.known
    assert finding.organisation is None
    assert (
        "The code QZZ is not in the directory as an organisation on 2024-01-01"
        in (finding.notes[0])
    )
    assert "reported, not guessed" in finding.notes[0]


def test_a_body_checked_before_icbs_existed_is_unknown_to_the_icb_directory() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.ICS), on=date(2022, 6, 30))
    assert not finding.known
    assert finding.kind_responsible is BodyKind.ICS
    assert len(finding.notes) == 1  # the kinds agree: nothing more to say


def test_a_kind_other_than_the_responsible_one_is_noted_but_judges_nothing() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.CCG), on=date(2024, 1, 1))
    assert finding.known
    assert finding.notes[1:] == (
        "The directory lists QE1 as an integrated care board (ICB); the arrangements give a "
        "clinical commissioning group (CCG).",
        "On 2024-01-01 the body responsible for LeDeR is an integrated care board (ICB); the "
        "arrangements give a clinical commissioning group (CCG). This changes no judgement.",
    )


def test_a_date_past_the_snapshot_is_flagged_with_its_note() -> None:
    finding = body_in_directory(Body(code="QMM", kind=BodyKind.ICB), on=date(2026, 4, 1))
    assert finding.known  # the snapshot does not know Norfolk and Waveney merged
    assert finding.stale
    assert finding.notes[-1].startswith(
        "2026-04-01 is after 2026-03-31, the last day the directory is known to reflect. The 42"
    )
    assert not body_in_directory(Body(code="QMM", kind=BodyKind.ICB), on=date(2026, 3, 31)).stale


def test_an_injected_directory_is_used_for_the_finding() -> None:
    finding = body_in_directory(
        Body(code="QMM", kind=BodyKind.ICB), on=date(2026, 4, 1), directory=merged_directory()
    )
    assert not finding.known
    assert finding.source == "a newer ODS extract"
    assert finding.extracted_on == date(2026, 10, 1)
    assert not finding.stale  # this directory does not say how far it reaches


class _OneCode:
    """Any object with the three members is a directory."""

    source = "a service's own lookup"
    extracted_on = date(2026, 11, 1)

    def lookup(self, code: str, on: date) -> Organisation | None:
        if code != "QXX":
            return None
        return Organisation(ods_code="QXX", name="X", kind=BodyKind.ICB, valid_from=on)


def test_any_object_following_the_protocol_can_be_injected() -> None:
    finding = body_in_directory(
        Body(code="QXX", kind=BodyKind.ICB), on=date(2026, 11, 1), directory=_OneCode()
    )
    assert finding.known
    assert finding.source == "a service's own lookup"
