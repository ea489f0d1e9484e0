"""Benchmark: reading a FHIR record into a notification, against parsing its JSON alone.

The record is a searchset Bundle of 30 resources, built here (deterministic): a Patient with
an NHS number, dates, an ethnic category, a death notification status and a practice; 10
Conditions and 8 Observations (SNOMED CT coded, one a learning disability concept), 6
Encounters (one covering the death at a prison), 2 Organizations and 3 resources about another
patient. Two passes over the same JSON text, best of ``--repeat`` rounds each:

* baseline: ``json.loads`` of the text;
* the library: ``extract_notification(json.loads(text), supplied=...)``.

Target: at most 10 times the parse-only time. Run by hand, not by the test suite::

    python benchmarks/bench_fhir.py [--count N] [--repeat R] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from leder_core.fhir import extract_notification

TARGET_RATIO = 10.0
SNOMED = "http://snomed.info/sct"
SUPPLIED: dict[str, Any] = {
    "id": "N-BENCH",
    "notified_on": "2024-03-15",
    "notifier_role": "health_professional",
    "person": {"lived_in_england": True},
}


def coded(code: str) -> dict[str, Any]:
    return {"coding": [{"system": SNOMED, "code": code, "display": "a clinical term"}]}


def record() -> dict[str, Any]:
    """The 30-resource Bundle the benchmark reads."""
    patient = {
        "resourceType": "Patient",
        "id": "pat-1",
        "meta": {"versionId": "3"},
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
        "name": [{"use": "usual", "family": "Example", "given": ["Pat"]}],
        "birthDate": "1970-01-01",
        "deceasedDateTime": "2024-03-10T09:30:00+00:00",
        "address": [{"line": ["1 Example Street"], "postalCode": "LS1 1AA"}],
        "generalPractitioner": [
            {
                "type": "Organization",
                "identifier": {
                    "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                    "value": "Y12345",
                    "period": {"start": "2015-01-01"},
                },
            }
        ],
        "extension": [
            {
                "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland",
                            "code": "A",
                        }
                    ]
                },
            },
            {
                "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus",
                "extension": [
                    {
                        "url": "deathNotificationStatus",
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus",
                                    "code": "2",
                                }
                            ]
                        },
                    }
                ],
            },
        ],
    }
    resources: list[dict[str, Any]] = [patient]
    condition_codes = ["26322001", "281445000", "195967001", "38341003", "44054006",
                       "195662009", "13645005", "49436004", "35489007", "110359009"]  # fmt: skip
    for index, code in enumerate(condition_codes):
        resources.append(
            {
                "resourceType": "Condition",
                "id": f"cond-{index}",
                "subject": {"reference": "Patient/pat-1"},
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "code": coded(code),
                "recordedDate": f"20{10 + index}-05-01",
            }
        )
    for index in range(8):
        resources.append(
            {
                "resourceType": "Observation",
                "id": f"obs-{index}",
                "status": "final",
                "subject": {"reference": "Patient/pat-1"},
                "code": coded("271649006"),
                "effectiveDateTime": f"2023-0{index + 1}-15T10:00:00+00:00",
                "valueQuantity": {"value": 120 + index, "unit": "mm[Hg]"},
            }
        )
    for index in range(6):
        resources.append(
            {
                "resourceType": "Encounter",
                "id": f"enc-{index}",
                "status": "finished",
                "subject": {"reference": "Patient/pat-1"},
                "period": {"start": f"202{index % 4}-01-01", "end": f"202{index % 4}-01-05"}
                if index
                else {"start": "2024-03-01"},
                "location": [
                    {
                        "physicalType": {
                            "coding": [
                                {
                                    "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-EncounterLocationTypeEngland",
                                    "code": "M01" if index == 0 else "B01",
                                }
                            ]
                        }
                    }
                ],
            }
        )
    for index in range(2):
        resources.append(
            {
                "resourceType": "Organization",
                "id": f"org-{index}",
                "identifier": [
                    {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": f"A{index}"}
                ],
            }
        )
    for index in range(3):
        resources.append(
            {
                "resourceType": "Condition",
                "id": f"other-{index}",
                "subject": {"reference": "Patient/someone-else"},
                "code": coded("408856003"),
            }
        )
    entries = [
        {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources
    ]
    return {"resourceType": "Bundle", "type": "searchset", "total": 1, "entry": entries}


def parse_only(text: str, count: int) -> None:
    loads = json.loads
    for _ in range(count):
        loads(text)


def extract(text: str, count: int) -> None:
    loads = json.loads
    for _ in range(count):
        extract_notification(loads(text), supplied=SUPPLIED)


def best_of(repeat: int, work: Callable[[str, int], None], text: str, count: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work(text, count)
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000, help="records per round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best is kept")
    parser.add_argument("--profile", action="store_true", help="show the hot spots")
    args = parser.parse_args(argv)
    bundle = record()
    text = json.dumps(bundle)
    resources = len(bundle["entry"])
    extracted = extract_notification(json.loads(text), supplied=SUPPLIED)
    assert extracted.notification.person.learning_disability
    assert extracted.notification.person.detention.value == "prison"
    assert len(extracted.ignored) == 3
    extract(text, 50)  # warm the caches
    baseline = best_of(args.repeat, parse_only, text, args.count)
    library = best_of(args.repeat, extract, text, args.count)
    ratio = library / baseline
    print(f"bundle: {resources} resources, {len(text):,} bytes of JSON")
    print(f"json.loads:            {baseline / args.count * 1e6:8.1f} µs a record")
    print(
        f"extract_notification:  {library / args.count * 1e6:8.1f} µs a record (incl. json.loads)"
    )
    print(f"ratio:                 {ratio:8.2f}x   (target <= {TARGET_RATIO:.0f}x)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        extract(text, args.count)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    met = ratio <= TARGET_RATIO
    print("target met" if met else "target MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
