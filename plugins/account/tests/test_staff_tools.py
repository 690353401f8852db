"""Staff tools through HTTP: agents' account-recovery actions (only from an open ticket, with a
reason, the user alerted, audited), exact user lookup, and role management (SALES included)."""

from __future__ import annotations

import pytest

from core.db import use_orm
from core.models import AuditEntry
from plugins.account.models import RecoveryCode, User
from plugins.account.tests.util import outbox, top_code
from tests.helpers import account_user_pk
from tests.tickets import SET_STATUS, create_ticket

ACTION = """
mutation A($input: AgentAccountActionInput!) {
  agentAccountAction(input: $input) {
    __typename
    ... on AgentActionDone { action sessionsRevoked notifiedContacts user { id email } }
    ... on AccountError { code field message }
  }
}
"""
SEARCH = "query S($q: String!) { users(search: $q) { edges { node { id email phone displayName } } } }"
ROLES = """
mutation R($input: UserRolesSetInput!) {
  userRolesSet(input: $input) { __typename ... on User { id roles } ... on AccountError { code field } }
}
"""
TICKET_EVENTS = (
    "query T($id: ID!) { node(id: $id) { ... on Ticket { requesterSecurityEvents { kind ip } } } }"
)
ME_2FA = "{ me { twoFactorEnabled } }"
AD_QUEUE = "{ adApplications { edges { node { id } } } }"


async def _with_two_factor(client, account, phone="+8613800138000"):
    with use_orm(client.services.orm):
        await User.filter(id=int(account_user_pk(account))).update(
            two_factor_secret_enc="x", email_verified=True, phone=phone, phone_verified=True
        )
        await RecoveryCode.create(user_id=int(account_user_pk(account)), code_hash="h" * 64)


def _action(user, ticket_id, action="RESET_TWO_FACTOR", reason="Lost phone, identity checked on ticket"):
    return {"input": {"userId": user.id, "ticketId": ticket_id, "action": action, "reason": reason}}


async def test_an_agent_resets_two_factor_from_an_open_ticket_the_user_is_told_and_it_is_audited(client):
    alice = await client.signup()
    await _with_two_factor(client, alice)
    agent = await client.signup(roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    events = await client.gql(TICKET_EVENTS, {"id": ticket["id"]}, token=agent.token)
    assert events["data"]["node"]["requesterSecurityEvents"] is not None
    body = await client.gql(ACTION, _action(alice, ticket["id"]), token=agent.token)
    done = body["data"]["agentAccountAction"]
    assert done["__typename"] == "AgentActionDone", body
    assert (done["action"], done["notifiedContacts"]) == ("RESET_TWO_FACTOR", 2)
    assert "***" in done["user"]["email"]
    assert (await client.gql(ME_2FA, token=alice.token))["data"]["me"]["twoFactorEnabled"] is False
    alerts = await outbox(client, "security_alert")
    assert {m["target"] for m in alerts if m["data"]["event"] == "SUPPORT_TWO_FACTOR_RESET"} == {
        alice.email,
        "+8613800138000",
    }
    with use_orm(client.services.orm):
        entry = await AuditEntry.get(action="account.agent_reset_two_factor")
        assert await RecoveryCode.filter(user_id=int(account_user_pk(alice))).count() == 0
    assert (entry.actor_id, entry.target_id) == (account_user_pk(agent), account_user_pk(alice))
    assert entry.reason == "Lost phone, identity checked on ticket"
    # the agent sees the event on the ticket, address masked
    events = await client.gql(TICKET_EVENTS, {"id": ticket["id"]}, token=agent.token)
    kinds = events["data"]["node"]["requesterSecurityEvents"]
    assert kinds[0]["kind"] == "SUPPORT_TWO_FACTOR_RESET"
    assert (await client.gql(TICKET_EVENTS, {"id": ticket["id"]}, token=alice.token))["data"]["node"][
        "requesterSecurityEvents"
    ] is None


async def test_no_open_ticket_no_reason_someone_elses_ticket_or_a_closed_one_is_refused(client):
    alice, bob = await client.signup(), await client.signup()
    await _with_two_factor(client, alice)
    agent = await client.signup(roles=("AGENT",))

    async def code(variables):
        return (await client.gql(ACTION, variables, token=agent.token))["data"]["agentAccountAction"]

    bobs = await create_ticket(client, bob)
    assert (await code(_action(alice, bobs["id"])))["code"] == "OPEN_TICKET_REQUIRED"
    ticket = await create_ticket(client, alice)
    assert (await code(_action(alice, ticket["id"], reason=" ")))["field"] == "input.reason"
    done = await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "CLOSED"}, token=agent.token)
    assert "errors" not in done, done
    assert (await code(_action(alice, ticket["id"])))["code"] == "OPEN_TICKET_REQUIRED"
    assert (await client.gql(ME_2FA, token=alice.token))["data"]["me"]["twoFactorEnabled"] is True
    with use_orm(client.services.orm):
        assert await AuditEntry.filter(action__startswith="account.agent_").count() == 0


