"""The daily recharge limit holds when a payment is credited, not only when an order is made: a
late success on a failed (expired) order over the limit is refunded to the payer, never credited."""

from __future__ import annotations

from core.db import use_orm
from core.settings import plugin_settings
from plugins.payments.providers import ProviderError
from plugins.payments.providers.sandbox import SandboxProvider
from plugins.payments.settings import PaymentSettings
from tests.helpers import make_verified_adult
from tests.money import balance, create_order, pay

ORDERS = """
query { orders(first: 20) { edges { node { id status coins refund { status coins reason } } } } }
"""


async def _orders(client, account) -> list[dict]:
    body = await client.gql(ORDERS, token=account.token)
    return [edge["node"] for edge in body["data"]["orders"]["edges"]]


async def _fail_four_then_refill(client, account) -> list[dict]:
    """The attack: four 50,000-coin orders fail (freeing the limit), four new ones are paid."""
    failed = []
    for _ in range(4):
        order = await create_order(client, account, 50_000)
        assert order["__typename"] == "RechargeOrder", order
        assert (await pay(client, order, "failure")).status_code == 200
        failed.append(order)
    for _ in range(4):
        order = await create_order(client, account, 50_000)
        assert order["__typename"] == "RechargeOrder", order
        assert (await pay(client, order)).status_code == 200
    assert (await create_order(client, account, 10))["code"] == "DAILY_LIMIT_EXCEEDED"
    return failed


async def test_a_late_success_over_the_daily_limit_is_refunded_not_credited(client):
    # given a verified adult who topped up the full 200,000 coins after four orders failed
    mallory = await client.signup()
    await make_verified_adult(client, mallory)
    failed = await _fail_four_then_refill(client, mallory)
    assert await balance(client, mallory) == 200_000
    # when the provider reports late successes for the four failed orders
    for order in failed:
        response = await pay(client, order)
        assert response.status_code == 200, response.text
    await client.services.jobs.drain()
    # then the wallet stays at the limit
    assert await balance(client, mallory) == 200_000
    # and each late payment went back to the payer as an automatic refund, visible on the order
    late = {o["id"]: o for o in await _orders(client, mallory) if o["id"] in {f["id"] for f in failed}}
    assert {o["status"] for o in late.values()} == {"REFUNDED"}
    assert all(o["refund"]["status"] == "SUCCEEDED" for o in late.values())
    assert all(o["refund"]["coins"] == 50_000 and "limit" in o["refund"]["reason"] for o in late.values())
    # and a replayed success changes nothing
    assert (await pay(client, failed[0])).status_code == 200
    assert await balance(client, mallory) == 200_000


async def test_a_late_success_within_the_limit_still_credits(client):
    # given an order that failed, with room left under the limit
    alice = await client.signup()
    await make_verified_adult(client, alice)
    order = await create_order(client, alice, 30_000)
    await pay(client, order, "failure")
    # when the payment succeeds late
    await pay(client, order)
    # then the customer, who paid, gets the coins
    assert await balance(client, alice) == 30_000
    assert [o["status"] for o in await _orders(client, alice)] == ["PAID"]


async def test_an_automatic_refund_that_keeps_failing_never_reaches_the_wallet(client, monkeypatch):
    # given a provider whose refunds are declined, and one attempt allowed
    async def declined(self, services, order, refund):
        raise ProviderError("declined")

    monkeypatch.setattr(SandboxProvider, "refund", declined)
    settings = plugin_settings(client.services, PaymentSettings)
    monkeypatch.setattr(settings, "refund_max_attempts", 1)
    mallory = await client.signup()
    await make_verified_adult(client, mallory)
    failed = await _fail_four_then_refill(client, mallory)
    # when a late success over the limit arrives and its refund fails for good
    await pay(client, failed[0])
    await client.services.jobs.drain()
    # then the refund is FAILED (for an operator) and the coins stayed on hold, not in the wallet
    late = next(o for o in await _orders(client, mallory) if o["id"] == failed[0]["id"])
    assert (late["status"], late["refund"]["status"]) == ("PAID", "FAILED")
    assert await balance(client, mallory) == 200_000
    from plugins.payments import ledger

    with use_orm(client.services.orm):
        hold = await ledger.ensure_account(ledger.hold_code("sandbox"), ledger.HOLD)
        assert await ledger.balance_of(hold.id) == 50_000
