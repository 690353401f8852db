"""Stock strawberry: strawberry's ASGI view on Starlette, each workload in one resolver written the
way a user of strawberry would (check the JWT and read the user; run the two queries and build
strawberry objects). `uvicorn bench.peers.stock:app`."""

from __future__ import annotations

import contextlib
from datetime import datetime

import jwt
import strawberry
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from bench.peers.db import (
    USER_SQL,
    Database,
    access_key,
    article_id,
    article_rows,
    database_url,
    media_of,
    timestamp,
)
from bench.peers.db import user_id as user_global_id

KEY = access_key()


@strawberry.type
class User:
    id: strawberry.ID
    display_name: str


@strawberry.type
class HelpMedia:
    kind: str
    url: str
    caption: str


@strawberry.type
class HelpCategory:
    key: str
    name: str


@strawberry.type
class HelpArticle:
    id: strawberry.ID
    slug: str
    topic: str
    title: str
    summary: str
    locale: str
    updated_at: datetime
    helpful_count: int
    version: int
    media: list[HelpMedia]
    category: HelpCategory


@strawberry.type
class HelpArticleConnection:
    nodes: list[HelpArticle]


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: strawberry.Info) -> User | None:
        header = info.context["request"].headers.get("authorization", "")
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), KEY, algorithms=["HS256"])
        except jwt.PyJWTError:
            return None
        rows = await info.context["request"].app.state.db.fetch(USER_SQL, int(claims["sub"]))
        return User(id=strawberry.ID(user_global_id(rows[0][0])), display_name=rows[0][1]) if rows else None

    @strawberry.field
    async def help_articles(self, info: strawberry.Info, first: int = 20) -> HelpArticleConnection:
        rows, categories = await article_rows(info.context["request"].app.state.db, first)
        return HelpArticleConnection(
            nodes=[
                HelpArticle(
                    id=strawberry.ID(article_id(r[0])),
                    slug=r[1],
                    topic=r[2],
                    title=r[3],
                    summary=r[4],
                    locale=r[5],
                    updated_at=timestamp(r[6]),
                    helpful_count=r[7],
                    version=r[8],
                    media=[
                        HelpMedia(kind=m["kind"], url=m["url"], caption=m["caption"]) for m in media_of(r[9])
                    ],
                    category=HelpCategory(key=categories[r[10]][1], name=categories[r[10]][2]),
                )
                for r in rows
            ]
        )


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    app.state.db = Database(database_url())
    await app.state.db.open()
    try:
        yield
    finally:
        await app.state.db.close()


async def health(request):
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["POST"]),
        Route("/health", health),
    ],
    lifespan=lifespan,
)
