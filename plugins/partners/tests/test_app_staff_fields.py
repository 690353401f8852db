"""Staff fields accept the staff role or the matching app permission, through HTTP: one app that
holds the permission (allowed) and one that holds another (FORBIDDEN) for each write permission,
and the audit log names the app as the actor of its grants."""

from __future__ import annotations

from core.db import use_orm
from plugins.partners.tests.support import top_code
from tests.partner_apps import make_app

GRANT = """mutation($i: PremiumGrantInput!) { premiumGrant(input: $i) { __typename
  ... on PremiumGrant { id entitlement } ... on PremiumError { code field } } }"""
REVOKE = """mutation($i: EntitlementRevokeInput!) { entitlementRevoke(input: $i) { __typename
  ... on EntitlementRevoked { revoked stillHeld } ... on FeatureError { code field } } }"""
HOLDINGS = "query($u: ID) { entitlementGrants(userId: $u) { nodes { entitlement source grantedBy } } }"
AUDIT = "query($a: String) { auditLog(filter: {action: $a}) { nodes { actorKind actorId action } } }"
ARTICLE = """mutation($i: HelpArticleCreateInput!) { helpArticleCreate(input: $i) { __typename
  ... on HelpArticle { id slug published } ... on HelpError { code field } } }"""
VERSIONS = "query($id: ID!) { helpArticleVersions(id: $id) { version note editorId } }"
NEW_ARTICLE = {
    "slug": "partner-faq", "locale": "en", "topic": "payments.partner_faq", "category": "payments",
    "title": "Partner questions", "body": "Answers written by the partner bridge.", "published": False,
}  # fmt: skip
APPLY = """mutation($input: AdApplicationCreateInput!) { adApplicationCreate(input: $input) {
  __typename ... on AdApplication { id status } ... on AdsError { code field } } }"""
REVIEW = """mutation($i: AdApplicationReviewInput!) { adApplicationReview(input: $i) { __typename
  ... on AdApplication { status } ... on AdsError { code field } } }"""
QUEUE = "{ adApplications { nodes { id status } } }"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CREDIT_CODE = "9144030071526726XG"
USERS = "query($q: String!) { users(search: $q) { edges { node { id } } } }"
ORDERS = "query($id: ID!) { userOrders(userId: $id) { edges { node { id } } } }"


async def test_entitlements_write_grants_and_revokes_and_the_app_is_the_audited_actor(client):
    admin = await client.signup(roles=("ADMIN",))
    writer = await make_app(client, admin, ["entitlements:write"], name="CRM")
    reader = await make_app(client, admin, ["entitlements:read"], name="Warehouse")
    alice = await client.signup()
    grant = {"i": {"userId": alice.id, "product": "analytics_report", "days": 30, "note": "partner trial"}}
    assert top_code(await client.gql(GRANT, grant, token=reader["token"])) == "FORBIDDEN"
    granted = (await client.gql(GRANT, grant, token=writer["token"]))["data"]["premiumGrant"]
    assert (granted["__typename"], granted["entitlement"]) == ("PremiumGrant", "analytics_report")
    # Reading who holds what needs entitlements:read, not write.
    assert top_code(await client.gql(HOLDINGS, {"u": alice.id}, token=writer["token"])) == "FORBIDDEN"
    held = (await client.gql(HOLDINGS, {"u": alice.id}, token=reader["token"]))["data"]["entitlementGrants"]
    assert held["nodes"] == [{"entitlement": "analytics_report", "source": "GRANT", "grantedBy": None}]
    revoke = {"i": {"entitlement": "analytics_report", "userId": alice.id, "reason": "trial ended"}}
    assert top_code(await client.gql(REVOKE, revoke, token=reader["token"])) == "FORBIDDEN"
    revoked = (await client.gql(REVOKE, revoke, token=writer["token"]))["data"]["entitlementRevoke"]
    assert revoked == {"__typename": "EntitlementRevoked", "revoked": 1, "stillHeld": False}
    app_id = writer["app"]["id"]
    for action in ("entitlement.granted", "entitlement.revoked", "app.premiumGrant", "app.entitlementRevoke"):
        entries = (await client.gql(AUDIT, {"a": action}, token=admin.token))["data"]["auditLog"]["nodes"]
        assert entries == [{"actorKind": "APP", "actorId": app_id, "action": action}]


