"""Automatic Persisted Queries over POST and GET (Apollo's protocol), stored in the app's redis,
and the trusted-documents mode where only a manifest's documents run."""

from __future__ import annotations

import json

import pytest

from schema.documents import ManifestError, manifest_of, sha256_hex
from selfserve.persisted import DOC_PREFIX, INDEX_KEY

GRAPHQL_RESPONSE = "application/graphql-response+json"
QUERY = "query Categories { helpCategories { key } }"
HASH = sha256_hex(QUERY)


def persisted(sha: str = HASH, version: int = 1) -> dict:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


async def post(client, body: dict, accept: str = GRAPHQL_RESPONSE):
    return await client.http.post("/graphql", json=body, headers={"Accept": accept})


async def get(client, params: dict, accept: str = GRAPHQL_RESPONSE, headers: dict | None = None):
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return await client.http.get("/graphql", params=query, headers={"Accept": accept, **(headers or {})})


def code_of(response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_post_miss_then_register_then_hit_by_hash(client):
    miss = await post(client, {"extensions": persisted()})
    assert miss.status_code == 404
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"

    registered = await post(client, {"query": QUERY, "extensions": persisted()})
    assert registered.status_code == 200
    assert "errors" not in registered.json()
    assert await client.services.redis.get(DOC_PREFIX + HASH) == QUERY
    assert (
        0
        < await client.services.redis.ttl(DOC_PREFIX + HASH)
        <= client.services.settings.persisted_queries_ttl_seconds
    )

    hit = await post(client, {"extensions": persisted(), "operationName": "Categories"})
    assert hit.status_code == 200
    assert hit.json() == registered.json()


async def test_legacy_json_clients_get_not_found_with_200(client):
    # Older Apollo links switch persisted queries off after a 400; a 200 keeps them retrying.
    miss = await post(client, {"extensions": persisted()}, accept="application/json")
    assert miss.status_code == 200
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"


async def test_get_hash_only_miss_register_and_hit(client):
    miss = await get(client, {"extensions": persisted()})
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await get(client, {"query": QUERY, "extensions": persisted()})
    assert registered.status_code == 200
    assert registered.json() == {"data": {"helpCategories": []}}  # the database is empty
    hit = await get(client, {"extensions": persisted()})
    assert hit.status_code == 200
    assert hit.json() == {"data": {"helpCategories": []}}


async def test_a_hash_that_does_not_match_the_text_is_refused_and_not_stored(client):
    wrong = sha256_hex("{ me { id } }")
    answer = await post(client, {"query": QUERY, "extensions": persisted(wrong)})
    assert answer.status_code == 400
    assert code_of(answer) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert await client.services.redis.get(DOC_PREFIX + wrong) is None


async def test_malformed_persisted_query_extensions_are_typed_errors(client):
    bad_version = await post(client, {"extensions": persisted(version=2)})
    assert (bad_version.status_code, code_of(bad_version)) == (400, "PERSISTED_QUERY_NOT_SUPPORTED")
    not_hex = await post(client, {"extensions": persisted("xyz")})
    assert (not_hex.status_code, code_of(not_hex)) == (400, "BAD_REQUEST")
    not_object = await post(client, {"extensions": {"persistedQuery": "abc"}})
    assert (not_object.status_code, code_of(not_object)) == (400, "BAD_REQUEST")
    bad_json = await client.http.get("/graphql?extensions=%7Bnope", headers={"Accept": GRAPHQL_RESPONSE})
    assert (bad_json.status_code, code_of(bad_json)) == (400, "BAD_REQUEST")


async def test_an_invalid_document_is_not_registered(client):
    broken = "{ helpCategories { nope } }"
    answer = await post(client, {"query": broken, "extensions": persisted(sha256_hex(broken))})
    assert code_of(answer) == "GRAPHQL_VALIDATION_FAILED"
    assert await client.services.redis.get(DOC_PREFIX + sha256_hex(broken)) is None


async def test_a_mutation_registered_by_post_still_cannot_run_over_get(client):
    mutation = "mutation { accountLogout }"
    sha = sha256_hex(mutation)
    await post(client, {"query": mutation, "extensions": persisted(sha)})
    assert await client.services.redis.get(DOC_PREFIX + sha) == mutation
    over_get = await get(client, {"extensions": persisted(sha)})
    assert over_get.status_code == 405
    assert code_of(over_get) == "METHOD_NOT_ALLOWED"


async def test_the_store_keeps_at_most_the_configured_number_of_documents(make_client):
    async with make_client(persisted_queries_max_entries=3) as client:
        texts = [f"query Q{n} {{ helpCategories {{ key }} }}" for n in range(5)]
        for text in texts:
            answer = await post(client, {"query": text, "extensions": persisted(sha256_hex(text))})
            assert answer.status_code == 200
        redis = client.services.redis
        assert await redis.zcard(INDEX_KEY) == 3
        assert await redis.get(DOC_PREFIX + sha256_hex(texts[0])) is None
        assert await redis.get(DOC_PREFIX + sha256_hex(texts[-1])) == texts[-1]
        oldest = await post(client, {"extensions": persisted(sha256_hex(texts[1]))})
        assert code_of(oldest) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_document_over_the_body_limit_is_refused(make_client):
    async with make_client(max_body_bytes=2000) as client:
        text = "query Big { helpCategories { key } }" + " " * 3000
        answer = await get(client, {"query": text, "extensions": persisted(sha256_hex(text))})
        assert (answer.status_code, code_of(answer)) == (413, "PAYLOAD_TOO_LARGE")


def write_manifest(tmp_path, documents: dict[str, str]) -> str:
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps(manifest_of(documents)), encoding="utf-8")
    return str(path)


