"""Searches without a good hit, aggregated: one row per normalised query, language and UTC day
with a count, so anonymous searches cannot grow the table one row per request. At most
`MAX_QUERIES_PER_DAY` distinct queries are kept a day; further new queries are counted on one
`OTHER_QUERIES` row."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from plugins.helpcenter.models import HelpSearchMiss

MAX_QUERIES_PER_DAY = 5_000
#: The row that counts new queries past the daily cap.
OTHER_QUERIES = "…"
#: The longest query kept (the column's size); longer searches are cut.
MAX_QUERY_CHARS = 200


def normalise(query: str) -> str:
    """Case-folded, whitespace collapsed, at most `MAX_QUERY_CHARS` (one row for every spelling
    that differs only in case or spacing)."""
    return " ".join(query.casefold().split())[:MAX_QUERY_CHARS]


async def _bump(query: str, language: str, day: date) -> bool:
    return bool(
        await HelpSearchMiss.filter(query=query, language=language, day=day).update(count=F("count") + 1)
    )


async def record_miss(query: str, language: str, best: float) -> None:
    """Count one miss of `query` today: an UPDATE of its row, or one new row (savepoint-safe
    against a concurrent first miss of the same query)."""
    text, day = normalise(query), datetime.now(UTC).date()
    if not text or await _bump(text, language, day):
        return
    if await HelpSearchMiss.filter(day=day).count() >= MAX_QUERIES_PER_DAY:
        text = OTHER_QUERIES
        if await _bump(text, language, day):
            return
    try:
        async with in_transaction():
            await HelpSearchMiss.create(query=text, language=language, day=day, best_score=best)
    except IntegrityError:  # the same query's first miss was written concurrently
        await _bump(text, language, day)
