"""Limits of a delivery, with a real loopback receiver: a huge answer is read up to 64 kB and no
further (that much is in the delivery log), and a subscription failing for 3 days is disabled with
its reason. Time is driven through the delivery clock (`dispatch.CLOCK_KEY`), never by sleeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from plugins.partners.dispatch import CLOCK_KEY
from plugins.partners.tests.receiver import HUGE, receiver
from plugins.partners.tests.support import DELIVERIES, delivery_rows, file_ticket, subscribe
from tests.partner_apps import make_app

SUBSCRIPTIONS = "{ apps { nodes { subscriptions { id active disabledReason } } } }"
LOG = "query($id: ID!) { webhookDeliveries(subscriptionId: $id) { nodes { status attempts responseBody } } }"


async def _subscribed(client, url):
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    sub = await subscribe(client, admin, app["app"]["id"], url, ["ticket.created"])
    return admin, sub


async def test_a_huge_answer_is_read_up_to_64_kb_and_no_further(client, webhooks):
    async with receiver(HUGE) as hook:
        hook.huge_bytes = 256 * 1024 * 1024
        admin, sub = await _subscribed(client, hook.url)
        await file_ticket(client, await client.signup())
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await _attempt_recorded(client, 1)
        await asyncio.wait_for(hook.huge_done.wait(), 10)
    (row,) = await delivery_rows(client)
    assert (row.status, row.response_status) == ("SUCCEEDED", 200)
    assert len(row.response_body.encode()) == 64 * 1024
    # The sender hung up after 64 kB: what the receiver could push is what fits in the socket
    # buffers of loopback, a small part of the 256 MB it offered.
    assert hook.written < 32 * 1024 * 1024
    log = await client.gql(LOG, {"id": sub["subscription"]["id"]}, token=admin.token)
    (shown,) = log["data"]["webhookDeliveries"]["nodes"]
    assert shown["responseBody"] == "x" * 65536


@pytest.fixture
def delivery_clock(client):
    """A delivery clock the test moves: `delivery_clock["now"] += timedelta(days=1)`."""
    current = {"now": datetime.now(UTC)}
    client.services.stash[CLOCK_KEY] = lambda: current["now"]
    yield current
    client.services.stash.pop(CLOCK_KEY, None)


async def _subscription(client, admin):
    body = await client.gql(SUBSCRIPTIONS, token=admin.token)
    (app,) = body["data"]["apps"]["nodes"]
    (found,) = app["subscriptions"]
    return found


async def test_a_subscription_failing_for_3_days_is_disabled_with_its_reason(
    client, webhooks, delivery_clock
):
    webhooks.retry_schedule = (0.05,)
    start = delivery_clock["now"]
    async with receiver(default=500) as hook:
        admin, sub = await _subscribed(client, hook.url)
        await file_ticket(client, await client.signup())
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await _attempt_recorded(client, 1)
        delivery_clock["now"] = start + timedelta(days=2)
        await hook.wait_for(2, pump=client.services.jobs.drain)
        await _attempt_recorded(client, 2)
        still = await _subscription(client, admin)
        assert (still["active"], still["disabledReason"]) == (True, None)
        delivery_clock["now"] = start + timedelta(days=3, seconds=1)
        await hook.wait_for(3, pump=client.services.jobs.drain)
        await _attempt_recorded(client, 3)
        disabled = await _subscription(client, admin)
        # Disabled: a new event makes no delivery and nothing more reaches the receiver.
        await file_ticket(client, await client.signup(), "After disabling")
        await client.services.jobs.drain()
        assert len(hook.requests) == 3
    assert disabled["active"] is False
    assert disabled["disabledReason"] == f"disabled after failing since {start.isoformat()}: non-2xx answer"
    log = await client.gql(DELIVERIES, {"id": sub["subscription"]["id"]}, token=admin.token)
    (delivery,) = log["data"]["webhookDeliveries"]["nodes"]
    assert (delivery["status"], delivery["attempts"], delivery["responseStatus"]) == ("FAILED", 3, 500)
    assert len(await delivery_rows(client)) == 1


async def test_retries_follow_the_schedule_with_jitter_for_more_than_24_hours_then_give_up(
    client, webhooks, delivery_clock
):
    from core.db import use_orm
    from plugins.partners import dispatch
    from plugins.partners.settings import DEFAULT_SCHEDULE, WebhookSettings

    defaults = WebhookSettings()
    assert (defaults.timeout_seconds, defaults.max_response_bytes, defaults.jitter) == (10.0, 65536, 0.2)
    webhooks.retry_schedule, webhooks.jitter = DEFAULT_SCHEDULE, 0.2
    webhooks.give_up_after_seconds = defaults.give_up_after_seconds
    webhooks.disable_after_seconds = 30 * 86_400  # this test is about one delivery giving up
    async with receiver(default=503) as hook:
        await _subscribed(client, hook.url)
        await file_ticket(client, await client.signup())
        await hook.wait_for(1, pump=client.services.jobs.drain)
        await _attempt_recorded(client, 1)
        gaps = []
        for _ in range(40):
            (row,) = await delivery_rows(client)
            if row.status != "RETRYING":
                break
            gaps.append((row.next_attempt_at - row.last_attempt_at).total_seconds())
            delivery_clock["now"] = row.next_attempt_at
            with use_orm(client.services.orm):
                await dispatch.sweep(client.services)  # what the periodic job does when it is due
            await hook.wait_for(len(gaps) + 1, pump=client.services.jobs.drain)
            await _attempt_recorded(client, len(gaps) + 1)
    (row,) = await delivery_rows(client)
    assert row.status == "FAILED" and row.attempts == len(gaps) + 1 == len(hook.requests)
    assert len({r.headers["webhook-id"] for r in hook.requests}) == 1
    planned = [*DEFAULT_SCHEDULE, *[DEFAULT_SCHEDULE[-1]] * (len(gaps) - len(DEFAULT_SCHEDULE))]
    for gap, base in zip(gaps, planned, strict=True):
        assert base <= gap <= base * 1.2 + 0.001  # the base gap plus up to 20 % jitter
    assert sum(gaps) >= 86_400  # retried for more than 24 h
    # Given up once the give-up period (counted from when the delivery was recorded) had passed.
    assert (row.last_attempt_at - row.created_at).total_seconds() >= defaults.give_up_after_seconds


async def _attempt_recorded(client, attempts: int) -> None:
    """Wait until the worker has recorded attempt number `attempts` (the receiver answers before
    the worker writes the outcome)."""
    for _ in range(200):
        (row,) = await delivery_rows(client)
        if row.attempts >= attempts:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"attempt {attempts} was never recorded")
