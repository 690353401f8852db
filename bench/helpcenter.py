"""Help center benchmark (in-process, server-side): helpSearch latency with the shipped articles and
with 10,000 synthetic ones, and the time to build the search library. Prints figures only.

usage: .venv/bin/python -m bench.helpcenter   (BENCH_REQUESTS, default 300; BENCH_SYNTHETIC, default 10000)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from core.db import use_orm
from core.settings import Settings
from selfserve.app import create_app

SEARCH = "query($q: String!) { helpSearch(query: $q, first: 5) { score article { slug } } }"
QUERIES = [
    "抖币怎么退款",
    "账号被封了",
    "忘记密码",
    "怎么开直播",
    "money back",
    "forgot my password",
    "how to go live",
    "delete my video",
    "两步验证",
    "广告合作",
]


@contextlib.asynccontextmanager
async def app_client(var_dir: str) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    """The full app (all plugins, SQLite in `var_dir`) with its lifespan, and an in-process client."""
    settings = Settings(
        env="test", var_dir=Path(var_dir), secret_key="bench-secret-key-long-enough-0123456789"
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            yield http, app


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0..1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


async def timed(http: httpx.AsyncClient, query: str, variables: dict, language: str) -> float:
    """One request's time in ms (asserting it answered without errors)."""
    start = time.perf_counter()
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Accept-Language": language}
    )
    elapsed = (time.perf_counter() - start) * 1000
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return elapsed


def synthetic_sources(count: int, seed: int = 7) -> list[dict]:
    """`count` articles made of sentences of the shipped ones (half Chinese, half English)."""
    from plugins.helpcenter.api import shipped_articles

    rng = random.Random(seed)
    pools: dict[str, list[str]] = {}
    for article in shipped_articles():
        sentences = [
            s.strip() for s in re.split(r"(?<=[。！？.!?])\s*|\n", article.body) if len(s.strip()) > 8
        ]
        pools.setdefault(article.locale, []).extend(sentences)
    rows = []
    for i in range(count):
        locale = "zh-CN" if i % 2 else "en"
        body = "\n".join(rng.sample(pools[locale], 12))
        rows.append(
            {
                "slug": f"synthetic-{i}",
                "locale": locale,
                "topic": f"synthetic.t{i % 500}",
                "title": body[:30],
                "summary": body[:80],
                "body": body,
                "keywords": rng.sample(pools[locale], 2),
            }
        )
    return rows


async def add_synthetic(app: object, count: int) -> float:
    """Insert `count` synthetic published articles and rebuild the library; returns build seconds."""
    from plugins.helpcenter.library import Library, articles_changed, entry_from_row, get_library
    from plugins.helpcenter.models import HelpArticle, HelpCategory

    services = app.state.services
    with use_orm(services.orm):
        category = await HelpCategory.get(key="platform")
        for start in range(0, count, 1000):
            await HelpArticle.bulk_create(
                [
                    HelpArticle(category_id=category.pk, published=True, **row)
                    for row in synthetic_sources(count)[start : start + 1000]
                ]
            )
        rows = await HelpArticle.filter(published=True)
        entries = [entry_from_row(r) for r in rows]
        started = time.perf_counter()
        Library(entries, "bench")
        build = time.perf_counter() - started
        await articles_changed(services)
        await get_library(services)
    return build


async def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "300"))
    synthetic = int(os.environ.get("BENCH_SYNTHETIC", "10000"))
    with tempfile.TemporaryDirectory() as var_dir:
        async with app_client(var_dir) as (http, app):
            for label in ("shipped content (72 articles)", f"+{synthetic} synthetic articles"):
                if label.startswith("+"):
                    build = await add_synthetic(app, synthetic)
                    print(f"library build for {synthetic + 72} articles: {build:.2f} s")
                await timed(http, SEARCH, {"q": "warm up"}, "en")
                times = [
                    await timed(
                        http,
                        SEARCH,
                        {"q": QUERIES[i % len(QUERIES)]},
                        "zh-CN" if not QUERIES[i % len(QUERIES)].isascii() else "en",
                    )
                    for i in range(requests)
                ]
                print(
                    f"helpSearch, {label}: p50 {percentile(times, 0.5):.1f} ms  p95 {percentile(times, 0.95):.1f} ms"
                )


if __name__ == "__main__":
    asyncio.run(main())
