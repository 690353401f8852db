"""Direct resolvers (schema/direct_resolvers.py) answer exactly what strawberry's wrapper does, and
only fields without arguments, extensions or exception handlers get one."""

from __future__ import annotations

import dataclasses

import pytest
import strawberry
from strawberry.extensions.field_extension import FieldExtension

from schema.direct_resolvers import direct_resolvers
from schema.executor import executor_class


class Shout(FieldExtension):
    def resolve(self, next_, source, info, **kwargs):
        return next_(source, info, **kwargs).upper()


class Refused(Exception):
    pass


@strawberry.type
class Problem:
    reason: str


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def with_self(self) -> str:
        return f"self:{self.name}"

    @strawberry.field
    def with_root(root) -> str:  # noqa: N805 - strawberry passes the source as `root`
        return f"root:{root.name}"

    @strawberry.field
    def with_parent(self, parent: strawberry.Parent[Item]) -> str:
        return f"parent:{parent.name}"

    @strawberry.field
    def with_info(self, info: strawberry.Info) -> str:
        return f"{info.field_name}:{info.context['tag']}:{'/'.join(map(str, info.path.as_list()))}"

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        return f"later:{self.name}:{info.context['tag']}"

    @strawberry.field
    def awaitable(self) -> str:
        async def value() -> str:
            return f"awaitable:{self.name}"

        return value()  # type: ignore[return-value] - strawberry awaits it

    @strawberry.field
    def child(self) -> Item | None:
        return Item(name=self.name + "'") if len(self.name) < 3 else None

    @strawberry.field
    def broken(self) -> str:
        raise ValueError(f"broken {self.name}")

    @strawberry.field
    def null_in_non_null(self) -> str:
        return None  # type: ignore[return-value] - the error case under test

    @strawberry.field
    def with_argument(self, times: int = 2) -> str:
        return self.name * times

    @strawberry.field(extensions=[Shout()])
    def extended(self) -> str:
        return self.name

    @strawberry.field
    def handled(self) -> Item | Problem:
        raise Refused(self.name)


class RefusedHandler(strawberry.ExceptionHandler):
    exception_type = Refused
    error_type = Problem

    def handle(self, exception, *, field, info):
        return Problem(reason=f"refused {exception}")


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(name="a"), Item(name="b")]


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    stock = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query)
    direct_resolvers(fast)
    fast.execution_context_class = executor_class(fast._schema)
    return stock, fast


FIELDS = "name withSelf withRoot withParent withInfo later awaitable withArgument(times: 3) extended"
#: (document, whether it answers with errors)
QUERIES = [
    ("{ items { %s child { %s child { name withInfo } } } }" % (FIELDS, FIELDS), False),  # noqa: UP031
    ("{ items { name broken } }", True),
    ("{ items { nullInNonNull name } }", True),
    ("{ items { child { broken name } later } }", True),
    ("{ items { a: withInfo b: withInfo } }", False),
]


def _answer(result):
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or ())
    return result.data, errors


@pytest.mark.parametrize(("query", "fails"), QUERIES)
async def test_same_answers_as_strawberry(query, fails):
    stock, fast = _schemas()
    context = {"tag": "ctx"}
    expected = await stock.execute(query, context_value=context)
    got = await fast.execute(query, context_value=context)
    assert _answer(got) == _answer(expected)
    assert bool(expected.errors) is fails  # the case is what it says it is


def test_only_fields_without_arguments_extensions_or_handlers_are_direct():
    _, fast = _schemas()
    swapped = set(direct_resolvers(strawberry.Schema(query=Query)))
    assert {"Item.withSelf", "Item.withRoot", "Item.withParent", "Item.withInfo", "Item.later"} <= swapped
    assert "Item.withArgument" not in swapped
    assert "Item.extended" not in swapped
    assert "Item.name" not in swapped  # a plain attribute: the executor's business
    assert "Query.items" in swapped


def test_a_field_an_exception_handler_applies_to_keeps_strawberrys_wrapper():
    @strawberry.type
    class HandledQuery:
        @strawberry.field
        def item(self) -> Item | Problem:
            raise Refused("x")

        @strawberry.field
        def plain(self) -> Item:
            return Item(name="p")

    schema = strawberry.Schema(query=HandledQuery, exception_handlers=[RefusedHandler()])
    swapped = set(direct_resolvers(schema))
    assert "HandledQuery.item" not in swapped
    assert "Item.handled" not in swapped
    assert "HandledQuery.plain" in swapped


async def test_an_exception_handler_still_answers_through_the_fast_schema():
    @strawberry.type
    class HandledQuery:
        @strawberry.field
        def item(self) -> Item | Problem:
            raise Refused("x")

    schema = strawberry.Schema(query=HandledQuery, exception_handlers=[RefusedHandler()])
    direct_resolvers(schema)
    schema.execution_context_class = executor_class(schema._schema)
    result = await schema.execute("{ item { __typename ... on Problem { reason } } }")
    assert result.errors is None
    assert result.data == {"item": {"__typename": "Problem", "reason": "refused x"}}


def test_the_direct_resolver_builds_the_configured_info_class():
    @dataclasses.dataclass
    class Seen:
        info: object = None

    seen = Seen()

    @strawberry.type
    class InfoQuery:
        @strawberry.field
        def who(self, info: strawberry.Info) -> str:
            seen.info = info
            return "ok"

    schema = strawberry.Schema(query=InfoQuery)
    direct_resolvers(schema)
    assert schema.execute_sync("{ who }").data == {"who": "ok"}
    assert isinstance(seen.info, schema.config.info_class)
    assert seen.info.field_name == "who"  # type: ignore[attr-defined]
