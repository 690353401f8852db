"""The "lists" section of `make bench` (issue 18): `appealQueue(first: 100)`, `tickets(first: 50)`
and `myVideos(first: 100)`, selfserve at HEAD against a baseline commit of itself.

One database per backend, migrated by HEAD and seeded through HEAD's API (100 own videos of one
creator; 100 more of a second creator removed by a moderator and appealed, half of the appeals
taken into review, so each has a decision and a one- or two-step audit trail with actors; 60
tickets with a second message each). `BENCH_BASELINE_REF` (e.g. `b6c6aea`) adds a server running
that commit's code: a `git worktree` of it in a temporary directory, started with the same Python,
its working directory and `PYTHONPATH` set to that tree, on the same (already migrated, seeded)
database; it only reads. Measured as `bench/peer_run.py` measures (taskset, wrk, best of
interleaved rounds), the answers compared for equality first.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import httpx

from bench.common import ROOT, migrate
from bench.content import APPEAL, REMOVE, UPLOAD
from bench.peer_run import PASSWORD, Server, Workload, compare, environment, measure

PLUGINS = "account,content,appeals,support"
#: Few connections: a baseline page takes up to ~100 ms of CPU, and wrk counts a reply slower than
#: its 2 s timeout as an error (16 connections on one core would reach it).
CONNECTIONS = 4
MY_VIDEOS = Workload(
    "myVideos",
    {"query": "{ myVideos(first: 100) { nodes { id title status durationSeconds counts { views } } } }"},
    connections=CONNECTIONS,
    signed_in=True,
)
QUEUE = Workload(
    "appealQueue",
    {
        "query": "{ appealQueue(first: 100) { nodes { id status dueAt decision { kind statement } "
        "user { displayName } auditTrail { kind actor { displayName } } } } }"
    },
    connections=CONNECTIONS,
    signed_in=True,
)
TICKET_FIELDS = (
    "id number subject status requester { displayName } assignee { displayName } lastMessage { body }"
)
TICKETS = Workload(
    "tickets",
    {"query": "{ tickets(first: 50) { edges { node { %s } } } }" % TICKET_FIELDS},  # noqa: UP031
    connections=CONNECTIONS,
    signed_in=True,
)
WORKLOADS = (QUEUE, TICKETS, MY_VIDEOS)

START_REVIEW = "mutation($id: ID!) { appealStartReview(id: $id) { __typename } }"
TICKET_CREATE = (
    "mutation($input: TicketCreateInput!) { ticketCreate(input: $input) { ... on Ticket { id } } }"
)
TICKET_REPLY = "mutation($input: TicketReplyInput!) { ticketReply(input: $input) { __typename } }"


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "selfserve.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _post(base: str, query: str, variables: dict, token: str | None = None, **kwargs) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = httpx.post(
        base + "/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=60,
        **kwargs,
    ).json()
    if body.get("errors"):
        raise RuntimeError(f"seeding: {str(body)[:300]}")
    return body["data"]


def _login(base: str, email: str) -> str:
    query = (
        "mutation($l: String!, $p: String!) { accountLogin(input: {login: $l, password: $p}) "
        "{ ... on AuthSession { accessToken } } }"
    )
    return _post(base, query, {"l": email, "p": PASSWORD})["accountLogin"]["accessToken"]


def _register(base: str, email: str, name: str) -> str:
    query = (
        "mutation($e: String!, $p: String!, $n: String!) { accountRegister(input: {email: $e, "
        "password: $p, displayName: $n}) { __typename } }"
    )
    _post(base, query, {"e": email, "p": PASSWORD, "n": name})
    return _login(base, email)


def _upload(base: str, token: str, title: str) -> str:
    from plugins.content.media import sample_mp4

    operations = {
        "query": UPLOAD,
        "variables": {"input": {"title": title, "visibility": "PUBLIC", "file": None}},
    }
    response = httpx.post(
        base + "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("clip.mp4", sample_mp4(10.0, media=os.urandom(4096)), "video/mp4")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    return response.json()["data"]["videoUpload"]["id"]


def seed(base: str, env: dict[str, str]) -> dict[str, str]:
    """Seed through the API of the server at `base`; the token each workload runs with."""
    for email, role, name in (
        ("moderator@example.com", "reviewer", "Moderator"),
        ("reviewer@example.com", "reviewer", "Reviewer"),
        ("agent@example.com", "agent", "Agent"),
    ):
        _cli(env, "user", "create", "--email", email, "--password", PASSWORD, "--name", name, "--role", role)
    creator = _register(base, "creator@example.com", "Creator")
    appellant = _register(base, "appellant@example.com", "Appellant")
    requester = _register(base, "requester@example.com", "Requester")
    moderator, reviewer = _login(base, "moderator@example.com"), _login(base, "reviewer@example.com")
    agent = _login(base, "agent@example.com")
    for i in range(100):
        _upload(base, creator, f"Own video {i}")
    for i in range(100):
        video = _upload(base, appellant, f"Appealed video {i}")
        decision = _post(base, REMOVE, {"id": video}, moderator)["moderationRemoveVideo"]["id"]
        appeal = _post(base, APPEAL, {"id": decision}, appellant)["appealCreate"]["id"]
        if i % 2:
            _post(base, START_REVIEW, {"id": appeal}, reviewer)
    for i in range(60):
        new = {"category": "payments.refund", "subject": f"Bench ticket {i}", "body": f"Refund {i} missing"}
        ticket = _post(base, TICKET_CREATE, {"input": new}, requester)["ticketCreate"]["id"]
        reply = {"ticketId": ticket, "body": f"Looking into refund {i}."}
        _post(base, TICKET_REPLY, {"input": reply}, agent)
    return {MY_VIDEOS.name: creator, QUEUE.name: reviewer, TICKETS.name: agent}


@contextlib.contextmanager
def baseline_tree(ref: str) -> Iterator[str]:
    """A `git worktree` of `ref` in a temporary directory, removed afterwards."""
    parent = tempfile.mkdtemp(prefix="selfserve-baseline-")
    tree = os.path.join(parent, "tree")
    subprocess.run(
        ["git", "worktree", "add", "--detach", tree, ref], cwd=ROOT, check=True, capture_output=True
    )
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", tree], cwd=ROOT, check=False, capture_output=True
        )
        subprocess.run(["rm", "-rf", parent], check=False)


def _imports_from(tree: str, env: dict[str, str]) -> str:
    """Where `selfserve` and the plugins are imported from when run in `tree` (checked, printed)."""
    code = "import selfserve, plugins.appeals.types as t; print(selfserve.__file__, t.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not all(path.startswith(tree) for path in out.split()):
        raise RuntimeError(f"the baseline imports the wrong code: {out}")
    return out


def reset(database_url: str, redis_url: str) -> None:
    """Empty the scratch PostgreSQL database and Redis db (the seeding must start from nothing)."""
    import asyncio

    import asyncpg
    import redis

    async def drop() -> None:
        connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        finally:
            await connection.close()

    asyncio.run(drop())
    redis.Redis.from_url(redis_url).flushdb()


def run_backend(database_url: str, redis_url: str, ref: str) -> list[str]:
    """Seed one backend, measure every workload at HEAD (and at `ref`); the report lines."""
    backend = "PostgreSQL + Redis" if database_url else "SQLite + fakeredis"
    with tempfile.TemporaryDirectory() as var_dir, contextlib.ExitStack() as stack:
        env = {**environment(var_dir, database_url, redis_url), "SELFSERVE_PLUGINS": PLUGINS}
        if database_url:
            reset(database_url, redis_url)
        migrate(env)
        serve = [sys.executable, "-m", "selfserve.cli", "serve"]
        servers = [Server("HEAD", serve, env)]
        if ref:
            tree = stack.enter_context(baseline_tree(ref))
            old_env = {**env, "PYTHONPATH": tree}
            print(f"baseline {ref}: imports {_imports_from(tree, old_env)}", flush=True)
            servers.append(Server("baseline", serve, old_env, cwd=tree, quiet=True))
        lines = [f"== lists, {backend}: one core per server (taskset), wrk on the other =="]
        with Server.all(servers[:1]) as (bases, _):
            tokens = seed(bases["HEAD"], env)
        with Server.all(servers) as (bases, pids):
            chosen = os.environ.get("BENCH_WORKLOADS", "")
            for workload in (w for w in WORKLOADS if not chosen or w.name in chosen.split(",")):
                token = tokens[workload.name]
                compare(workload, bases, token, reference="HEAD")
                rps, per_cpu = measure(workload, bases, token, pids)
                for label, figures in (("req/s", rps), ("req/CPU-s", per_cpu)):
                    line = f"{workload.name:<11} ({workload.connections:>2} conns) {label:<9}  HEAD {figures['HEAD']:7.0f}"
                    if ref:
                        ratio = figures["HEAD"] / figures["baseline"] if figures["baseline"] else 0.0
                        line += f"  baseline {figures['baseline']:7.0f}  |  {ratio:.2f}x"
                    lines.append(line)
                    print(line, flush=True)
    return lines
