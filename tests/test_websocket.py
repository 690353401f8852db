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
