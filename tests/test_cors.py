"""CORS: listed origins (and the deployment's own) may call the API with credentials; others get no
CORS headers, so a browser refuses them (tests/browser/test_cors_browser.py drives a real one)."""

from __future__ import annotations

ALLOWED = "http://app.example.test"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


async def test_a_listed_origin_gets_a_cached_credentialed_preflight(make_client):
    async with make_client(cors_origins=f"{ALLOWED}, http://other.example.test") as client:
        answer = await client.http.options("/graphql", headers={"Origin": ALLOWED, **PREFLIGHT})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == ALLOWED
        assert answer.headers["access-control-allow-credentials"] == "true"
        assert "authorization" in answer.headers["access-control-allow-headers"].lower()
        assert int(answer.headers["access-control-max-age"]) > 0
        query = await client.http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": ALLOWED}
        )
        assert query.headers["access-control-allow-origin"] == ALLOWED
        assert "x-request-id" in query.headers["access-control-expose-headers"].lower()


async def test_an_unlisted_origin_gets_no_cors_headers(make_client):
    async with make_client(cors_origins=ALLOWED) as client:
        answer = await client.http.options(
            "/graphql", headers={"Origin": "http://evil.example.test", **PREFLIGHT}
        )
        assert answer.status_code == 400
        assert "access-control-allow-origin" not in answer.headers
        query = await client.http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "http://evil.example.test"}
        )
        assert "access-control-allow-origin" not in query.headers


async def test_by_default_only_the_deployments_own_origin_is_admitted(make_client):
    async with make_client(base_url="https://help.example.test/") as client:
        own = await client.http.options(
            "/graphql", headers={"Origin": "https://help.example.test", **PREFLIGHT}
        )
        assert own.headers["access-control-allow-origin"] == "https://help.example.test"
        other = await client.http.options("/graphql", headers={"Origin": ALLOWED, **PREFLIGHT})
        assert "access-control-allow-origin" not in other.headers
