"""Websockets: graphql-transport-ws only (the legacy graphql-ws protocol is refused), auth in
`connection_init`."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient  # websockets need a sync client
from starlette.websockets import WebSocketDisconnect

from selfserve.app import create_app
from tests.helpers import settings_for


@pytest.fixture
def ws_client(backend, tmp_path):
    app = create_app(settings_for(backend, tmp_path, plugins="account"))
    with TestClient(app) as client:
        yield client


def test_graphql_transport_ws_handshake(ws_client):
    with ws_client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"type": "ping"})
        assert ws.receive_json()["type"] == "pong"


def test_legacy_protocol_is_refused(ws_client):
    with pytest.raises(WebSocketDisconnect):
        with ws_client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {}})
            ws.receive_json()


def test_a_bad_token_in_connection_init_is_rejected(ws_client):
    with ws_client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"authorization": "Bearer not-a-token"}})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4403


# Errors over the websocket carry the same `extensions.code` and translated message as over HTTP.


@pytest.fixture
def full_ws_client(backend, tmp_path):
    from tests.plugins.dummy import hooks as dummy

    app = create_app(settings_for(backend, tmp_path), extra_plugins=(dummy,))
    with TestClient(app) as client:
        yield client


def _subscribe(client, query, variables=None, *, language="en"):
    """Subscribe once; the messages up to and including `complete` or `error`."""
    headers = {"Accept-Language": language}
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as ws:
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
        )
        messages = []
        while not messages or messages[-1]["type"] not in ("complete", "error"):
            messages.append(ws.receive_json())
        return messages


def _errors(messages):
    last_with_errors = [m for m in messages if m["type"] == "error" or m.get("payload", {}).get("errors")][-1]
    payload = last_with_errors["payload"]
    return payload if isinstance(payload, list) else payload["errors"]


def test_websocket_auth_error_has_code_and_translated_message(full_ws_client):
    query = 'subscription { ticketEvents(ticketId: "VGlja2V0OjE") { kind } }'
    errors = _errors(_subscribe(full_ws_client, query, language="zh-CN"))
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert errors[0]["message"] == "请先登录。"


def test_websocket_validation_and_coercion_errors_have_codes(full_ws_client):
    unknown = _errors(_subscribe(full_ws_client, "subscription { dummyTicks(outcome: 1) { nope } }"))
    assert unknown[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    missing = _errors(_subscribe(full_ws_client, "subscription($o: String!) { dummyTicks(outcome: $o) }"))
    assert missing[0]["extensions"]["code"] == "BAD_USER_INPUT"
    text = _errors(
        _subscribe(full_ws_client, "subscription($o: String!) { dummyTicks(outcome: $o) }", {"o": "a\x00"})
    )
    assert text[0]["extensions"]["code"] == "INVALID_TEXT"


def test_websocket_errors_raised_while_streaming_have_codes(full_ws_client):
    expected = {
        "fail": "DUMMY_FAILED",
        "unauthenticated": "UNAUTHENTICATED",
        "limited": "RATE_LIMITED",
        "crash": "INTERNAL_SERVER_ERROR",
    }
    for outcome, code in expected.items():
        messages = _subscribe(full_ws_client, f'subscription {{ dummyTicks(outcome: "{outcome}") }}')
        assert messages[0]["payload"] == {"data": {"dummyTicks": 1}}
        error = _errors(messages)[0]
        assert error["extensions"]["code"] == code, (outcome, error)
        assert "secret internal detail" not in error["message"]
    limited = _errors(_subscribe(full_ws_client, 'subscription { dummyTicks(outcome: "limited") }'))[0]
    assert limited["extensions"]["retryAfter"] == 30
    assert limited["message"] == "Too many requests. Try again in 30 seconds."
