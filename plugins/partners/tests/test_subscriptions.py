"""Webhook subscriptions through HTTP for every kind of caller: admins for any app, an app with
`webhooks:manage` only for itself, events limited to what the app may receive; the catalogues."""

from __future__ import annotations

from plugins.partners.tests.support import SUBSCRIBE, top_code
from tests.partner_apps import make_app

EVENTS = "{ webhookEvents { name plugin description permission example } }"
PERMISSIONS = "{ permissions { key plugin description } }"
DELETE = "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) }"
URL = "https://hooks.example.com/in"


def _input(app_id, events=("ticket.created",), url=URL):
    return {"input": {"appId": app_id, "url": url, "events": list(events)}}


async def test_who_may_subscribe(client, webhooks, dns):
    dns["hooks.example.com"] = ["93.184.216.34"]
    admin = await client.signup(roles=("ADMIN",))
    manager = await make_app(client, admin, ["tickets:read", "webhooks:manage"])
    other = await make_app(client, admin, ["tickets:read"], name="Other")
    manager_id, other_id = manager["app"]["id"], other["app"]["id"]
    assert top_code(await client.gql(SUBSCRIBE, _input(manager_id))) == "UNAUTHENTICATED"
    for roles in ((), ("AGENT",), ("REVIEWER",)):
        staff = await client.signup(roles=roles)
        assert top_code(await client.gql(SUBSCRIBE, _input(manager_id), token=staff.token)) == "FORBIDDEN"
    assert top_code(await client.gql(SUBSCRIBE, _input(manager_id), token=other["token"])) == "FORBIDDEN"
    # an app with webhooks:manage subscribes itself, never another app (whatever id it sends)
    assert top_code(await client.gql(SUBSCRIBE, _input(other_id), token=manager["token"])) == "FORBIDDEN"
    own = await client.gql(SUBSCRIBE, _input(manager_id), token=manager["token"])
    created = own["data"]["webhookSubscriptionCreate"]
    assert created["__typename"] == "WebhookSubscriptionCreated" and created["secret"].startswith("whsec_")
    sub_id = created["subscription"]["id"]
    assert top_code(await client.gql(DELETE, {"id": sub_id}, token=other["token"])) == "FORBIDDEN"
    assert (await client.gql(DELETE, {"id": sub_id}, token=manager["token"]))["data"][
        "webhookSubscriptionDelete"
    ] is True
    by_admin = await client.gql(SUBSCRIBE, _input(other_id), token=admin.token)
    assert by_admin["data"]["webhookSubscriptionCreate"]["__typename"] == "WebhookSubscriptionCreated"


async def test_events_must_exist_and_be_permitted(client, webhooks, dns):
    dns["hooks.example.com"] = ["93.184.216.34"]
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    for events, code in (
        (["ticket.nope"], "UNKNOWN_EVENT"),
        (["appeal.decided"], "EVENT_NOT_PERMITTED"),
        ([], "INVALID_INPUT"),
    ):
        result = (await client.gql(SUBSCRIBE, _input(app["app"]["id"], events), token=admin.token))["data"][
            "webhookSubscriptionCreate"
        ]
        assert (result["__typename"], result["code"], result["field"]) == (
            "PartnerError",
            code,
            "input.events",
        )


async def test_the_event_and_permission_catalogues(client):
    events = {e["name"]: e for e in (await client.gql(EVENTS))["data"]["webhookEvents"]}
    for name in (
        "ticket.created", "ticket.replied", "ticket.status_changed", "ticket.rated", "content.decision_made", "appeal.created",
        "appeal.decided", "payment.recharge_paid", "payment.refund_succeeded",
    ):  # fmt: skip
        assert events[name]["description"] and events[name]["example"], name
    assert (
        events["ticket.created"]["permission"] == "tickets:read"
        and events["ticket.created"]["plugin"] == "support"
    )
    assert "account.security_event" not in events  # in-process only
    admin = await client.signup(roles=("ADMIN",))
    keys = {
        p["key"]: p["plugin"]
        for p in (await client.gql(PERMISSIONS, token=admin.token))["data"]["permissions"]
    }
    for key in (
        "tickets:read", "tickets:write", "appeals:read", "content:read", "payments:read", "entitlements:write",
        "helpcenter:write", "ads:read", "ads:write", "users:read", "webhooks:manage",
    ):  # fmt: skip
        assert key in keys, key
    assert top_code(await client.gql(PERMISSIONS, token=(await client.signup()).token)) == "FORBIDDEN"
