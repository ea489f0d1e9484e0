"""Functions compiled from source written at import time, as attrs writes ``__init__``.

The models' constructors, the verdict key of ``assess`` and the fast paths of serialization are
generated from the one definition of each model (its attrs fields, its registry entry) rather
than written out by hand: a field added to a model reaches every one of them without another
edit, and the generated code runs as fast as the same code written by hand would. This module
is the one place such source is compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["binder", "compiled"]


def compiled(
    name: str, source: str, namespace: dict[str, Any], *, filename: str | None = None
) -> Callable[..., Any]:
    """The function ``name`` defined by ``source``, whose free names are ``namespace``'s.

    The names are bound as a closure's cells, as a hand-written closure would bind them (a
    cell is read faster than a global). The source is kept under a file name that says what it
    is (``filename``, or one made from ``name``), so a traceback through it (or a profile)
    names the function it was generated for.
    """
    function: Callable[..., Any] = binder(name, source, tuple(namespace), filename=filename)(
        **namespace
    )
    function.__source__ = source  # type: ignore[attr-defined]
    return function


def binder(
    name: str, source: str, names: tuple[str, ...], *, filename: str | None = None
) -> Callable[..., Callable[..., Any]]:
    """The function that takes values for ``names`` (as keywords, or positionally in that
    order) and returns the function ``name`` of ``source`` with those values bound.

    Each distinct source is compiled once: functions of one shape made again and again (a
    reason's document maker) only bind their values, without writing or compiling anything.
    """
    key = (name, source, names, filename)
    bind = _BINDERS.get(key)
    if bind is None:
        body = "".join(f"    {line}\n" for line in source.splitlines())
        outer = f"def make({', '.join(names)}):\n{body}    return {name}\n"
        scope: dict[str, Any] = {}
        code = compile(outer, filename or f"<leder_core generated {name}>", "exec")
        exec(code, scope)  # noqa: S102 - source generated here from attrs fields, never from input
        bind = _BINDERS[key] = scope["make"]
    return bind


#: Each generated source's binder (its names in, the function out), by the source: the
#: sources are made from the models' fields, so there are only ever a few dozen.
_BINDERS: dict[tuple[str, str, tuple[str, ...], str | None], Callable[..., Any]] = {}
