"""Entitlement administration through the API: bulk grants to a segment (batched jobs, counted in
SQL), revocation that takes effect on the next request, and who holds what."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from core.db import use_orm
from tests.helpers import account_user_pk, make_verified_adult
from tests.money import buy_addon, fund

BULK = """mutation B($input: EntitlementGrantBulkInput!) { entitlementGrantBulk(input: $input) { __typename
  ... on BulkGrantResult { granted batches } ... on FeatureError { code field } } }"""
REVOKE = """mutation R($input: EntitlementRevokeInput!) { entitlementRevoke(input: $input) { __typename
  ... on EntitlementRevoked { entitlement userId revoked stillHeld } ... on FeatureError { code field } } }"""
HOLDINGS = """query H($entitlement: String, $userId: ID, $first: Int, $after: String) {
  entitlementGrants(entitlement: $entitlement, userId: $userId, first: $first, after: $after) {
    edges { cursor node { entitlement source userId expiresAt grantedBy note user { id } } }
    pageInfo { hasNextPage endCursor } } }"""
REPORT = "{ analyticsReport { __typename ... on EntitlementRequired { entitlement } } }"


async def _holdings(client, admin, **filters) -> list[dict]:
    """Every current holding (one per grant or subscription row) as the admins' listing shows it."""
    body = await client.gql(HOLDINGS, {"first": 100, **filters}, token=admin.token)
    connection = body["data"]["entitlementGrants"]
    assert connection["pageInfo"]["hasNextPage"] is False, "more holdings than one page"
    return [e["node"] for e in connection["edges"]]


async def _holders(client, admin, entitlement) -> list[str]:
    """The ids of the users holding `entitlement`, once per holding, sorted."""
    return sorted(n["userId"] for n in await _holdings(client, admin, entitlement=entitlement))


async def _bulk(client, admin, **values):
    body = await client.gql(BULK, {"input": values}, token=admin.token)
    return body["data"]["entitlementGrantBulk"] if body.get("data") else body


async def test_a_bulk_grant_reaches_exactly_the_verified_adults_registered_before_a_date(client):
    early_adult, early_minor, early_unverified = [await client.signup() for _ in range(3)]
    await asyncio.sleep(0.01)  # registration times are stamped by the clock: step clearly past them
    cutoff = datetime.now(UTC)
    await asyncio.sleep(0.01)
    late_adult, admin = await client.signup(), await client.signup(roles=("ADMIN",))
    await make_verified_adult(client, early_adult)
    await make_verified_adult(client, late_adult)
    await make_verified_adult(client, early_minor, birth_year=datetime.now(UTC).year - 10)

    result = await _bulk(
        client,
        admin,
        entitlement="analytics_report",
        segment={"verifiedAdult": True, "registeredBefore": cutoff.isoformat()},
        days=30,
        reason="launch gift",
    )
    await client.services.jobs.drain()
    assert result == {"__typename": "BulkGrantResult", "granted": 1, "batches": 1}
    assert await _holders(client, admin, "analytics_report") == [early_adult.id]
    holder = await client.gql(REPORT, token=early_adult.token)
    assert holder["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"
    left_out = await client.gql(REPORT, token=late_adult.token)
    assert left_out["data"]["analyticsReport"]["__typename"] == "EntitlementRequired"


async def test_bulk_grants_run_in_batches_and_a_retried_batch_grants_nobody_twice(client, monkeypatch):
    from plugins.features import grants

    monkeypatch.setattr(grants, "BATCH_SIZE", 2)
    admin = await client.signup(roles=("ADMIN",))
    users = [await client.signup() for _ in range(5)]
    result = await _bulk(
        client,
        admin,
        entitlement="courses",
        segment={"userIds": [u.id for u in users]},
        days=7,
        reason="course week",
    )
    assert result == {"__typename": "BulkGrantResult", "granted": 5, "batches": 3}
    await client.services.jobs.drain()
    holdings = await _holdings(client, admin, entitlement="courses")
    assert sorted(n["userId"] for n in holdings) == sorted(u.id for u in users)
    (note,) = {n["note"] for n in holdings}  # one bulk grant: one note
    again = await client.services.jobs.run_now(
        grants.GRANT_JOB,
        user_ids=[int(account_user_pk(u)) for u in users],
        entitlement="courses",
        days=7,
        note=note,
        admin_id=account_user_pk(admin),
    )
    assert again == 0
    assert len(await _holdings(client, admin, entitlement="courses")) == 5


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        (
            {"entitlement": "nope", "segment": {"verifiedAdult": True}},
            "UNKNOWN_ENTITLEMENT",
            "input.entitlement",
        ),
        ({"segment": {}}, "INVALID_SEGMENT", "input.segment"),
        ({"segment": {"platforms": ["ios"]}}, "INVALID_SEGMENT", "input.segment.platforms"),
        ({"segment": {"verifiedAdult": True}, "days": 0}, "INVALID_INPUT", "input.days"),
        ({"segment": {"verifiedAdult": True}, "reason": "  "}, "INVALID_INPUT", "input.reason"),
        ({"segment": {"userIds": ["bad"]}}, "INVALID_INPUT", "input.segment.userIds"),
    ],
)
async def test_bad_bulk_grants_get_a_typed_error_and_grant_nothing(client, values, code, field):
    from core.models import AuditEntry

    admin = await client.signup(roles=("ADMIN",))
    await make_verified_adult(client, admin)
    body = {"entitlement": "courses", "days": 30, "reason": "why", **values}
    result = await _bulk(client, admin, **body)
    assert (result["__typename"], result["code"], result["field"]) == ("FeatureError", code, field)
    await client.services.jobs.drain()
    assert await _holdings(client, admin) == []
    with use_orm(client.services.orm):
        assert await AuditEntry.all().count() == 0


