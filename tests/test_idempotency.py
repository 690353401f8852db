"""clientMutationId: a retried create (after a lost answer) creates nothing new and returns the same
result; the key is the caller's own; reusing it for other input or malformed keys are typed errors."""

from __future__ import annotations

import asyncio
import uuid

from core.db import use_orm
from core.idempotency import MutationReceipt
from plugins.ads.models import AdInquiry
from plugins.community.models import Reply, Thread
from plugins.feedback.models import Feedback
from plugins.support.models import Ticket, TicketMessage

TICKET = """
mutation T($input: TicketCreateInput!) {
  ticketCreate(input: $input) { __typename ... on Ticket { id } ... on SupportError { code field } }
}
"""
REPLY = """
mutation R($input: TicketReplyInput!) {
  ticketReply(input: $input) { __typename ... on TicketMessage { id } ... on SupportError { code field } }
}
"""
THREAD = """
mutation F($input: ForumThreadCreateInput!) {
  forumThreadCreate(input: $input) { __typename ... on ForumThread { id } ... on CommunityError { code field } }
}
"""
FORUM_REPLY = """
mutation FR($input: ForumReplyCreateInput!) {
  forumReplyCreate(input: $input) { __typename ... on ForumReply { id } ... on CommunityError { code field } }
}
"""
FEEDBACK = """
mutation S($input: FeedbackSubmitInput!) {
  feedbackSubmit(input: $input) { __typename ... on FeedbackReceipt { id } ... on FeedbackError { code field } }
}
"""
INQUIRY = """
mutation I($input: AdInquiryCreateInput!) {
  adInquiryCreate(input: $input) { __typename ... on AdInquiryReceipt { id } ... on AdsError { code field } }
}
"""


def _key() -> str:
    return str(uuid.uuid4())


def _result(body: dict) -> dict:
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def _count(client, model, **filters) -> int:
    with use_orm(client.services.orm):
        return await model.filter(**filters).count()


def _ticket(key=None, body="The refund did not arrive."):
    data = {"category": "payments.refund", "subject": "Refund", "body": body}
    if key:
        data["clientMutationId"] = key
    return {"input": data}


async def test_a_retried_ticket_create_returns_the_first_ticket(client):
    alice = await client.signup()
    key = _key()
    first = _result(await client.gql(TICKET, _ticket(key), token=alice.token))
    again = _result(await client.gql(TICKET, _ticket(key), token=alice.token))
    assert first["__typename"] == again["__typename"] == "Ticket"
    assert again["id"] == first["id"]
    assert await _count(client, Ticket) == 1
    # without a key every call creates (the field is optional)
    assert _result(await client.gql(TICKET, _ticket(), token=alice.token))["id"] != first["id"]
    assert await _count(client, Ticket) == 2


async def test_the_key_is_the_callers_own(client):
    alice, bob = await client.signup(), await client.signup()
    key = _key()
    mine = _result(await client.gql(TICKET, _ticket(key), token=alice.token))
    theirs = _result(await client.gql(TICKET, _ticket(key), token=bob.token))
    assert theirs["__typename"] == "Ticket" and theirs["id"] != mine["id"]  # nothing of Alice's leaks


async def test_other_input_under_a_used_key_and_bad_keys_are_typed_errors(client):
    alice = await client.signup()
    key = _key()
    _result(await client.gql(TICKET, _ticket(key), token=alice.token))
    other = _result(await client.gql(TICKET, _ticket(key, body="Something else"), token=alice.token))
    assert other == {"__typename": "SupportError", "code": "INVALID_INPUT", "field": "input.clientMutationId"}
    for bad in ("short", "x" * 101, "spaces are not allowed", "<script>"):
        body = _result(await client.gql(TICKET, _ticket(bad), token=alice.token))
        assert body["code"] == "INVALID_INPUT" and body["field"] == "input.clientMutationId", (bad, body)
    assert await _count(client, Ticket) == 1


async def test_anonymous_callers_get_an_authentication_error_not_a_receipt(client):
    body = await client.gql(TICKET, _ticket(_key()))
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _count(client, MutationReceipt) == 0


async def test_concurrent_duplicates_create_exactly_one(client):
    alice = await client.signup()
    key = _key()
    results = await asyncio.gather(*(client.gql(TICKET, _ticket(key), token=alice.token) for _ in range(4)))
    ids = {_result(body)["id"] for body in results}
    assert len(ids) == 1
    assert await _count(client, Ticket) == 1


async def test_ticket_reply_forum_feedback_and_inquiry_retries_create_nothing_new(client):
    alice = await client.signup()
    ticket = _result(await client.gql(TICKET, _ticket(), token=alice.token))
    cases = [
        (REPLY, {"ticketId": ticket["id"], "body": "Any news?"}, TicketMessage, {"kind": "REQUESTER"}),
        (THREAD, {"board": "feedback", "title": "Dark mode", "body": "Please add it."}, Thread, {}),
        (FEEDBACK, {"category": "FEATURES", "text": "The app crashes on start."}, Feedback, {}),
    ]
    for document, data, model, filters in cases:
        key = _key()
        variables = {"input": {**data, "clientMutationId": key}}
        before = await _count(client, model, **filters)
        first = _result(await client.gql(document, variables, token=alice.token))
        again = _result(await client.gql(document, variables, token=alice.token))
        assert "id" in first, first
        assert again == first, (document, first, again)
        assert await _count(client, model, **filters) == before + 1, document

    thread_id = next(iter((await client.gql(THREAD, {"input": {"board": "feedback", "title": "Another",
                                                               "body": "Text"}}, token=alice.token))["data"].values()))["id"]  # fmt: skip
    variables = {"input": {"threadId": thread_id, "body": "Me too", "clientMutationId": _key()}}
    first = _result(await client.gql(FORUM_REPLY, variables, token=alice.token))
    assert _result(await client.gql(FORUM_REPLY, variables, token=alice.token)) == first
    assert await _count(client, Reply) == 1

    # an anonymous advertising inquiry: scoped by the caller's address
    inquiry = {"company": "Acme Tea", "contactName": "Li Lei", "contact": "13800001234", "budget": "OVER_1M",
               "goals": "Launch a new drink", "clientMutationId": _key()}  # fmt: skip
    first = _result(await client.gql(INQUIRY, {"input": inquiry}))
    assert _result(await client.gql(INQUIRY, {"input": inquiry})) == first
    assert await _count(client, AdInquiry) == 1
