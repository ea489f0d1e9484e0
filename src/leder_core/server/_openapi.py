"""``GET /openapi.json``: an OpenAPI 3.1 description of every route, built from the library's
JSON Schemas.

Each document's schema (``leder_core.schema.json_schema``) becomes a component named as
``leder schema`` names it (``notification``, ``review-result``); its ``$defs`` become
components named ``<document>.<definition>`` (``notification.Person``), so every ``$ref``
resolves inside this one document.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, Final

from leder_core._version import __version__
from leder_core.schema import available_schema_names, json_schema
from leder_core.server._problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

__all__ = ["openapi_document"]

_COMPONENTS: Final = "#/components/schemas/"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _COMPONENTS + name}


def _rewritten(node: Any, document: str) -> Any:
    """A schema with its ``#/$defs/X`` references pointing at ``<document>.X``."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = _COMPONENTS + f"{document}.{value.removeprefix('#/$defs/')}"
            elif key in ("const", "default", "enum", "examples"):
                out[key] = copy.deepcopy(value)
            else:
                out[key] = _rewritten(value, document)
        return out
    if isinstance(node, list):
        return [_rewritten(item, document) for item in node]
    return node


def _document_components() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for name in available_schema_names():
        schema = json_schema(name)
        definitions = schema.pop("$defs", {})
        schema.pop("$schema", None)
        schema.pop("$id", None)
        components[name] = _rewritten(schema, name)
        for key, definition in definitions.items():
            components[f"{name}.{key}"] = _rewritten(definition, name)
    return components


def _server_components() -> dict[str, Any]:
    problem_entry = {
        "type": "object",
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
        "required": ["path", "message"],
        "additionalProperties": False,
    }
    events = json_schema("review")["properties"]["events"]["items"]
    return {
        "Event": {
            "title": "Event",
            "description": "One workflow event, as in the events of `leder.review/1`.",
            **_rewritten(events, "review"),
        },
        "Problem": {
            "title": "Problem",
            "description": "RFC 9457 problem details. `problems` lists bad input with JSON "
            "paths (`$` is the request body, `query.<name>` a query parameter); `reasons` "
            "the rules that refused an event. Never a value the caller sent.",
            "type": "object",
            "properties": {
                "type": {"type": "string", "pattern": "^" + PROBLEM_BASE.replace(".", "\\.")},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
                "problems": {"type": "array", "items": problem_entry},
                "reasons": {"type": "array", "items": _ref("assessment.Reason")},
            },
            "required": ["type", "title", "status", "detail"],
            "additionalProperties": False,
        },
        "Health": {
            "type": "object",
            "properties": {
                "status": {"const": "ok"},
                "version": {"type": "string"},
                "store": {"enum": ["sqlite", "postgresql"]},
            },
            "required": ["status", "version", "store"],
            "additionalProperties": False,
        },
        "FhirAssessment": {
            "description": "What `leder fhir --assess` prints: the extract and its assessment.",
            "type": "object",
            "properties": {
                "extract": _ref("fhir-extract"),
                "assessment": _ref("assessment"),
            },
            "required": ["extract", "assessment"],
            "additionalProperties": False,
        },
    }


_PROBLEMS: Final = {
    400: "malformed request: not UTF-8 JSON, nested too deep, a bad header",
    401: "no token, or one not accepted (WWW-Authenticate says which)",
    403: "a read token on a route that writes",
    404: "no such route, review or schema",
    405: "the route does not take this method",
    409: "the review exists already, or the workflow refused the event (reasons)",
    412: "If-Match names a version that is not the review's current one",
    413: "the request body is over the limit",
    415: "the request body is not sent as application/json",
    422: "invalid input: a document or query value refused, with the problems' paths",
    428: 'no If-Match: an event is appended with If-Match: "<version>"',
    500: "a defect (no detail is sent)",
}

_ALWAYS: Final = (400, 401, 404, 405, 500)


def _problem_responses(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {
            "description": _PROBLEMS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _ref("Problem")}},
        }
        for status in sorted({*_ALWAYS, *statuses})
    }


