"""The plugin contract: declared dependencies checked at start-up, installed plugins that obey
`SELFSERVE_PLUGINS`, plugins registered under their declared names, and every plugin running
with exactly the plugins it requires."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from core.db import use_orm
from core.plugins import (
    DEFAULT_PLUGINS,
    PluginError,
    get_plugin_manager,
    plugin_infos,
    requested_plugins,
)
from core.settings import Settings
from schema.build import build_schema

#: One operation per plugin that must work when the plugin runs with only what it requires.
SMOKE = {
    "account": ("{ me { id displayName } }", lambda data: data["me"]["id"]),
    "ads": ("{ myAdApplications { id } }", lambda data: data["myAdApplications"] == []),
    "appeals": (
        "{ appeals(first: 1) { edges { node { id } } } }",
        lambda data: data["appeals"]["edges"] == [],
    ),
    "assistant": (
        'mutation { assistantAsk(input: {message: "忘记密码怎么办"}) { conversationId answer } }',
        lambda data: data["assistantAsk"]["answer"],
    ),
    "community": ("{ forumBoards { id } }", lambda data: isinstance(data["forumBoards"], list)),
    "content": (
        "{ myVideos(first: 1) { edges { node { id } } } }",
        lambda data: data["myVideos"]["edges"] == [],
    ),
    "feedback": ("{ mySurveys { id } }", lambda data: data["mySurveys"] == []),
    "helpcenter": ("{ helpCategories { key } }", lambda data: len(data["helpCategories"]) >= 6),
    "partners": ("{ viewer { kind } webhookEvents { name } }", lambda data: data["viewer"]["kind"] == "USER"),
    "payments": ("{ wallet { balance currency } }", lambda data: data["wallet"]["balance"] == 0),
    "premium": (
        "{ premiumProducts { key } analyticsReport { __typename } }",
        lambda data: data["analyticsReport"]["__typename"] == "EntitlementRequired",
    ),
    "support": (
        "{ tickets(first: 1) { edges { node { id } } } }",
        lambda data: data["tickets"]["edges"] == [],
    ),
}


def _settings() -> Settings:
    return Settings(env="test", secret_key="x" * 40)


def test_every_built_in_plugin_declares_what_it_requires_and_has_a_smoke_operation():
    infos = plugin_infos(get_plugin_manager())
    assert sorted(infos) == sorted(DEFAULT_PLUGINS)
    for name, info in infos.items():
        assert info.name == name
        assert set(info.requires) <= set(DEFAULT_PLUGINS) - {name}
        assert not set(info.requires) & set(info.optional)
    assert set(SMOKE) == set(DEFAULT_PLUGINS)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["content", "helpcenter"], "plugin 'content' requires 'account'"),
        (["account", "appeals"], "plugin 'appeals' requires 'content'"),
        (["account", "premium"], "plugin 'premium' requires 'payments'"),
        (["account", "assistant"], "plugin 'assistant' requires 'helpcenter'"),
    ],
)
def test_a_set_missing_a_required_plugin_is_refused_naming_both(names, message):
    with pytest.raises(PluginError, match=message):
        get_plugin_manager(names)


def test_plus_names_add_to_the_defaults_and_lists_are_exact():
    assert requested_plugins(None) == list(DEFAULT_PLUGINS)
    assert requested_plugins(["+hello"]) == [*DEFAULT_PLUGINS, "hello"]
    assert requested_plugins(["account", "hello"]) == ["account", "hello"]
    with pytest.raises(PluginError):
        requested_plugins(["account", "+hello"])


def test_a_plugin_registers_under_its_declared_name():
    manifest = SimpleNamespace(__name__="vendor.thing.hooks", PLUGIN_NAME="thing", REQUIRES=("account",))
    pm = get_plugin_manager(["account"], extra=(manifest,))
    assert pm.get_plugin("thing") is manifest
    with pytest.raises(PluginError, match="'thing' requires 'account'"):
        get_plugin_manager([], extra=(manifest,))


HELLO = '''
"""hello: a third-party plugin in one module."""
import strawberry
from core.contributions import SchemaContribution
from core.hookspecs import hookimpl

PLUGIN_NAME = "hello"
REQUIRES = ("account",)


@strawberry.type
class HelloQuery:
    @strawberry.field(description="A greeting from the hello plugin.")
    def hello_world(self) -> str:
        return "hello"


@hookimpl
def register_schema():
    return SchemaContribution(query=HelloQuery)
'''


@pytest.fixture(scope="module")
def installed_hello(tmp_path_factory):
    """`hello` installed into a directory the way pip installs it: the module plus a dist-info
    folder whose entry_points.txt puts it in the `selfserve.plugins` group."""
    site = tmp_path_factory.mktemp("site")
    (site / "selfserve_hello.py").write_text(textwrap.dedent(HELLO), encoding="utf-8")
    dist = site / "selfserve_hello-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: selfserve-hello\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[selfserve.plugins]\nhello = selfserve_hello\n")
    (dist / "RECORD").write_text("")
    return site


def _sdl_with(site, plugins: str | None) -> str:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": f"{root}{os.pathsep}{site}",
        "SELFSERVE_ENV": "test",
    }
    if plugins is not None:
        env["SELFSERVE_PLUGINS"] = plugins
    run = subprocess.run(
        [sys.executable, "-m", "selfserve.cli", "schema"], capture_output=True, text=True, env=env, cwd=root
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_an_installed_plugin_obeys_selfserve_plugins(installed_hello):
    assert "helloWorld" in _sdl_with(installed_hello, "account,hello")
    assert "helloWorld" not in _sdl_with(installed_hello, "account")
    assert "helloWorld" not in _sdl_with(installed_hello, None)  # the default set is the built-ins
    with_defaults = _sdl_with(installed_hello, "+hello")
    assert "helloWorld" in with_defaults and "analyticsReport" in with_defaults


@pytest.mark.parametrize("name", sorted(DEFAULT_PLUGINS))
async def test_each_plugin_works_with_only_what_it_requires(make_client, name):
    required = plugin_infos(get_plugin_manager())[name].requires
    plugins = ",".join(dict.fromkeys([*required, name]))
    build_schema(get_plugin_manager(plugins.split(",")), _settings())  # the schema builds
    query, check = SMOKE[name]
    async with make_client(plugins=plugins) as client:
        if name == "helpcenter" or "helpcenter" in required:
            from plugins.helpcenter.api import ensure_seeded

            with use_orm(client.services.orm):
                await ensure_seeded(client.services)
        user = await client.signup()
        body = await client.gql(query, token=user.token)
    assert "errors" not in body, json.dumps(body, ensure_ascii=False)[:800]
    assert check(body["data"]), body


async def test_premium_without_content_answers_an_entitled_analytics_report(make_client):
    async with make_client(plugins="account,payments,premium") as client:
        admin, user = await client.signup(roles=("ADMIN",)), await client.signup()
        grant = await client.gql(
            "mutation($i: PremiumGrantInput!) { premiumGrant(input: $i) { __typename } }",
            {"i": {"userId": user.id, "product": "analytics_report"}},
            token=admin.token,
        )
        assert grant["data"]["premiumGrant"]["__typename"] == "PremiumGrant", grant
        body = await client.gql(
            "{ analyticsReport { __typename ... on AnalyticsReport { totals { views } } } }", token=user.token
        )
    assert "errors" not in body, body
    assert body["data"]["analyticsReport"]["__typename"] == "AnalyticsReport"
