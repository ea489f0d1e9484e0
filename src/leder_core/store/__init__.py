"""Durable reviews: notifications and their events in SQLite or PostgreSQL, append-only.

A service that records reviews over months, from many people, keeps them here and rebuilds any
review after a restart::

    from leder_core.store import open_store

    with open_store("sqlite:///reviews.db") as store:
        stored = store.open_review(notification_document)
        stored = store.append(
            stored.review.notification.id,
            {"type": "allocated", "on": "2024-03-20", "reviewer": "R-17"},
            expected_version=stored.version,
        )

The rules stay pure: this package is the one part of ``leder_core`` that does I/O, and it calls
the same :func:`~leder_core.load_review` and :func:`~leder_core.apply` as any caller. It stores
only the library's own JSON documents (the notification document, each event document, the
interpretation document), never the clock: ``recorded_at`` is whatever the caller passes.

**Guarantees.** Events are appended, never updated or deleted, and the database itself refuses
it (triggers on both databases). Each event is keyed by ``(review id, version)``: of two writers
that append with the same ``expected_version`` exactly one lands and the other gets
:class:`~leder_core.errors.VersionConflict`; nothing is lost or written twice. SQLite files are
opened in WAL mode with a busy timeout, and a write takes the lock at its start
(``BEGIN IMMEDIATE``). The schema is versioned in the store (``schema_version``): opening a
store made by an earlier release upgrades it.

**Why not the eventsourcing package's recorders.** They were weighed first (eventsourcing 9.5:
SQLite and PostgreSQL recorders with optimistic concurrency on ``(originator_id, version)``)
and not used, for structural reasons: (1) SQLite is the default store and the library's
runtime dependencies are attrs, cattrs and python-dateutil only, so the default could not
depend on eventsourcing, and using it only for PostgreSQL would give two implementations
behind one interface instead of one; (2) its recorders store each event as an opaque ``state``
BLOB with a Python topic, where this store must keep the library's own JSON documents, readable
by any language and exported as they are; (3) they create no triggers, so append-only would
still rest on the code alone, and they keep no ``recorded_by``/``recorded_at`` or notification
row of their own. What is left to write by hand is two tables, four triggers and three queries
per database (``leder_core/store/_schema.py``).
"""

from leder_core.errors import ReviewExists, ReviewNotFound, StoreError, VersionConflict
from leder_core.store._store import (
    ImportRefused,
    ReviewStore,
    StoredEvent,
    StoredReview,
    open_store,
)

__all__ = [
    "ImportRefused",
    "ReviewExists",
    "ReviewNotFound",
    "ReviewStore",
    "StoreError",
    "StoredEvent",
    "StoredReview",
    "VersionConflict",
    "open_store",
]
