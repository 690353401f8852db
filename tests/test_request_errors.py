"""Malformed and hostile requests get typed errors, never a 500 or INTERNAL_SERVER_ERROR, and nothing
is logged at error level (issue 11, findings 11-14 and 20)."""

from __future__ import annotations

import base64
import json
import logging

import pytest

GRAPHQL_RESPONSE = "application/graphql-response+json"
NODE = "query($id: ID!) { node(id: $id) { id } }"
HUGE = "9" * 40


def gid(type_name: str, pk: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


async def post(client, body=None, *, raw=None, token=None):
    headers = {"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    content = raw if raw is not None else json.dumps(body)
    response = await client.http.post("/graphql", content=content, headers=headers)
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    return response


def codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


@pytest.fixture
def error_log(caplog):
    caplog.set_level(logging.ERROR)
    yield caplog
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


# Finding 11: variable coercion errors are the client's, not ours.

COERCION = [
    ("wrong scalar", NODE, {"id": {"a": 1}}),
    ("null for non-null", NODE, {"id": None}),
    ("missing variable", NODE, {}),
    ("bad enum", "query($s: TicketStatus) { tickets(status: $s) { edges { cursor } } }", {"s": "NOPE"}),
    ("wrong list item", "query($f: Int) { forumThreads(first: $f) { edges { cursor } } }", {"f": "many"}),
    ("int out of range", "query($f: Int) { forumThreads(first: $f) { edges { cursor } } }", {"f": 2**40}),
    (
        "unknown input field",
        "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }",
        {"i": {"ticketId": "x", "body": "b", "bogus": 1}},
    ),
]


@pytest.mark.parametrize(("name", "query", "variables"), COERCION, ids=[c[0] for c in COERCION])
async def test_variable_coercion_errors_are_bad_user_input(client, error_log, name, query, variables):
    user = await client.signup()
    for token in (None, user.token):
        response = await post(client, {"query": query, "variables": variables}, token=token)
        assert response.status_code == 400, response.text
        assert codes(response) == ["BAD_USER_INPUT"], response.text
        assert "Variable '$" in response.json()["errors"][0]["message"]


async def test_bad_date_and_datetime_variables_are_bad_user_input(client, error_log):
    admin = await client.signup(roles=("ADMIN",))
    metrics = "query($s: DateTime) { supportMetrics(since: $s) { __typename } }"
    register = """mutation($i: AccountRegisterInput!) { accountRegister(input: $i) { __typename } }"""
    account = {"email": "d@example.com", "password": "correct horse battery", "displayName": "D"}
    for query, variables in (
        (metrics, {"s": "yesterday"}),
        (metrics, {"s": 12}),
        (register, {"i": {**account, "birthDate": "2026-13-45"}}),
        (register, {"i": {**account, "birthDate": ["1990-01-01"]}}),
    ):
        response = await post(client, {"query": query, "variables": variables}, token=admin.token)
        assert codes(response) == ["BAD_USER_INPUT"], response.text


# Finding 12: request errors, not text/plain 500s.


@pytest.mark.parametrize("depth", [100, 3000, 40_000])
async def test_deeply_nested_json_is_a_request_error_everywhere(client, error_log, depth):
    user = await client.signup()
    deep = "[" * depth + "]" * depth
    body = await post(client, raw='{"query": "{ me { id } }", "variables": {"a": ' + deep + "}}")
    assert body.status_code == 400 and codes(body)[0] in ("BAD_REQUEST", "QUERY_TOO_COMPLEX")
    whole = await post(client, raw=deep)
    assert whole.status_code == 400 and codes(whole)[0] in ("BAD_REQUEST", "BATCH_NOT_SUPPORTED")
    get = await client.http.get(
        "/graphql",
        params={"query": "{ me { id } }", "variables": '{"a": ' + deep[: 2 * min(depth, 3000)] + "}"},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert get.status_code == 400 and codes(get)[0] in ("BAD_REQUEST", "QUERY_TOO_COMPLEX")
    operations = '{"query": "{ me { id } }", "variables": {"a": ' + deep + ', "f": null}}'
    multipart = await client.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("a.txt", b"x", "text/plain")},
        headers={**user.headers, "Accept": GRAPHQL_RESPONSE},
    )
    assert multipart.status_code in (400, 413) and codes(multipart)[0] in (
        "BAD_REQUEST",
        "QUERY_TOO_COMPLEX",
    ), multipart.text


async def test_deep_literals_in_the_document_are_typed(client, error_log):
    for query in (
        "{ node(id: " + "[" * 900 + "1" + "]" * 900 + ") { id } }",
        "{ me " + "{ id " * 900 + "}" * 901,
    ):
        response = await post(client, {"query": query})
        assert response.status_code == 400
        assert codes(response)[0] in (
            "QUERY_TOO_COMPLEX",
            "GRAPHQL_PARSE_FAILED",
            "GRAPHQL_VALIDATION_FAILED",
        )


async def test_variables_nested_past_the_input_depth_are_too_complex(client, error_log):
    query = "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }"
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    response = await post(client, {"query": query, "variables": {"i": {"body": nested}}})
    assert codes(response) == ["QUERY_TOO_COMPLEX"], response.text


async def test_subscription_over_post_is_a_request_error(client, error_log):
    query = 'subscription { ticketEvents(ticketId: "x") { kind } }'
    response = await post(client, {"query": query})
    assert response.status_code == 400 and codes(response) == ["BAD_REQUEST"]
    get = await client.http.get("/graphql", params={"query": query}, headers={"Accept": GRAPHQL_RESPONSE})
    assert get.status_code == 400 and codes(get) == ["BAD_REQUEST"]


async def test_operation_name_matching_nothing_is_a_request_error(client, error_log):
    doc = "query A { me { id } } query B { me { id } }"
    for name in ("C", "\ud800", "a" * 5000):
        response = await post(client, {"query": doc, "operationName": name})
        assert response.status_code == 400 and codes(response) == ["BAD_REQUEST"], (name, response.text)
    # "" means no name, as null does (strawberry then runs the first operation).
    for name in ("", None):
        response = await post(client, {"query": "query A { me { id } }", "operationName": name})
        assert response.json() == {"data": {"me": None}}


# Finding 13: an ID or cursor that cannot exist is NOT_FOUND (or a bad cursor), never OverflowError.


async def test_huge_and_unicode_digit_ids_are_not_found(client, error_log):
    user = await client.signup()
    for pk in (HUGE, "9223372036854775808", "²", "١٢", "9" * 5000):
        for type_name in ("User", "Ticket", "Video", "ForumThread", "HelpArticle", "RechargeOrder"):
            response = await post(
                client, {"query": NODE, "variables": {"id": gid(type_name, pk)}}, token=user.token
            )
            assert response.json() == {"data": {"node": None}}, response.text
    cases = [
        ("query($id: ID!) { forumThread(id: $id) { id } }", {"id": gid("ForumThread", HUGE)}, "forumThread"),
        ("mutation($id: ID!) { videoView(id: $id) }", {"id": gid("Video", HUGE)}, "videoView"),
        (
            "mutation($id: ID!) { helpArticleFeedback(id: $id, helpful: true) }",
            {"id": gid("HelpArticle", HUGE)},
            "helpArticleFeedback",
        ),
    ]
    for query, variables, field in cases:
        response = await post(client, {"query": query, "variables": variables}, token=user.token)
        body = response.json()
        assert "INTERNAL_SERVER_ERROR" not in response.text
        assert (body.get("data") or {}).get(field) in (None, False), response.text
        assert set(codes(response)) <= {"NOT_FOUND"}, response.text


async def test_huge_ids_in_mutation_inputs_are_typed_not_found(client, error_log):
    user = await client.signup()
    reply = """mutation($i: TicketReplyInput!) { ticketReply(input: $i) {
      __typename ... on SupportError { code } } }"""
    response = await post(
        client,
        {"query": reply, "variables": {"i": {"ticketId": gid("Ticket", HUGE), "body": "hi"}}},
        token=user.token,
    )
    assert response.json()["data"]["ticketReply"] == {"__typename": "SupportError", "code": "NOT_FOUND"}
    refund = """mutation($i: RefundRequestInput!) { refundRequest(input: $i) {
      __typename ... on PaymentError { code } } }"""
    variables = {"i": {"orderId": gid("RechargeOrder", HUGE), "reason": "r", "idempotencyKey": "k" * 12}}
    response = await post(client, {"query": refund, "variables": variables}, token=user.token)
    assert response.json()["data"]["refundRequest"]["code"] == "NOT_FOUND", response.text


async def test_huge_cursors_are_bad_cursors(client, error_log):
    user = await client.signup()
    query = "query($a: String) { forumThreads(after: $a) { edges { cursor } } }"
    for raw in (f"k:{HUGE}", f"o:{HUGE}", "k:²", "o:2147483648"):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode()
        response = await post(client, {"query": query, "variables": {"a": cursor}}, token=user.token)
        assert "INTERNAL_SERVER_ERROR" not in response.text, response.text
        assert set(codes(response)) <= {"INVALID_INPUT"}, response.text
    tickets = "query($a: String) { tickets(after: $a) { edges { cursor } } }"
    cursor = base64.urlsafe_b64encode(f"k:{HUGE}".encode()).decode()
    response = await post(client, {"query": tickets, "variables": {"a": cursor}}, token=user.token)
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text


# Finding 14: NUL and lone surrogates in any text input: one typed error.


async def test_nul_and_lone_surrogates_are_invalid_text_in_variables_and_literals(client, error_log):
    user = await client.signup()
    reply = "mutation($i: TicketReplyInput!) { ticketReply(input: $i) { __typename } }"
    for bad in ("a\x00b", "\ud800", "x\udfffy"):
        for variables in ({"i": {"ticketId": "x", "body": bad}}, {"i": {"ticketId": bad, "body": "b"}}):
            raw = json.dumps({"query": reply, "variables": variables})  # escapes survive as \\u escapes
            response = await post(client, raw=raw, token=user.token)
            assert codes(response) == ["INVALID_TEXT"], response.text
    literal = 'mutation { ticketReply(input: {ticketId: "x", body: "a\\u0000b"}) { __typename } }'
    response = await post(client, {"query": literal}, token=user.token)
    assert codes(response) == ["INVALID_TEXT"], response.text
    response = await post(client, raw='{"query": "{ node(id: \\"\\ud800\\") { id } }"}')
    assert codes(response) == ["GRAPHQL_PARSE_FAILED"]
    key = await post(client, raw='{"query": "{ me { id } }", "variables": {"\\ud800": 1}}')
    assert codes(key) == ["INVALID_TEXT"]


async def test_invalid_text_message_is_translated(client):
    response = await client.http.post(
        "/graphql",
        content=json.dumps({"query": NODE, "variables": {"id": "\x00"}}),
        headers={"Content-Type": "application/json", "Accept-Language": "zh-CN"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INVALID_TEXT", "field": "id"}
    assert "空字符" in error["message"]


async def test_valid_surrogate_pairs_and_chinese_text_pass(client):
    response = await post(client, {"query": NODE, "variables": {"id": "😀中文"}})
    assert response.json() == {"data": {"node": None}}


# Finding 20: aliases count everywhere, introspection included.


async def test_aliases_inside_introspection_count_towards_the_limit(client, error_log):
    def aliased(n: int) -> str:
        return "{ __schema { " + " ".join(f"t{i}: types {{ name }}" for i in range(n)) + " } }"

    assert codes(await post(client, {"query": aliased(15)})) == []
    assert codes(await post(client, {"query": aliased(16)})) == ["QUERY_TOO_COMPLEX"]
    big = await post(client, {"query": aliased(160)})
    assert codes(big) == ["QUERY_TOO_COMPLEX"] and len(big.content) < 1000
    typename = "{ " + " ".join(f"n{i}: __typename" for i in range(16)) + " }"
    assert codes(await post(client, {"query": typename})) == ["QUERY_TOO_COMPLEX"]
    fragment = (
        "{ __schema { ...F } } fragment F on __Schema { "
        + " ".join(f"t{i}: types {{ name }}" for i in range(16))
        + " }"
    )
    assert codes(await post(client, {"query": fragment})) == ["QUERY_TOO_COMPLEX"]
