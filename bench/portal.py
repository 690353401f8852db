"""Portal benchmark (in-process, server-side): p95 time to render every shipped help article page
(`/help/<category>/<slug>`, both languages), the category pages and the help home, warm. Prints figures.

usage: .venv/bin/python -m bench.portal   (BENCH_ROUNDS, default 5 rounds over every page)
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time

from bench.helpcenter import app_client, percentile
from core.db import use_orm

ARTICLES = "query { helpArticles(first: 100) { nodes { slug category { key } } } }"


async def _pages(http) -> list[str]:
    body = (await http.post("/graphql", json={"query": ARTICLES})).json()
    nodes = body["data"]["helpArticles"]["nodes"]
    articles = [f"/help/{n['category']['key']}/{n['slug']}" for n in nodes]
    return articles, sorted({f"/help/{n['category']['key']}" for n in nodes})


async def _time(http, path: str, language: str) -> float:
    route, _, query = path.partition("?q=")
    params = {"lang": language, **({"q": query} if query else {})}
    start = time.perf_counter()
    response = await http.get(route, params=params)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


async def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    with tempfile.TemporaryDirectory() as var_dir:
        async with app_client(var_dir) as (http, app):
            with use_orm(app.state.services.orm):
                articles, categories = await _pages(http)
                for path in [*articles, *categories, "/", "/?q=退款"]:  # warm caches and the search library
                    await _time(http, path, "zh-CN")
                    await _time(http, path, "en")
                for label, paths in (("article pages", articles), ("category pages", categories),
                                     ("help home", ["/"]), ("search 退款", ["/?q=退款"])):  # fmt: skip
                    times = [
                        await _time(http, path, language)
                        for _ in range(rounds) for path in paths for language in ("zh-CN", "en")
                    ]  # fmt: skip
                    print(
                        f"{label:15s} n={len(times):4d}  p50 {percentile(times, 0.5):6.1f} ms"
                        f"  p95 {percentile(times, 0.95):6.1f} ms  max {max(times):6.1f} ms"
                    )


if __name__ == "__main__":
    asyncio.run(main())
