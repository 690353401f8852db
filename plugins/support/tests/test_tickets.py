"""Tickets through HTTP: create, list, reply, internal notes, status, rating, as each kind of caller."""

from __future__ import annotations

from plugins.support.tests.gql import MESSAGES, RATE, TICKETS
from tests.tickets import (
    ASSIGN,
    CREATE,
    REPLY,
    SET_STATUS,
    create_ticket,
    make_available,
    reply,
    ticket_input,
)


async def test_user_creates_ticket_and_sees_only_own(client):
    # given two users and an agent
    alice = await client.signup(name="Alice")
    bob = await client.signup(name="Bob")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    # when alice files a ticket
    ticket = await create_ticket(client, alice)
    # then it is NEW, NORMAL, with the 4 h first response target and her message last
    assert ticket["status"] == "NEW" and ticket["priority"] == "NORMAL"
    assert ticket["requester"]["displayName"] == "Alice" and ticket["assignee"] is None
    assert ticket["lastMessage"]["body"] == "I asked for a refund 5 days ago."
    # alice sees it, bob does not, the agent does (queue)
    mine = await client.gql(TICKETS, token=alice.token)
    assert [e["node"]["id"] for e in mine["data"]["tickets"]["edges"]] == [ticket["id"]]
    theirs = await client.gql(TICKETS, token=bob.token)
    assert theirs["data"]["tickets"]["edges"] == []
    queue = await client.gql(TICKETS, token=agent.token)
    assert [e["node"]["id"] for e in queue["data"]["tickets"]["edges"]] == [ticket["id"]]
    # node(id:) obeys the same
    assert (await client.gql(MESSAGES, {"id": ticket["id"]}, token=bob.token))["data"]["node"] is None
    assert (await client.gql(MESSAGES, {"id": ticket["id"]}))["data"]["node"] is None
    node = (await client.gql(MESSAGES, {"id": ticket["id"]}, token=alice.token))["data"]["node"]
    assert node["__typename"] == "Ticket"


async def test_anonymous_is_unauthenticated(client):
    body = await client.gql(CREATE, ticket_input())
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await client.gql(TICKETS)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_bad_input_is_typed_and_writes_nothing(client):
    alice = await client.signup()
    cases = [
        ({"body": "   "}, "EMPTY_BODY", "input.body"),
        ({"subject": ""}, "EMPTY_BODY", "input.subject"),
        ({"category": "nope.unknown"}, "UNKNOWN_CATEGORY", "input.category"),
        ({"subject": "x" * 201}, "INVALID_INPUT", "input.subject"),
    ]
    for overrides, code, field in cases:
        body = await client.gql(CREATE, ticket_input(**overrides), token=alice.token)
        result = body["data"]["ticketCreate"]
        assert result["__typename"] == "SupportError", body
        assert (result["code"], result["field"]) == (code, field)
    listed = await client.gql(TICKETS, token=alice.token)
    assert listed["data"]["tickets"]["edges"] == []


