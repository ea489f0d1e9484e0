"""Reading the elements of parsed FHIR JSON, each checked for its type.

An element of the wrong type is never a crash: :class:`ElementReader` records a problem at its
JSON path and reads on, so that every problem of a record is listed at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeGuard

__all__ = ["ElementReader", "Problems", "is_list", "is_object", "reference_of"]

#: ``(path, message)`` pairs, in the order they were found.
Problems = list[tuple[str, str]]


def is_list(value: object) -> TypeGuard[Sequence[Any]]:
    """Whether a value is a JSON array (any sequence but text)."""
    if type(value) is list:  # parsed JSON: the quick answer
        return True
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def is_object(value: object) -> TypeGuard[Mapping[str, Any]]:
    """Whether a value is a JSON object."""
    return type(value) is dict or isinstance(value, Mapping)


def reference_of(value: object) -> str | None:
    """The ``reference`` of a Reference element, when it is a string."""
    if isinstance(value, Mapping):
        reference = value.get("reference")
        if isinstance(reference, str):
            return reference
    return None


class ElementReader:
    """Reads elements of parsed JSON, recording a problem for each of the wrong type."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def string(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        """The string at ``key``, or None (absent, or a problem when not a string)."""
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append((f"{path}.{key}", "expected a string"))
            return None
        return value

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        """The object at ``key``, or None (absent, or a problem when not an object)."""
        value = obj.get(key)
        if value is None:
            return None
        if not is_object(value):
            self.problems.append((f"{path}.{key}", "expected an object"))
            return None
        return value

    def objects(
        self, obj: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """``(path, object)`` of each object of the array at ``key`` (others are problems)."""
        value = obj.get(key)
        if value is None:
            return
        if not is_list(value):
            self.problems.append((f"{path}.{key}", "expected an array"))
            return
        for index, item in enumerate(value):
            item_path = f"{path}.{key}[{index}]"
            if not is_object(item):
                self.problems.append((item_path, "expected an object"))
                continue
            yield item_path, item

    def codings(
        self, obj: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, str | None, str | None]]:
        """``(path, system, code)`` of each coding of the CodeableConcept at ``key``."""
        concept = self.mapping(obj, key, path)
        if concept is None:
            return
        for coding_path, coding in self.objects(concept, "coding", f"{path}.{key}"):
            yield (
                coding_path,
                self.string(coding, "system", coding_path),
                self.string(coding, "code", coding_path),
            )

    def extension_codings(
        self, obj: Mapping[str, Any], path: str, url: str, part: str
    ) -> Iterator[tuple[str, str, str | None, str | None]]:
        """``(extension path, coding path, system, code)`` of each coding of the
        ``valueCodeableConcept`` of sub-extension ``part`` of every extension ``url``."""
        for extension_path, extension in self.objects(obj, "extension", path):
            if extension.get("url") != url:
                continue
            for sub_path, sub in self.objects(extension, "extension", extension_path):
                if sub.get("url") != part:
                    continue
                for coding_path, system, code in self.codings(
                    sub, "valueCodeableConcept", sub_path
                ):
                    yield extension_path, coding_path, system, code
