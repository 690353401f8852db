"""assistantAsk through HTTP: answers, languages, follow-ups, humans, out-of-domain, bad input."""

from __future__ import annotations

from core.db import use_orm
from plugins.assistant.models import Conversation, Message
from plugins.assistant.tests.conftest import ask, ask_raw


async def test_anonymous_question_gets_a_concise_answer_with_actions(bot):
    body = await ask(bot, "抖币充错了想退钱")
    reply = body["data"]["assistantAsk"]
    assert reply["topic"] == "payments.refund" and reply["confidence"] > 0.3
    assert reply["handoff"] is False
    assert [a["locale"] for a in reply["articles"]] == ["zh-CN"]
    assert "7 天" in reply["answer"] and "1." in reply["answer"]
    assert len(reply["answer"]) < 600  # the key steps, not the whole article
    targets = [a["target"] for a in reply["actions"]]
    assert "refundRequest" in targets and targets[-1] == "assistantHandoff"
    with use_orm(bot.services.orm):
        conversation = await Conversation.get()
        messages = await Message.filter(conversation_id=conversation.pk).order_by("id")
    assert conversation.user_id is None and conversation.last_topic == "payments.refund"
    assert [m.role for m in messages] == ["user", "assistant"]


async def test_answer_language_follows_the_message(bot):
    english = (await ask(bot, "I forgot my password", language="zh-CN"))["data"]["assistantAsk"]
    assert english["topic"] == "account.password_reset"
    assert english["articles"][0]["locale"] == "en" and "Steps:" in english["answer"]
    chinese = (await ask(bot, "忘记密码了", language="en"))["data"]["assistantAsk"]
    assert chinese["articles"][0]["locale"] == "zh-CN" and "操作步骤" in chinese["answer"]
    labels = [a["label"] for a in chinese["actions"]]
    assert "转人工客服" in labels


async def test_follow_up_uses_the_conversation(bot):
    first = (await ask(bot, "怎么充值抖币"))["data"]["assistantAsk"]
    assert first["topic"] == "payments.recharge"
    follow = (await ask(bot, "那退款呢?", first["conversationId"]))["data"]["assistantAsk"]
    assert follow["topic"] == "payments.refund"
    assert follow["conversationId"] == first["conversationId"]
    again = (await ask(bot, "要多久?", first["conversationId"]))["data"]["assistantAsk"]
    assert again["topic"] == "payments.refund"
    english = (await ask(bot, "how do I top up coins"))["data"]["assistantAsk"]
    what_about = (await ask(bot, "what about refunds?", english["conversationId"]))["data"]["assistantAsk"]
    assert what_about["topic"] == "payments.refund"


async def test_asking_for_a_human_offers_a_handoff(bot):
    for message in ("转人工", "我要人工客服", "can I talk to a real person", "let me speak to a human"):
        reply = (await ask(bot, message))["data"]["assistantAsk"]
        assert reply["topic"] == "platform.human_agent" and reply["handoff"] is True, message
        assert any(a["target"] == "assistantHandoff" for a in reply["actions"])


async def test_out_of_domain_questions_are_declined_politely(bot):
    for message, marker in (("今天北京天气怎么样", "帮不上"), ("tell me a joke", "can't help")):
        reply = (await ask(bot, message))["data"]["assistantAsk"]
        assert reply["topic"] is None and reply["handoff"] is True, message
        assert marker in reply["answer"] and reply["articles"] == []
        assert [a["target"] for a in reply["actions"]] == ["assistantHandoff"]


async def test_bad_input_gets_an_answer_or_a_typed_error(bot):
    for message in ("", "   ", "x" * 20000):
        body = await ask(bot, message)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", message[:10]
    # NUL and lone surrogates are refused for every input in one place (schema/inputs.py).
    body = await ask(bot, "\u0000\u0001")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TEXT"
    for message in ("😀😀😀", "???", "🙏"):
        reply = (await ask(bot, message))["data"]["assistantAsk"]
        assert reply["topic"] is None and reply["answer"], message
    mixed = (await ask(bot, "我的 password 忘了 怎么 reset"))["data"]["assistantAsk"]
    assert mixed["topic"] == "account.password_reset"
    control = (await ask(bot, "忘记\u0007密码\u001b了"))["data"]["assistantAsk"]
    assert control["topic"] == "account.password_reset"
    surrogate = await ask_raw(bot, "忘记密码\ud800")
    assert surrogate["errors"][0]["extensions"]["code"] == "INVALID_TEXT"
    with use_orm(bot.services.orm):
        bodies = await Message.filter(role="user").values_list("body", flat=True)
    assert all("\u0000" not in b and "\ud800" not in b for b in bodies)


async def test_conversations_belong_to_their_user(bot):
    owner = await bot.signup()
    other = await bot.signup()
    started = (await ask(bot, "怎么改密码", token=owner.token))["data"]["assistantAsk"]
    body = await ask(bot, "那忘记密码呢", started["conversationId"], token=other.token)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await ask(bot, "那忘记密码呢", started["conversationId"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    mine = await ask(bot, "那忘记密码呢", started["conversationId"], token=owner.token)
    assert mine["data"]["assistantAsk"]["topic"] == "account.password_reset"
    for bad in ("nope", "QXNzaXN0YW50Q29udmVyc2F0aW9uOjE", "00000000-0000-0000-0000-000000000000"):
        body = await ask(bot, "hi", bad)
        assert body["errors"][0]["extensions"]["code"] in {"INVALID_INPUT", "NOT_FOUND"}, bad


async def test_anonymous_conversation_is_claimed_on_sign_in(bot):
    started = (await ask(bot, "怎么绑定手机号"))["data"]["assistantAsk"]
    user = await bot.signup()
    await ask(bot, "那邮箱呢", started["conversationId"], token=user.token)
    with use_orm(bot.services.orm):
        conversation = await Conversation.get()
    assert conversation.user_id is not None and conversation.message_count == 4
