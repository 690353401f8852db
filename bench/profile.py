"""`python -m bench.profile LABEL`: py-spy flame graphs of selfserve under each `make bench`
workload, written to bench/profiles/<workload>-<LABEL>.svg (SQLite, wrk load). Needs py-spy
(`pip install py-spy`) and wrk."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, migrate
from bench.peer_run import Server, environment, sign_up, wrk_run
from bench.run import WORKLOADS

SECONDS = 6


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else "now"
    for workload in WORKLOADS:
        with tempfile.TemporaryDirectory() as var_dir:
            env = environment(var_dir, "", "")
            migrate(env)
            serve = [sys.executable, "-m", "selfserve.cli", "serve"]
            with Server.all([Server("selfserve", serve, env)]) as (bases, _):
                token = sign_up(bases["selfserve"])
                pid = _server_pid(bases["selfserve"])
                out = ROOT / "bench" / "profiles" / f"{workload.name}-{label}.svg"
                spy = subprocess.Popen(
                    [
                        "py-spy",
                        "record",
                        "-p",
                        str(pid),
                        "-o",
                        str(out),
                        "-d",
                        str(SECONDS),
                        "-r",
                        "200",
                        "--nonblocking",
                    ]
                )
                time.sleep(0.5)
                print(
                    workload.name, f"{wrk_run(workload, bases['selfserve'], token)[0]:.0f} req/s (profiled)"
                )
                spy.wait(60)
                if len(sys.argv) > 2:  # also collapsed stacks, for reading the profile as text
                    raw = subprocess.Popen(
                        [
                            "py-spy",
                            "record",
                            "-p",
                            str(pid),
                            "-o",
                            sys.argv[2] + f"/{workload.name}.txt",
                            "-f",
                            "raw",
                            "-d",
                            str(SECONDS),
                            "-r",
                            "200",
                            "--nonblocking",
                        ]
                    )
                    time.sleep(0.5)
                    wrk_run(workload, bases["selfserve"], token)
                    raw.wait(60)


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    found = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    return int(found.split("pid=")[1].split(",")[0])


if __name__ == "__main__":
    main()