@pytest.mark.parametrize("roles", [(), ("REVIEWER",), ("SALES",)])
async def test_only_agents_act_on_accounts(client, roles):
    alice = await client.signup()
    ticket = await create_ticket(client, alice)
    caller = await client.signup(roles=roles)
    assert top_code(await client.gql(ACTION, _action(alice, ticket["id"]), token=caller.token)) == "FORBIDDEN"
    assert top_code(await client.gql(ACTION, _action(alice, ticket["id"]))) == "UNAUTHENTICATED"
    # the owner cannot reset their own factor through the agents' door either
    assert top_code(await client.gql(ACTION, _action(alice, ticket["id"]), token=alice.token)) == "FORBIDDEN"


async def test_revoke_sessions_and_unbind_phone_keep_a_way_to_sign_in(client):
    alice = await client.signup()
    await _with_two_factor(client, alice)
    agent = await client.signup(roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    body = await client.gql(ACTION, _action(alice, ticket["id"], "UNBIND_PHONE"), token=agent.token)
    assert body["data"]["agentAccountAction"]["notifiedContacts"] == 1  # the email left; not the lost phone
    again = await client.gql(ACTION, _action(alice, ticket["id"], "UNBIND_PHONE"), token=agent.token)
    assert again["data"]["agentAccountAction"]["code"] == "NOTHING_TO_UNBIND"
    only = await client.gql(ACTION, _action(alice, ticket["id"], "UNBIND_EMAIL"), token=agent.token)
    assert only["data"]["agentAccountAction"]["code"] == "INVALID_INPUT"
    revoked = await client.gql(ACTION, _action(alice, ticket["id"], "REVOKE_SESSIONS"), token=agent.token)
    assert revoked["data"]["agentAccountAction"]["sessionsRevoked"] >= 1
    signed_out = await client.gql(ME_2FA, token=alice.token)
    assert signed_out == {"data": {"me": None}}  # the revoked session is anonymous from now on
    # staff accounts are recovered by an administrator only
    colleague = await client.signup(roles=("REVIEWER",))
    theirs = await create_ticket(client, colleague)
    staff = await client.gql(ACTION, _action(colleague, theirs["id"], "REVOKE_SESSIONS"), token=agent.token)
    assert staff["data"]["agentAccountAction"]["field"] == "input.userId"


async def test_user_search_is_exact_masked_audited_and_staff_only(client):
    alice = await client.signup(email="alice.search@example.com")
    agent = await client.signup(roles=("AGENT",))
    admin = await client.signup(roles=("ADMIN",))
    for staff in (agent, admin):
        found = await client.gql(SEARCH, {"q": "Alice.Search@example.com"}, token=staff.token)
        nodes = [e["node"] for e in found["data"]["users"]["edges"]]
        assert [n["id"] for n in nodes] == [alice.id]
        assert nodes[0]["email"] != alice.email and "***" in nodes[0]["email"]
    by_id = await client.gql(SEARCH, {"q": alice.id}, token=agent.token)
    assert [e["node"]["id"] for e in by_id["data"]["users"]["edges"]] == [alice.id]
    for partial in ("alice", "%@example.com", "alice.search@"):
        assert (await client.gql(SEARCH, {"q": partial}, token=agent.token))["data"]["users"]["edges"] == []
    for roles in ((), ("REVIEWER",), ("SALES",)):
        other = await client.signup(roles=roles)
        assert top_code(await client.gql(SEARCH, {"q": alice.email}, token=other.token)) == "FORBIDDEN"
    assert top_code(await client.gql(SEARCH, {"q": alice.email})) == "UNAUTHENTICATED"
    with use_orm(client.services.orm):
        assert (
            await AuditEntry.filter(action="account.user_search", actor_id=account_user_pk(agent)).count()
            == 5
        )


async def test_user_search_is_rate_limited_per_staff_member(client):
    agent = await client.signup(roles=("AGENT",))
    for _ in range(30):
        assert "errors" not in await client.gql(SEARCH, {"q": "nobody@example.com"}, token=agent.token)
    limited = await client.gql(SEARCH, {"q": "nobody@example.com"}, token=agent.token)
    assert top_code(limited) == "RATE_LIMITED"


async def test_an_admin_grants_sales_and_the_sales_user_works_the_ads_queue(client):
    admin = await client.signup(roles=("ADMIN",))
    seller = await client.signup()
    assert top_code(await client.gql(AD_QUEUE, token=seller.token)) == "FORBIDDEN"
    body = await client.gql(
        ROLES,
        {"input": {"userId": seller.id, "roles": ["SALES"], "reason": "joined the ads team"}},
        token=admin.token,
    )
    assert body["data"]["userRolesSet"] == {"__typename": "User", "id": seller.id, "roles": ["USER", "SALES"]}
    assert "errors" not in await client.gql(AD_QUEUE, token=seller.token)
    with use_orm(client.services.orm):
        entry = await AuditEntry.get(action="account.roles_set")
    assert (entry.reason, entry.data["after"]) == ("joined the ads team", ["SALES"])


async def test_only_admins_change_roles_and_the_last_admin_keeps_theirs(client):
    admin = await client.signup(roles=("ADMIN",))
    target = await client.signup()
    variables = {"input": {"userId": target.id, "roles": ["ADMIN"], "reason": "promote myself"}}
    for roles in ((), ("AGENT",), ("REVIEWER",), ("SALES",)):
        caller = await client.signup(roles=roles)
        mine = {"input": {**variables["input"], "userId": caller.id}}
        assert top_code(await client.gql(ROLES, mine, token=caller.token)) == "FORBIDDEN"
    assert top_code(await client.gql(ROLES, variables)) == "UNAUTHENTICATED"
    with use_orm(client.services.orm):
        admins = [u.pk for u in await User.all() if "ADMIN" in (u.roles or [])]
    assert admins == [int(account_user_pk(admin))]
    drop = {"input": {"userId": admin.id, "roles": [], "reason": "stepping down now"}}
    assert (await client.gql(ROLES, drop, token=admin.token))["data"]["userRolesSet"]["code"] == "LAST_ADMIN"
    bad = {"input": {"userId": target.id, "roles": ["AGENT"], "reason": ""}}
    assert (await client.gql(ROLES, bad, token=admin.token))["data"]["userRolesSet"][
        "field"
    ] == "input.reason"
    # with a second admin, stepping down is fine
    promote = {"input": {"userId": target.id, "roles": ["ADMIN"], "reason": "second admin"}}
    assert (await client.gql(ROLES, promote, token=admin.token))["data"]["userRolesSet"][
        "__typename"
    ] == "User"
    assert (await client.gql(ROLES, drop, token=admin.token))["data"]["userRolesSet"]["roles"] == ["USER"]


async def test_app_tokens_search_only_with_users_read_and_never_act_or_set_roles(client):
    from tests.partner_apps import make_app

    admin = await client.signup(roles=("ADMIN",))
    alice = await client.signup()
    ticket = await create_ticket(client, alice)
    reader = (await make_app(client, admin, ["users:read"], name="Directory"))["token"]
    other = (await make_app(client, admin, ["tickets:read"], name="Desk"))["token"]
    found = await client.gql(SEARCH, {"q": alice.email}, token=reader)
    assert [e["node"]["id"] for e in found["data"]["users"]["edges"]] == [alice.id]
    assert top_code(await client.gql(SEARCH, {"q": alice.email}, token=other)) == "FORBIDDEN"
    for token in (reader, other):
        assert top_code(await client.gql(ACTION, _action(alice, ticket["id"]), token=token)) == "FORBIDDEN"
        roles = {"input": {"userId": alice.id, "roles": ["ADMIN"], "reason": "app promotes"}}
        assert top_code(await client.gql(ROLES, roles, token=token)) == "FORBIDDEN"
    with use_orm(client.services.orm):
        entry = await AuditEntry.get(action="account.user_search")
    assert entry.actor_kind == "APP"
