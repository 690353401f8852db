"""The peers' database access: raw aiosqlite (SQLite) or an asyncpg pool (PostgreSQL), `$n` params."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from typing import Any

import aiosqlite
import asyncpg

from core.security import derive_key
from schema.relay import to_global_id

#: The two statements of the article list, and the one of `me` (same as selfserve issues).
ARTICLES_SQL = (
    "SELECT id, slug, topic, title, summary, locale, updated_at, helpful_count, version, media, category_id "
    "FROM helpcenter_article WHERE published = $1 AND locale = $2 ORDER BY id LIMIT $3"
)
CATEGORIES_SQL = "SELECT id, key, name_en FROM helpcenter_category WHERE id IN ({ids})"
USER_SQL = "SELECT id, display_name FROM account_user WHERE id = $1"
_PARAM = re.compile(r"\$\d+")


class Database:
    """`fetch(sql, *args)` -> list of tuples, on SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._sqlite: Any = None
        self._pool: Any = None

    async def open(self) -> None:
        if self.url.startswith("sqlite://"):
            self._sqlite = await aiosqlite.connect(self.url.removeprefix("sqlite://"))
        else:
            self._pool = await asyncpg.create_pool(self.url, min_size=2, max_size=10)

    async def close(self) -> None:
        if self._sqlite is not None:
            await self._sqlite.close()
        if self._pool is not None:
            await self._pool.close()

    async def fetch(self, sql: str, *args: Any) -> list[tuple]:
        if self._sqlite is not None:
            async with self._sqlite.execute(_PARAM.sub("?", sql), args) as cursor:
                return list(await cursor.fetchall())
        async with self._pool.acquire() as connection:
            return [tuple(row) for row in await connection.fetch(sql, *args)]

    @property
    def is_sqlite(self) -> bool:
        return self._sqlite is not None


def database_url() -> str:
    """The database selfserve runs on (the bench sets it for all three servers)."""
    return os.environ["BENCH_PEER_DATABASE_URL"]


def access_key() -> bytes:
    """selfserve's access-token key, derived the same way from the same secret."""
    return derive_key(os.environ["SELFSERVE_SECRET_KEY"], "access-token")


def timestamp(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def media_of(value: Any) -> list[dict]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def article_rows(db: Database, first: int) -> tuple[list[tuple], dict[int, tuple]]:
    """The two queries of the list: the page of English articles, then their categories."""
    published = 1 if db.is_sqlite else True
    rows = await db.fetch(ARTICLES_SQL, published, "en", first + 1)
    rows = rows[:first]
    ids = sorted({row[10] for row in rows})
    marks = ", ".join(f"${i + 1}" for i in range(len(ids)))
    categories = {c[0]: c for c in await db.fetch(CATEGORIES_SQL.format(ids=marks), *ids)} if ids else {}
    return rows, categories


def user_id(pk: int) -> str:
    return to_global_id("User", pk)


def article_id(pk: int) -> str:
    return to_global_id("HelpArticle", pk)
