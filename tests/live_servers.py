"""Live processes for websocket, browser and client tests: uvicorn API servers and a job worker,
started as subprocesses on free 127.0.0.1 ports and always stopped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import websockets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTOCOL = "graphql-transport-ws"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**settings: str) -> dict[str, str]:
    """The environment for a child process: ours plus `SELFSERVE_<KEY>` for each setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFSERVE_TEST")}
    # stderr is a pipe nobody reads while the test runs: no line per request, or it fills up.
    env.setdefault("SELFSERVE_LOG_LEVEL", "WARNING")
    env.update({f"SELFSERVE_{key.upper()}": value for key, value in settings.items()})
    env["PYTHONPATH"] = ROOT
    return env


class Processes:
    """Child processes started by a test; `stop()` terminates (then kills) every one of them."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        child = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        self.children.append(child)
        return child

    def server(self, env: dict[str, str]) -> str:
        """Start `uvicorn selfserve.asgi:app`; returns its base URL once /health answers."""
        port = free_port()
        child = self.start(
            [sys.executable, "-m", "uvicorn", "selfserve.asgi:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--ws", "websockets"],
            env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, child)
        return base

    def worker(self, env: dict[str, str]) -> subprocess.Popen:
        """Start `selfserve worker`."""
        return self.start([sys.executable, "-c", "from selfserve.cli import main; main(['worker'])"], env)

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)
            if child.stderr:
                child.stderr.close()
        self.children.clear()


def wait_healthy(base: str, child: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll `/health` until it answers 200 (or the process dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(
                f"server exited: {child.stderr.read().decode()[-2000:] if child.stderr else ''}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server at {base} did not become healthy")


@contextlib.contextmanager
def processes() -> Iterator[Processes]:
    """Children that are stopped however the block ends."""
    group = Processes()
    try:
        yield group
    finally:
        group.stop()


async def gql(
    base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict:
    """POST a GraphQL request to a live server."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
    assert response.status_code < 500, response.text
    return response.json()


class Subscription:
    """One graphql-transport-ws connection with one subscription."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next `next`/`error`/`complete` message."""
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            return message


@contextlib.asynccontextmanager
async def subscribe(
    base: str, token: str | None, query: str, variables: dict[str, Any]
) -> AsyncIterator[Subscription]:
    """Connect, authenticate in `connection_init`, subscribe; yields the subscription."""
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[PROTOCOL], open_timeout=10) as socket:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
        )
        yield Subscription(socket)
