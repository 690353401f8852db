"""Assistant benchmark (in-process, server-side): assistantAsk latency with the shipped content and
with 10,000 synthetic articles, the library build time, and the dev/held-out scores. Prints figures.

usage: .venv/bin/python -m bench.assistant   (BENCH_REQUESTS, default 300; BENCH_SYNTHETIC, default 10000)
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench.helpcenter import add_synthetic, app_client, percentile, timed
from plugins.assistant.nlu.data import read_tsv

ASK = "mutation($m: String!) { assistantAsk(input: {message: $m}) { topic confidence handoff } }"
#: The development question set is not part of the repository: give its path to score it too.
DEV = Path(os.environ["BENCH_DEV_QUESTIONS"]) if os.environ.get("BENCH_DEV_QUESTIONS") else None
HELD_OUT = Path(__file__).resolve().parent.parent / "plugins/assistant/tests/eval_questions.tsv"


async def score(http, path: Path) -> str:
    """Top-1 accuracy in domain and out-of-domain rejection on a question file."""
    hits = n_in = rejected = n_out = 0
    for row in read_tsv(path):
        response = await http.post("/graphql", json={"query": ASK, "variables": {"m": row["question"]}})
        topic = response.json()["data"]["assistantAsk"]["topic"]
        if row["topic"] == "-":
            n_out += 1
            rejected += topic is None
        else:
            n_in += 1
            hits += topic in row["topic"].split("|")
    return f"in-domain {hits}/{n_in} = {hits / n_in:.1%}, out-of-domain rejected {rejected}/{n_out} = {rejected / n_out:.1%}"


async def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "300"))
    synthetic = int(os.environ.get("BENCH_SYNTHETIC", "10000"))
    os.environ.setdefault("SELFSERVE_ASSISTANT_RATE_LIMIT_IP", "1000000")
    questions = [row["question"] for row in read_tsv(HELD_OUT)]
    with tempfile.TemporaryDirectory() as var_dir:
        async with app_client(var_dir) as (http, app):
            started = time.perf_counter()
            await timed(http, ASK, {"m": "warm up"}, "en")  # trains the model, builds the library
            print(f"first question (model training + library build): {time.perf_counter() - started:.2f} s")
            for name, path in (("dev set", DEV), ("held-out eval set", HELD_OUT)):
                if path is not None and path.exists():
                    print(f"{name}: {await score(http, path)}")
            for label in ("shipped content (72 articles)", f"+{synthetic} synthetic articles"):
                if label.startswith("+"):
                    build = await add_synthetic(app, synthetic)
                    print(f"library build for {synthetic + 72} articles: {build:.2f} s")
                times = [
                    await timed(http, ASK, {"m": questions[i % len(questions)]}, "zh-CN")
                    for i in range(requests)
                ]
                print(
                    f"assistantAsk, {label}: p50 {percentile(times, 0.5):.1f} ms  p95 {percentile(times, 0.95):.1f} ms"
                )


if __name__ == "__main__":
    asyncio.run(main())
