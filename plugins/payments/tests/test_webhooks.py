"""The sandbox webhook as an external provider would call it: signed, fresh, deduplicated."""

from __future__ import annotations

import time

from core.db import use_orm
from plugins.payments.models import RechargeOrder
from plugins.payments.providers import sandbox
from tests.helpers import make_verified_adult
from tests.money import balance, create_order

URL = "/payments/webhooks/sandbox"


async def _order(client, coins=100):
    alice = await client.signup()
    await make_verified_adult(client, alice)
    order = await create_order(client, alice, coins)
    with use_orm(client.services.orm):
        ref = (await RechargeOrder.get(payment_url=order["paymentUrl"])).provider_ref
    return alice, order, ref


def _signed(client, body, stamp=None, key=None):
    key = key or sandbox.webhook_key(client.services)
    return {sandbox.SIGNATURE_HEADER: sandbox.sign(key, body, stamp), "Content-Type": "application/json"}


async def test_signed_webhook_credits_once_and_replays_are_ignored(client):
    alice, order, ref = await _order(client, 250)
    body = sandbox.event_body(ref, "success", 2500)
    first = await client.http.post(URL, content=body, headers=_signed(client, body))
    assert first.status_code == 200 and first.json()["status"] == "paid"
    assert await balance(client, alice) == 250
    # the same delivery again (a replay) is a duplicate
    again = await client.http.post(URL, content=body, headers=_signed(client, body))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    # another event for the same order does not credit again either
    other = sandbox.event_body(ref, "success", 2500)
    late = await client.http.post(URL, content=other, headers=_signed(client, other))
    assert late.json()["status"] == "already_paid"
    # nor does a failure notice undo it
    failed = sandbox.event_body(ref, "failure", 2500)
    assert (await client.http.post(URL, content=failed, headers=_signed(client, failed))).json()[
        "status"
    ] == "ignored"
    assert await balance(client, alice) == 250


async def test_unsigned_forged_stale_and_malformed_webhooks_are_refused(client):
    alice, order, ref = await _order(client)
    body = sandbox.event_body(ref, "success", 1000)
    cases = [
        {},  # unsigned
        {sandbox.SIGNATURE_HEADER: "garbage"},
        _signed(client, body, key=b"0" * 32),  # forged with another key
        _signed(client, body, stamp=int(time.time()) - 3600),  # stale
        _signed(client, body, stamp=int(time.time()) + 3600),  # from the future
        _signed(client, body + b" "),  # signature of other bytes
    ]
    for headers in cases:
        response = await client.http.post(URL, content=body, headers=headers)
        assert response.status_code == 400, (headers, response.text)
    wrong_amount = sandbox.event_body(ref, "success", 1)
    assert (
        await client.http.post(URL, content=wrong_amount, headers=_signed(client, wrong_amount))
    ).status_code == 400
    unknown = sandbox.event_body("no-such-order", "success", 1000)
    assert (await client.http.post(URL, content=unknown, headers=_signed(client, unknown))).status_code == 400
    junk = b'{"id": 1}'
    assert (await client.http.post(URL, content=junk, headers=_signed(client, junk))).status_code == 400
    assert (
        await client.http.post("/payments/webhooks/paypal", content=body, headers=_signed(client, body))
    ).status_code == 404
    assert await balance(client, alice) == 0
    # a refused event is not recorded: the genuine delivery still works afterwards
    assert (await client.http.post(URL, content=body, headers=_signed(client, body))).json()[
        "status"
    ] == "paid"
    assert await balance(client, alice) == 100


async def test_late_success_after_expiry_still_credits(client):
    alice, order, ref = await _order(client)
    with use_orm(client.services.orm):
        await RechargeOrder.filter(provider_ref=ref).update(status="FAILED")
    body = sandbox.event_body(ref, "success", 1000)
    assert (await client.http.post(URL, content=body, headers=_signed(client, body))).json()[
        "status"
    ] == "paid"
    assert await balance(client, alice) == 100
