"""Reading the help center: categories, articles in both languages, pagination, QR codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from core.db import QueryCounter, use_orm
from plugins.helpcenter.models import HelpArticle

#: The topics the help center must cover (key, zh and en title, what the article explains).
TOPICS = Path(__file__).resolve().parent.parent / "topics.tsv"

CATEGORIES = "{ helpCategories { key name description } }"
ARTICLE = """query($slug: String!) { helpArticle(slug: $slug) {
  __typename id slug topic title body locale summary steps updatedAt helpfulCount
  category { key name } media { kind url caption } } }"""
ARTICLES = """query($category: String, $topic: String, $first: Int, $after: String) {
  helpArticles(category: $category, topic: $topic, first: $first, after: $after) {
    edges { cursor node { slug locale topic category { key } } } pageInfo { hasNextPage endCursor } } }"""
QR = "query($path: String!) { helpQrCode(path: $path) }"


def _topic_keys() -> list[str]:
    return [row["key"] for row in csv.DictReader(TOPICS.open(encoding="utf-8"), delimiter="\t")]


async def test_every_topic_has_a_published_article_in_both_languages(help_client):
    with use_orm(help_client.services.orm):
        rows = await HelpArticle.filter(published=True).values_list("topic", "locale")
    have = set(rows)
    missing = [(t, lang) for t in _topic_keys() for lang in ("zh-CN", "en") if (t, lang) not in have]
    assert not missing


async def test_categories_are_named_in_the_request_language(help_client):
    zh = await help_client.gql(CATEGORIES, headers={"Accept-Language": "zh-CN"})
    en = await help_client.gql(CATEGORIES, headers={"Accept-Language": "en"})
    keys = [c["key"] for c in zh["data"]["helpCategories"]]
    assert keys == ["account", "content", "appeals", "features", "payments", "ads", "platform", "premium"]
    assert zh["data"]["helpCategories"][0]["name"] == "账号安全"
    assert en["data"]["helpCategories"][0]["name"] == "Account security"


async def test_article_by_slug_follows_the_language(help_client):
    zh = await help_client.gql(ARTICLE, {"slug": "payments-refund"}, headers={"Accept-Language": "zh-CN"})
    en = await help_client.gql(ARTICLE, {"slug": "payments-refund"}, headers={"Accept-Language": "en"})
    article = zh["data"]["helpArticle"]
    assert article["__typename"] == "HelpArticle" and article["locale"] == "zh-CN"
    assert article["category"]["key"] == "payments" and article["steps"] and article["media"]
    assert en["data"]["helpArticle"]["title"] == "Refunds"
    missing = await help_client.gql(ARTICLE, {"slug": "no-such-article"})
    assert missing["data"]["helpArticle"] is None


async def test_articles_page_filters_and_caps_first(help_client):
    body = await help_client.gql(ARTICLES, {"category": "payments"}, headers={"Accept-Language": "en"})
    nodes = [e["node"] for e in body["data"]["helpArticles"]["edges"]]
    assert {n["topic"] for n in nodes} == {"payments.recharge", "payments.refund", "payments.failed"}
    assert {n["locale"] for n in nodes} == {"en"}
    capped = await help_client.gql(ARTICLES, {"first": 100000})
    assert len(capped["data"]["helpArticles"]["edges"]) == 36
    negative = await help_client.gql(ARTICLES, {"first": -1})
    assert negative["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    first = await help_client.gql(ARTICLES, {"first": 2})
    page = first["data"]["helpArticles"]["pageInfo"]
    second = await help_client.gql(ARTICLES, {"first": 2, "after": page["endCursor"]})
    assert page["hasNextPage"]
    assert second["data"]["helpArticles"]["edges"][0]["node"]["slug"] not in {
        e["node"]["slug"] for e in first["data"]["helpArticles"]["edges"]
    }
    bad = await help_client.gql(ARTICLES, {"after": "!!!"})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_article_list_statement_count_does_not_grow_with_page_size(help_client):
    counts = []
    for first in (5, 36):
        with QueryCounter() as counter:
            body = await help_client.gql(ARTICLES, {"first": first})
        assert len(body["data"]["helpArticles"]["edges"]) == first
        counts.append(len(counter.statements))
    assert counts[0] == counts[1]


async def test_qr_code_is_an_svg_of_a_link_on_this_site(help_client):
    body = await help_client.gql(QR, {"path": "/self-service/account/reset-password"})
    svg = body["data"]["helpQrCode"]
    assert svg.startswith("<svg") and "/self-service/account/reset-password" in svg
    for bad in ("https://evil.example/x", "//evil.example", "/../etc", "", "/a b"):
        body = await help_client.gql(QR, {"path": bad})
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", bad


async def raw_gql(client, query, variables):
    """POST with the JSON escaped by hand: lone surrogates travel as \\ud800 escapes."""
    payload = json.dumps({"query": query, "variables": variables})  # ensure_ascii escapes them
    response = await client.http.post(
        "/graphql", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code < 500, response.text
    return response.json()


async def test_control_characters_and_surrogates_never_fail(help_client):
    # NUL and lone surrogates are refused for every input in one place (schema/inputs.py).
    for value in ("\u0000", "a\ud800b", "nope\u0000"):
        for query, variables in (
            (ARTICLE, {"slug": value}),
            (ARTICLES, {"category": value, "topic": value}),
            ("query($q: String!) { helpSearch(query: $q) { score } }", {"q": value}),
        ):
            body = await raw_gql(help_client, query, variables)
            assert body["errors"][0]["extensions"]["code"] == "INVALID_TEXT", body
    for value in ("\u0001", "a\u001fb"):
        body = await raw_gql(help_client, ARTICLE, {"slug": value})
        assert "errors" not in body and body["data"]["helpArticle"] is None
