"""The ASGI application of ``leder serve``: documents in, the library's public API, documents
out.

The handlers are thin. Each reads its input (a JSON body no larger than the limit, query
values), calls the library or the store, and answers with the library's own document. Every
answer that is not a success is a problem document (``_problems``). Nothing here decides a
rule.

Why this is long: the route table, its handlers and the request checks they share
(body limit, content type, ``If-Match``, query keys) read best together; the problem
documents, the tokens, the OpenAPI description and the process around uvicorn have rooms of
their own.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Any, Final
from urllib.parse import quote

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope

from leder_core._version import __version__
from leder_core.api import (
    assess,
    check_governance,
    indicators,
    load_governance,
    review_result,
)
from leder_core.bodies import reviews_of_body
from leder_core.errors import InvalidInput, TransitionRefused
from leder_core.fhir.request import (
    extract_request,
    is_fhir_request,
    load_fhir_request,
    notification_as_read,
)
from leder_core.interpretation import Interpretation
from leder_core.models.notification import Notification
from leder_core.render.indicators import indicators_csv_rows
from leder_core.rules.registry import rule_catalogue
from leder_core.schema import available_schema_names, json_schema
from leder_core.serialization import (
    InvalidValue,
    dump,
    interpretation_from_text,
    load_notification,
    parse_date,
    reason_document,
    structure_document_id,
)
from leder_core.server._openapi import openapi_document
from leder_core.server._problems import (
    HttpProblem,
    problem_response,
)
from leder_core.server._tokens import Scope, Tokens
from leder_core.store import (
    ReviewExists,
    ReviewNotFound,
    ReviewStore,
    StoredReview,
    VersionConflict,
)

__all__ = ["DEFAULT_MAX_BODY", "MAX_DEPTH", "create_app"]

#: The largest request body accepted by default (``--max-body``): 1 MiB.
DEFAULT_MAX_BODY: Final = 1 << 20
#: The deepest nesting of arrays and objects a request body may have.
MAX_DEPTH: Final = 64

ACCESS_LOG: Final = logging.getLogger("leder_core.server.access")
ERROR_LOG: Final = logging.getLogger("leder_core.server")

_JSON: Final = "application/json"
_INTERPRETATION_KEYS: Final = frozenset(field.name for field in attrs.fields(Interpretation))

Handler = Callable[[Request], Awaitable[Response]]


@attrs.frozen
class _Settings:
    store: ReviewStore
    store_kind: str
    tokens: Tokens | None
    max_body: int
    clock: Callable[[], datetime]


# --- answers ------------------------------------------------------------------------------


def _json_response(
    document: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode(), status, headers=dict(headers or {}), media_type=_JSON)


def _etag(version: int) -> str:
    return f'"{version}"'


# --- reading a request --------------------------------------------------------------------


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to be over ``limit``: from its
    ``Content-Length``, or while it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.isdigit():
            raise HttpProblem("malformed-request", "the Content-Length header is not a number")
        if int(declared) > limit:
            raise HttpProblem("body-too-large", f"a request body may hold at most {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpProblem("body-too-large", f"a request body may hold at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_media_type(request: Request) -> None:
    given = request.headers.get("content-type")
    media_type = (given or "").split(";", 1)[0].strip().lower()
    if media_type != _JSON and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise HttpProblem(
            "unsupported-media-type",
            "the request body must be JSON, sent as Content-Type: application/json",
            headers={"Accept-Post": _JSON},
        )


def _no_constant(name: str) -> object:
    raise ValueError(name)


async def _json_body(request: Request, settings: _Settings) -> object:
    """The request's JSON body: 415 unless it says it is JSON, 413 over the limit, 400 when
    it is not UTF-8 JSON (NaN and Infinity are not JSON) or nests deeper than ``MAX_DEPTH``."""
    _check_media_type(request)
    raw = await _read_body(request, settings.max_body)
    try:
        document = json.loads(raw, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise HttpProblem("malformed-request", "the request body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise HttpProblem(
            "malformed-request",
            f"the request body is not valid JSON (line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:
        raise HttpProblem(
            "malformed-request", f"the request body nests deeper than {MAX_DEPTH} levels"
        ) from None
    except ValueError:  # NaN, Infinity, or an integer too long to convert
        raise HttpProblem(
            "malformed-request", "the request body holds a number JSON cannot carry"
        ) from None
    if _deeper_than(document, MAX_DEPTH):
        raise HttpProblem(
            "malformed-request", f"the request body nests deeper than {MAX_DEPTH} levels"
        )
    return document


def _deeper_than(document: object, limit: int) -> bool:
    level: list[object] = [document]
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[object] = []
        for node in level:
            if isinstance(node, dict):
                below.extend(value for value in node.values() if isinstance(value, dict | list))
            elif isinstance(node, list):
                below.extend(value for value in node if isinstance(value, dict | list))
        level = below
    return False


def _query(request: Request, allowed: frozenset[str]) -> dict[str, str]:
    """The query parameters, each at most once and all of them known (422 otherwise)."""
    values: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key, value in request.query_params.multi_items():
        path = _query_path(key)
        if key not in allowed:
            problems.append((path, "unknown query parameter"))
        elif key in values:
            problems.append((path, "given more than once"))
        else:
            values[key] = value
    if problems:
        raise HttpProblem("invalid-input", "the query was refused", problems=problems)
    return values


def _query_path(key: str) -> str:
    if key.isascii() and key.isidentifier() and len(key) <= 64:
        return f"query.{key}"
    return "query"


def _as_of(query: Mapping[str, str]) -> date:
    text = query.get("as_of")
    if text is None:
        raise HttpProblem(
            "invalid-input", "the query was refused", problems=[("query.as_of", "required")]
        )
    try:
        return parse_date(text)
    except InvalidValue as error:
        raise HttpProblem(
            "invalid-input", "the query was refused", problems=[("query.as_of", error.message)]
        ) from None


def _interpretation_query(query: Mapping[str, str]) -> Interpretation | None:
    """An interpretation from query keys named as in ``leder.interpretation/1``; every bad
    value is reported (422), at ``query.<key>``."""
    if not query:
        return None
    try:
        return interpretation_from_text(query.items(), lambda key: f"query.{key}")
    except InvalidInput as error:
        raise HttpProblem(
            "invalid-input", "the query was refused", problems=list(error.problems)
        ) from None


def _review_id(request: Request) -> str:
    """The review id of the path; one no notification could have is never stored (404)."""
    review_id = str(request.path_params["review_id"])
    try:
        structure_document_id(review_id, None)
    except InvalidValue:
        raise HttpProblem("not-found", "no review with this id is stored") from None
    return review_id


def _if_match(request: Request) -> int | None:
    """The version an ``If-Match`` names: 428 without one; ``*`` and several tags are
    refused (an append names the one version it read); a tag that is no version matches
    nothing (None, answered 412)."""
    given = request.headers.get("if-match")
    if given is None:
        raise HttpProblem(
            "precondition-required",
            'an event is appended with If-Match: "<version>", the ETag of the review read',
        )
    text = given.strip()
    if text == "*" or "," in text:
        raise HttpProblem(
            "precondition-required",
            'If-Match must name exactly one version: "<version>", the ETag of the review read',
        )
    if text.startswith("W/"):
        return None  # a weak tag never matches in If-Match (RFC 9110 §13.1.1)
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')) or '"' in text[1:-1]:
        raise HttpProblem("malformed-request", 'If-Match is not an entity tag: "<version>"')
    inner = text[1:-1]
    if not inner.isascii() or not inner.isdigit() or len(inner) > 18:
        return None
    return int(inner)


# --- the routes ---------------------------------------------------------------------------


def _notification_of(document: object) -> tuple[Notification, dict[str, Any] | None]:
    """A notification document, or the notification read from a ``leder.fhir-request/1``
    (then also the extract's document)."""
    if is_fhir_request(document):
        extract = extract_request(load_fhir_request(document))
        return notification_as_read(extract), dump(extract)
    if not isinstance(document, dict):
        raise InvalidInput(
            [("$", "expected a notification document or a leder.fhir-request/1 (an object)")]
        )
    return load_notification(document), None


def _settings(request: Request) -> _Settings:
    settings: _Settings = request.app.state.settings
    return settings


async def health(request: Request) -> Response:
    settings = _settings(request)
    return _json_response(
        {"status": "ok", "version": __version__, "store": settings.store_kind},
        headers={"Cache-Control": "no-store"},
    )


async def openapi(request: Request) -> Response:
    _query(request, frozenset())
    return _json_response(openapi_document())


async def post_assessments(request: Request) -> Response:
    _query(request, frozenset())
    document = await _json_body(request, _settings(request))
    try:
        notification, extract = _notification_of(document)
        assessment = dump(assess(notification))
    except InvalidInput as error:
        raise HttpProblem.invalid(error) from None
    if extract is not None:
        return _json_response({"extract": extract, "assessment": assessment})
    return _json_response(assessment)


async def post_reviews(request: Request) -> Response:
    settings = _settings(request)
    interpretation = _interpretation_query(_query(request, _INTERPRETATION_KEYS))
    document = await _json_body(request, settings)
    try:
        notification, _ = _notification_of(document)
    except InvalidInput as error:
        raise HttpProblem.invalid(error) from None

    def open_review() -> tuple[StoredReview, dict[str, Any]]:
        stored = settings.store.open_review(
            notification, interpretation=interpretation, recorded_at=settings.clock()
        )
        return stored, dump(review_result(stored.review, as_of=notification.notified_on))

    try:
        stored, result = await run_in_threadpool(open_review)
    except ReviewExists:
        raise HttpProblem("review-exists", "a review with this id is stored already") from None
    except InvalidInput as error:
        raise HttpProblem.invalid(error) from None
    return _json_response(
        result,
        201,
        headers={
            "Location": "/reviews/" + quote(notification.id, safe=""),
            "ETag": _etag(stored.version),
        },
    )


async def get_review(request: Request) -> Response:
    settings = _settings(request)
    as_of = _as_of(_query(request, frozenset({"as_of"})))
    review_id = _review_id(request)

    def read() -> tuple[StoredReview, dict[str, Any]]:
        stored = settings.store.get(review_id)
        return stored, dump(review_result(stored.review, as_of=as_of))

    try:
        stored, result = await run_in_threadpool(read)
    except ReviewNotFound:
        raise HttpProblem("not-found", "no review with this id is stored") from None
    return _json_response(result, headers={"ETag": _etag(stored.version)})


async def post_event(request: Request) -> Response:
    settings = _settings(request)
    _query(request, frozenset())
    expected = _if_match(request)
    review_id = _review_id(request)
    document = await _json_body(request, settings)
    if not isinstance(document, dict):
        raise HttpProblem(
            "invalid-input", "the event was refused", problems=[("$", "expected an event object")]
        )

    def append() -> tuple[StoredReview, dict[str, Any]]:
        if expected is None:  # a tag that names no version matches none
            raise _Stale(settings.store.get(review_id).version)
        stored = settings.store.append(
            review_id, document, expected_version=expected, recorded_at=settings.clock()
        )
        on = parse_date(document["on"])  # the store accepted it: a valid date
        return stored, dump(review_result(stored.review, as_of=on))

    try:
        stored, result = await run_in_threadpool(append)
    except ReviewNotFound:
        raise HttpProblem("not-found", "no review with this id is stored") from None
    except (VersionConflict, _Stale) as conflict:
        current = getattr(conflict, "current", None)
        headers = {"ETag": _etag(current)} if isinstance(current, int) else {}
        raise HttpProblem(
            "version-conflict",
            "the review has changed since the version named in If-Match: read it again",
            headers=headers,
        ) from None
    except TransitionRefused as refused:
        raise HttpProblem(
            "event-refused",
            "the workflow refused the event; the review is unchanged",
            reasons=[reason_document(reason) for reason in refused.reasons],
        ) from None
    except InvalidInput as error:
        raise HttpProblem.invalid(error, "the event was refused") from None
    return _json_response(result, headers={"ETag": _etag(stored.version)})


class _Stale(Exception):
    """An If-Match that names no version: it matches none (412)."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


async def get_indicators(request: Request) -> Response:
    settings = _settings(request)
    query = _query(request, frozenset({"as_of", "by", "format"}))
    as_of = _as_of(query)
    problems: list[tuple[str, str]] = []
    by = query.get("by")
    if by is not None and by != "body":
        problems.append(("query.by", "expected 'body'"))
    output = query.get("format", "json")
    if output not in {"json", "csv"}:
        problems.append(("query.format", "expected 'json' or 'csv'"))
    if problems:
        raise HttpProblem("invalid-input", "the query was refused", problems=problems)

    def compute() -> Any:
        return indicators(settings.store.reviews(), as_of=as_of)

    result = await run_in_threadpool(compute)
    if output == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(
            indicators_csv_rows(result, by_body=by == "body")
        )
        return Response(text.getvalue().encode(), media_type="text/csv; charset=utf-8")
    return _json_response(dump(result))


async def post_governance(request: Request) -> Response:
    settings = _settings(request)
    as_of = _as_of(_query(request, frozenset({"as_of"})))
    document = await _json_body(request, settings)
    if not isinstance(document, dict):
        raise HttpProblem(
            "invalid-input",
            "the input was refused",
            problems=[("$", "expected a leder.governance/1 document (an object)")],
        )
    try:
        arrangements = load_governance(document)
    except InvalidInput as error:
        raise HttpProblem.invalid(error) from None
    code = arrangements.body.code

    def compute() -> Any:
        kept, _ = reviews_of_body(settings.store.reviews(), code, as_of)
        return check_governance(arrangements, as_of=as_of, reviews=kept)

    try:
        report = await run_in_threadpool(compute)
    except InvalidInput as error:
        raise HttpProblem.invalid(error) from None
    return _json_response(dump(report))


async def get_rules(request: Request) -> Response:
    _query(request, frozenset())
    return _json_response(dump(rule_catalogue()))


async def get_schema(request: Request) -> Response:
    _query(request, frozenset())
    name = str(request.path_params["name"])
    if name not in available_schema_names():
        raise HttpProblem("not-found", "no schema of this name; GET /openapi.json lists them")
    return _json_response(json_schema(name), headers={"Content-Type": "application/schema+json"})


#: Every route: path template, method, handler, the scope a token needs (None: no token).
ROUTES: Final[tuple[tuple[str, str, Handler, Scope | None, str], ...]] = (
    ("/health", "GET", health, None, "health"),
    ("/openapi.json", "GET", openapi, Scope.READ, "openapi"),
    ("/assessments", "POST", post_assessments, Scope.READ, "assessments"),
    ("/reviews", "POST", post_reviews, Scope.WRITE, "reviews"),
    ("/reviews/{review_id:path}/events", "POST", post_event, Scope.WRITE, "events"),
    ("/reviews/{review_id:path}", "GET", get_review, Scope.READ, "review"),
    ("/indicators", "GET", get_indicators, Scope.READ, "indicators"),
    ("/governance", "POST", post_governance, Scope.READ, "governance"),
    ("/rules", "GET", get_rules, Scope.READ, "rules"),
    ("/schemas/{name}", "GET", get_schema, Scope.READ, "schema"),
)


def _guarded(handler: Handler, needed: Scope | None) -> Handler:
    """The handler behind its token check (when the server has tokens)."""

    async def guarded(request: Request) -> Response:
        tokens = _settings(request).tokens
        if tokens is not None and needed is not None:
            _authorize(request, tokens, needed)
        return await handler(request)

    guarded.__name__ = handler.__name__
    guarded.__doc__ = handler.__doc__
    return guarded


def _authorize(request: Request, tokens: Tokens, needed: Scope) -> None:
    header = request.headers.get("authorization")
    challenge = 'Bearer realm="leder"'
    if header is None:
        raise HttpProblem(
            "unauthorized",
            "this route needs Authorization: Bearer <token>",
            headers={"WWW-Authenticate": challenge},
        )
    scheme, _, credentials = header.strip().partition(" ")
    scope = None
    if scheme.lower() == "bearer":
        scope = tokens.scope_of(credentials.strip().encode("utf-8", "surrogateescape"))
    if scope is None:
        raise HttpProblem(
            "unauthorized",
            "the token is not accepted",
            headers={"WWW-Authenticate": challenge + ', error="invalid_token"'},
        )
    if needed is Scope.WRITE and scope is not Scope.WRITE:
        raise HttpProblem(
            "forbidden",
            "this route changes the store: it needs a write token",
            headers={"WWW-Authenticate": challenge + ', error="insufficient_scope"'},
        )


# --- the application ----------------------------------------------------------------------


async def _http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)  # noqa: S101 - registered for HTTPException
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        return problem_response(
            HttpProblem(
                "method-not-allowed",
                "this route does not take this method",
                headers={"Allow": allowed} if allowed else None,
            )
        )
    if error.status_code == 404:
        return problem_response(HttpProblem("not-found", "no such route"))
    return problem_response(HttpProblem("malformed-request", "the request was refused"))


async def _defect(request: Request, error: Exception) -> Response:
    """A defect: a generic problem (the guard logs it and keeps the trace to itself)."""
    return problem_response(
        HttpProblem("internal-error", "an unexpected error; it has been logged")
    )


async def _http_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, HttpProblem)  # noqa: S101 - registered for HttpProblem
    return problem_response(error)


class _Guard:
    """The outermost layer: the access log, and a generic 500 for a defect.

    The access log has method, route template, status and duration: never a query, a body or
    a path value (a review id). A defect is logged with its exception type and where it passed
    (file, line, function), never its message or a line of source (which might hold a value).
    """

    def __init__(self, app: ASGIApp, routes: list[Route]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        sent = False

        async def send_noting(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
                sent = True
            await send(message)

        try:
            await self.app(scope, receive, send_noting)
        except Exception as error:  # a defect: answer 500 without a trace
            ERROR_LOG.error(
                "defect: %s at %s %s\n%s",
                type(error).__name__,
                scope.get("method", "?"),
                self._template(scope),
                "\n".join(
                    f"  {frame.filename}:{frame.lineno} in {frame.name}"
                    for frame in traceback.extract_tb(error.__traceback__)
                ),
            )
            if not sent:
                status = 500
                response = problem_response(
                    HttpProblem("internal-error", "an unexpected error; it has been logged")
                )
                await response(scope, receive, send)
        finally:
            ACCESS_LOG.info(
                "%s %s %d %.1fms",
                scope.get("method", "?"),
                self._template(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )

    def _template(self, scope: ASGIScope) -> str:
        route = scope.get("route")  # set by the router on the route it matched
        if isinstance(route, Route):
            return route.path_format
        for candidate in self.routes:  # answered before routing: the route it would take
            match, _ = candidate.matches(scope)
            if match is not Match.NONE:
                return candidate.path_format
        return "(no route)"


def create_app(
    store: ReviewStore,
    *,
    store_kind: str,
    clock: Callable[[], datetime],
    tokens: Tokens | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> ASGIApp:
    """The ASGI application of ``leder serve`` over an open store.

    ``store_kind`` is what ``/health`` reports (``sqlite`` or ``postgresql``); ``clock`` gives
    the aware time stamped as ``recorded_at`` on what the service stores (the application
    reads no clock itself); ``tokens``, when given, guards every route but ``/health``;
    ``max_body`` is the largest request body accepted, in bytes.
    """
    routes = [
        Route(path, _guarded(handler, needed), methods=[method], name=name)
        for path, method, handler, needed, name in ROUTES
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_exception,
            HttpProblem: _http_problem,
            Exception: _defect,
        },
    )
    app.state.settings = _Settings(store, store_kind, tokens, max_body, clock)
    return _Guard(app, routes)
