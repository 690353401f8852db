"""Sandbox payments are development-only: in production the channel, its pay page and its webhook
do not exist unless the operator sets `SELFSERVE_PAYMENTS_SANDBOX=true` (logged at WARNING)."""

from __future__ import annotations

import logging

from core.settings import plugin_settings
from plugins.payments.providers import sandbox
from plugins.payments.settings import PaymentSettings
from tests.helpers import make_verified_adult
from tests.money import create_order, page_path, pay

PRODUCTION = {"env": "production", "plugins": "account,payments"}
WALLET = "query { wallet { balance } }"


async def test_production_refuses_the_sandbox_channel_and_its_pages(client, make_client, caplog):
    # given a production deployment that says nothing about the sandbox
    caplog.set_level(logging.WARNING)
    async with make_client(**PRODUCTION) as prod:
        alice = await prod.signup()
        await make_verified_adult(prod, alice)
        # when a verified adult asks for a sandbox top-up
        order = await create_order(prod, alice, 50_000)
        # then the channel does not exist: a typed error, nothing written
        assert order["__typename"] == "PaymentError"
        assert (order["code"], order["field"]) == ("UNKNOWN_CHANNEL", "input.channel")
        assert "sandbox" not in order["message"].split("“", 1)[1].split("”", 1)[1]
        # and the sandbox pages and webhook answer 404 whatever the reference
        for path in ("/payments/sandbox/pay/anything", "/payments/webhooks/sandbox"):
            assert (await prod.http.post(path, data={"outcome": "success"})).status_code == 404
        assert (await prod.http.get("/payments/sandbox/pay/anything")).status_code == 404
        assert (await prod.gql(WALLET, token=alice.token))["data"]["wallet"]["balance"] == 0
    assert not [r for r in caplog.records if "SANDBOX" in r.getMessage()]


async def test_an_order_made_before_the_switch_cannot_be_paid_on_the_page(client, make_client):
    # given a sandbox order created while the sandbox existed (a development start on this database)
    alice = await client.signup()
    await make_verified_adult(client, alice)
    order = await create_order(client, alice, 1000)
    assert order["__typename"] == "RechargeOrder"
    # when the same database is served in production and the attacker presses Pay
    async with make_client(**PRODUCTION) as prod:
        response = await pay(prod, order)
        # then the page is gone and no coins were credited
        assert response.status_code == 404
        signed = sandbox.event_body(page_path(order["paymentUrl"]).rsplit("/", 1)[1], "success", 10_000)
        headers = {sandbox.SIGNATURE_HEADER: sandbox.sign(sandbox.webhook_key(prod.services), signed)}
        hook = await prod.http.post("/payments/webhooks/sandbox", content=signed, headers=headers)
        assert hook.status_code == 404
        assert (await prod.gql(WALLET, token=alice.token))["data"]["wallet"]["balance"] == 0


async def test_an_operator_can_turn_the_sandbox_on_in_production_and_it_is_logged(
    client, make_client, caplog, monkeypatch
):
    # given a production deployment whose operator set SELFSERVE_PAYMENTS_SANDBOX=true
    caplog.set_level(logging.WARNING)
    monkeypatch.setenv("SELFSERVE_PAYMENTS_SANDBOX", "true")
    async with make_client(**PRODUCTION) as prod:
        assert plugin_settings(prod.services, PaymentSettings).sandbox is True
        # then start-up logged a warning naming the switch
        warnings = [r for r in caplog.records if "SELFSERVE_PAYMENTS_SANDBOX" in r.getMessage()]
        assert warnings and all(r.levelno == logging.WARNING for r in warnings)
        # and the sandbox works end to end
        alice = await prod.signup()
        await make_verified_adult(prod, alice)
        order = await create_order(prod, alice, 600)
        assert order["__typename"] == "RechargeOrder"
        assert (await prod.http.get(page_path(order["paymentUrl"]))).status_code == 200
        assert (await pay(prod, order)).status_code == 200
        assert (await prod.gql(WALLET, token=alice.token))["data"]["wallet"]["balance"] == 600


async def test_development_drops_the_sandbox_when_turned_off(client, make_client, monkeypatch):
    # given a development deployment with SELFSERVE_PAYMENTS_SANDBOX=false
    monkeypatch.setenv("SELFSERVE_PAYMENTS_SANDBOX", "false")
    async with make_client(env="development", plugins="account,payments") as dev:
        alice = await dev.signup()
        await make_verified_adult(dev, alice)
        # then the channel is refused like an unknown one
        assert (await create_order(dev, alice, 100))["code"] == "UNKNOWN_CHANNEL"
