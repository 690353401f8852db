"""Test helpers for money: recharge through the sandbox and buy add-ons like a client, and the
ledger invariant asserted after every payments and premium test (their conftest)."""

from __future__ import annotations

import uuid
from typing import Any

from core.db import use_orm
from tests.helpers import Account, make_verified_adult

RECHARGE = """
mutation Recharge($input: RechargeCreateInput!) {
  rechargeCreate(input: $input) {
    __typename
    ... on RechargeOrder { id status coins amount currency channel paymentUrl createdAt }
    ... on PaymentError { code message field }
  }
}
"""
WALLET = "query { wallet { balance currency valueFen } }"
PURCHASE = """
mutation Buy($input: PremiumPurchaseInput!) {
  premiumPurchase(input: $input) {
    __typename
    ... on PremiumSubscription { product entitlement expiresAt }
    ... on PaymentError { code message field }
  }
}
"""


def new_key() -> str:
    """A fresh idempotency key."""
    return str(uuid.uuid4())


def page_path(payment_url: str) -> str:
    """The path of a sandbox payment page (the client talks to the ASGI app directly)."""
    return "/payments/" + payment_url.split("/payments/", 1)[1]


async def create_order(client: Any, account: Account, coins: int, key: str | None = None) -> dict:
    """`rechargeCreate` on the sandbox; returns the result object."""
    body = await client.gql(
        RECHARGE,
        {"input": {"coins": coins, "channel": "sandbox", "idempotencyKey": key or new_key()}},
        token=account.token,
    )
    return body["data"]["rechargeCreate"]


async def pay(client: Any, order: dict, outcome: str = "success") -> Any:
    """Press a button on the sandbox page (the provider then calls the signed webhook)."""
    return await client.http.post(page_path(order["paymentUrl"]), data={"outcome": outcome})


async def fund(client: Any, account: Account, coins: int, *, verify: bool = True) -> dict:
    """Make the user a verified adult (optional) and top up `coins` through the sandbox."""
    if verify:
        await make_verified_adult(client, account)
    order = await create_order(client, account, coins)
    assert order["__typename"] == "RechargeOrder", order
    response = await pay(client, order)
    assert response.status_code == 200, response.text
    return order


async def buy_addon(
    client: Any, account: Account, product: str = "analytics_report", key: str | None = None
) -> dict:
    """`premiumPurchase` of a paid add-on from the wallet; returns the result object (or the body on a
    top-level error)."""
    body = await client.gql(
        PURCHASE, {"input": {"product": product, "idempotencyKey": key or new_key()}}, token=account.token
    )
    return body["data"]["premiumPurchase"] if body.get("data") else body


async def balance(client: Any, account: Account) -> int:
    """The wallet balance as the user sees it."""
    body = await client.gql(WALLET, token=account.token)
    return body["data"]["wallet"]["balance"]


async def assert_ledger_balanced(client: Any) -> None:
    """The invariant: two entries per transaction summing to zero, no negative wallet, each paid
    order credited exactly once."""
    from plugins.payments.api import check_ledger

    await client.services.jobs.drain()
    with use_orm(client.services.orm):
        report = await check_ledger()
    assert report.ok, report.problems
