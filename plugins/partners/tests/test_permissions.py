"""App permissions through HTTP: an app with `tickets:read` reads the agent queue and nothing more,
whatever IDs it sends; user-only fields answer as for an anonymous caller; the SDL names the need."""

from __future__ import annotations

from plugins.partners.tests.support import file_ticket, top_code
from tests.partner_apps import make_app

QUEUE = "{ tickets { nodes { id subject } } }"
REPLY = "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }"
DECIDE = "mutation($i: AppealDecideInput!) { appealDecide(input: $i) { __typename } }"
CREATE = (
    'mutation { ticketCreate(input: {category: "payments.refund", subject: "s", body: "b"}) { __typename } }'
)
ME = "{ me { id } }"
WALLET = "{ wallet { __typename } }"
METRICS = "{ supportMetrics { __typename } }"
APPEAL_QUEUE = "{ appealQueue { nodes { id } } }"


async def test_an_app_with_tickets_read_lists_the_queue_but_cannot_write(client):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    token = app["token"]
    alice, bob = await client.signup(), await client.signup()
    one = await file_ticket(client, alice, "Refund please")
    await file_ticket(client, bob, "Lost coins")
    listed = await client.gql(QUEUE, token=token)
    assert sorted(n["subject"] for n in listed["data"]["tickets"]["nodes"]) == ["Lost coins", "Refund please"]
    assert (await client.gql(METRICS, token=token))["data"]["supportMetrics"][
        "__typename"
    ] == "SupportMetrics"
    reply = {"i": {"ticketId": one["id"], "body": "hello"}}
    assert top_code(await client.gql(REPLY, reply, token=token)) == "FORBIDDEN"
    decide = {"i": {"appealId": "QXBwZWFsOjE=", "outcome": "OVERTURN", "note": "n"}}
    assert top_code(await client.gql(DECIDE, decide, token=token)) == "FORBIDDEN"
    assert top_code(await client.gql(CREATE, token=token)) == "FORBIDDEN"
    assert top_code(await client.gql(APPEAL_QUEUE, token=token)) == "FORBIDDEN"
    # The same calls from a plain user and anonymously, for contrast.
    assert top_code(await client.gql(METRICS, token=alice.token)) == "FORBIDDEN"
    assert top_code(await client.gql(QUEUE)) == "UNAUTHENTICATED"
    mine = await client.gql(QUEUE, token=alice.token)
    assert [n["subject"] for n in mine["data"]["tickets"]["nodes"]] == ["Refund please"]


async def test_an_app_without_the_permission_is_forbidden_everywhere(client):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["appeals:read"])
    assert top_code(await client.gql(QUEUE, token=app["token"])) == "FORBIDDEN"
    assert top_code(await client.gql(METRICS, token=app["token"])) == "FORBIDDEN"
    assert (await client.gql(APPEAL_QUEUE, token=app["token"]))["data"]["appealQueue"]["nodes"] == []


async def test_user_only_fields_answer_an_app_as_anonymous(client):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read", "payments:read", "users:read"])
    for query, field in ((ME, "me"), (WALLET, "wallet")):
        as_app = await client.gql(query, token=app["token"])
        anonymous = await client.gql(query)
        assert as_app == anonymous and as_app["data"][field] is None


async def test_an_app_cannot_read_a_ticket_it_has_no_permission_for_by_id(client):
    admin = await client.signup(roles=("ADMIN",))
    reader = await make_app(client, admin, ["tickets:read"])
    other = await make_app(client, admin, ["appeals:read"], name="Other")
    ticket = await file_ticket(client, await client.signup())
    query = "query($id: ID!) { node(id: $id) { __typename ... on Ticket { subject } } }"
    assert (await client.gql(query, {"id": ticket["id"]}, token=reader["token"]))["data"]["node"]["subject"]
    assert (await client.gql(query, {"id": ticket["id"]}, token=other["token"]))["data"]["node"] is None


async def test_the_sdl_names_the_requirement_of_staff_fields(client):
    sdl = client.app.state.schema.as_str()
    assert "Requires: a signed-in user or app permission tickets:read." in sdl
    assert (
        "Support desk metrics over a window (default: last 30 days). Requires: AGENT or app permission tickets:read."
        in sdl
    )
    assert "Requires: REVIEWER or app permission appeals:read." in sdl
