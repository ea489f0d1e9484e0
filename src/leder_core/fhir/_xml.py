"""FHIR XML to FHIR JSON, with the optional extra ``fhir`` (``fhir.resources``, ``lxml``).

The rules read FHIR JSON. XML is parsed by ``fhir.resources`` (its R4B models, whose elements
are those of R4 for every resource the rules read) and written back as FHIR JSON, so both
formats take the same path.
"""

from __future__ import annotations

from typing import Any, Final

from leder_core.errors import InvalidInput
from leder_core.serialization import MAX_DEPTH

__all__ = ["XML_EXTRA", "parse_fhir_xml"]

XML_EXTRA: Final = "fhir"
#: How to add the extra; the package is installed from a checkout, so the hint names no index.
XML_EXTRA_HINT: Final = "from a checkout: python -m pip install -e '.[fhir]'"
_FHIR_NAMESPACE: Final = "http://hl7.org/fhir"


def _path(location: tuple[Any, ...]) -> str:
    path = "$"
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}"
    return path


def parse_fhir_xml(data: bytes | str) -> dict[str, Any]:
    """A FHIR resource or Bundle written in XML, as the FHIR JSON the rules read.

    Needs the optional extra ``fhir``; without it, or for XML that is not a FHIR
    resource, raises :class:`~leder_core.InvalidInput` (messages never quote the content).
    """
    try:
        from fhir.resources.R4B import get_fhir_model_class  # noqa: PLC0415 - optional
        from lxml import etree  # noqa: PLC0415 - optional
        from pydantic import ValidationError  # noqa: PLC0415 - optional
    except ImportError:
        raise InvalidInput(
            [
                (
                    "$",
                    f"reading FHIR XML needs the optional extra '{XML_EXTRA}' ({XML_EXTRA_HINT})",
                )
            ]
        ) from None
    raw = data.encode("utf-8") if isinstance(data, str) else data
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(raw, parser=parser)  # entities and network are off
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else 1
        raise InvalidInput([("$", f"not well-formed XML (line {line})")]) from None
    if _element_depth(root, etree) > MAX_DEPTH:  # deeper than any document the rules read
        raise InvalidInput([("$", f"nested more than {MAX_DEPTH} elements deep")])
    name = etree.QName(root)
    if name.namespace != _FHIR_NAMESPACE:
        raise InvalidInput([("$", "not a FHIR resource: the root is not in the FHIR namespace")])
    try:
        model = get_fhir_model_class(name.localname)
    except (KeyError, ValueError, AttributeError, ImportError):
        raise InvalidInput([("$", "not a FHIR R4 resource type")]) from None
    try:
        resource = model.model_validate_xml(raw)
    except ValidationError as error:
        problems = [
            (_path(tuple(detail.get("loc", ()))), f"not valid FHIR ({detail.get('type')})")
            for detail in error.errors()
        ]
        raise InvalidInput(problems or [("$", "not valid FHIR")]) from None
    except (ValueError, TypeError, etree.LxmlError):
        raise InvalidInput([("$", "not a readable FHIR XML resource")]) from None
    try:
        dumped: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    except (ValueError, TypeError, RecursionError):  # pydantic's own limits: never a crash
        raise InvalidInput([("$", "not a readable FHIR XML resource")]) from None
    return dumped


def _element_depth(root: Any, etree: Any) -> int:
    """How many elements deep the document is, counted without recursion."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest
