"""`python -m bench.foundation` (issue 2): GraphQL `me` vs a plain Starlette endpoint doing the same
read, driven by httpx. Prints figures; asserts nothing about time. (`make bench` is bench/run.py.)

Environment: BENCH_REQUESTS (default 3000), BENCH_CONCURRENCY (default 32),
SELFSERVE_BENCH_DATABASE_URL / SELFSERVE_BENCH_REDIS_URL to run on PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import os
import tempfile

import httpx

from bench.common import free_port, load, migrate, server

ME_QUERY = '{"query": "{ me { id displayName email } }"}'


def environment(var_dir: str) -> dict[str, str]:
    env = {
        "SELFSERVE_VAR_DIR": var_dir,
        "SELFSERVE_SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "SELFSERVE_ENV": "development",
        "SELFSERVE_PLUGINS": "account",
        "SELFSERVE_DATABASE_URL": os.environ.get("SELFSERVE_BENCH_DATABASE_URL", ""),
        "SELFSERVE_REDIS_URL": os.environ.get("SELFSERVE_BENCH_REDIS_URL", ""),
    }
    return env


def sign_up(base: str) -> str:
    mutation = (
        'mutation { accountRegister(input: {email: "bench@example.com", password: "bench password 1", '
        'displayName: "Bench"}) { ... on AuthSession { accessToken } } }'
    )
    login = (
        'mutation { accountLogin(input: {login: "bench@example.com", password: "bench password 1"}) '
        "{ ... on AuthSession { accessToken } } }"
    )
    body = httpx.post(base + "/graphql", json={"query": mutation}).json()
    token = (body.get("data") or {}).get("accountRegister", {}).get("accessToken")
    if not token:
        token = httpx.post(base + "/graphql", json={"query": login}).json()["data"]["accountLogin"][
            "accessToken"
        ]
    return token


async def me_benchmark() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "3000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "32"))
    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir)
        migrate(env)
        with server("selfserve.asgi:app", free_port(), env) as base:
            token = sign_up(base)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

            async def graphql(client: httpx.AsyncClient) -> bool:
                response = await client.post(base + "/graphql", content=ME_QUERY, headers=headers)
                return response.status_code == 200 and b"Bench" in response.content

            graphql_result = await load("GraphQL me", graphql, concurrency=concurrency, total=requests)
        with server("bench.plain_app:app", free_port(), env) as base:

            async def plain(client: httpx.AsyncClient) -> bool:
                response = await client.get(base + "/me", headers=headers)
                return response.status_code == 200 and b"Bench" in response.content

            plain_result = await load("plain Starlette /me", plain, concurrency=concurrency, total=requests)
    backend = "PostgreSQL + Redis" if env["SELFSERVE_DATABASE_URL"] else "SQLite + fakeredis"
    print(
        f"== me query, {requests} requests, {concurrency} concurrent clients, {backend}, 1 uvicorn worker =="
    )
    print(graphql_result.line())
    print(plain_result.line())
    print(f"GraphQL / plain throughput: {graphql_result.rps / plain_result.rps:.0%} (target >= 50%)")


def main() -> None:
    asyncio.run(me_benchmark())


if __name__ == "__main__":
    main()
