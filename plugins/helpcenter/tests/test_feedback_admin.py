"""Feedback on articles and the admin's article editing (versions, publishing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.helpcenter import api
from plugins.helpcenter.models import HelpArticle
from schema.relay import to_global_id

FEEDBACK = (
    "mutation($id: ID!, $h: Boolean!, $c: String) { helpArticleFeedback(id: $id, helpful: $h, comment: $c) }"
)
ARTICLE = "query($slug: String!) { helpArticle(slug: $slug) { id title helpfulCount published version } }"
CREATE = """mutation($input: HelpArticleCreateInput!) { helpArticleCreate(input: $input) {
  __typename ... on HelpArticle { id slug published version } ... on HelpError { code field } } }"""
UPDATE = """mutation($input: HelpArticleUpdateInput!) { helpArticleUpdate(input: $input) {
  __typename ... on HelpArticle { title version } ... on HelpError { code field } } }"""
PUBLISH = """mutation($id: ID!, $p: Boolean!) { helpArticlePublish(id: $id, published: $p) {
  __typename ... on HelpArticle { published } } }"""
VERSIONS = "query($id: ID!) { helpArticleVersions(id: $id) { version title note editorId } }"
SEARCH = "query($q: String!) { helpSearch(query: $q) { article { slug } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on HelpArticle { slug } } }"

NEW = {
    "slug": "gift-cards",
    "locale": "en",
    "topic": "payments.gift_cards",
    "category": "payments",
    "title": "Redeem a gift card",
    "body": "Open Me > Wallet > Redeem and enter the gift card code.",
    "summary": "Gift card codes add coins.",
    "keywords": ["gift card", "voucher"],
    "steps": ["Open Me > Wallet", "Tap Redeem"],
    "media": [{"kind": "image", "url": "/media/help/gift.png"}],
}


async def _article_id(client, slug="payments-refund"):
    body = await client.gql(ARTICLE, {"slug": slug}, headers={"Accept-Language": "en"})
    return body["data"]["helpArticle"]["id"]


async def test_feedback_counts_and_reports_unhelpful_articles(help_client):
    article_id = await _article_id(help_client)
    user = await help_client.signup()
    assert (await help_client.gql(FEEDBACK, {"id": article_id, "h": True}))["data"]["helpArticleFeedback"]
    await help_client.gql(FEEDBACK, {"id": article_id, "h": False, "c": "too long"}, token=user.token)
    body = await help_client.gql(ARTICLE, {"slug": "payments-refund"}, headers={"Accept-Language": "en"})
    assert body["data"]["helpArticle"]["helpfulCount"] == 1
    now = datetime.now(UTC)
    with use_orm(help_client.services.orm):
        stats = await api.unhelpful_articles(now - timedelta(hours=1), now + timedelta(minutes=1))
    assert [(s.slug, s.helpful, s.unhelpful, s.comments) for s in stats] == [
        ("payments-refund", 1, 1, ["too long"])
    ]


async def test_feedback_rejects_bad_ids_and_long_comments(help_client):
    for bad in ("nope", to_global_id("HelpArticle", 999999), to_global_id("User", 1)):
        body = await help_client.gql(FEEDBACK, {"id": bad, "h": True})
        assert body["errors"][0]["extensions"]["code"] in {"INVALID_INPUT", "NOT_FOUND"}
    body = await help_client.gql(FEEDBACK, {"id": await _article_id(help_client), "h": True, "c": "x" * 3000})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_only_admins_edit_articles(help_client):
    user = await help_client.signup()
    agent = await help_client.signup(roles=("AGENT",))
    anonymous = await help_client.gql(CREATE, {"input": NEW})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for account in (user, agent):
        body = await help_client.gql(CREATE, {"input": NEW}, token=account.token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await help_client.gql(VERSIONS, {"id": await _article_id(help_client)}, token=user.token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_admin_drafts_publishes_and_edits_with_versions(help_client):
    admin = await help_client.signup(roles=("ADMIN",))
    created = (await help_client.gql(CREATE, {"input": NEW}, token=admin.token))["data"]["helpArticleCreate"]
    assert created["__typename"] == "HelpArticle" and created["published"] is False
    # a draft is invisible to readers and search
    assert (await help_client.gql(ARTICLE, {"slug": "gift-cards"}))["data"]["helpArticle"] is None
    assert (await help_client.gql(NODE, {"id": created["id"]}))["data"]["node"] is None
    assert (await help_client.gql(NODE, {"id": created["id"]}, token=admin.token))["data"]["node"][
        "slug"
    ] == "gift-cards"

    published = await help_client.gql(PUBLISH, {"id": created["id"], "p": True}, token=admin.token)
    assert published["data"]["helpArticlePublish"]["published"] is True
    hits = await help_client.gql(SEARCH, {"q": "redeem gift card voucher"}, headers={"Accept-Language": "en"})
    assert hits["data"]["helpSearch"][0]["article"]["slug"] == "gift-cards"

    edited = await help_client.gql(
        UPDATE,
        {"input": {"id": created["id"], "title": "Redeem gift cards", "note": "plural"}},
        token=admin.token,
    )
    assert edited["data"]["helpArticleUpdate"] == {
        "__typename": "HelpArticle",
        "title": "Redeem gift cards",
        "version": 2,
    }
    versions = (await help_client.gql(VERSIONS, {"id": created["id"]}, token=admin.token))["data"][
        "helpArticleVersions"
    ]
    assert [(v["version"], v["title"]) for v in versions] == [
        (2, "Redeem gift cards"),
        (1, "Redeem a gift card"),
    ]
    assert versions[0]["editorId"] == admin.id

    await help_client.gql(PUBLISH, {"id": created["id"], "p": False}, token=admin.token)
    hits = await help_client.gql(SEARCH, {"q": "redeem gift card voucher"}, headers={"Accept-Language": "en"})
    assert all(h["article"]["slug"] != "gift-cards" for h in hits["data"]["helpSearch"])


async def test_admin_input_errors_are_typed(help_client):
    admin = await help_client.signup(roles=("ADMIN",))
    taken = await help_client.gql(CREATE, {"input": {**NEW, "slug": "payments-refund"}}, token=admin.token)
    assert taken["data"]["helpArticleCreate"] == {
        "__typename": "HelpError",
        "code": "SLUG_TAKEN",
        "field": "input.slug",
    }
    category = await help_client.gql(CREATE, {"input": {**NEW, "category": "nope"}}, token=admin.token)
    assert category["data"]["helpArticleCreate"]["code"] == "UNKNOWN_CATEGORY"
    for field, value in (("slug", "Bad Slug"), ("locale", "fr"), ("title", " "), ("topic", "x")):
        body = await help_client.gql(CREATE, {"input": {**NEW, field: value}}, token=admin.token)
        assert body["data"]["helpArticleCreate"] == {
            "__typename": "HelpError",
            "code": "INVALID_INPUT",
            "field": f"input.{field}",
        }
    media = await help_client.gql(
        CREATE, {"input": {**NEW, "media": [{"kind": "gif", "url": "x"}]}}, token=admin.token
    )
    assert media["data"]["helpArticleCreate"]["code"] == "INVALID_INPUT"
    with use_orm(help_client.services.orm):
        assert not await HelpArticle.exists(slug="gift-cards")


async def test_seeding_again_keeps_an_admins_edit(help_client):
    admin = await help_client.signup(roles=("ADMIN",))
    article_id = await _article_id(help_client)
    await help_client.gql(
        UPDATE, {"input": {"id": article_id, "title": "Refunds (edited)"}}, token=admin.token
    )
    with use_orm(help_client.services.orm):
        assert await api.ensure_seeded(help_client.services) == 0
    body = await help_client.gql(ARTICLE, {"slug": "payments-refund"}, headers={"Accept-Language": "en"})
    assert body["data"]["helpArticle"]["title"] == "Refunds (edited)"
