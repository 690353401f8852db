"""The assistant acting for the signed-in user, through HTTP in both languages: status answers from
the user's own data, changes only after confirmation (and never when declined), other users'
objects never mentioned, a banned session appealing, and the confirmation protocol's rules."""

from __future__ import annotations

from core.db import use_orm
from plugins.assistant.models import Conversation
from schema.relay import from_global_id
from tests.helpers import LOGIN, error_code
from tests.moderation import ban, published_video, remove
from tests.money import fund

ASK = """mutation($m: String!, $c: ID) { assistantAsk(input: {message: $m, conversationId: $c}) {
  conversationId answer topic pendingAction { id kind summary } } }"""
CONFIRM = """mutation($c: ID!, $a: ID!, $y: Boolean!) {
  assistantConfirm(input: {conversationId: $c, actionId: $a, confirm: $y}) {
    __typename conversationId answer pendingAction { id kind } } }"""
ME = "{ me { id } }"
SESSIONS = "{ me { sessions { nodes { current } } } }"
REFUNDS = "{ refunds { edges { node { order { id } } } } }"
APPEALS = "{ appeals { edges { node { id reason status } } } }"


async def _ask(client, message, conversation=None, token=None):
    body = await client.gql(ASK, {"m": message, "c": conversation}, token=token)
    assert "errors" not in body, body
    return body["data"]["assistantAsk"]


async def _confirm(client, reply, yes, token, action_id=None):
    action = action_id or reply["pendingAction"]["id"]
    return await client.gql(CONFIRM, {"c": reply["conversationId"], "a": action, "y": yes}, token=token)


async def _sessions(client, account) -> list[dict]:
    """The user's signed-in devices, newest first."""
    body = await client.gql(SESSIONS, token=account.token)
    return body["data"]["me"]["sessions"]["nodes"]


def _pk(global_id: str, type_name: str) -> int:
    """The database id inside a global id (what the assistant's answers show as `#<id>`)."""
    return int(from_global_id(global_id, type_name)[1])


async def _refunded(client, account) -> list[str]:
    """The orders the user has refunds for, as the user's own `refunds` list shows them."""
    body = await client.gql(REFUNDS, token=account.token)
    return [e["node"]["order"]["id"] for e in body["data"]["refunds"]["edges"]]


async def _appeals(client, token) -> list[dict]:
    """The user's appeals as their `appeals` list shows them (a restricted session's too)."""
    body = await client.gql(APPEALS, token=token)
    return [e["node"] for e in body["data"]["appeals"]["edges"]]


async def test_refund_is_offered_declined_then_confirmed_and_its_status_answered(bot):
    user = await bot.signup()
    other = await bot.signup()
    order = await fund(bot, user, 60)
    other_order = await fund(bot, other, 120)
    mine, theirs = _pk(order["id"], "RechargeOrder"), _pk(other_order["id"], "RechargeOrder")

    offered = await _ask(bot, "我的退款到哪了", token=user.token)
    assert offered["topic"] == "payments.refund"
    assert f"#{mine}" in offered["answer"] and f"#{theirs}" not in offered["answer"]
    assert offered["pendingAction"]["kind"] == "payments.refund"
    assert f"#{mine}" in offered["pendingAction"]["summary"]

    declined = (await _confirm(bot, offered, False, user.token))["data"]["assistantConfirm"]
    assert "已取消" in declined["answer"] and declined["pendingAction"] is None
    assert await _refunded(bot, user) == await _refunded(bot, other) == []
    # the declined action is gone: confirming it now finds nothing
    assert error_code(await _confirm(bot, offered, True, user.token)) == "NOT_FOUND"

    again = await _ask(bot, "I want a refund for my coins", offered["conversationId"], token=user.token)
    assert again["pendingAction"]["kind"] == "payments.refund"
    assert error_code(await _confirm(bot, again, True, other.token)) == "NOT_FOUND"  # not theirs
    done = await _ask(bot, "yes", again["conversationId"], token=user.token)
    assert f"#{mine}" in done["answer"] and done["pendingAction"] is None
    assert await _refunded(bot, user) == [order["id"]]
    assert await _refunded(bot, other) == []

    status = await _ask(bot, "where is my refund", token=user.token)
    assert f"#{mine}" in status["answer"] and "business days" in status["answer"]
    assert status["pendingAction"] is None  # already refunded: nothing more to offer
    theirs_status = await _ask(bot, "我的退款到哪了", token=other.token)
    assert f"#{mine}" not in theirs_status["answer"] and f"#{theirs}" in theirs_status["answer"]


async def test_recharge_question_without_real_name_is_told_to_verify_first(bot):
    user = await bot.signup()
    zh = await _ask(bot, "怎么充值", token=user.token)
    assert zh["topic"] == "payments.recharge" and zh["answer"].startswith(
        "提示：充值和退款需要先完成实名认证"
    )
    en = await _ask(bot, "how do i buy coins", token=user.token)
    assert en["answer"].startswith("First: recharges and refunds need real-name verification")


