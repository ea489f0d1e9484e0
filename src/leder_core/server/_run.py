"""``leder serve``: open the store, check the settings, run uvicorn until stopped."""

from __future__ import annotations

import ipaddress
import logging
import sys
from datetime import UTC, datetime
from typing import Final

import uvicorn

from leder_core.server._app import DEFAULT_MAX_BODY, create_app
from leder_core.server._tokens import TokensFileError, load_tokens
from leder_core.store import open_store

__all__ = ["ServeError", "is_loopback", "serve", "store_kind", "wall_clock"]

_LOG_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ServeError(Exception):
    """A setting ``leder serve`` cannot run with (exit code 2); the message says which."""


def wall_clock() -> datetime:
    """The time now, aware (UTC): what ``leder serve`` stamps as ``recorded_at`` on what it
    stores. The one clock the service reads, at its edge, handed to the application."""
    return datetime.now(UTC)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (``127.0.0.1``, ``::1``, ``localhost``).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def store_kind(url: str) -> str:
    """What ``/health`` says the store is: ``postgresql`` or ``sqlite``."""
    return "postgresql" if url.startswith(("postgresql:", "postgres:")) else "sqlite"


def configure_logging() -> None:
    """The service's own log lines (access and errors) to stderr, once."""
    for name in ("leder_core.server", "uvicorn"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(_LOG_FORMAT))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def uvicorn_config(app: object, *, host: str, port: int) -> uvicorn.Config:
    """uvicorn with its own access log off (it would print the raw path, a review id)."""
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
    )
    # uvicorn decides per connection from whether the logger has handlers, which a logging
    # set-up elsewhere (a root handler) may give it: disable it outright.
    logging.getLogger("uvicorn.access").disabled = True
    return config


def serve(
    store_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    tokens_file: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> None:
    """Run the service until it is stopped: Ctrl-C (SIGINT) returns, SIGTERM ends the process
    as the signal does, both after the requests under way are answered.

    Raises :class:`ServeError` for settings it cannot run with: no tokens on a non-loopback
    address, a malformed tokens file, a bad ``max_body``, an address it cannot listen on.
    Raises :class:`~leder_core.InvalidInput` for a store URL it cannot open.
    """
    if max_body < 1:
        raise ServeError("--max-body must be at least 1 byte")
    if not 0 <= port <= 65535:
        raise ServeError("--port must be 0 to 65535")
    tokens = None
    if tokens_file is not None:
        try:
            tokens = load_tokens(tokens_file)
        except TokensFileError as error:
            raise ServeError(str(error)) from None
    elif not is_loopback(host):
        raise ServeError(
            f"without --tokens the service listens only on a loopback address (127.0.0.1, "
            f"::1), not {host}: give --tokens FILE to serve other machines"
        )
    configure_logging()
    with open_store(store_url) as store:
        app = create_app(
            store,
            store_kind=store_kind(store_url),
            clock=wall_clock,
            tokens=tokens,
            max_body=max_body,
        )
        server = uvicorn.Server(uvicorn_config(app, host=host, port=port))
        try:
            server.run()
        except KeyboardInterrupt:  # uvicorn stopped on Ctrl-C, then raised it again
            return
        except SystemExit:  # uvicorn exits when it cannot bind
            raise ServeError(f"cannot listen on {host}:{port}") from None
        if not server.started:
            raise ServeError(f"cannot listen on {host}:{port}")
