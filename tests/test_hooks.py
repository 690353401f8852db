"""Meta-tests (Datasette's): every hook has a docstring, is documented, and is exercised by the
dummy plugin through a running app."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs
from core.db import use_orm
from core.events import Event
from core.plugins import call_async
from tests.plugins.dummy import hooks as dummy

HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if inspect.isfunction(obj) and hasattr(obj, "selfserve_spec")
)
DOCS = (Path(__file__).parent.parent / "docs" / "hooks.md").read_text(encoding="utf-8")


def test_there_are_hooks():
    assert len(HOOKS) >= 15


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_docstring(name):
    assert (getattr(hookspecs, name).__doc__ or "").strip()


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_documented(name):
    assert re.search(rf"^## `?{name}\b", DOCS, re.MULTILINE), f"docs/hooks.md lacks a section for {name}"


@pytest.mark.parametrize("name", HOOKS)
def test_the_dummy_plugin_implements_every_hook(name):
    assert callable(getattr(dummy, name, None))


async def test_hooks_run_in_a_live_app(make_client):
    async with make_client(extra_plugins=(dummy,), plugins="account") as client:
        services = client.services
        # startup ran, routes are mounted, jobs registered, errors translated, actors resolved
        assert "startup" in services.extras["dummy"]
        assert (await client.http.get("/dummy/ping")).text == "pong"
        assert await services.jobs.run_now("dummy.job", value="x") == "x"
        await services.jobs.enqueue("dummy.job", value="queued")
        await services.jobs.drain()
        assert "job:queued" in services.extras["dummy"]
        body = await client.gql(
            '{ dummyEcho(label: "fail") { __typename ... on DummyError { code message } } }'
        )
        assert body["data"]["dummyEcho"] == {
            "__typename": "DummyError",
            "code": "DUMMY_FAILED",
            "message": "The dummy failed.",
        }
        zh = await client.gql(
            '{ dummyEcho(label: "fail") { ... on DummyError { message } } }',
            headers={"Accept-Language": "zh-CN"},
        )
        assert zh["data"]["dummyEcho"]["message"] == "测试失败。"
        secret = await client.gql(
            "{ dummySecret { __typename ... on DummySecret { value } } }", token="dummy-token"
        )
        assert secret["data"]["dummySecret"] == {"__typename": "DummySecret", "value": "42"}
        await services.events.publish(Event("dummy.happened", {"n": 7}))
        assert "event:7" in services.extras["dummy"]
        with use_orm(services.orm):
            seeded = await call_async(services.pm, "seed_demo_data", services=services)
        assert ["dummy seed"] in seeded
        pm = services.pm
        assert pm.hook.register_entitlements()[0][0].key in {"dummy_pro"}
        assert "dummy.happened" in [e for events in pm.hook.register_events() for e in events]
        assert pm.hook.register_help_content() is not None
        assert [] in pm.hook.register_payment_providers()
        assert any(
            a.topic == "platform.human_agent" for acts in pm.hook.register_assistant_actions() for a in acts
        )
    assert "shutdown" in services.extras["dummy"]


def test_plugin_commands_join_the_cli(capsys):
    from core.plugins import get_plugin_manager
    from core.settings import Settings
    from selfserve import cli

    settings = Settings(plugins="account")
    parser = cli.build_parser(settings, get_plugin_manager(["account"], extra=(dummy,)))
    args = parser.parse_args(["dummy"])
    args.func(settings, args)
    assert "dummy command" in capsys.readouterr().out
