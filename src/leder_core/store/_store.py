"""The review store: one class over either database (:mod:`leder_core.store._database`)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any, Final

import attrs

from leder_core.api import apply, load_review
from leder_core.errors import (
    InvalidInput,
    ReviewExists,
    ReviewNotFound,
    StoreError,
    TransitionRefused,
    VersionConflict,
)
from leder_core.interpretation import Interpretation
from leder_core.models.notification import Notification
from leder_core.models.review import EVENT_CLASSES, Event, Review
from leder_core.serialization import (
    coerce_interpretation,
    dump,
    load_event,
    load_notification,
)
from leder_core.store._database import Database, connect

__all__ = ["ImportRefused", "ReviewStore", "StoredEvent", "StoredReview", "open_store"]

_compact: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_EVENT_MODELS: Final = tuple(EVENT_CLASSES.values())
#: Rebuilt reviews kept per store, most recently used last (events never change, so a review
#: rebuilt at version v stays right for version v).
_CACHE_SIZE: Final = 4096
_RECORDED_BY_MAX: Final = 64


@attrs.frozen(kw_only=True)
class StoredReview:
    """A review as stored: the rebuilt review, how many events are stored, and the
    interpretation it was opened under (``None``: none was given, the rulebook's defaults)."""

    review: Review
    version: int
    interpretation: Interpretation | None


@attrs.frozen(kw_only=True)
class StoredEvent:
    """One stored event: its version (1, 2, …), the event, and who recorded it when (as the
    caller said; the store never reads the clock)."""

    version: int
    event: Event
    recorded_by: str | None
    recorded_at: datetime | None


class ImportRefused(TransitionRefused):
    """An imported review document has an event the workflow refuses on replay.

    ``document`` is the document's 0-based position in the input, ``index`` the event's
    position in the document; nothing was imported.
    """

    document: int
    index: int

    def __init__(self, event_type: str, reasons: Any, *, document: int, index: int) -> None:
        super().__init__(event_type, reasons)
        self.document = document
        self.index = index


def _recorded_problems(recorded_by: object, recorded_at: object) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if recorded_by is not None and (
        not isinstance(recorded_by, str)
        or not recorded_by.strip()
        or len(recorded_by) > _RECORDED_BY_MAX
        or not recorded_by.isprintable()
    ):
        problems.append(("$.recorded_by", "expected None or 1 to 64 printable characters"))
    if recorded_at is not None and (
        not isinstance(recorded_at, datetime) or recorded_at.utcoffset() is None
    ):
        problems.append(("$.recorded_at", "expected None or a datetime with a UTC offset"))
    return problems


def _event_of(event: object) -> Event:
    """The event as a model (a document is loaded; a model is checked by ``apply`` as its
    document would be, so whatever is accepted dumps to a document that loads again)."""
    if isinstance(event, Mapping):
        return load_event(event)
    if isinstance(event, _EVENT_MODELS):
        return event
    raise InvalidInput([("$", "expected an event model or an event document")])


def _review_text(notification: str, events: Iterable[str]) -> str:
    """A ``leder.review/1`` document written from the stored texts, without re-encoding."""
    return '{"notification":' + notification + ',"events":[' + ",".join(events) + "]}"


class ReviewStore:
    """Notifications and their events in a database, append-only; see :mod:`leder_core.store`.

    Make one with :func:`open_store`; use it as a context manager (or call :meth:`close`). One
    store may be shared by the threads of a process (calls are serialised); processes each
    open their own.
    """

    def __init__(self, database: Any) -> None:
        # Any: the database classes are internal (``_database``); open_store makes them.
        self._db: Database = database
        #: review id -> (version, review rebuilt at it, the interpretation it was opened under)
        self._cache: OrderedDict[str, tuple[int, Review, Interpretation | None]] = OrderedDict()
        self._interpretations: dict[str, Interpretation] = {}
        text = database.json_text.format
        self._select_review = (
            f"SELECT {text('r.notification')}, {text('r.interpretation')}, {text('e.event')} "  # noqa: S608  # our own column names only
            "FROM reviews r LEFT JOIN events e ON e.review_id = r.review_id "
            "WHERE r.review_id = ? ORDER BY e.version"
        )
        self._select_version = "SELECT count(*) FROM events WHERE review_id = ?"

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    @property
    def schema_version(self) -> int:
        """The store's schema version (the number of migrations applied)."""
        with self._guard(), self._db.read():
            return self._db.schema_version()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Hold the connection; a driver error becomes a :class:`StoreError` that says only
        what kind of error it was (a driver's text may quote stored values)."""
        with self._db.lock:
            try:
                yield
            except self._db.driver_error as error:
                raise StoreError(f"the database failed: {type(error).__name__}") from error

    # -- writing --------------------------------------------------------------------------

    def open_review(
        self,
        notification: Notification | Mapping[str, Any],
        *,
        interpretation: Interpretation | Mapping[str, Any] | None = None,
        recorded_by: str | None = None,
        recorded_at: datetime | None = None,
    ) -> StoredReview:
        """Store a notification (model or document) as a new review at version 0, opened under
        ``interpretation``. Raises :class:`~leder_core.InvalidInput` for a bad notification,
        interpretation or ``recorded_*`` value, :class:`~leder_core.errors.ReviewExists` when
        its id is stored already."""
        problems = _recorded_problems(recorded_by, recorded_at)
        if problems:
            raise InvalidInput(problems)
        if isinstance(notification, Notification):
            try:  # a model is checked as its document
                notification = dump(notification)
            except (TypeError, ValueError, AttributeError):
                problem = ("$", "the notification model holds a value no document can")
                raise InvalidInput([problem]) from None
        model = load_notification(notification)
        chosen = None if interpretation is None else coerce_interpretation(interpretation)
        document = dump(model)
        review = load_review({"notification": document, "events": []}, interpretation=chosen)
        chosen_text = None if chosen is None else _compact(dump(chosen))
        with self._guard():
            try:
                with self._db.write():
                    self._db.execute(
                        "INSERT INTO reviews (review_id, notification, interpretation, "
                        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                        (
                            model.id,
                            _compact(document),
                            chosen_text,
                            recorded_by,
                            self._db.time_in(recorded_at),
                        ),
                    )
            except self._db.unique_violation:
                raise ReviewExists(model.id) from None
        self._remember(model.id, 0, review, chosen)
        return StoredReview(review=review, version=0, interpretation=chosen)

    def append(
        self,
        review_id: str,
        event: Event | Mapping[str, Any],
        *,
        expected_version: int,
        recorded_by: str | None = None,
        recorded_at: datetime | None = None,
    ) -> StoredReview:
        """Check one event against the review and store it as version ``expected_version + 1``,
        atomically.

        Raises :class:`~leder_core.errors.VersionConflict` (``.current``: the stored version)
        when the review has another version than ``expected_version``,
        :class:`~leder_core.errors.ReviewNotFound` for an unknown id, and
        :class:`~leder_core.TransitionRefused` or :class:`~leder_core.InvalidInput` from the
        rules; in every one of those cases nothing is stored.
        """
        problems = _recorded_problems(recorded_by, recorded_at)
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            problems.append(("$.expected_version", "expected a whole number"))
        elif expected_version < 0:
            problems.append(("$.expected_version", "must not be negative"))
        if problems:
            raise InvalidInput(problems)
        model = _event_of(event)
        with self._guard():
            try:
                with self._db.write():
                    current, review, chosen = self._current(review_id, expected=expected_version)
                    updated = apply(review, model)
                    event_document = dump(model)
                    self._db.execute(
                        "INSERT INTO events (review_id, version, event, recorded_by, "
                        "recorded_at) VALUES (?, ?, ?, ?, ?)",
                        (
                            review_id,
                            current + 1,
                            _compact(event_document),
                            recorded_by,
                            self._db.time_in(recorded_at),
                        ),
                    )
            except self._db.unique_violation:
                # Another writer stored this version between our read and our insert.
                with self._db.read():
                    now = self._version(review_id)
                raise VersionConflict(review_id, expected=expected_version, current=now) from None
        self._remember(review_id, current + 1, updated, chosen)
        return StoredReview(review=updated, version=current + 1, interpretation=chosen)

    # -- reading --------------------------------------------------------------------------

    def get(self, review_id: str) -> StoredReview:
        """The review rebuilt (with :func:`~leder_core.load_review`) from what is stored.

        Raises :class:`~leder_core.errors.ReviewNotFound` when no review has this id.
        """
        with self._guard():  # one statement: one consistent state, no transaction needed
            version, review, chosen = self._current(review_id)
        return StoredReview(review=review, version=version, interpretation=chosen)

    def history(self, review_id: str) -> list[StoredEvent]:
        """The review's stored events in the order recorded (versions 1, 2, …)."""
        with self._guard(), self._db.read():
            self._head(review_id)
            rows = self._db.execute(
                "SELECT version, "  # noqa: S608  # our own column names only
                + self._db.json_text.format("event")
                + ", recorded_by, recorded_at FROM events WHERE review_id = ? ORDER BY version",
                (review_id,),
            ).fetchall()
        return [
            StoredEvent(
                version=int(version),
                event=load_event(json.loads(text)),
                recorded_by=recorded_by,
                recorded_at=self._db.time_out(recorded_at),
            )
            for version, text, recorded_by, recorded_at in rows
        ]

    def reviews(self) -> Iterator[Review]:
        """Every stored review, rebuilt one at a time in the order opened (for
        :func:`~leder_core.indicators`): memory stays flat however many are stored."""
        for _, text, interpretation in self._stored_texts():
            yield load_review(json.loads(text), interpretation=interpretation)

    def export(self) -> Iterator[dict[str, Any]]:
        """Every stored review as a ``leder.review/1`` document, in the order opened: its
        notification, its events in the order recorded and, when it was opened with one, its
        interpretation (``leder store export``)."""
        for _, text, interpretation in self._stored_texts():
            document: dict[str, Any] = {"schema": "leder.review/1", **json.loads(text)}
            if interpretation is not None:
                document["interpretation"] = dump(interpretation)
            yield document

    def import_reviews(
        self,
        documents: Iterable[object],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Store review documents (``leder.review/1``, each with its own interpretation if it
        has one), all or nothing; return how many.

        Every document is checked before anything is kept. Raises, in this order:
        :class:`~leder_core.InvalidInput` listing the problems of every bad document (paths
        prefixed ``$[position]``); :class:`ImportRefused` for the first document with an event
        the workflow refuses; :class:`~leder_core.errors.ReviewExists` naming the positions of
        every document whose id is stored already or repeated. ``progress`` is called with the
        count of documents read, every thousand.
        """
        problems: list[tuple[str, str]] = []
        refused: ImportRefused | None = None
        taken: list[int] = []
        seen: set[str] = set()
        count = 0
        with self._guard():
            try:
                with self._db.write():
                    for position, item in enumerate(documents):
                        count = position + 1
                        if progress is not None and count % 1000 == 0:
                            progress(count)
                        try:
                            prepared = self._prepared(item)
                        except InvalidInput as error:
                            problems += error.prefixed(f"$[{position}]").problems
                            continue
                        review, rows = prepared
                        if review.refused is not None:
                            if refused is None:
                                refused = ImportRefused(
                                    review.refused.event.type.value,
                                    review.refused.reasons,
                                    document=position,
                                    index=review.refused.index,
                                )
                            continue
                        if problems or refused is not None:
                            continue  # only checking from here on
                        review_id = review.notification.id
                        if review_id in seen or not self._insert_review(rows):
                            taken.append(position)
                            continue
                        seen.add(review_id)
                    _refuse_import(problems, refused, taken)
            except self._db.unique_violation:  # pragma: no cover  # checked row by row above
                raise ReviewExists(documents=taken) from None
            self._db.settle()
        self._cache.clear()
        return count

    # -- inside ---------------------------------------------------------------------------

    def _prepared(self, item: object) -> tuple[Review, tuple[Any, ...]]:
        """A review document checked and replayed, with the rows that would store it."""
        if not isinstance(item, Mapping):
            raise InvalidInput([("$", "expected a review document (an object)")])
        body = dict(item)
        given = body.pop("interpretation", None)
        chosen: Interpretation | None = None
        if given is not None:
            try:
                chosen = coerce_interpretation(given)
            except InvalidInput as error:
                raise error.prefixed("$.interpretation") from None
        review = load_review(body, interpretation=chosen)
        notification = dump(review.notification)
        events = [_compact(dump(event)) for event in _recorded_events(body)]
        chosen_text = None if chosen is None else _compact(dump(chosen))
        return review, (review.notification.id, _compact(notification), chosen_text, events)

    def _insert_review(self, rows: tuple[Any, ...]) -> bool:
        """Insert a prepared review and its events; False (nothing written) when its id is
        stored already."""
        review_id, notification, chosen_text, events = rows
        inserted = self._db.execute(
            "INSERT INTO reviews (review_id, notification, interpretation) VALUES (?, ?, ?) "
            "ON CONFLICT (review_id) DO NOTHING",
            (review_id, notification, chosen_text),
        ).rowcount
        if inserted != 1:
            return False
        if events:
            self._db.executemany(
                "INSERT INTO events (review_id, version, event) VALUES (?, ?, ?)",
                [(review_id, version, text) for version, text in enumerate(events, start=1)],
            )
        return True

    def _interpretation(self, text: str | None) -> Interpretation | None:
        if text is None:
            return None
        found = self._interpretations.get(text)
        if found is None:
            found = self._interpretations[text] = coerce_interpretation(json.loads(text))
        return found

    def _head(self, review_id: str) -> tuple[str, Interpretation | None, int]:
        """The stored notification text, interpretation and version of a review."""
        if not isinstance(review_id, str):
            raise ReviewNotFound(str(review_id))
        row = self._db.execute(
            "SELECT "  # noqa: S608  # our own column names only
            + self._db.json_text.format("notification")
            + ", "
            + self._db.json_text.format("interpretation")
            + ", (SELECT coalesce(max(version), 0) FROM events WHERE review_id = ?) "
            "FROM reviews WHERE review_id = ?",
            (review_id, review_id),
        ).fetchone()
        if row is None:
            raise ReviewNotFound(review_id)
        return row[0], self._interpretation(row[1]), int(row[2])

    def _version(self, review_id: str) -> int:
        return self._head(review_id)[2]

    def _current(
        self, review_id: str, *, expected: int | None = None
    ) -> tuple[int, Review, Interpretation | None]:
        """The stored version of a review and the review rebuilt at it: from the cache when
        this store rebuilt or wrote that version before (one query for the version), else read
        in one query and replayed. With ``expected``, a different version raises
        :class:`VersionConflict` before any replay."""
        if not isinstance(review_id, str):
            raise ReviewNotFound(str(review_id))
        cached = self._cache.get(review_id)
        if cached is not None:
            # Seen before: ask only for the version (one small query); the review is rebuilt
            # only when someone else has appended since.
            # (The review exists: rows are never deleted. Its interpretation is fixed.)
            row = self._db.execute(self._select_version, (review_id,)).fetchone()
            version = int(row[0])
            if expected is not None and version != expected:
                raise VersionConflict(review_id, expected=expected, current=version)
            if version == cached[0]:
                self._cache.move_to_end(review_id)
                return version, cached[1], cached[2]
        rows = self._db.execute(self._select_review, (review_id,)).fetchall()
        if not rows:
            raise ReviewNotFound(review_id)
        notification, interpretation = rows[0][0], rows[0][1]
        events = [row[2] for row in rows if row[2] is not None]
        version = len(events)
        chosen = self._interpretation(interpretation)
        if expected is not None and version != expected:
            raise VersionConflict(review_id, expected=expected, current=version)
        review = load_review(json.loads(_review_text(notification, events)), interpretation=chosen)
        self._remember(review_id, version, review, chosen)
        return version, review, chosen

    def _remember(
        self, review_id: str, version: int, review: Review, chosen: Interpretation | None
    ) -> None:
        self._cache[review_id] = (version, review, chosen)
        self._cache.move_to_end(review_id)
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _stored_texts(self) -> Iterator[tuple[str, str, Interpretation | None]]:
        """(review id, review document text, interpretation) of every review, streaming, in
        the order opened."""
        text = self._db.json_text.format
        if self._db.aggregates:
            # One row a review, its events joined in the database: each notification crosses
            # the connection once. A join grouped by review measured about 30% faster than a
            # subquery per review (30,000 reviews).
            rows = self._db.stream(
                f"SELECT r.review_id, {text('r.notification')}, {text('r.interpretation')}, "  # noqa: S608  # our own column names only
                "string_agg(e.event::text, ',' ORDER BY e.version) "
                "FROM reviews r LEFT JOIN events e ON e.review_id = r.review_id "
                "GROUP BY r.seq, r.review_id ORDER BY r.seq"
            )
            for review_id, notification_text, interpretation_text, joined in rows:
                document = _review_text(notification_text, () if joined is None else (joined,))
                yield review_id, document, self._interpretation(interpretation_text)
            return
        rows = self._db.stream(
            f"SELECT r.review_id, {text('r.notification')}, {text('r.interpretation')}, "  # noqa: S608  # our own column names only
            f"{text('e.event')} FROM reviews r LEFT JOIN events e ON e.review_id = r.review_id "
            "ORDER BY r.seq, e.version"
        )
        key: str | None = None
        notification = ""
        interpretation: str | None = None
        events: list[str] = []
        for review_id, notification_text, interpretation_text, event in rows:
            if review_id != key:
                if key is not None:
                    document = _review_text(notification, events)
                    yield key, document, self._interpretation(interpretation)
                key, notification, interpretation = (
                    review_id,
                    notification_text,
                    interpretation_text,
                )
                events = []
            if event is not None:
                events.append(event)
        if key is not None:
            yield key, _review_text(notification, events), self._interpretation(interpretation)


def _recorded_events(document: Mapping[str, Any]) -> list[Event]:
    """The events of a valid review document as models, in the order recorded."""
    return [load_event(event) for event in document.get("events", ())]


def open_store(url: str) -> ReviewStore:
    """Open (creating or upgrading its tables) the store at ``url``.

    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, ``sqlite://`` (in memory) or
    ``postgresql://user@host/database`` (needs the ``postgres`` extra: psycopg 3). Raises
    :class:`~leder_core.InvalidInput` at ``$.url`` for any other URL (never quoted: it may hold
    a password) and :class:`~leder_core.errors.StoreError` when the database cannot be opened
    or was made by a newer release.
    """
    database = connect(url)
    try:
        with database.lock:
            try:
                database.migrate()
            except database.driver_error as error:
                raise StoreError(f"the database failed: {type(error).__name__}") from error
    except BaseException:
        database.close()
        raise
    return ReviewStore(database)


def _refuse_import(
    problems: list[tuple[str, str]], refused: ImportRefused | None, taken: list[int]
) -> None:
    """Raise what an import found, in the order :meth:`ReviewStore.import_reviews` documents."""
    if problems:
        raise InvalidInput(problems)
    if refused is not None:
        raise refused
    if taken:
        raise ReviewExists(documents=taken)
