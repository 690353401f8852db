"""The production surface (`SELFSERVE_ENV=production`): no development-only channel or page, no
suggestions of any kind, no GraphiQL, no introspection, and the security headers (issue 11,
findings 1 and 19)."""

from __future__ import annotations

import argparse
import uuid

import pytest

from tests.helpers import make_verified_adult, running_app, settings_for

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
async def prod_app(backend, tmp_path_factory):
    """One production app for the module (every default plugin; start-up is the slow part)."""
    settings = settings_for(backend, tmp_path_factory.mktemp("prod"), env="production")
    assert settings.is_production and settings.secret_key
    async with running_app(settings, migrate=True) as client:
        yield client


@pytest.fixture
async def prod(prod_app, client):
    """The production app on the clean database the `client` fixture leaves."""
    await prod_app.services.redis.flushdb()
    return prod_app


async def post(client, query, variables=None, headers=None):
    response = await client.http.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Accept": GRAPHQL_RESPONSE, **(headers or {})},
    )
    assert response.status_code < 500, response.text
    return response


# Each document is one near miss of a real name: a field, an argument, an input field (literal and
# variable), an enum value (literal and variable), a type (variable and fragment), a directive.
NEAR_MISSES = [
    ("field", "{ mee { id } }", None),
    ("argument", '{ node(idd: "x") { id } }', None),
    (
        "input field literal",
        'mutation { accountLogin(input: {logn: "a", password: "b"}) { __typename } }',
        None,
    ),
    (
        "input field variable",
        "mutation($i: AccountLoginInput!) { accountLogin(input: $i) { __typename } }",
        {"i": {"logn": "a", "password": "b"}},
    ),
    ("enum literal", "{ tickets(status: OPENN) { edges { cursor } } }", None),
    ("enum variable", "query($s: TicketStatus) { tickets(status: $s) { edges { cursor } } }", {"s": "OPENN"}),
    ("type in variable", "query($x: Strin) { node(id: $x) { id } }", None),
    ("type in fragment", '{ node(id: "x") { ... on Usr { id } } }', None),
    ("directive", "{ me @skp(if: true) { id } }", None),
    ("subfield", "{ me { idd } }", None),
]


@pytest.mark.parametrize(("kind", "query", "variables"), NEAR_MISSES, ids=[n[0] for n in NEAR_MISSES])
async def test_no_suggestions_of_any_kind_in_production(prod, kind, query, variables):
    response = await post(prod, query, variables)
    errors = response.json()["errors"]
    assert errors and all(e["extensions"]["code"] != "INTERNAL_SERVER_ERROR" for e in errors)
    assert "Did you mean" not in response.text, (kind, response.text)


async def test_suggestions_remain_outside_production(client):
    response = await post(client, '{ node(idd: "x") { id } }')
    assert "Did you mean 'id'?" in response.text


async def test_no_introspection_and_no_graphiql_in_production(prod):
    for query in ("{ __schema { types { name } } }", '{ __type(name: "User") { name } }'):
        response = await post(prod, query)
        assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert response.json().get("data") is None
    page = await prod.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code >= 400
    assert "graphiql" not in page.text.lower()
    assert not page.headers["content-type"].startswith("text/html")


async def test_security_headers_on_every_response_in_production(prod):
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    register = await prod.http.post(
        "/graphql",
        json={
            "query": """mutation($i: AccountRegisterInput!) { accountRegister(input: $i) {
              __typename ... on AuthSession { accessToken } } }""",
            "variables": {"i": {"email": email, "password": "correct horse battery", "displayName": "P"}},
        },
    )
    assert register.json()["data"]["accountRegister"]["__typename"] == "AuthSession"
    responses = [
        register,
        await prod.http.get("/graphql", params={"query": "{ me { id } }"}),
        await prod.http.get("/health"),
        await prod.http.get("/no-such-page"),
        await prod.http.post("/payments/webhooks/nope", content=b"{}"),
    ]
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert "server" not in response.headers
    assert register.headers["cache-control"] == "no-store"
    for response in responses[:3]:
        # A GET of `me` is `private, no-store` (selfserve/http_cache.py): never stored either way.
        directives = {part.strip() for part in response.headers["cache-control"].split(",")}
        assert "no-store" in directives, response.url


async def test_serve_turns_off_the_server_banner(monkeypatch):
    import uvicorn

    from core.settings import Settings
    from selfserve.cli import cmd_serve

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    cmd_serve(Settings(), argparse.Namespace(host="127.0.0.1", port=0, workers=1, verbose=False))
    assert calls and calls[0]["server_header"] is False


async def test_no_sandbox_channel_or_pages_in_production(prod):
    user = await prod.signup()
    await make_verified_adult(prod, user)
    response = await post(
        prod,
        """mutation($i: RechargeCreateInput!) { rechargeCreate(input: $i) {
          __typename ... on PaymentError { code } } }""",
        {"i": {"coins": 100, "channel": "sandbox", "idempotencyKey": uuid.uuid4().hex}},
        headers=user.headers,
    )
    assert response.json()["data"]["rechargeCreate"]["__typename"] == "PaymentError", response.text
    # the provider's page and webhook answer like paths that do not exist
    for method in ("GET", "POST"):
        page = await prod.http.request(method, "/payments/sandbox/pay/any", data={"outcome": "success"})
        assert page.status_code == 404
    hook = await prod.http.post("/payments/webhooks/sandbox", content=b"{}")
    assert hook.status_code == 404


async def test_every_html_page_has_a_content_security_policy(client):
    graphiql = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert graphiql.headers["content-type"].startswith("text/html")
    policy = graphiql.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'sha256-" in policy
    assert "https://unpkg.com/graphiql@" in policy and "connect-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert graphiql.headers["x-content-type-options"] == "nosniff"
    page = await client.http.get("/payments/sandbox/pay/unknown")
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
