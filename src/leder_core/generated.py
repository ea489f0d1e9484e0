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

__all__ = ["compiled"]


def compiled(
    name: str, source: str, namespace: dict[str, Any], *, filename: str | None = None
) -> Callable[..., Any]:
    """The function ``name`` defined by ``source``, whose free names are ``namespace``'s.

    The names are bound as a closure's cells, as a hand-written closure would bind them (a
    cell is read faster than a global). Each distinct source is compiled once: a function of
    the same shape made again (a reason's document maker) only binds its values. The source is
    kept under a file name that says what it is (``filename``, or one made from ``name``), so a
    traceback through it (or a profile) names the function it was generated for.
    """
    body = "".join(f"    {line}\n" for line in source.splitlines())
    outer = f"def make({', '.join(namespace)}):\n{body}    return {name}\n"
    shown_as = filename or f"<leder_core generated {name}>"
    bind = _BINDERS.get((outer, shown_as))
    if bind is None:
        scope: dict[str, Any] = {}
        code = compile(outer, shown_as, "exec")
        exec(code, scope)  # noqa: S102 - source generated here from attrs fields, never from input
        bind = _BINDERS[outer, shown_as] = scope["make"]
    function: Callable[..., Any] = bind(**namespace)
    function.__source__ = source  # type: ignore[attr-defined]
    return function


#: Each generated source's binder (its names in, the function out), by the source: the
#: sources are made from the models' fields, so there are only ever a few dozen.
_BINDERS: dict[tuple[str, str], Callable[..., Any]] = {}
