"""Fuzzing: mutated real FHIR records, as JSON and as XML, through ``extract_notification``.

A structure-aware fuzzer. Its seeds are real records: the UK Core XML examples, the
demographics service's JSON examples and the HL7 R4 examples under
``../shared/domain/reference/fhir-examples`` (when present), and records built here like the
ones the tests build (a Patient with an NHS number, dates, an ethnic category and a death
notification status; Conditions, Observations and Encounters of the patient; contained and
nested resources). Into every seed it plants sentinel values — an NHS number, a name, dates
— then mutates it: values (types swapped, strings garbled, dates and offsets bent, references
and code systems changed), keys (dropped, duplicated, renamed, nested), depth (extensions
nested 150 deep), and for XML the document itself (comments and processing instructions
anywhere, foreign namespaces, unknown elements, entities and DTDs, a billion laughs).

Every document goes through ``parse_fhir_xml`` (XML) and ``extract_notification``. It counts:
documents, accepted, refused (``InvalidInput``), other exceptions (must be 0), leaks (must be
0: a sentinel of the input in any problem message or fact text) and the slowest run (must be
under 1 s for a record under 5 MB). Run by hand, not by the test suite (which runs a few
hundred documents of it, seeded: ``tests/fhir/test_fhir_fuzz.py``)::

    python benchmarks/fuzz_fhir.py [--json 50000] [--xml 20000] [--seed 1] [--show 5]

Exit status 1 when any document ended in another exception, leaked, or was too slow.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from leder_core import InvalidInput
from leder_core.fhir import extract_notification, parse_fhir_xml

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "domain" / "reference"
EXAMPLES = SHARED / "fhir-examples"
FHIR_NS = "http://hl7.org/fhir"
FHIR = "{" + FHIR_NS + "}"
SLOW_SECONDS = 1.0

# Sentinels planted in the inputs: none may appear in any problem message or fact text.
NHS_NUMBER = "9434765919"  # a valid check digit: the rules read it
NAME = "Zebedee"
FAMILY = "Quixotically"
BIRTH = "1931-07-13"
DEATH = "2024-02-29"
IDENTIFIER = "Qx7Sentinel"
SENTINELS = (NHS_NUMBER, "943 476 5919", NAME, FAMILY, BIRTH, "1931", DEATH, IDENTIFIER)
SUPPLIED: dict[str, Any] = {
    "id": "N-FUZZ",
    "notified_on": "2024-03-15",
    "notifier_role": "health_professional",
    "person": {"lived_in_england": True},
}
# Every other document has its dates supplied as well: more of them are accepted, and the
# rules after the dates are reached.
SUPPLIED_DATES: dict[str, Any] = {
    **SUPPLIED,
    "person": {
        "lived_in_england": True,
        "date_of_birth": "1931-07-14",
        "date_of_death": "2024-03-01",
    },
}
SNOMED = "http://snomed.info/sct"


# --- FHIR JSON to FHIR XML ------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)  # true / false / numbers exactly as JSON writes them


def _fill(element: Any, data: Mapping[str, Any], *, resource: bool, extension: bool) -> None:
    for key, value in data.items():
        if key == "resourceType":
            continue
        if key.startswith("_"):
            if key[1:] not in data:  # primitives with extensions but no value
                extras = value if isinstance(value, list) else [value]
                for extra in extras:
                    child = etree.SubElement(element, FHIR + key[1:])
                    if isinstance(extra, Mapping):
                        _fill(child, extra, resource=False, extension=False)
            continue
        if not resource and key == "id" and isinstance(value, str):
            element.set("id", value)
            continue
        if extension and key == "url" and isinstance(value, str):
            element.set("url", value)
            continue
        if key == "div" and isinstance(value, str):
            element.append(etree.fromstring(value))
            continue
        extras = data.get("_" + key)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            extra = extras[index] if isinstance(extras, list) and index < len(extras) else None
            if not isinstance(value, list) and isinstance(extras, Mapping):
                extra = extras
            child = etree.SubElement(element, FHIR + key)
            if isinstance(item, Mapping):
                if "resourceType" in item:
                    child.append(resource_element(item))
                else:
                    nested = key in ("extension", "modifierExtension")
                    _fill(child, item, resource=False, extension=nested)
            elif item is not None:
                child.set("value", _text(item))
            if isinstance(extra, Mapping):
                _fill(child, extra, resource=False, extension=False)


def resource_element(resource: Mapping[str, Any]) -> Any:
    """A FHIR JSON resource as an lxml element, by FHIR's XML rules."""
    element = etree.Element(FHIR + str(resource["resourceType"]), nsmap={None: FHIR_NS})
    _fill(element, resource, resource=True, extension=False)
    return element


