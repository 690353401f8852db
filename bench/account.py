"""Account benchmark: the "account security" page query (me + devices + alerts + real-name state)
and sign-in (argon2-bound), against a local server on 127.0.0.1. Prints figures, asserts nothing.

Environment: BENCH_REQUESTS (default 1000), BENCH_CONCURRENCY (default 16); the same
SELFSERVE_BENCH_DATABASE_URL / SELFSERVE_BENCH_REDIS_URL as bench/foundation.py for PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile

import httpx

from bench.common import free_port, load, migrate, server
from bench.foundation import environment, sign_up

PAGE = json.dumps(
    {
        "query": "{ me { id email phone twoFactorEnabled realNameStatus isAdult "
        "sessions(first: 20) { nodes { deviceName ip lastSeenAt current } } "
        "securityEvents(first: 20) { nodes { kind ip createdAt wasMe } } } }"
    }
)
LOGIN = json.dumps(
    {
        "query": 'mutation { accountLogin(input: {login: "bench@example.com", password: "bench password 1"}) '
        "{ __typename } }"
    }
)


async def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "1000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "16"))
    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir)
        migrate(env)
        with server("selfserve.asgi:app", free_port(), env) as base:
            token = sign_up(base)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            # a few devices, so the page lists sessions and new-device alerts
            for i in range(5):
                httpx.post(
                    base + "/graphql",
                    content=LOGIN,
                    headers={"Content-Type": "application/json", "User-Agent": f"device-{i}"},
                )

            async def page(client: httpx.AsyncClient) -> bool:
                response = await client.post(base + "/graphql", content=PAGE, headers=headers)
                return response.status_code == 200 and "errors" not in response.json()

            async def sign_in(client: httpx.AsyncClient) -> bool:
                response = await client.post(
                    base + "/graphql", content=LOGIN, headers={"Content-Type": "application/json"}
                )
                return response.status_code == 200 and "AuthSession" in response.text

            print(
                (
                    await load("account page (me + lists)", page, concurrency=concurrency, total=requests)
                ).line()
            )
            logins = max(requests // 10, 20)
            print(
                (await load("accountLogin (argon2id)", sign_in, concurrency=4, total=logins, warmup=5)).line()
            )


if __name__ == "__main__":
    asyncio.run(main())
