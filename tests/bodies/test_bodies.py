"""The directory of responsible bodies: the bundled one, and official ODS files that extend it."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from helpers import write_lines
from leder_core import InvalidInput, bodies, dump, load_review, reference
from leder_core.bodies import (
    body_on,
    bundled_directory,
    classify_ods_file,
    load_directory,
    reviews_of_body,
)
from leder_core.models.bodies import OrganisationKind
from leder_core.models.review import Review
from leder_core.rules.registry import rule


def standard_row(
    code: str, name: str, parent: str, opened: str, closed: str = "", *, sub: str = "C"
) -> str:
    """One line of the ODS standard 27-column layout (eccg.csv, eother.csv)."""
    cells = [""] * 27
    cells[0], cells[1], cells[2], cells[3] = code, name, "Y59", parent
    cells[10], cells[11], cells[13] = opened, closed, sub
    return ",".join(cells)


def test_the_bundled_directory_counts() -> None:
    directory = bundled_directory()
    counts = directory.counts()
    assert counts == {"ccg": 245, "sicbl": 107, "ics": 42, "icb": 48, "successions": 158}
    assert directory.newest_change == date(2026, 4, 1)
    ccgs = [r for r in directory.records if r.kind is OrganisationKind.CCG]
    in_force = {
        day: sum(1 for r in ccgs if r.on(date.fromisoformat(day)))
        for day in (
            "2016-07-01",
            "2017-04-01",
            "2018-04-01",
            "2019-04-01",
            "2020-04-01",
            "2021-04-01",
        )
    }
    assert in_force == {
        "2016-07-01": 209,
        "2017-04-01": 207,
        "2018-04-01": 195,
        "2019-04-01": 191,
        "2020-04-01": 135,
        "2021-04-01": 106,
    }
    icbs_2025 = [
        r for r in directory.records if r.kind is OrganisationKind.ICB and r.on(date(2025, 1, 1))
    ]
    icbs_2026 = [
        r for r in directory.records if r.kind is OrganisationKind.ICB and r.on(date(2026, 4, 1))
    ]
    assert (len(icbs_2025), len(icbs_2026)) == (42, 36)
    sicbls = [
        r for r in directory.records if r.kind is OrganisationKind.SICBL and r.on(date(2022, 7, 1))
    ]
    assert len(sicbls) == 106


def test_every_ccg_of_2016_has_a_body_on_every_later_date_or_is_a_frimley_split() -> None:
    directory = bundled_directory()
    ccgs = [
        r.code
        for r in directory.records
        if r.kind is OrganisationKind.CCG and r.on(date(2016, 7, 1))
    ]
    for day in (date(2019, 1, 1), date(2021, 6, 1), date(2023, 1, 1), date(2026, 6, 1)):
        for code in ccgs:
            found = body_on(code, day)
            assert found.key in (found.code, f"unresolved:{code}"), (code, day)


def test_the_dump_is_the_body_document() -> None:
    assert dump(body_on("06K", date(2026, 6, 1))) == {
        "schema": "leder.body/1",
        "recorded": "06K",
        "on": "2026-06-01",
        "key": "S1Y5D",
        "code": "S1Y5D",
        "name": "NHS Central East Integrated Care Board",
        "kind": "icb",
        "steps": [
            {"on": "2021-06-01", "from": "06K", "to": "QM7", "kind": "hosted"},
            {"on": "2022-07-01", "from": "06K", "to": "QM7", "kind": "abolition"},
            {"on": "2026-04-01", "from": "QM7", "to": "S1Y5D", "kind": "split"},
        ],
        "candidates": [],
    }
    step = body_on("06K", date(2026, 6, 1)).steps[-1]
    assert (step.from_code, step.to_code) == ("QM7", "S1Y5D")


def test_the_body_rules_are_in_the_catalogue() -> None:
    for rule_id in ("BODY-DIRECTORY", "BODY-AS-OF", "BODY-KIND"):
        found = rule(rule_id)
        assert found.section == "§9a"
        assert found.citations


def test_a_date_is_required() -> None:
    with pytest.raises(InvalidInput) as refused:
        body_on("06K", "2026-06-01")  # type: ignore[arg-type]
    assert [p.path for p in refused.value.problems] == ["$.on"]


def test_official_files_extend_the_directory(tmp_path: Path) -> None:
    eother = write_lines(
        tmp_path,
        "eother.csv",
        [
            standard_row("X1Y2Z", "NHS WESSEX INTEGRATED CARE BOARD", "", "20270401", sub=""),
            standard_row(
                "QVV", "NHS DORSET INTEGRATED CARE BOARD", "", "20220701", "20270331", sub=""
            ),
            standard_row(
                "QSL", "NHS SOMERSET INTEGRATED CARE BOARD", "", "20220701", "20270331", sub=""
            ),
            standard_row("RA1", "SOME OTHER ORGANISATION", "", "20200101", sub=""),
        ],
    )
    eccg = write_lines(
        tmp_path,
        "eccg.csv",
        [
            standard_row("11J", "NHS WESSEX ICB - 11J", "X1Y2Z", "20130401"),
            standard_row("11X", "NHS WESSEX ICB - 11X", "X1Y2Z", "20130401"),
            standard_row("15N", "NHS DEVON ICB - 15N", "QT6", "20190401"),  # a move with no date
            standard_row("A1B2C", "NHS WESSEX ICB - A1B2C", "X1Y2Z", "20270401"),
            standard_row("G2L3T", "NHS BARNET SUB-ICB REPORTING ENTITY", "Z9B2Z", "20240401"),
            standard_row("13Q", "NHS ENGLAND HUB", "Q99", "20130401", sub="X"),
        ],
    )
    succ = write_lines(
        tmp_path,
        "succ.csv",
        [
            "QVV,X1Y2Z,,20270401,",
            "QSL,X1Y2Z,,20270401,",
            "RA1,RA2,,20200101,",
            "10C,QE1,,20190101,",
        ],
    )
    directory = load_directory(eccg=[eccg], eother=eother, succ=succ)
    assert directory.newest_change == date(2027, 4, 1)
    found = body_on("11J", date(2027, 5, 1), directory=directory)
    assert (found.key, [s.kind.value for s in found.steps][-1]) == ("X1Y2Z", "merger")
    assert body_on("11J", date(2027, 3, 31), directory=directory).key == "QVV"
    assert body_on("15N", date(2027, 5, 1), directory=directory).key == "QJK"  # undated: ignored
    assert body_on("A1B2C", date(2027, 5, 1), directory=directory).key == "X1Y2Z"
    assert body_on("G2L3T", date(2027, 5, 1), directory=directory).key == "unknown:G2L3T"
    assert body_on("13Q", date(2027, 5, 1), directory=directory).key == "unknown:13Q"
    # The bundled history is never rewritten: 10C's merger of 2021 stays.
    assert body_on("10C", date(2021, 5, 1), directory=directory).key == "D4U1Y"
    assert body_on("QVV", date(2027, 5, 1), directory=directory).key == "X1Y2Z"
    # The bundled directory itself is unchanged.
    assert body_on("11J", date(2027, 5, 1)).key == "QVV"


def test_a_sicbl_moved_by_a_dated_succession_takes_its_new_parent(tmp_path: Path) -> None:
    eother = write_lines(
        tmp_path,
        "eother.csv",
        [standard_row("X1Y2Z", "NHS NEW INTEGRATED CARE BOARD", "", "20270401", sub="")],
    )
    eccg = write_lines(
        tmp_path, "eccg.csv", [standard_row("11J", "NHS NEW ICB - 11J", "X1Y2Z", "20130401")]
    )
    succ = write_lines(tmp_path, "succ.csv", ["QVV,X1Y2Z,,20270401,", "QVV,QSL,,20270401,"])
    directory = load_directory(eccg=eccg, eother=eother, succ=succ)
    found = body_on("11J", date(2027, 5, 1), directory=directory)
    assert found.key == "X1Y2Z"
    assert found.steps[-1].kind.value == "split"
    assert body_on("QVV", date(2027, 5, 1), directory=directory).candidates == ("QSL", "X1Y2Z")


def test_bad_lines_are_reported_at_file_and_line_for_every_file_together(tmp_path: Path) -> None:
    eccg = write_lines(
        tmp_path,
        "eccg.csv",
        [
            "Organisation Code,Name,National Grouping,High Level Health Geography",  # a header
            standard_row("15N", "NHS DEVON ICB - 15N", "QJK", "2019-04-01"),
            standard_row("15N", "NHS DEVON ICB - 15N", "QJK", "20190401", "20190101"),
            standard_row("15N", "NHS DEVON ICB - 15N", "QJK", "20190401"),
        ],
    )
    succ = write_lines(
        tmp_path, "succ.csv", ["QVV,X1Y2Z,,2027,", "QVV,X1Y2Z,,20270401", "qvv,X1Y2Z,,20270401,"]
    )
    missing = str(tmp_path / "missing.csv")
    with pytest.raises(InvalidInput) as refused:
        load_directory(eccg=eccg, succ=[succ], eother=missing)
    paths = [problem.path for problem in refused.value.problems]
    assert paths == [
        f"{eccg}:1",
        f"{eccg}:2",
        f"{eccg}:3",
        missing,
        f"{succ}:1",
        f"{succ}:2",
        f"{succ}:3",
    ]
    messages = [problem.message for problem in refused.value.problems]
    assert "expected at least 14 columns" in messages[0]
    assert "column 11 (open date) is not a YYYYMMDD date" in messages[1]
    assert "before column 11" in messages[2]
    assert "cannot read the file" in messages[3]
    assert "column 4 (effective date)" in messages[4]
    assert "expected 5 columns" in messages[5]
    assert "column 1 is not an ODS code" in messages[6]


def test_files_are_recognised_by_their_content(tmp_path: Path) -> None:
    eccg = write_lines(
        tmp_path, "a.csv", [standard_row("15N", "NHS DEVON ICB - 15N", "QJK", "20190401")]
    )
    eother = write_lines(
        tmp_path,
        "b.csv",
        [standard_row("QJK", "NHS DEVON INTEGRATED CARE BOARD", "", "20220701", sub="")],
    )
    succ = write_lines(tmp_path, "c.csv", ["QVV,X1Y2Z,,20270401,"])
    other = write_lines(tmp_path, "d.csv", ["a,b,c"])
    assert [classify_ods_file(p) for p in (eccg, eother, succ, other)] == [
        "eccg",
        "eother",
        "succ",
        None,
    ]


def test_the_reviews_of_a_body_are_those_whose_body_on_the_date_it_is() -> None:
    """06K (a CCG of Hertfordshire) belongs to Central East ICB (S1Y5D) on 2026-06-01; QM7 was
    split that April and cannot be settled; QU9 merged whole into Thames Valley (S0E4D)."""

    def review(notification_id: str, code: str) -> Review:
        person = {
            "date_of_birth": "1970-01-01",
            "date_of_death": "2021-03-01",
            "learning_disability": True,
            "autism": "none",
            "lived_in_england": True,
        }
        notification = {
            "id": notification_id,
            "notified_on": "2021-03-10",
            "notifier_role": "gp",
            "person": person,
            "responsible_body": code,
        }
        return load_review({"notification": notification, "events": []})

    reviews = [review("N-1", "06K"), review("N-2", "QM7"), review("N-3", "QU9")]
    kept, left_out = reviews_of_body(reviews, "S1Y5D", date(2026, 6, 1))
    assert [kept_review.notification.id for kept_review in kept] == ["N-1"]
    assert left_out == {"unresolved:QM7": 1, "S0E4D": 1}


def imported_at_load(path: Path) -> set[str]:
    """The modules a source file imports when it is loaded (its top-level statements)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_bodies_package_loads_no_rule_and_no_document_reader() -> None:
    # `import leder_core.bodies` must stay cheap: the rules, the reference view and the
    # serialization are imported by the functions that need them, on first use.
    heavy = (
        "leder_core.rules",
        "leder_core.reference",
        "leder_core.serialization",
        "leder_core.api",
    )
    modules = sorted(Path(bodies.__file__).parent.glob("*.py"))
    assert [path.name for path in modules] == [
        "__init__.py",
        "bundled.py",
        "extension.py",
        "ods_files.py",
        "on_date.py",
    ]
    for path in modules:
        loaded = imported_at_load(path)
        assert any(name.startswith("leder_core.") for name in loaded), path.name
        assert not {name for name in loaded if name.startswith(heavy)}, path.name


def test_the_reference_view_is_reachable_from_the_bodies_package() -> None:
    assert bodies.ResponsibleBodies is reference.ResponsibleBodies
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = bodies.no_such_name