async def test_anonymous_data_question_gets_the_same_answer_and_a_sign_in_link(bot):
    zh = await _ask(bot, "我的退款到哪了")
    assert zh["topic"] == "payments.refund" and "登录后" in zh["answer"] and "/login" in zh["answer"]
    assert zh["pendingAction"] is None
    en = await _ask(bot, "what's the status of my appeal")
    assert en["topic"] == "appeals.progress" and "Sign in" in en["answer"]
    body = await bot.gql(CONFIRM, {"c": zh["conversationId"], "a": "x", "y": True})
    assert error_code(body) == "UNAUTHENTICATED"


async def test_banned_session_appeals_through_the_assistant_and_checks_its_progress(bot):
    user = await bot.signup()
    moderator = await bot.signup(roles=("REVIEWER",))
    decision = await ban(bot, moderator, user.id)
    login = await bot.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    restricted = login["data"]["accountLogin"]["accessToken"]
    assert login["data"]["accountLogin"]["restricted"] is True

    first = await _ask(bot, "你好", token=restricted)  # whatever they ask, the appeal comes first
    assert "Pretends to be a celebrity." in first["answer"] and "提交申诉" in first["answer"]
    assert first["pendingAction"] is None  # the reason comes first
    short = await _ask(bot, "冤枉", first["conversationId"], token=restricted)
    assert "太短" in short["answer"]
    reason = "我是本人，从来没有冒充过任何名人，请重新审核"
    filled = await _ask(bot, reason, first["conversationId"], token=restricted)
    assert filled["pendingAction"]["kind"] == "appeals.file" and reason in filled["pendingAction"]["summary"]
    assert await _appeals(bot, restricted) == []  # not before the yes
    with use_orm(bot.services.orm):  # the state lives in the database, for any API process
        stored = await Conversation.get()
    assert stored.state["pending"]["id"] == filled["pendingAction"]["id"]

    done = await _ask(bot, "好的", filled["conversationId"], token=restricted)
    assert "已提交" in done["answer"]
    (appeal,) = await _appeals(bot, restricted)
    assert (appeal["reason"], appeal["status"]) == (reason, "SUBMITTED")
    assert decision["id"]

    progress = await _ask(bot, "what's the status of my appeal", token=restricted)
    assert f"#{_pk(appeal['id'], 'Appeal')}" in progress["answer"] and "submitted" in progress["answer"]


async def test_declined_appeal_files_nothing_in_english(bot):
    user = await bot.signup()
    moderator = await bot.signup(roles=("REVIEWER",))
    await ban(bot, moderator, user.id)
    login = await bot.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    restricted = login["data"]["accountLogin"]["accessToken"]
    first = await _ask(bot, "why is my account banned", token=restricted)
    assert "Pretends to be a celebrity." in first["answer"]
    filled = await _ask(
        bot, "I never impersonated anyone, this is my real name", first["conversationId"], token=restricted
    )
    assert filled["pendingAction"]["kind"] == "appeals.file"
    declined = await _ask(bot, "no", filled["conversationId"], token=restricted)
    assert "Nothing was changed" in declined["answer"]
    assert await _appeals(bot, restricted) == []


async def test_removed_video_answers_with_the_statement_of_reasons(bot):
    user = await bot.signup()
    other = await bot.signup()
    reviewer = await bot.signup(roles=("REVIEWER",))
    video = await published_video(bot, user)
    await remove(bot, reviewer, video["id"], statement="Links to a phishing site in the caption.")
    other_video = await published_video(bot, other)
    await remove(bot, reviewer, other_video["id"], statement="Someone else's reason.")

    en = await _ask(bot, "why was my video removed", token=user.token)
    assert "Links to a phishing site in the caption." in en["answer"]
    assert "Someone else's reason." not in en["answer"]
    zh = await _ask(bot, "我的视频为什么被下架了", token=user.token)
    assert "Links to a phishing site in the caption." in zh["answer"] and "处理说明" in zh["answer"]
    nothing = await _ask(bot, "why was my video removed", token=(await bot.signup()).token)
    assert "None of your videos has been removed" in nothing["answer"]


async def test_sign_out_other_devices_only_after_confirmation(bot):
    user = await bot.signup()
    login = await bot.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    second = login["data"]["accountLogin"]["accessToken"]

    offered = await _ask(bot, "有异地登录，不是我本人", token=user.token)
    assert offered["pendingAction"]["kind"] == "account.sign_out_others"
    declined = (await _confirm(bot, offered, False, user.token))["data"]["assistantConfirm"]
    assert "没有做任何更改" in declined["answer"]
    assert (await bot.gql(ME, token=second))["data"]["me"] is not None

    offered = await _ask(
        bot, "someone else logged into my account", offered["conversationId"], token=user.token
    )
    assert error_code(await _confirm(bot, offered, True, user.token, action_id="nope")) == "NOT_FOUND"
    done = (await _confirm(bot, offered, True, user.token))["data"]["assistantConfirm"]
    assert "Signed out 1 other device" in done["answer"]
    assert (await bot.gql(ME, token=second))["data"]["me"] is None  # signed out
    assert (await bot.gql(ME, token=user.token))["data"]["me"] is not None  # the current one stays
    assert error_code(await _confirm(bot, offered, True, user.token)) == "NOT_FOUND"  # only once


