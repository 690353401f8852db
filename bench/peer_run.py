"""The machinery of `make bench` (bench/run.py): pinned servers, the equality check, wrk runs."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.common import ROOT

SERVER_CORE = os.environ.get("BENCH_SERVER_CORE", "0")
LOAD_CORE = os.environ.get("BENCH_LOAD_CORE", "1")
SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
#: Rounds per server, interleaved (A B C A B C ...); the best round counts: other work on the
#: machine only ever lowers a figure.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PASSWORD = "bench password 1"


@dataclass(frozen=True)
class Workload:
    """One GraphQL document, how many keep-alive connections drive it, with a bearer token or not."""

    name: str
    body: dict[str, Any]
    connections: int
    signed_in: bool = False
    extra_headers: dict[str, str] = field(default_factory=dict)

    def headers(self, token: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept-Language": "en", "X-Bench-Workload": self.name}
        if self.signed_in:
            headers["Authorization"] = f"Bearer {token}"
        return {**headers, **self.extra_headers}


def environment(var_dir: str, database_url: str, redis_url: str) -> dict[str, str]:
    """What the three servers run with (selfserve reads the SELFSERVE_ ones)."""
    return {
        "SELFSERVE_VAR_DIR": var_dir,
        "SELFSERVE_SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "SELFSERVE_ENV": "development",
        "SELFSERVE_PLUGINS": os.environ.get("BENCH_PLUGINS", "account,helpcenter"),
        "SELFSERVE_DATABASE_URL": database_url,
        "SELFSERVE_REDIS_URL": redis_url,
        "SELFSERVE_LOG_LEVEL": "WARNING",
        # The limiter still counts every request (its redis round trip is part of the cost); the
        # bench's one user and one address must just never reach the limit.
        "SELFSERVE_RATE_LIMIT_USER_PER_MINUTE": "100000000",
        "SELFSERVE_RATE_LIMIT_IP_PER_MINUTE": "100000000",
    }


def _port() -> int:
    base = int(os.environ.get("BENCH_PORT_BASE", "0"))
    for port in range(base, base + 100) if base else [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


@dataclass
class Server:
    """A server command (host/port are appended), pinned to SERVER_CORE."""

    name: str
    command: list[str]
    env: dict[str, str]
    #: Working directory (default: this checkout; the lists bench runs a baseline tree).
    cwd: str | None = None
    #: Drop the server's stderr (the wave-1 baseline logs a traceback per client disconnect).
    quiet: bool = False

    @staticmethod
    @contextlib.contextmanager
    def all(servers: list[Server]) -> Iterator[tuple[dict[str, str], dict[str, int]]]:
        """Start every server, wait until each is up and idle; yields name -> base URL, name -> pid."""
        processes: list[subprocess.Popen] = []
        bases: dict[str, str] = {}
        try:
            for server in servers:
                port = _port()
                command = [
                    "taskset",
                    "-c",
                    SERVER_CORE,
                    *server.command,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ]
                if "uvicorn" in server.command:
                    command += ["--log-level", "warning", "--no-access-log"]
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=server.cwd or ROOT,
                        env={**os.environ, **server.env},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL if server.quiet else None,
                    )
                )
                bases[server.name] = f"http://127.0.0.1:{port}"
                _wait_up(bases[server.name], processes[-1])
            for process in processes:
                _wait_idle(process.pid)
            yield bases, {server.name: p.pid for server, p in zip(servers, processes, strict=True)}
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _wait_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base}: server exited with {process.returncode}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code in (200, 503):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_idle(pid: int, limit: float = 60.0) -> None:
    """Wait until start-up work (content seeding, index warm-up) has finished: < 5% CPU for 1 s."""
    deadline = time.monotonic() + limit
    last = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


def sign_up(base: str) -> str:
    """A bench user's access token (registered on first use, signed in after)."""
    register = (
        'mutation { accountRegister(input: {email: "bench@example.com", password: "bench password 1", '
        'displayName: "Bench"}) { ... on AuthSession { accessToken } } }'
    )
    login = (
        'mutation { accountLogin(input: {login: "bench@example.com", password: "bench password 1"}) '
        "{ ... on AuthSession { accessToken } } }"
    )
    body = httpx.post(base + "/graphql", json={"query": register}, timeout=30).json()
    token = ((body.get("data") or {}).get("accountRegister") or {}).get("accessToken")
    if not token:
        body = httpx.post(base + "/graphql", json={"query": login}, timeout=30).json()
        token = body["data"]["accountLogin"]["accessToken"]
    return token


def compare(workload: Workload, bases: dict[str, str], token: str, reference: str = "selfserve") -> None:
    """The servers must give the same answer, else the comparison means nothing."""
    answers = {
        name: httpx.post(
            base + "/graphql", json=workload.body, headers=workload.headers(token), timeout=30
        ).json()
        for name, base in bases.items()
    }
    expected = answers[reference]
    if "errors" in expected or not expected.get("data"):
        raise RuntimeError(f"{workload.name}: {reference} answered {str(expected)[:300]}")
    for name, answer in answers.items():
        if answer != expected:
            raise RuntimeError(f"{workload.name}: {name} answers differently: {str(answer)[:300]}")


def measure(
    workload: Workload, bases: dict[str, str], token: str, pids: dict[str, int]
) -> tuple[dict[str, float], dict[str, float]]:
    """Best req/s of each server over ROUNDS interleaved rounds (after a 1 s warm-up each), and
    best requests per CPU-second of the server process (all its threads): on a machine shared
    with other work the second is the steadier figure, as waiting for the core does not count."""
    for base in bases.values():
        wrk_rps(workload, base, token, seconds=1)
    best = dict.fromkeys(bases, 0.0)
    per_cpu = dict.fromkeys(bases, 0.0)
    for _ in range(ROUNDS):
        for name, base in bases.items():
            used = _cpu_seconds(pids[name])
            rps, requests = wrk_run(workload, base, token)
            used = _cpu_seconds(pids[name]) - used
            best[name] = max(best[name], rps)
            per_cpu[name] = max(per_cpu[name], requests / used if used > 0 else 0.0)
    return best, per_cpu


def wrk_rps(workload: Workload, base: str, token: str, seconds: int = 1) -> float:
    """Requests per second of `wrk` over `seconds` (warm-up)."""
    return wrk_run(workload, base, token, seconds)[0]


def wrk_run(workload: Workload, base: str, token: str, seconds: int = SECONDS) -> tuple[float, int]:
    """Requests per second and requests done by `wrk` (pinned to LOAD_CORE) over `seconds`."""
    body = json_body(workload)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "POST"\nwrk.body = [==[{body}]==]\n')
    try:
        headers = [arg for k, v in workload.headers(token).items() for arg in ("-H", f"{k}: {v}")]
        command = [
            "taskset",
            "-c",
            LOAD_CORE,
            "wrk",
            "-t1",
            f"-c{workload.connections}",
            "-s",
            script.name,
            *headers,
        ]
        out = subprocess.run(
            [*command, f"-d{seconds}s", base + "/graphql"],
            capture_output=True,
            check=True,
            text=True,
            timeout=60,
        ).stdout
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out or re.search(r"Socket errors: connect [1-9]", out):
        raise RuntimeError(f"{workload.name} on {base}: failed requests\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, int(re.search(r"(\d+) requests in", out).group(1))


def json_body(workload: Workload) -> str:
    import json

    return json.dumps(workload.body)
