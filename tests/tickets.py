"""Support tickets as a client files and works them: the GraphQL documents and steps that tests of
several plugins share (a ticket is the usual thing to happen in a test of webhooks, staff tools or
feature flags)."""

from __future__ import annotations

from typing import Any

TICKET_FIELDS = """
  id number subject status priority category firstResponseDueAt resolutionDueAt createdAt
  requester { id displayName } assignee { id displayName }
  lastMessage { body internal kind }
"""
TICKET_FRAGMENT = "fragment TicketFields on Ticket {" + TICKET_FIELDS + "}"
CREATE = (
    """
mutation Create($input: TicketCreateInput!) {
  ticketCreate(input: $input) {
    __typename
    ... on Ticket { ...TicketFields }
    ... on SupportError { code field message }
  }
}
"""
    + TICKET_FRAGMENT
)
REPLY = """
mutation Reply($input: TicketReplyInput!) {
  ticketReply(input: $input) {
    __typename
    ... on TicketMessage { id body internal kind author { displayName } attachments { contentType size } }
    ... on SupportError { code field message }
  }
}
"""
ASSIGN = """
mutation Assign($ticketId: ID!, $agentId: ID) {
  ticketAssign(ticketId: $ticketId, agentId: $agentId) {
    __typename
    ... on Ticket { status assignee { id } }
    ... on SupportError { code field }
  }
}
"""
SET_STATUS = """
mutation SetStatus($ticketId: ID!, $status: TicketStatus!) {
  ticketSetStatus(ticketId: $ticketId, status: $status) {
    __typename
    ... on Ticket { status firstResponseDueAt resolutionDueAt }
    ... on SupportError { code field }
  }
}
"""
AVAILABILITY = """
mutation Avail($available: Boolean!) { supportAgentSetAvailability(available: $available) { available openTickets } }
"""


def ticket_input(**overrides: Any) -> dict[str, Any]:
    """A valid ticket input."""
    return {
        "input": {
            "category": "payments.refund",
            "subject": "Refund not received",
            "body": "I asked for a refund 5 days ago.",
            **overrides,
        }
    }


async def create_ticket(client: Any, account: Any, **overrides: Any) -> dict[str, Any]:
    """File a ticket and return it (asserting success)."""
    body = await client.gql(CREATE, ticket_input(**overrides), token=account.token)
    result = body["data"]["ticketCreate"]
    assert result["__typename"] == "Ticket", body
    return result


async def reply(
    client: Any, account: Any, ticket_id: str, text: str, internal: bool = False
) -> dict[str, Any]:
    """Reply on a ticket and return the result object."""
    body = await client.gql(
        REPLY, {"input": {"ticketId": ticket_id, "body": text, "internal": internal}}, token=account.token
    )
    assert "errors" not in body, body
    return body["data"]["ticketReply"]


async def make_available(client: Any, agent: Any) -> None:
    """Make an agent available for automatic assignment."""
    body = await client.gql(AVAILABILITY, {"available": True}, token=agent.token)
    assert body["data"]["supportAgentSetAvailability"]["available"] is True, body
    await client.services.jobs.drain()
