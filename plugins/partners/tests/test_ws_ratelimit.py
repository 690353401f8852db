"""Operations over the graphql-transport-ws websocket count against the same per-app and per-IP
rate limits as HTTP: over the limit one operation is answered with an `error` message carrying
`extensions.code = RATE_LIMITED`, and the connection stays usable for the next operations."""

from __future__ import annotations

import pytest

from tests.helpers import REGISTER, grant_roles, settings_for, sync_app_client
from tests.partner_apps import APP_CREATE

VIEWER = "{ viewer { kind } }"


@pytest.fixture
def ws_app(backend, tmp_path):
    with sync_app_client(settings_for(backend, tmp_path)) as client:  # websockets need a sync client
        yield client


def _gql(client, query, variables=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


def _admin_token(client) -> str:
    email = "ws-admin@example.com"
    body = _gql(
        client, REGISTER, {"input": {"email": email, "password": "correct horse battery", "displayName": "A"}}
    )
    token = body.json()["data"]["accountRegister"]["accessToken"]
    client.portal.call(grant_roles, client.app.state.services, email, ("ADMIN",))
    return token


def _app_token(client, admin_token, name, limit) -> str:
    variables = {"input": {"name": name, "permissions": ["tickets:read"], "rateLimitPerMinute": limit}}
    created = _gql(client, APP_CREATE, variables, admin_token).json()["data"]["appCreate"]
    assert created["__typename"] == "AppCreated", created
    return created["token"]


def _run(ws, op_id: str, query: str) -> list[dict]:
    """One operation over an open socket: its messages up to `complete` or `error`."""
    ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query}})
    messages = [ws.receive_json()]
    while messages[-1]["type"] not in ("complete", "error"):
        messages.append(ws.receive_json())
    return messages


def _connect(ws, token=None):
    payload = {"authorization": f"Bearer {token}"} if token else {}
    ws.send_json({"type": "connection_init", "payload": payload})
    assert ws.receive_json()["type"] == "connection_ack"


def test_an_app_over_its_limit_on_the_websocket_gets_rate_limited_and_the_socket_lives_on(ws_app):
    admin = _admin_token(ws_app)
    token = _app_token(ws_app, admin, "Live", 3)
    other = _app_token(ws_app, admin, "Other", 3)
    with ws_app.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _connect(ws, token)
        for op_id in ("1", "2"):
            answered = _run(ws, op_id, VIEWER)
            assert answered[0] == {
                "id": op_id,
                "type": "next",
                "payload": {"data": {"viewer": {"kind": "APP"}}},
            }
        # HTTP and the websocket share the app's budget: the third call of the minute is over HTTP.
        assert _gql(ws_app, VIEWER, token=token).status_code == 200
        (refused,) = _run(ws, "3", VIEWER)
        assert (refused["id"], refused["type"]) == ("3", "error")
        (error,) = refused["payload"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert 1 <= error["extensions"]["retryAfter"] <= 60
        assert error["message"].startswith("Too many requests.")
        # The connection is still open and serves operations again once the budget allows.
        ws.send_json({"type": "ping"})
        assert ws.receive_json()["type"] == "pong"
        ws_app.portal.call(ws_app.app.state.services.request_limits.reset)
        again = _run(ws, "4", VIEWER)
        assert again[0]["payload"] == {"data": {"viewer": {"kind": "APP"}}}
    assert _gql(ws_app, VIEWER, token=other).status_code == 200


def test_anonymous_websocket_operations_count_per_ip(ws_app):
    limiter = ws_app.app.state.services.request_limits
    limiter.ip_per_minute = 2
    ws_app.portal.call(limiter.reset)
    with ws_app.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _connect(ws)
        assert _run(ws, "a", VIEWER)[0]["payload"] == {"data": {"viewer": {"kind": "ANONYMOUS"}}}
        assert _run(ws, "b", VIEWER)[0]["type"] == "next"
        (refused,) = _run(ws, "c", VIEWER)
        assert refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
    # The same address over HTTP is over the same budget.
    assert _gql(ws_app, VIEWER).status_code == 429
