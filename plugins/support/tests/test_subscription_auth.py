"""Live `ticketEvents` subscriptions re-check their session (issue 11 #4, #21) against a real
uvicorn server and a real websocket client: at subscribe time, then on a timer that starts with
the subscription (1 s here, `SELFSERVE_SUPPORT_SUBSCRIPTION_RECHECK_SECONDS`), so a signed-out
session's stream ends with close code 4401 even when no event arrives; a subscription
authenticated by the upgrade request's `Authorization` header is re-checked with that header and
is not cut while its session is valid."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
import websockets

from plugins.support.tests.test_live import EVENTS, _env, _prime, _reply, _until_marker
from tests.helpers import LOGIN
from tests.live_servers import PROTOCOL, Subscription, gql, processes, subscribe
from tests.tickets import CREATE, ticket_input

pytestmark = pytest.mark.services
LOGOUT = "mutation { accountLogout }"
#: Long enough for several re-checks at 1 s; the test waits for a close, it never times anything.
WAIT_FOR_CLOSE = 15


@pytest.fixture
def live_backend(backend):
    if not backend.is_real:
        pytest.skip("starts uvicorn processes: services half (SELFSERVE_TEST_BACKEND=services)")
    return backend


async def _closed_with(subscription: Subscription) -> int:
    """Read until the server closes the socket; the close code."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT_FOR_CLOSE):
            while True:
                await subscription.next(timeout=WAIT_FOR_CLOSE)
    return closed.value.rcvd.code if closed.value.rcvd else -1


@contextlib.asynccontextmanager
async def _subscribe_with_header(base: str, token: str, variables: dict):
    """Authenticate with the upgrade request's `Authorization` header, not `connection_init`."""
    url = base.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    async with websockets.connect(url, subprotocols=[PROTOCOL], additional_headers=headers) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": variables}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        yield Subscription(socket)


async def _second_session(base: str, account) -> str:
    body = await gql(base, LOGIN, {"input": {"login": account.email, "password": account.password}})
    return body["data"]["accountLogin"]["accessToken"]


async def test_a_signed_out_session_stops_receiving_without_any_event(client, live_backend):
    alice = await client.signup()
    with processes() as procs:
        base = await asyncio.to_thread(procs.server, _env(client, support_subscription_recheck_seconds="1"))
        ticket_id = (await gql(base, CREATE, ticket_input(), alice.token))["data"]["ticketCreate"]["id"]
        async with subscribe(base, alice.token, EVENTS, {"ticketId": ticket_id}) as sub:
            await _prime(base, alice, ticket_id, [sub])
            # when alice signs out and nothing more happens on the ticket
            assert (await gql(base, LOGOUT, token=alice.token))["data"]["accountLogout"] is True
            # then the server ends the connection as unauthenticated
            assert await _closed_with(sub) == 4401


async def test_a_session_signed_out_before_subscribing_is_refused_at_subscribe_time(client, live_backend):
    alice = await client.signup()
    with processes() as procs:
        base = await asyncio.to_thread(procs.server, _env(client, support_subscription_recheck_seconds="1"))
        ticket_id = (await gql(base, CREATE, ticket_input(), alice.token))["data"]["ticketCreate"]["id"]
        other = await _second_session(base, alice)
        url = base.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
            # given a connection authenticated in connection_init
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {alice.token}"}}
            await socket.send(json.dumps(init))
            assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
            # when the session is signed out and only then a subscription starts
            assert (await gql(base, LOGOUT, token=alice.token))["data"]["accountLogout"] is True
            payload = {"query": EVENTS, "variables": {"ticketId": ticket_id}}
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            await _reply(base, type(alice)(**{**alice.__dict__, "token": other}), ticket_id, "after logout")
            # then it is refused: an UNAUTHENTICATED error or a 4401 close, never the event
            sub = Subscription(socket)
            try:
                message = await sub.next(timeout=WAIT_FOR_CLOSE)
                assert message["type"] == "error" and "UNAUTHENTICATED" in json.dumps(message), message
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd.code == 4401


async def test_header_authenticated_subscriptions_live_on_and_end_with_their_session(client, live_backend):
    alice = await client.signup()
    with processes() as procs:
        base = await asyncio.to_thread(procs.server, _env(client, support_subscription_recheck_seconds="1"))
        ticket_id = (await gql(base, CREATE, ticket_input(), alice.token))["data"]["ticketCreate"]["id"]
        second = await _second_session(base, alice)
        variables = {"ticketId": ticket_id}
        async with (
            _subscribe_with_header(base, alice.token, variables) as by_header,
            subscribe(base, second, EVENTS, variables) as by_init,
        ):
            await _prime(base, alice, ticket_id, [by_header, by_init])
            # when several re-check intervals pass, the header-authenticated stream is not cut
            await asyncio.sleep(3)
            await _reply(base, alice, ticket_id, "marker: still here")
            assert (await _until_marker(by_header, "marker: still here"))[-1]["ticketId"] == ticket_id
            # when the header's session signs out, that stream ends (4401), the other lives on
            assert (await gql(base, LOGOUT, token=alice.token))["data"]["accountLogout"] is True
            assert await _closed_with(by_header) == 4401
            account = type(alice)(**{**alice.__dict__, "token": second})
            await _reply(base, account, ticket_id, "marker: second session")
            assert (await _until_marker(by_init, "marker: second session"))[-1]["ticketId"] == ticket_id
