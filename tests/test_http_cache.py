"""HTTP caching of GET queries: Cache-Control from the fields' cache hints, strong ETag and 304,
Vary; user-specific answers, signed-in callers and POST are never shared."""

from __future__ import annotations

from core.db import use_orm

GRAPHQL_RESPONSE = "application/graphql-response+json"
HELP = "query Help($slug: String!) { helpArticle(slug: $slug) { __typename title category { name } } }"
VARY = {"Accept", "Accept-Language", "Authorization"}


def varies(response) -> set[str]:
    """The names in Vary (CORS adds Origin: its headers depend on the caller's origin)."""
    return {name.strip() for name in response.headers["vary"].split(",")} - {"Origin"}


async def seeded(client):
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)
    return client


async def get(client, query: str, variables: str | None = None, **headers: str):
    params = {"query": query, **({"variables": variables} if variables else {})}
    return await client.http.get("/graphql", params=params, headers={"Accept": GRAPHQL_RESPONSE, **headers})


async def test_a_public_help_query_is_cacheable_then_304(client):
    await seeded(client)
    first = await get(client, HELP, '{"slug": "payments-refund"}', **{"Accept-Language": "en"})
    assert first.status_code == 200
    assert first.json()["data"]["helpArticle"]["__typename"] == "HelpArticle"
    assert first.headers["cache-control"] == "public, max-age=300"
    assert varies(first) == VARY
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")

    again = await get(
        client, HELP, '{"slug": "payments-refund"}', **{"Accept-Language": "en", "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=300"
    assert varies(again) == VARY

    weak = await get(
        client, HELP, '{"slug": "payments-refund"}', **{"Accept-Language": "en", "If-None-Match": f"W/{etag}"}
    )
    assert weak.status_code == 304


async def test_the_etag_changes_with_the_body(client):
    await seeded(client)
    english = await get(client, HELP, '{"slug": "payments-refund"}', **{"Accept-Language": "en"})
    chinese = await get(client, HELP, '{"slug": "payments-refund"}', **{"Accept-Language": "zh-CN"})
    assert english.json() != chinese.json()
    assert english.headers["etag"] != chinese.headers["etag"]
    stale = await get(
        client,
        HELP,
        '{"slug": "payments-refund"}',
        **{"Accept-Language": "zh-CN", "If-None-Match": english.headers["etag"]},
    )
    assert stale.status_code == 200
    assert stale.json() == chinese.json()


async def test_a_user_specific_query_is_private_no_store(client):
    me = await get(client, "{ me { id } }")
    assert me.status_code == 200
    assert me.json() == {"data": {"me": None}}
    assert me.headers["cache-control"] == "private, no-store"
    assert varies(me) == VARY


async def test_the_most_restrictive_field_wins(client):
    await seeded(client)
    mixed = await get(client, "{ helpCategories { key } me { id } }")
    assert mixed.status_code == 200
    assert mixed.headers["cache-control"] == "private, no-store"
    qr = await get(client, '{ helpQrCode(path: "/self-service") }')
    assert qr.headers["cache-control"] == "public, max-age=3600"
    both = await get(client, '{ helpQrCode(path: "/self-service") helpCategories { key } }')
    assert both.headers["cache-control"] == "public, max-age=300"
    typename_only = await get(client, "{ __typename }")
    assert typename_only.headers["cache-control"] == "private, no-store"


async def test_signed_in_callers_never_get_public(client):
    await seeded(client)
    account = await client.signup()
    answer = await get(client, "{ helpCategories { key } }", Authorization=f"Bearer {account.token}")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, max-age=300"
    with_cookie = await client.http.get(
        "/graphql",
        params={"query": "{ helpCategories { key } }"},
        headers={"Accept": GRAPHQL_RESPONSE, "Cookie": "selfserve_session=anything"},
    )
    assert with_cookie.headers["cache-control"] == "private, max-age=300"


async def test_errors_are_never_cached(client):
    partial = await get(
        client, '{ helpCategories { key } helpArticleVersions(id: "SGVscEFydGljbGU6MQ==") { version } }'
    )
    assert partial.status_code == 200
    assert partial.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert partial.headers["cache-control"] == "no-store"
    assert "etag" not in partial.headers
    invalid = await get(client, "query($slug: String!) { helpArticle(slug: $slug) { title } }")
    assert invalid.status_code == 400
    assert invalid.headers["cache-control"] == "no-store"
    assert "etag" not in invalid.headers


async def test_post_answers_are_no_store_and_mutations_over_get_stay_refused(client):
    await seeded(client)
    posted = await client.http.post(
        "/graphql", json={"query": "{ helpCategories { key } }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert posted.status_code == 200
    assert posted.headers["cache-control"] == "no-store"
    assert "etag" not in posted.headers
    mutation = await get(client, "mutation { accountLogout }")
    assert mutation.status_code == 405
    assert mutation.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert mutation.headers["cache-control"] == "no-store"
