"""Write permissions of apps through HTTP: each permission lets an app do exactly its writes (a
positive and a negative case each), an app's reply is shown with the app's name, and every write
an app makes is in the audit log with the app as actor."""

from __future__ import annotations

from plugins.partners.tests.support import file_ticket, top_code
from tests.partner_apps import make_app

REPLY = """mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename
  ... on TicketMessage { id kind internal body authorAppName author { id } } ... on SupportError { code field message } } }"""
STATUS = """mutation($id: ID!, $s: TicketStatus!) { ticketSetStatus(ticketId: $id, status: $s) {
  __typename ... on Ticket { status } ... on SupportError { code field message } } }"""
MACRO_CREATE = """mutation { supportMacroCreate(input: {title: "Thanks", body: "Hi {name}, {agent} here."}) {
  __typename ... on SupportMacro { id } } }"""
MACRO_APPLY = """mutation($t: ID!, $m: ID!) { ticketApplyMacro(ticketId: $t, macroId: $m) {
  __typename ... on TicketMessage { body authorAppName } } }"""
MERGE = "mutation($a: ID!, $b: ID!) { ticketMerge(ticketId: $a, intoTicketId: $b) { __typename } }"
THREAD = """query($id: ID!) { node(id: $id) { ... on Ticket { status messages { nodes {
  kind internal body authorAppName author { id } } } } } }"""
AUDIT = (
    "query($a: String) { auditLog(filter: {action: $a}) { nodes { actorKind actorId action targetType } } }"
)


def _actions(body: dict) -> list[tuple[str, str, str]]:
    return [(n["actorKind"], n["actorId"], n["action"]) for n in body["data"]["auditLog"]["nodes"]]


async def test_an_app_with_tickets_write_replies_under_its_own_name(client):
    admin = await client.signup(roles=("ADMIN",))
    reader = await make_app(client, admin, ["tickets:read"], name="Reader")
    writer = await make_app(client, admin, ["tickets:write"], name="Helpdesk bridge")
    alice = await client.signup()
    ticket = await file_ticket(client, alice)
    reply = {"i": {"ticketId": ticket["id"], "body": "We refunded you.", "clientMutationId": "reply-0001"}}
    assert top_code(await client.gql(REPLY, reply, token=reader["token"])) == "FORBIDDEN"
    sent = (await client.gql(REPLY, reply, token=writer["token"]))["data"]["ticketReply"]
    assert sent["__typename"] == "TicketMessage", sent
    assert (sent["kind"], sent["authorAppName"], sent["author"]) == ("AGENT", "Helpdesk bridge", None)
    # The same clientMutationId from the same app is the same message, not a second one.
    again = (await client.gql(REPLY, reply, token=writer["token"]))["data"]["ticketReply"]
    assert again["id"] == sent["id"]
    # The requester sees the reply with the app's name as its author.
    thread = (await client.gql(THREAD, {"id": ticket["id"]}, token=alice.token))["data"]["node"]
    shown = [(m["kind"], m["body"], m["authorAppName"]) for m in thread["messages"]["nodes"]]
    assert shown[-1] == ("AGENT", "We refunded you.", "Helpdesk bridge") and len(shown) == 2
    # Internal notes and status changes too; the requester never sees the note.
    note = {"i": {"ticketId": ticket["id"], "body": "Refund id 77.", "internal": True}}
    noted = (await client.gql(REPLY, note, token=writer["token"]))["data"]["ticketReply"]
    assert (noted["__typename"], noted["internal"]) == ("TicketMessage", True)
    solved = await client.gql(STATUS, {"id": ticket["id"], "s": "SOLVED"}, token=writer["token"])
    assert solved["data"]["ticketSetStatus"] == {"__typename": "Ticket", "status": "SOLVED"}
    assert top_code(await client.gql(STATUS, {"id": ticket["id"], "s": "OPEN"}, token=reader["token"])) == (
        "FORBIDDEN"
    )
    seen = (await client.gql(THREAD, {"id": ticket["id"]}, token=alice.token))["data"]["node"]
    assert [m["internal"] for m in seen["messages"]["nodes"]] == [False, False]
    audited = _actions(await client.gql(AUDIT, {"a": "app.ticketReply"}, token=admin.token))
    # Every call the app made, the replayed retry included, is an entry with the app as actor.
    assert audited == [("APP", writer["app"]["id"], "app.ticketReply")] * 3


async def test_tickets_write_covers_macros_but_not_merging(client):
    admin = await client.signup(roles=("ADMIN",))
    writer = await make_app(client, admin, ["tickets:write"], name="Bridge")
    reader = await make_app(client, admin, ["tickets:read"], name="Reader")
    alice = await client.signup(name="Alice")
    one, two = await file_ticket(client, alice, "One"), await file_ticket(client, alice, "Two")
    assert top_code(await client.gql(MACRO_CREATE, token=reader["token"])) == "FORBIDDEN"
    macro = (await client.gql(MACRO_CREATE, token=writer["token"]))["data"]["supportMacroCreate"]
    assert macro["__typename"] == "SupportMacro"
    applied = await client.gql(MACRO_APPLY, {"t": one["id"], "m": macro["id"]}, token=writer["token"])
    assert applied["data"]["ticketApplyMacro"] == {
        "__typename": "TicketMessage",
        "body": "Hi Alice, Bridge here.",
        "authorAppName": "Bridge",
    }
    assert top_code(
        await client.gql(MACRO_APPLY, {"t": one["id"], "m": macro["id"]}, token=reader["token"])
    ) == ("FORBIDDEN")
    assert top_code(await client.gql(MERGE, {"a": one["id"], "b": two["id"]}, token=writer["token"])) == (
        "FORBIDDEN"
    )
