"""Help center business logic: reading, searching, feedback and the admin's article editing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError, NotFound
from core.pagination import Page, page_by_key
from plugins.helpcenter.library import articles_changed, get_library
from plugins.helpcenter.misses import MAX_QUERY_CHARS, record_miss
from plugins.helpcenter.models import (
    HelpArticle,
    HelpArticleVersion,
    HelpCategory,
    HelpFeedback,
)
from plugins.helpcenter.search import sanitize
from plugins.helpcenter.seed import CONTENT_FIELDS

MAX_SEARCH_RESULTS = 20
#: Below this BM25 score the best hit is not a good answer: the query is logged as a miss.
GOOD_HIT_SCORE = 2.0
FEEDBACK_LIMIT = (30, 3600)  # per IP or user: answers per hour


async def categories() -> list[HelpCategory]:
    """All categories in display order."""
    return await HelpCategory.all().order_by("position", "id")


async def categories_by_ids(ids: Sequence[int]) -> list[HelpCategory | None]:
    """Categories in the order of `ids` (one query)."""
    rows = {c.pk: c for c in await HelpCategory.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def articles_by_ids(ids: Sequence[int]) -> list[HelpArticle | None]:
    """Articles in the order of `ids` (one query)."""
    rows = {a.pk: a for a in await HelpArticle.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def article_by_slug(
    slug: str, language: str, *, include_unpublished: bool = False
) -> HelpArticle | None:
    """The article `slug` in `language`, else in the other language."""
    query = HelpArticle.filter(slug=sanitize(slug)[:100])
    if not include_unpublished:
        query = query.filter(published=True)
    rows = await query
    return next((a for a in rows if a.locale == language), rows[0] if rows else None)


#: What a `HelpArticle` GraphQL object is built from (`articles_page` rows have these and `id`).
ARTICLE_COLUMNS = (
    "category_id",
    "slug",
    "topic",
    "title",
    "summary",
    "body",
    "steps",
    "locale",
    "media",
    "actions",
    "updated_at",
    "helpful_count",
    "published",
    "version",
)


async def articles_page(
    language: str, category: str | None, topic: str | None, first: int | None, after: str | None
) -> Page:
    """Published articles in `language`, optionally of one category or topic, oldest first; the
    items are `core.rows.Row`s of `ARTICLE_COLUMNS` (no models built: the help center's hot list)."""
    query = HelpArticle.filter(published=True, locale=language)
    if category:
        query = query.filter(category__key=sanitize(category)[:32])
    if topic:
        query = query.filter(topic=sanitize(topic)[:64])
    return await page_by_key(query, first, after, descending=False, columns=ARTICLE_COLUMNS)


async def search(services: Services, query: str, language: str, first: int) -> list[tuple[int, float, str]]:
    """(article pk, score, snippet) of the best articles; a query without a good hit is counted
    (`plugins.helpcenter.misses`: one row per query and day, not one per request)."""
    text = " ".join(sanitize(query).split())[:MAX_QUERY_CHARS]
    if not text or first <= 0:
        return []
    library = await get_library(services)
    hits = library.search(text, language, min(first, MAX_SEARCH_RESULTS))
    best = hits[0][1] if hits else 0.0
    if best < GOOD_HIT_SCORE:
        await record_miss(text, language, best)
    return [(entry.pk, score, snippet) for entry, score, snippet in hits]


async def record_feedback(
    services: Services, article_pk: int, *, helpful: bool, comment: str | None, user_id: str | None, ip: str
) -> None:
    """Count a "was this helpful?" answer (rate-limited per user or IP)."""
    limit, window = FEEDBACK_LIMIT
    await services.rate_limiter.hit(f"helpcenter:feedback:{user_id or ip}", limit, window)
    comment = sanitize(comment or "").strip()
    if len(comment) > 2000:
        raise DomainError("INVALID_INPUT", field="comment", detail="at most 2,000 characters")
    if not await HelpArticle.exists(id=article_pk, published=True):
        raise NotFound()
    async with in_transaction():
        await HelpFeedback.create(
            article_id=article_pk, user_id=int(user_id) if user_id else None, helpful=helpful, comment=comment
        )
        counter = "helpful_count" if helpful else "unhelpful_count"
        await HelpArticle.filter(id=article_pk).update(**{counter: F(counter) + 1})


# --- admin ------------------------------------------------------------------------------------


async def _category_id(key: str) -> int:
    category = await HelpCategory.get_or_none(key=key)
    if category is None:
        keys = ", ".join(c.key for c in await categories())
        raise DomainError("UNKNOWN_CATEGORY", field="input.category", categories=keys)
    return category.pk


async def create_article(
    services: Services, editor_id: str | int | None, values: dict[str, Any]
) -> HelpArticle:
    """A new article (version 1), published or as a draft."""
    category_id = await _category_id(values.pop("category"))
    content = {f: values[f] for f in CONTENT_FIELDS}
    try:
        async with in_transaction():
            article = await HelpArticle.create(
                slug=values["slug"],
                locale=values["locale"],
                topic=values["topic"],
                category_id=category_id,
                published=values["published"],
                **content,
            )
            await HelpArticleVersion.create(
                article_id=article.pk,
                version=1,
                editor_id=int(editor_id) if editor_id is not None else None,
                note="created",
                **content,
            )
    except IntegrityError:
        raise DomainError("SLUG_TAKEN", field="input.slug") from None
    await articles_changed(services)
    return article


async def update_article(
    services: Services, editor_id: str | int | None, pk: int, changes: dict[str, Any], note: str
) -> HelpArticle:
    """Apply the changed fields as a new version (the previous versions stay)."""
    async with in_transaction():
        article = await HelpArticle.filter(id=pk).select_for_update().first()
        if article is None:
            raise NotFound()
        if "category" in changes:
            article.category_id = await _category_id(changes.pop("category"))
        for name, value in changes.items():
            setattr(article, name, value)
        article.version += 1
        article.source_hash = ""  # edited by a person: seeding no longer overwrites it
        await article.save()
        await HelpArticleVersion.create(
            article_id=pk,
            version=article.version,
            editor_id=int(editor_id) if editor_id is not None else None,
            note=note[:300],
            **{f: getattr(article, f) for f in CONTENT_FIELDS},
        )
    await articles_changed(services)
    return article


async def set_published(services: Services, pk: int, published: bool) -> HelpArticle:
    """Publish or unpublish an article (search and the assistant follow at once)."""
    article = await HelpArticle.get_or_none(id=pk)
    if article is None:
        raise NotFound()
    if article.published != published:
        article.published = published
        await article.save(update_fields=["published", "updated_at"])
        await articles_changed(services)
    return article


async def versions(pk: int) -> list[HelpArticleVersion]:
    """Every saved version of an article, newest first."""
    if not await HelpArticle.exists(id=pk):
        raise NotFound()
    return await HelpArticleVersion.filter(article_id=pk).order_by("-version").limit(100)


async def revert_article(
    services: Services, editor_id: str | int | None, pk: int, version: int, note: str
) -> HelpArticle:
    """Restore the content of saved `version` as a new version (history is never rewritten)."""
    saved = await HelpArticleVersion.get_or_none(article_id=pk, version=version)
    if saved is None:
        if not await HelpArticle.exists(id=pk):
            raise NotFound()
        raise NotFound(field="input.version")
    changes = {f: getattr(saved, f) for f in CONTENT_FIELDS}
    return await update_article(services, editor_id, pk, changes, note or f"reverted to version {version}")
