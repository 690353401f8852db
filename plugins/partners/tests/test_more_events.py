"""The entitlement and advertiser-application events reach a subscribed loopback receiver, signed,
with the payload the app's permissions allow; the catalogue documents them with an example each;
a grant rolled back by an injected failure sends nothing."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook

from plugins.partners.tests.receiver import receiver
from plugins.partners.tests.support import delivery_rows, subscribe
from tests.partner_apps import make_app

GRANT = """mutation($i: PremiumGrantInput!) { premiumGrant(input: $i) { __typename
  ... on PremiumGrant { id } } }"""
REVOKE_GRANT = "mutation($id: ID!) { premiumGrantRevoke(id: $id) { __typename } }"
APPLY = """mutation($input: AdApplicationCreateInput!) { adApplicationCreate(input: $input) {
  __typename ... on AdApplication { id } } }"""
REVIEW = """mutation($i: AdApplicationReviewInput!) { adApplicationReview(input: $i) { __typename
  ... on AdApplication { status } } }"""
CATALOGUE = "{ webhookEvents { name plugin permission example } }"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _events(hook, secret):
    return [Webhook(secret).verify(r.body, r.headers) for r in hook.requests]


async def test_entitlement_granted_and_revoked_are_delivered(client, webhooks):
    admin = await client.signup(roles=("ADMIN",))
    alice = await client.signup()
    plain = await make_app(client, admin, ["entitlements:read"], name="Plain")
    full = await make_app(client, admin, ["entitlements:read", "users:read"], name="Full")
    names = ["entitlement.granted", "entitlement.revoked"]
    async with receiver() as hook, receiver() as full_hook:
        sub = await subscribe(client, admin, plain["app"]["id"], hook.url, names)
        full_sub = await subscribe(client, admin, full["app"]["id"], full_hook.url, names)
        grant = {"i": {"userId": alice.id, "product": "analytics_report", "note": "gift"}}
        granted = (await client.gql(GRANT, grant, token=admin.token))["data"]["premiumGrant"]
        revoked = await client.gql(REVOKE_GRANT, {"id": granted["id"]}, token=admin.token)
        assert revoked["data"]["premiumGrantRevoke"]["__typename"] == "PremiumGrant"
        await hook.wait_for(2, pump=client.services.jobs.drain)
        await full_hook.wait_for(2, pump=client.services.jobs.drain)
    got = sorted(_events(hook, sub["secret"]), key=lambda e: e["type"])
    assert [e["type"] for e in got] == names
    assert got[0]["data"] == {"grantId": granted["id"], "entitlement": "analytics_report", "expiresAt": None}
    assert got[1]["data"] == {"entitlement": "analytics_report", "grants": 1}
    # users:read adds the user's id, nothing else.
    with_user = sorted(_events(full_hook, full_sub["secret"]), key=lambda e: e["type"])
    assert [e["data"] for e in with_user] == [
        {**got[0]["data"], "userId": alice.id},
        {**got[1]["data"], "userId": alice.id},
    ]


async def test_a_grant_rolled_back_by_a_failure_sends_nothing(client, webhooks, monkeypatch):
    admin = await client.signup(roles=("ADMIN",))
    alice = await client.signup()
    app = await make_app(client, admin, ["entitlements:read"])
    bus = client.services.events
    real_publish = bus.publish

    async def publish_then_fail(event):
        await real_publish(event)  # the event row is written in the grant's transaction...
        if event.name == "entitlement.granted":
            raise RuntimeError("injected failure")  # ...which then rolls back

    async with receiver() as hook:
        await subscribe(client, admin, app["app"]["id"], hook.url, ["entitlement.granted"])
        grant = {"i": {"userId": alice.id, "product": "analytics_report"}}
        monkeypatch.setattr(bus, "publish", publish_then_fail)
        failed = await client.gql(GRANT, grant, token=admin.token)
        monkeypatch.setattr(bus, "publish", real_publish)
        assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        await client.services.jobs.drain()
        assert await delivery_rows(client) == []
        ok = (await client.gql(GRANT, grant, token=admin.token))["data"]["premiumGrant"]
        (only,) = await hook.wait_for(1, pump=client.services.jobs.drain)
    assert json.loads(only.body)["data"]["grantId"] == ok["id"]


async def test_ad_application_submitted_and_decided_are_delivered(client, webhooks):
    admin = await client.signup(roles=("ADMIN",))
    reviewer = await client.signup(roles=("REVIEWER",))
    company = await client.signup()
    app = await make_app(client, admin, ["ads:read"])
    names = ["ad_application.submitted", "ad_application.decided"]
    async with receiver() as hook:
        sub = await subscribe(client, admin, app["app"]["id"], hook.url, names)
        variables = {
            "input": {"companyName": "Acme", "creditCode": "9144030071526726XG", "industry": "GAMES", "licence": None,
                      "qualifications": [None]}
        }  # fmt: skip
        files = {
            "input.licence": ("licence.png", PNG, "image/png"),
            "input.qualifications.0": ("permit.png", PNG, "image/png"),
        }
        applied = (await client.upload(APPLY, variables, files, token=company.token))["data"][
            "adApplicationCreate"
        ]
        assert applied["__typename"] == "AdApplication", applied
        # Asking for documents is no decision; rejecting is.
        for action, reason in (("START_REVIEW", None), ("REJECT", "Permit expired.")):
            step = {"i": {"applicationId": applied["id"], "action": action, "reason": reason}}
            assert (await client.gql(REVIEW, step, token=reviewer.token))["data"]["adApplicationReview"][
                "__typename"
            ] == "AdApplication"
        await hook.wait_for(2, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    got = _events(hook, sub["secret"])
    assert [(e["type"], e["data"]) for e in got] == [
        (
            "ad_application.submitted",
            {"applicationId": applied["id"], "status": "SUBMITTED", "industry": "GAMES"},
        ),
        (
            "ad_application.decided",
            {"applicationId": applied["id"], "status": "REJECTED", "industry": "GAMES"},
        ),
    ]


@pytest.mark.parametrize(
    ("name", "plugin", "permission"),
    [
        ("entitlement.granted", "premium", "entitlements:read"),
        ("entitlement.revoked", "premium", "entitlements:read"),
        ("ad_application.submitted", "ads", "ads:read"),
        ("ad_application.decided", "ads", "ads:read"),
    ],
)
async def test_the_catalogue_documents_each_new_event_with_an_example(client, name, plugin, permission):
    listed = {e["name"]: e for e in (await client.gql(CATALOGUE))["data"]["webhookEvents"]}
    entry = listed[name]
    assert (entry["plugin"], entry["permission"]) == (plugin, permission)
    assert entry["example"] and "userId" not in entry["example"] and "applicantId" not in entry["example"]
