"""Live updates over websockets (graphql-transport-ws) against real uvicorn processes: authorization
at subscribe time and per event, internal notes never reaching the requester, and (on PostgreSQL +
Redis) two API processes plus a worker, subscriber on one, writer on the other."""

from __future__ import annotations

import asyncio

import pytest

from tests.live_servers import gql, processes, server_env, subscribe
from tests.tickets import AVAILABILITY, CREATE, REPLY, ticket_input

EVENTS = """
subscription Events($ticketId: ID!) {
  ticketEvents(ticketId: $ticketId) { kind ticketId status message { body internal kind } }
}
"""


def _env(client, **extra: str) -> dict[str, str]:
    settings = client.services.settings
    return server_env(
        env="test",
        database_url=settings.database_url,
        redis_url=settings.redis_url,
        secret_key=settings.secret_key,
        var_dir=str(settings.var_dir),
        **extra,
    )


async def _reply(base, account, ticket_id, body, internal=False):
    result = await gql(
        base, REPLY, {"input": {"ticketId": ticket_id, "body": body, "internal": internal}}, account.token
    )
    assert result["data"]["ticketReply"]["__typename"] == "TicketMessage", result
    return result


async def _prime(base, author, ticket_id, subscriptions) -> None:
    """Reply until every subscription has seen an event (its redis subscription is live)."""
    waiting = set(range(len(subscriptions)))
    for attempt in range(20):
        await _reply(base, author, ticket_id, f"prime-{attempt}")
        for index in list(waiting):
            try:
                message = await subscriptions[index].next(timeout=1.5)
            except TimeoutError:
                continue
            assert message["type"] == "next", message
            waiting.discard(index)
        if not waiting:
            return
    raise AssertionError("subscriptions never became live")


async def _until_marker(subscription, marker: str) -> list[dict]:
    """Message events up to and including the one carrying `marker`, primes left out."""
    seen = []
    while True:
        message = await subscription.next(timeout=10)
        assert message["type"] == "next", message
        event = message["payload"]["data"]["ticketEvents"]
        body = (event["message"] or {}).get("body", "")
        if body.startswith("prime-") or event["message"] is None:
            continue
        seen.append(event)
        if body == marker:
            return seen


async def test_ticket_events_over_websocket(client):
    # given a requester, another user, an agent and a live API server on the same database
    alice = await client.signup(name="Alice")
    bob = await client.signup(name="Bob")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    with processes() as procs:
        base = await asyncio.to_thread(procs.server, _env(client))
        created = await gql(base, CREATE, ticket_input(), alice.token)
        ticket_id = created["data"]["ticketCreate"]["id"]
        # another user and anonymous callers are refused at subscribe time
        async with subscribe(base, bob.token, EVENTS, {"ticketId": ticket_id}) as sub:
            refused = await sub.next()
            assert refused["type"] == "next", refused
            assert refused["payload"]["data"] is None
            assert refused["payload"]["errors"], refused
            assert "NOT_FOUND" in str(refused)
        async with subscribe(base, None, EVENTS, {"ticketId": ticket_id}) as sub:
            assert "UNAUTHENTICATED" in str(await sub.next())
        # when requester and agent subscribe and the agent writes a note and then a reply
        async with (
            subscribe(base, alice.token, EVENTS, {"ticketId": ticket_id}) as mine,
            subscribe(base, agent.token, EVENTS, {"ticketId": ticket_id}) as theirs,
        ):
            await _prime(base, agent, ticket_id, [mine, theirs])
            await _reply(base, agent, ticket_id, "internal: refund flagged", internal=True)
            await _reply(base, agent, ticket_id, "marker: refund sent")
            # then the requester gets the reply but never the note, the agent gets both
            requester_events = await _until_marker(mine, "marker: refund sent")
            assert [e["message"]["body"] for e in requester_events] == ["marker: refund sent"]
            assert (
                requester_events[0]["kind"] == "ticket.replied"
                and requester_events[0]["ticketId"] == ticket_id
            )
            agent_events = await _until_marker(theirs, "marker: refund sent")
            assert [e["message"]["internal"] for e in agent_events] == [True, False]


async def test_two_api_processes_and_a_worker(client, backend):
    """A subscriber on one API process receives what another process and the worker write."""
    if not backend.is_real:
        pytest.skip("needs PostgreSQL + Redis (SELFSERVE_TEST_BACKEND=services)")
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    env = _env(client, jobs_in_process="false")
    with processes() as procs:
        first, second = await asyncio.gather(
            asyncio.to_thread(procs.server, env), asyncio.to_thread(procs.server, env)
        )
        procs.worker(env)
        created = await gql(first, CREATE, ticket_input(), alice.token)
        ticket = created["data"]["ticketCreate"]
        assert ticket["assignee"] is None
        async with subscribe(first, alice.token, EVENTS, {"ticketId": ticket["id"]}) as sub:
            # a reply written through the second process arrives on the first
            await _prime(second, agent, ticket["id"], [sub])
            await _reply(second, agent, ticket["id"], "marker: from process two")
            events = await _until_marker(sub, "marker: from process two")
            assert events[-1]["kind"] == "ticket.replied"
            # the worker's queue job assigns a waiting ticket when an agent becomes available
            waiting = (await gql(second, CREATE, ticket_input(), alice.token))["data"]["ticketCreate"]
        async with subscribe(first, alice.token, EVENTS, {"ticketId": waiting["id"]}) as sub:
            await _prime(second, alice, waiting["id"], [sub])
            await gql(second, AVAILABILITY, {"available": True}, agent.token)
            while True:
                event = (await sub.next(timeout=30))["payload"]["data"]["ticketEvents"]
                if event["kind"] == "ticket.assigned":
                    break
