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
from core.plugins import call_async, plugin_results
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
        assert "startup" in services.stash[dummy.CALLS]
        assert (await client.http.get("/dummy/ping")).text == "pong"
        assert await services.jobs.run_now("dummy.job", value="x") == "x"
        await services.jobs.enqueue("dummy.job", value="queued")
        await services.jobs.drain()
        assert "job:queued" in services.stash[dummy.CALLS]
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
        await services.jobs.drain()  # events are dispatched by a job after commit
        assert "event:7" in services.stash[dummy.CALLS]
        with use_orm(services.orm):
            seeded = await call_async(services.pm, "seed_demo_data", services=services)
        assert ["dummy seed"] in seeded
        pm = services.pm
        assert pm.hook.register_entitlements()[0][0].key in {"dummy_pro"}
        assert "dummy.happened" in [e.name for events in pm.hook.register_events() for e in events]
        assert "dummy:read" in [p.key for perms in pm.hook.register_permissions() for p in perms]
        assert dict(plugin_results(pm, "register_help_content"))["dummy"] == []
        assert [] in pm.hook.register_payment_providers()
        assert any(
            a.topic == "platform.human_agent" for acts in pm.hook.register_assistant_actions() for a in acts
        )
    assert "shutdown" in services.stash[dummy.CALLS]


FEATURES = "{ features { key enabled } }"


async def test_flag_hooks_declare_store_and_describe(make_client):
    async with make_client(extra_plugins=(dummy,), plugins="account,payments,premium,features") as client:
        specs = client.services.flags.specs
        assert specs["dummy.beta"].default is False and specs["dummy.beta"].plugin == "dummy"
        assert {"account", "features", "dummy"} <= set(specs)  # every schema plugin's kill switch
        # flag_rules: the stored rule targets English requests, at 0 % for everyone else
        english = await client.gql(FEATURES, headers={"Accept-Language": "en"})
        chinese = await client.gql(FEATURES, headers={"Accept-Language": "zh-CN"})
        assert {"key": "dummy.beta", "enabled": True} in english["data"]["features"]
        assert {"key": "dummy.beta", "enabled": False} in chinese["data"]["features"]
        # flag_context: a signed-in user's evaluation context carries the plugin's attribute
        user = await client.signup()
        from core.callers import actor_for_token
        from core.context import RequestContext

        context = RequestContext(services=client.services)
        with use_orm(client.services.orm):
            context.actor = await actor_for_token(client.services, user.token)
            evaluation = await client.services.flags.evaluation_context(context)
        assert evaluation.attributes["dummyLevel"] == 3
        assert evaluation.attributes["verifiedAdult"] is False  # the account plugin's attribute


def test_plugin_commands_join_the_cli(capsys):
    from core.plugins import get_plugin_manager
    from core.settings import Settings
    from selfserve import cli

    settings = Settings(plugins="account")
    parser = cli.build_parser(settings, get_plugin_manager(["account"], extra=(dummy,)))
    args = parser.parse_args(["dummy"])
    args.func(settings, args)
    assert "dummy command" in capsys.readouterr().out


REQUEST_CODE = (
    """mutation($input: AccountRequestCodeInput!) { accountRequestCode(input: $input) { __typename } }"""
)
SUBMIT_REAL_NAME = """mutation($input: AccountRealNameSubmitInput!) {
  accountRealNameSubmit(input: $input) { __typename ... on RealNameVerification { status } } }"""


async def test_sms_provider_and_real_name_provider_hooks(make_client):
    from plugins.account.idnumber import check_digit

    async with make_client(extra_plugins=(dummy,), plugins="account", sms_provider="dummy-sms") as client:
        # an SMS code goes through the provider chosen by SELFSERVE_SMS_PROVIDER, not the outbox
        texter = await client.signup()
        body = await client.gql(
            REQUEST_CODE,
            {"input": {"channel": "SMS", "target": "13800138000", "purpose": "VERIFY_CONTACT"}},
            token=texter.token,
        )
        assert body["data"]["accountRequestCode"]["__typename"] == "CodeSent"
        await client.services.jobs.drain()
        sent = client.services.notifier.sender("SMS").sent
        assert [m.target for m in sent] == ["+8613800138000"]
        assert not [m for m in client.services.notifier.read() if m["channel"] == "SMS"]
        # a provider decides a real-name submission at once; others wait for a reviewer
        number = "11010119900307123"
        number += check_digit(number)
        auto, waiting = await client.signup(), await client.signup()
        decided = await client.gql(
            SUBMIT_REAL_NAME, {"input": {"fullName": "Auto Approve", "idNumber": number}}, token=auto.token
        )
        assert decided["data"]["accountRealNameSubmit"] == {
            "__typename": "RealNameVerification",
            "status": "VERIFIED",
        }
        other = "44030519851201456"
        other += check_digit(other)
        pending = await client.gql(
            SUBMIT_REAL_NAME, {"input": {"fullName": "张三", "idNumber": other}}, token=waiting.token
        )
        assert pending["data"]["accountRealNameSubmit"]["status"] == "PENDING"


def test_an_unknown_sms_provider_stops_start_up():
    from core.notify import make_notifier
    from core.settings import Settings

    with pytest.raises(RuntimeError, match="nope"):
        make_notifier(Settings(sms_provider="nope"), [dummy.DummySms()])
