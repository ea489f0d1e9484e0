"""The store's tables, as numbered migrations for each database.

A store records the number of the last migration applied in ``schema_version``; opening a
store applies every later one, in order, in one transaction, so a store made by an earlier
release is upgraded by a later one. A migration is never edited once released: a change is a
new migration at the end of the list.

1. ``reviews`` (one row per notification: its document, the interpretation it was opened under,
   who recorded it and when) and ``events`` (one row per accepted event, keyed by review id and
   version); the database refuses to update or delete events.
2. The database refuses to update or delete ``reviews`` rows too: a notification and the
   interpretation a review was opened under are as fixed as its events.
"""

from __future__ import annotations

from typing import Final

#: SQLite: JSON documents are TEXT checked by ``json_valid``; times are ISO 8601 text.
SQLITE: Final[tuple[tuple[str, ...], ...]] = (
    (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version (version) VALUES (0)",
        """CREATE TABLE reviews (
            seq INTEGER PRIMARY KEY,
            review_id TEXT NOT NULL UNIQUE,
            notification TEXT NOT NULL CHECK (json_valid(notification)),
            interpretation TEXT CHECK (interpretation IS NULL OR json_valid(interpretation)),
            recorded_by TEXT,
            recorded_at TEXT
        )""",
        """CREATE TABLE events (
            review_id TEXT NOT NULL REFERENCES reviews (review_id),
            version INTEGER NOT NULL CHECK (version >= 1),
            event TEXT NOT NULL CHECK (json_valid(event)),
            recorded_by TEXT,
            recorded_at TEXT,
            PRIMARY KEY (review_id, version)
        ) WITHOUT ROWID""",
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
           BEGIN SELECT RAISE(ABORT, 'leder store: events are append-only'); END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
           BEGIN SELECT RAISE(ABORT, 'leder store: events are append-only'); END""",
    ),
    (
        """CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
           BEGIN SELECT RAISE(ABORT, 'leder store: reviews are append-only'); END""",
        """CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
           BEGIN SELECT RAISE(ABORT, 'leder store: reviews are append-only'); END""",
    ),
)

#: PostgreSQL: JSON documents are ``json`` (kept verbatim, checked); times are ``timestamptz``.
POSTGRES: Final[tuple[tuple[str, ...], ...]] = (
    (
        "CREATE TABLE schema_version (version integer NOT NULL)",
        "INSERT INTO schema_version (version) VALUES (0)",
        """CREATE TABLE reviews (
            seq bigserial NOT NULL UNIQUE,
            review_id text PRIMARY KEY,
            notification json NOT NULL,
            interpretation json,
            recorded_by text,
            recorded_at timestamptz
        )""",
        """CREATE TABLE events (
            review_id text NOT NULL REFERENCES reviews (review_id),
            version integer NOT NULL CHECK (version >= 1),
            event json NOT NULL,
            recorded_by text,
            recorded_at timestamptz,
            PRIMARY KEY (review_id, version)
        )""",
        """CREATE FUNCTION leder_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'leder store: % is append-only', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
           END $$""",
        """CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
           FOR EACH ROW EXECUTE FUNCTION leder_append_only()""",
        """CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
           FOR EACH STATEMENT EXECUTE FUNCTION leder_append_only()""",
    ),
    (
        """CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews
           FOR EACH ROW EXECUTE FUNCTION leder_append_only()""",
        """CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
           FOR EACH STATEMENT EXECUTE FUNCTION leder_append_only()""",
    ),
)

#: The schema version this release writes.
CURRENT: Final = len(SQLITE)
assert len(POSTGRES) == CURRENT  # noqa: S101  # both databases move together
