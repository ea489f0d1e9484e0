"""The two databases behind :class:`~leder_core.store.ReviewStore`: connection, transactions,
migrations. Everything above this module is the same SQL for both (written with ``?``
placeholders) and the same Python.
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import unquote

from leder_core.errors import InvalidInput, StoreError
from leder_core.store import _schema

#: How long a writer waits for another's lock before giving up (SQLite's busy timeout).
BUSY_SECONDS = 30.0
#: Rows fetched at a time when streaming.
BATCH = 2000


class Cursor(Protocol):
    """What the store needs of a DB-API cursor."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Database(ABC):
    """One open database: transactions, streaming and the schema."""

    #: The exceptions a unique-key violation raises (a version or id already stored).
    unique_violation: tuple[type[BaseException], ...]
    #: Every exception the driver raises.
    driver_error: tuple[type[BaseException], ...]
    #: SQL for a JSON column read back as its text.
    json_text: str = "{}"
    #: Whether the database joins a review's event texts in order (``string_agg``), so a
    #: review streams as one row.
    aggregates: bool = False

    def __init__(self) -> None:
        self.lock = threading.RLock()

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement (``?`` placeholders) inside the current transaction."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row inside the current transaction."""

    @abstractmethod
    @contextmanager
    def write(self) -> Iterator[None]:
        """A transaction that holds the right to write from its start (or its first insert)."""

    @abstractmethod
    @contextmanager
    def read(self) -> Iterator[None]:
        """A transaction that sees one consistent state."""

    @abstractmethod
    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, fetched a batch at a time."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection(s)."""

    @abstractmethod
    def settle(self) -> None:
        """After a bulk write (an import): leave the database quick to read."""

    @abstractmethod
    def time_in(self, moment: datetime | None) -> Any:
        """A ``recorded_at`` as the database stores it."""

    @abstractmethod
    def time_out(self, value: Any) -> datetime | None:
        """A stored ``recorded_at`` back as an aware datetime."""

    @abstractmethod
    def _migrations(self) -> Sequence[Sequence[str]]: ...

    @abstractmethod
    def _lock_schema(self) -> None:
        """Inside a write transaction: make other openers wait while this one migrates."""

    def schema_version(self) -> int:
        """The number of the last migration applied (0 for an empty database)."""
        if not self._has_schema_table():
            return 0
        row = self.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0])

    @abstractmethod
    def _has_schema_table(self) -> bool: ...

    def migrate(self, *, up_to: int | None = None) -> None:
        """Apply every migration after the stored schema version (up to ``up_to``)."""
        migrations = self._migrations()
        target = len(migrations) if up_to is None else up_to
        with self.lock, self.write():
            self._lock_schema()
            version = self.schema_version()
            if version > len(migrations):
                raise StoreError(
                    f"this store has schema version {version}, newer than this release "
                    f"of leder_core knows ({len(migrations)}): upgrade leder_core"
                )
            for number in range(version + 1, target + 1):
                for statement in migrations[number - 1]:
                    self.execute(statement)
                self.execute("UPDATE schema_version SET version = ?", (number,))


class SQLiteDatabase(Database):
    """The standard library's ``sqlite3``: a file in WAL mode, or memory."""

    unique_violation = (sqlite3.IntegrityError,)
    driver_error = (sqlite3.Error,)

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        try:
            self.connection = sqlite3.connect(
                path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            if path != ":memory:":
                self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise StoreError("could not open the SQLite database") from error

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    @contextmanager
    def write(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once: two writers queue (busy timeout) instead of
        # both reading and one failing on upgrade to a writer.
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[None]:
        self.connection.execute("BEGIN")
        try:
            yield
        finally:
            self.connection.execute("COMMIT")

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        # A separate cursor outside any explicit transaction: SQLite keeps one read snapshot
        # for the statement until it is exhausted.
        with self.lock:
            cursor = self.connection.execute(sql, params)
        try:
            while True:
                with self.lock:
                    rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield from rows
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()

    def settle(self) -> None:
        # Copy the write-ahead log into the database file: until then every read looks pages
        # up in the log, which a large import makes slow (several times slower, measured).
        if self.path != ":memory:":
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def time_in(self, moment: datetime | None) -> Any:
        return None if moment is None else moment.isoformat()

    def time_out(self, value: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)

    def _migrations(self) -> Sequence[Sequence[str]]:
        return _schema.SQLITE

    def _lock_schema(self) -> None:
        """BEGIN IMMEDIATE already holds the only write lock."""

    def _has_schema_table(self) -> bool:
        row = self.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        return bool(row[0])


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3 (the ``postgres`` extra)."""

    json_text = "{}::text"
    aggregates = True

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg  # noqa: PLC0415  # optional: only a PostgreSQL store needs it
        except ImportError:
            raise StoreError(
                "a PostgreSQL store needs psycopg 3: pip install 'leder-core[postgres]'"
            ) from None
        self._psycopg = psycopg
        self.url = url
        self.unique_violation = (psycopg.errors.UniqueViolation,)
        self.driver_error = (psycopg.Error,)
        self.connection = self._connect()

    def _connect(self) -> Any:
        try:
            connection = self._psycopg.connect(self.url, autocommit=True)
            connection.execute("SET TIME ZONE 'UTC'")
        except self._psycopg.Error as error:
            # The message may hold the URL's password: say only what failed.
            raise StoreError("could not connect to the PostgreSQL database") from error
        return connection

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        # Without parameters the statement is sent as written (a PL/pgSQL body keeps its %).
        cursor: Cursor = (
            self.connection.execute(self._sql(sql), params)
            if params
            else self.connection.execute(sql)
        )
        return cursor

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    @contextmanager
    def write(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        # Its own connection and a server-side cursor: memory stays flat, and the caller may
        # append while it reads.
        connection = self._connect()
        try:
            with connection.transaction(), connection.cursor(name="leder_stream") as cursor:
                cursor.itersize = BATCH
                cursor.execute(self._sql(sql), params)
                yield from cursor
        finally:
            connection.close()

    def close(self) -> None:
        self.connection.close()

    def settle(self) -> None:
        # Fresh statistics for the planner after many rows arrived at once.
        self.connection.execute("ANALYZE reviews")
        self.connection.execute("ANALYZE events")

    def time_in(self, moment: datetime | None) -> Any:
        return moment

    def time_out(self, value: Any) -> datetime | None:
        return value  # type: ignore[no-any-return]  # timestamptz: aware, in UTC

    def _migrations(self) -> Sequence[Sequence[str]]:
        return _schema.POSTGRES

    def _lock_schema(self) -> None:
        # One opener migrates at a time (released at the end of the transaction).
        self.execute("SELECT pg_advisory_xact_lock(2020062400)")

    def _has_schema_table(self) -> bool:
        row = self.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        return bool(row[0])


def connect(url: object) -> Database:
    """The database a store URL names (see :func:`leder_core.store.open_store`)."""
    if not isinstance(url, str):
        raise InvalidInput([("$.url", "expected a store URL (a string)")])
    if url == "sqlite://":
        return SQLiteDatabase(":memory:")
    if url.startswith("sqlite:///"):
        path = unquote(url.removeprefix("sqlite:///").split("?", 1)[0])
        if not path:
            raise InvalidInput([("$.url", "expected a database file after sqlite:///")])
        return SQLiteDatabase(path)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    # The URL is not echoed: it may carry a password.
    raise InvalidInput(
        [
            (
                "$.url",
                "expected sqlite:///relative.db, sqlite:////absolute.db, sqlite:// or postgresql://…",
            )
        ]
    )
