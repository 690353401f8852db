"""The ticket lists read only the columns their document selects (`ticket_columns`), and answer
each field exactly as a full read does, for the requester and for an agent."""

from __future__ import annotations

from plugins.support.desk import TICKET_COLUMNS
from plugins.support.types import TICKET_FIELD_COLUMNS, ticket_columns
from tests.tickets import create_ticket, make_available, reply

#: Every field of a Ticket without arguments, with small sub-selections.
FIELDS = {
    "id": "id",
    "number": "number",
    "subject": "subject",
    "status": "status",
    "priority": "priority",
    "category": "category",
    "firstResponseDueAt": "firstResponseDueAt",
    "resolutionDueAt": "resolutionDueAt",
    "createdAt": "createdAt",
    "requester": "requester { id displayName }",
    "requesterSecurityEvents": "requesterSecurityEvents { kind }",
    "assignee": "assignee { id displayName }",
    "messages": "messages { nodes { body } }",
    "lastMessage": "lastMessage { body internal }",
    "history": "history { kind }",
    "rating": "rating { score }",
    "mergedIntoNumber": "mergedIntoNumber",
    "firstRespondedAt": "firstRespondedAt",
    "solvedAt": "solvedAt",
    "slaBreached": "slaBreached",
    "conversationId": "conversationId",
}


def test_every_ticket_field_says_which_columns_it_reads(client):
    ticket_type = client.app.state.schema._schema.type_map["Ticket"]
    assert set(ticket_type.fields) == set(TICKET_FIELD_COLUMNS) == set(FIELDS)


def test_ticket_columns_follow_the_selection():
    assert ticket_columns(frozenset({"edges", "node", "id"})) == ()
    assert ticket_columns(frozenset({"subject", "lastMessage", "body"})) == (
        "subject",
        "last_message_id",
        "last_public_message_id",
    )
    assert ticket_columns(frozenset(FIELDS)) == tuple(
        c for c in TICKET_COLUMNS if c not in ("priority_rank", "due_at")
    )


async def test_each_field_alone_answers_as_the_full_selection(client):
    requester = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    await make_available(client, agent)
    first = await create_ticket(client, requester)
    await create_ticket(client, requester, subject="Second one")
    await reply(client, agent, first["id"], "Looking into it.")
    await reply(client, agent, first["id"], "Internal: check the ledger.", internal=True)
    everything = " ".join(FIELDS.values())
    for account in (requester, agent):
        full = await client.gql(f"{{ tickets {{ nodes {{ {everything} }} }} }}", token=account.token)
        assert "errors" not in full, full
        nodes = full["data"]["tickets"]["nodes"]
        assert len(nodes) == 2
        for name, selection in FIELDS.items():
            alone = await client.gql(f"{{ tickets {{ nodes {{ {selection} }} }} }}", token=account.token)
            assert "errors" not in alone, (name, alone)
            assert alone["data"]["tickets"]["nodes"] == [{name: node[name]} for node in nodes], name
