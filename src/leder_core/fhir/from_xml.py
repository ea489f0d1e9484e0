"""FHIR XML to FHIR JSON by FHIR's own rules for XML, with the optional extra ``fhir``.

The rules read FHIR JSON; XML is turned into exactly the JSON the same resource has, so both
formats take the same path and give the same extract.

How, and why this way:

* A document that carries a document type declaration (``<!DOCTYPE``, and so any entity
  declaration) is refused before any parser sees it: nothing is ever expanded or fetched.
* The document is parsed **once**, by lxml, with entities, DTDs and the network off, comments
  and processing instructions dropped (they carry nothing in FHIR, wherever they stand), the
  encoding forced to UTF-8 (the only one FHIR allows), whitespace between elements dropped
  (in a narrative too, where it stands alone between two elements) and libxml2's limits on
  (no element nested deeper than 256, no text node over 10 MB).
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
table (``benchmarks/bench_fhir.py``): a record as XML, bytes to extract, costs about 3 times
the same record as JSON (most of it lxml's parse and walking its tree from Python; the few
questions every element would otherwise be asked go to XPath, in C, once per document), and
``leder fhir`` on a 3.9 MB bundle 1.5 times; lxml is the extra's only dependency. Messages
never quote the document's content.
"""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from importlib.resources import files
from typing import Any, Final

from leder_core.errors import InvalidInput

__all__ = ["XML_EXTRA", "parse_fhir_xml"]

XML_EXTRA: Final = "fhir"
#: How to add the extra; the package is installed from a checkout, so the hint names no index.
XML_EXTRA_HINT: Final = "from a checkout: python -m pip install -e '.[fhir]'"
_FHIR: Final = "{http://hl7.org/fhir}"
_XHTML: Final = "{http://www.w3.org/1999/xhtml}"
_XHTML_DIV: Final = _XHTML + "div"
_MAX_DEPTH: Final = 256  # libxml2's own limit without XML_PARSE_HUGE; kept here as well
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WORDS: Final = {"b": "a boolean (true or false)", "i": "an integer", "d": "a decimal"}

# One element of a type, keyed by its full XML tag: its JSON name, the JSON name of its id and
# extensions when it is a primitive (``_name``), its kind (``s``, ``b``, ``i``, ``d``, ``x``,
# ``@`` or a complex type's name), whether it repeats, and what the converter does with it.
_Element = tuple[str, str, str, bool, int]
_STRING, _TYPED, _COMPLEX, _RESOURCE, _XHTML_KIND, _FHIR_DIV = range(
    6
)  # primitives first: <= _TYPED
_ACTIONS: Final = {
    "s": _STRING,
    "b": _TYPED,
    "i": _TYPED,
    "d": _TYPED,
    "@": _RESOURCE,
    "x": _XHTML_KIND,
}


@cache
def _tables() -> tuple[frozenset[str], dict[str, dict[Any, _Element]]]:
    """The shipped element table, keyed for the converter (read once)."""
    text = files("leder_core").joinpath("data/fhir_elements.json").read_text(encoding="utf-8")
    table = json.loads(text)
    types: dict[str, dict[Any, _Element]] = {}
    for type_name, elements in table["types"].items():
        types[type_name] = {}
        for name, code in elements.items():
            kind = code.lstrip("*")
            action = _ACTIONS.get(kind, _COMPLEX)
            types[type_name][_FHIR + name] = (name, "_" + name, kind, code[0] == "*", action)
    # A narrative's div is XHTML's, not FHIR's.
    types["Narrative"][_FHIR + "div"] = ("div", "_div", "x", False, _FHIR_DIV)
    types["Narrative"][_XHTML_DIV] = ("div", "_div", "x", False, _XHTML_KIND)
    # The children a primitive element may have besides its value: its extensions.
    types["Element"] = {
        _FHIR + "extension": ("extension", "_extension", "Extension", True, _COMPLEX)
    }
    return frozenset(table["resources"]), types


def _refused(message: str) -> InvalidInput:
    return InvalidInput([("$", message)])


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else "?"


