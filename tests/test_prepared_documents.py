"""Prepared documents (schema/prepared.py): a query text accepted once skips strawberry's extension
pipeline afterwards, and answers exactly as the normal path does."""

from __future__ import annotations

import json
from typing import Any

import pytest
import strawberry

from schema.prepared import PreparedDocuments, prepared_path_applies

ME = "query PreparedMe { me { id displayName } }"
TWO_OPERATIONS = "query First { __typename } query Second { me { id } }"
DEEP_INPUT = "mutation($input: TicketReplyInput!) { ticketReply(input: $input) { __typename } }"


@pytest.fixture
def normal_path_calls(monkeypatch) -> list[str | None]:
    """Query texts that went through strawberry's own `Schema.execute`."""
    calls: list[str | None] = []
    original = strawberry.Schema.execute

    async def counting(self: Any, query: str | None, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(strawberry.Schema, "execute", counting)
    return calls


async def post(client, body: dict, token: str | None = None, language: str = "en") -> Any:
    headers = {"Accept": "application/graphql-response+json", "Accept-Language": language}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.http.post("/graphql", content=json.dumps(body), headers=headers)
    assert response.status_code < 500, response.text
    return response


async def test_the_second_request_is_prepared_and_answers_the_same(client, normal_path_calls):
    user = await client.signup(name="Prepared")
    normal_path_calls.clear()
    first = await post(client, {"query": ME}, user.token)
    second = await post(client, {"query": ME}, user.token)
    assert normal_path_calls == [ME]  # the second one did not enter strawberry's pipeline
    assert first.json() == second.json() == {"data": {"me": {"id": user.id, "displayName": "Prepared"}}}
    assert first.status_code == second.status_code == 200


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_errors_are_shaped_and_translated_on_the_prepared_path(client, normal_path_calls, language):
    query = "query PreparedAnonymous { me { id } myAdApplications { id } }"
    user = await client.signup()
    await post(client, {"query": query}, user.token)  # accepted once, by a signed-in user
    normal_path_calls.clear()
    anonymous = (await post(client, {"query": query}, language=language)).json()
    assert normal_path_calls == []
    assert anonymous["data"] is None  # a non-null root field failed
    error = anonymous["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["path"] == ["myAdApplications"]
    # The same text on a server that never saw it (the normal path) says exactly the same.
    client.app.state.schema.prepared.clear()
    assert (await post(client, {"query": query}, language=language)).json() == anonymous
    assert normal_path_calls == [query]


async def test_variables_are_checked_on_every_request(client, normal_path_calls):
    user = await client.signup()
    ok = {"ticketId": "VGlja2V0OjE", "body": "hello"}
    await post(client, {"query": DEEP_INPUT, "variables": {"input": ok}}, user.token)
    for bad, code in (
        ({**ok, "body": "nul\x00byte"}, "INVALID_TEXT"),
        ({**ok, "body": _nested(40)}, "QUERY_TOO_COMPLEX"),
    ):
        normal_path_calls.clear()
        body = (await post(client, {"query": DEEP_INPUT, "variables": {"input": bad}}, user.token)).json()
        assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
        assert normal_path_calls == [DEEP_INPUT]  # refused by the normal path's checks, as before


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


async def test_the_operation_type_is_checked_per_transport(client, normal_path_calls):
    user = await client.signup()
    mutation = "mutation PreparedRevoke { accountSessionsRevokeOthers }"
    other = await client.signup()
    assert (await post(client, {"query": mutation}, other.token)).status_code == 200
    response = await client.http.get(
        "/graphql", params={"query": mutation}, headers={"Authorization": f"Bearer {user.token}"}
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_operation_name_picks_the_operation_each_time(client, normal_path_calls):
    user = await client.signup()
    first = await post(client, {"query": TWO_OPERATIONS, "operationName": "First"}, user.token)
    assert first.json() == {"data": {"__typename": "Query"}}
    second = await post(client, {"query": TWO_OPERATIONS, "operationName": "Second"}, user.token)
    assert second.json() == {"data": {"me": {"id": user.id}}}
    normal_path_calls.clear()
    again = await post(client, {"query": TWO_OPERATIONS, "operationName": "First"}, user.token)
    assert again.json() == first.json() and normal_path_calls == []
    # No name (strawberry runs the first operation) or a name the document does not hold: the
    # normal path answers, as it always did.
    normal_path_calls.clear()
    unnamed = await post(client, {"query": TWO_OPERATIONS}, user.token)
    assert unnamed.json() == first.json() and normal_path_calls == [TWO_OPERATIONS]
    normal_path_calls.clear()
    unknown = await post(client, {"query": TWO_OPERATIONS, "operationName": "Third"}, user.token)
    assert normal_path_calls == [TWO_OPERATIONS]
    assert unknown.status_code == 400, unknown.text


async def test_an_invalid_document_is_never_prepared(client, normal_path_calls):
    query = "{ me { noSuchField } }"
    for _ in range(3):
        body = (await post(client, {"query": query})).json()
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert normal_path_calls == [query] * 3
    assert client.app.state.schema.prepared.get(query) is None


async def test_the_operation_is_counted_under_its_name_on_both_paths(client):
    from tests.helpers import metric_value, scrape_metrics

    user = await client.signup()
    query = "query PreparedCounted { me { id } }"
    before = await scrape_metrics(client)
    for _ in range(3):
        await post(client, {"query": query}, user.token)
    after = await scrape_metrics(client)
    name = "selfserve_graphql_requests_total"
    moved = metric_value(after, name, operation="PreparedCounted", outcome="ok") - metric_value(
        before, name, operation="PreparedCounted", outcome="ok"
    )
    assert moved == 3


def test_prepared_documents_are_bounded_least_recently_used_first():
    from graphql import parse

    documents = PreparedDocuments(2)
    a, b, c = parse("{ a }"), parse("{ b }"), parse("{ c }")
    documents.add("a", a)
    documents.add("b", b)
    assert documents.get("a") is a  # now the most recent
    documents.add("c", c)
    assert (documents.get("a"), documents.get("b"), documents.get("c")) == (a, None, c)
    assert len(documents) == 2


def test_a_resolve_middleware_keeps_every_request_on_the_normal_path():
    from strawberry.extensions import SchemaExtension

    class Wrapping(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            return _next(root, info, *args, **kwargs)

    @strawberry.type
    class Query:
        value: int = 1

    assert prepared_path_applies(strawberry.Schema(query=Query))
    assert not prepared_path_applies(strawberry.Schema(query=Query, extensions=[Wrapping]))
