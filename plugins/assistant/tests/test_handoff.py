"""assistantHandoff, forwarding after a handoff, rate limits and the containment figure."""

from __future__ import annotations

import types
from datetime import UTC, datetime, timedelta

import pytest

from core.db import use_orm
from core.hookspecs import hookimpl
from plugins.assistant import api, handoff, service
from plugins.assistant.models import Conversation, Message
from plugins.assistant.tests.conftest import ask
from tests.helpers import account_user_pk

HANDOFF = """mutation($id: ID!) { assistantHandoff(conversationId: $id) {
  __typename ... on AssistantError { code message } } }"""


async def test_handoff_needs_a_signed_in_user(bot):
    started = (await ask(bot, "转人工"))["data"]["assistantAsk"]
    body = await bot.gql(HANDOFF, {"id": started["conversationId"]})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.fixture
async def bot_without_support(make_client):
    """The assistant with only what it requires: nobody implements `handoff_ticket`."""
    from plugins.helpcenter.api import ensure_seeded

    async with make_client(plugins="account,helpcenter,assistant") as client:
        with use_orm(client.services.orm):
            await ensure_seeded(client.services)
        yield client


async def test_without_support_a_human_is_not_offered_and_handoff_answers_not_offered(bot_without_support):
    bot = bot_without_support
    user = await bot.signup()
    asked = await ask(bot, "转人工", token=user.token)
    assert "errors" not in asked, asked
    reply = asked["data"]["assistantAsk"]
    assert reply["handoff"] is False
    assert "handoff" not in [action["kind"] for action in reply["actions"]]
    assert reply["answer"].startswith("抱歉，本服务未提供人工客服")
    english = (await ask(bot, "I want to talk to a real person", language="en"))["data"]["assistantAsk"]
    assert english["answer"].startswith("Sorry, talking to a human agent is not offered")
    for language, text in (("zh-CN", "本服务未提供人工客服"), ("en", "is not offered on this service")):
        body = await bot.gql(
            HANDOFF, {"id": reply["conversationId"]}, token=user.token, headers={"Accept-Language": language}
        )
        assert body["data"]["assistantHandoff"]["__typename"] == "AssistantError", body
        assert body["data"]["assistantHandoff"]["code"] == "HANDOFF_NOT_OFFERED"
        assert text in body["data"]["assistantHandoff"]["message"]
    with use_orm(bot.services.orm):
        assert await Conversation.filter(handed_off_at__isnull=False).count() == 0


async def test_another_users_conversation_is_not_found(bot):
    user, other = await bot.signup(), await bot.signup()
    started = (await ask(bot, "转人工", token=user.token))["data"]["assistantAsk"]
    body = await bot.gql(HANDOFF, {"id": started["conversationId"]}, token=other.token)
    assert body["data"]["assistantHandoff"]["code"] == "NOT_FOUND"
    with use_orm(bot.services.orm):
        assert (await Conversation.get()).handed_off_at is None


def _recording_handoff_plugin(calls: list) -> types.SimpleNamespace:
    """A plugin implementing the assistant's handoff hooks that records what it is given."""

    @hookimpl
    async def handoff_ticket(context, conversation_id, subject, transcript, topic):
        calls.append(("ticket", conversation_id, subject, [m["role"] for m in transcript], topic))
        return types.SimpleNamespace(id="VGlja2V0OjE")

    @hookimpl
    async def handoff_message(services, conversation_id, body, user_id):
        calls.append(("message", conversation_id, body))
        return True

    return types.SimpleNamespace(
        __name__="recorder",
        PLUGIN_NAME="recorder",
        handoff_ticket=handoff_ticket,
        handoff_message=handoff_message,
    )


async def test_after_a_handoff_messages_go_to_the_ticket(make_client):
    from plugins.helpcenter.api import ensure_seeded

    calls: list = []
    async with make_client(
        plugins="account,helpcenter,assistant", extra_plugins=(_recording_handoff_plugin(calls),)
    ) as bot:
        with use_orm(bot.services.orm):
            await ensure_seeded(bot.services)
        await _hand_off_and_forward(bot, calls)


async def _hand_off_and_forward(bot, calls: list) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    # This app's database is not emptied first, and an earlier test may have talked within the
    # second: count what this conversation adds.
    with use_orm(bot.services.orm):
        talked_before, contained_before = await api.containment(since, since + timedelta(minutes=5))
    user = await bot.signup()
    started = (await ask(bot, "退款一直没到账", token=user.token))["data"]["assistantAsk"]
    await ask(bot, "转人工", started["conversationId"], token=user.token)

    context = types.SimpleNamespace(
        services=bot.services, actor=types.SimpleNamespace(user_id=account_user_pk(user)), language="zh-CN"
    )

    with use_orm(bot.services.orm):
        conversation = await service.load_conversation(context, started["conversationId"])
        await handoff.hand_off(context, conversation)
        again = await service.load_conversation(context, started["conversationId"])
        with pytest.raises(Exception) as raised:  # noqa: B017 - the code is what matters
            await handoff.hand_off(context, again)
        assert getattr(raised.value, "code", None) == "ALREADY_HANDED_OFF"
    assert calls[0][0] == "ticket" and calls[0][2] == "退款一直没到账"
    assert calls[0][3] == ["user", "assistant", "user", "assistant"] and calls[0][4] == "platform.human_agent"

    forwarded = (await ask(bot, "订单号 12345", started["conversationId"], token=user.token))["data"][
        "assistantAsk"
    ]
    assert forwarded["handoff"] is True and forwarded["articles"] == []
    assert calls[-1] == ("message", calls[0][1], "订单号 12345")
    with use_orm(bot.services.orm):  # this app's database is not emptied first: count from `since`
        assert await Message.filter(forwarded=True, created_at__gte=since).count() == 1
        talked, contained = await api.containment(since, since + timedelta(minutes=5))
        assert (talked - talked_before, contained - contained_before) == (1, 1)


async def test_asking_is_rate_limited_per_ip_and_user(make_client, monkeypatch):
    monkeypatch.setenv("SELFSERVE_ASSISTANT_RATE_LIMIT_IP", "2")
    monkeypatch.setenv("SELFSERVE_ASSISTANT_RATE_LIMIT_USER", "1")
    async with make_client() as client:
        from plugins.helpcenter.api import ensure_seeded

        with use_orm(client.services.orm):
            await ensure_seeded(client.services)
        for _ in range(2):
            assert "errors" not in await ask(client, "怎么改密码")
        limited = await ask(client, "怎么改密码")
        assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert limited["errors"][0]["extensions"]["retryAfter"] > 0
        user = await client.signup()
        assert "errors" not in await ask(client, "怎么改密码", token=user.token)
        limited = await ask(client, "怎么改密码", token=user.token)
        assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