class _Reader:
    """One document's conversion, and the problems found in it (each with its JSON path).

    The conversion keeps no paths: they are worked out from the tree for the few elements
    that have a problem (:meth:`path_of`).
    """

    __slots__ = ("attributed", "indexes", "problems", "resources", "tostring", "types", "values")

    def __init__(self, tostring: Any) -> None:
        self.resources, self.types = _tables()
        self.tostring = tostring
        self.problems: list[tuple[str, str]] = []
        self.attributed: set[Any] = set()  # the elements with an id or url attribute
        self.values = 0  # ``value`` attributes read
        self.indexes: dict[tuple[Any, str], dict[Any, int]] = {}  # for paths: see index_of

    def problem(self, element: Any, message: str, *, within: Any = None) -> None:
        """A problem at ``element`` (or at a child of ``within`` named by ``element``)."""
        if within is not None:
            path = f"{self.path_of(within)}.{_local(element.tag)}"
        else:
            path = self.path_of(element)
        self.problems.append((path, message))

    def path_of(self, element: Any) -> str:
        """The JSON path of an element: where its value stands in the FHIR JSON."""
        return self.locate(element)[0]

    def locate(self, element: Any) -> tuple[str, int | None]:
        """The JSON path of an element, and what the converter does with it (None: unknown)."""
        chain = [element, *element.iterancestors()]
        chain.reverse()
        root, *steps = chain
        type_name: str | None = _local(root.tag)
        path = "$"
        container = False
        for position, step in enumerate(steps):
            tag = step.tag
            if container:  # the resource in a container: no step in the JSON path
                type_name, container = _local(tag), False
                continue
            spec = self.types.get(type_name or "", {})
            found = spec.get(tag)
            if found is None:
                return f"{path}.{_local(tag)}", None
            name, extras, kind, repeats, action = found
            last = position == len(steps) - 1
            key = name if last or action > _TYPED else extras
            path = f"{path}.{key}[{self.index_of(step, tag)}]" if repeats else f"{path}.{key}"
            if action == _RESOURCE:
                container = True
            elif action <= _TYPED:
                type_name = "Element"
            elif action == _COMPLEX:
                type_name = kind
            else:
                type_name = None
        return path, action if steps and not container else _RESOURCE

    def index_of(self, element: Any, tag: str) -> int:
        """The place of a repeating element among its parent's children of its name.

        Worked out once for all of them, so that a document with thousands of problems in a
        repeating element still takes time in proportion to its size.
        """
        parent = element.getparent()
        indexes = self.indexes.get((parent, tag))
        if indexes is None:
            children = parent.iterchildren(tag)
            indexes = self.indexes[parent, tag] = {child: n for n, child in enumerate(children)}
        return indexes[element]

    def resource(self, element: Any, depth: int) -> dict[str, Any] | None:
        """A resource element (``<Patient>``) as a JSON object with its ``resourceType``."""
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(_FHIR):
            self.problem(element.getparent(), "the resource is outside the FHIR namespace")
            return None
        name = tag[len(_FHIR) :]
        if name not in self.resources:
            where = element.getparent()
            self.problem(element if where is None else where, "not a FHIR R4 resource type")
            return None
        out: dict[str, Any] = {"resourceType": name}
        self.complex(element, name, out, depth)
        return out

    def attributes(self, element: Any, type_name: str, out: dict[str, Any]) -> None:
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
                self.problem(element, "an attribute FHIR does not define here")

    def complex(self, element: Any, type_name: str, out: dict[str, Any], depth: int) -> None:  # noqa: PLR0915 - the hot loop, kept in one frame
        """Fill ``out`` with the children of ``element``, an instance of ``type_name``."""
        if depth > _MAX_DEPTH:
            self.problem(element, f"nested more than {_MAX_DEPTH} elements deep")
            return
        attributed = self.attributed
        if element in attributed:
            self.attributes(element, type_name, out)
        spec = self.types[type_name]
        ragged = False  # a repeating primitive with an id or extension: line up its arrays
        strings = 0  # plain string values read here (the common case, kept in line)
        for child in element:
            found = spec.get(child.tag)
            if found is None:
                self.unknown(child, element, type_name, out)
                continue
            name, extras, kind, repeats, action = found
            if not repeats and (name in out or extras in out):
                self.problem(child, "given more than once; FHIR allows it once")
                continue
            if action <= _TYPED:
                text = child.get("value")
                if action or text is None or len(child) or child in attributed:
                    ragged |= self.primitive(child, name, extras, kind, repeats, out, depth)
                    continue
                strings += 1
                if not repeats:
                    out[name] = text
                elif name in out:
                    out[name].append(text)
                else:
                    out[name] = [text]
                continue
            if action == _COMPLEX:
                value: Any = {}
                self.complex(child, kind, value, depth + 1)
            elif action == _RESOURCE:
                value = self.contained(child, depth)
                if value is None:
                    continue
            elif action == _XHTML_KIND:
                value = self.narrative(child)
                if value is None:
                    continue
            else:
                self.problem(child, "a narrative's div must be in the XHTML namespace")
                continue
            if repeats:
                items = out.get(name)
                if items is None:
                    out[name] = [value]
                else:
                    items.append(value)
            else:
                out[name] = value
        self.values += strings
        if ragged:
            _line_up(out)

    def unknown(self, child: Any, parent: Any, type_name: str, out: dict[str, Any]) -> None:
        tag = child.tag
        if not isinstance(tag, str):
            self.problem(parent, "an entity reference, which FHIR XML does not allow")
        elif tag.startswith(_FHIR):
            self.problem(child, "an element FHIR does not define here", within=parent)
        else:
            self.problem(child, "an element outside the FHIR namespace", within=parent)

    def narrative(self, div: Any) -> str | None:
        """A narrative's XHTML as markup; None (a problem) when it holds anything else."""
        markup: str = self.tostring(div, encoding="unicode", with_tail=False)
        # An element of another namespace needs its own declaration in the markup: only a
        # second "xmlns" (perhaps just text that says it) calls for a look at every element.
        if markup.count("xmlns") > 1:
            for node in div.iter():
                tag = node.tag
                if not isinstance(tag, str) or not tag.startswith(_XHTML):
                    self.problem(div, "a narrative may hold only XHTML elements")
                    return None
        return markup

    def contained(self, holder: Any, depth: int) -> dict[str, Any] | None:
        """The one resource a container element (``<resource>``, ``<contained>``) holds."""
        if holder in self.attributed:
            self.problem(holder, "an attribute FHIR does not define here")
        if len(holder) != 1:
            self.problem(holder, "a resource container must hold exactly one resource")
            return None
        element = holder[0]
        return self.resource(element, depth + 2)

    def primitive(  # noqa: PLR0917 - one call site, in the hot loop
        self,
        element: Any,
        name: str,
        extras: str,
        kind: str,
        repeats: bool,
        out: dict[str, Any],
        depth: int,
    ) -> bool:
        """A primitive element: its ``value`` into ``name``, its id and extensions into ``_name``.

        True when it is a repeating one with an id or extensions (its arrays need lining up).
        """
        text = element.get("value")
        value: Any = text
        extra: dict[str, Any] | None = None
        if text is not None:
            self.values += 1
            if kind != "s":
                value = self.typed(element, text, kind)
        if len(element) or element in self.attributed:
            extra = {}
            self.complex(element, "Element", extra, depth + 1)
            if not extra:
                extra = None
        if value is None and extra is None:
            if text is None:
                self.problem(element, "an element with neither a value nor an extension")
            return False
        if not repeats:
            if value is not None:
                out[name] = value
            if extra is not None:
                out[extras] = extra
            return False
        values = out.get(name)
        if values is None:
            values = out[name] = []
        values.append(value)
        if extra is None:
            return False
        extra_items = out.setdefault(extras, [])
        extra_items.extend([None] * (len(values) - 1 - len(extra_items)))
        extra_items.append(extra)
        return True

    def typed(self, element: Any, text: str, kind: str) -> Any:
        """A ``value`` attribute as the JSON value FHIR gives it (booleans and numbers)."""
        if kind == "b":
            if text in ("true", "false"):
                return text == "true"
        elif kind == "i":
            if _INTEGER.fullmatch(text):
                return int(text)
        elif _DECIMAL.fullmatch(text):
            return json.loads(text)
        self.problem(element, f"not {_WORDS[kind]}")
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