async def test_trusted_mode_runs_listed_documents_only(make_client, tmp_path):
    manifest = manifest_of({"categories": QUERY})
    ((listed_hash, listed_text),) = manifest.items()
    path = write_manifest(tmp_path, {"categories": QUERY})
    async with make_client(trusted_documents=path) as client:
        by_hash = await post(client, {"extensions": persisted(listed_hash)})
        assert by_hash.status_code == 200
        assert "account" in {c["key"] for c in by_hash.json()["data"]["helpCategories"]}
        by_document_id = await get(client, {"documentId": f"sha256:{listed_hash}"})
        assert by_document_id.json() == by_hash.json()
        by_text = await post(client, {"query": listed_text})
        assert by_text.json() == by_hash.json()

        unknown = await post(client, {"extensions": persisted(sha256_hex("{ me { id } }"))})
        assert code_of(unknown) == "PERSISTED_QUERY_NOT_FOUND"
        unlisted = await post(client, {"query": "{ me { id } }"})
        assert (unlisted.status_code, code_of(unlisted)) == (400, "PERSISTED_QUERY_NOT_ALLOWED")
        assert "data" not in unlisted.json()
        # Registering is off: an APQ client's retry with the text is refused, nothing is stored.
        text = "{ me { id } }"
        retry = await post(client, {"query": text, "extensions": persisted(sha256_hex(text))})
        assert code_of(retry) == "PERSISTED_QUERY_NOT_ALLOWED"
        assert await client.services.redis.get(DOC_PREFIX + sha256_hex(text)) is None


async def test_a_manifest_with_another_hash_algorithm_stops_start_up(make_client, tmp_path):
    path = tmp_path / "sha1.json"
    path.write_text(json.dumps({"0" * 40: QUERY}), encoding="utf-8")
    with pytest.raises(ManifestError, match="SELFSERVE_TRUSTED_DOCUMENTS"):
        async with make_client(trusted_documents=str(path)):
            pass


def ws_operation(client, payload: dict) -> list[dict]:
    """One graphql-transport-ws operation; its messages up to `complete` or `error`."""
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": payload})
        messages = [ws.receive_json()]
        while messages[-1]["type"] not in ("complete", "error"):
            messages.append(ws.receive_json())
        return messages


def test_trusted_mode_holds_on_the_websocket_too(backend, tmp_path):
    from starlette.testclient import TestClient

    from selfserve.app import create_app
    from tests.helpers import settings_for
    from tests.plugins.dummy import hooks as dummy

    ticks = 'subscription { dummyTicks(outcome: "none") }'
    path = write_manifest(tmp_path, {"ticks": ticks})
    listed_hash, listed_text = next(iter(manifest_of({"ticks": ticks}).items()))
    app = create_app(settings_for(backend, tmp_path, trusted_documents=path), extra_plugins=(dummy,))
    with TestClient(app) as client:
        by_text = ws_operation(client, {"query": listed_text})
        assert by_text[0] == {"id": "1", "type": "next", "payload": {"data": {"dummyTicks": 1}}}
        by_hash = ws_operation(client, {"extensions": persisted(listed_hash)})
        assert by_hash[0] == by_text[0]
        unlisted = ws_operation(client, {"query": 'subscription { dummyTicks(outcome: "fail") }'})
        assert [m["type"] for m in unlisted] == ["error"]
        assert unlisted[0]["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        unknown = ws_operation(client, {"extensions": persisted(sha256_hex("{ me { id } }"))})
        assert unknown[0]["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_lone_surrogate_in_a_persisted_document_is_a_typed_error(client):
    raw = '{"query": "{ node(id: \\"\\ud800\\") { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "%s"}}}'
    answer = await client.http.post(
        "/graphql",
        content=raw % ("0" * 64),
        headers={"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE},
    )
    assert (answer.status_code, code_of(answer)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")


async def test_a_browser_get_by_hash_gets_the_answer_not_graphiql(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    answer = await get(client, {"extensions": persisted()}, accept=browser)
    assert answer.headers["content-type"].startswith("application/json")
    assert code_of(answer) == "PERSISTED_QUERY_NOT_FOUND"
