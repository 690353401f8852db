"""Request limits at N and N+1: depth, aliases (fragments expanded), tokens, mutations per request."""

from __future__ import annotations

import pytest

from tests.plugins.dummy import hooks as dummy


@pytest.fixture
async def dummy_client(make_client):
    async with make_client(extra_plugins=(dummy,), plugins="account") as client:
        yield client


def nested(depth: int) -> str:
    """A query of exactly `depth` levels: dummyTree { child { ... { level } } }."""
    inner = "level"
    for _ in range(depth - 2):
        inner = f"child {{ {inner} }}"
    return f"{{ dummyTree {{ {inner} }} }}"


def code_of(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def test_depth_ten_passes_and_eleven_is_too_complex(dummy_client):
    assert code_of(await dummy_client.gql(nested(10))) is None
    assert code_of(await dummy_client.gql(nested(11))) == "QUERY_TOO_COMPLEX"


async def test_introspection_does_not_count_towards_depth(dummy_client):
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }"
    assert code_of(await dummy_client.gql(query)) is None


async def test_fifteen_aliases_pass_and_sixteen_do_not(dummy_client):
    def aliases(n: int) -> str:
        return "{ " + " ".join(f'a{i}: dummyEcho(label: "x") {{ __typename }}' for i in range(n)) + " }"

    assert code_of(await dummy_client.gql(aliases(15))) is None
    assert code_of(await dummy_client.gql(aliases(16))) == "QUERY_TOO_COMPLEX"


async def test_aliases_are_counted_through_fragments(dummy_client):
    fields = " ".join(f"l{i}: level" for i in range(8))
    once = f"{{ dummyTree {{ ...F }} }} fragment F on DummyNest {{ {fields} }}"
    twice = f"{{ dummyTree {{ ...F child {{ ...F }} }} }} fragment F on DummyNest {{ {fields} }}"
    assert code_of(await dummy_client.gql(once)) is None
    assert code_of(await dummy_client.gql(twice)) == "QUERY_TOO_COMPLEX"


async def test_depth_is_counted_through_fragments(dummy_client):
    query = "{ dummyTree { ...A } } fragment A on DummyNest { child { ...B } } " + (
        "fragment B on DummyNest { " + "child { " * 8 + "level" + " }" * 8 + " }"
    )
    assert code_of(await dummy_client.gql(query)) == "QUERY_TOO_COMPLEX"


def document_of_tokens(count: int) -> str:
    """A document of exactly `count` lexical tokens (unused variables pad it out)."""
    from graphql.language import Lexer, Source, TokenKind

    variables = (count - 6) // 4
    padding = (count - 6) % 4
    doc = (
        "query("
        + " ".join(f"$v{i}: Int" for i in range(variables))
        + ") { "
        + "__typename " * (1 + padding)
        + "}"
    )
    lexer, tokens = Lexer(Source(doc)), 0
    while lexer.advance().kind != TokenKind.EOF:
        tokens += 1
    assert tokens == count
    return doc


async def test_token_limit(dummy_client):
    assert code_of(await dummy_client.gql(document_of_tokens(2000))) != "QUERY_TOO_COMPLEX"
    assert code_of(await dummy_client.gql(document_of_tokens(2001))) == "QUERY_TOO_COMPLEX"


async def test_five_mutations_pass_and_six_do_not(dummy_client):
    def mutations(n: int) -> str:
        return "mutation { " + " ".join(f"m{i}: dummyTouch" for i in range(n)) + " }"

    assert (await dummy_client.gql(mutations(5)))["data"]["m4"] is True
    assert code_of(await dummy_client.gql(mutations(6))) == "QUERY_TOO_COMPLEX"
