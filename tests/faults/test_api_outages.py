"""Outages seen from outside (issue 12, findings 5-7): two real API processes reach PostgreSQL and
Redis through TCP proxies; the test cuts, freezes and restores them and talks HTTP and websockets
to the processes as a client would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid

import httpx
import pytest
import websockets

from tests.faults.servers import deployment, post
from tests.helpers import REGISTER

pytestmark = pytest.mark.services

# `sessions` is read from the database on every request: the verified actor alone may come from the
# process's actor cache, which a database outage does not invalidate (nothing can change it then).
ME = "query { me { id displayName sessions(first: 1) { edges { node { id } } } } }"
LOGIN = """
mutation Login($input: AccountLoginInput!) {
  accountLogin(input: $input) { __typename }
}
"""
CREATE = """
mutation Create($input: TicketCreateInput!) {
  ticketCreate(input: $input) { __typename ... on Ticket { id } ... on SupportError { code } }
}
"""
REPLY = """
mutation Reply($input: TicketReplyInput!) {
  ticketReply(input: $input) { __typename ... on TicketMessage { id body } }
}
"""
EVENTS = "subscription E($ticketId: ID!) { ticketEvents(ticketId: $ticketId) { kind message { body } } }"


@pytest.fixture
async def services_backend(backend):
    if not backend.is_real:
        pytest.skip("fault tests need PostgreSQL + Redis (SELFSERVE_TEST_BACKEND=services)")
    return backend


def _signup(server) -> str:
    connection = server.connection()
    email = f"fault-{uuid.uuid4().hex[:10]}@example.com"
    variables = {"input": {"email": email, "password": "correct horse battery", "displayName": "Fault"}}
    response, body = post(connection, REGISTER, variables)
    assert body["data"]["accountRegister"]["__typename"] == "AuthSession", body
    connection.close()
    return body["data"]["accountRegister"]["accessToken"]


def _assert_unavailable(response, body) -> None:
    assert response.status == 503, body
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", body
    assert int(response.headers["Retry-After"]) > 0
    assert not response.will_close, "the keep-alive connection must stay usable"


def _until_ok(connection, query, token, seconds: float = 15.0):
    """Repeat a request on the same connection until it answers 200 (recovery by itself)."""
    give_up = time.monotonic() + seconds
    while True:
        response, body = post(connection, query, token=token)
        if response.status == 200 or time.monotonic() > give_up:
            return response, body
        time.sleep(0.3)


async def test_database_cut_answers_503_on_a_kept_alive_connection_and_recovers(services_backend, tmp_path):
    with deployment(services_backend, tmp_path) as group:
        server = await asyncio.to_thread(group.start_api)
        token = await asyncio.to_thread(_signup, server)
        connection = server.connection()
        response, body = post(connection, ME, token=token)
        assert response.status == 200 and body["data"]["me"]["displayName"] == "Fault", body
        socket_before = connection.sock
        lines_before = len(server.log_lines())

        # when the database goes away
        group.database.cut()
        for _ in range(10):  # signed in and anonymous, on the same connection
            _assert_unavailable(*post(connection, ME, token=token))
            login = {"input": {"login": "nobody@example.com", "password": "wrong password 123"}}
            _assert_unavailable(*post(connection, LOGIN, login))
        assert connection.sock is socket_before
        # and liveness stays green while readiness and the aggregate report name the database
        assert httpx.get(server.base + "/health/live").status_code == 200
        ready = httpx.get(server.base + "/health/ready")
        assert ready.status_code == 503 and ready.json()["database"] == "unavailable", ready.text
        health = httpx.get(server.base + "/health")
        assert health.status_code == 503 and health.json()["failing"] == ["database"], health.text

        # (the one access line per request, which carries `duration_ms=`, is not what this counts)
        outage_log = [line for line in server.log_lines()[lines_before:] if "duration_ms=" not in line]
        # then the log says once what is down, without a traceback per request
        assert not [line for line in outage_log if "Traceback" in line], outage_log
        assert len(outage_log) <= 4, outage_log
        assert any("database unavailable" in line for line in outage_log), outage_log

        # and when it is back the same connection answers again, without a restart
        group.database.restore()
        response, body = await asyncio.to_thread(_until_ok, connection, ME, token)
        assert response.status == 200 and body["data"]["me"]["displayName"] == "Fault", body
        assert connection.sock is socket_before
        connection.close()


async def test_frozen_database_answers_503_within_the_deadline(services_backend, tmp_path):
    # The database's own timeouts are longer than the client waits: only the deadline can answer.
    with deployment(
        services_backend,
        tmp_path,
        request_deadline_seconds="2",
        database_command_timeout_seconds="60",
        retry_after_seconds="7",
    ) as group:
        server = await asyncio.to_thread(group.start_api)
        token = await asyncio.to_thread(_signup, server)
        connection = server.connection(timeout=8)
        assert post(connection, ME, token=token)[0].status == 200

        group.database.freeze()
        try:
            response, body = post(connection, ME, token=token)  # the client gives up after 8 s
            _assert_unavailable(response, body)
            assert response.headers["Retry-After"] == "7"
        finally:
            group.database.restore()
        response, body = await asyncio.to_thread(_until_ok, connection, ME, token)
        assert response.status == 200, body
        connection.close()


class _Subscriber:
    def __init__(self, socket) -> None:
        self.socket = socket

    async def next_event(self, timeout: float) -> dict:
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            assert message["type"] == "next", message
            return message["payload"]["data"]["ticketEvents"]


@contextlib.asynccontextmanager
async def _subscribe(base: str, token: str, ticket_id: str):
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as socket:
        await socket.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        payload = {"query": EVENTS, "variables": {"ticketId": ticket_id}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        yield _Subscriber(socket)


async def _receive_marker(subscriber: _Subscriber, marker: str, seconds: float) -> bool:
    give_up = time.monotonic() + seconds
    while (left := give_up - time.monotonic()) > 0:
        try:
            event = await subscriber.next_event(left)
        except TimeoutError:
            return False
        if (event.get("message") or {}).get("body") == marker:
            return True
    return False


async def _reply_until_heard(writer, token, ticket_id, subscribers, seconds: float) -> list[bool]:
    """Reply (through `writer`) every half second until every subscriber heard one reply."""
    connection = writer.connection(timeout=5)
    heard = [False] * len(subscribers)
    give_up = time.monotonic() + seconds
    attempt = 0
    while not all(heard) and time.monotonic() < give_up:
        attempt += 1
        marker = f"marker-{attempt}"
        variables = {"input": {"ticketId": ticket_id, "body": marker}}
        with contextlib.suppress(OSError):
            response, _ = await asyncio.to_thread(post, connection, REPLY, variables, token)
            if response.status != 200:
                await asyncio.sleep(0.3)
                continue
        results = await asyncio.gather(
            *(_receive_marker(s, marker, 0.5) for s, done in zip(subscribers, heard, strict=True) if not done)
        )
        pending = [index for index, done in enumerate(heard) if not done]
        for index, got in zip(pending, results, strict=True):
            heard[index] = heard[index] or got
    connection.close()
    return heard


async def test_subscribers_hear_events_within_5_s_after_a_redis_cut(services_backend, tmp_path):
    with deployment(services_backend, tmp_path) as group:
        first = await asyncio.to_thread(group.start_api)
        second = await asyncio.to_thread(group.start_api)
        token = await asyncio.to_thread(_signup, first)
        connection = first.connection()
        _, created = post(connection, CREATE, {"input": {"category": "payments.refund", "subject": "Refund",
                                                         "body": "Where is my refund?"}}, token)  # fmt: skip
        connection.close()
        ticket_id = created["data"]["ticketCreate"]["id"]
        async with (
            _subscribe(first.base, token, ticket_id) as on_first,
            _subscribe(second.base, token, ticket_id) as on_second,
        ):
            # given both subscriptions are live
            assert await _reply_until_heard(second, token, ticket_id, [on_first, on_second], 20) == [
                True,
                True,
            ]

            # when Redis goes away for a while and comes back
            group.redis.cut()
            await asyncio.sleep(3)
            group.redis.restore()

            # then every subscriber hears events again within 5 s (the socket was never closed)
            heard = await _reply_until_heard(second, token, ticket_id, [on_first, on_second], 5)
            assert heard == [True, True]
            # and the hub said once what happened, no traceback
            for server in (first, second):
                lines = server.log_lines()
                assert not [line for line in lines if "Traceback" in line], lines[-30:]
                assert sum("event hub lost redis" in line for line in lines) == 1, lines[-30:]
