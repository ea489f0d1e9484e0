"""Reference data: the dated responsible body, findings in the one directory over time, and the
42 ICBs of 2022 as a view of it (ecosystem.md §4)."""

from __future__ import annotations

import copy
import doctest
from datetime import date
from importlib.resources import files
from typing import Any

import pytest

from leder_core import InvalidInput, reference
from leder_core.bodies import bundled_directory
from leder_core.models.bodies import OrganisationKind
from leder_core.models.governance import Body, BodyKind
from leder_core.reference import (
    RESPONSIBLE_BODY_KIND,
    IcbDirectory,
    Organisation,
    OrganisationDirectory,
    ResponsibleBodies,
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
#: The twelve ICBs merged or split on 2026-04-01.
ENDED_2026 = {"QHG", "QUE", "QM7", "QH8", "QJG", "QMM", "QNQ", "QU9", "QXU", "QNX", "QMJ", "QRV"}


def bundled_document() -> dict[str, Any]:
    """A directory document (the shape IcbDirectory.from_document reads) of the 42-ICB view."""
    view = load_icb_directory()
    return {
        "source": view.source,
        "extracted_on": view.extracted_on.isoformat(),
        "organisations": [
            {
                "ods_code": organisation.ods_code,
                "name": organisation.name,
                "kind": organisation.kind.value,
                "valid_from": organisation.valid_from.isoformat(),
                "valid_to": None
                if organisation.valid_to is None
                else organisation.valid_to.isoformat(),
            }
            for organisation in view.organisations
        ],
    }


def test_the_snapshot_file_is_gone() -> None:
    """One directory: the 42-ICB snapshot is no longer shipped beside the directory over time."""
    assert not files("leder_core").joinpath("data/icbs.json").is_file()
    assert files("leder_core").joinpath("data/bodies.json").is_file()


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
        expected_end = date(2026, 3, 31) if code in ENDED_2026 else None
        assert organisation.valid_to == expected_end, code


def test_the_42_icbs_are_a_view_of_the_one_directory() -> None:
    directory = load_icb_directory()
    over_time = bundled_directory()
    assert directory.source == over_time.source
    assert "ODS" in directory.source
    assert directory.licence == over_time.licence
    assert directory.extracted_on == over_time.newest_change == date(2026, 4, 1)
    assert directory.current_until == date(2026, 4, 1)
    assert directory.note is not None
    assert "leder_core.bodies" in directory.note
    for organisation in directory.organisations:
        record = over_time.entry(
            organisation.ods_code, frozenset({OrganisationKind.ICB}), ICB_START
        )
        assert record is not None
        assert record.name == organisation.name


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


def test_a_service_can_build_its_own_snapshot_from_a_document() -> None:
    document = copy.deepcopy(bundled_document())
    for organisation in document["organisations"]:
        if organisation["ods_code"] == "QE1":
            organisation["valid_to"] = "2027-03-31"
    document["extracted_on"] = "2027-10-01"
    document["current_until"] = "2027-09-30"
    directory = IcbDirectory.from_document(document)
    assert directory.lookup("QE1", date(2027, 4, 1)) is None
    assert load_icb_directory().lookup("QE1", date(2027, 4, 1)) is not None  # unchanged


# --- findings -------------------------------------------------------------------------------------


PROVENANCE = f"{bundled_directory().source}, extracted 2026-04-01"


def test_a_known_body_is_found_in_the_directory_over_time_by_default() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.ICB), on=date(2024, 1, 1))
    assert finding.known
    assert finding.organisation == ResponsibleBodies(bundled_directory()).lookup(
        "QE1", date(2024, 1, 1)
    )
    assert finding.kind_responsible is BodyKind.ICB
    assert not finding.stale
    assert finding.notes == (
        "QE1 is NHS Lancashire and South Cumbria Integrated Care Board in the directory on "
        f"2024-01-01 ({PROVENANCE}).",
    )


def test_an_icb_formed_in_2026_is_in_the_directory() -> None:
    """The one directory: the governance report no longer calls S1Y5D unknown."""
    finding = body_in_directory(Body(code="S1Y5D", kind=BodyKind.ICB), on=date(2026, 6, 1))
    assert finding.known
    assert finding.notes == (
        "S1Y5D is NHS Central East Integrated Care Board in the directory on 2026-06-01 "
        f"({PROVENANCE}).",
        "S1Y5D was formed on 2026-04-01 from QHG, QM7, QUE: its requirements are judged from "
        "that day (GOV-SUCCESSION).",
    )
    assert not any("not in the directory" in note for note in finding.notes)


