"""Refunds of unspent coins: rules, idempotency, the provider job and who may see what."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.payments.models import LedgerTransaction, RechargeOrder, Refund
from schema.relay import to_global_id
from tests.helpers import account_user_pk, make_verified_adult
from tests.money import balance, create_order, fund, new_key

REFUND = """
mutation Refund($input: RefundRequestInput!) {
  refundRequest(input: $input) {
    __typename
    ... on Refund { id status coins amount order { id status } }
    ... on PaymentError { code message field }
  }
}
"""
REFUNDS = "query { refunds { edges { node { id status coins } } } }"
USER_ORDERS = "query U($id: ID!) { userOrders(userId: $id) { edges { node { id status coins } } } }"
NODE = "query N($id: ID!) { node(id: $id) { __typename ... on RechargeOrder { coins } } }"


async def _refund(client, account, order_id, key=None, reason="changed my mind"):
    body = await client.gql(
        REFUND,
        {"input": {"orderId": order_id, "reason": reason, "idempotencyKey": key or new_key()}},
        token=account.token,
    )
    return body["data"]["refundRequest"] if body.get("data") else body


async def test_refund_takes_the_coins_back_and_the_job_completes_it(client):
    alice = await client.signup()
    order = await fund(client, alice, 500)
    refund = await _refund(client, alice, order["id"])
    assert refund["__typename"] == "Refund"
    assert (refund["coins"], refund["amount"], refund["order"]["id"]) == (500, 5000, order["id"])
    assert await balance(client, alice) == 0
    await client.services.jobs.drain()
    listed = (await client.gql(REFUNDS, token=alice.token))["data"]["refunds"]["edges"]
    assert [(e["node"]["status"], e["node"]["coins"]) for e in listed] == [("SUCCEEDED", 500)]
    orders = await client.gql("{ orders { edges { node { status refund { status } } } } }", token=alice.token)
    assert orders["data"]["orders"]["edges"][0]["node"] == {
        "status": "REFUNDED",
        "refund": {"status": "SUCCEEDED"},
    }
    # a second refund of the same order is refused
    assert (await _refund(client, alice, order["id"]))["code"] == "NOT_REFUNDABLE"


async def test_refund_rules(client):
    alice, bob = await client.signup(), await client.signup()
    order = await fund(client, alice, 300)
    # someone else's order does not exist for bob
    await make_verified_adult(client, bob)
    assert (await _refund(client, bob, order["id"]))["code"] == "NOT_FOUND"
    # anonymous
    anonymous = await client.gql(
        REFUND, {"input": {"orderId": order["id"], "reason": "x", "idempotencyKey": new_key()}}
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # malformed ids and reasons
    assert (await _refund(client, alice, "bogus"))["code"] == "INVALID_INPUT"
    assert (await _refund(client, alice, to_global_id("User", 1)))["code"] == "INVALID_INPUT"
    assert (await _refund(client, alice, order["id"], reason="  "))["field"] == "input.reason"
    # a pending order is not refundable
    pending = await create_order(client, alice, 100)
    assert (await _refund(client, alice, pending["id"]))["code"] == "NOT_REFUNDABLE"
    # outside the window
    with use_orm(client.services.orm):
        await RechargeOrder.filter(status="PAID").update(paid_at=datetime.now(UTC) - timedelta(days=8))
    assert (await _refund(client, alice, order["id"]))["code"] == "REFUND_WINDOW_EXPIRED"
    assert await balance(client, alice) == 300


async def test_spent_coins_cannot_be_refunded(client):
    from plugins.payments.api import charge_wallet

    alice = await client.signup()
    order = await fund(client, alice, 100)
    with use_orm(client.services.orm):
        await charge_wallet(account_user_pk(alice), 30, reference="test:spend")
    result = await _refund(client, alice, order["id"])
    assert result["code"] == "COINS_ALREADY_SPENT" and "70" in result["message"]
    assert await balance(client, alice) == 70


async def test_refund_key_replays_and_rejects_other_input(client):
    alice = await client.signup()
    order = await fund(client, alice, 100)
    key = new_key()
    first = await _refund(client, alice, order["id"], key)
    second = await _refund(client, alice, order["id"], key)
    assert first["id"] == second["id"]
    assert (await _refund(client, alice, order["id"], key, reason="other"))[
        "code"
    ] == "IDEMPOTENCY_KEY_REUSED"
    assert await balance(client, alice) == 0


async def test_a_failed_request_leaves_the_key_unbound(client):
    alice = await client.signup()
    order = await fund(client, alice, 100)
    key = new_key()
    with use_orm(client.services.orm):
        await RechargeOrder.filter(status="PAID").update(paid_at=datetime.now(UTC) - timedelta(days=8))
    assert (await _refund(client, alice, order["id"], key))["code"] == "REFUND_WINDOW_EXPIRED"
    with use_orm(client.services.orm):
        await RechargeOrder.filter(status="PAID").update(paid_at=datetime.now(UTC))
    assert (await _refund(client, alice, order["id"], key))["__typename"] == "Refund"


async def test_50_concurrent_identical_refunds_have_one_effect(client):
    alice = await client.signup()
    order = await fund(client, alice, 800)
    key = new_key()
    results = await asyncio.gather(*(_refund(client, alice, order["id"], key) for _ in range(50)))
    assert {r["__typename"] for r in results} == {"Refund"}, results
    assert len({r["id"] for r in results}) == 1
    with use_orm(client.services.orm):
        assert await Refund.all().count() == 1
        assert await LedgerTransaction.filter(kind="REFUND").count() == 1
    assert await balance(client, alice) == 0


async def test_concurrent_refunds_with_different_keys_refund_once(client):
    alice = await client.signup()
    order = await fund(client, alice, 800)
    results = await asyncio.gather(*(_refund(client, alice, order["id"]) for _ in range(10)))
    kinds = sorted(r.get("code") or r["__typename"] for r in results)
    assert kinds.count("Refund") == 1 and set(kinds) == {"Refund", "NOT_REFUNDABLE"}
    assert await balance(client, alice) == 0


async def test_agents_look_up_a_users_orders(client):
    alice, bob = await client.signup(), await client.signup()
    agent = await client.signup(roles=("AGENT",))
    order = await fund(client, alice, 100)
    seen = await client.gql(USER_ORDERS, {"id": alice.id}, token=agent.token)
    assert [e["node"]["coins"] for e in seen["data"]["userOrders"]["edges"]] == [100]
    assert (await client.gql(USER_ORDERS, {"id": alice.id}, token=bob.token))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await client.gql(USER_ORDERS, {"id": alice.id}))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    # node(id:): owner and agent see it, another user does not
    assert (await client.gql(NODE, {"id": order["id"]}, token=alice.token))["data"]["node"]["coins"] == 100
    assert (await client.gql(NODE, {"id": order["id"]}, token=agent.token))["data"]["node"]["coins"] == 100
    assert (await client.gql(NODE, {"id": order["id"]}, token=bob.token))["data"]["node"] is None