def to_xml(resource: Mapping[str, Any], *, pretty: bool = False) -> bytes:
    """A FHIR JSON resource (a Bundle, a Patient, ...) written as FHIR XML (indented: pretty)."""
    element = resource_element(resource)
    return bytes(etree.tostring(element, encoding="utf-8", pretty_print=pretty))


# --- seeds ----------------------------------------------------------------------------------


def coded(code: str, system: str = SNOMED) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": "a clinical term"}]}


def built_patient() -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}],
        "name": [{"family": FAMILY, "given": [NAME]}],
        "birthDate": BIRTH,
        "deceasedDateTime": f"{DEATH}T23:30:00Z",
        "generalPractitioner": [
            {
                "identifier": {
                    "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                    "value": "Y12345",
                }
            }
        ],
        "extension": [
            {
                "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
                "valueCodeableConcept": coded(
                    "A", "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"
                ),
            },
            {
                "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus",
                "extension": [
                    {
                        "url": "deathNotificationStatus",
                        "valueCodeableConcept": coded(
                            "2", "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus"
                        ),
                    }
                ],
            },
        ],
    }


def built_records() -> list[dict[str, Any]]:
    """Records like the ones the tests build: every FHIR-* rule has something to read."""
    patient = built_patient()
    condition, autism = built_clinical()
    encounter, contained = built_encounters()
    entries = [
        {"fullUrl": "urn:uuid:p1", "resource": patient},
        {"resource": condition},
        {"resource": autism},
        {"resource": encounter},
        {"resource": contained},
    ]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    nested = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": copy.deepcopy(bundle)}],
    }
    return [patient, bundle, nested, [copy.deepcopy(patient), copy.deepcopy(condition)]]  # type: ignore[list-item]


def built_clinical() -> tuple[dict[str, Any], dict[str, Any]]:
    """A confirmed learning disability Condition and a final autism Observation of ``p1``."""
    condition = {
        "resourceType": "Condition",
        "id": IDENTIFIER,
        "subject": {"reference": "Patient/p1"},
        "verificationStatus": coded("confirmed"),
        "code": coded("110359009"),
        "recordedDate": "2001-05-01",
    }
    autism = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "subject": {"reference": "urn:uuid:p1"},
        "code": coded("408856003"),
        "effectiveDateTime": "2020-01-01T10:00:00+01:00",
    }
    return condition, autism


def built_encounters() -> tuple[dict[str, Any], dict[str, Any]]:
    """An Encounter in a prison naming the patient by NHS number, and one holding a
    contained Condition."""
    encounter = {
        "resourceType": "Encounter",
        "id": "e1",
        "status": "finished",
        "subject": {
            "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}
        },
        "period": {"start": "2024-02-01"},
        "location": [
            {
                "location": {"display": "a ward"},
                "physicalType": coded(
                    "M01", "https://fhir.hl7.org.uk/CodeSystem/UKCore-EncounterLocationTypeEngland"
                ),
            }
        ],
    }
    contained = {
        "resourceType": "Encounter",
        "id": "e2",
        "status": "finished",
        "contained": [
            {
                "resourceType": "Condition",
                "id": "c2",
                "subject": {"reference": "Patient/p1/_history/1"},
                "code": coded("408856003"),
            }
        ],
        "subject": {"reference": "Patient/p1"},
    }
    return encounter, contained


