"""FHIR XML read by FHIR's own XML rules, once and safely (leder_core.fhir.parse_fhir_xml).

What must hold: a document type declaration is refused before any parser sees the document;
comments and processing instructions are ignored wherever they stand; an unknown element, an
element of another namespace (outside a narrative's XHTML) or anything else FHIR's XML rules
do not allow is bad input with its JSON path; deep nesting is refused, never a RecursionError;
and the same resource as XML and as JSON reads to the same FHIR JSON and the same extract.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from leder_core import InvalidInput, dump
from leder_core.fhir import extract_notification, parse_fhir_xml

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("lxml") is None,
    reason="the optional extra leder-core[fhir] (lxml) is absent",
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT.parent / "shared" / "domain" / "reference" / "fhir-examples"
needs_shared = pytest.mark.skipif(
    not EXAMPLES.exists(), reason="the reference data (../shared/domain/reference) is absent"
)
NHS_NUMBER = "9434765919"
SUPPLIED: dict[str, Any] = {
    "id": "N-XML-1",
    "notified_on": "2024-03-15",
    "notifier_role": "health_professional",
    "person": {"lived_in_england": True},
}


def patient_xml(inner: str = "", *, head: str = "") -> str:
    """A Patient in XML, ``inner`` placed after its id; ``head`` before the root."""
    return (
        f'{head}<Patient xmlns="http://hl7.org/fhir"><id value="p1"/>{inner}'
        '<identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/>'
        f'<value value="{NHS_NUMBER}"/></identifier>'
        '<name><family value="Quixotically"/><given value="Zebedee"/></name>'
        '<birthDate value="1931-07-13"/><deceasedDateTime value="2024-03-10T09:30:00Z"/>'
        "</Patient>"
    )


PATIENT_JSON: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "p1",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}],
    "name": [{"family": "Quixotically", "given": ["Zebedee"]}],
    "birthDate": "1931-07-13",
    "deceasedDateTime": "2024-03-10T09:30:00Z",
}


def refusal(xml: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as refused:
        parse_fhir_xml(xml)
    problems = [(problem.path, problem.message) for problem in refused.value.problems]
    for text in (NHS_NUMBER, "Zebedee", "Quixotically", "1931", "Smith"):
        assert text not in str(refused.value)
    return problems


def paths(xml: str | bytes) -> list[str]:
    return [path for path, _ in refusal(xml)]


# --- document type declarations: refused before any parser sees them ----------------------


ENTITY = patient_xml(head='<!DOCTYPE Patient [<!ENTITY nhs "9434765919">]>').replace(
    f'<value value="{NHS_NUMBER}"/>', '<value value="&nhs;"/>'
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + ']><Patient xmlns="http://hl7.org/fhir"><id value="&lol9;"/></Patient>'
)
EXTERNAL = '<!DOCTYPE Patient SYSTEM "http://127.0.0.1:9/x.dtd">' + patient_xml()


@pytest.mark.parametrize("xml", [ENTITY, BILLION_LAUGHS, EXTERNAL], ids=["entity", "lol", "dtd"])
def test_a_document_type_declaration_is_refused_before_any_parser_sees_it(
    xml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lxml import etree

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a parser saw a document with a DOCTYPE")

    monkeypatch.setattr(etree, "fromstring", no_parsing)
    monkeypatch.setattr(etree, "XMLParser", no_parsing)
    started = time.perf_counter()
    problems = refusal(xml)
    assert time.perf_counter() - started < 0.5
    assert problems == [
        (
            "$",
            "a document type declaration (<!DOCTYPE>) is not allowed in FHIR XML; "
            "nothing in the document was read",
        )
    ]


def test_an_undeclared_entity_is_not_well_formed() -> None:
    xml = patient_xml().replace(f'value="{NHS_NUMBER}"', 'value="&nhs;"')
    assert refusal(xml) == [("$", "not well-formed XML (line 1)")]


def test_only_utf_8_is_read_whatever_the_declaration_says() -> None:
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?>' + patient_xml('<gender value="é"/>')
    assert parse_fhir_xml(xml.encode("utf-8"))["gender"] == "é"
    assert paths(xml.encode("latin-1")) == ["$"]


# --- comments and processing instructions: ignored wherever they stand ---------------------


@pytest.mark.parametrize(
    "xml",
    [
        patient_xml(head="<!-- before the root -->"),
        patient_xml().replace('<id value="p1"/>', '<!-- before id --><id value="p1"/>'),
        patient_xml().replace("<family ", "<!-- in a name --><family "),
        patient_xml().replace(
            '<birthDate value="1931-07-13"/>',
            '<birthDate value="1931-07-13"><!-- c --></birthDate>',
        ),
        patient_xml(head='<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet href="x"?>'),
        patient_xml().replace('<id value="p1"/>', '<?pi data?><id value="p1"/>'),
        patient_xml("<?pi in a resource?>").replace("</name>", "<?pi in a name?></name>"),
    ],
    ids=["before-root", "before-id", "in-name", "in-primitive", "pi-head", "pi-before-id", "pi"],
)
def test_comments_and_processing_instructions_are_ignored(xml: str) -> None:
    assert parse_fhir_xml(xml) == PATIENT_JSON


# --- what FHIR's XML rules do not allow: bad input, with its path -------------------------


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (
            patient_xml('<favouriteColour value="x"/>'),
            [("$.favouriteColour", "an element FHIR does not define here")],
        ),
        (
            patient_xml().replace("<family ", '<nickname value="x"/><family '),
            [("$.name[0].nickname", "an element FHIR does not define here")],
        ),
        (
            patient_xml('<x:value xmlns:x="urn:other" value="9434765919"/>'),
            [("$.value", "an element outside the FHIR namespace")],
        ),
        (
            patient_xml('<birthDate xmlns="urn:other" value="1931-07-13"/>'),
            [("$.birthDate", "an element outside the FHIR namespace")],
        ),
        (patient_xml('<active value="yes"/>'), [("$.active", "not a boolean (true or false)")]),
        (
            patient_xml('<multipleBirthInteger value="1.5"/>'),
            [("$.multipleBirthInteger", "not an integer")],
        ),
        (
            patient_xml('<gender value="male"/><gender value="female"/>'),
            [("$.gender", "given more than once; FHIR allows it once")],
        ),
        (
            patient_xml("<gender/>"),
            [("$.gender", "an element with neither a value nor an extension")],
        ),
        (
            patient_xml('<gender value="male" colour="x"/>'),
            [("$.gender", "an attribute FHIR does not define here")],
        ),
        (
            patient_xml('<maritalStatus value="M"/>'),
            [("$.maritalStatus", "an attribute FHIR does not define here")],
        ),
        (
            patient_xml("<gender value='male'>1931</gender>"),
            [("$.gender", "text outside a value attribute")],
        ),
        (patient_xml("Smith"), [("$", "text outside a value attribute")]),
        (
            patient_xml().replace('fhir">', 'fhir" id="x">', 1),
            [("$", "an attribute FHIR does not define here")],
        ),
        (
            patient_xml("<contained><Patient/><Patient/></contained>"),
            [("$.contained[0]", "a resource container must hold exactly one resource")],
        ),
        (
            patient_xml("<contained><Smith/></contained>"),
            [("$.contained[0]", "not a FHIR R4 resource type")],
        ),
        (
            patient_xml('<text><status value="generated"/><div/></text>'),
            [("$.text.div", "a narrative's div must be in the XHTML namespace")],
        ),
    ],
)
def test_what_fhir_xml_does_not_allow_is_refused_with_its_path(
    xml: str, expected: list[tuple[str, str]]
) -> None:
    assert refusal(xml) == expected


def test_every_problem_is_listed() -> None:
    xml = patient_xml('<favouriteColour value="x"/><active value="yes"/><x:y xmlns:x="urn:o"/>')
    assert paths(xml) == ["$.favouriteColour", "$.active", "$.y"]


def test_thousands_of_problems_are_all_listed() -> None:
    identifiers = "<identifier><bogus/></identifier>" * 20_000
    with pytest.raises(InvalidInput) as refused:  # indexes such as 1931 are not dates
        parse_fhir_xml(patient_xml(identifiers))
    found = [problem.path for problem in refused.value.problems]
    assert len(found) == 20_000
    assert found[-1] == "$.identifier[19999].bogus"


@pytest.mark.parametrize(
    ("xml", "path"),
    [
        ("<Patient", "$"),
        ("<Patient/>", "$"),
        ('<Patient xmlns="urn:other"/>', "$"),
        ('<Nonsense xmlns="http://hl7.org/fhir"/>', "$"),
        ("", "$"),
    ],
)
def test_a_document_that_is_not_a_fhir_resource_is_refused(xml: str, path: str) -> None:
    assert paths(xml) == [path]


def test_paths_reach_into_bundles_contained_resources_and_primitive_extensions() -> None:
    xml = """<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
      <entry><resource><Patient><id value="p1"/></Patient></resource></entry>
      <entry><resource><Encounter><contained><Condition><code><coding>
        <code value="1"/><bogus/></coding></code></Condition></contained>
        <status value="finished"><extension url="u"><valueBoolean value="maybe"/></extension>
        </status></Encounter></resource></entry>
      <entry><resource><Bogus/></resource></entry></Bundle>"""
    assert refusal(xml) == [
        (
            "$.entry[1].resource.contained[0].code.coding[0].bogus",
            "an element FHIR does not define here",
        ),
        ("$.entry[1].resource._status.extension[0].valueBoolean", "not a boolean (true or false)"),
        ("$.entry[2].resource", "not a FHIR R4 resource type"),
    ]


# --- narratives -----------------------------------------------------------------------------


def narrative(div: str) -> str:
    return patient_xml(f'<text><status value="generated"/>{div}</text>')


def test_a_narrative_is_its_xhtml_as_a_string() -> None:
    div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Zebedee, who said "xmlns"</p></div>'
    record = parse_fhir_xml(narrative(div))
    assert record["text"] == {"status": "generated", "div": div}


@pytest.mark.parametrize(
    "div",
    [
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>x<s:svg xmlns:s="urn:s"/></p></div>',
        '<div xmlns="http://www.w3.org/1999/xhtml"><p xmlns="">Smith</p></div>',
        '<div xmlns="http://www.w3.org/1999/xhtml"><f:id xmlns:f="http://hl7.org/fhir"/></div>',
    ],
)
def test_a_narrative_holding_another_namespace_is_refused(div: str) -> None:
    assert refusal(narrative(div)) == [("$.text.div", "a narrative may hold only XHTML elements")]


# --- FHIR JSON by the XML rules -------------------------------------------------------------


def test_primitives_are_typed_and_their_ids_and_extensions_are_underscored() -> None:
    xml = """<Observation xmlns="http://hl7.org/fhir"><id value="o1"/>
      <status value="final"/><code><text value="t"/></code>
      <valueQuantity><value value="1.50"/></valueQuantity>
      <component><code><text value="a"/></code><valueInteger value="-3"/></component>
      <component id="c2"><code><text value="b"/></code><valueBoolean value="true"/></component>
      <issued id="i1" value="2024-01-01T00:00:00Z"><extension url="u"><valueDecimal value="2e3"/>
      </extension></issued></Observation>"""
    assert parse_fhir_xml(xml) == {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"text": "t"},
        "valueQuantity": {"value": 1.5},
        "component": [
            {"code": {"text": "a"}, "valueInteger": -3},
            {"id": "c2", "code": {"text": "b"}, "valueBoolean": True},
        ],
        "issued": "2024-01-01T00:00:00Z",
        "_issued": {"id": "i1", "extension": [{"url": "u", "valueDecimal": 2000.0}]},
    }


def test_repeating_primitives_line_up_with_their_extensions() -> None:
    xml = patient_xml().replace(
        '<given value="Zebedee"/>',
        '<given value="A"/><given id="g"><extension url="u"><valueString value="x"/>'
        '</extension></given><given value="C"/>',
    )
    name = parse_fhir_xml(xml)["name"][0]
    assert name["given"] == ["A", None, "C"]
    assert name["_given"] == [
        None,
        {"id": "g", "extension": [{"url": "u", "valueString": "x"}]},
        None,
    ]


def test_resources_inside_resources() -> None:
    xml = """<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
      <entry><fullUrl value="urn:uuid:b"/><resource><Bundle><type value="collection"/>
        <entry><resource><Patient><id value="p1"/><contained><Organization><id value="o"/>
        </Organization></contained></Patient></resource></entry></Bundle></resource></entry>
    </Bundle>"""
    inner = parse_fhir_xml(xml)["entry"][0]["resource"]
    assert inner["resourceType"] == "Bundle"
    patient = inner["entry"][0]["resource"]
    assert patient["contained"] == [{"resourceType": "Organization", "id": "o"}]


def extensions(depth: int) -> str:
    opening = '<extension url="http://example.org/x">'
    return patient_xml(opening * depth + '<valueString value="x"/>' + "</extension>" * depth)


def test_150_nested_extensions_are_read() -> None:
    record = parse_fhir_xml(extensions(150))
    depth, node = 0, record
    while "extension" in node:
        node, depth = node["extension"][0], depth + 1
    assert (depth, node["valueString"]) == (150, "x")


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeper_nesting_is_refused_never_a_recursion_error(depth: int) -> None:
    assert refusal(extensions(depth)) == [("$", "nested more than 256 elements deep")]


def test_the_element_table_is_the_fhir_library_s() -> None:
    tool = ROOT / "tools" / "build_fhir_elements.py"
    if not tool.exists() or importlib.util.find_spec("fhir.resources") is None:
        pytest.skip("the table's tool (tools/) or the FHIR library (fhir.resources) is absent")
    # The table the imported package ships: the source tree's, or the installed wheel's.
    shipped = importlib.resources.files("leder_core") / "data" / "fhir_elements.json"
    done = subprocess.run(  # noqa: S603 - this repository's own tool
        [sys.executable, str(tool), "--check", "--file", str(shipped)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "up to date")


# --- the same resource as XML and as JSON ---------------------------------------------------


def without_narratives(value: Any) -> Any:
    """FHIR JSON without its narratives' markup (serialised alike, not byte for byte)."""
    if isinstance(value, dict):
        return {key: without_narratives(item) for key, item in value.items() if key != "div"}
    if isinstance(value, list):
        return [without_narratives(item) for item in value]
    return value


