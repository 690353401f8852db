"""Recharge through the sandbox provider: order, payment page, signed webhook, wallet credit."""

from __future__ import annotations

from core.db import use_orm
from tests.helpers import make_verified_adult
from tests.money import (
    RECHARGE,
    balance,
    create_order,
    fund,
    new_key,
    page_path,
    pay,
)

ORDERS = """
query Orders($first: Int, $after: String) {
  orders(first: $first, after: $after) {
    edges { cursor node { id status coins amount refund { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_recharge_pays_through_the_sandbox_page_and_credits_once(client):
    # given a verified adult
    alice = await client.signup()
    await make_verified_adult(client, alice)
    # when she creates an order of 600 coins
    order = await create_order(client, alice, 600)
    # then it is pending, priced in fen and has a payment page of this server
    assert order["__typename"] == "RechargeOrder"
    assert (order["status"], order["coins"], order["amount"], order["currency"]) == (
        "PENDING",
        600,
        6000,
        "CNY",
    )
    page = await client.http.get(page_path(order["paymentUrl"]))
    assert page.status_code == 200 and "600" in page.text
    assert await balance(client, alice) == 0
    # when she pays on the page
    response = await pay(client, order)
    # then the webhook marked the order paid and credited the wallet
    assert response.status_code == 200 and "paid" in response.text
    assert await balance(client, alice) == 600
    listed = (await client.gql(ORDERS, token=alice.token))["data"]["orders"]["edges"]
    assert [e["node"]["status"] for e in listed] == ["PAID"]
    # and pressing the button again credits nothing more
    again = await pay(client, order)
    assert again.status_code == 200
    assert await balance(client, alice) == 600
    wallet = (await client.gql("{ wallet { balance currency valueFen } }", token=alice.token))["data"][
        "wallet"
    ]
    assert wallet == {"balance": 600, "currency": "COIN", "valueFen": 6000}


async def test_failed_payment_marks_the_order_failed_without_credit(client):
    alice = await client.signup()
    await make_verified_adult(client, alice)
    order = await create_order(client, alice, 100)
    response = await pay(client, order, "failure")
    assert response.status_code == 200
    listed = (await client.gql(ORDERS, token=alice.token))["data"]["orders"]["edges"]
    assert listed[0]["node"]["status"] == "FAILED"
    assert await balance(client, alice) == 0
    assert (await pay(client, order, "maybe")).status_code == 400
    assert (await client.http.get("/payments/sandbox/pay/unknown-ref")).status_code == 404


async def test_same_key_replays_and_other_input_is_reused(client):
    alice = await client.signup()
    await make_verified_adult(client, alice)
    key = new_key()
    first = await create_order(client, alice, 100, key)
    second = await create_order(client, alice, 100, key)
    assert first["id"] == second["id"] and first["paymentUrl"] == second["paymentUrl"]
    other = await create_order(client, alice, 200, key)
    assert (other["__typename"], other["code"]) == ("PaymentError", "IDEMPOTENCY_KEY_REUSED")
    # the key is per user: bob may use the same string
    bob = await client.signup()
    await make_verified_adult(client, bob)
    assert (await create_order(client, bob, 100, key))["id"] != first["id"]


async def test_recharge_bad_input_is_typed_and_creates_nothing(client):
    alice = await client.signup()
    # anonymous
    anonymous = await client.gql(
        RECHARGE, {"input": {"coins": 100, "channel": "sandbox", "idempotencyKey": new_key()}}
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # not verified
    assert (await create_order(client, alice, 100))["code"] == "VERIFICATION_REQUIRED"
    # a verified minor
    kid = await client.signup()
    await make_verified_adult(client, kid, birth_year=2015)
    assert (await create_order(client, kid, 100))["code"] == "VERIFICATION_REQUIRED"
    await make_verified_adult(client, alice)
    for coins in (0, -5, 9, 50_001, 2_000_000_000):
        result = await create_order(client, alice, coins)
        assert (result["code"], result["field"]) == ("INVALID_AMOUNT", "input.coins"), coins
    huge = await client.gql(
        RECHARGE,
        {"input": {"coins": 2**40, "channel": "sandbox", "idempotencyKey": new_key()}},
        token=alice.token,
    )
    assert huge.get("data") is None
    assert huge["errors"]
    unknown = await client.gql(
        RECHARGE,
        {"input": {"coins": 100, "channel": "bitcoin", "idempotencyKey": new_key()}},
        token=alice.token,
    )
    assert unknown["data"]["rechargeCreate"]["code"] == "UNKNOWN_CHANNEL"
    bad_key = await client.gql(
        RECHARGE, {"input": {"coins": 100, "channel": "sandbox", "idempotencyKey": "x"}}, token=alice.token
    )
    assert bad_key["data"]["rechargeCreate"]["code"] == "INVALID_INPUT"
    assert (await client.gql(ORDERS, token=alice.token))["data"]["orders"]["edges"] == []


async def test_daily_limit_counts_pending_and_paid_orders(client):
    alice = await client.signup()
    await make_verified_adult(client, alice)
    for _ in range(4):
        assert (await create_order(client, alice, 50_000))["__typename"] == "RechargeOrder"
    over = await create_order(client, alice, 10)
    assert over["code"] == "DAILY_LIMIT_EXCEEDED" and "0" in over["message"]


async def test_orders_list_pages_with_constant_sql(client):
    from core.db import QueryCounter
    from plugins.payments.models import RechargeOrder

    alice = await client.signup()
    user_pk = int(__import__("tests.helpers", fromlist=["account_user_pk"]).account_user_pk(alice))
    counts = {}
    for size in (10, 100):
        with use_orm(client.services.orm):
            await RechargeOrder.filter(user_id=user_pk).delete()
            await RechargeOrder.bulk_create(
                [
                    RechargeOrder(
                        user_id=user_pk, coins=10, amount=100, channel="sandbox", provider_ref=f"r{size}-{i}"
                    )
                    for i in range(size)
                ]
            )
        with QueryCounter() as counter:
            body = await client.gql(ORDERS, {"first": 100}, token=alice.token)
        assert len(body["data"]["orders"]["edges"]) == size
        counts[size] = counter.count
    assert counts[10] == counts[100]
    # paging: 100 items, pages of 30
    first = (await client.gql(ORDERS, {"first": 30}, token=alice.token))["data"]["orders"]
    second = (
        await client.gql(ORDERS, {"first": 30, "after": first["pageInfo"]["endCursor"]}, token=alice.token)
    )["data"]["orders"]
    assert first["pageInfo"]["hasNextPage"] and len(second["edges"]) == 30
    assert not {e["node"]["id"] for e in first["edges"]} & {e["node"]["id"] for e in second["edges"]}
    with use_orm(client.services.orm):
        await RechargeOrder.filter(user_id=user_pk).delete()


async def test_funded_helper_and_wallet_for_anonymous(client):
    alice = await client.signup()
    await fund(client, alice, 300)
    assert await balance(client, alice) == 300
    assert (await client.gql("{ wallet { balance } }"))["data"]["wallet"] is None
