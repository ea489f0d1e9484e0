"""Schemathesis over ``/openapi.json`` against the live server: valid and invalid requests for
every operation, bounded and seeded.

Every answer must be documented (status, media type, body schema, headers), never a 5xx, and
an error answer never holds a value the request carried that could be a person's (a date, a
run of digits). Examples per operation follow the Hypothesis profile (``ci``: derandomised)
but are capped so the whole run stays well under a minute on a loaded machine.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, seed, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from server_harness import LiveServer  # noqa: E402

from leder_core.models.identifiers import EARLIEST_DATE, LATEST_DATE  # noqa: E402
from leder_core.server import openapi_document  # noqa: E402

EXAMPLES = min(settings.default.max_examples, 30)
CONFIG = schemathesis.Config.from_dict({"generation": {"mode": "all", "database": "none"}})
SCHEMA = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: What could be a person's value: a date, or 6 digits or more.
_PERSONAL = re.compile(r"\d{4}-\d{2}-\d{2}|\d{6,}")
#: The library's own bounds, which its messages name ("a date from 1880-01-01 to ...").
_BOUNDS = {EARLIEST_DATE.isoformat(), LATEST_DATE.isoformat()}


def _personal_values(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(_PERSONAL.findall(value))
    if isinstance(value, dict):
        return set().union(*(_personal_values(item) for item in value.values()), set())
    if isinstance(value, list):
        return set().union(*(_personal_values(item) for item in value), set())
    return set()


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@seed(21)
def test_every_answer_is_documented_and_holds_no_sent_value(case: Any, live: LiveServer) -> None:
    response = case.call(base_url=live.url)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        sent = _personal_values(case.body) | _personal_values(case.query or {})
        sent |= _personal_values(case.path_parameters or {})
        text = response.text
        leaked = sorted(value for value in sent - _BOUNDS if value in text)
        assert not leaked, f"{response.status_code} echoes what was sent"
        json.loads(text)  # a problem document
    else:
        assert 200 <= response.status_code < 300, response.status_code  # no redirects
