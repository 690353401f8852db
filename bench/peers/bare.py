"""Bare Starlette: `POST /graphql` answered without GraphQL, the same SQL and the same JSON written
by hand (the workload is named by the `X-Bench-Workload` header). `uvicorn bench.peers.bare:app`."""

from __future__ import annotations

import contextlib

import jwt
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.peers.db import (
    USER_SQL,
    Database,
    access_key,
    article_id,
    article_rows,
    database_url,
    media_of,
    timestamp,
    user_id,
)

KEY = access_key()


async def me(request: Request) -> dict:
    try:
        claims = jwt.decode(
            request.headers.get("authorization", "").removeprefix("Bearer "), KEY, algorithms=["HS256"]
        )
    except jwt.PyJWTError:
        return {"data": {"me": None}}
    rows = await request.app.state.db.fetch(USER_SQL, int(claims["sub"]))
    return {"data": {"me": {"id": user_id(rows[0][0]), "displayName": rows[0][1]} if rows else None}}


async def articles(request: Request) -> dict:
    rows, categories = await article_rows(request.app.state.db, 100)
    nodes = [
        {
            "id": article_id(r[0]),
            "slug": r[1],
            "topic": r[2],
            "title": r[3],
            "summary": r[4],
            "locale": r[5],
            "updatedAt": timestamp(r[6]).isoformat(),
            "helpfulCount": r[7],
            "version": r[8],
            "media": [{"kind": m["kind"], "url": m["url"], "caption": m["caption"]} for m in media_of(r[9])],
            "category": {"key": categories[r[10]][1], "name": categories[r[10]][2]},
        }
        for r in rows
    ]
    return {"data": {"helpArticles": {"nodes": nodes}}}


WORKLOADS = {"me": me, "articles": articles}


async def graphql(request: Request) -> JSONResponse:
    try:
        await request.body()
    except ClientDisconnect:  # wrk hangs up at the end of a run
        return JSONResponse({})
    return JSONResponse(await WORKLOADS[request.headers.get("x-bench-workload", "me")](request))


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    app.state.db = Database(database_url())
    await app.state.db.open()
    try:
        yield
    finally:
        await app.state.db.close()


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[Route("/graphql", graphql, methods=["POST"]), Route("/health", health)], lifespan=lifespan
)
