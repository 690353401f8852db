"""A test plugin implementing every hook, so each hook is exercised by the contract tests.

It records lifecycle calls on `services.stash[CALLS]`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from core.context import Actor
from core.contributions import AssistantActionSpec, EventSpec, NodeType, PermissionSpec, SchemaContribution
from core.entitlements import EntitlementSpec
from core.errors import DomainError, NotAuthenticated, RateLimited
from core.flag_rules import FlagRule, FlagSpec
from core.hookspecs import hookimpl
from core.jobs import JobSpec
from core.metrics import MetricSpec, count
from core.stash import StashKey
from schema.errors import PluginError
from schema.permissions import EntitlementRequired, RequiresEntitlement
from schema.relay import Node, to_global_id

PLUGIN_NAME = "dummy"
#: What the hooks were called for, in order ("startup", "job:<value>", ...).
CALLS = StashKey[list[str]]()


@strawberry.type(description="A dummy failure.")
class DummyError(PluginError, codes=["DUMMY_FAILED"], plugin="dummy"):
    pass


dummy_error_handler = DummyError.handler


@strawberry.type(description="A dummy node.")
class DummyThing(Node):
    label: str = strawberry.field(description="A label.")


@strawberry.type(description="The paid dummy answer.")
class DummySecret:
    value: str = strawberry.field(description="The secret.")


DummyEchoResult = Annotated[DummyThing | DummyError, strawberry.union("DummyEchoResult")]
DummySecretResult = Annotated[DummySecret | EntitlementRequired, strawberry.union("DummySecretResult")]


@strawberry.type
class DummyQuery:
    @strawberry.field(description="Echo a label; `fail` raises a domain error, `crash` an unexpected one.")
    def dummy_echo(self, label: str) -> DummyEchoResult:
        if label == "fail":
            raise DomainError("DUMMY_FAILED")
        if label == "crash":
            raise RuntimeError("secret internal detail")
        return DummyThing(id=to_global_id("DummyThing", label), label=label)

    @strawberry.field(
        description="A paid field with a typed upsell.", extensions=[RequiresEntitlement("dummy_pro")]
    )
    def dummy_secret(self) -> DummySecretResult:
        return DummySecret(value="42")

    @strawberry.field(
        description="A paid field without a typed upsell.", extensions=[RequiresEntitlement("dummy_pro")]
    )
    def dummy_plain_secret(self) -> str | None:
        return "42"

    @strawberry.field(description="Depth test helper: a thing with a child.")
    def dummy_tree(self) -> DummyNest:
        return DummyNest(level=1)


@strawberry.type(description="A nesting helper for depth-limit tests.")
class DummyNest:
    level: int = strawberry.field(description="Depth.")

    @strawberry.field(description="The next level.")
    def child(self) -> DummyNest:
        return DummyNest(level=self.level + 1)


@strawberry.type
class DummyMutation:
    @strawberry.mutation(description="Counts calls (mutation-limit tests).")
    def dummy_touch(self) -> bool:
        return True


_TICK_FAILURES = {
    "fail": lambda: DomainError("DUMMY_FAILED"),
    "unauthenticated": lambda: NotAuthenticated(),
    "limited": lambda: RateLimited(30),
    "crash": lambda: RuntimeError("secret internal detail"),
}


@strawberry.type
class DummySubscription:
    @strawberry.subscription(
        description="One tick, then the failure `outcome` names (websocket error tests)."
    )
    async def dummy_ticks(self, outcome: str) -> AsyncGenerator[int, None]:
        yield 1
        if outcome in _TICK_FAILURES:
            raise _TICK_FAILURES[outcome]()

    @strawberry.subscription(description="One tick, then quiet until the client completes (metrics tests).")
    async def dummy_wait(self) -> AsyncGenerator[int, None]:
        yield 1
        await asyncio.sleep(3600)


async def _load(ids, context):
    return [
        DummyThing(id=to_global_id("DummyThing", i), label=str(i)) if i != "missing" else None for i in ids
    ]


def _can_view(obj, context):
    return obj.label != "hidden"


@hookimpl
def register_models():
    return {}


@hookimpl
def register_schema():
    return SchemaContribution(
        query=DummyQuery,
        mutation=DummyMutation,
        subscription=DummySubscription,
        types=(DummyThing,),
        exception_handlers=[dummy_error_handler],
        nodes=[NodeType("DummyThing", _load, _can_view)],
    )


@hookimpl
def register_entitlements():
    return [EntitlementSpec("dummy_pro", "dummy_pro", {"en": "Dummy Pro", "zh-CN": "测试专业版"})]


@hookimpl
def register_events():
    return [
        EventSpec("dummy.happened", "A dummy thing happened.", "dummy:read", example={"n": 7}, fields=("n",))
    ]


@hookimpl
def register_permissions():
    return [PermissionSpec("dummy:read", "Read dummy things.")]


async def _job(services, value: str = "") -> str:
    services.stash.setdefault(CALLS, []).append(f"job:{value}")
    count(services, "selfserve_dummy_jobs_total", kind="plain")
    return value


@hookimpl
def register_metrics():
    return [
        MetricSpec("selfserve_dummy_jobs_total", "Dummy jobs run (plugin metrics test).", labels=("kind",))
    ]


@hookimpl
def register_jobs():
    return [JobSpec("dummy.job", _job)]


@hookimpl
def register_help_content():
    return []


@hookimpl
def register_assistant_actions():
    return [
        AssistantActionSpec("platform.human_agent", "operation", "dummyEcho", {"en": "Echo", "zh-CN": "回声"})
    ]


@hookimpl
def register_error_codes():
    return {"DUMMY_FAILED": {"en": "The dummy failed.", "zh-CN": "测试失败。"}}


async def _ping(request):
    return PlainTextResponse("pong")


@hookimpl
def register_routes():
    return [Route("/dummy/ping", _ping)]


@hookimpl
def register_commands(cli):
    parser = cli.add_parser("dummy", help=argparse.SUPPRESS)
    parser.set_defaults(func=lambda settings, args: print("dummy command"))


@hookimpl
def startup(app_state):
    app_state.stash.setdefault(CALLS, []).append("startup")


@hookimpl
async def shutdown(app_state):
    app_state.stash.setdefault(CALLS, []).append("shutdown")


@hookimpl
async def actor_from_token(token, services):
    if token == "dummy-token":
        return Actor(user_id="999999", roles=frozenset({"USER"}))
    return None


@hookimpl
async def entitlements_for_user(user_id, services):
    return ["dummy_pro"] if user_id == "999999" else []


@hookimpl
async def on_event(event, services):
    if event.name == "dummy.happened":
        services.stash.setdefault(CALLS, []).append(f"event:{event.payload.get('n')}")


@hookimpl
def register_flags():
    return [FlagSpec("dummy.beta", "A dummy beta feature.", default=False)]


@hookimpl
async def flag_rules(services):
    return [FlagRule("dummy.beta", enabled=True, rollout_percent=0, segment={"languages": ["en"]})]


@hookimpl
def flag_context(actor, services):
    return {"dummyLevel": 3}


@hookimpl
def seed_demo_data(services):
    services.stash.setdefault(CALLS, []).append("seed")
    return ["dummy seed"]


@hookimpl
def register_payment_providers():
    return []


class DummySms:
    """An SMS provider that keeps what it was asked to send."""

    name = "dummy-sms"

    def __init__(self) -> None:
        self.sent: list = []

    async def send(self, message) -> None:
        self.sent.append(message)


class DummyFaceVerifier:
    """A face verifier that always passes (selected with SELFSERVE_ACCOUNT_FACE_VERIFIER=dummy)."""

    name = "dummy"

    async def verify(self, services, *, user_id, selfie, id_photo):
        from plugins.account.face import FaceCheck

        return FaceCheck(liveness=1.0, match=1.0)


@hookimpl
def register_sms_providers():
    return [DummySms()]


@hookimpl
def register_face_verifiers():
    return [DummyFaceVerifier()]


@hookimpl
async def real_name_decision(submission, services):
    from plugins.account.realname import RealNameDecision

    if submission.full_name == "Auto Approve":
        return RealNameDecision(approve=True, note="checked by the dummy provider")
    return None