def plant(record: Any) -> Any:
    """The record with the sentinels in place of its Patients' NHS numbers, names and dates."""
    for resource in resources(record):
        if resource.get("resourceType") != "Patient":
            continue
        resource["name"] = [{"family": FAMILY, "given": [NAME]}]
        if "birthDate" in resource:
            resource["birthDate"] = BIRTH
        for identifier in resource.get("identifier", []):
            if isinstance(identifier, dict) and "nhs-number" in str(identifier.get("system")):
                identifier["value"] = NHS_NUMBER
        resource["id"] = IDENTIFIER if resource.get("id") is None else resource["id"]
    return record


def resources(record: Any) -> Iterator[dict[str, Any]]:
    """Every resource in a record (entries, nested Bundles, contained)."""
    stack = [record]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "resourceType" in item:
                yield item
            for key in ("entry", "resource", "contained"):
                if key in item:
                    stack.append(item[key])


def seeds() -> tuple[list[Any], list[Any]]:
    """JSON seeds and XML seeds (as the JSON the XML reads to), sentinels planted."""
    json_seeds: list[Any] = [plant(record) for record in built_records()]
    xml_seeds: list[Any] = [plant(copy.deepcopy(r)) for r in built_records() if isinstance(r, dict)]
    if EXAMPLES.exists():
        for path in sorted(EXAMPLES.rglob("*.json")):
            json_seeds.append(plant(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(EXAMPLES.rglob("*.xml")):
            try:
                xml_seeds.append(plant(parse_fhir_xml(path.read_bytes())))
            except InvalidInput:
                continue
    return json_seeds, xml_seeds


# --- mutations ------------------------------------------------------------------------------

ODD_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 2**63, 1.5, float("1e308"), "", " ", "x" * 300, [], {}, [None],
    {"value": NHS_NUMBER}, NHS_NUMBER, "943 476 5919", NAME, BIRTH, f"{BIRTH}T12:00:00Z",
    "2024-03-10T25:99:00Z", "2024-03-10T24:00:00Z", "2024-03-31T00:30:00+01:00",
    "2025-06-30T23:30:00Z", "2024-02-30", "2024-13", "0000-01-01", "9999-12-31T23:59:59-14:00",
    "2024-03-10T09:30", "2024-03-10T09:30:00.123456789+05:45", "Patient/p1", "#p1",
    "Patient/p1/_history/1", "urn:uuid:p1", "http://snomed.info/sct", "https://snomed.info/sct",
    "110359009", "408856003", "401204006", "entered-in-error", "refuted", "cancelled",
    "\u0000", "\ud800", "é\u202e", "<tag>", "&amp;",
)  # fmt: skip
KEYS = (
    "resourceType",
    "id",
    "subject",
    "code",
    "coding",
    "system",
    "value",
    "identifier",
    "entry",
    "resource",
    "contained",
    "extension",
    "url",
    "reference",
    "status",
    "verificationStatus",
    "birthDate",
    "deceasedDateTime",
    "period",
    "start",
    "end",
    "recordedDate",
    "onsetDateTime",
    "effectiveDateTime",
    "issued",
    "location",
    "physicalType",
    "generalPractitioner",
    "meta",
    "security",
    "fullUrl",
    "nickname",  # a name FHIR does not define (keys are structure: no sentinel in them)
)


def odd(rng: random.Random) -> Any:
    """A fresh copy of an odd value (never the shared one: mutations change what they insert)."""
    return copy.deepcopy(rng.choice(ODD_VALUES))


def _containers(node: Any, out: list[Any]) -> list[Any]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            out.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            out.append(item)
            stack.extend(item)
    return out


def _deep_extension(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {"url": "http://example.org/x", "valueString": NAME}
    for _ in range(depth):
        inner = {"url": "http://example.org/x", "extension": [inner]}
    return inner


def mutate_json(record: Any, rng: random.Random) -> Any:
    """One to four structural or value mutations of a copy of ``record``."""
    doc = copy.deepcopy(record)
    for _ in range(rng.randint(1, 4)):
        places = _containers(doc, [])
        place = rng.choice(places)
        choice = rng.randrange(10)
        if isinstance(place, dict) and place:
            key = rng.choice(list(place))
            if choice == 0:
                del place[key]
            elif choice == 1:
                place[rng.choice(KEYS)] = copy.deepcopy(place[key])
            elif choice == 2:
                place[key] = [copy.deepcopy(place[key]), copy.deepcopy(place[key])]
            elif choice == 3:
                place[key] = {key: place[key]}
            elif choice == 4:
                place[key] = odd(rng)
            elif choice == 5 and isinstance(place[key], str):
                value = place[key]
                cut = rng.randrange(len(value) + 1)
                place[key] = (
                    value[:cut] + rng.choice(["", "Z", "+01:00", "-", "T", "9"]) + value[cut + 1 :]
                )
            elif choice == 6:
                place["extension"] = [_deep_extension(rng.choice([5, 50, 150]))]
                break  # deep enough: no copy of it is made
            elif choice == 7:
                place[rng.choice(KEYS)] = odd(rng)
            elif choice == 8 and "resourceType" in place:
                place["resourceType"] = rng.choice(
                    ["Patient", "Condition", "Bundle", "Flag", "Nope", 3]
                )
            else:
                place["_" + key] = {"extension": [{"url": "u", "valueString": NAME}]}
        elif isinstance(place, list):
            if place and choice < 3:
                del place[rng.randrange(len(place))]
            elif place and choice < 6:
                place.append(copy.deepcopy(rng.choice(place)))
            elif choice < 8:
                place.append(odd(rng))
            else:
                place.insert(0, copy.deepcopy(doc) if not isinstance(doc, list) else None)
    return doc


XML_SNIPPETS = (
    b"<!-- a comment -->",
    b"<?pi data?>",
    b'<unknownElement value="x"/>',
    b'<x:foreign xmlns:x="urn:other"><x:value value="9434765919"/></x:foreign>',
    b'<extension url="http://example.org/x"><valueString value="Zebedee"/></extension>',
    b'<id value="' + IDENTIFIER.encode() + b'"/>',
    b"&amp;",
    b"text",
    b"<![CDATA[cdata]]>",
)
DOCTYPES = (
    b'<!DOCTYPE Patient [<!ENTITY nhs "9434765919">]>',
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
    b'<!DOCTYPE Patient SYSTEM "http://127.0.0.1:9/fhir.dtd">',
)


def mutate_xml(record: Any, rng: random.Random) -> bytes:
    """A mutated record written as XML, then its bytes mutated by FHIR XML's own hazards."""
    doc = mutate_json(record, rng) if rng.random() < 0.6 else copy.deepcopy(record)
    try:
        data = to_xml(doc)
    except (ValueError, TypeError, KeyError, AttributeError, etree.LxmlError):
        data = to_xml(record)  # a mutation JSON can hold but XML cannot: keep the seed
    for _ in range(rng.randint(0, 3)):
        choice = rng.randrange(8)
        if choice == 0:  # a snippet at a random element boundary
            cuts = [i for i in range(len(data)) if data[i : i + 1] == b"<"][1:]
            if cuts:
                cut = rng.choice(cuts)
                data = data[:cut] + rng.choice(XML_SNIPPETS) + data[cut:]
        elif choice == 1:
            data = rng.choice(DOCTYPES) + data.replace(NHS_NUMBER.encode(), b"&nhs;", 1)
        elif choice == 2:
            data = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->' + data
        elif choice == 3:
            data = data.replace(b'xmlns="http://hl7.org/fhir"', b'xmlns="urn:not-fhir"', 1)
        elif choice == 4:
            nested = (
                b'<extension url="u">' * 150 + b'<valueString value="x"/>' + b"</extension>" * 150
            )
            data = data.replace(b"<id ", nested + b"<id ", 1)
        elif choice == 5 and data:
            cut = rng.randrange(len(data))
            data = data[:cut] + data[cut + rng.randint(1, 20) :]
        elif choice == 6:
            data = data.replace(
                b' value="', rng.choice([b' id="a" value="', b' value=" ', b' value="&#10;']), 1
            )
        else:
            data = data.replace(b"<", b"\n <", rng.randint(1, 5))
    return data


# --- the run --------------------------------------------------------------------------------


@dataclass
class Tally:
    documents: int = 0
    accepted: int = 0
    refused: int = 0
    other: int = 0
    leaks: int = 0
    slowest: float = 0.0
    slowest_size: int = 0
    failures: list[str] = field(default_factory=list)  # the first 20, with their input
    leaked: set[str] = field(default_factory=set)  # every text that leaked (up to 1,000)
    exceptions: Counter[str] = field(default_factory=Counter)

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.documents:,} documents, {self.accepted:,} accepted, "
            f"{self.refused:,} refused, {self.other} other exceptions, {self.leaks} leaks, "
            f"slowest {self.slowest * 1000:.1f} ms ({self.slowest_size:,} bytes)"
        )


