"""Support benchmark: ticket list and reply throughput and p95 under concurrent load, and the
fan-out latency of `ticketEvents` across two API processes with 200 subscribers (PostgreSQL + Redis).

Two uvicorn processes share one database and one Redis (SELFSERVE_JOBS_IN_PROCESS=false) plus a
`selfserve worker`; subscribers connect to the first, replies are written through the second.
Prints figures, asserts nothing.

Environment: SELFSERVE_BENCH_DATABASE_URL and SELFSERVE_BENCH_REDIS_URL (required: the fan-out needs a
real Redis), BENCH_REQUESTS (default 600), BENCH_CONCURRENCY (default 16), BENCH_SUBSCRIBERS
(default 200), BENCH_ROUNDS (default 20). The database is migrated and used as is (use a scratch one).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import httpx
import websockets

from bench.common import ROOT, Result, free_port, load, server

TICKET_FIELDS = (
    "id number subject status requester { displayName } assignee { displayName } lastMessage { body }"
)
CREATE = "mutation($input: TicketCreateInput!) { ticketCreate(input: $input) { ... on Ticket { id } } }"
LIST = json.dumps({"query": "{ tickets(first: 20) { edges { node { %s } } } }" % TICKET_FIELDS})  # noqa: UP031
REPLY = "mutation($input: TicketReplyInput!) { ticketReply(input: $input) { __typename } }"
REGISTER = "mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { ... on AuthSession { accessToken } } }"
LOGIN = "mutation($input: AccountLoginInput!) { accountLogin(input: $input) { ... on AuthSession { accessToken } } }"
EVENTS = "subscription($id: ID!) { ticketEvents(ticketId: $id) { kind message { body } } }"


def environment(var_dir: str) -> dict[str, str]:
    """Settings shared by both API processes and the worker."""
    database, redis = (
        os.environ.get("SELFSERVE_BENCH_DATABASE_URL"),
        os.environ.get("SELFSERVE_BENCH_REDIS_URL"),
    )
    if not database or not redis:
        raise SystemExit(
            "set SELFSERVE_BENCH_DATABASE_URL and SELFSERVE_BENCH_REDIS_URL (PostgreSQL + Redis)"
        )
    return {
        "SELFSERVE_VAR_DIR": var_dir,
        "SELFSERVE_SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "SELFSERVE_ENV": "development",
        "SELFSERVE_PLUGINS": "account,support",
        "SELFSERVE_DATABASE_URL": database,
        "SELFSERVE_REDIS_URL": redis,
        "SELFSERVE_JOBS_IN_PROCESS": "false",
    }


def post(base: str, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        base + "/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=30
    ).json()


def account(base: str, env: dict[str, str], email: str, role: str | None = None) -> str:
    """A token for `email` (created with `selfserve user create` when it has a role)."""
    password = "bench password 1"
    if role:
        subprocess.run(
            [sys.executable, "-m", "selfserve.cli", "user", "create", "--email", email, "--password", password,
             "--name", "Bench Agent", "--role", role],
            cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True,
        )  # fmt: skip
    else:
        post(base, REGISTER, {"input": {"email": email, "password": password, "displayName": "Bench User"}})
    return post(base, LOGIN, {"input": {"login": email, "password": password}})["data"]["accountLogin"][
        "accessToken"
    ]


def summary(name: str, latencies: list[float]) -> str:
    result = Result(name, len(latencies), 0, 1.0, latencies)
    return f"{name:<34} p50 {result.percentile(0.5):6.1f} ms  p95 {result.percentile(0.95):6.1f} ms  max {max(latencies):6.1f} ms  ({len(latencies)} deliveries)"


async def fan_out(
    first: str, second: str, agent: str, ticket_id: str, subscribers: int, rounds: int
) -> list[float]:
    """Latency from sending a reply (to `second`) to each of `subscribers` receiving it (on `first`)."""
    url = first.replace("http://", "ws://") + "/graphql"
    arrivals: dict[str, list[float]] = {}
    ready = 0

    async def subscriber(index: int, stop: asyncio.Event) -> None:
        nonlocal ready
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=30) as ws:
            await ws.send(
                json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {agent}"}})
            )
            await ws.recv()
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": EVENTS, "variables": {"id": ticket_id}},
                    }
                )
            )
            ready += 1
            while not stop.is_set():
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
                except TimeoutError:
                    continue
                if message.get("type") == "next":
                    body = (message["payload"]["data"]["ticketEvents"]["message"] or {}).get("body", "")
                    arrivals.setdefault(body, []).append(time.perf_counter())

    stop = asyncio.Event()
    tasks = [asyncio.create_task(subscriber(i, stop)) for i in range(subscribers)]
    async with httpx.AsyncClient(timeout=30) as http:

        async def send(body: str) -> float:
            started = time.perf_counter()
            variables = {"input": {"ticketId": ticket_id, "body": body}}
            await http.post(
                second + "/graphql",
                json={"query": REPLY, "variables": variables},
                headers={"Authorization": f"Bearer {agent}"},
            )
            return started

        while ready < subscribers:
            await asyncio.sleep(0.2)
        for attempt in itertools.count():  # until every subscription is live in Redis
            await send(f"warm-{attempt}")
            await asyncio.sleep(1.0)
            if len(arrivals.get(f"warm-{attempt}", [])) == subscribers or attempt > 30:
                break
        latencies = []
        for round_ in range(rounds):
            body = f"round-{round_}-{uuid.uuid4().hex[:6]}"
            started = await send(body)
            await asyncio.sleep(1.0)
            latencies += [(t - started) * 1000 for t in arrivals.get(body, [])]
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


async def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "600"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "16"))
    subscribers = int(os.environ.get("BENCH_SUBSCRIBERS", "200"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir)
        subprocess.run(
            [sys.executable, "-m", "selfserve.cli", "migrate"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "selfserve.cli", "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
        )
        try:
            with (
                server("selfserve.asgi:app", free_port(), env) as first,
                server("selfserve.asgi:app", free_port(), env) as second,
            ):
                tag = uuid.uuid4().hex[:8]
                user = account(first, env, f"bench-user-{tag}@example.com")
                agent = account(first, env, f"bench-agent-{tag}@example.com", role="agent")
                tickets = []
                for i in range(60):
                    input_ = {
                        "category": "payments.refund",
                        "subject": f"Bench {i}",
                        "body": "Refund missing",
                    }
                    tickets.append(
                        post(second, CREATE, {"input": input_}, user)["data"]["ticketCreate"]["id"]
                    )
                print(
                    f"support: {len(tickets)} tickets seeded; {requests} requests, {concurrency} concurrent clients, both API processes"
                )
                bases, counter = itertools.cycle([first, second]), itertools.count()

                async def list_tickets(client: httpx.AsyncClient) -> bool:
                    response = await client.post(
                        next(bases) + "/graphql",
                        content=LIST,
                        headers={"Authorization": f"Bearer {agent}", "Content-Type": "application/json"},
                    )
                    return response.status_code == 200 and "errors" not in response.json()

                async def reply(client: httpx.AsyncClient) -> bool:
                    n = next(counter)
                    payload = {
                        "query": REPLY,
                        "variables": {"input": {"ticketId": tickets[n % len(tickets)], "body": f"reply {n}"}},
                    }
                    response = await client.post(
                        next(bases) + "/graphql", json=payload, headers={"Authorization": f"Bearer {agent}"}
                    )
                    return (
                        response.status_code == 200
                        and response.json()["data"]["ticketReply"]["__typename"] == "TicketMessage"
                    )

                print(
                    (
                        await load(
                            "tickets(first: 20) as agent",
                            list_tickets,
                            concurrency=concurrency,
                            total=requests,
                            warmup=20,
                        )
                    ).line()
                )
                print(
                    (
                        await load(
                            "ticketReply (public)", reply, concurrency=concurrency, total=requests, warmup=20
                        )
                    ).line()
                )
                latencies = await fan_out(first, second, agent, tickets[0], subscribers, rounds)
                expected = subscribers * rounds
                print(
                    summary(f"fan-out {subscribers} subs, 2 processes", latencies)
                    + f"  {len(latencies)}/{expected} delivered"
                )
        finally:
            worker.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(10)
            if worker.poll() is None:
                worker.kill()


if __name__ == "__main__":
    asyncio.run(main())
