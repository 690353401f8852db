"""The per-process search library: published articles held in memory with their `SearchIndex`.

Built once per process and rebuilt when articles change. A change bumps a generation counter in
redis, so every API process notices it on its next search (one GET) and rebuilds in a thread while
the old library keeps answering.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from core.context import Services
from core.stash import StashKey
from plugins.helpcenter.models import HelpArticle
from plugins.helpcenter.search import SearchDocument, SearchIndex

GENERATION_KEY = "helpcenter:library:generation"
STATE_KEY = StashKey["_State"]()


@dataclass(frozen=True)
class ArticleEntry:
    """What search and the assistant need of a published article, without a database read."""

    pk: int
    slug: str
    locale: str
    topic: str
    category_id: int
    title: str
    summary: str
    body: str
    keywords: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    actions: tuple[dict[str, str], ...] = ()


class Library:
    """Published articles by primary key and by (topic, locale), and their search index."""

    def __init__(self, entries: list[ArticleEntry], generation: str) -> None:
        self.generation = generation
        self.by_pk = {e.pk: e for e in entries}
        self.by_topic = {(e.topic, e.locale): e for e in entries}
        self.index = SearchIndex(
            SearchDocument(
                id=str(e.pk),
                language=e.locale,
                title=e.title,
                body=e.summary + "\n" + "\n".join(e.steps) + "\n" + e.body,
                keywords=e.keywords,
            )
            for e in entries
        )

    def article(self, topic: str, language: str) -> ArticleEntry | None:
        """The topic's article in `language`, else in the other language."""
        found = self.by_topic.get((topic, language))
        if found is None:
            found = next((e for (t, _), e in self.by_topic.items() if t == topic), None)
        return found

    def topic_scores(self, query: str, language: str) -> dict[str, float]:
        """The best BM25 score of each topic's articles for `query` (topics with a match only)."""
        documents, scores = self.index.scores(query, language)
        best: dict[str, float] = {}
        for document, score in zip(documents, scores.tolist(), strict=True):
            if score > 0:
                topic = self.by_pk[int(document.id)].topic
                best[topic] = max(best.get(topic, 0.0), score)
        return best

    def search(self, query: str, language: str, k: int) -> list[tuple[ArticleEntry, float, str]]:
        """(entry, score, snippet) of the best `k` articles."""
        return [(self.by_pk[int(r.id)], r.score, r.snippet) for r in self.index.search(query, language, k)]


@dataclass
class _State:
    library: Library | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def entry_from_row(row: HelpArticle) -> ArticleEntry:
    """An in-memory entry for an article row."""
    return ArticleEntry(
        pk=row.pk,
        slug=row.slug,
        locale=row.locale,
        topic=row.topic,
        category_id=row.category_id,
        title=row.title,
        summary=row.summary,
        body=row.body,
        keywords=tuple(row.keywords or ()),
        steps=tuple(row.steps or ()),
        actions=tuple(row.actions or ()),
    )


async def _generation(services: Services) -> str:
    return str(await services.redis.get(GENERATION_KEY) or "0")


async def build_library(services: Services, generation: str | None = None) -> Library:
    """Read the published articles and index them (the CPU part runs in a thread)."""
    generation = generation if generation is not None else await _generation(services)
    rows = await HelpArticle.filter(published=True).order_by("id")
    entries = [entry_from_row(r) for r in rows]
    return await asyncio.to_thread(Library, entries, generation)


async def get_library(services: Services) -> Library:
    """The current library; rebuilt when another request or process changed the articles."""
    state = services.stash.setdefault(STATE_KEY, _State())
    generation = await _generation(services)
    library = state.library
    if library is not None and library.generation == generation:
        return library
    if library is not None and state.lock.locked():
        return library  # a rebuild is under way: answer from the previous library meanwhile
    async with state.lock:
        if state.library is None or state.library.generation != generation:
            state.library = await build_library(services, generation)
        return state.library


async def articles_changed(services: Services) -> None:
    """Mark the library stale everywhere (call after any article write)."""
    from core.events import Event

    # A fresh random token rather than a counter: a flushed redis must not match an old library.
    await services.redis.set(GENERATION_KEY, uuid.uuid4().hex)
    await services.events.publish(Event("helpcenter.articles_changed"))
