"""A second provider through the hook: its webhook, and refunds retried until they succeed or fail
for good (then the coins go back to the wallet). Also the `payments check` command."""

from __future__ import annotations

import argparse
import json

from core.db import use_orm
from plugins.payments.models import RechargeOrder, Refund
from plugins.payments.tests import flaky_provider
from tests.helpers import make_verified_adult
from tests.money import RECHARGE, assert_ledger_balanced, balance, new_key

REFUND = """
mutation R($input: RefundRequestInput!) { refundRequest(input: $input) { __typename ... on Refund { id } ... on PaymentError { code } } }
"""


async def _paid_order(client, account, coins):
    body = await client.gql(
        RECHARGE,
        {"input": {"coins": coins, "channel": "flaky", "idempotencyKey": new_key()}},
        token=account.token,
    )
    order = body["data"]["rechargeCreate"]
    assert order["paymentUrl"].startswith("https://flaky.example/pay/")
    with use_orm(client.services.orm):
        ref = (await RechargeOrder.get(payment_url=order["paymentUrl"])).provider_ref
    event = json.dumps({"id": new_key(), "ref": ref, "amount": coins * 10}).encode()
    refused = await client.http.post("/payments/webhooks/flaky", content=event)
    assert refused.status_code == 400
    paid = await client.http.post(
        "/payments/webhooks/flaky", content=event, headers={"X-Flaky-Token": "test"}
    )
    assert paid.json()["status"] == "paid"
    return order


async def test_refunds_are_retried_then_succeed_or_are_reversed(make_client):
    async with make_client(extra_plugins=(flaky_provider,)) as client:
        alice = await client.signup()
        await make_verified_adult(client, alice)
        retried = await _paid_order(client, alice, 100)
        doomed = await _paid_order(client, alice, 200)
        assert await balance(client, alice) == 300
        for order, reason in ((retried, "fail:2"), (doomed, "fail:99")):
            body = await client.gql(
                REFUND,
                {"input": {"orderId": order["id"], "reason": reason, "idempotencyKey": new_key()}},
                token=alice.token,
            )
            assert body["data"]["refundRequest"]["__typename"] == "Refund"
        assert await balance(client, alice) == 0
        # the broker retries; whatever it drops, running the job again finishes the work
        await client.services.jobs.drain()
        with use_orm(client.services.orm):
            for refund in await Refund.filter(status="PENDING"):
                for _ in range(5):
                    try:
                        await client.services.jobs.run_now("payments.refund", refund_id=refund.id)
                        break
                    except Exception:  # noqa: BLE001 - a failed attempt, as the broker would see it
                        continue
            refunds = {r.reason: r for r in await Refund.all()}
        # (a broker retry may overlap a manual run, so attempts are at least the minimum)
        assert refunds["fail:2"].status == "SUCCEEDED" and refunds["fail:2"].attempts >= 3
        assert refunds["fail:99"].status == "FAILED" and refunds["fail:99"].attempts >= 5
        # the failed refund's coins are back
        assert await balance(client, alice) == 200
        await assert_ledger_balanced(client)


async def test_payments_check_command(client, capsys):
    from plugins.payments.cli import _check
    from tests.money import fund

    alice = await client.signup()
    await fund(client, alice, 100)
    assert await _check(client.services.settings, argparse.Namespace()) == 0
    assert "ledger is balanced" in capsys.readouterr().out