def _misplaced_attributes(root: Any, reader: _Reader) -> None:
    """Find the attributes FHIR does not define where they stand (the slow, rare way)."""
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(_FHIR):
            continue
        for key in element.attrib:
            if key.startswith("{") or key in ("id", "url"):  # ids and urls: read in place
                continue
            path, action = reader.locate(element)
            if action is not None and (key != "value" or action > _TYPED):
                reader.problems.append((path, "an attribute FHIR does not define here"))


_COMPILED = threading.local()  # lxml's compiled XPath: one per thread, to be safe


def _queries(etree: Any) -> tuple[Any, Any]:
    """The compiled XPath queries :func:`parse_fhir_xml` asks of a whole tree."""
    queries: tuple[Any, Any] | None = getattr(_COMPILED, "queries", None)
    if queries is None:
        namespaces = {"f": _FHIR[1:-1]}
        queries = _COMPILED.queries = (
            etree.XPath(
                "//f:*/@id | //f:*/@url | //f:*/text()[normalize-space()]", namespaces=namespaces
            ),
            etree.XPath("count(//f:*/@*)", namespaces=namespaces),
        )
    return queries


def _root(etree: Any, raw: bytes) -> Any:
    """The root element of a document parsed safely (no entities, network, DTD or huge
    trees), or :class:`~leder_core.InvalidInput` when it is not well-formed."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=True,  # whitespace between elements: nothing to read, much to skip
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
    return root


def parse_fhir_xml(data: bytes | str) -> dict[str, Any]:
    """A FHIR resource or Bundle written in XML, as the FHIR JSON the rules read.

    Needs the optional extra ``fhir`` (lxml); without it, for a document with a
    document type declaration, or for XML that FHIR's XML rules do not allow, raises
    :class:`~leder_core.InvalidInput` listing every problem with its JSON path (messages never
    quote the content).
    """
    try:
        from lxml import etree  # noqa: PLC0415 - optional
    except ImportError:
        raise _refused(
            f"reading FHIR XML needs the optional extra '{XML_EXTRA}' ({XML_EXTRA_HINT})"
        ) from None
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _refused(
            "a document type declaration (<!DOCTYPE>) is not allowed in FHIR XML; "
            "nothing in the document was read"
        )
    root = _root(etree, raw)
    tag = root.tag
    if not isinstance(tag, str) or not tag.startswith(_FHIR):
        raise _refused("not a FHIR resource: the root is not in the FHIR namespace")
    # Questions asked of the whole tree at once, in C, so that the conversion need not ask
    # them of every element: which elements have an id or url attribute, where text stands
    # outside a value attribute, and how many attributes FHIR's elements have.
    ids_urls_and_text, attribute_count = _queries(etree)
    reader = _Reader(etree.tostring)
    attributes = 0
    for found in ids_urls_and_text(root):
        owner = found.getparent()
        if found.is_attribute:
            reader.attributed.add(owner)
            attributes += 1
        else:
            where = owner.getparent() if found.is_tail else owner
            reader.problem(where, "text outside a value attribute")
    resource = reader.resource(root, 1)
    foreign = sum(1 for key in root.attrib if key.startswith("{"))  # xsi:schemaLocation
    if int(attribute_count(root)) != reader.values + attributes + foreign:
        _misplaced_attributes(root, reader)  # a value attribute where FHIR has none, or other
    if reader.problems or resource is None:
        raise InvalidInput(list(dict.fromkeys(reader.problems)))
    return resource
