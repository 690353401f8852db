"""Nobody decides anything about their own account (issue 11 #8): a staff member cannot approve
their own real-name verification or advertiser application, nor work a support ticket they filed
(appeals already refused this). Each answer is a typed `CONFLICT_OF_INTEREST`, nothing changes,
and a colleague can still decide."""

from __future__ import annotations

from plugins.account.tests.util import ME
from plugins.ads.tests.test_ads import REVIEW as AD_REVIEW
from plugins.ads.tests.test_ads import _apply
from tests.real_name import REVIEW as REAL_NAME_REVIEW
from tests.real_name import resident_id, submit_real_name
from tests.tickets import ASSIGN, REPLY, SET_STATUS, create_ticket, make_available

MERGE = """
mutation M($ticketId: ID!, $into: ID!) {
  ticketMerge(ticketId: $ticketId, intoTicketId: $into) { __typename ... on SupportError { code field } }
}
"""


async def _review_real_name(client, reviewer, user_id: str) -> dict:
    variables = {"input": {"userId": user_id, "approve": True, "note": "looks right to me"}}
    return (await client.gql(REAL_NAME_REVIEW, variables, token=reviewer.token))["data"]["realNameReview"]


async def test_a_reviewer_cannot_approve_their_own_real_name(client):
    # given a reviewer with a pending real-name submission
    reviewer = await client.signup(roles=("REVIEWER",))
    assert (await submit_real_name(client, reviewer))["status"] == "PENDING"
    # when they approve it themselves: refused, typed, still pending
    result = await _review_real_name(client, reviewer, reviewer.id)
    assert (result["__typename"], result["code"], result["field"]) == (
        "AccountError",
        "CONFLICT_OF_INTEREST",
        "userId",
    )
    assert (await client.gql(ME, token=reviewer.token))["data"]["me"]["realNameStatus"] == "PENDING"
    # and an admin is no exception, while a colleague decides it
    admin = await client.signup(roles=("ADMIN",))
    assert (await submit_real_name(client, admin, resident_id(sequence="456")))["status"] == "PENDING"
    assert (await _review_real_name(client, admin, admin.id))["code"] == "CONFLICT_OF_INTEREST"
    assert (await _review_real_name(client, admin, reviewer.id))["status"] == "VERIFIED"


async def test_a_reviewer_cannot_decide_their_own_advertiser_application(client):
    # given a reviewer (and a sales member) who applied as advertisers
    for role in ("REVIEWER", "SALES", "ADMIN"):
        staff = await client.signup(roles=(role,))
        application = await _apply(client, staff)
        assert application["__typename"] == "AdApplication", application
        for action in ("APPROVE", "START_REVIEW", "REJECT"):
            variables = {"input": {"applicationId": application["id"], "action": action, "reason": "ok"}}
            body = await client.gql(AD_REVIEW, variables, token=staff.token)
            result = body["data"]["adApplicationReview"]
            assert (result["__typename"], result["code"]) == ("AdsError", "CONFLICT_OF_INTEREST"), body
        # and a colleague can approve it
        colleague = await client.signup(roles=("REVIEWER",))
        variables = {"input": {"applicationId": application["id"], "action": "APPROVE"}}
        approved = (await client.gql(AD_REVIEW, variables, token=colleague.token))["data"]
        assert approved["adApplicationReview"]["status"] == "APPROVED"


async def test_an_agent_cannot_work_a_ticket_they_filed(client):
    # given an agent who filed two tickets, and a colleague
    agent = await client.signup(roles=("AGENT",))
    colleague = await client.signup(roles=("AGENT",))
    await make_available(client, agent)
    ticket = await create_ticket(client, agent)
    second = await create_ticket(client, agent)
    # then automatic assignment never gives the agent their own ticket
    assert ticket["assignee"] is None  # the only available agent is the requester

    async def call(query, variables, who=agent):
        body = await client.gql(query, variables, token=who.token)
        return next(iter(body["data"].values()))

    # when they assign it to themselves, to a colleague, or automatically: refused
    for agent_id in (agent.id, colleague.id, None):
        result = await call(ASSIGN, {"ticketId": ticket["id"], "agentId": agent_id})
        assert (result["__typename"], result["code"]) == ("SupportError", "CONFLICT_OF_INTEREST")
    # and a colleague cannot assign it to its requester either
    to_requester = await call(ASSIGN, {"ticketId": ticket["id"], "agentId": agent.id}, colleague)
    assert (to_requester["code"], to_requester["field"]) == ("CONFLICT_OF_INTEREST", "agentId")
    # when they close it, write an internal note on it or merge it: refused
    closed = await call(SET_STATUS, {"ticketId": ticket["id"], "status": "CLOSED"})
    assert closed["code"] == "CONFLICT_OF_INTEREST"
    note = await call(REPLY, {"input": {"ticketId": ticket["id"], "body": "close it", "internal": True}})
    assert note["code"] == "CONFLICT_OF_INTEREST"
    merged = await call(MERGE, {"ticketId": second["id"], "into": ticket["id"]})
    assert merged["code"] == "CONFLICT_OF_INTEREST"
    # but they keep what any requester may do: reply, and mark it solved
    assert (await call(REPLY, {"input": {"ticketId": ticket["id"], "body": "any news?"}}))[
        "__typename"
    ] == "TicketMessage"
    assert (await call(SET_STATUS, {"ticketId": ticket["id"], "status": "SOLVED"}))["status"] == "SOLVED"
    # and the colleague works it normally
    assert (await call(ASSIGN, {"ticketId": second["id"], "agentId": colleague.id}, colleague))[
        "__typename"
    ] == "Ticket"


async def test_an_admin_cannot_grant_themselves_a_paid_product(client):
    from plugins.premium.tests.test_purchase import GRANT, _entitlements

    # given an admin
    admin = await client.signup(roles=("ADMIN",))
    # when they grant themselves a paid add-on for free: refused, typed, nothing granted
    body = await client.gql(GRANT, {"input": {"userId": admin.id, "product": "courses"}}, token=admin.token)
    result = body["data"]["premiumGrant"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "PremiumError",
        "CONFLICT_OF_INTEREST",
        "input.userId",
    )
    assert "courses" not in await _entitlements(client, admin)
    # and another admin may grant it to them
    other = await client.signup(roles=("ADMIN",))
    body = await client.gql(GRANT, {"input": {"userId": admin.id, "product": "courses"}}, token=other.token)
    assert body["data"]["premiumGrant"]["__typename"] == "PremiumGrant"
    assert "courses" in await _entitlements(client, admin)