def extract_or_problems(record: Any) -> Any:
    try:
        return dump(extract_notification(record, supplied=SUPPLIED))
    except InvalidInput as refused:
        return [(problem.path, problem.message) for problem in refused.problems]


TWINS = sorted(EXAMPLES.rglob("*.xml")) if EXAMPLES.exists() else []


@needs_shared
@pytest.mark.parametrize(
    "xml_file",
    [path for path in TWINS if path.with_suffix(".json").exists()],
    ids=lambda path: path.name,
)
def test_an_hl7_example_as_xml_reads_as_its_json_twin(xml_file: Path) -> None:
    from_xml = parse_fhir_xml(xml_file.read_bytes())
    from_json = json.loads(xml_file.with_suffix(".json").read_text(encoding="utf-8"))
    assert without_narratives(from_xml) == without_narratives(from_json)
    assert extract_or_problems(from_xml) == extract_or_problems(from_json)


@needs_shared
@pytest.mark.parametrize("xml_file", TWINS, ids=lambda path: path.name)
def test_every_example_xml_reads_and_gives_the_extract_of_its_json(xml_file: Path) -> None:
    """Every XML example under ../shared, with or without a twin: its FHIR JSON, written out
    as JSON text and read back, gives the same extract (or the same problems)."""
    from_xml = parse_fhir_xml(xml_file.read_bytes())
    as_json = json.loads(json.dumps(from_xml))
    assert extract_or_problems(from_xml) == extract_or_problems(as_json)


