"""Tokens and scopes through a live server; ``leder serve``'s refusals; ``leder.fhir-request/1``
on the command line."""

from __future__ import annotations

import builtins
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_documents import BUNDLE, documented, fhir_request, notification, review_id
from server_harness import READ_TOKEN, WRITE_TOKEN, LiveServer

from helpers import run
from leder_core.server import Tokens, TokensFileError, load_tokens

ROOT = Path(__file__).resolve().parents[2]
JSON = {"Content-Type": "application/json"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- tokens -------------------------------------------------------------------------------


def test_health_needs_no_token(guarded: LiveServer) -> None:
    assert guarded.request("GET", "/health").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("not-a-known-token-0000000000"),
        bearer(READ_TOKEN[:-1]),
        {"Authorization": f"Basic {READ_TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": b"Bearer \xc3\xa9\xc3\xa9\xc3\xa9"},
    ],
)
def test_a_missing_or_unknown_token_is_401(guarded: LiveServer, headers: dict[str, Any]) -> None:
    response = guarded.request("GET", "/rules", headers=headers)
    documented(response, "GET", "/rules")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert READ_TOKEN not in response.text


def test_a_read_token_reads_but_does_not_write(guarded: LiveServer) -> None:
    assert guarded.request("GET", "/rules", headers=bearer(READ_TOKEN)).status_code == 200
    assessed = guarded.request(
        "POST",
        "/assessments",
        content=json.dumps(notification()),
        headers={**JSON, **bearer(READ_TOKEN)},
    )
    assert assessed.status_code == 200
    refused = guarded.request(
        "POST",
        "/reviews",
        content=json.dumps(notification(review_id("read-only"))),
        headers={**JSON, **bearer(READ_TOKEN)},
    )
    documented(refused, "POST", "/reviews")
    assert refused.status_code == 403
    assert "insufficient_scope" in refused.headers["www-authenticate"]


def test_a_write_token_writes_and_reads(guarded: LiveServer) -> None:
    identifier = review_id("written")
    opened = guarded.request(
        "POST",
        "/reviews",
        content=json.dumps(notification(identifier)),
        headers={**JSON, **bearer(WRITE_TOKEN)},
    )
    assert opened.status_code == 201
    read = guarded.request(
        "GET", f"/reviews/{identifier}?as_of=2024-03-16", headers=bearer(WRITE_TOKEN)
    )
    assert read.status_code == 200


def test_no_token_in_the_log(guarded: LiveServer) -> None:
    guarded.request("GET", "/rules", headers=bearer(READ_TOKEN))
    guarded.request("GET", "/rules", headers=bearer("not-a-known-token-0000000000"))
    log = "\n".join(guarded.log_after("GET /rules 401"))
    assert "GET /rules 401" in log
    assert READ_TOKEN not in log
    assert "not-a-known-token" not in log


def test_every_token_is_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    compared: list[bytes] = []
    original = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        compared.append(b)
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    tokens = Tokens(((b"a" * 16, "read"), (b"b" * 16, "write")))  # type: ignore[arg-type]
    assert tokens.scope_of(b"a" * 16) == "read"
    assert compared == [b"a" * 16, b"b" * 16]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("short read\n", 1, "16 to 512"),
        ("# comment\n\nabcdefghijklmnopqrstuvwxyz admin\n", 3, "'read' or 'write'"),
        ("abcdefghijklmnopqrstuvwxyz\n", 1, "expected '<token> <scope>'"),
        ("abcdefghijklmnopqrstuvwxyz read\nabcdefghijklmnopqrstuvwxyz write\n", 2, "listed"),
        ("abcdefghijklmnop\u00e9rstuvwxyz read\n", 1, "16 to 512"),
    ],
)
def test_a_malformed_tokens_file_names_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "tokens"
    path.write_text(content, "utf-8")
    with pytest.raises(TokensFileError) as raised:
        load_tokens(str(path))
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert message in str(raised.value)
    assert "abcdefghijklmnop" not in str(raised.value)


