"""The actions' messages in both languages."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "sign_in": {
        "zh-CN": "登录后我可以直接帮你查看和处理你的账号数据：{url}",
        "en": "Sign in and I can look this up and handle it for you: {url}",
    },
    "refund_status": {
        "zh-CN": "你的订单 #{order}（{coins} 币，¥{amount}）的退款状态：{status}。{when}",
        "en": "Refund for your order #{order} ({coins} coins, {amount} {currency}): {status}. {when}",
    },
    "refund_when_pending": {
        "zh-CN": "退款已提交，正在处理，原路退回通常需要 1–7 个工作日。",
        "en": "It is being processed; the money returns to your original payment method within 1–7 business days.",
    },
    "refund_when_done": {
        "zh-CN": "已于 {at} 退回原支付方式，银行入账可能还需 1–3 个工作日。",
        "en": "It was sent back on {at}; your bank may take 1–3 more business days to show it.",
    },
    "refund_when_failed": {
        "zh-CN": "退款没有成功，建议转人工客服处理。",
        "en": "The refund did not go through; please talk to a human agent.",
    },
    "no_orders": {"zh-CN": "你的账号还没有充值订单。", "en": "Your account has no recharge orders yet."},
    "order_status": {
        "zh-CN": "你最近的充值订单 #{order}（{coins} 币，¥{amount}）状态：{status}。",
        "en": "Your latest recharge order #{order} ({coins} coins, {amount} {currency}): {status}.",
    },
    "verify_first": {
        "zh-CN": "提示：充值和退款需要先完成实名认证（年满 18 周岁），你的账号还没有认证，请先到「账号与安全 → 实名认证」完成。",
        "en": "First: recharges and refunds need real-name verification (18 or older), and your account is not verified yet. Go to Account & security → Real-name verification.",
    },
    "appeal_status": {
        "zh-CN": "你的申诉 #{appeal}（{kind}）状态：{status}，提交于 {created}，预计 {due} 前处理完毕。{note}",
        "en": "Your appeal #{appeal} ({kind}): {status}, filed {created}, due to be decided by {due}. {note}",
    },
    "no_appeal": {"zh-CN": "你还没有提交过申诉。", "en": "You have not filed any appeal."},
    "removal": {
        "zh-CN": "你的视频「{title}」于 {at} 被下架，原因：{reason}。处理说明：{statement}{reversed}",
        "en": "Your video “{title}” was removed on {at} for {reason}. Statement of reasons: {statement}{reversed}",
    },
    "removal_reversed": {"zh-CN": "（该处理已撤销）", "en": " (this decision has been reversed)"},
    "no_removal": {"zh-CN": "你的视频没有被下架的记录。", "en": "None of your videos has been removed."},
    "banned_first": {
        "zh-CN": "你的账号目前处于封禁状态（原因：{reason}）。处理说明：{statement}",
        "en": "Your account is currently banned ({reason}). Statement of reasons: {statement}",
    },
    "ask_reason": {
        "zh-CN": "我可以帮你提交申诉。请用一两句话说明你认为处理有误的理由（至少 10 个字），说「算了」可取消。",
        "en": "I can file an appeal for you. In a sentence or two, tell me why you think the decision is wrong (at least 10 characters), or say “cancel”.",
    },
    "reason_too_short": {
        "zh-CN": "理由太短了，请再具体一点（至少 10 个字），或说「算了」取消。",
        "en": "That reason is too short; please say a little more (at least 10 characters), or say “cancel”.",
    },
    "confirm_prompt": {
        "zh-CN": "{summary}\n确认请回复「好的」或点「确认」，不需要请回复「算了」。",
        "en": "{summary}\nReply “yes” or tap Confirm to go ahead, or “no” to cancel.",
    },
    "declined": {"zh-CN": "好的，已取消，没有做任何更改。", "en": "OK, cancelled. Nothing was changed."},
    "failed": {
        "zh-CN": "没能完成：{message} 需要的话可以转人工客服。",
        "en": "That could not be done: {message} You can talk to a human agent if you need to.",
    },
    "appeal_filed": {
        "zh-CN": "申诉 #{appeal} 已提交，预计 {due} 前处理完毕，结果会通知你。",
        "en": "Appeal #{appeal} is filed and due to be decided by {due}; you will be notified.",
    },
    "signed_out": {
        "zh-CN": "已让其他 {count} 台设备下线，当前设备保持登录。建议接着修改密码。",
        "en": "Signed out {count} other device(s); this one stays signed in. Consider changing your password next.",
    },
    "refund_requested": {
        "zh-CN": "已为订单 #{order} 申请退款（¥{amount}），状态：{status}，原路退回通常需要 1–7 个工作日。",
        "en": "Refund requested for order #{order} ({amount}), status {status}; it returns to your payment method within 1–7 business days.",
    },
    "summary_appeal": {
        "zh-CN": "为处理 #{decision}（{kind}）提交申诉，理由：「{reason}」",
        "en": "File an appeal of decision #{decision} ({kind}) with the reason: “{reason}”",
    },
    "summary_sign_out": {
        "zh-CN": "让除当前设备以外的所有设备退出登录",
        "en": "Sign out every device except this one",
    },
    "summary_refund": {
        "zh-CN": "为订单 #{order}（{coins} 币，¥{amount}）申请退款",
        "en": "Request a refund of order #{order} ({coins} coins, {amount} {currency})",
    },
    "offer_refund": {
        "zh-CN": "你的订单 #{order}（{coins} 币，¥{amount}）还在可退款期内。",
        "en": "Your order #{order} ({coins} coins, {amount} {currency}) can still be refunded.",
    },
    "offer_sign_out": {
        "zh-CN": "如果有不认识的登录，我可以马上让其他设备全部下线。",
        "en": "If you see a sign-in you don't recognise, I can sign out all other devices right away.",
    },
    "offer_reset_code": {
        "zh-CN": "我可以把重置密码的验证码发到你绑定的{channel} {masked}。",
        "en": "I can send a password reset code to your bound {channel} {masked}.",
    },
    "summary_reset_code": {
        "zh-CN": "发送重置密码验证码到 {masked}",
        "en": "Send a password reset code to {masked}",
    },
    "reset_code_sent": {
        "zh-CN": "验证码已发送到 {masked}，10 分钟内有效，请在「忘记密码」页面输入并设置新密码。",
        "en": "A code is on its way to {masked} (valid for 10 minutes); enter it on the Forgot password page to set a new password.",
    },
    "no_contact": {
        "zh-CN": "你的账号没有绑定邮箱或手机号，无法发送验证码，建议转人工客服。",
        "en": "Your account has no bound email or phone to send a code to; please talk to a human agent.",
    },
    "addon_held": {
        "zh-CN": "你已开通「{title}」。",
        "en": "You hold the “{title}” add-on.",
    },
    "addon_missing": {
        "zh-CN": "你还没有开通「{title}」，可以在「增值服务」里购买。",
        "en": "You don't have the “{title}” add-on yet; you can buy it under Premium add-ons.",
    },
    "ticket_status": {
        "zh-CN": "你的工单 #{number}「{subject}」状态：{status}，创建于 {created}。",
        "en": "Your ticket #{number} “{subject}”: {status}, opened {created}.",
    },
    "no_ticket": {"zh-CN": "你还没有提交过工单。", "en": "You have no support tickets."},
    "related": {"zh-CN": "关联对象：{subject}", "en": "Related: {subject}"},
    "nothing_pending": {
        "zh-CN": "当前没有待确认的操作。",
        "en": "There is nothing waiting for confirmation.",
    },
}
STATUS_WORDS = {
    "PENDING": {"zh-CN": "处理中", "en": "processing"},
    "PAID": {"zh-CN": "已支付", "en": "paid"},
    "FAILED": {"zh-CN": "失败", "en": "failed"},
    "REFUNDED": {"zh-CN": "已退款", "en": "refunded"},
    "COMPLETED": {"zh-CN": "已完成", "en": "completed"},
    "SUBMITTED": {"zh-CN": "已提交，等待审核", "en": "submitted, waiting for a reviewer"},
    "IN_REVIEW": {"zh-CN": "审核中", "en": "in review"},
    "UPHELD": {"zh-CN": "维持原处理", "en": "upheld"},
    "OVERTURNED": {"zh-CN": "已撤销原处理", "en": "overturned"},
    "ESCALATED": {"zh-CN": "已升级复核", "en": "escalated"},
    "ticket.NEW": {"zh-CN": "已提交，等待客服处理", "en": "new, waiting for an agent"},
    "ticket.OPEN": {"zh-CN": "客服处理中", "en": "being worked on"},
    "ticket.PENDING": {"zh-CN": "等待你的回复", "en": "waiting for your reply"},
    "ticket.SOLVED": {"zh-CN": "已解决", "en": "solved"},
    "ticket.CLOSED": {"zh-CN": "已关闭", "en": "closed"},
    "EMAIL": {"zh-CN": "邮箱", "en": "email"},
    "SMS": {"zh-CN": "手机", "en": "phone"},
    "ACCOUNT_BAN": {"zh-CN": "账号封禁", "en": "account ban"},
    "VIDEO_REMOVAL": {"zh-CN": "视频下架", "en": "video removal"},
}


def say(key: str, language: str, **params: Any) -> str:
    """A message in `language` (English when the language is neither)."""
    entry = TEXTS[key]
    return entry.get(language, entry["en"]).format(**params)


def word(value: str | None, language: str) -> str:
    """A status or kind in words."""
    entry = STATUS_WORDS.get(value or "", {})
    return entry.get(language, entry.get("en", value or ""))


def when(value: Any) -> str:
    """A timestamp as YYYY-MM-DD HH:MM (UTC)."""
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def money(cents: int) -> str:
    """An amount in minor units as a decimal."""
    return f"{cents / 100:.2f}"
