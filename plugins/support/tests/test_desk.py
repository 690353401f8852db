"""Attachments, macros, merging, metrics, banned (restricted) requesters and the api.py contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from core.db import use_orm
from plugins.account.api import set_account_status
from plugins.support import api
from plugins.support.models import Ticket, TicketMessage
from plugins.support.tests.gql import RATE
from tests.helpers import account_user_pk
from tests.tickets import CREATE, SET_STATUS, create_ticket, reply, ticket_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64
UPLOAD_REPLY = """
mutation Reply($input: TicketReplyInput!) {
  ticketReply(input: $input) {
    __typename
    ... on TicketMessage { attachments { contentType size } }
    ... on SupportError { code field }
  }
}
"""
MACRO_CREATE = """
mutation M($input: SupportMacroCreateInput!) {
  supportMacroCreate(input: $input) { __typename ... on SupportMacro { id title } ... on SupportError { code } }
}
"""
APPLY = """
mutation A($t: ID!, $m: ID!) {
  ticketApplyMacro(ticketId: $t, macroId: $m) { __typename ... on TicketMessage { body kind } ... on SupportError { code } }
}
"""
MERGE = """
mutation Merge($t: ID!, $into: ID!) {
  ticketMerge(ticketId: $t, intoTicketId: $into) {
    __typename ... on Ticket { number messages { edges { node { kind body } } } } ... on SupportError { code field }
  }
}
"""
METRICS = """
query { supportMetrics {
  tickets firstResponseMedianSeconds firstResponseP90Seconds resolutionMedianSeconds resolutionP90Seconds
  slaAttainment csatAverage csatCount csatDistribution { score count } volumeByCategory { category tickets }
  assistantContainment
} }
"""


async def _count_messages(client) -> int:
    with use_orm(client.services.orm):
        return await TicketMessage.all().count()


async def test_attachments_checked_by_content_size_and_count(client):
    alice = await client.signup()
    ticket = await create_ticket(client, alice)
    before = await _count_messages(client)
    variables = {"input": {"ticketId": ticket["id"], "body": "see attached", "attachments": [None, None]}}
    ok = await client.upload(
        UPLOAD_REPLY, variables, {"input.attachments.0": ("a.png", PNG, "image/png"),
                                  "input.attachments.1": ("b.pdf", PDF, "application/pdf")},
        token=alice.token,
    )  # fmt: skip
    assert ok["data"]["ticketReply"]["attachments"] == [
        {"contentType": "image/png", "size": len(PNG)},
        {"contentType": "application/pdf", "size": len(PDF)},
    ]
    # a script named .png, a file over 10 MB and six files are all refused, nothing is written
    fake = await client.upload(
        UPLOAD_REPLY, {"input": {**variables["input"], "attachments": [None]}},
        {"input.attachments.0": ("x.png", b"#!/bin/sh\necho hi\n", "image/png")}, token=alice.token,
    )  # fmt: skip
    assert fake["data"]["ticketReply"] == {
        "__typename": "SupportError",
        "code": "FILE_TYPE_NOT_ALLOWED",
        "field": "input.attachments.0",
    }
    big = await client.upload(
        UPLOAD_REPLY, {"input": {**variables["input"], "attachments": [None]}},
        {"input.attachments.0": ("big.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png")}, token=alice.token,
    )  # fmt: skip
    assert big["data"]["ticketReply"]["code"] == "FILE_TOO_LARGE"
    files = {f"input.attachments.{i}": (f"{i}.png", PNG, "image/png") for i in range(6)}
    many = await client.upload(
        UPLOAD_REPLY, {"input": {**variables["input"], "attachments": [None] * 6}}, files, token=alice.token
    )
    assert many["data"]["ticketReply"]["code"] == "TOO_MANY_ATTACHMENTS"
    assert await _count_messages(client) == before + 1
    # attachments on ticket creation too
    created = await client.upload(
        CREATE, {"input": {**ticket_input()["input"], "attachments": [None]}},
        {"input.attachments.0": ("x.exe", b"MZ\x90\x00", "image/png")}, token=alice.token,
    )  # fmt: skip
    assert created["data"]["ticketCreate"]["code"] == "FILE_TYPE_NOT_ALLOWED"


async def test_macros_fill_placeholders(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent Zhang", roles=("AGENT",))
    ticket = await create_ticket(client, alice)
    denied = await client.gql(MACRO_CREATE, {"input": {"title": "t", "body": "b"}}, token=alice.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    macro = await client.gql(
        MACRO_CREATE,
        {"input": {"title": "Refund", "body": "Hi {name}, ticket #{number}: refund sent. {agent} {other}"}},
        token=agent.token,
    )
    macro_id = macro["data"]["supportMacroCreate"]["id"]
    applied = await client.gql(APPLY, {"t": ticket["id"], "m": macro_id}, token=agent.token)
    number = ticket["number"]
    assert applied["data"]["ticketApplyMacro"] == {
        "__typename": "TicketMessage",
        "body": f"Hi Alice, ticket #{number}: refund sent. Agent Zhang {{other}}",
        "kind": "AGENT",
    }
    empty = await client.gql(MACRO_CREATE, {"input": {"title": "x", "body": " "}}, token=agent.token)
    assert empty["data"]["supportMacroCreate"]["code"] == "EMPTY_BODY"


async def test_merging_duplicates(client):
    alice = await client.signup(name="Alice")
    bob = await client.signup(name="Bob")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    first = await create_ticket(client, alice)
    duplicate = await create_ticket(client, alice, subject="Refund again")
    other = await create_ticket(client, bob)
    denied = await client.gql(MERGE, {"t": duplicate["id"], "into": first["id"]}, token=alice.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    cross = await client.gql(MERGE, {"t": other["id"], "into": first["id"]}, token=agent.token)
    assert cross["data"]["ticketMerge"]["code"] == "CANNOT_MERGE"
    same = await client.gql(MERGE, {"t": first["id"], "into": first["id"]}, token=agent.token)
    assert same["data"]["ticketMerge"]["code"] == "CANNOT_MERGE"
    merged = await client.gql(MERGE, {"t": duplicate["id"], "into": first["id"]}, token=agent.token)
    target = merged["data"]["ticketMerge"]
    assert target["number"] == first["number"] and target["messages"]["edges"][-1]["node"]["kind"] == "SYSTEM"
    view = await client.gql(
        "query($id: ID!) { node(id: $id) { ... on Ticket { status mergedIntoNumber } } }",
        {"id": duplicate["id"]},
        token=alice.token,
    )
    assert view["data"]["node"] == {"status": "CLOSED", "mergedIntoNumber": first["number"]}
    again = await client.gql(MERGE, {"t": duplicate["id"], "into": first["id"]}, token=agent.token)
    assert again["data"]["ticketMerge"]["code"] == "CANNOT_MERGE"


async def test_metrics_for_agents_only(client):
    alice = await client.signup(name="Alice")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    for who in (None, alice):
        denied = await client.gql(METRICS, token=who.token if who else None)
        assert denied["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
    scores = [5, 2]
    for score in scores:
        ticket = await create_ticket(client, alice)
        await reply(client, agent, ticket["id"], "answer")
        await client.gql(SET_STATUS, {"ticketId": ticket["id"], "status": "SOLVED"}, token=agent.token)
        await client.gql(RATE, {"ticketId": ticket["id"], "score": score}, token=alice.token)
    await create_ticket(client, alice, category="account.password_reset")
    body = await client.gql(METRICS, token=agent.token)
    metrics = body["data"]["supportMetrics"]
    assert metrics["tickets"] == 3
    assert metrics["csatAverage"] == 3.5 and metrics["csatCount"] == 2
    assert {b["score"]: b["count"] for b in metrics["csatDistribution"]} == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert metrics["volumeByCategory"] == [
        {"category": "payments.refund", "tickets": 2},
        {"category": "account.password_reset", "tickets": 1},
    ]
    assert metrics["slaAttainment"] == 1.0 and metrics["firstResponseMedianSeconds"] >= 0
    bad = await client.gql(
        'query($s: DateTime) { supportMetrics(since: $s, until: "2020-01-01T00:00:00Z") { tickets } }',
        {"s": "2021-01-01T00:00:00Z"},
        token=agent.token,
    )
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    now = datetime.now(UTC)
    stats = {s.category: s for s in await _stats(client, now - timedelta(hours=1), now + timedelta(hours=1))}
    assert stats["payments.refund"].tickets == 2 and stats["payments.refund"].low_ratings == 1


async def _stats(client, since, until):
    with use_orm(client.services.orm):
        return await api.category_stats(since, until)


LOGIN = """
mutation L($input: AccountLoginInput!) { accountLogin(input: $input) { ... on AuthSession { accessToken restricted } } }
"""


async def test_banned_account_may_file_and_follow_tickets(client):
    alice = await client.signup(name="Alice")
    with use_orm(client.services.orm):
        await set_account_status(client.services, account_user_pk(alice), "BANNED", reason="test")
    login = await client.gql(LOGIN, {"input": {"login": alice.email, "password": alice.password}})
    session = login["data"]["accountLogin"]
    assert session["restricted"] is True
    body = await client.gql(
        CREATE, ticket_input(category="appeals.account_banned"), token=session["accessToken"]
    )
    ticket = body["data"]["ticketCreate"]
    assert ticket["__typename"] == "Ticket"
    restricted = SimpleNamespace(token=session["accessToken"])
    assert (await reply(client, restricted, ticket["id"], "please unban"))["__typename"] == "TicketMessage"


async def test_handoff_api_creates_one_ticket_and_silences_the_bot(client):
    alice = await client.signup(name="Alice")
    from core.callers import actor_for_token

    with use_orm(client.services.orm):
        actor = await actor_for_token(client.services, alice.token)
    context = SimpleNamespace(services=client.services, language="en", actor=actor, caller=actor)
    context.require_user = lambda allow_restricted=False: actor
    loaders: dict = {}

    def loader(name, batch):
        from strawberry.dataloader import DataLoader

        return loaders.setdefault(name, DataLoader(load_fn=batch))

    context.loader = loader
    transcript = [{"role": "user", "body": "转人工"}, {"role": "assistant", "body": "正在为你转接人工客服"}]
    with use_orm(client.services.orm):
        assert await api.is_handed_off("conv-1") is False
        ticket = await api.handoff_ticket(
            context, conversation_id="conv-1", subject="Human please", transcript=transcript, topic=None
        )
        again = await api.handoff_ticket(
            context, conversation_id="conv-1", subject="Human please", transcript=transcript, topic=None
        )
        assert again.id == ticket.id and ticket.category == "platform.human_agent"
        assert await api.is_handed_off("conv-1") is True
        await api.post_requester_message(
            client.services, conversation_id="conv-1", body="still there?", user_id=account_user_pk(alice)
        )
        kinds = (
            await TicketMessage.filter(ticket_id=ticket.record.pk)
            .order_by("id")
            .values_list("kind", flat=True)
        )
        assert kinds == ["TRANSCRIPT", "REQUESTER", "REQUESTER"]
        bodies = (
            await TicketMessage.filter(ticket_id=ticket.record.pk)
            .order_by("id")
            .values_list("body", flat=True)
        )
        assert bodies[0] == "user: 转人工\nassistant: 正在为你转接人工客服" and bodies[1] == "转人工"
        await Ticket.filter(id=ticket.record.pk).update(status="SOLVED")
        assert await api.is_handed_off("conv-1") is False
