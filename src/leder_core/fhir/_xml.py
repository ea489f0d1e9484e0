"""FHIR XML to FHIR JSON by FHIR's own rules for XML, with the optional extra ``leder-core[fhir]``.

The rules read FHIR JSON; XML is turned into exactly the JSON the same resource has, so both
formats take the same path and give the same extract.

How, and why this way:

* A document that carries a document type declaration (``<!DOCTYPE``, and so any entity
  declaration) is refused before any parser sees it: nothing is ever expanded or fetched.
* The document is parsed **once**, by lxml, with entities, DTDs and the network off, comments
  and processing instructions dropped (they carry nothing in FHIR, wherever they stand), the
  encoding forced to UTF-8 (the only one FHIR allows) and libxml2's limits on (no element
  nested deeper than 256, no text node over 10 MB).
* The tree is converted to FHIR JSON by the specification's XML rules, from a table the package
  ships (``data/fhir_elements.json``, built from the FHIR library's R4 models by
  ``tools/build_fhir_elements.py``): for every resource and data type, each element's type and
  whether it repeats. Primitive ``value`` attributes become JSON strings, booleans and numbers;
  ``id`` and extensions on a primitive become its ``_element``; repeating elements become
  arrays; ``contained``, ``entry.resource`` and other resource containers hold a resource with
  its ``resourceType``; a narrative's XHTML ``div`` becomes its markup as a string.
* Anything FHIR's XML rules do not allow is bad input with its JSON path: an unknown element,
  an element outside the FHIR namespace (except the XHTML of a narrative), an element given
  twice where FHIR allows one, an unknown resource type, a value that is not a boolean or
  number where FHIR wants one, text outside a ``value`` attribute.

The FHIR library's own XML reader (``fhir.resources``) was measured and not used: it parses
the document a second time with its own defaults (internal entities expanded), ends in
``KeyError``, ``AttributeError`` or ``RecursionError`` on unknown elements, processing
instructions, foreign narrative content or deep nesting, refuses a comment before ``<id>``,
and took 5.7 s for a 1.95 MB bundle that lxml parses in 39 ms. Reading through the shipped
table costs a few times ``json.loads`` of the same record (``benchmarks/bench_fhir.py``) and
leaves lxml the only dependency of the extra. Messages never quote the document's content.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any, Final

from leder_core.errors import InvalidInput

__all__ = ["XML_EXTRA", "parse_fhir_xml"]

XML_EXTRA: Final = "leder-core[fhir]"
_FHIR: Final = "{http://hl7.org/fhir}"
_XHTML: Final = "{http://www.w3.org/1999/xhtml}"
_XHTML_DIV: Final = _XHTML + "div"
_MAX_DEPTH: Final = 256  # libxml2's own limit without XML_PARSE_HUGE; kept here as well
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WORDS: Final = {"b": "a boolean (true or false)", "i": "an integer", "d": "a decimal"}

# One element of a type: its JSON name, its kind (``s``, ``b``, ``i``, ``d``, ``x``, ``@`` or
# a complex type's name) and whether it repeats; keyed by the element's full XML tag.
_Element = tuple[str, str, bool]


@cache
def _tables() -> tuple[frozenset[str], dict[str, dict[str, _Element]]]:
    """The shipped element table, keyed for the converter (read once)."""
    text = files("leder_core").joinpath("data/fhir_elements.json").read_text(encoding="utf-8")
    table = json.loads(text)
    types: dict[str, dict[str, _Element]] = {}
    for type_name, elements in table["types"].items():
        types[type_name] = {
            _FHIR + name: (name, kind.lstrip("*"), kind.startswith("*"))
            for name, kind in elements.items()
        }
    # The children a primitive element may have besides its value: its extensions.
    types["Element"] = {_FHIR + "extension": ("extension", "Extension", True)}
    return frozenset(table["resources"]), types


def _refused(message: str) -> InvalidInput:
    return InvalidInput([("$", message)])


def _blank(text: str | None) -> bool:
    return text is None or text.isspace() or not text


class _Reader:
    """One document's conversion: the problems found, each with its JSON path."""

    __slots__ = ("problems", "resources", "types")

    def __init__(self) -> None:
        self.resources, self.types = _tables()
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def resource(self, element: Any, path: str, depth: int) -> dict[str, Any] | None:
        """A resource element (``<Patient>``) as a JSON object with its ``resourceType``."""
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(_FHIR):
            self.problem(path, "not a FHIR resource: the element is outside the FHIR namespace")
            return None
        name = tag[len(_FHIR) :]
        if name not in self.resources:
            self.problem(path, "not a FHIR R4 resource type")
            return None
        out: dict[str, Any] = {"resourceType": name}
        self.complex(element, name, out, path, depth)
        return out

    def attributes(self, element: Any, type_name: str, out: dict[str, Any], path: str) -> None:
        for key, value in element.attrib.items():
            if key.startswith("{"):
                continue  # another namespace's attribute (xsi:schemaLocation): not FHIR's
            if key == "id" and type_name not in self.resources:
                out["id"] = value
            elif key == "url" and type_name == "Extension":
                out["url"] = value
            elif key == "value" and type_name == "Element":
                continue  # a primitive's value, read by primitive()
            else:
                self.problem(path, "an attribute FHIR does not define here")

    def complex(
        self,
        element: Any,
        type_name: str,
        out: dict[str, Any],
        path: str,
        depth: int,
    ) -> None:
        """Fill ``out`` with the children of ``element``, an instance of ``type_name``."""
        if depth > _MAX_DEPTH:
            self.problem(path, f"nested more than {_MAX_DEPTH} elements deep")
            return
        if element.attrib:
            self.attributes(element, type_name, out, path)
        if not _blank(element.text):
            self.problem(path, "text outside a value attribute")
        spec = self.types[type_name]
        ragged = False  # a repeating primitive with an id or extension: line up its arrays
        for child in element:
            tag = child.tag
            if not _blank(child.tail):
                self.problem(path, "text outside a value attribute")
            found = spec.get(tag) if isinstance(tag, str) else None
            if found is None:
                self.unknown(child, type_name, out, path)
                continue
            name, kind, repeats = found
            if repeats:
                items = out.get(name)
                index = len(items) if items is not None else 0
                where = f"{path}.{name}[{index}]"
            else:
                if name in out or ("_" + name) in out:
                    self.problem(f"{path}.{name}", "given more than once; FHIR allows it once")
                    continue
                index = -1
                where = f"{path}.{name}"
            if len(kind) == 1 and kind in "sbid":
                ragged |= self.primitive(child, name, kind, index, out, where, depth)
                continue
            if kind == "@":
                value: Any = self.contained(child, where, depth)
            elif kind == "x":
                self.problem(where, "a narrative's div must be in the XHTML namespace")
                continue
            else:
                value = {}
                self.complex(child, kind, value, where, depth + 1)
            if value is None:
                continue
            if repeats:
                out.setdefault(name, []).append(value)
            else:
                out[name] = value
        if ragged:
            _line_up(out)

    def unknown(self, child: Any, type_name: str, out: dict[str, Any], path: str) -> None:
        tag = child.tag
        if not isinstance(tag, str):
            self.problem(path, "an entity reference, which FHIR XML does not allow")
        elif tag == _XHTML_DIV and type_name == "Narrative":
            if "div" in out:
                self.problem(f"{path}.div", "given more than once; FHIR allows it once")
            else:
                self.narrative(child, out, f"{path}.div")
        elif tag.startswith(_FHIR):
            self.problem(f"{path}.{tag[len(_FHIR) :]}", "an element FHIR does not define here")
        else:
            local = tag.rpartition("}")[2]
            self.problem(f"{path}.{local}", "an element outside the FHIR namespace")

    def narrative(self, div: Any, out: dict[str, Any], path: str) -> None:
        from lxml import etree  # noqa: PLC0415 - optional, imported once by parse_fhir_xml

        for node in div.iter():
            tag = node.tag
            if not isinstance(tag, str) or not tag.startswith(_XHTML):
                self.problem(path, "a narrative may hold only XHTML elements")
                return
        out["div"] = etree.tostring(div, encoding="unicode", with_tail=False)

    def contained(self, holder: Any, path: str, depth: int) -> dict[str, Any] | None:
        """The one resource a container element (``<resource>``, ``<contained>``) holds."""
        if any(not key.startswith("{") for key in holder.attrib):
            self.problem(path, "an attribute FHIR does not define here")
        if not _blank(holder.text):
            self.problem(path, "text outside a value attribute")
        children = list(holder)
        if len(children) != 1:
            self.problem(path, "a resource container must hold exactly one resource")
            return None
        (element,) = children
        if not _blank(element.tail):
            self.problem(path, "text outside a value attribute")
        return self.resource(element, path, depth + 2)

    def primitive(  # noqa: PLR0917 - one call site, in the hot loop
        self,
        element: Any,
        name: str,
        kind: str,
        index: int,
        out: dict[str, Any],
        path: str,
        depth: int,
    ) -> bool:
        """A primitive element: its ``value`` into ``name``, its id and extensions into ``_name``.

        True when it is a repeating one with an id or extensions (its arrays need lining up).
        """
        attrib = element.attrib
        text = attrib.get("value")
        value: Any = text
        extra: dict[str, Any] | None = None
        if text is not None and kind != "s":
            value = self.typed(text, kind, path)
        if len(attrib) > (text is not None) or len(element) or not _blank(element.text):
            extra = {}
            self.complex(element, "Element", extra, path, depth + 1)
            if not extra:
                extra = None
        if value is None and extra is None:
            if text is None:
                self.problem(path, "an element with neither a value nor an extension")
            return False
        if index < 0:
            if value is not None:
                out[name] = value
            if extra is not None:
                out["_" + name] = extra
            return False
        out.setdefault(name, []).append(value)
        if extra is None:
            return False
        extras = out.setdefault("_" + name, [])
        extras.extend([None] * (index - len(extras)))
        extras.append(extra)
        return True

    def typed(self, text: str, kind: str, path: str) -> Any:
        """A ``value`` attribute as the JSON value FHIR gives it (booleans and numbers)."""
        if kind == "b":
            if text in ("true", "false"):
                return text == "true"
        elif kind == "i":
            if _INTEGER.fullmatch(text):
                return int(text)
        elif _DECIMAL.fullmatch(text):
            return json.loads(text)
        self.problem(path, f"not {_WORDS[kind]}")
        return None


