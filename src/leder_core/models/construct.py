"""Positional constructors for the frozen models the rules build in bulk.

An attrs frozen class's ``__init__`` takes keywords and sets each field through
``object.__setattr__``; building millions of audit entries and assessments that way costs a
noticeable share of bulk assessment and replay. :func:`constructor` gives a function that takes
the fields in order and sets each slot directly: the object is the same in every respect
(type, fields, equality, hash, repr) as the one the class's own ``__init__`` would build.

It does so only for a class whose ``__init__`` does nothing but set its fields: slotted, with
no validator, converter, factory-only field, pre- or post-init hook, or hidden slot (such as a
cached hash) to fill. For any other class it returns a function that calls the class itself,
so a validator added to a model later is never skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from leder_core.generated import compiled

__all__ = ["constructor", "is_plain", "replacer"]

_T = TypeVar("_T")

# Slots an attrs class may have that its __init__ does not set.
_UNSET_SLOTS = frozenset({"__weakref__"})


def is_plain(cls: type[Any]) -> bool:
    """Whether ``cls.__init__`` only sets every field, in order, from its arguments."""
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        return False
    fields = attrs.fields(cls)
    if any(
        field.validator is not None
        or field.converter is not None
        or not field.init
        or field.alias != field.name
        for field in fields
    ):
        return False
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return False
    slots: set[str] = set()
    for klass in cls.__mro__:
        slots.update(getattr(klass, "__slots__", ()))
    return slots - _UNSET_SLOTS == {field.name for field in fields}


def constructor(cls: type[_T]) -> Callable[..., _T]:
    """A function taking ``cls``'s fields positionally, in definition order, and returning
    the instance ``cls(**fields)`` would.

    For a plain class its source is generated from the fields, as attrs generates
    ``__init__``: one line setting each slot through the slot's own setter, written out (a call
    that sets eleven slots in line costs about half a loop's).
    """
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    arguments = [f"v{number}" for number in range(len(names))]
    return _generated(cls, "constructor", arguments, arguments)


def replacer(cls: type[_T], names: tuple[str, ...]) -> Callable[..., _T]:
    """A function ``(instance, *values)`` returning ``attrs.evolve(instance, **dict(zip(names,
    values)))``: the fields ``names`` given in that order, every other field the instance's.

    Generated from ``cls``'s fields as :func:`constructor` is, so a field added to the class
    is copied without another edit.
    """
    fields = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    unknown = set(names) - set(fields)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    values = [name if name in names else f"instance.{name}" for name in fields]
    return _generated(cls, "replacer", ["instance", *names], values)


def _generated(
    cls: type[_T], what: str, parameters: list[str], values: list[str]
) -> Callable[..., _T]:
    """A function of ``parameters`` building ``cls`` from ``values``, one expression of them
    for each field in order: slot by slot for a plain class, else by its own ``__init__``."""
    fields = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    if is_plain(cls):
        cells = {f"set{number}": getattr(cls, name).__set__ for number, name in enumerate(fields)}
        body = [
            "    instance_ = new(cls)",
            *(f"    set{number}(instance_, {value})" for number, value in enumerate(values)),
            "    return instance_",
        ]
    else:
        cells = {}
        aliases = [field.alias for field in attrs.fields(cls)]  # type: ignore[arg-type]
        keywords = ", ".join(
            f"{alias}={value}" for alias, value in zip(aliases, values, strict=True)
        )
        body = [f"    return cls({keywords})"]
    lines = [f"def build({', '.join(parameters)}):", *body]
    build: Callable[..., _T] = compiled(
        "build",
        "\n".join(lines) + "\n",
        {"new": object.__new__, "cls": cls, **cells},  # each slot's setter, bound as a cell
        filename=f"<leder_core {what} of {cls.__name__}>",
    )
    build.__doc__ = f"A {cls.__name__} from its fields (see {__name__}.{what})."
    return build
