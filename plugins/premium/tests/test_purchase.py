"""Buying add-ons from the wallet: ledger, subscription, entitlements, idempotency, admin tools."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.payments.api import wallet_statement
from plugins.premium.models import Purchase, Subscription
from tests.helpers import account_user_pk, make_verified_adult
from tests.money import PURCHASE, balance, buy_addon, fund, new_key

PRODUCTS = "query { premiumProducts { key entitlement title description priceCoins periodDays translations { language title } } }"
ME = "query { me { entitlements } }"
UPDATE = """
mutation U($input: PremiumProductUpdateInput!) {
  premiumProductUpdate(input: $input) { __typename ... on PremiumProduct { key priceCoins active } ... on PremiumError { code field } }
}
"""
GRANT = """
mutation G($input: PremiumGrantInput!) {
  premiumGrant(input: $input) { __typename ... on PremiumGrant { id entitlement expiresAt } ... on PremiumError { code field } }
}
"""
REVOKE = (
    "mutation R($id: ID!) { premiumGrantRevoke(id: $id) { __typename ... on PremiumGrant { revokedAt } } }"
)


async def _entitlements(client, account):
    return (await client.gql(ME, token=account.token))["data"]["me"]["entitlements"]


async def test_catalogue_is_bilingual_and_public(client):
    body = await client.gql(PRODUCTS, headers={"Accept-Language": "zh-CN"})
    products = {p["key"]: p for p in body["data"]["premiumProducts"]}
    assert set(products) == {"analytics_report", "promotion_advice", "priority_support", "courses"}
    assert products["analytics_report"]["title"] == "专业账号分析"
    assert {t["language"] for t in products["courses"]["translations"]} == {"zh-CN", "en"}
    assert all(p["priceCoins"] > 0 and p["periodDays"] == 30 for p in products.values())


async def test_purchase_pays_from_the_wallet_and_unlocks_at_once(client):
    alice = await client.signup()
    await fund(client, alice, 1000)
    # the entitlement cache is warm (and empty) before the purchase
    assert await _entitlements(client, alice) == []
    result = await buy_addon(client, alice)
    assert (result["__typename"], result["entitlement"]) == ("PremiumSubscription", "analytics_report")
    assert await balance(client, alice) == 700
    # the cache was invalidated: the entitlement shows at once
    assert await _entitlements(client, alice) == ["analytics_report"]
    # buying again extends the subscription by another period
    again = await buy_addon(client, alice)
    first_end = datetime.fromisoformat(result["expiresAt"])
    assert datetime.fromisoformat(again["expiresAt"]) - first_end == timedelta(days=30)
    assert await balance(client, alice) == 400
    with use_orm(client.services.orm):
        assert await Subscription.all().count() == 1
        statement = await wallet_statement(account_user_pk(alice))
    assert [move for move in statement if move[0] == "PURCHASE"] == [("PURCHASE", -300)] * 2
    subs = await client.gql("{ premiumSubscriptions { product expiresAt } }", token=alice.token)
    assert subs["data"]["premiumSubscriptions"][0]["expiresAt"] == again["expiresAt"]


async def test_purchase_bad_input(client):
    alice, kid = await client.signup(), await client.signup()
    anonymous = await client.gql(PURCHASE, {"input": {"product": "courses", "idempotencyKey": new_key()}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await buy_addon(client, alice))["code"] == "VERIFICATION_REQUIRED"
    await make_verified_adult(client, kid, birth_year=2014)
    assert (await buy_addon(client, kid))["code"] == "VERIFICATION_REQUIRED"
    await make_verified_adult(client, alice)
    unknown = await buy_addon(client, alice, product="gold_badge")
    assert (unknown["code"], unknown["field"]) == ("UNKNOWN_PRODUCT", "input.product")
    poor = await buy_addon(client, alice, product="courses")
    assert poor["code"] == "INSUFFICIENT_BALANCE" and "990" in poor["message"]
    assert (await buy_addon(client, alice, key="short"))["code"] == "INVALID_INPUT"
    assert await _entitlements(client, alice) == []
    with use_orm(client.services.orm):
        assert await Purchase.all().count() == 0


async def test_purchase_idempotency(client):
    alice = await client.signup()
    await fund(client, alice, 1000)
    key = new_key()
    first, second = await buy_addon(client, alice, key=key), await buy_addon(client, alice, key=key)
    assert first == second
    assert (await buy_addon(client, alice, product="courses", key=key))["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await balance(client, alice) == 700


async def test_50_concurrent_identical_purchases_pay_once(client):
    alice = await client.signup()
    await fund(client, alice, 1000)
    key = new_key()
    results = await asyncio.gather(*(buy_addon(client, alice, key=key) for _ in range(50)))
    assert {r["__typename"] for r in results} == {"PremiumSubscription"}, results
    assert len({r["expiresAt"] for r in results}) == 1
    assert await balance(client, alice) == 700
    with use_orm(client.services.orm):
        assert await Purchase.all().count() == 1


async def test_concurrent_purchases_never_overdraw(client):
    alice = await client.signup()
    await fund(client, alice, 1000)
    results = await asyncio.gather(*(buy_addon(client, alice) for _ in range(6)))
    paid = [r for r in results if r["__typename"] == "PremiumSubscription"]
    assert len(paid) == 3 and {r.get("code") for r in results} - {None} == {"INSUFFICIENT_BALANCE"}
    assert await balance(client, alice) == 100


async def test_admin_changes_prices_and_grants(client):
    admin, alice = await client.signup(roles=("ADMIN",)), await client.signup()
    # non-admins are refused
    refused = await client.gql(UPDATE, {"input": {"product": "courses", "priceCoins": 1}}, token=alice.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    changed = await client.gql(
        UPDATE, {"input": {"product": "analytics_report", "priceCoins": 120}}, token=admin.token
    )
    assert changed["data"]["premiumProductUpdate"]["priceCoins"] == 120
    bad = await client.gql(
        UPDATE, {"input": {"product": "analytics_report", "priceCoins": 0}}, token=admin.token
    )
    assert bad["data"]["premiumProductUpdate"]["code"] == "INVALID_PRICE"
    await fund(client, alice, 500)
    await buy_addon(client, alice)
    assert await balance(client, alice) == 380
    # off sale: unknown to buyers, existing subscription keeps working
    await client.gql(UPDATE, {"input": {"product": "analytics_report", "active": False}}, token=admin.token)
    assert (await buy_addon(client, alice))["code"] == "UNKNOWN_PRODUCT"
    assert "analytics_report" in await _entitlements(client, alice)
    # grants
    granted = await client.gql(
        GRANT,
        {"input": {"userId": alice.id, "product": "courses", "days": 7, "note": "apology"}},
        token=admin.token,
    )
    grant = granted["data"]["premiumGrant"]
    assert grant["entitlement"] == "courses"
    assert await _entitlements(client, alice) == ["analytics_report", "courses"]
    assert (await client.gql(GRANT, {"input": {"userId": alice.id, "product": "nope"}}, token=admin.token))[
        "data"
    ]["premiumGrant"]["code"] == "UNKNOWN_PRODUCT"
    assert (
        await client.gql(GRANT, {"input": {"userId": alice.id, "product": "courses"}}, token=alice.token)
    )["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await client.gql(REVOKE, {"id": grant["id"]}, token=admin.token)
    assert await _entitlements(client, alice) == ["analytics_report"]


async def test_expiry_job_ends_the_entitlement(client):
    alice = await client.signup()
    await fund(client, alice, 500)
    await buy_addon(client, alice)
    assert await _entitlements(client, alice) == ["analytics_report"]
    with use_orm(client.services.orm):
        await Subscription.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await client.services.jobs.run_now("premium.expire") == 1
    assert await _entitlements(client, alice) == []
    with use_orm(client.services.orm):
        assert (await Subscription.get()).status == "EXPIRED"
