"""``leder serve``: the rules and the review store over HTTP, for callers in any language.

Needs the ``server`` extra (``pip install 'leder-core[server]'``: Starlette and uvicorn).
:func:`create_app` gives the ASGI application over an open store (any ASGI server can run
it); :func:`serve` is what ``leder serve`` runs. The routes, statuses and problem documents
are described in the docs ("Call the rules over HTTP") and by ``GET /openapi.json``.
"""

from __future__ import annotations

from leder_core.server._app import DEFAULT_MAX_BODY, MAX_DEPTH, create_app
from leder_core.server._openapi import openapi_document
from leder_core.server._run import ServeError, is_loopback, serve
from leder_core.server._tokens import Scope, Tokens, TokensFileError, load_tokens

__all__ = [
    "DEFAULT_MAX_BODY",
    "MAX_DEPTH",
    "Scope",
    "ServeError",
    "Tokens",
    "TokensFileError",
    "create_app",
    "is_loopback",
    "load_tokens",
    "openapi_document",
    "serve",
]
