"""What other plugins may call (see docs/contracts.md): help content for the assistant, and the
figures that show where help content is missing. `HelpArticle` is the GraphQL type for
`strawberry.lazy("plugins.helpcenter.api")`. The search machinery (`SearchIndex` over
`SearchDocument`s, BM25 with synonyms and snippets; `concepts_in` for the synonym concepts of a
text) serves forum search and the assistant too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.functions import Sum

from core.context import Services
from plugins.helpcenter import models
from plugins.helpcenter.library import ArticleEntry, Library, get_library
from plugins.helpcenter.loader import CONTENT_DIR, load_articles
from plugins.helpcenter.models import HelpFeedback, HelpSearchMiss
from plugins.helpcenter.search import SearchDocument, SearchIndex, SearchResult
from plugins.helpcenter.search.synonyms import concepts_in
from plugins.helpcenter.types import HelpArticle

__all__ = [
    "ArticleEntry",
    "HelpArticle",
    "ArticleFeedbackStat",
    "Library",
    "SearchDocument",
    "SearchIndex",
    "SearchResult",
    "article_for_topic",
    "concepts_in",
    "ensure_seeded",
    "failed_searches",
    "help_library",
    "load_help_articles",
    "search_articles",
    "shipped_articles",
    "unhelpful_articles",
]


@dataclass(frozen=True)
class ArticleFeedbackStat:
    """How readers rated one article in a period."""

    slug: str
    topic: str
    title: str
    helpful: int
    unhelpful: int
    comments: list[str]


async def failed_searches(since: datetime, until: datetime, limit: int = 20) -> list[tuple[str, str, int]]:
    """(query, language, count) of searches without a good hit, most frequent first."""
    rows = (
        await HelpSearchMiss.filter(created_at__gte=since, created_at__lt=until)
        .annotate(misses=Sum("count"))
        .group_by("query", "language")
        .order_by("-misses", "query")
        .limit(limit)
        .values("query", "language", "misses")
    )
    return [(r["query"], r["language"], r["misses"]) for r in rows]


async def unhelpful_articles(since: datetime, until: datetime, limit: int = 20) -> list[ArticleFeedbackStat]:
    """Articles with the most "not helpful" answers in the period (and their comments)."""
    rows = await HelpFeedback.filter(created_at__gte=since, created_at__lt=until).values(
        "article_id", "helpful", "comment"
    )
    tally: dict[int, list[Any]] = {}
    for row in rows:
        entry = tally.setdefault(row["article_id"], [0, 0, []])
        entry[0 if row["helpful"] else 1] += 1
        if row["comment"]:
            entry[2].append(row["comment"])
    ranked = sorted((pk for pk in tally if tally[pk][1]), key=lambda pk: (-tally[pk][1], pk))[:limit]
    articles = {a.pk: a for a in await models.HelpArticle.filter(id__in=ranked)}
    return [
        ArticleFeedbackStat(
            articles[pk].slug,
            articles[pk].topic,
            articles[pk].title,
            tally[pk][0],
            tally[pk][1],
            tally[pk][2][:20],
        )
        for pk in ranked
        if pk in articles
    ]


async def help_library(services: Services) -> Library:
    """The process's in-memory library of published articles: `.article(topic, language)`,
    `.topic_scores(query, language)`, `.search(query, language, k)` (read-only)."""
    return await get_library(services)


async def article_for_topic(services: Services, topic: str, language: str) -> ArticleEntry | None:
    """The published article of `topic` in `language` (else the other language), from memory."""
    return (await get_library(services)).article(topic, language)


async def search_articles(
    services: Services, query: str, language: str, k: int = 5
) -> list[tuple[ArticleEntry, float]]:
    """The best published articles for `query` with their BM25 scores (no snippets, no logging)."""
    library = await get_library(services)
    documents, scores = library.index.scores(query, language)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    return [(library.by_pk[int(documents[i].id)], float(scores[i])) for i in order if scores[i] > 0]


async def load_help_articles(context: Any, pks: Sequence[int]) -> list[Any]:
    """GraphQL `HelpArticle`s for primary keys (batched per request; missing ones dropped)."""
    from plugins.helpcenter import service

    loader = context.loader("helpcenter.articles", service.articles_by_ids)
    return [HelpArticle.from_model(a) for a in await loader.load_many(list(pks)) if a is not None]


async def ensure_seeded(services: Services) -> int:
    """Seed every plugin's shipped articles now (idempotent) and refresh the library; returns
    how many articles were written. For tests and commands that empty the tables."""
    from plugins.helpcenter.library import articles_changed
    from plugins.helpcenter.seed import seed_help_content

    written = await seed_help_content(services)
    await articles_changed(services)
    return written


def shipped_articles() -> list[Any]:
    """The help center's own Markdown articles (`ArticleSource`s), read from the package."""
    return load_articles([CONTENT_DIR])
