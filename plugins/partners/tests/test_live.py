"""Two real API processes (`selfserve serve`) on PostgreSQL + Redis: an app token revoked through
one is refused by both within a second."""

from __future__ import annotations

import asyncio
import sys
import time

import httpx
import pytest

from tests.live_servers import free_port, processes, server_env, wait_healthy
from tests.partner_apps import make_app

pytestmark = pytest.mark.services

VIEWER = {"query": "{ viewer { kind } }"}
REVOKE = "mutation($id: ID!) { appRevoke(id: $id) { __typename } }"


def _serve(procs, env) -> str:
    port = free_port()
    child = procs.start(
        [sys.executable, "-c", f"from selfserve.cli import main; main(['serve', '--port', '{port}'])"], env
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, child)
    return base


async def _status(http: httpx.AsyncClient, base: str, token: str) -> int:
    response = await http.post(base + "/graphql", json=VIEWER, headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def test_a_revoked_app_is_refused_on_every_api_process_within_a_second(client, backend):
    if not backend.is_real:
        pytest.skip("needs PostgreSQL + Redis (SELFSERVE_TEST_BACKEND=services)")
    admin = await client.signup(roles=("ADMIN",))
    app = await make_app(client, admin, ["tickets:read"])
    settings = client.services.settings
    env = server_env(
        env="test", database_url=settings.database_url, redis_url=settings.redis_url,
        secret_key=settings.secret_key, var_dir=str(settings.var_dir),
    )  # fmt: skip
    with processes() as procs:
        first, second = await asyncio.gather(
            asyncio.to_thread(_serve, procs, env), asyncio.to_thread(_serve, procs, env)
        )
        async with httpx.AsyncClient(timeout=10) as http:
            assert [await _status(http, base, app["token"]) for base in (first, second)] == [200, 200]
            revoked = await http.post(
                first + "/graphql", json={"query": REVOKE, "variables": {"id": app["app"]["id"]}},
                headers={"Authorization": f"Bearer {admin.token}"},
            )  # fmt: skip
            assert revoked.json()["data"]["appRevoke"]["__typename"] == "App"
            started = time.monotonic()
            statuses = await asyncio.gather(*(_status(http, base, app["token"]) for base in (first, second)))
            elapsed = time.monotonic() - started
    assert statuses == [401, 401]
    assert elapsed < 1.0
