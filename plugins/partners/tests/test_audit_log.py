"""The audit log through HTTP: staff and app actions leave entries (who, what, on which object,
why, from where); only ADMIN reads them, with filters; nothing in the API edits or deletes them."""

from __future__ import annotations

from plugins.partners.tests.support import top_code
from tests.appeals import banned_user, decide_appeal, file_appeal
from tests.partner_apps import make_app

LOG = """query($filter: AuditLogFilter, $first: Int) { auditLog(filter: $filter, first: $first) {
  nodes { id at actorKind actorId action targetType targetId reason ip } pageInfo { hasNextPage } } }"""


async def test_an_appeal_decision_and_app_administration_are_audited(client):
    user, moderator, decision, restricted = await banned_user(client)
    reviewer = await client.signup(roles=("REVIEWER",))
    appeal = await file_appeal(client, restricted, decision["id"])
    decided = await decide_appeal(client, reviewer, appeal["id"], note="The account is genuine.")
    assert decided["__typename"] == "Appeal"
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    body = await client.gql(LOG, token=admin.token)
    entries = body["data"]["auditLog"]["nodes"]
    actions = [e["action"] for e in entries]
    assert actions[:2] == ["app.created", "appeal.decided"] and "moderation.decision_made" in actions
    created, decided_entry = entries[0], entries[1]
    assert (created["actorKind"], created["actorId"], created["targetId"]) == (
        "USER",
        admin.id,
        app["app"]["id"],
    )
    assert (decided_entry["actorId"], decided_entry["targetId"]) == (reviewer.id, appeal["id"])
    assert decided_entry["reason"] == "The account is genuine." and decided_entry["ip"] == "203.0.113.7"
    only = await client.gql(LOG, {"filter": {"action": "appeal.decided"}}, token=admin.token)
    assert [e["action"] for e in only["data"]["auditLog"]["nodes"]] == ["appeal.decided"]
    mine = await client.gql(LOG, {"filter": {"actorId": reviewer.id}}, token=admin.token)
    assert [e["action"] for e in mine["data"]["auditLog"]["nodes"]] == ["appeal.decided"]
    target = await client.gql(LOG, {"filter": {"targetId": appeal["id"]}, "first": 1}, token=admin.token)
    assert len(target["data"]["auditLog"]["nodes"]) == 1


async def test_only_admins_read_the_log_and_no_operation_changes_it(client):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read", "webhooks:manage", "users:read"])
    assert top_code(await client.gql(LOG)) == "UNAUTHENTICATED"
    for role in ((), ("AGENT",), ("REVIEWER",)):
        staff = await client.signup(roles=role)
        assert top_code(await client.gql(LOG, token=staff.token)) == "FORBIDDEN"
    assert top_code(await client.gql(LOG, token=app["token"])) == "FORBIDDEN"
    bad = await client.gql(
        LOG, {"filter": {"since": "2026-12-02T00:00:00Z", "until": "2026-12-01T00:00:00Z"}}, token=admin.token
    )
    assert top_code(bad) == "INVALID_INPUT"
    mutation_type = client.app.state.schema._schema.mutation_type
    assert [name for name in mutation_type.fields if "audit" in name.lower()] == []
