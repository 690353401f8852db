"""The assembled schema: committed SDL, plugin toggling, collisions, gating, masking, `node(id:)`,
and production hardening."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import strawberry

from core.contributions import SchemaContribution
from core.hookspecs import hookimpl
from core.plugins import get_plugin_manager
from core.settings import Settings
from schema.build import SchemaCollision, build_schema
from schema.relay import to_global_id
from tests.plugins.dummy import hooks as dummy

SDL = Path(__file__).parent.parent / "schema" / "schema.graphql"


def settings(**values) -> Settings:
    return Settings(env="test", secret_key="k" * 40, **values)


def query_fields(schema) -> set[str]:
    return set(schema._schema.query_type.fields)


def test_committed_sdl_matches_the_built_schema():
    built = build_schema(get_plugin_manager(), settings()).as_str() + "\n"
    assert built == SDL.read_text(encoding="utf-8"), "run `make schema` and commit schema/schema.graphql"


def test_a_disabled_plugin_has_no_fields():
    everything = build_schema(get_plugin_manager(), settings())
    account_only = build_schema(get_plugin_manager(["account"]), settings())
    assert "me" in query_fields(account_only)
    # a strict subset: the other plugins' fields are gone, and nothing appears that "all" lacks
    assert query_fields(account_only) < query_fields(everything)
    with_dummy = build_schema(get_plugin_manager(["account"], extra=(dummy,)), settings())
    assert "dummyEcho" in query_fields(with_dummy)
    assert "dummyEcho" not in query_fields(account_only)


def _plugin(name: str, query_type: type | tuple[type, ...]) -> SimpleNamespace:
    @hookimpl
    def register_schema():
        return SchemaContribution(query=query_type)

    return SimpleNamespace(PLUGIN_NAME=name, register_schema=register_schema)


def test_two_plugins_with_the_same_root_field_stop_start_up():
    @strawberry.type
    class FirstQuery:
        @strawberry.field(description="x")
        def clash(self) -> int:
            return 1

    @strawberry.type
    class SecondQuery:
        @strawberry.field(description="x")
        def clash(self) -> int:
            return 2

    pm = get_plugin_manager(["account"], extra=(_plugin("first", FirstQuery), _plugin("second", SecondQuery)))
    with pytest.raises(SchemaCollision, match="'first' and 'second'.*clash"):
        build_schema(pm, settings())


def test_a_plugin_may_contribute_several_query_types_and_they_collide_with_each_other():
    @strawberry.type
    class TicketsQuery:
        @strawberry.field(description="x")
        def several_tickets(self) -> int:
            return 1

    @strawberry.type
    class StaffQuery:
        @strawberry.field(description="x")
        def several_staff(self) -> int:
            return 2

    pm = get_plugin_manager(["account"], extra=(_plugin("several", (TicketsQuery, StaffQuery)),))
    fields = query_fields(build_schema(pm, settings()))
    assert {"severalTickets", "severalStaff", "me"} <= fields

    pm = get_plugin_manager(["account"], extra=(_plugin("twice", (TicketsQuery, TicketsQuery)),))
    with pytest.raises(SchemaCollision, match="'twice' and 'twice'.*severalTickets"):
        build_schema(pm, settings())


@strawberry.type(name="Widget", description="A widget of plugin alpha.")
class AlphaWidget:
    size: int = strawberry.field(description="x")


@strawberry.type(name="Widget", description="A widget of plugin beta.")
class BetaWidget:
    size: int = strawberry.field(description="x")


@strawberry.type
class AlphaQuery:
    @strawberry.field(description="x")
    def alpha_widget(self) -> AlphaWidget:
        return AlphaWidget(size=1)


@strawberry.type
class BetaQuery:
    @strawberry.field(description="x")
    def beta_widget(self) -> BetaWidget:
        return BetaWidget(size=1)


def test_two_plugins_with_the_same_type_name_stop_start_up():
    pm = get_plugin_manager(["account"], extra=(_plugin("alpha", AlphaQuery), _plugin("beta", BetaQuery)))
    with pytest.raises(SchemaCollision, match="'alpha' and 'beta'.*Widget"):
        build_schema(pm, settings())


def test_gated_fields_carry_the_directive_in_the_sdl():
    sdl = build_schema(get_plugin_manager(["account"], extra=(dummy,)), settings()).as_str()
    assert 'dummySecret: DummySecretResult! @requiresEntitlement(key: "dummy_pro")' in sdl
    # building twice must not duplicate the directive (fields are shared objects)
    again = build_schema(get_plugin_manager(["account"], extra=(dummy,)), settings()).as_str()
    assert again.count("@requiresEntitlement") == sdl.count("@requiresEntitlement")


@pytest.fixture
async def dummy_client(make_client):
    async with make_client(extra_plugins=(dummy,), plugins="account") as client:
        yield client


async def test_gating_answers_typed_upsell_or_top_level_error(dummy_client):
    anonymous = await dummy_client.gql("{ dummySecret { __typename } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    user = await dummy_client.signup()
    typed = await dummy_client.gql(
        "{ dummySecret { __typename ... on EntitlementRequired { entitlement product message } } }",
        token=user.token,
    )
    assert typed["data"]["dummySecret"]["__typename"] == "EntitlementRequired"
    assert typed["data"]["dummySecret"]["entitlement"] == "dummy_pro"
    assert "Dummy Pro" in typed["data"]["dummySecret"]["message"]  # the registered product title
    plain = await dummy_client.gql("{ dummyPlainSecret }", token=user.token)
    assert plain["data"] == {"dummyPlainSecret": None}
    assert plain["errors"][0]["extensions"] == {"code": "ENTITLEMENT_REQUIRED", "entitlement": "dummy_pro"}
    granted = await dummy_client.gql("{ dummyPlainSecret }", token="dummy-token")
    assert granted == {"data": {"dummyPlainSecret": "42"}}


async def test_unexpected_errors_are_masked_with_a_request_id(dummy_client):
    body = await dummy_client.gql(
        '{ dummyEcho(label: "crash") { __typename } }', headers={"X-Request-ID": "req-123"}
    )
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"}
    assert "secret internal detail" not in str(body)


async def test_node_lookup_authorizes_per_type(dummy_client):
    query = "query($id: ID!) { node(id: $id) { __typename ... on DummyThing { label } } }"
    visible = await dummy_client.gql(query, {"id": to_global_id("DummyThing", "shown")})
    assert visible["data"]["node"] == {"__typename": "DummyThing", "label": "shown"}
    for node_id in (
        to_global_id("DummyThing", "hidden"),
        to_global_id("DummyThing", "missing"),
        "garbage",
        to_global_id("Nope", 1),
    ):
        assert (await dummy_client.gql(query, {"id": node_id}))["data"]["node"] is None


async def test_production_turns_off_introspection_graphiql_and_suggestions(make_client):
    async with make_client(env="production", plugins="account") as client:
        introspection = await client.gql("{ __schema { queryType { name } } }")
        assert introspection["errors"]
        typo = await client.gql("{ mee { id } }")
        assert "Did you mean" not in typo["errors"][0]["message"]
        page = await client.http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()


async def test_suggestions_help_in_development(client):
    typo = await client.gql("{ mee { id } }")
    assert "Did you mean" in typo["errors"][0]["message"]


async def test_languages_follow_accept_language(client):
    body = await client.gql(
        'mutation { accountRefresh(refreshToken: "x") { ... on AccountError { message } } }',
        headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"},
    )
    assert body["data"]["accountRefresh"]["message"] == "登录状态已失效，请重新登录。"
