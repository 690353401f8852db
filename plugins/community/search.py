"""Thread search on the help center's search machinery (`plugins.helpcenter.api.SearchIndex`).

The index holds visible threads; each process caches it in `services.stash` together with the
redis search version it was built at, and rebuilds it when a write bumped the version. Without the
help center (an optional plugin, not enabled) a plain substring match answers instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.context import Services
from core.plugins import enabled
from core.redis import text
from core.stash import StashKey
from plugins.community import markdown
from plugins.community.models import Thread
from plugins.community.service import SEARCH_VERSION_KEY

#: How many threads the index holds at most (the most recently active).
INDEX_LIMIT = 5_000
#: The process's index with the search version it was built for.
CACHE_KEY = StashKey[tuple[str, Any]]()


@dataclass(frozen=True)
class Hit:
    """A search result: the thread's id, a score and a snippet."""

    thread_id: int
    score: float
    snippet: str


def engine(services: Any) -> Any:
    """The help center's api (its `SearchIndex` and `SearchDocument`) when the help center is
    enabled, else None."""
    if not enabled(services.pm, "helpcenter"):
        return None
    from plugins.helpcenter import api as helpcenter

    return helpcenter


def build_index(module: Any, threads: list[Thread]) -> Any:
    """A `SearchIndex` over threads (accepted answers and votes boost a thread a little)."""
    documents = [
        module.SearchDocument(
            id=str(t.pk),
            language=t.language,
            title=t.title,
            body=markdown.plain_text(t.body),
            keywords=(),
            boost=1.0 + (0.3 if t.accepted_reply_id else 0.0) + min(t.vote_count, 50) / 100,
        )
        for t in threads
    ]
    return module.SearchIndex(documents)


def _visible_threads() -> Any:
    return Thread.filter(status="VISIBLE").order_by("-activity_at").limit(INDEX_LIMIT)


async def _cached_index(services: Services, module: Any) -> Any:
    version = text(await services.redis.get(SEARCH_VERSION_KEY)) or "0"
    cached = services.stash.get(CACHE_KEY, None)
    if cached and cached[0] == version:
        return cached[1]
    threads = list(await _visible_threads())
    index = build_index(module, threads) if threads else None
    services.stash[CACHE_KEY] = (version, index)
    return index


def _snippet(text: str, query: str, width: int = 120) -> str:
    plain = " ".join(markdown.plain_text(text).split())
    at = plain.lower().find(query.lower())
    start = max(at - width // 3, 0) if at >= 0 else 0
    return plain[start : start + width]


async def substring_search(query: str, k: int, *, accepted_only: bool = False) -> list[Hit]:
    """The fallback: threads whose title or body contains the query, most voted first."""
    from tortoise.expressions import Q

    threads = Thread.filter(status="VISIBLE").filter(Q(title__icontains=query) | Q(body__icontains=query))
    if accepted_only:
        threads = threads.filter(accepted_reply_id__isnull=False)
    rows = await threads.order_by("-vote_count", "-activity_at").limit(k)
    return [Hit(t.pk, 1.0, _snippet(t.body, query)) for t in rows]


async def search_threads(services: Services, query: str, language: str, k: int) -> list[Hit]:
    """The best `k` visible threads for `query` (help center engine when enabled)."""
    query = " ".join((query or "").split())[:200]
    if not query:
        return []
    module = engine(services)
    if module is None:
        return await substring_search(query, k)
    index = await _cached_index(services, module)
    if index is None:
        return []
    return [Hit(int(r.id), float(r.score), r.snippet) for r in index.search(query, language, k)]


async def search_accepted(services: Any, query: str, language: str, k: int) -> list[Hit]:
    """Threads with an accepted answer that match `query` (for the assistant and help search)."""
    query = " ".join((query or "").split())[:200]
    if not query:
        return []
    module = engine(services)
    if module is None:
        return await substring_search(query, k, accepted_only=True)
    threads = list(
        await Thread.filter(status="VISIBLE", accepted_reply_id__isnull=False)
        .order_by("-activity_at")
        .limit(INDEX_LIMIT)
    )
    if not threads:
        return []
    results = build_index(module, threads).search(query, language, k)
    return [Hit(int(r.id), float(r.score), r.snippet) for r in results]
