"""Seeding the database from the Markdown every plugin ships: idempotent, safe to run from several
processes at once, and never overwriting an article an admin has edited."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from plugins.helpcenter.categories import CATEGORIES
from plugins.helpcenter.loader import ArticleSource, content_directories, load_articles
from plugins.helpcenter.models import HelpArticle, HelpArticleVersion, HelpCategory

CONTENT_FIELDS = ("title", "summary", "body", "keywords", "steps", "media", "actions")


async def seed_categories() -> dict[str, int]:
    """Create missing categories; returns key -> primary key."""
    existing = {c.key: c.pk for c in await HelpCategory.all()}
    for position, (key, (name_en, name_zh, desc_en, desc_zh)) in enumerate(CATEGORIES.items()):
        if key in existing:
            continue
        try:
            category = await HelpCategory.create(
                key=key,
                name_en=name_en,
                name_zh=name_zh,
                description_en=desc_en,
                description_zh=desc_zh,
                position=position,
            )
            existing[key] = category.pk
        except IntegrityError:  # another process seeded it first
            existing[key] = (await HelpCategory.get(key=key)).pk
    return existing


async def seed_articles(sources: list[ArticleSource]) -> int:
    """Insert new articles and refresh unedited ones whose file changed; returns rows written."""
    categories = await seed_categories()
    rows = {
        (a.slug, a.locale): a
        for a in await HelpArticle.all().only("id", "slug", "locale", "source_hash", "version")
    }
    if not rows:
        return await _bulk_insert(sources, categories)
    written = 0
    for source in sources:
        fingerprint = source.fingerprint()
        row = rows.get((source.slug, source.locale))
        if row is not None and (row.source_hash == fingerprint or not row.source_hash):
            continue  # unchanged, or edited by an admin (the admin's text wins)
        values = {f: getattr(source, f) for f in CONTENT_FIELDS}
        try:
            async with in_transaction():
                if row is None:
                    row = await HelpArticle.create(
                        slug=source.slug,
                        locale=source.locale,
                        topic=source.topic,
                        category_id=categories[source.category],
                        published=True,
                        source_hash=fingerprint,
                        **values,
                    )
                else:
                    row.version += 1
                    await HelpArticle.filter(id=row.pk).update(
                        source_hash=fingerprint,
                        version=row.version,
                        topic=source.topic,
                        category_id=categories[source.category],
                        **values,
                    )
                await HelpArticleVersion.create(article_id=row.pk, version=row.version, note="seed", **values)
            written += 1
        except IntegrityError:
            continue  # a concurrent process seeded the same article
    return written


async def seed_help_content(services: Services) -> int:
    """Seed from every plugin's `register_help_content` directories."""
    return await seed_articles(load_articles(content_directories(services.pm)))


async def _bulk_insert(sources: list[ArticleSource], categories: dict[str, int]) -> int:
    """First seeding of an empty table: two statements instead of two per article."""
    try:
        async with in_transaction():
            await HelpArticle.bulk_create(
                [
                    HelpArticle(
                        slug=s.slug,
                        locale=s.locale,
                        topic=s.topic,
                        category_id=categories[s.category],
                        published=True,
                        source_hash=s.fingerprint(),
                        **{f: getattr(s, f) for f in CONTENT_FIELDS},
                    )
                    for s in sources
                ]
            )
            ids = {
                (a["slug"], a["locale"]): a["id"]
                for a in await HelpArticle.all().values("id", "slug", "locale")
            }
            await HelpArticleVersion.bulk_create(
                [
                    HelpArticleVersion(
                        article_id=ids[(s.slug, s.locale)],
                        version=1,
                        note="seed",
                        **{f: getattr(s, f) for f in CONTENT_FIELDS},
                    )
                    for s in sources
                ]
            )
    except IntegrityError:
        return 0  # another process seeded concurrently
    return len(sources)