def _json(schema: dict[str, Any], description: str, **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        response["headers"] = headers
    return response


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "required": True,
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


_ETAG: Final = {
    "description": 'The review\'s version, quoted: "0" when opened, one more for each event',
    "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
}
_AS_OF: Final = {
    "name": "as_of",
    "in": "query",
    "required": True,
    "description": "The date the answer is as of, YYYY-MM-DD",
    "schema": {"type": "string", "format": "date"},
}
_REVIEW_ID: Final = {
    "name": "review_id",
    "in": "path",
    "required": True,
    "description": "The notification id the review was opened with (percent-encoded)",
    "schema": _ref("notification.DocumentId"),
}


def _interpretation_parameters() -> list[dict[str, Any]]:
    schema = json_schema("interpretation")
    parameters = []
    for key, prop in schema["properties"].items():
        prop_schema = _rewritten(prop, "interpretation")
        prop_schema.pop("default", None)
        parameters.append(
            {
                "name": key,
                "in": "query",
                "required": False,
                "description": f"The review's interpretation: `{key}` (default as in "
                "`leder.interpretation/1`); fixed when the review is opened",
                "schema": prop_schema,
            }
        )
    return parameters


def _paths() -> dict[str, Any]:
    """Every operation of the service, one entry per route.

    Why this is long: it is one declaration, the API's table of routes, read top to bottom as
    the how-to lists them; its shared parts (problems, bodies, parameters) are helpers above.
    """
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    notification_or_request = {"anyOf": [_ref("notification"), _ref("fhir-request")]}
    return {
        "/health": {
            "get": {
                "operationId": "health",
                "summary": "Whether the service is up, its version and its store",
                "security": [],
                "responses": {
                    "200": _json(_ref("Health"), "up"),
                    **_problem_responses(),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description",
                "security": bearer,
                "responses": {
                    "200": _json({"type": "object"}, "the OpenAPI 3.1 description"),
                    **_problem_responses(422),
                },
            }
        },
        "/assessments": {
            "post": {
                "operationId": "assess",
                "summary": "Assess a notification (or one read from FHIR); stores nothing",
                "security": bearer,
                "requestBody": _body(
                    notification_or_request,
                    "a leder.notification/1 document or a leder.fhir-request/1",
                ),
                "responses": {
                    "200": _json(
                        {"anyOf": [_ref("assessment"), _ref("FhirAssessment")]},
                        "leder.assessment/1; for a FHIR request, the extract and the assessment",
                    ),
                    **_problem_responses(413, 415, 422),
                },
            }
        },
        "/reviews": {
            "post": {
                "operationId": "openReview",
                "summary": "Open a review of a notification, under an interpretation",
                "security": bearer,
                "parameters": _interpretation_parameters(),
                "requestBody": _body(
                    notification_or_request,
                    "a leder.notification/1 document or a leder.fhir-request/1",
                ),
                "responses": {
                    "201": _json(
                        _ref("review-result"),
                        "leder.review-result/1 as of the notification date",
                        ETag=_ETAG,
                        Location={
                            "description": "/reviews/{review_id}",
                            "schema": {"type": "string"},
                        },
                    ),
                    **_problem_responses(403, 409, 413, 415, 422),
                },
            }
        },
        "/reviews/{review_id}": {
            "get": {
                "operationId": "getReview",
                "summary": "A stored review as of a date",
                "security": bearer,
                "parameters": [_REVIEW_ID, _AS_OF],
                "responses": {
                    "200": _json(_ref("review-result"), "leder.review-result/1", ETag=_ETAG),
                    **_problem_responses(422),
                },
            }
        },
        "/reviews/{review_id}/events": {
            "post": {
                "operationId": "appendEvent",
                "summary": "Record one workflow event, if the review is still at the version read",
                "security": bearer,
                "parameters": [
                    _REVIEW_ID,
                    {
                        "name": "If-Match",
                        "in": "header",
                        "required": False,
                        "description": 'The ETag of the review read, "<version>"; '
                        "without it the answer is 428",
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": _body(_ref("Event"), "one event document"),
                "responses": {
                    "200": _json(
                        _ref("review-result"),
                        "leder.review-result/1 as of the event's date",
                        ETag=_ETAG,
                    ),
                    **_problem_responses(403, 409, 412, 413, 415, 422, 428),
                },
            }
        },
        "/indicators": {
            "get": {
                "operationId": "indicators",
                "summary": "The indicators over every stored review",
                "security": bearer,
                "parameters": [
                    _AS_OF,
                    {
                        "name": "by",
                        "in": "query",
                        "required": False,
                        "description": "CSV: also a row for each responsible body",
                        "schema": {"enum": ["body"]},
                    },
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "description": "json (default) or csv",
                        "schema": {"enum": ["json", "csv"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "leder.indicators/1, or its CSV",
                        "content": {
                            "application/json": {"schema": _ref("indicators")},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_problem_responses(422),
                },
            }
        },
        "/governance": {
            "post": {
                "operationId": "governance",
                "summary": "Check a body's governance arrangements with its stored reviews",
                "security": bearer,
                "parameters": [_AS_OF],
                "requestBody": _body(_ref("governance"), "a leder.governance/1 document"),
                "responses": {
                    "200": _json(_ref("governance-report"), "leder.governance-report/1"),
                    **_problem_responses(413, 415, 422),
                },
            }
        },
        "/rules": {
            "get": {
                "operationId": "rules",
                "summary": "The rule catalogue",
                "security": bearer,
                "responses": {
                    "200": _json(_ref("rules"), "leder.rules/1"),
                    **_problem_responses(422),
                },
            }
        },
        "/schemas/{name}": {
            "get": {
                "operationId": "schema",
                "summary": "The JSON Schema of a document (names as `leder schema`)",
                "security": bearer,
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": list(available_schema_names())},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "a JSON Schema (draft 2020-12)",
                        "content": {"application/schema+json": {"schema": {"type": "object"}}},
                    },
                    **_problem_responses(422),
                },
            }
        },
    }


@cache
def _built() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "leder_core",
            "version": __version__,
            "summary": "The rules of England's LeDeR programme over HTTP",
            "description": "Every error is application/problem+json (RFC 9457). Tokens, when "
            "the service has them, go in Authorization: Bearer <token>; a read token may call "
            "every route that changes nothing, a write token every route.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": _paths(),
        "components": {
            "schemas": {**_document_components(), **_server_components()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the service, as a fresh dict."""
    return copy.deepcopy(_built())
