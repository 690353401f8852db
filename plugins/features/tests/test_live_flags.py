"""Flags across real processes: a subscription ends when its plugin's flag turns off, and (on
PostgreSQL + Redis) a flag flipped through one `selfserve serve` process reaches another within 1 s."""

from __future__ import annotations

import asyncio
import sys
import time

import pytest

from tests.helpers import grant_entitlement
from tests.live_servers import free_port, gql, processes, server_env, subscribe, wait_healthy
from tests.tickets import CREATE, REPLY, ticket_input

EVENTS = "subscription E($ticketId: ID!) { ticketEvents(ticketId: $ticketId) { kind } }"
UPDATE = """mutation U($input: FeatureFlagUpdateInput!) { featureFlagUpdate(input: $input) { __typename } }"""
REPORT = "{ analyticsReport { __typename } }"


def _env(client, **extra: str) -> dict[str, str]:
    settings = client.services.settings
    return server_env(
        env="test",
        database_url=settings.database_url,
        redis_url=settings.redis_url,
        secret_key=settings.secret_key,
        var_dir=str(settings.var_dir),
        **extra,
    )


def _serve(procs, env) -> str:
    """Start `selfserve serve` on a free port; its base URL once /health answers."""
    port = free_port()
    child = procs.start(
        [sys.executable, "-c", f"from selfserve.cli import main; main(['serve', '--port', '{port}'])"], env
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, child)
    return base


async def _flip(base, admin, **values) -> None:
    body = await gql(base, UPDATE, {"input": values}, admin.token)
    assert body["data"]["featureFlagUpdate"]["__typename"] == "FeatureFlag", body


async def test_a_subscription_ends_when_its_plugin_is_switched_off(client):
    alice, admin = await client.signup(name="Alice"), await client.signup(roles=("ADMIN",))
    with processes() as procs:
        base = await asyncio.to_thread(_serve, procs, _env(client))
        ticket = (await gql(base, CREATE, ticket_input(), alice.token))["data"]["ticketCreate"]
        async with subscribe(base, alice.token, EVENTS, {"ticketId": ticket["id"]}) as events:
            for attempt in range(20):  # reply until the subscription is live
                await gql(
                    base, REPLY, {"input": {"ticketId": ticket["id"], "body": f"p{attempt}"}}, alice.token
                )
                try:
                    if (await events.next(timeout=1.5))["type"] == "next":
                        break
                except TimeoutError:
                    continue
            await _flip(base, admin, key="support", enabled=False)
            while (message := await events.next(timeout=10))["type"] == "next":
                continue
            assert message["type"] == "complete"
        # a new subscription is refused while the flag is off
        async with subscribe(base, alice.token, EVENTS, {"ticketId": ticket["id"]}) as refused:
            answer = await refused.next(timeout=10)
        assert answer["type"] in ("error", "next")
        errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "FEATURE_UNAVAILABLE"


@pytest.mark.services
async def test_a_flag_flipped_on_one_process_changes_the_answer_on_another_within_a_second(client, backend):
    if not backend.is_real:
        pytest.skip("needs PostgreSQL + Redis (SELFSERVE_TEST_BACKEND=services)")
    admin, holder = await client.signup(roles=("ADMIN",)), await client.signup()
    await grant_entitlement(client, holder, "analytics_report")
    env = _env(client)
    with processes() as procs:
        first, second = await asyncio.gather(
            asyncio.to_thread(_serve, procs, env), asyncio.to_thread(_serve, procs, env)
        )
        answer = await gql(second, REPORT, token=holder.token)
        assert answer["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"  # B has cached the rules
        for enabled, expected in ((False, "FeatureUnavailable"), (True, "AnalyticsReport")):
            await _flip(first, admin, key="premium.analytics_report", enabled=enabled)
            flipped = time.monotonic()
            while (await gql(second, REPORT, token=holder.token))["data"]["analyticsReport"][
                "__typename"
            ] != expected:
                assert time.monotonic() - flipped < 1.0, "process B still answers the old state after 1 s"
                await asyncio.sleep(0.02)
            print(
                f"flag {'on' if enabled else 'off'} seen on process B after {time.monotonic() - flipped:.3f} s"
            )