def test_an_icb_not_formed_yet_is_said_so() -> None:
    finding = body_in_directory(Body(code="S1Y5D", kind=BodyKind.ICB), on=date(2026, 3, 31))
    assert not finding.known
    assert finding.notes[0] == (
        f"S1Y5D is formed on 2026-04-01, after 2026-03-31 ({PROVENANCE}): nothing is required "
        "of it yet."
    )


def test_a_ceased_body_names_the_bodies_holding_its_area() -> None:
    finding = body_in_directory(Body(code="QM7", kind=BodyKind.ICB), on=date(2026, 6, 1))
    assert not finding.known
    assert finding.notes[0] == (
        "QM7 ceased on 2026-04-01 (split): on 2026-06-01 its area is held by D7T5G (NHS Essex "
        "Integrated Care Board), S1Y5D (NHS Central East Integrated Care Board) "
        f"({PROVENANCE})."
    )
    merged = body_in_directory(Body(code="QMM", kind=BodyKind.ICB), on=date(2026, 4, 1))
    assert merged.notes[0].startswith("QMM ceased on 2026-04-01 (merged): on 2026-04-01 its ")
    assert "T6Y0W" in merged.notes[0]


def test_an_unknown_body_is_reported_not_guessed() -> None:
    finding = body_in_directory(Body(code="QZZ", kind=BodyKind.ICB), on=date(2024, 1, 1))
    assert not finding.known
    assert finding.organisation is None
    assert (
        "The code QZZ is not in the directory as an organisation on 2024-01-01"
        in (finding.notes[0])
    )
    assert "reported, not guessed" in finding.notes[0]


def test_a_body_checked_before_icbs_existed_is_found_as_its_ics() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.ICS), on=date(2022, 6, 30))
    assert finding.known
    assert finding.organisation is not None
    assert finding.organisation.kind is BodyKind.ICS
    assert finding.kind_responsible is BodyKind.ICS
    assert len(finding.notes) == 1  # the kinds agree: nothing more to say
    icbs_only = body_in_directory(
        Body(code="QE1", kind=BodyKind.ICS), on=date(2022, 6, 30), directory=load_icb_directory()
    )
    assert not icbs_only.known


def test_a_kind_other_than_the_responsible_one_is_noted_but_judges_nothing() -> None:
    finding = body_in_directory(Body(code="QE1", kind=BodyKind.CCG), on=date(2024, 1, 1))
    assert finding.known
    assert finding.notes[1:] == (
        "The directory lists QE1 as an integrated care board (ICB); the arrangements give a "
        "clinical commissioning group (CCG).",
        "On 2024-01-01 the body responsible for LeDeR is an integrated care board (ICB); the "
        "arrangements give a clinical commissioning group (CCG). This changes no judgement.",
    )


def test_a_date_past_a_snapshot_is_flagged_with_its_note() -> None:
    view = load_icb_directory()
    finding = body_in_directory(
        Body(code="QE1", kind=BodyKind.ICB), on=date(2026, 4, 2), directory=view
    )
    assert finding.known
    assert finding.stale
    assert finding.notes[-1].startswith(
        "2026-04-02 is after 2026-04-01, the last day the directory is known to reflect. This "
        "view holds only the 42 ICBs"
    )
    on_the_day = body_in_directory(
        Body(code="QE1", kind=BodyKind.ICB), on=date(2026, 4, 1), directory=view
    )
    assert not on_the_day.stale
    assert not body_in_directory(Body(code="QE1", kind=BodyKind.ICB), on=date(2027, 1, 1)).stale


def test_a_directory_over_time_may_be_given_directly() -> None:
    finding = body_in_directory(
        Body(code="S1Y5D", kind=BodyKind.ICB), on=date(2026, 6, 1), directory=bundled_directory()
    )
    assert finding.known
    assert finding.lifetime is not None
    assert finding.lifetime.formed_on == date(2026, 4, 1)


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