def leaked(texts: list[str]) -> bool:
    return any(sentinel in text for text in texts for sentinel in SENTINELS)


def run_one(read: Callable[[], Any], size: int, tally: Tally, sample: str) -> None:
    """Read one document and extract from it, counting the outcome."""
    tally.documents += 1
    started = time.perf_counter()
    texts: list[str] = []
    try:
        supplied = SUPPLIED_DATES if tally.documents % 2 else SUPPLIED
        extract = extract_notification(read(), supplied=supplied)
    except InvalidInput as refused:
        tally.refused += 1
        texts = [f"{problem.path}: {problem.message}" for problem in refused.problems]
        texts.append(str(refused))
    except Exception as error:  # counting every other exception is the point
        tally.other += 1
        tally.exceptions[type(error).__name__] += 1
        if len(tally.failures) < 20:
            tally.failures.append(
                f"{type(error).__name__}: {traceback.format_exc(limit=-3)}\n{sample[:2000]}"
            )
    else:
        tally.accepted += 1
        texts = [fact.text for fact in extract.facts] + [
            f"{entry.path}: {entry.why}" for entry in extract.ignored
        ]
    elapsed = time.perf_counter() - started
    if elapsed > tally.slowest and size < 5_000_000:
        tally.slowest, tally.slowest_size = elapsed, size
    if leaked(texts):
        tally.leaks += 1
        if len(tally.leaked) < 1_000:
            tally.leaked.update(text for text in texts if leaked([text]))
        if len(tally.failures) < 20:
            tally.failures.append(f"leak: {texts}\n{sample[:2000]}")


