"""helpSearch: Chinese and English queries, synonyms, snippets, caps, and the log of misses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.helpcenter import api
from plugins.helpcenter.search import SearchDocument, SearchIndex

SEARCH = """query($q: String!, $first: Int) { helpSearch(query: $q, first: $first) {
  score snippet article { slug topic locale } } }"""


async def _top(client, query, language):
    body = await client.gql(SEARCH, {"q": query}, headers={"Accept-Language": language})
    return body["data"]["helpSearch"]


async def test_chinese_queries_find_the_right_article(help_client):
    cases = {
        "抖币怎么退款": "payments.refund",
        "账号被封了怎么办": "appeals.account_banned",
        "忘记密码": "account.password_reset",
        "怎么开直播": "features.live",
    }
    for query, topic in cases.items():
        hits = await _top(help_client, query, "zh-CN")
        assert hits[0]["article"]["topic"] == topic, query
        assert hits[0]["article"]["locale"] == "zh-CN"
        assert "<mark>" in hits[0]["snippet"]


async def test_english_queries_use_stemming_and_synonyms(help_client):
    assert (await _top(help_client, "refunding my coins", "en"))[0]["article"]["topic"] == "payments.refund"
    assert (await _top(help_client, "money back", "en"))[0]["article"]["topic"] == "payments.refund"
    hits = await _top(help_client, "I forgot my password", "en")
    assert hits[0]["article"]["topic"] == "account.password_reset"
    assert hits[0]["article"]["locale"] == "en"


async def test_synonyms_cross_languages():
    index = SearchIndex(
        [
            SearchDocument("1", "zh-CN", "充值", "购买抖币的方法"),
            SearchDocument("2", "zh-CN", "直播", "开播条件"),
        ]
    )
    assert index.search("钻石怎么买", "zh-CN", 2)[0].id == "1"
    assert index.search("coins", "zh-CN", 2)[0].id == "1"  # English synonym of 抖币
    assert index.search("", "zh-CN", 2) == []


async def test_first_is_capped_and_empty_queries_answer_nothing(help_client):
    body = await help_client.gql(SEARCH, {"q": "账号", "first": 10000})
    assert 0 < len(body["data"]["helpSearch"]) <= 20
    for query in ("", "   ", "\u0001"):
        body = await help_client.gql(SEARCH, {"q": query})
        assert body["data"]["helpSearch"] == [], query
    body = await help_client.gql(SEARCH, {"q": "\u0000\u0001"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TEXT"
    long = await help_client.gql(SEARCH, {"q": "密码" * 10000})
    assert "errors" not in long


async def test_queries_without_a_good_hit_are_logged(help_client):
    await help_client.gql(SEARCH, {"q": "zxqv plorb"}, headers={"Accept-Language": "en"})
    await help_client.gql(SEARCH, {"q": "zxqv plorb"}, headers={"Accept-Language": "en"})
    await help_client.gql(SEARCH, {"q": "退款"}, headers={"Accept-Language": "zh-CN"})
    now = datetime.now(UTC)
    with use_orm(help_client.services.orm):
        failed = await api.failed_searches(now - timedelta(hours=1), now + timedelta(minutes=1))
    assert failed == [("zxqv plorb", "en", 2)]
