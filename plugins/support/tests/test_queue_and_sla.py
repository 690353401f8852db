"""The agents' queue, SQL statements per list, priority support and the SLA clock and jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import QueryCounter, use_orm
from core.hookspecs import hookimpl
from plugins.support.models import Ticket, TicketMessage
from plugins.support.tests.gql import RATE, TICKETS
from schema.relay import from_global_id
from tests.helpers import account_user_pk
from tests.tickets import SET_STATUS, create_ticket, reply

LIST = """
query { tickets(first: 100) { edges { node {
  number subject requester { displayName } assignee { displayName } lastMessage { body author { displayName } }
} } } }
"""


async def _seed(client, requester, agent, count: int) -> None:
    """`count` tickets with an assignee and two messages each, straight into the database."""
    requester_pk, agent_pk = int(account_user_pk(requester)), int(account_user_pk(agent))
    now = datetime.now(UTC)
    with use_orm(client.services.orm):
        await Ticket.filter().delete()
        tickets = [
            Ticket(
                requester_id=requester_pk, assignee_id=agent_pk, subject=f"t{i}", category="payments",
                status="OPEN", priority="NORMAL", due_at=now + timedelta(minutes=i),
            )
            for i in range(count)
        ]  # fmt: skip
        await Ticket.bulk_create(tickets)
        for ticket in await Ticket.all():
            first = await TicketMessage.create(
                ticket_id=ticket.pk, kind="REQUESTER", body="q", author_id=requester_pk
            )
            last = await TicketMessage.create(ticket_id=ticket.pk, kind="AGENT", body="a", author_id=agent_pk)
            assert first.pk < last.pk
            await Ticket.filter(id=ticket.pk).update(
                number=ticket.pk, last_message_id=last.pk, last_public_message_id=last.pk
            )


async def test_listing_10_or_100_tickets_costs_the_same_statements(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    counts = {}
    for size in (10, 100):
        await _seed(client, alice, agent, size)
        for who in (alice, agent):
            with QueryCounter() as counter:
                body = await client.gql(LIST, token=who.token)
            edges = body["data"]["tickets"]["edges"]
            assert len(edges) == size, body
            assert edges[0]["node"]["lastMessage"]["author"]["displayName"] == "Agent"
            counts[(size, who.email)] = counter.count
    assert counts[(10, alice.email)] == counts[(100, alice.email)]
    assert counts[(10, agent.email)] == counts[(100, agent.email)]


class _Grant:
    """A test plugin granting `priority_support` to one user."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id

    @hookimpl
    def entitlements_for_user(self, user_id, services):
        return ["priority_support"] if user_id == self.user_id else []


async def test_priority_support_gets_high_priority_and_faster_sla_and_queue_first(client):
    plain = await client.signup(name="Plain")
    vip = await client.signup(name="Vip")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    grant = _Grant(account_user_pk(vip))
    client.services.pm.register(grant, name="test-priority-grant")
    try:
        normal = await create_ticket(client, plain)
        high = await create_ticket(client, vip)
    finally:
        client.services.pm.unregister(grant)
    assert (normal["priority"], high["priority"]) == ("NORMAL", "HIGH")
    created = datetime.fromisoformat(high["createdAt"])
    assert datetime.fromisoformat(high["firstResponseDueAt"]) - created < timedelta(minutes=16)
    created = datetime.fromisoformat(normal["createdAt"])
    assert timedelta(hours=3, minutes=59) < datetime.fromisoformat(normal["firstResponseDueAt"]) - created
    queue = await client.gql(TICKETS, token=agent.token)
    assert [e["node"]["id"] for e in queue["data"]["tickets"]["edges"]] == [high["id"], normal["id"]]


async def test_sla_clock_pauses_in_pending_and_breach_job_notifies(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    pk = int(from_global_id(ticket["id"], "Ticket")[1])
    due = datetime.fromisoformat(ticket["resolutionDueAt"])
    # an hour in PENDING (simulated by moving `paused_at` back) moves both deadlines by an hour
    await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "PENDING"}, token=agent.token)
    with use_orm(client.services.orm):
        row = await Ticket.get(id=pk)
        await Ticket.filter(id=pk).update(paused_at=row.paused_at - timedelta(hours=1))
    # the breach job ignores PENDING tickets even when late
    late = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    assert await client.services.jobs.run_now("support.check_sla", now=late) == 0
    reopened = await reply(client, alice, ticket["id"], "any news?")
    assert reopened["__typename"] == "TicketMessage"
    with use_orm(client.services.orm):
        row = await Ticket.get(id=pk)
    assert row.status == "OPEN"
    assert timedelta(minutes=59) < row.resolution_due_at - due < timedelta(minutes=61)
    # late and open: both targets breached once, the assignee (here: none, so available agents) told
    assert await client.services.jobs.run_now("support.check_sla", now=late) == 2
    assert await client.services.jobs.run_now("support.check_sla", now=late) == 0
    with use_orm(client.services.orm):
        row = await Ticket.get(id=pk)
    assert row.first_response_breached and row.resolution_breached
    history = await client.gql(
        "query($id: ID!) { node(id: $id) { ... on Ticket { slaBreached history { kind } } } }",
        {"id": ticket["id"]},
        token=agent.token,
    )
    node = history["data"]["node"]
    assert node["slaBreached"] is True and "sla_breached" in [h["kind"] for h in node["history"]]
    requester_view = await client.gql(
        "query($id: ID!) { node(id: $id) { ... on Ticket { history { kind } } } }",
        {"id": ticket["id"]},
        token=alice.token,
    )
    assert "sla_breached" not in [h["kind"] for h in requester_view["data"]["node"]["history"]]


async def test_solved_tickets_get_a_survey_and_close_after_seven_days(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    await reply(client, agent, ticket["id"], "Done, refund sent.")
    await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "SOLVED"}, token=agent.token)
    jobs = client.services.jobs
    assert await jobs.run_now("support.send_surveys") == 1
    assert await jobs.run_now("support.send_surveys") == 0
    await jobs.drain()
    outbox = [m for m in client.services.notifier.read() if m["kind"] == "support.csat_survey"]
    assert len(outbox) == 1 and outbox[0]["user_id"] == account_user_pk(alice)
    # six days later nothing closes; eight days later it is CLOSED and rating still works once
    six = (datetime.now(UTC) + timedelta(days=6)).isoformat()
    eight = (datetime.now(UTC) + timedelta(days=8)).isoformat()
    assert await jobs.run_now("support.auto_close", now=six) == 0
    assert await jobs.run_now("support.auto_close", now=eight) == 1
    node = await client.gql(
        "query($id: ID!) { node(id: $id) { ... on Ticket { status } } }",
        {"id": ticket["id"]},
        token=alice.token,
    )
    assert node["data"]["node"]["status"] == "CLOSED"
    rated = await client.gql(RATE, {"ticketId": ticket["id"], "score": 5}, token=alice.token)
    assert rated["data"]["ticketRate"]["score"] == 5
