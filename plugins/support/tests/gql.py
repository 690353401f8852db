"""GraphQL documents of the support tests alone (the shared ticket steps are in `tests.tickets`)."""

from __future__ import annotations

from tests.tickets import TICKET_FRAGMENT

RATE = """
mutation Rate($ticketId: ID!, $score: Int!, $comment: String) {
  ticketRate(ticketId: $ticketId, score: $score, comment: $comment) {
    __typename
    ... on TicketRating { score comment }
    ... on SupportError { code field }
  }
}
"""
TICKETS = (
    """
query Tickets($status: TicketStatus, $first: Int, $after: String, $mine: Boolean) {
  tickets(status: $status, first: $first, after: $after, assignedToMe: $mine) {
    edges { cursor node { ...TicketFields } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + TICKET_FRAGMENT
)
MESSAGES = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    ... on Ticket { number messages { edges { node { body internal kind } } } history { kind } }
  }
}
"""