def _line_up(out: dict[str, Any]) -> None:
    """Line up repeating primitives with their ``_element`` arrays, as FHIR JSON does.

    Both arrays get one item per element (``null`` where an element has no value, or no id
    and extensions); a value array of nothing but ``null`` is left out.
    """
    for key in [key for key in out if key.startswith("_")]:
        extras = out[key]
        values = out.get(key[1:])
        if not isinstance(extras, list) or not isinstance(values, list):
            continue
        extras.extend([None] * (len(values) - len(extras)))
        if all(value is None for value in values):
            del out[key[1:]]


def parse_fhir_xml(data: bytes | str) -> dict[str, Any]:
    """A FHIR resource or Bundle written in XML, as the FHIR JSON the rules read.

    Needs the optional extra ``leder-core[fhir]`` (lxml); without it, for a document with a
    document type declaration, or for XML that FHIR's XML rules do not allow, raises
    :class:`~leder_core.InvalidInput` listing every problem with its JSON path (messages never
    quote the content).
    """
    try:
        from lxml import etree  # noqa: PLC0415 - optional
    except ImportError:
        raise _refused(
            f"reading FHIR XML needs the optional extra {XML_EXTRA} (pip install '{XML_EXTRA}')"
        ) from None
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _refused(
            "a document type declaration (<!DOCTYPE>) is not allowed in FHIR XML; "
            "nothing in the document was read"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error.msg):
            raise _refused(f"nested more than {_MAX_DEPTH} elements deep") from None
        line = error.lineno if error.lineno else 1
        raise _refused(f"not well-formed XML (line {line})") from None
    if root.getroottree().docinfo.doctype:  # pragma: no cover - refused above
        raise _refused("a document type declaration is not allowed in FHIR XML")
    reader = _Reader()
    tag = root.tag
    if not isinstance(tag, str) or not tag.startswith(_FHIR):
        raise _refused("not a FHIR resource: the root is not in the FHIR namespace")
    resource = reader.resource(root, "$", 1)
    if reader.problems or resource is None:
        raise InvalidInput(reader.problems)
    return resource
