"""Outbound webhooks end to end: a ticket filed over HTTP reaches a real loopback receiver, signed
per Standard Webhooks 1.0, retried with the same webhook-id until a 2xx, timed out when it hangs."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from plugins.partners.tests.receiver import HANG, receiver
from plugins.partners.tests.support import DELIVERIES, delivery_rows, file_ticket, subscribe, top_code
from tests.helpers import metric_value, scrape_metrics
from tests.partner_apps import make_app


async def _setup(client, url, permissions=("tickets:read",), events=("ticket.created",)):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, list(permissions))
    sub = await subscribe(client, admin, app["app"]["id"], url, list(events))
    return admin, app, sub


async def test_ticket_created_arrives_signed_with_the_standard_webhooks_envelope(client, webhooks):
    async with receiver() as hook:
        admin, app, sub = await _setup(client, hook.url)
        user = await client.signup()
        ticket = await file_ticket(client, user)
        (got,) = await hook.wait_for(1, pump=client.services.jobs.drain)
    verified = Webhook(sub["secret"]).verify(got.body, got.headers)
    assert verified["type"] == "ticket.created"
    assert verified["data"] == {"ticketId": ticket["id"], "number": ticket["number"], "status": "NEW"}
    assert set(json.loads(got.body)) == {"type", "timestamp", "data"}
    assert got.headers["webhook-id"].startswith("msg_") and got.headers["webhook-signature"].startswith("v1,")
    assert got.path == "/hooks"
    # Without users:read the requester is not in the payload; the wrong secret does not verify.
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(got.body, got.headers)


async def test_500_500_500_200_is_one_success_after_four_attempts_with_one_webhook_id(client, webhooks):
    # The shared app's counters only grow: compare with what they were.
    earlier = await scrape_metrics(client)
    before = {
        o: metric_value(earlier, "selfserve_webhook_deliveries_total", outcome=o)
        for o in ("retrying", "succeeded")
    }
    async with receiver(500, 500, 500, 200) as hook:
        admin, app, sub = await _setup(client, hook.url)
        await file_ticket(client, await client.signup())
        got = await hook.wait_for(4, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    assert len({r.headers["webhook-id"] for r in got}) == 1
    samples = await scrape_metrics(client)
    deliveries = "selfserve_webhook_deliveries_total"
    assert metric_value(samples, deliveries, outcome="retrying") - before.get("retrying", 0) == 3
    assert metric_value(samples, deliveries, outcome="succeeded") - before.get("succeeded", 0) == 1
    for request in got:
        Webhook(sub["secret"]).verify(request.body, request.headers)
    log = await client.gql(DELIVERIES, {"id": sub["subscription"]["id"]}, token=admin.token)
    (delivery,) = log["data"]["webhookDeliveries"]["nodes"]
    assert (
        delivery["status"] == "SUCCEEDED" and delivery["attempts"] == 4 and delivery["responseStatus"] == 200
    )
    assert delivery["webhookId"] == got[0].headers["webhook-id"] and delivery["nextAttemptAt"] is None


async def test_a_hanging_receiver_times_out_and_is_retried(client, webhooks):
    webhooks.timeout_seconds = 0.5
    async with receiver(HANG, 200) as hook:
        admin, app, sub = await _setup(client, hook.url)
        await file_ticket(client, await client.signup())
        got = await hook.wait_for(2, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"]
    (row,) = await delivery_rows(client)
    assert (row.status, row.attempts, row.response_status) == ("SUCCEEDED", 2, 200)


REDELIVER = """mutation($id: ID!) { webhookRedeliver(deliveryId: $id) {
  __typename ... on WebhookDelivery { status webhookId } ... on PartnerError { code } } }"""


async def test_failures_go_on_retrying_then_a_redeliver_sends_the_same_id_again(client, webhooks):
    async with receiver(503, 503, 503) as hook:
        admin, app, sub = await _setup(client, hook.url)
        webhooks.retry_schedule = (0.05, 0.05, 3600.0)
        await file_ticket(client, await client.signup())
        await hook.wait_for(3, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
        log = await client.gql(DELIVERIES, {"id": sub["subscription"]["id"]}, token=admin.token)
        (delivery,) = log["data"]["webhookDeliveries"]["nodes"]
        assert delivery["status"] == "RETRYING" and delivery["responseStatus"] == 503
        assert delivery["attempts"] == 3 and delivery["nextAttemptAt"] is not None
        # An app without webhooks:manage may neither read the log nor redeliver.
        assert (
            top_code(await client.gql(DELIVERIES, {"id": sub["subscription"]["id"]}, token=app["token"]))
            == "FORBIDDEN"
        )
        assert (
            top_code(await client.gql(REDELIVER, {"id": delivery["id"]}, token=app["token"])) == "FORBIDDEN"
        )
        again = await client.gql(REDELIVER, {"id": delivery["id"]}, token=admin.token)
        assert again["data"]["webhookRedeliver"]["__typename"] == "WebhookDelivery"
        got = await hook.wait_for(4, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    assert len({r.headers["webhook-id"] for r in got}) == 1
    (row,) = await delivery_rows(client)
    assert (row.status, row.attempts) == ("SUCCEEDED", 4)


async def test_a_subscription_failing_for_the_disable_period_is_disabled_with_a_reason(client, webhooks):
    webhooks.disable_after_seconds = 0
    async with receiver(default=500) as hook:
        admin, app, sub = await _setup(client, hook.url)
        await file_ticket(client, await client.signup())
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
        apps = await client.gql(
            "{ apps { nodes { subscriptions { active disabledReason } } } }", token=admin.token
        )
    (found,) = apps["data"]["apps"]["nodes"][0]["subscriptions"]
    assert found["active"] is False and "disabled after failing since" in found["disabledReason"]
    (row,) = await delivery_rows(client)
    assert row.status == "FAILED"


async def test_a_rolled_back_ticket_sends_nothing(client, webhooks, monkeypatch):
    async def broken():
        raise RuntimeError("injected failure inside the transaction")

    async with receiver() as hook:
        await _setup(client, hook.url)
        monkeypatch.setattr("plugins.support.agents.pick_agent", broken)
        body = await client.gql(
            'mutation { ticketCreate(input: {category: "payments.refund", subject: "x", body: "y"}) '
            "{ __typename } }",
            token=(await client.signup()).token,
        )
        assert top_code(body) == "INTERNAL_SERVER_ERROR"
        await client.services.jobs.drain()
    assert hook.requests == [] and await delivery_rows(client) == []


async def test_internal_notes_are_not_sent_and_events_carry_only_permitted_fields(client, webhooks):
    async with receiver() as hook:
        admin = await client.signup(roles=("ADMIN",))
        app = await make_app(client, admin, ["tickets:read", "users:read"])
        sub = await subscribe(client, admin, app["app"]["id"], hook.url, ["ticket.created", "ticket.replied"])
        user = await client.signup()
        ticket = await file_ticket(client, user)
        agent = await client.signup(roles=("AGENT",))
        reply = "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }"
        await client.gql(
            reply,
            {"i": {"ticketId": ticket["id"], "body": "secret note", "internal": True}},
            token=agent.token,
        )
        await client.gql(reply, {"i": {"ticketId": ticket["id"], "body": "public answer"}}, token=agent.token)
        got = await hook.wait_for(2, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    bodies = [Webhook(sub["secret"]).verify(r.body, r.headers) for r in got]
    assert sorted(b["type"] for b in bodies) == ["ticket.created", "ticket.replied"]
    assert all(b["data"]["requesterId"] == user.id for b in bodies)  # users:read adds the requester
    assert all(b"secret note" not in r.body and b"public answer" not in r.body for r in got)


async def test_secret_rotation_signs_with_old_and_new_secret(client, webhooks):
    rotate = (
        "mutation($id: ID!) { webhookSecretRotate(id: $id) { ... on WebhookSubscriptionCreated { secret } } }"
    )
    async with receiver() as hook:
        admin, app, sub = await _setup(client, hook.url)
        new = await client.gql(rotate, {"id": sub["subscription"]["id"]}, token=admin.token)
        new_secret = new["data"]["webhookSecretRotate"]["secret"]
        await file_ticket(client, await client.signup())
        (got,) = await hook.wait_for(1, pump=client.services.jobs.drain)
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    Webhook(sub["secret"]).verify(got.body, got.headers)
    Webhook(new_secret).verify(got.body, got.headers)
    assert new_secret != sub["secret"] and new_secret.startswith("whsec_")


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(client, webhooks):
    webhooks.retry_schedule = (3600.0,)
    async with receiver(302) as hook:
        await _setup(client, hook.url)
        await file_ticket(client, await client.signup())
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    (row,) = await delivery_rows(client)
    assert (row.status, row.attempts, row.response_status) == ("RETRYING", 1, 302)
    assert len(hook.requests) == 1


async def test_an_event_relayed_twice_is_delivered_once(client, webhooks):
    from core.db import use_orm
    from core.events import Event

    async with receiver() as hook:
        await _setup(client, hook.url)
        event = Event("ticket.created", {"ticket_id": 5, "number": 5, "status": "NEW"})
        with use_orm(client.services.orm):
            await client.services.events.run_hooks(event)
            await client.services.events.run_hooks(event)  # at-least-once relay: the same event again
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await client.services.jobs.drain()
    assert len(await delivery_rows(client)) == 1
    assert len(hook.requests) == 1


async def test_appeal_events_reach_an_app_with_appeals_read(client, webhooks):
    from tests.appeals import banned_user, decide_appeal, file_appeal

    async with receiver() as hook:
        await _setup(
            client, hook.url, permissions=("appeals:read",), events=("appeal.created", "appeal.decided")
        )
        user, moderator, decision, restricted = await banned_user(client)
        appeal = await file_appeal(client, restricted, decision["id"])
        await decide_appeal(client, await client.signup(roles=("REVIEWER",)), appeal["id"])
        got = await hook.wait_for(2, pump=client.services.jobs.drain)
    data = {json.loads(r.body)["type"]: json.loads(r.body)["data"] for r in got}
    assert data["appeal.created"] == {
        "appealId": appeal["id"],
        "status": "SUBMITTED",
        "decisionId": decision["id"],
    }
    assert data["appeal.decided"]["status"] == "OVERTURNED" and "userId" not in data["appeal.decided"]