GRANT = """mutation($input: PremiumGrantInput!) { premiumGrant(input: $input) { __typename } }"""
HANDOFF = (
    """mutation($id: ID!) { assistantHandoff(conversationId: $id) { __typename ... on Ticket { id } } }"""
)
MESSAGES = (
    """query($id: ID!) { node(id: $id) { ... on Ticket { messages { edges { node { kind body } } } } } }"""
)


async def test_password_reset_code_goes_to_the_masked_bound_contact_only_after_yes(bot):
    user = await bot.signup(email="carol.reset@example.com")
    offered = await _ask(bot, "忘记密码了", token=user.token)
    assert "c***@example.com" in offered["answer"] and "carol.reset" not in offered["answer"]
    assert offered["pendingAction"]["kind"] == "account.send_reset_code"

    def codes():
        return [m for m in bot.services.notifier.read() if m.get("kind") == "verification_code"]

    await _ask(bot, "算了", offered["conversationId"], token=user.token)
    await bot.services.jobs.drain()
    assert codes() == []
    again = await _ask(bot, "I forgot my password", offered["conversationId"], token=user.token)
    sent = (await _confirm(bot, again, True, user.token))["data"]["assistantConfirm"]
    assert "c***@example.com" in sent["answer"]
    await bot.services.jobs.drain()
    assert [m["target"] for m in codes()] == ["carol.reset@example.com"]


async def test_add_on_question_answers_whether_the_user_holds_it(bot):
    user = await bot.signup()
    admin = await bot.signup(roles=("ADMIN",))
    missing = await _ask(bot, "有没有付费就能优先处理的客服", token=user.token)
    assert missing["topic"] == "premium.priority_support" and "还没有开通「优先客服」" in missing["answer"]
    body = await bot.gql(
        GRANT, {"input": {"userId": user.id, "product": "priority_support", "days": 30}}, token=admin.token
    )
    assert body["data"]["premiumGrant"]["__typename"] == "PremiumGrant", body
    held = await _ask(bot, "is there a paid option to get faster support replies", token=user.token)
    assert "You hold the “Priority support” add-on" in held["answer"]


async def test_handoff_carries_the_order_and_the_ticket_state_is_answered(bot):
    user = await bot.signup()
    other = await bot.signup()
    await fund(bot, user, 60)
    asked = await _ask(bot, "我的退款到哪了", token=user.token)
    order = asked["pendingAction"]["summary"].split("#")[1].split("（")[0]
    ticket = await bot.gql(HANDOFF, {"id": asked["conversationId"]}, token=user.token)
    assert ticket["data"]["assistantHandoff"]["__typename"] == "Ticket", ticket
    ticket_id = ticket["data"]["assistantHandoff"]["id"]
    messages = (await bot.gql(MESSAGES, {"id": ticket_id}, token=user.token))["data"]["node"]["messages"]
    (transcript,) = [e["node"]["body"] for e in messages["edges"] if e["node"]["kind"] == "TRANSCRIPT"]
    assert f"关联对象：order #{order}" in transcript

    zh = await _ask(bot, "我的工单处理到哪了", token=user.token)
    assert "你的工单 #" in zh["answer"] and "等待客服处理" in zh["answer"]
    en = await _ask(bot, "what's happening with my ticket", token=user.token)
    assert "Your ticket #" in en["answer"]
    assert (
        "You have no support tickets" in (await _ask(bot, "my ticket status?", token=other.token))["answer"]
    )


async def test_a_pending_action_continues_in_another_api_process(bot, make_client):
    user = await bot.signup()
    login = await bot.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    second = login["data"]["accountLogin"]["accessToken"]
    assert second and [s["current"] for s in await _sessions(bot, user)] == [False, True]
    offered = await _ask(bot, "账号被盗了，有陌生设备登录", token=user.token)
    assert offered["pendingAction"]["kind"] == "account.sign_out_others"
    async with make_client() as other_process:  # same database, its own memory
        done = await _ask(other_process, "好的", offered["conversationId"], token=user.token)
    assert "其他 1 台设备" in done["answer"] and done["pendingAction"] is None
    # (each embedded test app has its own in-memory redis: the list of signed-in devices comes from
    # the database, where the other process revoked the second session)
    assert [s["current"] for s in await _sessions(bot, user)] == [True]
