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

__all__ = ["constructor"]

_T = TypeVar("_T")

# Slots an attrs class may have that its __init__ does not set.
_UNSET_SLOTS = frozenset({"__weakref__"})


def _plain(cls: type[Any]) -> bool:
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
    the instance ``cls(**fields)`` would."""
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    if not _plain(cls):

        def by_keywords(*values: Any) -> _T:
            return cls(**dict(zip(names, values, strict=True)))

        return by_keywords
    setters = tuple(getattr(cls, name).__set__ for name in names)  # each field's slot
    written_out = _WRITTEN_OUT.get(len(setters))
    if written_out is not None:
        build = written_out(cls, setters)
    else:
        new = object.__new__

        def build(*values: Any) -> _T:
            instance: _T = new(cls)
            for set_slot, value in zip(setters, values, strict=True):
                set_slot(instance, value)
            return instance

    build.__doc__ = f"A {cls.__name__} from its fields in order (see leder_core.models._construct)."
    return build


# The same loop written out, for the numbers of fields of the models built in bulk (audit
# entries and notifications 6, people and assessments 11, reviews 14): a call that sets eleven
# slots in line costs about half the loop's. Any other number of fields takes the loop.
_Setter = Callable[[Any, Any], None]
_Builder = Callable[..., Any]


def _five(cls: type[Any], setters: tuple[_Setter, ...]) -> _Builder:
    s0, s1, s2, s3, s4 = setters
    new = object.__new__

    def build(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any) -> Any:
        instance = new(cls)
        s0(instance, v0)
        s1(instance, v1)
        s2(instance, v2)
        s3(instance, v3)
        s4(instance, v4)
        return instance

    return build


def _six(cls: type[Any], setters: tuple[_Setter, ...]) -> _Builder:
    s0, s1, s2, s3, s4, s5 = setters
    new = object.__new__

    def build(v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any) -> Any:  # noqa: PLR0917
        instance = new(cls)
        s0(instance, v0)
        s1(instance, v1)
        s2(instance, v2)
        s3(instance, v3)
        s4(instance, v4)
        s5(instance, v5)
        return instance

    return build


def _eleven(cls: type[Any], setters: tuple[_Setter, ...]) -> _Builder:
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 = setters
    new = object.__new__

    def build(  # noqa: PLR0917 - the fields in order, as the class's own __init__
        v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any, v7: Any, v8: Any,
        v9: Any, v10: Any,
    ) -> Any:  # fmt: skip
        instance = new(cls)
        s0(instance, v0)
        s1(instance, v1)
        s2(instance, v2)
        s3(instance, v3)
        s4(instance, v4)
        s5(instance, v5)
        s6(instance, v6)
        s7(instance, v7)
        s8(instance, v8)
        s9(instance, v9)
        s10(instance, v10)
        return instance

    return build


def _fourteen(cls: type[Any], setters: tuple[_Setter, ...]) -> _Builder:
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13 = setters
    new = object.__new__

    def build(  # noqa: PLR0917 - the fields in order, as the class's own __init__
        v0: Any, v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any, v7: Any, v8: Any,
        v9: Any, v10: Any, v11: Any, v12: Any, v13: Any,
    ) -> Any:  # fmt: skip
        instance = new(cls)
        s0(instance, v0)
        s1(instance, v1)
        s2(instance, v2)
        s3(instance, v3)
        s4(instance, v4)
        s5(instance, v5)
        s6(instance, v6)
        s7(instance, v7)
        s8(instance, v8)
        s9(instance, v9)
        s10(instance, v10)
        s11(instance, v11)
        s12(instance, v12)
        s13(instance, v13)
        return instance

    return build


_WRITTEN_OUT: dict[int, Callable[[type[Any], tuple[_Setter, ...]], _Builder]] = {
    5: _five,
    6: _six,
    11: _eleven,
    14: _fourteen,
}
