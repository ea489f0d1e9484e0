"""A real uvicorn server on 127.0.0.1 on a free port, in a thread, over a real store; every
log line it writes is kept in ``LiveServer.log``."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn

from leder_core.server import create_app, load_tokens
from leder_core.server._run import store_kind, uvicorn_config, wall_clock
from leder_core.store import open_store

READ_TOKEN = "read-token-0123456789abcdef"  # noqa: S105 - a test token
WRITE_TOKEN = "write-token-0123456789abcdef"  # noqa: S105 - a test token


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class LiveServer:
    """A running service: its base URL, a client, and the log lines it wrote."""

    def __init__(self, url: str, store_url: str, collect: _Collect) -> None:
        self.url = url
        self.store_url = store_url
        self._collect = collect
        self.client = httpx.Client(base_url=url, timeout=30)

    @property
    def log(self) -> list[str]:
        return list(self._collect.lines)

    def log_after(self, text: str, seconds: float = 10) -> list[str]:
        """The log once a line holds ``text``: a request is logged just after it is answered."""
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self._collect.lines):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        return self.log

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, path, **kwargs)


#: How long a test server's shutdown may wait for its clients' connections to close.
GRACE_SECONDS = 1


def start_server(
    store_url: str, *, tokens: str | None = None, max_body: int = 1 << 20
) -> Iterator[LiveServer]:
    collect = _Collect()
    collect.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(name) for name in ("leder_core.server", "uvicorn")]
    for logger in loggers:
        logger.addHandler(collect)
        logger.setLevel(logging.INFO)
    with open_store(store_url) as store:
        app = create_app(
            store,
            store_kind=store_kind(store_url),
            clock=wall_clock,
            tokens=None if tokens is None else load_tokens(tokens),
            max_body=max_body,
        )
        server = uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=0))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        live = LiveServer(f"http://127.0.0.1:{port}", store_url, collect)
        try:
            yield live
        finally:
            live.client.close()
            # A client socket a test dropped without closing keeps its connection open until
            # the collector frees it, and the server's shutdown waits for every connection
            # (30 s at the end of a test worker): collected first, it is closed now.
            gc.collect()
            server.should_exit = True
            thread.join(timeout=GRACE_SECONDS)
            server.force_exit = True  # past the grace, stop without waiting for connections
            thread.join(timeout=GRACE_SECONDS)
            for logger in loggers:
                logger.removeHandler(collect)
