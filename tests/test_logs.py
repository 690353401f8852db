"""Structured logs: one JSON line per request with the request id the client sent (echoed in the
answer), the operation name and the caller's kind; every other logger's lines are JSON too and carry
the request id; tokens, passwords and emails never appear. Checked in-process through the real
logging configuration, and on a real `selfserve serve` process."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import time

import httpx
import pytest
import structlog

from selfserve.logs import configure_logging
from tests.helpers import settings_for

PASSWORD = "hunter2-Very-Secret-passphrase"
LOGIN = """
mutation SignIn($input: AccountLoginInput!) {
  accountLogin(input: $input) { __typename }
}
"""


@pytest.fixture
def json_log(backend, tmp_path):
    """The process's logging configured as in production (JSON) into a buffer; restored after."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogger("selfserve").level)
    handler = configure_logging(settings_for(backend, tmp_path, log_format="json"), stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for old in saved[1]:
            if old not in root.handlers:
                root.addHandler(old)
        root.setLevel(saved[0])
        logging.getLogger("selfserve").setLevel(saved[2])
        structlog.reset_defaults()


def lines_of(stream: io.StringIO) -> list[dict]:
    """Every line written, each parsed as JSON (a line that is not JSON fails the test)."""
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_one_json_line_per_request_with_the_callers_request_id(make_client, json_log):
    async with make_client(plugins="account") as client:
        account = await client.signup()
        answer = await client.http.post(
            "/graphql",
            json={"query": "query WhoAmI { me { id } }"},
            headers={"X-Request-ID": "client-req-42", **account.headers},
        )
        assert answer.status_code == 200
        assert answer.headers["x-request-id"] == "client-req-42"
        bad_id = await client.http.get(
            "/health/live", headers={"X-Request-ID": "no spaces <script>" + "x" * 80}
        )
        generated = bad_id.headers["x-request-id"]
    assert "script" not in generated and len(generated) == 32
    requests = [line for line in lines_of(json_log) if line["logger"] == "selfserve.request"]
    (mine,) = [line for line in requests if line["request_id"] == "client-req-42"]
    assert mine["event"] == "request" and mine["level"] == "info"
    assert (mine["method"], mine["path"], mine["status"]) == ("POST", "/graphql", 200)
    assert mine["operation"] == "WhoAmI"
    assert mine["actor"] == "user"
    assert mine["duration_ms"] >= 0 and "timestamp" in mine
    (probe,) = [line for line in requests if line["request_id"] == generated]
    assert (probe["path"], probe["actor"]) == ("/health/live", "anonymous")
    # One line per request: the signup, the query and the probe.
    assert len(requests) == 3


async def test_other_loggers_lines_carry_the_request_id(make_client, json_log):
    from tests.plugins.dummy import hooks as dummy

    async with make_client(extra_plugins=(dummy,)) as client:
        body = await client.gql(
            '{ dummyEcho(label: "crash") { __typename } }', headers={"X-Request-ID": "crash-7"}
        )
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    (error,) = [line for line in lines_of(json_log) if line["logger"] == "selfserve.graphql"]
    assert error["level"] == "error"
    assert error["request_id"] == "crash-7"  # bound through contextvars, not passed by the caller
    assert "RuntimeError: secret internal detail" in error["exception"]


async def test_tokens_passwords_and_emails_stay_out_of_the_log(make_client, json_log):
    async with make_client(plugins="account") as client:
        account = await client.signup(email="private.person@example.com", password=PASSWORD)
        await client.gql(
            LOGIN,
            {"input": {"login": "private.person@example.com", "password": PASSWORD}},
            headers={"X-Request-ID": "login-1", **account.headers},
        )
        await client.gql("{ me { id } }", token="not-a-real-token-abcdef")
        logging.getLogger("selfserve.test").warning(
            "caller sent Bearer %s", account.token, extra={"email": account.email, "password": PASSWORD}
        )
    text = json_log.getvalue()
    for secret in (PASSWORD, account.token, account.refresh_token, "private.person", "not-a-real-token"):
        assert secret not in text
    (login,) = [line for line in lines_of(json_log) if line.get("request_id") == "login-1"]
    assert (login["operation"], login["actor"]) == ("SignIn", "user")
    assert "user_id" not in login and "ip" not in login
    (warning,) = [line for line in lines_of(json_log) if line["logger"] == "selfserve.test"]
    assert warning["event"] == "caller sent Bearer [redacted]"
    assert warning["email"] == warning["password"] == "[redacted]"


def test_a_served_process_logs_json_lines_with_the_echoed_request_id(tmp_path):
    port = 20121
    env = {
        "SELFSERVE_ENV": "development",
        "SELFSERVE_LOG_FORMAT": "json",
        "SELFSERVE_PLUGINS": "account",
        "SELFSERVE_VAR_DIR": str(tmp_path),
        "SELFSERVE_DATABASE_URL": "",
        "SELFSERVE_REDIS_URL": "",
        "PATH": "/usr/bin:/bin",
    }
    command = [sys.executable, "-c", "from selfserve.cli import main; main()", "serve", "--port", str(port)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert child.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(base + "/health/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        answer = httpx.post(
            base + "/graphql",
            json={"query": "query Served { me { id } }"},
            headers={"X-Request-ID": "served-1", "Authorization": "Bearer secret-token-value"},
            timeout=30,
        )
        assert answer.headers["x-request-id"] == "served-1"
    finally:
        child.terminate()
        _, stderr = child.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    (served,) = [line for line in lines if line.get("request_id") == "served-1"]
    assert (served["logger"], served["operation"], served["status"]) == ("selfserve.request", "Served", 200)
    assert "secret-token-value" not in stderr