async def test_internal_notes_never_reach_the_requester(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    # the requester cannot write notes
    denied = await reply(client, alice, ticket["id"], "secret?", internal=True)
    assert denied["__typename"] == "SupportError" and denied["field"] == "input.internal"
    note = await reply(client, agent, ticket["id"], "VIP, handle with care", internal=True)
    assert note["__typename"] == "TicketMessage" and note["internal"] is True
    # alice sees neither the note in messages nor as last message
    node = (await client.gql(MESSAGES, {"id": ticket["id"]}, token=alice.token))["data"]["node"]
    assert [m["node"]["body"] for m in node["messages"]["edges"]] == ["I asked for a refund 5 days ago."]
    assert "note" not in [h["kind"] for h in node["history"]]
    listed = (await client.gql(TICKETS, token=alice.token))["data"]["tickets"]["edges"][0]["node"]
    assert listed["lastMessage"]["body"] == "I asked for a refund 5 days ago."
    # the agent sees both
    node = (await client.gql(MESSAGES, {"id": ticket["id"]}, token=agent.token))["data"]["node"]
    assert [m["node"]["internal"] for m in node["messages"]["edges"]] == [False, True]


async def test_reply_flow_status_and_rating(client):
    alice = await client.signup(name="Alice")
    bob = await client.signup(name="Bob")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    # bob cannot reply or rate: NOT_FOUND (not enumerable)
    body = await client.gql(REPLY, {"input": {"ticketId": ticket["id"], "body": "hi"}}, token=bob.token)
    assert body["data"]["ticketReply"]["code"] == "NOT_FOUND"
    # agent replies: assigned to them, OPEN
    answer = await reply(client, agent, ticket["id"], "We are checking.")
    assert answer["kind"] == "AGENT" and answer["author"]["displayName"] == "Agent"
    # rating before solved is refused
    early = await client.gql(RATE, {"ticketId": ticket["id"], "score": 5}, token=alice.token)
    assert early["data"]["ticketRate"]["code"] == "NOT_SOLVED"
    # agent marks PENDING then SOLVED; the requester rates once
    for status in ("PENDING", "SOLVED"):
        result = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": status}, token=agent.token)
        assert result["data"]["ticketSetStatus"]["status"] == status
    for score, code in ((0, "INVALID_SCORE"), (6, "INVALID_SCORE")):
        bad = await client.gql(RATE, {"ticketId": ticket["id"], "score": score}, token=alice.token)
        assert bad["data"]["ticketRate"]["code"] == code
    other = await client.gql(RATE, {"ticketId": ticket["id"], "score": 5}, token=bob.token)
    assert other["data"]["ticketRate"]["code"] == "NOT_FOUND"
    ok = await client.gql(RATE, {"ticketId": ticket["id"], "score": 4, "comment": "fast"}, token=alice.token)
    assert ok["data"]["ticketRate"] == {"__typename": "TicketRating", "score": 4, "comment": "fast"}
    twice = await client.gql(RATE, {"ticketId": ticket["id"], "score": 5}, token=alice.token)
    assert twice["data"]["ticketRate"]["code"] == "ALREADY_RATED"
    # closing is final: replies are refused
    closed = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "CLOSED"}, token=agent.token)
    assert closed["data"]["ticketSetStatus"]["status"] == "CLOSED"
    late = await reply(client, alice, ticket["id"], "one more thing")
    assert late["__typename"] == "SupportError" and late["code"] == "TICKET_CLOSED"
    back = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "OPEN"}, token=agent.token)
    assert back["data"]["ticketSetStatus"]["code"] == "INVALID_STATUS_CHANGE"


async def test_assignment_manual_auto_and_non_agent(client):
    alice = await client.signup(name="Alice")
    busy = await client.signup(name="Busy", roles=("AGENT",))
    idle = await client.signup(name="Idle", roles=("AGENT",))
    await make_available(client, busy)
    first = await create_ticket(client, alice)
    assert (
        first["assignee"]["id"] == busy["id"]
        if isinstance(busy, dict)
        else first["assignee"]["id"] == busy.id
    )
    await make_available(client, idle)
    # least loaded available agent gets the next one
    second = await create_ticket(client, alice)
    assert second["assignee"]["id"] == idle.id and second["status"] == "OPEN"
    # manual assignment to a non-agent is a typed error; a user may not assign at all
    bad = await client.gql(ASSIGN, {"ticketId": second["id"], "agentId": alice.id}, token=busy.token)
    assert bad["data"]["ticketAssign"]["code"] == "NOT_AN_AGENT"
    denied = await client.gql(ASSIGN, {"ticketId": second["id"], "agentId": busy.id}, token=alice.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    moved = await client.gql(ASSIGN, {"ticketId": second["id"], "agentId": busy.id}, token=idle.token)
    assert moved["data"]["ticketAssign"]["assignee"]["id"] == busy.id


async def test_requester_may_only_mark_solved_and_auto_assign_needs_an_available_agent(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    pending = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "PENDING"}, token=alice.token)
    assert pending["data"]["ticketSetStatus"]["code"] == "INVALID_STATUS_CHANGE"
    nobody = await client.gql(ASSIGN, {"ticketId": ticket["id"]}, token=agent.token)
    assert nobody["data"]["ticketAssign"]["code"] == "NO_AGENT_AVAILABLE"
    await make_available(client, agent)
    auto = await client.gql(ASSIGN, {"ticketId": ticket["id"]}, token=agent.token)
    assert auto["data"]["ticketAssign"]["assignee"]["id"] == agent.id
    solved = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "SOLVED"}, token=alice.token)
    assert solved["data"]["ticketSetStatus"]["status"] == "SOLVED"
    # a requester reply reopens it
    await reply(client, alice, ticket["id"], "actually, not yet")
    node = await client.gql(MESSAGES, {"id": ticket["id"]}, token=alice.token)
    assert node["data"]["node"]["number"] == ticket["number"]
    listed = await client.gql(TICKETS, {"status": "OPEN"}, token=alice.token)
    assert [e["node"]["id"] for e in listed["data"]["tickets"]["edges"]] == [ticket["id"]]
