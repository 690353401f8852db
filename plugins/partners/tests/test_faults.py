"""Webhook deliveries under real faults (PostgreSQL + Redis, `selfserve worker` processes):
`kill -9` of the worker while it sends, and Redis down when the event is committed."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from standardwebhooks import Webhook
from tortoise.transactions import in_transaction

from core import outbox
from core.db import use_orm
from core.events import Event
from core.settings import use_plugin_settings
from plugins.partners.models import WebhookDelivery
from plugins.partners.settings import WebhookSettings
from plugins.partners.tests.receiver import HANG, receiver
from plugins.partners.tests.support import file_ticket, subscribe
from tests.faults.proxy import tcp_proxy
from tests.faults.workers import eventually, start_worker, stopped_at_end, wait_for_heartbeat, worker_env
from tests.partner_apps import make_app

pytestmark = pytest.mark.services

FAST = {
    "SELFSERVE_WEBHOOKS_TIMEOUT_SECONDS": "5",
    "SELFSERVE_WEBHOOKS_LEASE_SECONDS": "1",
    "SELFSERVE_WEBHOOKS_POLL_SECONDS": "0.2",
    "SELFSERVE_WEBHOOKS_RETRY_SCHEDULE": "[0.2]",
    "SELFSERVE_WEBHOOKS_JITTER": "0",
}


@pytest.fixture
def real(backend, client):
    """The real services; the session app's own sweeper is parked so only workers deliver."""
    if not backend.is_real:
        pytest.skip("needs the real PostgreSQL and Redis (services half)")
    with use_plugin_settings(client.services, WebhookSettings(poll_seconds=3600)):
        yield backend


async def _succeeded(api):
    with use_orm(api.services.orm):
        return await WebhookDelivery.filter(status="SUCCEEDED").first()


async def test_kill_9_during_delivery_delivers_after_restart_with_the_same_webhook_id(
    real, make_client, tmp_path
):
    var = tmp_path / "var"
    var.mkdir()
    env = worker_env(real.database_url, real.redis_url, var, **FAST)
    async with receiver(HANG, 200) as hook:
        first = start_worker(env, tmp_path / "first.log")
        with stopped_at_end(first):
            await wait_for_heartbeat(real.redis_url, first)
            async with make_client(jobs_in_process=False) as api:
                admin = await api.signup(roles=("ADMIN",))
                app = await make_app(api, admin, ["tickets:read"])
                sub = await subscribe(api, admin, app["app"]["id"], hook.url, ["ticket.created"])
                await file_ticket(api, await api.signup())
                await hook.wait_for(1, timeout=30)  # the worker is now waiting on the receiver
                first.kill9()
                second = start_worker(env, tmp_path / "second.log")
                with stopped_at_end(second):
                    got = await hook.wait_for(2, timeout=30)
                    row = await eventually(lambda: _succeeded(api), 20, second.output())
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"] == row.webhook_id
    assert Webhook(sub["secret"]).verify(got[1].body, got[1].headers)["type"] == "ticket.created"


async def test_an_event_committed_while_redis_is_down_is_delivered_after_it_returns(
    real, make_client, tmp_path
):
    parsed = urlparse(real.redis_url)
    var = tmp_path / "var"
    var.mkdir()
    async with receiver() as hook:
        with tcp_proxy(parsed.hostname or "127.0.0.1", parsed.port or 6379) as proxy:
            url = f"redis://127.0.0.1:{proxy.port}{parsed.path or '/0'}"
            worker = start_worker(worker_env(real.database_url, url, var, **FAST), tmp_path / "worker.log")
            with stopped_at_end(worker):
                await wait_for_heartbeat(real.redis_url, worker)
                async with make_client(jobs_in_process=False, redis_url=url) as api:
                    admin = await api.signup(roles=("ADMIN",))
                    app = await make_app(api, admin, ["tickets:read"])
                    sub = await subscribe(api, admin, app["app"]["id"], hook.url, ["ticket.created"])
                    proxy.cut()
                    with use_orm(api.services.orm):
                        async with outbox.relay_scope(api.services.jobs.relay):
                            async with in_transaction():
                                payload = {"ticket_id": 77, "number": 77, "status": "NEW", "requester_id": 1}
                                await api.services.events.publish(Event("ticket.created", payload))
                    assert hook.requests == []
                    proxy.restore()
                    (got,) = await hook.wait_for(1, timeout=30)
    body = Webhook(sub["secret"]).verify(got.body, got.headers)
    assert body["type"] == "ticket.created" and body["data"]["number"] == 77
    assert "requesterId" not in json.loads(got.body)["data"]  # no users:read
