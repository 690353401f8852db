"""Property test: generated queries, mutations and variables from the committed SDL, including the
edge cases of issue 11 (lone surrogates, NUL, huge integers, deep JSON, wrong scalar types), sent to
the ASGI app anonymous and signed in. No answer may be a 500 or carry INTERNAL_SERVER_ERROR.

Deterministic (`derandomize`, no example database) with a small fixed budget so it runs in
`make test` on both backends. The app runs on its own event loop: hypothesis drives a sync test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries

from tests.helpers import running_app, settings_for

SDL = (Path(__file__).resolve().parents[1] / "schema" / "schema.graphql").read_text()
SCHEMA = graphql.build_schema(SDL)
BUDGET = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

EDGE_TEXT = [
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "😀",
    "中文",
    "9" * 40,
    "'; DROP TABLE x;--",
    "a" * 5000,
]
EDGE_INTS = [0, -1, 2**31, -(2**31) - 1, 2**63, 10**40, -(10**40)]


def _literal_strings():
    return st.sampled_from(EDGE_TEXT).map(lambda s: graphql.StringValueNode(value=s))


CUSTOM_SCALARS = {
    "Date": st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2026-13-45", "x"])).map(
        lambda s: graphql.StringValueNode(value=s)
    ),
    "DateTime": st.one_of(
        st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["yesterday", "2026-01-01T25:00"])
    ).map(lambda s: graphql.StringValueNode(value=s)),
    "JSON": _literal_strings(),
    "Upload": st.just(graphql.NullValueNode()),
}

EDGE_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.sampled_from(EDGE_TEXT), st.sampled_from(EDGE_INTS), st.floats()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "id", "\x00"]), inner, max_size=3)
    ),
    max_leaves=8,
)


def typed_value(type_: graphql.GraphQLInputType, depth: int = 0) -> st.SearchStrategy:
    """A value shaped like `type_`, mixed with edge values (wrong types, nulls, hostile text)."""
    if isinstance(type_, graphql.GraphQLNonNull):
        return typed_value(type_.of_type, depth)
    if depth > 3:
        return EDGE_VALUES
    if isinstance(type_, graphql.GraphQLList):
        shaped = st.lists(typed_value(type_.of_type, depth + 1), max_size=3)
    elif isinstance(type_, graphql.GraphQLInputObjectType):
        fields = {name: typed_value(field.type, depth + 1) for name, field in type_.fields.items()}
        shaped = st.fixed_dictionaries(
            {n: s for n, s in fields.items() if graphql.is_non_null_type(type_.fields[n].type)},
            optional={n: s for n, s in fields.items() if not graphql.is_non_null_type(type_.fields[n].type)},
        )
    elif isinstance(type_, graphql.GraphQLEnumType):
        shaped = st.sampled_from([*type_.values, "NOT_A_VALUE"])
    elif type_.name in ("String", "ID", "JSON"):
        shaped = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=20), global_ids())
    elif type_.name == "Int":
        shaped = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from(EDGE_INTS))
    elif type_.name == "Boolean":
        shaped = st.booleans()
    elif type_.name == "Float":
        shaped = st.floats(allow_nan=False)
    elif type_.name == "Date":
        shaped = st.one_of(st.dates().map(str), st.just("2026-02-30"))
    elif type_.name == "DateTime":
        shaped = st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.just("soon"))
    else:  # Upload and anything new
        shaped = st.none()
    return st.one_of(shaped, shaped, EDGE_VALUES)


def global_ids() -> st.SearchStrategy:
    """Global IDs of real type names with hostile keys (huge, Unicode digits, negative, text)."""
    import base64

    names = sorted(
        n
        for n, t in SCHEMA.type_map.items()
        if isinstance(t, graphql.GraphQLObjectType) and not n.startswith("__")
    )
    keys = st.sampled_from(["1", "0", "-1", "9" * 40, "9223372036854775808", "²", "١٢", "x", "\x00", "a/b"])
    return st.builds(
        lambda name, key: base64.urlsafe_b64encode(f"{name}:{key}".encode("utf-8", "surrogatepass")).decode(),
        st.sampled_from(names),
        keys,
    )


def _selection(type_: graphql.GraphQLOutputType) -> str:
    named = graphql.get_named_type(type_)
    return (
        " { __typename }"
        if isinstance(
            named, (graphql.GraphQLObjectType, graphql.GraphQLInterfaceType, graphql.GraphQLUnionType)
        )
        else ""
    )


@st.composite
def operations_with_variables(draw) -> dict:
    """One root field with every argument passed as a variable of its declared type."""
    kind = draw(st.sampled_from(["query", "mutation", "subscription"]))
    root = {
        "query": SCHEMA.query_type,
        "mutation": SCHEMA.mutation_type,
        "subscription": SCHEMA.subscription_type,
    }[kind]
    name = draw(st.sampled_from(sorted(root.fields)))
    field = root.fields[name]
    declarations, arguments, variables = [], [], {}
    for index, (arg_name, arg) in enumerate(sorted(field.args.items())):
        var = f"v{index}"
        declarations.append(f"${var}: {arg.type}")
        arguments.append(f"{arg_name}: ${var}")
        if draw(st.integers(0, 9)) > 0:  # now and then a variable goes missing
            variables[var] = draw(typed_value(arg.type))
    header = f"{kind}({', '.join(declarations)})" if declarations else kind
    call = f"{name}({', '.join(arguments)})" if arguments else name
    return {"query": f"{header} {{ {call}{_selection(field.type)} }}", "variables": variables}


def raw_bodies() -> st.SearchStrategy:
    """Bodies json.dumps cannot make: JSON nested thousands deep in `variables` or as the body."""
    depth = st.sampled_from([40, 500, 3000, 20000])
    return st.one_of(
        depth.map(lambda n: '{"query": "{ me { id } }", "variables": {"a": ' + "[" * n + "]" * n + "}}"),
        depth.map(lambda n: "{" + '"a":{' * n + "}" * n + "}"),
    )


@pytest.fixture(scope="module")
def fuzz_app(backend, tmp_path_factory):
    """The app on its own event loop, with an anonymous caller, a user and an admin."""
    loop = asyncio.new_event_loop()
    stack = contextlib.AsyncExitStack()
    client = loop.run_until_complete(
        stack.enter_async_context(running_app(settings_for(backend, tmp_path_factory.mktemp("fuzz"))))
    )
    user = loop.run_until_complete(client.signup())
    admin = loop.run_until_complete(client.signup(roles=("ADMIN",)))
    callers = [{}, user.headers, admin.headers]
    yield loop, client, callers
    loop.run_until_complete(stack.aclose())
    loop.close()


def _send(fuzz_app, caller: int, body: dict | None = None, raw: str | None = None) -> None:
    loop, client, callers = fuzz_app
    content = raw if raw is not None else json.dumps(body)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/graphql-response+json",
        **callers[caller],
    }
    response = loop.run_until_complete(client.http.post("/graphql", content=content, headers=headers))
    assert response.status_code < 500, (content[:500], response.text[:500])
    assert "INTERNAL_SERVER_ERROR" not in response.text, (content[:500], response.text[:500])


DOCUMENTS = st.one_of(
    queries(SCHEMA, custom_scalars=CUSTOM_SCALARS, codec=None),
    mutations(SCHEMA, custom_scalars=CUSTOM_SCALARS, codec=None),
    queries(SCHEMA, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE),
    mutations(SCHEMA, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE),
)


@BUDGET
@given(document=DOCUMENTS, caller=st.integers(0, 2))
def test_generated_documents_never_answer_internal_errors(fuzz_app, document, caller):
    _send(fuzz_app, caller, {"query": document})


@BUDGET
@given(operation=operations_with_variables(), caller=st.integers(0, 2))
def test_generated_variables_never_answer_internal_errors(fuzz_app, operation, caller):
    _send(fuzz_app, caller, operation)


@settings(BUDGET, max_examples=12)
@given(raw=raw_bodies(), caller=st.integers(0, 2))
def test_deep_json_bodies_never_answer_internal_errors(fuzz_app, raw, caller):
    _send(fuzz_app, caller, raw=raw)
