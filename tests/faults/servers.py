"""Real `selfserve serve` processes for fault tests, talking to PostgreSQL and Redis through TCP
proxies the test controls (`tests.faults.proxy`). Each process logs to its own file so a test can
count what it logged during an outage. Every process is stopped at the end of the block."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from tests.faults.proxy import TcpProxy, tcp_proxy

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fault-test-secret-key-that-is-long-enough-for-hkdf"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def via_proxy(url: str, proxy: TcpProxy) -> str:
    """`url` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{proxy.port}"))


def host_port(url: str, default_port: int) -> tuple[str, int]:
    """The host and port a service URL names."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


@dataclass
class ApiProcess:
    """One `selfserve serve` child."""

    base: str
    child: subprocess.Popen
    log_path: Path
    log_file: Any = field(repr=False)

    def log_lines(self) -> list[str]:
        """Everything the process wrote to stderr so far."""
        self.log_file.flush()
        return self.log_path.read_text(errors="replace").splitlines()

    def connection(self, timeout: float = 15.0) -> http.client.HTTPConnection:
        """A raw keep-alive HTTP/1.1 connection (to check the server does not close it)."""
        parts = urlsplit(self.base)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


@dataclass
class Deployment:
    """API processes behind proxies to PostgreSQL and Redis."""

    database: TcpProxy
    redis: TcpProxy
    env: dict[str, str]
    tmp: Path
    servers: list[ApiProcess] = field(default_factory=list)
    workers: list[subprocess.Popen] = field(default_factory=list)

    def start_api(self, timeout: float = 90.0) -> ApiProcess:
        """Start one more API process and wait until it is ready."""
        port = free_port()
        log_path = self.tmp / f"api-{port}.log"
        log_file = log_path.open("w")
        child = subprocess.Popen(
            [sys.executable, "-m", "selfserve.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        server = ApiProcess(f"http://127.0.0.1:{port}", child, log_path, log_file)
        self.servers.append(server)
        wait_ready(server, timeout)
        return server

    def start_worker(self) -> subprocess.Popen:
        """Start one `selfserve worker` (logs to a file beside the servers')."""
        log_file = (self.tmp / f"worker-{len(self.workers)}.log").open("w")
        child = subprocess.Popen(
            [sys.executable, "-m", "selfserve.cli", "worker"],
            cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.workers.append(child)
        return child

    def stop(self) -> None:
        """Terminate (then kill) every process this deployment started."""
        children = [server.child for server in self.servers] + self.workers
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)
        for server in self.servers:
            server.log_file.close()


def wait_ready(server: ApiProcess, timeout: float) -> None:
    """Poll `/health/ready` until it answers 200 (or the process dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.child.poll() is not None:
            raise RuntimeError(f"server exited:\n{chr(10).join(server.log_lines()[-40:])}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.base + "/health/ready", timeout=3).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server at {server.base} did not become ready")


@contextlib.contextmanager
def deployment(backend: Any, tmp: Path, **settings: str) -> Iterator[Deployment]:
    """Proxies in front of the test's PostgreSQL and Redis, and an environment for children that
    reach them only through the proxies (`SELFSERVE_<KEY>` for each of `settings`)."""
    with (
        tcp_proxy(*host_port(backend.database_url, 5432)) as database,
        tcp_proxy(*host_port(backend.redis_url, 6379)) as redis,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SELFSERVE_")}
        values = {
            "env": "test",
            "database_url": via_proxy(backend.database_url, database),
            "redis_url": via_proxy(backend.redis_url, redis),
            "secret_key": SECRET,
            "var_dir": str(tmp / "var"),
            **settings,
        }
        env.update({f"SELFSERVE_{key.upper()}": value for key, value in values.items()})
        env["PYTHONPATH"] = str(ROOT)
        group = Deployment(database, redis, env, tmp)
        try:
            yield group
        finally:
            group.stop()


def post(
    connection: http.client.HTTPConnection,
    query: str,
    variables: dict | None = None,
    token: str | None = None,
) -> tuple[http.client.HTTPResponse, dict[str, Any]]:
    """POST a GraphQL request on a kept-alive connection; returns the response and its JSON body."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(
        "POST", "/graphql", json.dumps({"query": query, "variables": variables or {}}), headers
    )
    response = connection.getresponse()
    body = response.read()
    assert response.headers.get("content-type", "").startswith("application/json"), body[:300]
    return response, json.loads(body)
