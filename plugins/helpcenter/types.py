"""GraphQL types of the help center."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from core.roles import Role
from core.rows import Row
from plugins.helpcenter import service
from plugins.helpcenter.errors import CODES
from plugins.helpcenter.models import HelpArticle as ArticleModel
from plugins.helpcenter.models import HelpArticleVersion as VersionModel
from plugins.helpcenter.models import HelpCategory as CategoryModel
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Node, to_global_id


@strawberry.type(description="Why a help center operation failed.")
class HelpError(PluginError, codes=CODES, plugin="helpcenter"):
    pass


help_error_handler = HelpError.handler


def _zh(info: Info) -> bool:
    return info.context.language == "zh-CN"


@strawberry.type(description="A service area grouping help articles.")
class HelpCategory:
    record: strawberry.Private[CategoryModel]
    key: str = strawberry.field(
        description="Stable key: account, content, appeals, features, payments, ads, platform, premium."
    )

    @strawberry.field(description="Name in the request's language.")
    def name(self, info: Info) -> str:
        return self.record.name_zh if _zh(info) else self.record.name_en

    @strawberry.field(description="One-line description in the request's language.")
    def description(self, info: Info) -> str:
        return self.record.description_zh if _zh(info) else self.record.description_en

    @classmethod
    def from_model(cls, record: CategoryModel) -> HelpCategory:
        return cls(record=record, key=record.key)


@strawberry.type(description="An image or video of a step-by-step guide.")
class HelpMedia:
    kind: str = strawberry.field(description="image or video.")
    url: str = strawberry.field(description="Where the file is served.")
    caption: str = strawberry.field(description="What it shows.")

    @strawberry.field(
        description="Where to fetch the file: help media are public, so this is the `/media/help/` "
        "URL itself (null for media hosted elsewhere)."
    )
    def download_url(self) -> str | None:
        return self.url if self.url.startswith("/media/help/") else None


@strawberry.type(description="A help article (step-by-step guide or FAQ) in one language.")
class HelpArticle(Node):
    pk: strawberry.Private[int]
    category_id: strawberry.Private[int]
    slug: str = strawberry.field(description="Stable name shared by the article's languages.")
    topic: str = strawberry.field(description="Topic key, e.g. account.password_reset.")
    title: str = strawberry.field(description="Title.")
    summary: str = strawberry.field(description="The answer in two sentences.")
    body: str = strawberry.field(description="Markdown body.")
    steps: list[str] = strawberry.field(description="The ordered steps of the guide.")
    locale: str = strawberry.field(description="zh-CN or en.")
    media: list[HelpMedia] = strawberry.field(description="Images and videos of the guide.")
    actions: strawberry.Private[list[dict]]
    updated_at: datetime = strawberry.field(description="Last change.")
    helpful_count: int = strawberry.field(description="How many readers found it helpful.")
    published: bool = strawberry.field(
        description="False for drafts and unpublished articles (admins only see those)."
    )
    version: int = strawberry.field(description="Current version number (every edit adds one).")

    @strawberry.field(description="The article's category.")
    def category(self, info: Info) -> HelpCategory:
        # Not `async`: a list primes the loader (`prime_categories`), and then the category is
        # there without a coroutine per article; otherwise the loader batches as usual.
        loaded = category_loader(info.context).load(self.category_id)
        if loaded.done():
            return HelpCategory.from_model(loaded.result())
        return _category_later(loaded)  # pyright: ignore[reportReturnType] - strawberry awaits it

    @classmethod
    def from_model(cls, a: ArticleModel | Row) -> HelpArticle:
        """From an article model, or a `core.rows.Row` of `service.ARTICLE_COLUMNS`."""
        return cls(
            id=to_global_id("HelpArticle", a.pk),
            pk=a.pk,
            category_id=a.category_id,
            slug=a.slug,
            topic=a.topic,
            title=a.title,
            summary=a.summary,
            body=a.body,
            steps=list(a.steps or []),
            locale=a.locale,
            media=[
                HelpMedia(kind=m.get("kind", "image"), url=m.get("url", ""), caption=m.get("caption", ""))
                for m in a.media or []
            ],
            actions=list(a.actions or []),
            updated_at=a.updated_at,
            helpful_count=a.helpful_count,
            published=a.published,
            version=a.version,
        )


def category_loader(context: Any) -> Any:
    """The request's DataLoader of categories by primary key."""
    return context.loader("helpcenter.categories", service.categories_by_ids)


async def prime_categories(context: Any, articles: list[HelpArticle]) -> None:
    """Load the categories of `articles` in one query before their fields are resolved."""
    await category_loader(context).load_many(sorted({a.category_id for a in articles}))


async def _category_later(loaded: Any) -> HelpCategory:
    return HelpCategory.from_model(await loaded)


@strawberry.type(description="A search result: the article, its relevance and a highlighted passage.")
class HelpSearchHit:
    article: HelpArticle = strawberry.field(description="The matching article.")
    score: float = strawberry.field(description="BM25 relevance (higher is better).")
    snippet: str = strawberry.field(
        description="The best matching passage; matches wrapped in <mark>, the rest HTML-escaped."
    )


@strawberry.type(description="A saved state of an article (admins).")
class HelpArticleVersion:
    version: int = strawberry.field(description="Version number.")
    title: str = strawberry.field(description="Title at that version.")
    summary: str = strawberry.field(description="Summary at that version.")
    body: str = strawberry.field(description="Body at that version.")
    note: str = strawberry.field(description="What changed.")
    editor_id: strawberry.ID | None = strawberry.field(
        description="Who wrote it (User ID), null for seeded content."
    )
    created_at: datetime = strawberry.field(description="When it was saved.")

    @classmethod
    def from_model(cls, v: VersionModel) -> HelpArticleVersion:
        return cls(
            version=v.version,
            title=v.title,
            summary=v.summary,
            body=v.body,
            note=v.note,
            editor_id=to_global_id("User", v.editor_id) if v.editor_id else None,
            created_at=v.created_at,
        )


async def load_articles(ids, context) -> list[HelpArticle | None]:
    """Node loader: articles by primary key."""
    pks = [int(i) if str(i).isdigit() else 0 for i in ids]
    rows = await service.articles_by_ids(pks)
    return [HelpArticle.from_model(a) if a else None for a in rows]


def can_view_article(article: HelpArticle, context) -> bool:
    """Published articles are public; drafts only for admins."""
    return article.published or bool(context.actor and context.actor.has_role(Role.ADMIN))
