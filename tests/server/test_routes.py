"""Every route and every status, through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from server_documents import (
    ALLOCATED,
    BUNDLE,
    NHS_NUMBER,
    PERSON_VALUES,
    SIGNED_OFF_EARLY,
    documented,
    fhir_request,
    notification,
    review_id,
)
from server_harness import READ_TOKEN, LiveServer

from leder_core.cli import main

JSON = {"Content-Type": "application/json"}


def post(live: LiveServer, path: str, document: object, **headers: str) -> Any:
    return live.request("POST", path, content=json.dumps(document), headers={**JSON, **headers})


def open_review(live: LiveServer, name: str, query: str = "") -> str:
    identifier = review_id(name)
    response = post(live, "/reviews" + query, notification(identifier))
    assert response.status_code == 201, response.text
    return identifier


# --- /health, /rules, /schemas, /openapi.json ---------------------------------------------


def test_health_names_the_version_and_the_store(backend: LiveServer) -> None:
    response = backend.request("GET", "/health")
    document = documented(response, "GET", "/health")
    assert document["status"] == "ok"
    assert document["store"] == ("postgresql" if "postgres" in backend.store_url else "sqlite")


def test_rules_is_the_catalogue_the_cli_prints(
    live: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    document = documented(live.request("GET", "/rules"), "GET", "/rules")
    assert main(["rules", "--format", "json"]) == 0
    assert document == json.loads(capsys.readouterr().out)


def test_schemas_are_the_cli_schemas(live: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("notification", "review-result", "fhir-request"):
        response = live.request("GET", f"/schemas/{name}")
        assert response.headers["content-type"] == "application/schema+json"
        assert main(["schema", name]) == 0
        assert response.json() == json.loads(capsys.readouterr().out)


def test_an_unknown_schema_is_404(live: LiveServer) -> None:
    documented(live.request("GET", "/schemas/nothing"), "GET", "/schemas/{name}")
    assert live.request("GET", "/schemas/nothing").status_code == 404


def test_the_openapi_description_validates(live: LiveServer) -> None:
    from openapi_spec_validator import validate

    document = live.request("GET", "/openapi.json").json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/health",
        "/openapi.json",
        "/assessments",
        "/reviews",
        "/reviews/{review_id}",
        "/reviews/{review_id}/events",
        "/indicators",
        "/governance",
        "/rules",
        "/schemas/{name}",
    }


# --- /assessments -------------------------------------------------------------------------


def test_a_notification_is_assessed(live: LiveServer) -> None:
    response = post(live, "/assessments", notification())
    document = documented(response, "POST", "/assessments")
    assert document["schema"] == "leder.assessment/1"


def test_a_fhir_request_answers_as_leder_fhir_assess(
    live: LiveServer, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    request = fhir_request()
    response = post(live, "/assessments", request)
    document = documented(response, "POST", "/assessments")
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request), "utf-8")
    assert main(["fhir", str(path), "--assess"]) == 0
    assert document == json.loads(capsys.readouterr().out)
    assert document["extract"]["schema"] == "leder.fhir-extract/1"


def test_a_bad_notification_is_422_with_paths_and_no_values(live: LiveServer) -> None:
    bad = notification()
    bad["person"]["date_of_death"] = "1969-12-31"  # before the birth
    bad["person"]["nhs_number"] = "9434765918"  # check digit wrong
    response = post(live, "/assessments", bad)
    document = documented(response, "POST", "/assessments")
    assert response.status_code == 422
    paths = {problem["path"] for problem in document["problems"]}
    assert "$.person.nhs_number" in paths
    assert "9434765918" not in response.text
    assert "1969-12-31" not in response.text


def test_a_fhir_request_problem_has_a_path_into_the_request(live: LiveServer) -> None:
    request = fhir_request()
    del request["supplied"]["notified_on"]
    request["fhir"] = {**BUNDLE, "entry": [{"resource": {**BUNDLE["entry"][0]["resource"]}}]}
    request["fhir"]["entry"][0]["resource"]["birthDate"] = "not a date"
    response = post(live, "/assessments", request)
    document = documented(response, "POST", "/assessments")
    assert response.status_code == 422
    paths = [problem["path"] for problem in document["problems"]]
    assert all(path.startswith(("$.fhir", "$.supplied")) for path in paths), paths
    assert "not a date" not in response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{", 400),
        (b'{"id": NaN}', 400),
        (b"\xff\xfe{}", 400),
        (b"[" * 100 + b"]" * 100, 400),
        (b'{"a":' * 70 + b"1" + b"}" * 70, 400),
        (b"1" * 5000, 400),
        (b"[]", 422),
        (b'"text"', 422),
        (b"{}", 422),
        (b'{"schema": "leder.fhir-request/2", "fhir": {}}', 422),
        (b'{"schema": "leder.fhir-request/1", "fhir": 3, "supplied": []}', 422),
    ],
)
def test_bad_json_is_a_4xx_problem(live: LiveServer, body: bytes, status: int) -> None:
    response = live.request("POST", "/assessments", content=body, headers=JSON)
    documented(response, "POST", "/assessments")
    assert response.status_code == status


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_415(live: LiveServer, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = live.request(
        "POST", "/assessments", content=json.dumps(notification()), headers=headers
    )
    documented(response, "POST", "/assessments")
    assert response.status_code == 415


def test_json_with_a_charset_and_problem_json_are_accepted(live: LiveServer) -> None:
    for content_type in ("application/json; charset=utf-8", "application/vnd.leder+json"):
        response = live.request(
            "POST",
            "/assessments",
            content=json.dumps(notification()),
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 200, content_type


def test_a_body_over_the_limit_is_413_declared_or_streamed(guarded: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {READ_TOKEN}", **JSON}
    big = json.dumps({"padding": "x" * 5000}).encode()
    declared = guarded.request("POST", "/assessments", content=big, headers=auth)
    assert declared.status_code == 413
    documented(declared, "POST", "/assessments")

    def chunks() -> Any:  # no Content-Length: chunked transfer
        for _ in range(50):
            yield b" " * 1000

    streamed = guarded.request("POST", "/assessments", content=chunks(), headers=auth)
    assert "content-length" not in streamed.request.headers
    assert streamed.status_code == 413


# --- routing ------------------------------------------------------------------------------


def test_an_unknown_route_is_404_and_a_wrong_method_405(live: LiveServer) -> None:
    missing = live.request("GET", "/nothing/here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = live.request("DELETE", "/rules")
    assert wrong.status_code == 405
    assert "GET" in wrong.headers["allow"]
    documented(wrong, "GET", "/rules")


# --- /reviews -----------------------------------------------------------------------------


def test_a_review_is_opened_read_and_appended_to(backend: LiveServer) -> None:
    identifier = review_id("flow")
    opened = post(backend, "/reviews", notification(identifier))
    document = documented(opened, "POST", "/reviews")
    assert opened.status_code == 201
    assert opened.headers["etag"] == '"0"'
    assert opened.headers["location"] == f"/reviews/{identifier}"
    assert document["status"]["as_of"] == "2024-03-15"

    read = backend.request("GET", f"/reviews/{identifier}", params={"as_of": "2024-03-16"})
    assert documented(read, "GET", "/reviews/{review_id}")["notification_id"] == identifier
    assert read.headers["etag"] == '"0"'

    events = f"/reviews/{identifier}/events"
    appended = post(backend, events, ALLOCATED, **{"If-Match": '"0"'})
    result = documented(appended, "POST", "/reviews/{review_id}/events")
    assert appended.status_code == 200, appended.text
    assert appended.headers["etag"] == '"1"'
    assert result["status"]["as_of"] == ALLOCATED["on"]
    assert [entry["event"]["type"] for entry in result["history"]] == ["allocated"]

    stale = post(backend, events, ALLOCATED, **{"If-Match": '"0"'})
    documented(stale, "POST", "/reviews/{review_id}/events")
    assert stale.status_code == 412
    assert stale.headers["etag"] == '"1"'

    refused = post(backend, events, SIGNED_OFF_EARLY, **{"If-Match": '"1"'})
    problem = documented(refused, "POST", "/reviews/{review_id}/events")
    assert refused.status_code == 409
    assert problem["reasons"]
    assert all(reason["rule"] for reason in problem["reasons"])

    invalid = post(
        backend, events, {"type": "allocated", "on": "2024-13-01"}, **{"If-Match": '"1"'}
    )
    documented(invalid, "POST", "/reviews/{review_id}/events")
    assert invalid.status_code == 422

    missing = post(backend, events, ALLOCATED)
    documented(missing, "POST", "/reviews/{review_id}/events")
    assert missing.status_code == 428

    again = backend.request("GET", f"/reviews/{identifier}", params={"as_of": "2024-04-01"})
    assert again.headers["etag"] == '"1"'


def test_an_existing_id_is_409(backend: LiveServer) -> None:
    identifier = open_review(backend, "twice")
    again = post(backend, "/reviews", notification(identifier))
    documented(again, "POST", "/reviews")
    assert again.status_code == 409
    assert identifier not in again.text


def test_a_fhir_request_opens_a_review(live: LiveServer) -> None:
    identifier = review_id("fhir")
    opened = post(live, "/reviews", fhir_request(identifier))
    assert documented(opened, "POST", "/reviews")["notification_id"] == identifier


def test_the_interpretation_comes_from_the_query(live: LiveServer) -> None:
    identifier = open_review(live, "clock", "?clock=stop&due_soon_days=14")
    read = live.request("GET", f"/reviews/{identifier}", params={"as_of": "2024-03-16"})
    interpretation = documented(read, "GET", "/reviews/{review_id}")["interpretation"]
    assert interpretation["clock"] == "stop"
    assert interpretation["due_soon_days"] == 14
    bad = post(live, "/reviews?clock=never&due_soon_days=soon", notification(review_id("x")))
    problem = documented(bad, "POST", "/reviews")
    assert bad.status_code == 422
    assert {p["path"] for p in problem["problems"]} == {"query.clock", "query.due_soon_days"}


def test_an_unknown_review_is_404(backend: LiveServer) -> None:
    identifier = review_id("never-opened")
    read = backend.request("GET", f"/reviews/{identifier}", params={"as_of": "2024-03-16"})
    documented(read, "GET", "/reviews/{review_id}")
    assert read.status_code == 404
    assert identifier not in read.text
    append = post(backend, f"/reviews/{identifier}/events", ALLOCATED, **{"If-Match": '"0"'})
    documented(append, "POST", "/reviews/{review_id}/events")
    assert append.status_code == 404


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, "query.as_of"),
        ({"as_of": "2024-02-30"}, "query.as_of"),
        ({"as_of": "2024-03-16", "asof": "x"}, "query.asof"),
    ],
)
def test_bad_query_values_are_422(live: LiveServer, params: dict[str, str], path: str) -> None:
    identifier = open_review(live, f"query-{len(params)}-{path[-4:]}")
    response = live.request("GET", f"/reviews/{identifier}", params=params)
    problem = documented(response, "GET", "/reviews/{review_id}")
    assert response.status_code == 422
    assert [p["path"] for p in problem["problems"]] == [path]
    assert "2024-02-30" not in response.text


def test_a_repeated_query_value_is_422(live: LiveServer) -> None:
    response = live.request("GET", "/indicators?as_of=2024-01-01&as_of=2024-01-02")
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("if_match", "status"),
    [("*", 428), ('"0", "1"', 428), ("0", 400), ('W/"0"', 412), ('"x"', 412), ('"7"', 412)],
)
def test_if_match_must_name_one_version(live: LiveServer, if_match: str, status: int) -> None:
    identifier = open_review(live, f"ifmatch-{abs(hash(if_match))}")
    response = post(live, f"/reviews/{identifier}/events", ALLOCATED, **{"If-Match": if_match})
    documented(response, "POST", "/reviews/{review_id}/events")
    assert response.status_code == status


# --- /indicators, /governance -------------------------------------------------------------


def test_indicators_over_the_store(backend: LiveServer) -> None:
    open_review(backend, "counted")
    response = backend.request("GET", "/indicators", params={"as_of": "2024-06-01"})
    document = documented(response, "GET", "/indicators")
    assert document["schema"] == "leder.indicators/1"
    assert document["total"]["notified"] >= 1
    as_csv = backend.request(
        "GET", "/indicators", params={"as_of": "2024-06-01", "format": "csv", "by": "body"}
    )
    rows = list(csv.reader(io.StringIO(documented(as_csv, "GET", "/indicators"))))
    assert len(rows) >= 2
    bad = backend.request("GET", "/indicators", params={"as_of": "2024-06-01", "format": "xml"})
    documented(bad, "GET", "/indicators")
    assert bad.status_code == 422


def test_governance_takes_the_body_s_reviews_from_the_store(backend: LiveServer) -> None:
    open_review(backend, "governed")
    arrangements = {
        "body": {"code": "QE1", "name": "Lancashire and South Cumbria ICB", "kind": "icb"},
        "governance_group_established_on": "2021-05-20",
    }
    response = post(backend, "/governance?as_of=2024-06-01", arrangements)
    document = documented(response, "POST", "/governance")
    assert document["schema"] == "leder.governance-report/1"
    bad = post(backend, "/governance?as_of=2024-06-01", {"body": {"code": 3}})
    documented(bad, "POST", "/governance")
    assert bad.status_code == 422


# --- nothing of a person in any answer or log line ----------------------------------------


def test_no_review_id_date_or_nhs_number_in_the_log(live: LiveServer) -> None:
    identifier = open_review(live, "logged")
    live.request("GET", f"/reviews/{identifier}", params={"as_of": "2024-03-16"})
    post(live, f"/reviews/{identifier}/events", ALLOCATED, **{"If-Match": '"0"'})
    post(live, "/assessments", notification())
    live.request("GET", f"/reviews/{identifier}/nothing")
    lines = live.log_after("GET /reviews/{review_id} 422")
    log = "\n".join(lines)
    access = [line for line in lines if line.startswith("leder_core.server.access")]
    assert any("POST /reviews/{review_id}/events 200" in line for line in access)
    assert any("GET /reviews/{review_id} 200" in line for line in access)
    assert identifier not in log
    for value in (*PERSON_VALUES, "2024-03-16", ALLOCATED["on"], NHS_NUMBER):
        assert value not in log


# --- defects and broken requests ----------------------------------------------------------


def test_a_defect_is_a_generic_500_and_its_message_is_not_logged(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leder_core.server._app as app_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"a defect holding {NHS_NUMBER}")

    monkeypatch.setattr(app_module, "assess", broken)
    response = post(live, "/assessments", notification())
    problem = documented(response, "POST", "/assessments")
    assert response.status_code == 500
    assert problem["detail"] == "an unexpected error; it has been logged"
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    log = "\n".join(live.log_after("defect: RuntimeError at POST /assessments"))
    assert "defect: RuntimeError at POST /assessments" in log
    assert "a defect holding" not in log


@pytest.mark.parametrize(
    "raw",
    [
        b"POST /assessments HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"NOT-HTTP\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    ],
)
def test_a_broken_request_is_a_4xx(live: LiveServer, raw: bytes) -> None:
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(live.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(raw)
        answer = connection.recv(4096)
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:100]


def test_the_default_limit_is_one_mebibyte(live: LiveServer) -> None:
    padding = "x" * (1 << 20)
    response = live.request(
        "POST", "/assessments", content=json.dumps({"padding": padding}), headers=JSON
    )
    documented(response, "POST", "/assessments")
    assert response.status_code == 413
    just_under = json.dumps({"padding": "x" * ((1 << 20) - 20)})
    assert len(just_under) <= 1 << 20
    response = live.request("POST", "/assessments", content=just_under, headers=JSON)
    assert response.status_code == 422  # read whole, then refused as a notification


def test_an_id_of_any_characters_is_quoted_in_location(live: LiveServer) -> None:
    identifier = review_id("€ 1/2?#%")
    opened = post(live, "/reviews", notification(identifier))
    assert opened.status_code == 201, opened.text
    location = opened.headers["location"]
    assert location.isascii()
    assert " " not in location
    read = live.request("GET", location, params={"as_of": "2024-03-16"})
    assert documented(read, "GET", "/reviews/{review_id}")["notification_id"] == identifier
    appended = post(live, location + "/events", ALLOCATED, **{"If-Match": '"0"'})
    assert appended.status_code == 200, appended.text


@pytest.mark.parametrize("path_id", ["a%00b", "x" * 65, "%7F", "a%0Ab"])
def test_an_id_no_notification_could_have_is_404(backend: LiveServer, path_id: str) -> None:
    read = backend.request("GET", f"/reviews/{path_id}", params={"as_of": "2024-03-16"})
    documented(read, "GET", "/reviews/{review_id}")
    assert read.status_code == 404
    append = post(backend, f"/reviews/{path_id}/events", ALLOCATED, **{"If-Match": '"0"'})
    assert append.status_code == 404


def test_a_nul_character_in_a_document_is_never_a_500(backend: LiveServer) -> None:
    identifier = open_review(backend, "nul")
    event = {**ALLOCATED, "reviewer": "R-\u0000"}
    appended = post(backend, f"/reviews/{identifier}/events", event, **{"If-Match": '"0"'})
    documented(appended, "POST", "/reviews/{review_id}/events")
    assert appended.status_code in (200, 422)
    opened = post(backend, "/reviews", {**notification(review_id("nul-body")), "id": "N-\u0000"})
    documented(opened, "POST", "/reviews")
    assert opened.status_code == 422
