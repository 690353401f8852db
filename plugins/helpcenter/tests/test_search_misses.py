"""Anonymous searches without a good hit cannot grow the database one row per request (issue 11
#21): misses are counted per normalised query, language and day, with a daily cap on distinct
queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.helpcenter import api, misses
from plugins.helpcenter.models import HelpSearchMiss
from plugins.helpcenter.tests.test_search import SEARCH


async def _rows(client) -> int:
    with use_orm(client.services.orm):
        return await HelpSearchMiss.all().count()


async def test_repeated_anonymous_misses_are_one_counted_row(help_client):
    # given an anonymous caller repeating a query with no good hit in many spellings
    spellings = ["zxqv plorb", "ZXQV PLORB", "  zxqv   plorb ", "Zxqv\tPlorb"]
    for index in range(120):
        body = await help_client.gql(
            SEARCH, {"q": spellings[index % len(spellings)]}, headers={"Accept-Language": "en"}
        )
        assert body["data"]["helpSearch"] == [], body
    # then one row holds them all, and the report still counts every search
    assert await _rows(help_client) == 1
    now = datetime.now(UTC)
    with use_orm(help_client.services.orm):
        failed = await api.failed_searches(now - timedelta(hours=1), now + timedelta(minutes=1))
    assert failed == [("zxqv plorb", "en", 120)]


async def test_distinct_random_misses_stop_at_the_daily_cap(help_client, monkeypatch):
    # given a small cap on distinct queries a day
    monkeypatch.setattr(misses, "MAX_QUERIES_PER_DAY", 5)
    # when an attacker sends 40 different nonsense queries
    for index in range(40):
        await help_client.gql(SEARCH, {"q": f"qqzx{index:03d} vvbn"}, headers={"Accept-Language": "en"})
    # then the table holds the cap plus one overflow row, and nothing was lost from the total
    assert await _rows(help_client) == 6
    now = datetime.now(UTC)
    with use_orm(help_client.services.orm):
        failed = await api.failed_searches(now - timedelta(hours=1), now + timedelta(minutes=1))
    assert sum(count for _, _, count in failed) == 40
    assert (misses.OTHER_QUERIES, "en", 35) in failed
