"""Build ``src/leder_core/data/bodies.json`` from the ODS reference tables (run by hand).

The tables (CSV, with their provenance) live outside the repository, in the shared reference
folder next to it: ``../shared/domain/reference/ods/``. This script turns them into the dated
directory the package ships; the package never reads the tables themselves.

    python tools/build_bodies_data.py [REFERENCE_FOLDER]
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "domain" / "reference" / "ods"
OUT = ROOT / "src" / "leder_core" / "data" / "bodies.json"

CCG_START = "2013-04-01"  # CCGs were established on 1 April 2013
NEWCASTLE_GATESHEAD = ("13T", "2015-04-01")
CCG_END = "2022-06-30"
ICS_START = "2021-06-01"
ICB_START = "2022-07-01"
CHANGE_2026 = "2026-04-01"
END_2026 = "2026-03-31"


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def expect(holds: bool, problem: str) -> None:
    """Stop with ``problem`` when the tables are not what this script was written for."""
    if not holds:
        raise SystemExit(f"build_bodies_data: {problem}")


def main(folder: Path) -> None:  # noqa: PLR0915 - one pass over the tables, in order
    merges = rows(folder, "ccg_successions_2017-2021.csv")
    ccg20 = rows(folder, "ccg_2020-04-01.csv")
    ccg21 = rows(folder, "ccg21_stp21_cal21_2021-04-01.csv")
    sicbls = rows(folder, "sicbl_icb_2022-07-01.csv")
    icbs22 = rows(folder, "icbs_2022-07-01.csv")
    icbs26 = rows(folder, "icbs_2026-04-01.csv")
    icb_succ = rows(folder, "icb_successions_2026-04-01.csv")

    names: dict[str, str] = {}
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for row in merges:  # oldest first, so later (newer) names win below
        names.setdefault(row["predecessor_ods"], row["predecessor_name"])
        names[row["successor_ods"]] = row["successor_name"]
        first[row["successor_ods"]] = row["effective_date"]
        last[row["predecessor_ods"]] = day_before(row["effective_date"])
    for row in ccg20:
        names[row["ccg20_ods"]] = row["ccg20_name"]
    stp: dict[str, str] = {}
    stp_names: dict[str, str] = {}
    for row in ccg21:
        names[row["CCG21CDH"]] = row["CCG21NM"]
        stp[row["CCG21CDH"]] = row["STP21CDH"]
        stp_names[row["STP21CDH"]] = row["STP21NM"]
    organisations: list[dict[str, object]] = []
    for code in sorted(names):
        start = first.get(
            code, NEWCASTLE_GATESHEAD[1] if code == NEWCASTLE_GATESHEAD[0] else CCG_START
        )
        end = last.get(code, CCG_END)
        entry: dict[str, object] = {
            "code": code,
            "name": names[code],
            "kind": "ccg",
            "from": start,
            "to": end,
            "parents": [],
        }
        if code in stp:
            entry["parents"] = [{"from": ICS_START, "to": CCG_END, "code": stp[code]}]
        organisations.append(entry)
    expect(len(stp) == 106, f"106 CCGs of 2021 with an STP expected, found {len(stp)}")

    for row in sicbls:
        code = row["sicbl_ods"]
        later = row["icb_ods_from_2026_04_01"]
        renamed = row["sicbl_name_from_2026_04_01"]
        parents = []
        closed = later.startswith("(closed")
        if later == row["icb_ods_2022"]:
            parents.append({"from": ICB_START, "to": None, "code": row["icb_ods_2022"]})
        else:
            parents.append({"from": ICB_START, "to": END_2026, "code": row["icb_ods_2022"]})
            if not closed:
                parents.append({"from": CHANGE_2026, "to": None, "code": later})
        name = row["sicbl_name_2022"]
        if renamed and not renamed.startswith("("):
            name = renamed
        organisations.append(
            {
                "code": code,
                "name": name,
                "kind": "sicbl",
                "from": ICB_START,
                "to": END_2026 if closed else None,
                "parents": parents,
            }
        )
    organisations.append(
        {
            "code": "U2G6B",
            "name": "NHS Thames Valley ICB - U2G6B",
            "kind": "sicbl",
            "from": CHANGE_2026,
            "to": None,
            "parents": [{"from": CHANGE_2026, "to": None, "code": "S0E4D"}],
        }
    )
    expect(len(sicbls) == 106, f"106 sub-ICB locations expected, found {len(sicbls)}")

    for code in sorted(stp_names):
        organisations.append(
            {
                "code": code,
                "name": stp_names[code],
                "kind": "ics",
                "from": ICS_START,
                "to": CCG_END,
                "parents": [],
            }
        )
    for row in icbs22:
        organisations.append(
            {
                "code": row["icb_ods"],
                "name": row["icb_name"],
                "kind": "icb",
                "from": row["valid_from"],
                "to": row["valid_to"] or None,
                "parents": [],
            }
        )
    for row in icbs26:
        if row["new_in_2026"] == "yes":
            organisations.append(
                {
                    "code": row["icb_ods"],
                    "name": row["icb_name"],
                    "kind": "icb",
                    "from": row["valid_from"],
                    "to": None,
                    "parents": [],
                }
            )

    successions: list[dict[str, object]] = []
    for row in merges:
        successions.append(
            {
                "on": row["effective_date"],
                "from": row["predecessor_ods"],
                "to": row["successor_ods"],
                "part": None,
            }
        )
    for row in icb_succ:
        part = None if row["part_transferred"] == "whole ICB" else row["part_transferred"]
        successions.append(
            {
                "on": row["effective_date"],
                "from": row["predecessor_ods"],
                "to": row["successor_ods"],
                "part": part,
            }
        )
    frimley: dict[str, int] = {}
    for row in rows(folder, "frimley_lsoa11_split_2026-04-01.csv"):
        frimley[row["to_sicbl_ods"]] = frimley.get(row["to_sicbl_ods"], 0) + 1
    for code in sorted(frimley):
        successions.append(
            {"on": CHANGE_2026, "from": "D4U1Y", "to": code, "part": f"{frimley[code]} LSOA11"}
        )

    document = {
        "source": "NHS Organisation Data Service (ODS) successions and ONS Open Geography "
        "lookups (CCG 2020 and 2021 to STP, LSOA 2011 to SICBL to ICB July 2022), and the ODS "
        "change summary of the integrated care board mergers of 1 April 2026",
        "licence": "Contains public sector information licensed under the Open Government "
        "Licence v3.0 (NHS England Organisation Data Service; ONS Open Geography Portal)",
        "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "sources": [
            "https://files.digital.nhs.uk/assets/ods/current/succ.zip",
            "https://files.digital.nhs.uk/assets/ods/current/succarc.zip",
            "https://geoportal.statistics.gov.uk/datasets/ons::lsoa-2011-to-sub-icb-locations-to-integrated-care-boards-july-2022-lookup-in-england/explore",
            "https://www.england.nhs.uk/publication/integrated-care-boards-in-england/",
            "https://v3.datadictionary.nhs.uk/web_site_content/supporting_definitions/sub_integrated_care_board_location.asp",
            "https://www.odsdatasearchandexport.nhs.uk/referenceDataCatalogue/Organisation-Data_571324868.html",
        ],
        "note": "CCGs from 2013 to 30 June 2022 with every merger of 2017 to 2021; the ICS of "
        "each CCG (keyed by its STP code) from 1 June 2021; the 106 sub-ICB locations and their "
        "parent ICB on each date from 1 July 2022; the 42 ICBs; the 2026-04-01 successions and "
        "the six new ICBs. Generated by tools/build_bodies_data.py.",
        "organisations": organisations,
        "successions": successions,
    }
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for entry in organisations:
        kinds[str(entry["kind"])] = kinds.get(str(entry["kind"]), 0) + 1
    print(OUT, kinds, len(successions), "successions")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