def test_the_same_patient_as_xml_and_json_gives_the_same_extract() -> None:
    # A Patient alone holds no diagnoses: they are supplied, as they must be.
    person = {**SUPPLIED["person"], "learning_disability": True, "autism": "none"}
    supplied = {**SUPPLIED, "person": person}
    assert dump(extract_notification(parse_fhir_xml(patient_xml()), supplied=supplied)) == dump(
        extract_notification(PATIENT_JSON, supplied=supplied)
    )


def shape(value: Any, path: str = "$") -> dict[str, str]:
    """Every leaf of FHIR JSON by its path, with its JSON type (no narratives, no comments)."""
    leaves: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("div", "fhir_comments"):
                leaves |= shape(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            leaves |= shape(item, f"{path}[{index}]")
    else:
        leaves[path] = type(value).__name__
    return leaves


@needs_shared
@pytest.mark.parametrize("xml_file", TWINS, ids=lambda path: path.name)
def test_every_example_xml_has_the_shape_the_fhir_library_reads(xml_file: Path) -> None:
    """An independent reading of the same XML: the FHIR library's own models (which keep
    comments, and write dates and numbers their own way) give the same objects, arrays and
    leaves, each of the same JSON type."""
    if importlib.util.find_spec("fhir.resources") is None:
        pytest.skip("the FHIR library (fhir.resources) is absent")
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    raw = xml_file.read_bytes()
    record = parse_fhir_xml(raw)
    model = get_fhir_model_class(record["resourceType"])
    try:
        theirs = model.model_validate_xml(raw).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        pytest.skip("the FHIR library's R4B models refuse this R4 example")
    assert shape(record) == shape(theirs)


def test_threads_read_alike() -> None:
    from concurrent.futures import ThreadPoolExecutor

    documents = [patient_xml(), extensions(150), patient_xml('<active value="true"/>')] * 20
    expected = [parse_fhir_xml(document) for document in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(parse_fhir_xml, documents)) == expected
