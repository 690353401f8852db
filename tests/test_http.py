"""GraphQL over HTTP: the spec's MUST and SHOULD rules, and typed errors for malformed requests."""

from __future__ import annotations

import json

GRAPHQL_RESPONSE = "application/graphql-response+json"
ME = "{ me { id } }"


async def post(client, body, *, accept=GRAPHQL_RESPONSE, content_type="application/json", raw=None):
    headers = {"Content-Type": content_type}
    if accept is not None:
        headers["Accept"] = accept
    content = raw if raw is not None else json.dumps(body)
    return await client.http.post("/graphql", content=content, headers=headers)


async def test_post_with_graphql_response_media_type(client):
    response = await post(client, {"query": ME})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"me": None}}
    assert response.headers["x-request-id"]


async def test_legacy_json_for_wildcard_accept(client):
    response = await post(client, {"query": ME}, accept="*/*")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


async def test_accept_ranking(client):
    response = await post(
        client, {"query": ME}, accept="application/json;q=0.9, application/graphql-response+json"
    )
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)


async def test_unacceptable_media_type_is_406(client):
    response = await post(client, {"query": ME}, accept="text/html")
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


async def test_malformed_json_is_a_400_request_error(client):
    response = await post(client, None, raw="{not json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_bad_parameter_types_are_400(client):
    for body in (
        {"query": 1},
        {"query": ME, "variables": []},
        {"query": ME, "operationName": 3},
        {},
        "x",
        {"query": "  "},
    ):
        response = await post(client, body)
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_batched_requests_are_refused(client):
    response = await post(client, [{"query": ME}, {"query": ME}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCH_NOT_SUPPORTED"


async def test_unsupported_content_type_is_415(client):
    response = await post(client, None, raw="query=x", content_type="text/plain")
    assert response.status_code == 415


async def test_oversize_body_is_413(client):
    response = await post(client, {"query": ME, "variables": {"x": "a" * 100_001}})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_parse_error_is_400_with_graphql_response_and_200_with_json(client):
    strict = await post(client, {"query": "{ me { "})
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert strict.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    legacy = await post(client, {"query": "{ me { "}, accept="application/json")
    assert legacy.status_code == 200


async def test_unknown_field_is_a_validation_error(client):
    response = await post(client, {"query": "{ me { nope } }"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_wrong_variable_type_is_a_request_error(client):
    query = "mutation($t: String!) { accountRefresh(refreshToken: $t) { __typename } }"
    response = await post(client, {"query": query, "variables": {"t": 5}})
    assert response.status_code == 400
    assert response.json()["errors"]


async def test_get_query_works_and_get_mutation_is_405(client):
    ok = await client.http.get("/graphql", params={"query": ME}, headers={"Accept": GRAPHQL_RESPONSE})
    assert ok.status_code == 200 and ok.json() == {"data": {"me": None}}
    mutation = await client.http.get(
        "/graphql", params={"query": "mutation { accountLogout }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"


async def test_get_with_bad_variables_is_400(client):
    response = await client.http.get(
        "/graphql", params={"query": ME, "variables": "{"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400


async def test_graphiql_outside_production(client):
    response = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_mutation_by_operation_name(client):
    doc = "query A { me { id } } mutation B { accountLogout }"
    response = await post(client, {"query": doc, "operationName": "B"})
    assert response.json() == {"data": {"accountLogout": False}}


async def test_health_reports_database_and_redis(client):
    response = await client.http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "worker": "in-process"}


async def test_multipart_request_without_map_is_400(client):
    user = await client.signup()
    response = await client.http.post(
        "/graphql",
        data={"operations": json.dumps({"query": ME})},
        files={"0": ("a.txt", b"x")},
        headers=user.headers,
    )
    assert response.status_code == 400


async def test_health_is_503_naming_the_failing_part(client, monkeypatch):
    async def broken_ping():
        raise ConnectionError("redis down")

    monkeypatch.setattr(client.services.redis, "ping", broken_ping)
    response = await client.http.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "unavailable",
        "worker": "in-process",
    }