async def test_helpcenter_write_edits_articles(client):
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)  # the categories (the shared client empties every table)
    admin = await client.signup(roles=("ADMIN",))
    editor = await make_app(client, admin, ["helpcenter:write"], name="Docs sync")
    other = await make_app(client, admin, ["tickets:write"], name="Bridge")
    assert top_code(await client.gql(ARTICLE, {"i": NEW_ARTICLE}, token=other["token"])) == "FORBIDDEN"
    created = (await client.gql(ARTICLE, {"i": NEW_ARTICLE}, token=editor["token"]))["data"][
        "helpArticleCreate"
    ]
    assert created["__typename"] == "HelpArticle", created
    assert (created["slug"], created["published"]) == ("partner-faq", False)
    versions = await client.gql(VERSIONS, {"id": created["id"]}, token=editor["token"])
    assert versions["data"]["helpArticleVersions"] == [{"version": 1, "note": "created", "editorId": None}]
    assert top_code(await client.gql(VERSIONS, {"id": created["id"]}, token=other["token"])) == "FORBIDDEN"


async def test_ads_read_lists_applications_and_ads_write_decides_them(client):
    admin = await client.signup(roles=("ADMIN",))
    reader = await make_app(client, admin, ["ads:read"], name="Sales CRM")
    writer = await make_app(client, admin, ["ads:write"], name="Review bot")
    company = await client.signup()
    variables = {
        "input": {"companyName": "Acme", "creditCode": CREDIT_CODE, "industry": "ECOMMERCE", "licence": None}
    }
    files = {"input.licence": ("licence.png", PNG, "image/png")}
    applied = (await client.upload(APPLY, variables, files, token=company.token))["data"][
        "adApplicationCreate"
    ]
    assert applied["__typename"] == "AdApplication", applied
    listed = (await client.gql(QUEUE, token=reader["token"]))["data"]["adApplications"]["nodes"]
    assert listed == [{"id": applied["id"], "status": "SUBMITTED"}]
    approve = {"i": {"applicationId": applied["id"], "action": "APPROVE"}}
    assert top_code(await client.gql(REVIEW, approve, token=reader["token"])) == "FORBIDDEN"
    assert top_code(await client.gql(QUEUE, token=writer["token"])) == "FORBIDDEN"
    decided = (await client.gql(REVIEW, approve, token=writer["token"]))["data"]["adApplicationReview"]
    assert decided == {"__typename": "AdApplication", "status": "APPROVED"}


async def test_users_read_and_payments_read_open_the_staff_lookups(client):
    admin = await client.signup(roles=("ADMIN",))
    lookup = await make_app(client, admin, ["users:read", "payments:read"], name="CRM")
    other = await make_app(client, admin, ["tickets:read"], name="Other")
    alice = await client.signup(email="alice.partner@example.com")
    found = await client.gql(USERS, {"q": "alice.partner@example.com"}, token=lookup["token"])
    assert [e["node"]["id"] for e in found["data"]["users"]["edges"]] == [alice.id]
    assert top_code(await client.gql(USERS, {"q": "alice.partner@example.com"}, token=other["token"])) == (
        "FORBIDDEN"
    )
    orders = await client.gql(ORDERS, {"id": alice.id}, token=lookup["token"])
    assert orders["data"]["userOrders"]["edges"] == []
    assert top_code(await client.gql(ORDERS, {"id": alice.id}, token=other["token"])) == "FORBIDDEN"
    # A plain user is still refused, as before.
    assert top_code(await client.gql(ORDERS, {"id": alice.id}, token=alice.token)) == "FORBIDDEN"
