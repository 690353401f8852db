"""The plain-field executor (schema/executor.py) answers exactly what graphql-core's executor does:
data, errors, their paths and null propagation, for plain fields, resolvers, lists and failures."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import pytest
import strawberry

from schema.executor import OBJECT_LIST, executor_class, plan_table


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Leafy:
    name: str
    maybe: str | None
    when: datetime
    colour: Colour
    count: int

    @strawberry.field
    async def loud(self) -> str:
        return self.name.upper()

    @strawberry.field
    async def broken(self) -> str:
        raise ValueError("broken resolver")

    @strawberry.field
    def broken_nullable(self) -> str | None:
        raise ValueError("nullable broken")

    @strawberry.field
    def nothing(self) -> str | None:
        return None

    @strawberry.field
    def tally(self) -> int:
        return self.count * 2


@strawberry.type
class Inner:
    size: int
    label: str | None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Plain(Named):
    """Only plain fields: a list of these is built one call per item (schema/row_builder.py)."""

    colour: Colour
    when: datetime
    inner: Inner
    maybe_inner: Inner | None
    inners: list[Inner]
    maybe_inners: list[Inner | None] | None


@strawberry.type
class Holder:
    leaf: Leafy
    maybe_leaf: Leafy | None
    leaves: list[Leafy]
    maybe_items: list[Leafy | None]
    tags: list[str]
    plains: list[Plain]
    maybe_plains: list[Plain | None]


def _leaf(name: str = "a", **changes) -> Leafy:
    values = {
        "name": name,
        "maybe": None,
        "when": datetime(2026, 1, 2, tzinfo=UTC),
        "colour": Colour.RED,
        "count": 3,
    }
    values.update(changes)
    return Leafy(**values)


def _plain(name: str = "p", **changes) -> Plain:
    values = {
        "name": name,
        "colour": Colour.RED,
        "when": datetime(2026, 1, 2, tzinfo=UTC),
        "inner": Inner(size=1, label="one"),
        "maybe_inner": None,
        "inners": [Inner(size=2, label=None), Inner(size=3, label="three")],
        "maybe_inners": [None, Inner(size=4, label="four")],
    }
    values.update(changes)
    return Plain(**values)


def _holder(**changes) -> Holder:
    values = {
        "leaf": _leaf(),
        "maybe_leaf": None,
        "leaves": [_leaf("x"), _leaf("y")],
        "maybe_items": [_leaf("z"), None],
        "tags": ["t"],
        "plains": [_plain("p1"), _plain("p2", maybe_inner=Inner(size=9, label="nine"), maybe_inners=None)],
        "maybe_plains": [None, _plain("p3")],
    }
    values.update(changes)
    return Holder(**values)


def _schemas(holder: Holder):
    @strawberry.type
    class Query:
        @strawberry.field
        async def holder(self) -> Holder | None:
            return holder

        @strawberry.field
        def direct(self) -> Holder:
            return holder

        @strawberry.field
        def echo(self, text: str) -> str:
            return text

        @strawberry.field
        def missing(self) -> Holder:
            return None  # type: ignore[return-value] - null in a non-null object

        @strawberry.field
        def impostor(self) -> Holder | None:
            return _leaf()  # type: ignore[return-value] - a wrong object type

        @strawberry.field
        def impostors(self) -> list[Leafy]:
            return [_leaf(), holder]  # type: ignore[list-item] - a wrong item type

        @strawberry.field
        async def later_leaves(self) -> list[Leafy | None]:
            return [_leaf("l"), None]

    stock = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query)
    fast.execution_context_class = executor_class(fast._schema)
    return stock, fast


QUERIES = [
    "{ holder { leaf { name maybe when colour count loud } tags } }",
    "{ holder { leaves { name loud when } maybeItems { name } maybeLeaf { name } } }",
    "{ holder { leaves { name broken } } }",
    "{ holder { leaf { brokenNullable name } leaves { brokenNullable count } } }",
    "{ direct { leaf { n: name name2: name __typename } } holder { leaf { ... on Leafy { count } } } }",
    "query($skip: Boolean!) { holder { leaf { name @skip(if: $skip) count } } }",
    '{ echo(text: "hi") missing { tags } direct { tags } }',
    "{ impostor { tags } impostors { name } laterLeaves { name loud } direct { tags } }",
    "{ direct { leaf { loud broken } } laterLeaves { brokenNullable } }",
    "{ holder { leaves { nothing tally name } leaf { nothing } } }",
    "{ holder { plains { name colour when inner { size label } maybeInner { size } inners { label size }"
    " maybeInners { size } } maybePlains { name } } }",
    "{ holder { plains { n: name ... on Plain { colour } ...P __typename inner { __typename size } } } }"
    " fragment P on Named { name }",
    "query($skip: Boolean!) { holder { plains { name @skip(if: $skip) inner { size @include(if: $skip) } } } }",
    "{ holder { plains { name leaves: inners { size } } leaves { colour name } } }",
]
BAD_VALUES = [
    {"leaf": _leaf(name=None)},  # null in a non-null leaf
    {"leaf": _leaf(count="many")},  # a value the scalar refuses
    {"leaf": None},  # null in a non-null object
    {"leaves": [_leaf(), None]},  # null item in a non-null list
    {"leaves": [_leaf(), "not a Leafy"]},  # wrong object type
    {"leaves": "not a list"},
    {"maybe_items": [None, _leaf(name=None)]},
    # Lists of plain items (built per item, else the normal path for that item):
    {"plains": [_plain(), _plain(name=None)]},  # null in a non-null leaf
    {"plains": [_plain(colour="not a colour")]},  # a value the enum refuses
    {"plains": [_plain(inner=None)]},  # null in a non-null nested object
    {"plains": [_plain(inner=_leaf())]},  # a wrong nested object type
    {"plains": [_plain(inners=[Inner(size=1, label=None), None])]},  # null item, non-null list
    {"plains": [_plain(inners="not a list")]},
    {"plains": [_plain(inner=Inner(size="big", label=None))]},  # a bad nested leaf
    {"plains": [_plain(), _leaf()]},  # a wrong item type
    {"maybe_plains": [_plain(maybe_inners=[Inner(size=None, label=None)])]},
]


def _answer(result):
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or ())
    return result.data, errors


@pytest.mark.parametrize("query", QUERIES)
async def test_same_answers_as_graphql_core(query):
    stock, fast = _schemas(_holder())
    variables = {"skip": True}
    expected = await stock.execute(query, variable_values=variables)
    got = await fast.execute(query, variable_values=variables)
    assert _answer(got) == _answer(expected)
    if expected.data and expected.data.get("holder"):
        assert list(got.data["holder"]) == list(expected.data["holder"])  # the query's field order


@pytest.mark.parametrize("changes", BAD_VALUES)
async def test_bad_values_give_the_same_errors_and_null_propagation(changes):
    stock, fast = _schemas(_holder(**changes))
    query = (
        "{ holder { leaf { name count } leaves { name } maybeItems { name } plains { name colour"
        " inner { size } inners { size label } } maybePlains { name maybeInners { size } } } direct { tags } }"
    )
    expected = await stock.execute(query)
    got = await fast.execute(query)
    assert expected.errors  # the case really is an error
    assert _answer(got) == _answer(expected)


def test_plain_fields_and_resolvers_without_arguments_are_planned():
    _, fast = _schemas(_holder())
    table = plan_table(fast._schema)
    plain = {name for name, plan in table["Leafy"].items() if plan.field_def is None}
    assert plain == {"name", "maybe", "when", "colour", "count"}
    assert {"loud", "broken", "brokenNullable"} <= set(table["Leafy"])  # resolvers: completion only
    assert table["Holder"]["leaves"].kind == OBJECT_LIST
    assert "tags" not in table["Holder"]  # lists of scalars take the normal path
    assert table["Query"]["holder"].field_def is not None
    assert "echo" not in table["Query"]  # a field with arguments takes the normal path


async def test_lists_of_plain_items_are_built_one_call_per_item(monkeypatch):
    import schema.executor as executor

    built: list[str] = []
    original = executor.compile_rows

    def counting_compile(fields, miss):
        build = original(fields, miss)

        def counting(source):
            result = build(source)
            built.append(type(source).__name__ if result is not miss else "miss")
            return result

        return counting

    monkeypatch.setattr(executor, "compile_rows", counting_compile)
    stock, fast = _schemas(_holder(maybe_plains=[_plain("a"), _plain(name=None), _plain("c")]))
    query = "{ holder { maybePlains { name inner { size } } } }"
    expected = await stock.execute(query)
    assert _answer(await fast.execute(query)) == _answer(expected)
    assert expected.data["holder"]["maybePlains"][1] is None and expected.errors
    # A nested object is built inside its item's call (so it is counted first); the item with a
    # null name stopped at its first field and took the normal path (which nulled it).
    assert built == ["Inner", "Plain", "miss", "Inner", "Plain"]


def test_generated_builders_follow_the_query_order_and_refuse_what_they_cannot_build():
    from schema.row_builder import LEAF, OBJECT, OBJECT_LIST, Field, compile_rows

    miss = object()

    def attr(name):
        return lambda source: getattr(source, name)

    inner = compile_rows((Field("size", LEAF, attr("size"), False, serialize=int, exact=None),), miss)
    build = compile_rows(
        (
            Field("z", LEAF, attr("name"), False, serialize=str, exact=str),
            Field("a", OBJECT, attr("inner"), True, build=inner),
            Field("list", OBJECT_LIST, attr("inners"), False, build=inner, items_nullable=True),
        ),
        miss,
    )

    class Source:
        def __init__(self, **values):
            self.__dict__.update(values)

    ok = build(Source(name="n", inner=None, inners=[Source(size=1), None]))
    assert ok == {"z": "n", "a": None, "list": [{"size": 1}, None]}
    assert list(ok) == ["z", "a", "list"]
    assert build(Source(name=None, inner=None, inners=[])) is miss  # null in a non-null leaf
    assert build(Source(name="n", inner=None, inners="abc")) is miss  # not a list
    assert build(Source(name="n", inner=Source(size=None), inners=[])) is miss  # nested refusal
    assert build(Source(name="n", inner=None)) is miss  # an exception (no attribute)


async def test_builders_are_compiled_once_per_shape_not_per_request(monkeypatch):
    import schema.executor as executor

    compiled: list[int] = []
    original = executor.compile_rows

    def counting_compile(fields, miss):
        compiled.append(len(fields))
        return original(fields, miss)

    monkeypatch.setattr(executor, "compile_rows", counting_compile)
    stock, fast = _schemas(_holder())
    query = "{ holder { plains { name inner { size } } } }"
    first = await fast.execute(query)
    assert compiled == [1, 2]  # Inner's selection, then Plain's
    second = await fast.execute(query)
    other = await fast.execute("{ holder { plains { n: name } } }")
    assert compiled == [1, 2, 1]  # the same shape again compiled nothing; a new one compiled once
    assert _answer(first) == _answer(second) == _answer(await stock.execute(query))
    assert other.data["holder"]["plains"][0] == {"n": "p1"}
