"""GraphQL operations of the help center: thin resolvers over `service`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core import audit
from core.roles import Role
from plugins.helpcenter import service, validation
from plugins.helpcenter.qrcode import qr_svg, self_service_url
from plugins.helpcenter.types import (
    HelpArticle,
    HelpArticleVersion,
    HelpCategory,
    HelpError,
    HelpMedia,
    HelpSearchHit,
    prime_categories,
)
from schema.cache_hints import cache_hint
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection, int_pk

HelpArticleResult = Annotated[HelpArticle | HelpError, strawberry.union("HelpArticleResult")]
HelpArticleRevertResult = Annotated[HelpArticle | HelpError, strawberry.union("HelpArticleRevertResult")]
HelpMediaUploadResult = Annotated[HelpMedia | HelpError, strawberry.union("HelpMediaUploadResult")]


@strawberry.input(description="Replace a help media file with a real screenshot or video (ADMIN).")
class HelpMediaUploadInput:
    name: str = strawberry.field(
        description="The file's name under /media/help/, e.g. `password-reset-1.png`."
    )
    file: Upload = strawberry.field(
        description="PNG, JPEG or WebP up to 5 MB for an image name; MP4 or WebM up to 50 MB for a video name."
    )


@strawberry.input(description="Restore a saved version of an article (ADMIN); saved as a new version.")
class HelpArticleRevertInput:
    id: strawberry.ID = strawberry.field(description="The article.")
    version: int = strawberry.field(description="The version to restore (see helpArticleVersions).")
    note: str = strawberry.field(default="", description="Why (kept with the new version).")


HelpArticleConnection = Annotated[Connection[HelpArticle], strawberry.lazy("plugins.helpcenter.types")]


@strawberry.input(description="An image or video of a guide.")
class HelpMediaInput:
    kind: str = strawberry.field(description="image or video.")
    url: str = strawberry.field(description="A path on this site or an http(s) URL.")
    caption: str = strawberry.field(default="", description="What it shows.")


@strawberry.input(description="A new article (ADMIN).")
class HelpArticleCreateInput:
    slug: str = strawberry.field(description="Lower-case letters, digits, hyphens; shared by both languages.")
    locale: str = strawberry.field(description="zh-CN or en.")
    topic: str = strawberry.field(description="Topic key, e.g. account.password_reset.")
    category: str = strawberry.field(description="Category key.")
    title: str = strawberry.field(description="Title, at most 200 characters.")
    body: str = strawberry.field(description="Markdown body.")
    summary: str = strawberry.field(
        default="", description="The answer in two sentences (the assistant quotes it)."
    )
    keywords: list[str] = strawberry.field(default_factory=list, description="Search keywords and synonyms.")
    steps: list[str] = strawberry.field(default_factory=list, description="Ordered steps.")
    media: list[HelpMediaInput] = strawberry.field(default_factory=list, description="Images and videos.")
    published: bool = strawberry.field(default=False, description="Publish at once (default: draft).")


@strawberry.input(description="Changes to an article (ADMIN); omitted fields stay. Saved as a new version.")
class HelpArticleUpdateInput:
    id: strawberry.ID = strawberry.field(description="The article.")
    title: str | None = strawberry.field(default=None, description="New title.")
    body: str | None = strawberry.field(default=None, description="New Markdown body.")
    summary: str | None = strawberry.field(default=None, description="New summary.")
    category: str | None = strawberry.field(default=None, description="New category key.")
    keywords: list[str] | None = strawberry.field(default=None, description="New keywords.")
    steps: list[str] | None = strawberry.field(default=None, description="New steps.")
    media: list[HelpMediaInput] | None = strawberry.field(default=None, description="New media.")
    note: str = strawberry.field(default="", description="What changed (kept with the version).")


#: Published help content is the same for every anonymous reader of a language: shared caches
#: (CDN, browser) may keep it for minutes (selfserve/http_cache.py; Vary covers the language).
HELP_CONTENT = cache_hint(max_age=300)
#: A QR code depends only on its path and the deployment's URL.
QR_CODE = cache_hint(max_age=3600)


def _pk(article_id: str) -> int:
    return int_pk(article_id, "HelpArticle", field="id")


def _is_admin(info: Info) -> bool:
    caller = info.context.caller
    return bool(caller and (caller.has_role(Role.ADMIN) or caller.has_permission("helpcenter:write")))


@strawberry.type
class HelpQuery:
    @strawberry.field(description="Every help category in display order.", metadata=HELP_CONTENT)
    async def help_categories(self) -> list[HelpCategory]:
        return [HelpCategory.from_model(c) for c in await service.categories()]

    @strawberry.field(
        description="An article by slug in the request's language (else the other one); null if absent.",
        metadata=HELP_CONTENT,
    )
    async def help_article(self, info: Info, slug: str) -> HelpArticle | None:
        found = await service.article_by_slug(
            slug, info.context.language, include_unpublished=_is_admin(info)
        )
        return HelpArticle.from_model(found) if found else None

    @strawberry.field(
        description="Published articles in the request's language, by category or topic.",
        metadata=HELP_CONTENT,
    )
    async def help_articles(
        self,
        info: Info,
        category: str | None = None,
        topic: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> HelpArticleConnection:
        page = await service.articles_page(info.context.language, category, topic, first, after)
        found = connection(page, HelpArticle.from_model)
        await prime_categories(info.context, found.nodes)
        return found

    @strawberry.field(
        description="Search the help center in the request's language (`first` at most 20).",
        metadata=HELP_CONTENT,
    )
    async def help_search(self, info: Info, query: str, first: int | None = 5) -> list[HelpSearchHit]:
        hits = await service.search(
            info.context.services, query, info.context.language, 5 if first is None else first
        )
        loader = info.context.loader("helpcenter.articles", service.articles_by_ids)
        rows = await loader.load_many([pk for pk, _, _ in hits])
        return [
            HelpSearchHit(article=HelpArticle.from_model(row), score=round(score, 4), snippet=snippet)
            for row, (_, score, snippet) in zip(rows, hits, strict=True)
            if row is not None
        ]

    @strawberry.field(
        description="An SVG QR code that opens the self-service page at `path` (e.g. /self-service/account/reset-password).",
        metadata=QR_CODE,
    )
    def help_qr_code(self, info: Info, path: str) -> str:
        return qr_svg(self_service_url(info.context.services.settings.base_url, path))

    @strawberry.field(
        description="Saved versions of an article, newest first (ADMIN).",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_article_versions(self, info: Info, id: strawberry.ID) -> list[HelpArticleVersion]:
        return [HelpArticleVersion.from_model(v) for v in await service.versions(_pk(id))]


@strawberry.type
class HelpMutation:
    @strawberry.mutation(
        description="Answer “was this helpful?” for an article (anonymous allowed, rate-limited)."
    )
    async def help_article_feedback(
        self, info: Info, id: strawberry.ID, helpful: bool, comment: str | None = None
    ) -> bool:
        actor = info.context.actor
        await service.record_feedback(
            info.context.services,
            _pk(id),
            helpful=helpful,
            comment=comment,
            user_id=actor.user_id if actor else None,
            ip=info.context.ip,
        )
        return True

    @strawberry.mutation(
        description="Create an article, as a draft or published (ADMIN).",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_article_create(self, info: Info, input: HelpArticleCreateInput) -> HelpArticleResult:
        actor = info.context.require_caller()
        validation.check_identity(input.slug, input.locale, input.topic)
        values = {
            "slug": input.slug,
            "locale": input.locale,
            "topic": input.topic,
            "category": input.category,
            "title": validation.clean_text("title", input.title),
            "body": validation.clean_text("body", input.body),
            "summary": validation.clean_text("summary", input.summary, required=False),
            "keywords": validation.clean_list("keywords", input.keywords, 50, 50),
            "steps": validation.clean_list("steps", input.steps, 30, 300),
            "media": validation.clean_media(input.media),
            "actions": [],
            "published": input.published,
        }
        return HelpArticle.from_model(
            await service.create_article(info.context.services, actor.user_pk, values)
        )

    @strawberry.mutation(
        description="Edit an article; the previous text stays as a version (ADMIN).",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_article_update(self, info: Info, input: HelpArticleUpdateInput) -> HelpArticleResult:
        actor = info.context.require_caller()
        changes: dict = {}
        for name in ("title", "body", "summary"):
            if getattr(input, name) is not None:
                changes[name] = validation.clean_text(name, getattr(input, name), required=name != "summary")
        if input.keywords is not None:
            changes["keywords"] = validation.clean_list("keywords", input.keywords, 50, 50)
        if input.steps is not None:
            changes["steps"] = validation.clean_list("steps", input.steps, 30, 300)
        if input.media is not None:
            changes["media"] = validation.clean_media(input.media)
        if input.category is not None:
            changes["category"] = input.category
        article = await service.update_article(
            info.context.services, actor.user_pk, _pk(input.id), changes, input.note
        )
        return HelpArticle.from_model(article)

    @strawberry.mutation(
        description="Publish or unpublish an article (ADMIN).",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_article_publish(self, info: Info, id: strawberry.ID, published: bool) -> HelpArticleResult:
        return HelpArticle.from_model(await service.set_published(info.context.services, _pk(id), published))

    @strawberry.mutation(
        description="Replace a help media file with a real screenshot or video, checked by content "
        "(logged); /media/help/<name> serves it from then on, the shipped file stays as fallback.",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_media_upload(self, info: Info, input: HelpMediaUploadInput) -> HelpMediaUploadResult:
        from plugins.helpcenter.media_upload import kind_of, replace

        context = info.context
        record = await replace(context.services, context.caller, input.name, input.file, ip=context.ip)
        return HelpMedia(kind=kind_of(record.name), url=f"/media/help/{record.name}", caption="")

    @strawberry.mutation(
        description="Restore a saved version of an article as a new version (logged).",
        extensions=requires(Role.ADMIN, permission="helpcenter:write"),
    )
    async def help_article_revert(self, info: Info, input: HelpArticleRevertInput) -> HelpArticleRevertResult:
        context = info.context
        pk = _pk(input.id)
        article = await service.revert_article(
            context.services, context.require_caller().user_pk, pk, input.version, input.note[:300]
        )
        await audit.record(
            context.services,
            actor=context.caller,
            action="help.article_reverted",
            target_type="HelpArticle",
            target_id=pk,
            reason=input.note or None,
            ip=context.ip,
            data={"version": input.version, "new_version": article.version},
        )
        return HelpArticle.from_model(article)
