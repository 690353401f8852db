"""`make bench`: selfserve against its peers, side by side in one run (issue 18).

Per workload, three servers answer the same `POST /graphql` with the same JSON: selfserve
(`selfserve serve`), stock strawberry (`bench/peers/stock.py`) and bare Starlette
(`bench/peers/bare.py`). Each server runs pinned to core 0 (`taskset`), `wrk` drives it from core 1
with keep-alive connections, `BENCH_ROUNDS` (3) interleaved rounds of `BENCH_SECONDS` (2) after
a 1-second warm-up, best round per server; the answers are
compared for equality first. Prints req/s per server and the two ratios per workload, on SQLite and
then, when `BENCH_DATABASE_URL` and `BENCH_REDIS_URL` are set, on PostgreSQL + Redis (the database
must be a scratch one: the bench migrates it and adds its user).

Then the "lists" section (`bench/lists.py`): `appealQueue(first: 100)`, `tickets(first: 50)` and
`myVideos(first: 100)`, selfserve only, at HEAD and, with `BENCH_BASELINE_REF=<commit>`, at that
commit (`BENCH_LISTS=0` leaves the section out; `BENCH_PEERS=0` the peers).

`BENCH_WORKLOADS=me,articles` picks workloads (of both sections); `BENCH_ALL=1` also runs every area benchmark (`bench/<area>.py`, several minutes).
"""

from __future__ import annotations

import os
import runpy
import shutil
import tempfile

from bench import lists
from bench.common import ROOT, migrate
from bench.peer_run import Server, Workload, compare, environment, measure, sign_up

ME = Workload("me", {"query": "{ me { id displayName } }"}, connections=32, signed_in=True)
ARTICLES = Workload(
    "articles",
    {
        "query": "{ helpArticles(first: 100) { nodes { id slug topic title summary locale updatedAt "
        "helpfulCount version media { kind url caption } category { key name } } } }"
    },
    connections=16,
)
WORKLOADS = (ME, ARTICLES)


def run_backend(database_url: str, redis_url: str) -> list[str]:
    """Measure every workload on one backend; the report lines."""
    backend = "PostgreSQL + Redis" if database_url else "SQLite + fakeredis"
    with tempfile.TemporaryDirectory() as var_dir:
        env = environment(var_dir, database_url, redis_url)
        migrate(env)
        peer_env = {**env, "BENCH_PEER_DATABASE_URL": database_url or f"sqlite://{var_dir}/selfserve.sqlite3"}
        servers = [
            Server("selfserve", [*_python(), "-m", "selfserve.cli", "serve"], env),
            Server("stock", [*_python(), "-m", "uvicorn", "bench.peers.stock:app"], peer_env),
            Server("bare", [*_python(), "-m", "uvicorn", "bench.peers.bare:app"], peer_env),
        ]
        lines = [f"== {backend}: req/s, one core per server (taskset), wrk on the other =="]
        with Server.all(servers) as (bases, pids):
            token = sign_up(bases["selfserve"])
            chosen = os.environ.get("BENCH_WORKLOADS", "")
            for workload in (w for w in WORKLOADS if not chosen or w.name in chosen.split(",")):
                compare(workload, bases, token)
                rps, per_cpu = measure(workload, bases, token, pids)
                for label, figures in (("req/s", rps), ("req/CPU-s", per_cpu)):
                    lines.append(
                        f"{workload.name:<9} ({workload.connections:>2} conns) {label:<9}  selfserve "
                        f"{figures['selfserve']:7.0f}  stock {figures['stock']:7.0f}  bare {figures['bare']:7.0f}"
                        f"  |  vs stock {figures['selfserve'] / figures['stock']:.2f}x  vs bare "
                        f"{figures['selfserve'] / figures['bare']:.2f}x"
                    )
                    print(lines[-1], flush=True)
    return lines


def _python() -> list[str]:
    import sys

    return [sys.executable]


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk (apt-get install wrk)")
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("SELFSERVE_BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("SELFSERVE_BENCH_REDIS_URL")
    report = []
    if os.environ.get("BENCH_PEERS", "1") != "0":
        report += run_backend("", "")
        if database_url and redis_url:
            report += run_backend(database_url, redis_url)
    if os.environ.get("BENCH_LISTS", "1") != "0":
        ref = os.environ.get("BENCH_BASELINE_REF", "")
        report += lists.run_backend("", "", ref)
        if database_url and redis_url:
            report += lists.run_backend(database_url, redis_url, ref)
    print("\n".join(["", *report]))
    if os.environ.get("BENCH_ALL") == "1":
        for script in sorted((ROOT / "bench").glob("*.py")):
            if script.stem in {"__init__", "common", "run", "peer_run", "plain_app", "lists", "profile"}:
                continue
            print(f"\n== bench/{script.name} ==", flush=True)
            runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
