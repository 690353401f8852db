"""Outside fault scenarios under load (issue 12): two API processes and a worker reach PostgreSQL and
Redis through TCP proxies; clients post ticket replies continuously (each with a `clientMutationId`,
retried with the same key until accepted) while the script cuts, freezes and restores PostgreSQL and
Redis and kills an API process with SIGKILL. Prints one table row per scenario: requests, errors by
kind, lost (accepted but not stored), duplicated (stored twice), recovery time.

    SELFSERVE_TEST_DATABASE_URL=postgres://... SELFSERVE_TEST_REDIS_URL=redis://... python -m bench.faults

Not a test: nothing is asserted. `BENCH_FAULT_SECONDS` (default 3) is the length of each fault,
`BENCH_FREEZE_SECONDS` (default 8) of each freeze, `BENCH_CLIENTS` (default 8) the number of
concurrent clients.
"""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from tests.backends import Backend, reset_postgres
from tests.faults.servers import deployment
from tests.helpers import REGISTER

REPLY = """
mutation R($input: TicketReplyInput!) { ticketReply(input: $input) { __typename ... on TicketMessage { id } } }
"""
CREATE = """
mutation T($input: TicketCreateInput!) { ticketCreate(input: $input) { __typename ... on Ticket { id } } }
"""
FAULT_SECONDS = float(os.environ.get("BENCH_FAULT_SECONDS", "3"))
#: A freeze must outlast the statement and socket timeouts (5 s and 3 s) to cost anything.
FREEZE_SECONDS = float(os.environ.get("BENCH_FREEZE_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))


@dataclass
class Tally:
    """What the clients saw during one scenario."""

    requests: int = 0
    errors: collections.Counter = field(default_factory=collections.Counter)
    accepted: set[str] = field(default_factory=set)
    first_ok_after_restore: float | None = None


class Load:
    """Clients replying on their own tickets, round-robin over the live API processes."""

    def __init__(self, bases: list[str], users: list[tuple[str, str]]) -> None:
        self.bases = bases
        self.users = users
        self.tally = Tally()
        self.restored_at: float | None = None
        self._stop = asyncio.Event()

    async def run_client(self, index: int) -> None:
        token, ticket_id = self.users[index % len(self.users)]
        async with httpx.AsyncClient(timeout=15) as http:
            turn = 0
            while not self._stop.is_set():
                body, key = f"c{index}-{turn}-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
                turn += 1
                attempt = 0
                while not self._stop.is_set():  # retry the same reply with the same key
                    attempt += 1  # the next attempt goes to the next process
                    base = self.bases[(index + turn + attempt) % len(self.bases)]
                    kind = await self._post(http, base, token, ticket_id, body, key)
                    self.tally.requests += 1
                    if kind == "ok":
                        self.tally.accepted.add(body)
                        if self.restored_at and self.tally.first_ok_after_restore is None:
                            self.tally.first_ok_after_restore = time.monotonic() - self.restored_at
                        break
                    self.tally.errors[kind] += 1
                    await asyncio.sleep(0.2)

    async def _post(self, http, base, token, ticket_id, body, key) -> str:
        variables = {"input": {"ticketId": ticket_id, "body": body, "clientMutationId": key}}
        try:
            response = await http.post(
                base + "/graphql",
                json={"query": REPLY, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.TimeoutException:
            return "client timeout"
        except httpx.TransportError:
            return "connection error"
        if response.status_code == 503:
            return "503 SERVICE_UNAVAILABLE"
        if response.status_code >= 500:
            return f"{response.status_code}"
        data = response.json()
        if data.get("errors"):
            return data["errors"][0].get("extensions", {}).get("code", "error")
        return "ok"

    async def start(self) -> list[asyncio.Task]:
        return [asyncio.create_task(self.run_client(i)) for i in range(CLIENTS)]

    async def stop(self, tasks: list[asyncio.Task]) -> None:
        self._stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _setup_users(base: str) -> list[tuple[str, str]]:
    users = []
    async with httpx.AsyncClient(timeout=30) as http:
        for n in range(4):
            email = f"bench-fault-{uuid.uuid4().hex[:8]}-{n}@example.com"
            variables = {"input": {"email": email, "password": "correct horse battery", "displayName": "B"}}
            reg = (
                await http.post(base + "/graphql", json={"query": REGISTER, "variables": variables})
            ).json()
            token = reg["data"]["accountRegister"]["accessToken"]
            ticket = {"input": {"category": "payments.refund", "subject": "Bench", "body": "Fault bench"}}
            created = (
                await http.post(
                    base + "/graphql",
                    json={"query": CREATE, "variables": ticket},
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()
            users.append((token, created["data"]["ticketCreate"]["id"]))
    return users


async def _stored(database_url: str) -> collections.Counter:
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch("SELECT body, count(*) AS n FROM support_message GROUP BY body")
    finally:
        await connection.close()
    return collections.Counter({row["body"]: row["n"] for row in rows})


async def scenario(
    name: str, group, bases: list[str], users, backend, fault, restore, seconds: float = FAULT_SECONDS
) -> dict:
    load = Load(bases, users)
    tasks = await load.start()
    await asyncio.sleep(1.0)
    await asyncio.to_thread(fault)
    await asyncio.sleep(seconds)
    if restore is not None:
        await asyncio.to_thread(restore)
    load.restored_at = time.monotonic()
    load.tally.first_ok_after_restore = None
    await asyncio.sleep(6.0)
    await load.stop(tasks)
    stored = await _stored(backend.database_url)
    tally = load.tally
    lost = sum(1 for body in tally.accepted if stored[body] == 0)
    duplicated = sum(1 for body in tally.accepted if stored[body] > 1)
    recovery = tally.first_ok_after_restore
    return {
        "scenario": name,
        "requests": tally.requests,
        "errors": ", ".join(f"{kind}: {n}" for kind, n in tally.errors.most_common()) or "none",
        "accepted": len(tally.accepted),
        "lost": lost,
        "duplicated": duplicated,
        "recovery": f"{recovery:.1f} s" if recovery is not None else "n/a",
    }


async def main() -> None:
    backend = Backend(
        "services", os.environ["SELFSERVE_TEST_DATABASE_URL"], os.environ["SELFSERVE_TEST_REDIS_URL"]
    )
    await reset_postgres(backend.database_url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    with deployment(backend, tmp, jobs_in_process="false") as group:
        first = await asyncio.to_thread(group.start_api)
        second = await asyncio.to_thread(group.start_api)
        group.start_worker()
        bases = [first.base, second.base]
        users = await _setup_users(first.base)
        rows = []
        db, redis = group.database, group.redis
        rows.append(await scenario("PostgreSQL cut", group, bases, users, backend, db.cut, db.restore))
        rows.append(
            await scenario(
                "PostgreSQL frozen", group, bases, users, backend, db.freeze, db.restore, FREEZE_SECONDS
            )
        )
        rows.append(await scenario("Redis cut", group, bases, users, backend, redis.cut, redis.restore))
        rows.append(
            await scenario(
                "Redis frozen", group, bases, users, backend, redis.freeze, redis.restore, FREEZE_SECONDS
            )
        )

        def kill_second() -> None:
            os.kill(second.child.pid, signal.SIGKILL)

        rows.append(await scenario("kill -9 an API process", group, bases, users, backend, kill_second, None))
    header = ["scenario", "requests", "errors", "accepted", "lost", "duplicated", "recovery"]
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in header) + " |")


if __name__ == "__main__":
    asyncio.run(main())