def test_an_empty_tokens_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text("# nothing\n", "utf-8")
    with pytest.raises(TokensFileError, match="no tokens"):
        load_tokens(str(path))


# --- leder serve --------------------------------------------------------------------------


def test_serve_without_the_extra_names_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_import = builtins.__import__

    def without_uvicorn(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "uvicorn" or name.startswith("uvicorn."):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    for module in [name for name in sys.modules if name.startswith("leder_core.server")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.delitem(sys.modules, "uvicorn", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_uvicorn)
    code, _, err = run(capsys, "serve", "--store", f"sqlite:///{tmp_path / 'r.db'}")
    assert code == 2
    assert "leder-core[server]" in err


def test_serve_without_tokens_refuses_a_public_address(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys,
        "serve",
        "--store",
        f"sqlite:///{tmp_path / 'r.db'}",
        "--host",
        "0.0.0.0",  # noqa: S104
    )
    assert code == 2
    assert "--tokens" in err
    assert "loopback" in err


def test_serve_refuses_a_malformed_tokens_file_without_echoing_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("secret-short read\n", "utf-8")
    code, _, err = run(
        capsys, "serve", "--store", f"sqlite:///{tmp_path / 'r.db'}", "--tokens", str(tokens)
    )
    assert code == 2
    assert f"{tokens}:1:" in err
    assert "secret-short" not in err


def test_serve_refuses_a_bad_max_body(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "serve", "--store", f"sqlite:///{tmp_path / 'r.db'}", "--max-body", "0"
    )
    assert code == 2
    assert "--max-body" in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_leder_serve_runs_as_a_process(tmp_path: Path) -> None:
    """The command itself: starts, answers /health, stops on Ctrl-C, logs no path value."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the interpreter running the tests, fixed args
        [
            sys.executable,
            "-m",
            "leder_core",
            "serve",
            "--store",
            f"sqlite:///{tmp_path / 'r.db'}",
            "--port",
            str(port),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "leder serve stopped"
                assert time.monotonic() < deadline, "leder serve did not answer"
                time.sleep(0.1)
        assert health.json()["store"] == "sqlite"
        secret = review_id("process")
        httpx.get(f"http://127.0.0.1:{port}/reviews/{secret}?as_of=2024-01-01", timeout=5)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "GET /health 200" in err
    assert "GET /reviews/{review_id} 404" in err
    assert secret not in err
    assert "2024-01-01" not in err


# --- leder.fhir-request/1 on the command line ---------------------------------------------


def test_leder_fhir_reads_a_request_and_its_options_override_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(fhir_request("N-REQ")), "utf-8")
    code, out, _ = run(capsys, "fhir", str(path), "--set-fact", "id=N-OTHER")
    assert code == 0
    extract = json.loads(out)
    assert extract["notification"]["id"] == "N-OTHER"
    assert extract["notification"]["notified_on"] == "2024-03-15"  # from the request
    plain = tmp_path / "bundle.json"
    plain.write_text(json.dumps(BUNDLE), "utf-8")
    supplied = tmp_path / "supplied.json"
    supplied.write_text(json.dumps({**fhir_request("N-OTHER")["supplied"]}), "utf-8")
    code, same, _ = run(capsys, "fhir", str(plain), "--supplied", str(supplied))
    assert code == 0
    assert json.loads(same) == extract


def test_leder_fhir_reports_request_problems_with_request_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = fhir_request()
    del request["supplied"]["notifier_role"]
    request["extra"] = True
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request), "utf-8")
    code, _, err = run(capsys, "fhir", str(path))
    assert code == 2
    assert "$.extra: unknown key" in err
    request.pop("extra")
    path.write_text(json.dumps(request), "utf-8")
    code, _, err = run(capsys, "fhir", str(path))
    assert code == 2
    assert "$.supplied" in err or "$.fhir" in err


def test_leder_schema_fhir_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "fhir-request")
    assert code == 0
    schema = json.loads(out)
    assert schema["required"] == ["schema", "fhir"]
    assert schema["properties"]["schema"] == {"const": "leder.fhir-request/1"}