def fuzz(json_count: int, xml_count: int, seed: int) -> tuple[Tally, Tally]:
    """Run ``json_count`` JSON and ``xml_count`` XML documents; the tallies of each."""
    rng = random.Random(seed)
    json_seeds, xml_seeds = seeds()
    as_json, as_xml = Tally(), Tally()
    for _ in range(json_count):
        doc = mutate_json(rng.choice(json_seeds), rng)
        try:
            text = json.dumps(doc)
        except ValueError:
            continue
        run_one(lambda text=text: json.loads(text), len(text), as_json, text)  # type: ignore[misc]
    for _ in range(xml_count):
        data = mutate_xml(rng.choice(xml_seeds), rng)
        run_one(
            lambda data=data: parse_fhir_xml(data),
            len(data),
            as_xml,
            data.decode("utf-8", "replace"),
        )  # type: ignore[misc]
    return as_json, as_xml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=int, default=50_000, help="JSON documents")
    parser.add_argument("--xml", type=int, default=20_000, help="XML documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="failures to print")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    as_json, as_xml = fuzz(args.json, args.xml, args.seed)
    print(as_json.line("JSON"))
    print(as_xml.line("XML "))
    for tally in (as_json, as_xml):
        if tally.exceptions:
            print("  other exceptions:", dict(tally.exceptions))
        for text in sorted(tally.leaked)[: args.show * 4]:
            print("  leaked:", text)
        for failure in tally.failures[: args.show]:
            print("---", failure)
    print(f"in {time.perf_counter() - started:.0f} s")
    bad = [t for t in (as_json, as_xml) if t.other or t.leaks or t.slowest > SLOW_SECONDS]
    print("no failures" if not bad else "FAILURES")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
