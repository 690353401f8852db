"""Ticket attachments download through signed URLs: the requester and agents, nobody else."""

from __future__ import annotations

import time

from tests.files import assert_safe, download, file_views, ref_of, url_as
from tests.tickets import create_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
KIND = "ticket-attachment"
REPLY = """
mutation Reply($input: TicketReplyInput!) {
  ticketReply(input: $input) { __typename ... on TicketMessage { id attachments { filename downloadUrl } } }
}
"""
MESSAGES = """
query T($id: ID!) { node(id: $id) { ... on Ticket { messages { edges { node {
  attachments { filename downloadUrl } } } } } } }
"""


async def _ticket_with_attachment(client, owner, internal=False):
    ticket = await create_ticket(client, owner)
    variables = {"input": {"ticketId": ticket["id"], "body": "see attached", "attachments": [None]}}
    body = await client.upload(
        REPLY, variables, {"input.attachments.0": ("shot.png", PNG, "image/png")}, token=owner.token
    )
    message = body["data"]["ticketReply"]
    assert message["__typename"] == "TicketMessage", body
    return ticket, message["attachments"][0]["downloadUrl"]


async def test_the_requester_and_agents_download_an_attachment_and_staff_views_are_audited(client):
    alice = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    admin = await client.signup(roles=("ADMIN",))
    ticket, url = await _ticket_with_attachment(client, alice)
    assert url.startswith("/files/ticket-attachment/")
    response = await download(client, url)
    assert_safe(response, "image/png")
    assert response.content == PNG
    assert await file_views(client, KIND) == []  # the owner's own view is not staff access
    # an agent reads the ticket and gets their own URL for the same file
    body = await client.gql(MESSAGES, {"id": ticket["id"]}, token=agent.token)
    edges = body["data"]["node"]["messages"]["edges"]
    agent_url = next(e["node"]["attachments"][0]["downloadUrl"] for e in edges if e["node"]["attachments"])
    assert agent_url != url
    assert_safe(await download(client, agent_url), "image/png")
    assert_safe(await download(client, url_as(client, admin, KIND, ref_of(url))), "image/png")
    views = await file_views(client, KIND)
    assert [v.target_id for v in views] == [ref_of(url)] * 2
    assert views[0].actor_kind == "USER" and views[0].data["owner_id"] != views[0].actor_id


async def test_other_users_reviewers_sales_forged_and_expired_urls_are_refused(client):
    alice = await client.signup()
    ticket, url = await _ticket_with_attachment(client, alice)
    ref = ref_of(url)
    for roles in ((), ("REVIEWER",), ("SALES",)):
        other = await client.signup(roles=roles)
        assert (await client.gql(MESSAGES, {"id": ticket["id"]}, token=other.token))["data"]["node"] is None
        assert (await download(client, url_as(client, other, KIND, ref))).status_code == 403
    expired = url_as(client, alice, KIND, ref, now=time.time() - 301)
    assert (await download(client, expired)).status_code == 403
    forged = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert (await download(client, forged)).status_code == 403
    # the same signature under another kind of file does not open anything
    assert (await download(client, url.replace("/ticket-attachment/", "/appeal-evidence/"))).status_code in (
        403,
        404,
    )
    # an anonymous caller sees no ticket, so holds no URL
    assert (await client.gql(MESSAGES, {"id": ticket["id"]}))["data"]["node"] is None


async def test_internal_note_attachments_are_for_agents_only(client):
    alice = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    variables = {"input": {"ticketId": ticket["id"], "body": "note", "internal": True, "attachments": [None]}}
    body = await client.upload(
        REPLY, variables, {"input.attachments.0": ("n.png", PNG, "image/png")}, token=agent.token
    )
    url = body["data"]["ticketReply"]["attachments"][0]["downloadUrl"]
    assert_safe(await download(client, url), "image/png")
    assert (await download(client, url_as(client, alice, KIND, ref_of(url)))).status_code == 403


async def test_a_signed_out_session_loses_its_urls(client):
    alice = await client.signup()
    _, url = await _ticket_with_attachment(client, alice)
    body = await client.gql("mutation { accountLogout }", token=alice.token)
    assert "errors" not in body, body
    assert (await download(client, url)).status_code == 403


async def test_an_app_reading_tickets_gets_no_file_urls(client):
    from tests.partner_apps import make_app

    admin = await client.signup(roles=("ADMIN",))
    alice = await client.signup()
    ticket, _ = await _ticket_with_attachment(client, alice)
    token = (await make_app(client, admin, ["tickets:read"]))["token"]
    body = await client.gql(MESSAGES, {"id": ticket["id"]}, token=token)
    attachments = [a for e in body["data"]["node"]["messages"]["edges"] for a in e["node"]["attachments"]]
    assert attachments and all(a["downloadUrl"] is None for a in attachments)


async def test_a_video_attachment_answers_range_requests_with_its_sniffed_type(client):
    alice = await client.signup()
    ticket = await create_ticket(client, alice)
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8
    variables = {"input": {"ticketId": ticket["id"], "body": "recording", "attachments": [None]}}
    body = await client.upload(
        REPLY, variables, {"input.attachments.0": ("clip.mov", video, "text/html")}, token=alice.token
    )
    url = body["data"]["ticketReply"]["attachments"][0]["downloadUrl"]
    partial = await download(client, url, Range="bytes=100-199")
    assert partial.status_code == 206 and partial.content == video[100:200]
    assert partial.headers["content-type"] == "video/mp4"
    assert partial.headers["content-disposition"].startswith('attachment; filename="clip.mov"')