@pytest.mark.parametrize("roles", [(), ("AGENT",), ("REVIEWER",)])
async def test_only_admins_grant_revoke_or_list(client, roles):
    caller, target = await client.signup(roles=roles), await client.signup()
    for token in (None, caller.token):
        expected = "UNAUTHENTICATED" if token is None else "FORBIDDEN"
        bulk = await client.gql(
            BULK,
            {
                "input": {
                    "entitlement": "courses",
                    "segment": {"userIds": [target.id]},
                    "days": 1,
                    "reason": "x",
                }
            },
            token=token,
        )
        revoke = await client.gql(
            REVOKE, {"input": {"entitlement": "courses", "userId": target.id, "reason": "x"}}, token=token
        )
        listing = await client.gql(HOLDINGS, token=token)
        assert [b["errors"][0]["extensions"]["code"] for b in (bulk, revoke, listing)] == [expected] * 3


async def test_revoking_a_grant_makes_the_next_request_answer_entitlement_required(client):
    from core.models import AuditEntry

    admin, user = await client.signup(roles=("ADMIN",)), await client.signup()
    await _bulk(
        client, admin, entitlement="analytics_report", segment={"userIds": [user.id]}, days=30, reason="gift"
    )
    await client.services.jobs.drain()
    granted = await client.gql(REPORT, token=user.token)  # also fills the shared entitlement cache
    assert granted["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"
    body = await client.gql(
        REVOKE,
        {"input": {"entitlement": "analytics_report", "userId": user.id, "reason": "abuse"}},
        token=admin.token,
    )
    assert body["data"]["entitlementRevoke"] == {
        "__typename": "EntitlementRevoked",
        "entitlement": "analytics_report",
        "userId": user.id,
        "revoked": 1,
        "stillHeld": False,
    }
    after = await client.gql(REPORT, token=user.token)
    assert after["data"]["analyticsReport"] == {
        "__typename": "EntitlementRequired",
        "entitlement": "analytics_report",
    }
    again = await client.gql(
        REVOKE,
        {"input": {"entitlement": "analytics_report", "userId": user.id, "reason": "abuse"}},
        token=admin.token,
    )
    assert again["data"]["entitlementRevoke"] == {
        "__typename": "FeatureError",
        "code": "NOTHING_TO_REVOKE",
        "field": "input.userId",
    }
    with use_orm(client.services.orm):
        actions = sorted(await AuditEntry.all().values_list("action", flat=True))
        revoked = await AuditEntry.get(action="entitlement.revoked")
    assert actions == ["entitlement.bulk_granted", "entitlement.revoked"]
    assert (revoked.actor_id, revoked.target_id, revoked.reason) == (
        account_user_pk(admin),
        account_user_pk(user),
        "abuse",
    )


async def test_entitlement_grants_lists_purchases_and_grants_with_expiry_page_by_page(client):
    admin, buyer, gifted = [await client.signup(roles=r) for r in (("ADMIN",), (), ())]
    await fund(client, buyer, 1000)
    bought = await buy_addon(client, buyer, "analytics_report")
    assert bought["__typename"] == "PremiumSubscription", bought
    await _bulk(
        client,
        admin,
        entitlement="analytics_report",
        segment={"userIds": [gifted.id, buyer.id]},
        days=5,
        reason="gift",
    )
    await client.services.jobs.drain()
    first = (await client.gql(HOLDINGS, {"entitlement": "analytics_report", "first": 2}, token=admin.token))[
        "data"
    ]
    nodes = [e["node"] for e in first["entitlementGrants"]["edges"]]
    assert [(n["source"], n["userId"]) for n in nodes] == [("PURCHASE", buyer.id), ("GRANT", buyer.id)]
    assert (
        all(n["expiresAt"] for n in nodes)
        and nodes[1]["grantedBy"] == admin.id
        and nodes[0]["user"]["id"] == buyer.id
    )
    assert first["entitlementGrants"]["pageInfo"]["hasNextPage"] is True
    after = first["entitlementGrants"]["pageInfo"]["endCursor"]
    rest = (
        await client.gql(HOLDINGS, {"entitlement": "analytics_report", "after": after}, token=admin.token)
    )["data"]
    assert [e["node"]["userId"] for e in rest["entitlementGrants"]["edges"]] == [gifted.id]
    assert rest["entitlementGrants"]["pageInfo"]["hasNextPage"] is False
    mine = (await client.gql(HOLDINGS, {"userId": gifted.id}, token=admin.token))["data"]
    assert [e["node"]["source"] for e in mine["entitlementGrants"]["edges"]] == ["GRANT"]
    bad = await client.gql(HOLDINGS, {"after": "garbage"}, token=admin.token)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
